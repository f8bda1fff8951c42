#!/usr/bin/env bash
# Batch benchmark (issue 22): 10^4 analyses (k = 5-60) through `metaswift batch` (REML, Knapp-Hartung, PI, Q-profile
# CI: the defaults) against metafor looping over the same collection in one R session, in the same run. Prints the
# load, MetaSwift's wall and CPU time (median of 5 runs, 2 threads; and 1 thread), peak memory, metafor's wall and CPU
# time per analysis, the ratios, and the process start of `metaswift --version` and of `pool` on a 13-study file.
# The machine may be shared: CPU times are the numbers that do not depend on what else runs.
# Usage: Benchmarks/Batch/batch-vs-metafor.sh [analyses to time in R, default 1000]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
timed_in_r="${1:-1000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The release build of `make build` (static Swift standard library, no PIE).
(cd "$root" && make --no-print-directory build >&2)
metaswift="$root/.build/release/metaswift"
echo "load before: $(cat /proc/loadavg)"
OPENBLAS_NUM_THREADS=1 Rscript "$here/batch-vs-metafor.R" generate "$work/collection.csv" 10000
echo "collection: $(wc -l < "$work/collection.csv") lines, $(du -h "$work/collection.csv" | cut -f1)"

# median of a list of numbers
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
# runs "$@" once under /usr/bin/time; sets wall, cpu (user + system) and peak (KiB)
timed() {
  /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$@"
  read -r wall user sys peak < "$work/time"
  cpu=$(echo "$user + $sys" | bc)
}

walls=(); cpus=()
for run in 1 2 3 4 5; do
  timed "$metaswift" batch --data "$work/collection.csv" --by id --format csv --out "$work/out.csv"
  walls+=("$wall"); cpus+=("$cpu")
done
swift_wall=$(median "${walls[@]}"); swift_cpu=$(median "${cpus[@]}")
echo "metaswift batch, 10^4 analyses, csv, 2 threads: wall ${walls[*]} s (median $swift_wall s); CPU ${cpus[*]} s (median $swift_cpu s); peak memory $peak KiB"
timed "$metaswift" batch --data "$work/collection.csv" --by id --format csv --threads 1 --out "$work/out1.csv"
echo "metaswift batch, same, 1 thread: $wall s wall, $cpu s CPU"
cmp -s "$work/out.csv" "$work/out1.csv" && echo "1 and 2 threads: identical output" || echo "1 and 2 threads: OUTPUT DIFFERS"
timed "$metaswift" batch --data "$work/collection.csv" --by id --out "$work/out.jsonl"
echo "metaswift batch, JSON Lines (every field of pool): $wall s wall, $cpu s CPU, $(du -h "$work/out.jsonl" | cut -f1)"
echo "rows: $(($(wc -l < "$work/out.csv") - 1)), errors: $(grep -c ',InputError\|,EstimationError\|,NumericsError' "$work/out.csv" || true)"
# Memory follows the largest analysis, not the collection: 10x the collection (3.2 million rows), keys ascending
# (copies b01a..., b02a..., ...: nothing to remember), then the same rows with the copies in the order 1, 2, 10, 3,
# ..., 9 (keys out of order: a fingerprint per analysis).
for copy in 01 02 03 04 05 06 07 08 09 10; do
  if [ "$copy" = 01 ]; then cat "$work/collection.csv"; else sed "1d; s/^a/b${copy}a/" "$work/collection.csv"; fi
done > "$work/big.csv"
timed "$metaswift" batch --data "$work/big.csv" --by id --format csv --out "$work/big-out.csv"
echo "metaswift batch, 10^5 analyses, keys ascending ($(wc -l < "$work/big.csv") lines, $(du -h "$work/big.csv" | cut -f1)): $wall s wall, $cpu s CPU, peak memory $peak KiB"
for copy in 01 02 10 03 04 05 06 07 08 09; do
  if [ "$copy" = 01 ]; then cat "$work/collection.csv"; else sed "1d; s/^a/b${copy}a/" "$work/collection.csv"; fi
done > "$work/unordered.csv"
timed "$metaswift" batch --data "$work/unordered.csv" --by id --format csv --out "$work/unordered-out.csv"
echo "metaswift batch, 10^5 analyses, keys out of order: $wall s wall, $cpu s CPU, peak memory $peak KiB"

r_line=$(OPENBLAS_NUM_THREADS=1 Rscript "$here/batch-vs-metafor.R" time "$work/collection.csv" "$timed_in_r" "$work/out.csv")
echo "$r_line"
r_wall=$(echo "$r_line" | sed -n 's/.*s (\([0-9.]*\) ms each), CPU.*/\1/p')
r_cpu=$(echo "$r_line" | sed -n 's/.*CPU [0-9.]* s (\([0-9.]*\) ms each).*/\1/p')
echo "metafor for 10^4 analyses (per-analysis time x 10^4): wall $(echo "$r_wall * 10" | bc) s, CPU $(echo "$r_cpu * 10" | bc) s"
echo "ratio: wall $(echo "$r_wall * 10 / $swift_wall" | bc)x, CPU $(echo "$r_cpu * 10 / $swift_cpu" | bc)x"

# Process start: 200 runs of `metaswift --version`, then of `pool` on bcg (13 studies), less the cost of the loop itself.
head -14 "$root/Examples/classic-collection.csv" | cut -d, -f2- > "$work/bcg.csv"
loop() { local start end; start=$(date +%s%N); for _ in $(seq 200); do "$@" > /dev/null; done; end=$(date +%s%N); echo $(( (end - start) / 200000 )); }
cpu_loop() { /usr/bin/time -o "$work/time" -f "%U %S" bash -c "for _ in \$(seq 200); do $* > /dev/null; done"; read -r u s < "$work/time"; echo "scale=2; ($u + $s) * 1000 / 200" | bc; }
empty_wall=$(loop /bin/true); empty_cpu=$(cpu_loop /bin/true)
version_wall=$(loop "$metaswift" --version); version_cpu=$(cpu_loop "$metaswift" --version)
pool_wall=$(loop "$metaswift" pool --data "$work/bcg.csv"); pool_cpu=$(cpu_loop "$metaswift" pool --data "$work/bcg.csv")
echo "process start (per run, less an empty loop's $empty_wall us wall, $empty_cpu ms CPU): metaswift --version $(( version_wall - empty_wall )) us wall, $(echo "$version_cpu - $empty_cpu" | bc) ms CPU; pool on 13 studies $(( pool_wall - empty_wall )) us wall, $(echo "$pool_cpu - $empty_cpu" | bc) ms CPU"
echo "load after: $(cat /proc/loadavg)"
