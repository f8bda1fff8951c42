#!/usr/bin/env bash
# Three-level REML benchmark (issue 19 item 2): `metaswift pool --random "~ 1 | cluster/obs"` (release build of
# `make build`; the whole CLI run: start, CSV parse, fit, JSON) against metafor's rma.mv in the same run on the same
# seeded data (the bank's performance recipe): k = 1,000 (10 clusters; metafor dense and sparse=TRUE) and 10,000
# (100 clusters; sparse=TRUE only: dense is k^3 per iteration); MetaSwift alone at k = 10^6 in 10^5 clusters.
# Prints the load, wall and CPU medians, ratios (CPU is the comparable number on a shared machine), the estimates
# of both and MetaSwift's peak memory.
# Usage: Benchmarks/Multilevel/multilevel-vs-metafor.sh [runs, default 5]
#   METASWIFT=/path/to/metaswift: time that binary instead of building (e.g. a copy, while the tree changes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "load before: $(cat /proc/loadavg)"
build=(swift build -c release --static-swift-stdlib -Xlinker -no-pie --product metaswift)  # the Makefile's RELEASE_BUILD
metaswift="${METASWIFT:-}"
if [ -z "$metaswift" ]; then
  (cd "$root" && "${build[@]}" >&2)
  metaswift="$(cd "$root" && "${build[@]}" --show-bin-path)/metaswift"
fi
echo "binary: $metaswift ($(cd "$root" && git rev-parse --short HEAD))"
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
time_metaswift() {  # file runs -> "wall cpu" medians; prints every run and the estimates once
  local walls=() cpus=()
  for _ in $(seq "$2"); do
    /usr/bin/time -o "$work/time" -f "%e %U %S %M" \
      "$metaswift" pool --data "$1" --measure GEN --random "~ 1 | cluster/obs" --preset metafor --format json --out "$work/fit.json"
    read -r wall user sys peak < "$work/time"
    walls+=("$wall"); cpus+=("$(echo "$user + $sys" | bc)")
  done
  echo "  metaswift runs: wall ${walls[*]} s; CPU ${cpus[*]} s; peak RSS of the last ${peak} KiB" >&2
  python3 -c "import json; j = json.load(open('$work/fit.json')); print('  metaswift sigma2', *j['sigma2'], 'beta', *j['beta'], 'iterations', j['iterations'])" >&2
  echo "$(median "${walls[@]}") $(median "${cpus[@]}")"
}
r_cpu() { sed -n 's/.* \([0-9.]*\) s CPU of.*/\1/p'; }
for spec in "1000 10 1001 $runs" "10000 100 10001 1"; do
  read -r k clusters seed rruns <<< "$spec"
  OPENBLAS_NUM_THREADS=1 Rscript "$here/multilevel-vs-metafor.R" generate "$work/k$k.csv" "$k" "$clusters" "$seed"
  read -r mwall mcpu <<< "$(time_metaswift "$work/k$k.csv" "$runs")"
  echo "k=$k: metaswift median ${mwall} s wall, ${mcpu} s CPU"
  sparse_modes="TRUE"
  [ "$k" -le 1000 ] && sparse_modes="FALSE TRUE"
  for sparse in $sparse_modes; do
    r_line=$(OPENBLAS_NUM_THREADS=1 Rscript "$here/multilevel-vs-metafor.R" time "$work/k$k.csv" "$rruns" "$sparse")
    echo "  $r_line"
    rcpu=$(echo "$r_line" | r_cpu)
    echo "k=$k: metafor sparse=$sparse CPU ${rcpu} s / metaswift CPU ${mcpu} s = $(echo "scale=1; $rcpu / $mcpu" | bc)x"
  done
done
OPENBLAS_NUM_THREADS=1 Rscript "$here/multilevel-vs-metafor.R" generate "$work/k1e6.csv" 1000000 100000 1000001
read -r mwall mcpu <<< "$(time_metaswift "$work/k1e6.csv" 3)"
echo "k=10^6 (10^5 clusters): metaswift median ${mwall} s wall, ${mcpu} s CPU (metafor not run: hours at this size)"
echo "load after: $(cat /proc/loadavg)"
