#!/usr/bin/env bash
# Three-level REML benchmark (issue 19 item 2): `metaswift pool --random "~ 1 | cluster/obs"` (release, whole CLI run:
# start, CSV parse, fit, JSON) against metafor's rma.mv(sparse = TRUE) in the same run on the same seeded data (the bank's
# performance recipe): k = 1,000 (10 clusters), 10,000 (100 clusters); MetaSwift alone at k = 10^6 in 10^5 clusters.
# Prints the load, medians, ratios, the estimates of both and MetaSwift's peak memory.
# Usage: Benchmarks/Multilevel/multilevel-vs-metafor.sh [runs, default 5]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "load before: $(cat /proc/loadavg)"
(cd "$root" && swift build -c release --product metaswift >&2)
metaswift="$(cd "$root" && swift build -c release --show-bin-path)/metaswift"
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
time_metaswift() {  # file -> median wall seconds over $runs runs; prints the estimates once
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$metaswift" pool --data "$1" --measure GEN --random "~ 1 | cluster/obs" --preset metafor --format json --out "$work/fit.json"
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  echo "  metaswift runs: ${times[*]} s" >&2
  python3 -c "import json; j = json.load(open('$work/fit.json')); print('  metaswift sigma2', *j['sigma2'], 'beta', *j['beta'], 'iterations', j['iterations'])" >&2
  median "${times[@]}"
}
for spec in "1000 10 1001 $runs" "10000 100 10001 1"; do
  read -r k clusters seed rruns <<< "$spec"
  OPENBLAS_NUM_THREADS=1 Rscript "$here/multilevel-vs-metafor.R" generate "$work/k$k.csv" "$k" "$clusters" "$seed"
  m=$(time_metaswift "$work/k$k.csv")
  r_line=$(OPENBLAS_NUM_THREADS=1 Rscript "$here/multilevel-vs-metafor.R" time "$work/k$k.csv" "$rruns")
  echo "  $r_line"
  r=$(echo "$r_line" | sed -n 's/.*: median \([0-9.]*\) s.*/\1/p')
  echo "k=$k: metaswift median ${m} s, metafor median ${r} s, ratio $(echo "$r / $m" | bc)x"
done
OPENBLAS_NUM_THREADS=1 Rscript "$here/multilevel-vs-metafor.R" generate "$work/k1e6.csv" 1000000 100000 1000001
m=$(time_metaswift "$work/k1e6.csv")
echo "k=10^6 (10^5 clusters): metaswift median ${m} s (metafor not run: hours at this size)"
/usr/bin/time -f "k=10^6 peak memory: %M KiB, %e s wall, %U s user" \
  "$metaswift" pool --data "$work/k1e6.csv" --measure GEN --random "~ 1 | cluster/obs" --preset metafor --format json --out "$work/fit.json"
echo "load after: $(cat /proc/loadavg)"
