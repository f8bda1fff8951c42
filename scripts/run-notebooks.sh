#!/usr/bin/env bash
# Executes every notebook in Notebooks/ against the freshly built CLI; a failing cell fails the run and prints the
# notebook, the cell and its traceback. Prints one line when all pass ("notebooks: N executed").
#   scripts/run-notebooks.sh           execute in memory (what `make test` and CI run); the files are not changed
#   scripts/run-notebooks.sh --write   execute and store the outputs (text and figures) in the files, for committing
# Figures use matplotlib's inline backend, so an executed notebook carries them as PNG outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
write=0
[ "${1:-}" = "--write" ] && write=1
notebooks=(Notebooks/*.ipynb)
if [ ${#notebooks[@]} -eq 0 ]; then
  echo "notebooks: none yet"
  exit 0
fi
make --no-print-directory build 2>&1 | { grep -E 'error|warning: unhandled' || true; }
export METASWIFT="$PWD/.build/release/metaswift" MPLBACKEND="module://matplotlib_inline.backend_inline"
# Jupyter's own chatter (frozen-modules debugger warning, platformdirs migration notice) is not a result.
export PYDEVD_DISABLE_FILE_VALIDATION=1 JUPYTER_PLATFORM_DIRS=1
.venv/bin/python - "$write" "${notebooks[@]}" <<'PY'
import sys, tempfile
import nbformat
from nbclient import NotebookClient

write, paths = sys.argv[1] == "1", sys.argv[2:]
for path in paths:
    nb = nbformat.read(path, as_version=4)
    # The kernel's own stderr (a warning about its TCP transport on every start) is shown only if the notebook fails.
    with tempfile.TemporaryFile(mode="w+") as kernel_log:
        try:
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": "Notebooks"}}).execute(stderr=kernel_log)
        except Exception as error:
            kernel_log.seek(0)
            print(f"notebook {path} failed:\n{error}\n{kernel_log.read()}", file=sys.stderr)
            sys.exit(1)
    if write:
        # Execution timestamps would make every run a diff; outputs and counts are what a reader needs.
        for cell in nb.cells:
            cell.get("metadata", {}).pop("execution", None)
        nbformat.write(nb, path)
print(f"notebooks: {len(paths)} {'executed and written' if write else 'executed'}")
PY
