#!/usr/bin/env bash
# Runs scripts/glmm-reference-evidence.R on every rma_glmm conformance case (see that file). From the repository root,
# after `swift build`.
set -euo pipefail
bank=Tests/ConformanceTests/Bank
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for f in "$bank"/cases/rma_glmm/*.json; do
  id=$(basename "$f" .json)
  read -r input measure model maps < <(python3 -c '
import json, sys
j = json.load(open(sys.argv[1])); o = j["options"]
maps = ",".join(f"{k}={v}" for k, v in j["args"].items() if k != v) or "-"
print(j["input"], o["measure"], o["model"], maps)' "$f")
  args=(pool --data "$bank/$input" --measure "$measure" --method GLMM --model "$model" --format json)
  if [ "$maps" != "-" ]; then IFS=, read -ra m <<< "$maps"; for x in "${m[@]}"; do args+=(--map "$x"); done; fi
  .build/debug/metaswift "${args[@]}" > "$tmp/$id.json"
  Rscript scripts/glmm-reference-evidence.R "$id" "$tmp/$id.json" 2>&1 | grep -v '^Loading\|attach\|introduction\|^$\|^\[1\] "hessian"\|^Untracing\|^Tracing'
done
