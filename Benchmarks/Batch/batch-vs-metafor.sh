#!/usr/bin/env bash
# Batch benchmark (issue 22): 10^4 analyses (k = 5-60) through `metaswift batch` (REML, Knapp-Hartung, PI, Q-profile
# CI: the defaults) against metafor looping over the same collection in one R session. Prints the load, MetaSwift's
# wall time (median of 5 runs) and peak memory, metafor's time per analysis and the ratio.
# Usage: Benchmarks/Batch/batch-vs-metafor.sh [analyses to time in R, default 1000]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
timed_in_r="${1:-1000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "load before: $(cat /proc/loadavg)"
(cd "$root" && swift build -c release --product metaswift >&2)
metaswift="$(cd "$root" && swift build -c release --show-bin-path)/metaswift"
OPENBLAS_NUM_THREADS=1 Rscript "$here/batch-vs-metafor.R" generate "$work/collection.csv" 10000
echo "collection: $(wc -l < "$work/collection.csv") lines, $(du -h "$work/collection.csv" | cut -f1)"

times=()
for run in 1 2 3 4 5; do
  start=$(date +%s.%N)
  "$metaswift" batch --data "$work/collection.csv" --by id --format csv --out "$work/out.csv"
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
echo "metaswift batch, 10^4 analyses, csv: runs ${times[*]} s; median ${median} s"
/usr/bin/time -f "metaswift batch peak memory: %M KiB, %e s wall, %U s user, %S s system" \
  "$metaswift" batch --data "$work/collection.csv" --by id --format csv --out "$work/out.csv"
start=$(date +%s.%N)
"$metaswift" batch --data "$work/collection.csv" --by id --out "$work/out.jsonl"
end=$(date +%s.%N)
echo "metaswift batch, 10^4 analyses, JSON Lines (every field of pool): $(echo "$end - $start" | bc) s, $(du -h "$work/out.jsonl" | cut -f1)"
echo "rows: $(($(wc -l < "$work/out.csv") - 1)), errors: $(grep -c ',InputError\|,EstimationError\|,NumericsError' "$work/out.csv" || true)"

r_line=$(OPENBLAS_NUM_THREADS=1 Rscript "$here/batch-vs-metafor.R" time "$work/collection.csv" "$timed_in_r" "$work/out.csv")
echo "$r_line"
per=$(echo "$r_line" | sed -n 's/.*(\([0-9.]*\) ms each).*/\1/p')
echo "metafor for 10^4 analyses (per-analysis time x 10^4): $(echo "$per * 10" | bc) s; ratio: $(echo "$per * 10 / $median" | bc)x"
echo "load after: $(cat /proc/loadavg)"
