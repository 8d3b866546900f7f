#!/usr/bin/env bash
# voicetwin against SimPy on the same loss system (one E1, 20.34 Erlangs,
# exponential holding): the same number of calls, one core each; prints
# calls per second and two ratios. Creates its own virtual environment.
#
# - voicetwin kernel: the engine's kernel alone (event queue, clock, named
#   streams, occupancy), the same work the SimPy model does;
# - voicetwin run: the whole tool, every call also dialed, normalized,
#   routed and translated, scored for voice quality, and the run folder
#   written.
#
#   bash benches/peers/compare.sh [CALLS]      (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
calls="${1:-1000000}"
venv=target/peers-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet simpy
fi
cargo build --release --locked --quiet --bin voicetwin --example loss_kernel

# The same loss system as a voicetwin scenario, long enough for $calls calls.
hours=$(python3 -c "print(max(1, round($calls / (20.34 / 180 * 3600))))")
scenario=$(mktemp --suffix=.toml)
sed -e "s|^model = .*|model = \"$PWD/models/single-trunk-group.toml\"|" \
    -e "s|^duration = .*|duration = \"${hours}h\"|" \
    -e "s|^replications = .*|replications = 1|" \
    -e "s|^bucket = .*|bucket = \"24h\"|" \
    scenarios/single-trunk-group.toml > "$scenario"

vt=$(python3 - "$scenario" <<'PY'
import json, subprocess, sys, time, tempfile
start = time.perf_counter()
out = subprocess.run(["target/release/voicetwin", "run", sys.argv[1], "--threads", "1", "--format", "json",
                      "--out", tempfile.mkdtemp()], check=True, capture_output=True).stdout
wall = time.perf_counter() - start
s = json.loads(out)
calls = s["work"]["calls"]
print(json.dumps({"engine": "voicetwin run", "calls": calls, "blocking": s["grade_of_service"]["mean"],
                  "seconds": wall, "calls_per_second": calls / wall}))
PY
)
kernel=$(target/release/examples/loss_kernel "$calls")
sp=$("$venv/bin/python" benches/peers/simpy_loss.py "$calls")
rm -f "$scenario"
python3 - "$kernel" "$vt" "$sp" <<'PY'
import json, sys
kernel, vt, sp = (json.loads(a) for a in sys.argv[1:])
for r in (kernel, vt, sp):
    print(f"{r['engine']:<17} {r['calls']:>10} calls  {r['seconds']:8.2f} s  {r['calls_per_second']:>12,.0f} calls/s  blocking {r['blocking']*100:.3f}%")
for r in (kernel, vt):
    print(f"{r['engine']} / SimPy: {r['calls_per_second'] / sp['calls_per_second']:.1f}x calls per second")
PY
