#!/bin/bash
# Issue 10 closing pass on a quiet machine: the build before issue 10 (BASE_JAR) and the current one (NEW_JAR)
# alternated, the same bench for both; every standalone path of the issue, three runs each, then one profiled run
# of each path whose target is missed. Cluster runs: bench/cluster-vs-standalone.sh (see docs/performance.md).
#   BASE_JAR=... [NEW_JAR=...] [OUT=...] bench/issue10-final.sh
cd "$(dirname "$0")/.."
OUT=${OUT:-bench/results/issue10-final}
mkdir -p "$OUT"
jar() { if [ $1 = base ]; then echo ${BASE_JAR:?set BASE_JAR to the build before issue 10}; else echo ${NEW_JAR:-herald-server/target/herald.jar}; fi; }
HOLD_JVM="-Xmx1g -Xms1g -XX:+UseG1GC -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=256m -Dio.netty.recycler.maxCapacityPerThread=0"
bench() { # $1 = name, rest = bench arguments
  local name=$1; shift
  echo "== $name $(uptime)"
  bin/herald bench "$@" --results-dir "$OUT/$name" > "$OUT/$name.log" 2>&1 || echo "   $name failed: see $OUT/$name.log"
}
for i in 1 2 3; do
  for J in base new; do
    bench p2p-single-$J-$i p2p --server-jar $(jar $J) --qos 1 --devices 1000 --duration 8s --warmup 3s --rate 0
    bench p2p-batch-$J-$i p2p --server-jar $(jar $J) --qos 1 --devices 1000 --duration 8s --warmup 3s --rate 0 --batch 100
    bench upstream-$J-$i upstream --server-jar $(jar $J) --devices 200 --rate 5000 --duration 10s
    bench hold-$J-$i hold --server-jar $(jar $J) --devices 10000 --hold 5s --processes 1 --server-jvm-args "$HOLD_JVM"
    bench connect-$J-$i connect --server-jar $(jar $J) --devices 10000 --rate 0 --reconnect-round
  done
done
for J in base new; do
  bench connect-paced-$J connect --server-jar $(jar $J) --devices 10000 --rate 2000 --reconnect-round
done
bench storm-new reconnect-storm --server-jar $(jar new) --devices 19000 --messages 2000 --time-limit 240s
bench hold-tls-new hold --server-jar $(jar new) --tls --devices 4000 --hold 5s --processes 1 --server-jvm-args "$HOLD_JVM"
bench storm-tls-new reconnect-storm --server-jar $(jar new) --tls --devices 5000 --messages 500 --time-limit 240s
bench profile-p2p-single-new p2p --server-jar $(jar new) --qos 1 --devices 1000 --duration 8s --warmup 3s --rate 0 --no-baseline --profile
bench profile-p2p-batch-new p2p --server-jar $(jar new) --qos 1 --devices 1000 --duration 8s --warmup 3s --rate 0 --batch 100 --no-baseline --profile
bench profile-upstream-new upstream --server-jar $(jar new) --devices 200 --rate 5000 --duration 10s --profile
echo "== done $(uptime)"
