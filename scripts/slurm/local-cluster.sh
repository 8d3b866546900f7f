#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for trying the scripts here
# and for tests/slurm.rs: munged, slurmctld and slurmd, every file under
# one folder, no cgroups, ports on 127.0.0.1 only.
#
#   scripts/slurm/local-cluster.sh start DIR   # writes DIR/slurm.conf; prints `export SLURM_CONF=...`
#   scripts/slurm/local-cluster.sh stop DIR
#
# Needs root (slurmd starts jobs as their user) and Debian's slurm-wlm
# and munge packages.
set -euo pipefail
cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
  else
    echo $((20000 + RANDOM % 20000))
  fi
}

stop() {
  for name in slurmd slurmctld munged; do
    if [ -f "$dir/$name.pid" ]; then
      pid="$(cat "$dir/$name.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
}

case "$cmd" in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac

for b in munged mungekey slurmctld slurmd sbatch scontrol; do
  command -v "$b" >/dev/null 2>&1 || { echo "$b not found: install slurm-wlm and munge" >&2; exit 3; }
done
[ "$(id -u)" -eq 0 ] || { echo "slurmd needs root" >&2; exit 3; }

dir="$(mkdir -p "$dir" && cd "$dir" && pwd)"
mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
chmod 700 "$dir/munge"
host="$(hostname -s)"
mungekey --create --keyfile="$dir/munge/munge.key" --force >/dev/null 2>&1 \
  || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed"

ctl_port="$(free_port)"
d_port="$(free_port)"
while [ "$d_port" = "$ctl_port" ]; do d_port="$(free_port)"; done
cat > "$dir/slurm.conf" <<CONF
ClusterName=voicetwin
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctl_port
SlurmdPort=$d_port
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
# Ready when the node takes jobs.
for _ in $(seq 1 100); do
  state="$(sinfo -h -n "$host" -o %t 2>/dev/null || true)"
  case "$state" in idle*|mix*|alloc*) echo "export SLURM_CONF=$SLURM_CONF"; exit 0 ;; esac
  sleep 0.2
done
echo "the node did not come up (state: ${state:-none}); logs in $dir" >&2
stop
exit 4
