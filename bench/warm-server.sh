#!/bin/bash
# Issue 10's per-device paths measured on a server that has been running, as a fleet's servers are: one standalone
# server process, started once, takes round after round of each load through --api/--server-pid; the first rounds
# are the server's warm-up (its JIT compiles, serverJitCpuPercent falls), the last ones are its steady state. Each
# bench process is itself warmed up first where the scenario allows it (connect: --warmup-devices).
#   [JAR=herald-server/target/herald.jar] [OUT=bench/results/warm-server] [ROUNDS=6] bench/warm-server.sh
# Figures: "Cold and warm server" in docs/performance.md. Takes about 20 minutes.
set -u
cd "$(dirname "$0")/.."
JAR=${JAR:-herald-server/target/herald.jar}
OUT=${OUT:-bench/results/warm-server}
ROUNDS=${ROUNDS:-6}
HTTP_PORT=${HTTP_PORT:-18700}
TCP_PORT=${TCP_PORT:-18701}
KEY=warm-server-bench-key-$RANDOM$RANDOM
DATA=$(mktemp -d /tmp/herald-warm-server.XXXXXX)
mkdir -p "$OUT"
[ -f "$JAR" ] || { echo "no server jar at $JAR: build it (mvn -B install -DskipTests) or set JAR" >&2; exit 2; }

java -Xmx2g -XX:+UseG1GC -jar "$JAR" standalone --bind 127.0.0.1 --http-port $HTTP_PORT --tcp-port $TCP_PORT \
    --ws-port -1 --data-dir "$DATA/data" --api-key $KEY --heartbeat 30s --io-threads 0 \
    --max-connections-per-address 0 --upstream-messages-per-second 0 --upstream-bytes-per-second 0 \
    --registrations-per-address off --drain-window 0s > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 60); do
  grep -q "standalone ready" "$OUT/server.log" && break
  kill -0 $SERVER 2>/dev/null || { echo "the server did not start: $OUT/server.log" >&2; exit 1; }
  sleep 1
done
grep -q "standalone ready" "$OUT/server.log" || { echo "the server did not start within 60 s: $OUT/server.log" >&2; exit 1; }

round() { # $1 = name, rest = bench arguments
  local name=$1; shift
  bin/herald bench "$@" --api http://127.0.0.1:$HTTP_PORT --api-key $KEY --server-pid $SERVER \
      --results-dir "$OUT/$name" > "$OUT/$name.log" 2>&1 || echo "   $name failed: see $OUT/$name.log"
  printf '%-22s load %-5s %s\n' "$name" "$(cut -d' ' -f1 /proc/loadavg)" \
      "$(grep -E '^(serverCpuMicrosPer|serverJitCpuPercent|deliveredPerSecond |ackedPerSecond |connectsPerSecond |latencyMs.p99 |lost )' \
          "$OUT/$name.log" | awk '{printf "%s %s  ", $1, $2}')"
}
echo "== server pid $SERVER, $(uptime)"
for i in $(seq $ROUNDS); do round p2p-single-$i p2p --qos 1 --devices 1000 --duration 30s --warmup 0s --rate 0 --no-baseline; done
for i in $(seq $ROUNDS); do round p2p-batch-$i p2p --qos 1 --devices 1000 --duration 20s --warmup 0s --rate 0 --batch 100 --no-baseline; done
for i in $(seq $ROUNDS); do round connect-$i connect --devices 10000 --rate 0 --warmup-devices 10000; done
for i in $(seq $ROUNDS); do round connect-paced-$i connect --devices 10000 --rate 2000 --warmup-devices 10000; done
for i in $(seq $ROUNDS); do round upstream-$i upstream --devices 200 --rate 5000 --duration 15s; done
# The bare-Netty baseline of the same pushes (a process of its own, started by the bench), for the ratio.
bin/herald bench baseline-p2p --qos 1 --devices 1000 --duration 20s --warmup 10s --rate 0 \
    --results-dir "$OUT/baseline-p2p" > "$OUT/baseline-p2p.log" 2>&1 || echo "   baseline-p2p failed: see $OUT/baseline-p2p.log"
printf '%-22s load %-5s %s\n' baseline-p2p "$(cut -d' ' -f1 /proc/loadavg)" \
    "$(grep -E '^(serverCpuMicrosPerMessage|deliveredPerSecond )' "$OUT/baseline-p2p.log" | awk '{printf "%s %s  ", $1, $3}')"
echo "== done $(uptime)"
