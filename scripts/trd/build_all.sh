#!/bin/sh
# Rebuilds Datasets/trd-review/{studies,outcomes}.csv from the review text and the shared extraction, then embeds them.
set -e
cd "$(dirname "$0")/../.."
python3 scripts/trd/build_studies.py "$@"
python3 scripts/trd/build_outcomes.py
python3 scripts/trd/second_pass.py
python3 scripts/embed-datasets.py
