#!/usr/bin/env bash
# Runs the same bench scenarios against the local cluster (bin/herald-cluster up: nginx in front of the API nodes,
# the gateways; HERALD_CLUSTER_DIR names the state directory of another one) and against a standalone server the
# bench starts itself, one after the other in this script, and prints cluster/standalone ratios. Both on this one
# machine: the cluster's JVMs share its cores with the device simulator, so the ratios say what the extra hops
# cost here, not what more machines would add.
#   bench/cluster-vs-standalone.sh [devices] [--p2p-only] [--batch N] [--rate R] [--server-jar JAR]
#   (default 2000 devices; the cluster must be up)
# --p2p-only: only the point-to-point runs (QoS 1, 500/s and max rate, 10 s each): about 1.5 minutes, not 4.
# --batch N: the p2p runs send N messages per POST /api/v1/push/batch request (bench p2p --batch), default 1.
# --rate R: the p2p runs' offered rate before the max-rate run (default 500); 0 runs the max-rate run only.
# --server-jar: the jar of the standalone server (default: this checkout's build); to compare builds, start the
#   cluster on the same one: HERALD_JAR=JAR bin/herald-cluster up.
# The cluster's server CPU figures sum every process of it (API nodes, gateways, archiver, ZooKeeper, Redis, Kafka,
# nginx and the database server), as the standalone's are its one process.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
devices=2000
p2p_only=false
server_jar=()
p2p_extra=()
rate=500
while [ $# -gt 0 ]; do
  case "$1" in
    --p2p-only) p2p_only=true ;;
    --server-jar) server_jar=(--server-jar "$2"); shift ;;
    --batch) p2p_extra+=(--batch "$2"); shift ;;
    --rate) rate="$2"; shift ;;
    [0-9]*) devices="$1" ;;
    *) echo "unknown option: $1 (see the head of $0)" >&2; exit 2 ;;
  esac
  shift
done
state="${HERALD_CLUSTER_DIR:-$root/.cluster}"
key_file="$state/secrets/api-key"
[ -f "$key_file" ] || { echo "no cluster: run bin/herald-cluster up first" >&2; exit 1; }
nginx_port="$(bin/herald-cluster ports | awk '$1 == "nginx" { print $2 }')"
out="bench/results/cluster-vs-standalone-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out/cluster" "$out/standalone"

# Every process of the cluster: each component runs in a session of its own (bin/herald-cluster starts it with
# setsid), nginx's workers included; and the database server's processes.
cluster_pids() {
  local pid_file sid
  for pid_file in "$state"/run/*.pid; do
    sid="$(cat "$pid_file")"
    ps -o pid= -s "$sid" 2>/dev/null || true
  done
  case "$(cat "$state/database" 2>/dev/null)" in
    mariadb) pidof mariadbd mysqld 2>/dev/null | tr ' ' '\n' ;;
    postgres) pgrep -u postgres 2>/dev/null || true ;;
  esac
}

run() { # $1 = cluster|standalone, rest = scenario and its options
  local target="$1"; shift
  local extra=()
  [ "$1" = connect ] || extra+=(--no-baseline)
  if [ "$target" = cluster ]; then
    extra+=(--api "http://127.0.0.1:$nginx_port" --api-key "$(cat "$key_file")"
            --cpu-pids "$(cluster_pids | awk 'NF {printf "%s%s", sep, $1; sep=","}')")
  else
    extra+=("${server_jar[@]}")
  fi
  echo "== $target: $*" >&2
  bin/herald bench "$@" "${extra[@]}" --results-dir "$out/$target" > "$out/$target/$1.txt" 2>&1 \
    || { echo "   failed, see $out/$target/$1.txt" >&2; tail -5 "$out/$target/$1.txt" >&2; }
}

for target in cluster standalone; do
  if $p2p_only; then
    run "$target" p2p --devices "$devices" --qos 1 --rate "$rate" --duration 10s "${p2p_extra[@]}"
    continue
  fi
  run "$target" p2p --devices "$devices" --qos 1 --rate "$rate" --duration 15s "${p2p_extra[@]}"
  run "$target" broadcast --devices "$devices"
  run "$target" connect --devices "$devices"
done

python3 - "$out" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
def load(target, scenario):
    files = sorted(glob.glob(os.path.join(out, target, scenario + "-*.json")))
    return json.load(open(files[-1])) if files else None
def walk(prefix, node, acc):
    if isinstance(node, dict):
        for k, v in node.items():
            walk(prefix + "." + k if prefix else k, v, acc)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        acc[prefix] = node
wanted = ("PerSecond", "latencyMs.p50", "latencyMs.p99", "lost", "duplicates", "roundTo100PercentMs",
          "failed", "connected", "serverCpuMicrosPerMessage")
print(f"{'scenario / run / figure':70} {'cluster':>12} {'standalone':>12} {'ratio':>7}")
for scenario in ("p2p", "broadcast", "connect"):
    c, s = load("cluster", scenario), load("standalone", scenario)
    if not c or not s:
        if c or s:
            print(f"{scenario}: missing report")
        continue
    for rc, rs in zip(c["runs"], s["runs"]):
        fc, fs = {}, {}
        walk("", rc["herald"], fc); walk("", rs["herald"], fs)
        for key in fc:
            if key in fs and any(key.endswith(w) for w in wanted):
                ratio = f"{fc[key] / fs[key]:.2f}" if fs[key] else "-"
                print(f"{scenario + ' / ' + rc['name'] + ' / ' + key:70} {fc[key]:12.1f} {fs[key]:12.1f} {ratio:>7}")
    print(f"{'  load average start/end':70} {c['machine']['loadAverageAtStart']:6.1f}/{c['machine']['loadAverageAtEnd']:<5.1f} "
          f"{s['machine']['loadAverageAtStart']:6.1f}/{s['machine']['loadAverageAtEnd']:<5.1f}")
PY
echo "reports: $out" >&2
