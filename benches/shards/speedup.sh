#!/usr/bin/env bash
# Speed-up of a study run in shards as plain processes on one machine:
# the same what-if whole, then in N shards run P at a time, merged; the
# wall time, the CPU time of every process together, the largest
# process, and whether the merged results are byte for byte the whole
# run's.
#
#   benches/shards/speedup.sh SCENARIO "1 2 4 8" P [whatif options...]
#   benches/shards/speedup.sh g200/scenario.toml "1 2 4" 2
#   benches/shards/speedup.sh g50/scenario.toml "1 2 4 8" 2 --k 2
#
# VOICETWIN names the binary (default: voicetwin on the PATH). Each run
# writes under a new temporary folder, removed at the end.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 SCENARIO \"N1 N2 ...\" PROCESSES [whatif options...]" >&2
  exit 2
fi
scenario=$1; counts=$2; p=$3; shift 3
bin=${VOICETWIN:-voicetwin}
work=$(mktemp -d "${TMPDIR:-/tmp}/voicetwin-shards.XXXXXX")
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
echo "shards  processes  wall s  cpu s  largest MB  same as whole"
# The reference: the whole study in one process on one thread.
start=$(now)
/usr/bin/time -f "%U %S %M" -o "$work/whole.time" "$bin" whatif "$scenario" "$@" --threads 1 --out "$work/whole" >/dev/null 2>&1
end=$(now)
read -r u s m < "$work/whole.time"
printf "%6s  %9s  %6.1f  %5.1f  %10.0f  %s\n" whole 1 "$(echo "$end - $start" | bc)" "$(echo "$u + $s" | bc)" "$((m / 1024))" -
for n in $counts; do
  dir="$work/$n"; mkdir -p "$dir"
  start=$(now)
  seq 0 $((n - 1)) | xargs -P "$p" -I{} /usr/bin/time -f "%U %S %M" -o "$dir/{}.time" \
    "$bin" whatif "$scenario" "$@" --threads 1 --shard "{}/$n" --out "$dir/part-{}" >/dev/null 2>&1
  /usr/bin/time -f "%U %S %M" -o "$dir/merge.time" "$bin" merge "$dir"/part-* --out "$dir/merged" >/dev/null 2>&1
  end=$(now)
  cpu=$(cat "$dir"/*.time | awk '{s += $1 + $2} END {print s}')
  mem=$(cat "$dir"/*.time | awk '{if ($3 > m) m = $3} END {print m}')
  same=no; cmp -s "$dir/merged/whatif.json" "$work/whole/whatif.json" && same=yes
  printf "%6s  %9s  %6.1f  %5.1f  %10.0f  %s\n" "$n" "$p" "$(echo "$end - $start" | bc)" "$cpu" "$((mem / 1024))" "$same"
done
