#!/usr/bin/env bash
# Installs what MetaSwift needs on Debian, only when missing (idempotent, non-interactive).
#   scripts/install-deps.sh          build/run dependencies (OpenBLAS, LAPACK: its headers to build, the library
#                                    loaded on first use; librsvg, cairo and Liberation fonts for PDF/PNG figures,
#                                    loaded at run time: the build does not need them)
#   scripts/install-deps.sh --test   plus what the test suite needs (Python venv for the notebooks)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libopenblas-dev liblapack-dev librsvg2-2 libcairo2 fonts-liberation2)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ] && [ -d Notebooks ] && ls Notebooks/*.ipynb >/dev/null 2>&1; then
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  .venv/bin/python -c "import nbclient, nbformat, ipykernel, matplotlib" 2>/dev/null \
    || .venv/bin/pip install -q nbclient nbformat ipykernel matplotlib
fi
