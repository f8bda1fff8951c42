#!/usr/bin/env bash
# Executes every notebook in Notebooks/ against the freshly built CLI; a failing cell fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
notebooks=(Notebooks/*.ipynb)
if [ ${#notebooks[@]} -eq 0 ]; then
  echo "notebooks: none yet"
  exit 0
fi
swift build -c release --product metaswift >/dev/null
export METASWIFT="$PWD/.build/release/metaswift" MPLBACKEND=Agg
for nb in "${notebooks[@]}"; do
  echo "executing $nb"
  .venv/bin/python - "$nb" <<'PY'
import sys, nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": "Notebooks"}}).execute()
PY
done
echo "notebooks: ${#notebooks[@]} executed"
