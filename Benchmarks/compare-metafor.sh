#!/usr/bin/env bash
# Side-by-side comparison of MetaSwift and R/metafor on the same simulated data (Benchmarks/Data):
# installs R, metafor and boot from Debian if missing, builds the release runner, runs both, checks that the
# answers agree and prints a Markdown table of medians and ratios. Usage: Benchmarks/compare-metafor.sh [--threads N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

if ! Rscript -e 'suppressPackageStartupMessages({library(metafor); library(boot); library(jsonlite)})' >/dev/null 2>&1; then
  echo "Installing R, metafor, boot and jsonlite from Debian..." >&2
  apt-get update -o DPkg::Lock::Timeout=600 >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 r-base-core r-cran-metafor r-cran-boot r-cran-jsonlite >/dev/null
fi

echo "Building the release runner..." >&2
swift build -c release --product compare-runner >&2
runner="$(swift build -c release --show-bin-path)/compare-runner"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "Running MetaSwift workloads..." >&2
"$runner" "$@" > "$work/swift.json"

baseline=""
for candidate in "$here/metafor-baseline.json" "$here/../../shared/perf/metafor-baseline.json" "/work/shared/perf/metafor-baseline.json"; do
  if [ -f "$candidate" ]; then baseline="$candidate"; break; fi
done
echo "Running metafor workloads (about 2 minutes)..." >&2
# metafor single-threaded, as in the baseline.
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 Rscript compare-metafor.R "$work/swift.json" "$here/Data" "$baseline"
