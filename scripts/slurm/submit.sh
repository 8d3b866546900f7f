#!/usr/bin/env bash
# Submits a voicetwin study to Slurm as N array tasks and a merge that
# runs once every task has succeeded (docs/cluster.md).
#
#   scripts/slurm/submit.sh -n 16 -w /shared/study [-o results] [-b /path/to/voicetwin] -- whatif n-minus-1 --k 2
#
# Prints the two job ids (array, merge). Extra sbatch options (partition,
# account, time) go in SBATCH_* environment variables, as sbatch reads them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shards=""
work=""
out="results"
bin="${VOICETWIN:-voicetwin}"
usage() { echo "usage: $0 -n SHARDS -w SHARED_DIR [-o OUT] [-b VOICETWIN] -- COMMAND ARGS..." >&2; exit 2; }
while getopts "n:w:o:b:" opt; do
  case "$opt" in
    n) shards="$OPTARG" ;;
    w) work="$OPTARG" ;;
    o) out="$OPTARG" ;;
    b) bin="$OPTARG" ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
[ -n "$shards" ] && [ -n "$work" ] && [ $# -gt 0 ] || usage
case "$shards" in ''|*[!0-9]*) echo "-n $shards: give a whole number of shards" >&2; exit 2 ;; esac
[ "$shards" -ge 1 ] || { echo "-n $shards: at least one shard" >&2; exit 2; }
mkdir -p "$work"
export VT_SHARDS="$shards" VT_WORK="$work" VT_OUT="$out" VT_ARGS="$*" VOICETWIN="$bin"
array=$(sbatch --parsable --chdir="$work" --array="0-$((shards - 1))" --export=ALL "$here/whatif.sbatch")
array="${array%%;*}"
merge=$(sbatch --parsable --chdir="$work" --dependency="afterok:$array" --export=ALL "$here/merge.sbatch")
merge="${merge%%;*}"
echo "$array $merge"
