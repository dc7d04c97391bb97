#!/bin/bash
# Issue 10 quiet-machine pass: an old and a new server jar alternated, the same bench for both (OLD_JAR=... [NEW_JAR=...] bench/issue10-quiet.sh).
cd "$(dirname "$0")/.."
OUT=${OUT:-bench/results/issue10-quiet-run}
mkdir -p "$OUT"
jar() { if [ $1 = old ]; then echo ${OLD_JAR:?set OLD_JAR to the old build}; else echo ${NEW_JAR:-herald-server/target/herald.jar}; fi; }
for i in 1 2 3; do
  for J in old new; do
    echo "== p2p single $J $i $(uptime)"
    bin/herald bench p2p --server-jar $(jar $J) --qos 1 --devices 1000 --duration 8s --warmup 3s --rate 0 --results-dir $OUT/p2p-single-$J-$i > $OUT/p2p-single-$J-$i.log 2>&1
    echo "== p2p batch $J $i $(uptime)"
    bin/herald bench p2p --server-jar $(jar $J) --qos 1 --devices 1000 --duration 8s --warmup 3s --rate 0 --batch 100 --results-dir $OUT/p2p-batch-$J-$i > $OUT/p2p-batch-$J-$i.log 2>&1
  done
done
for i in 1 2; do
  for J in old new; do
    echo "== upstream $J $i $(uptime)"
    bin/herald bench upstream --server-jar $(jar $J) --devices 200 --rate 5000 --duration 10s --results-dir $OUT/upstream-$J-$i > $OUT/upstream-$J-$i.log 2>&1
    echo "== hold $J $i $(uptime)"
    bin/herald bench hold --server-jar $(jar $J) --devices 10000 --hold 5s --processes 1 --server-jvm-args "-Xmx1g -Xms1g -XX:+UseG1GC -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=256m -Dio.netty.recycler.maxCapacityPerThread=0" --results-dir $OUT/hold-$J-$i > $OUT/hold-$J-$i.log 2>&1
  done
done
echo "== storm new $(uptime)"
bin/herald bench reconnect-storm --server-jar $(jar new) --devices 19000 --messages 2000 --time-limit 240s --results-dir $OUT/storm-new > $OUT/storm-new.log 2>&1
echo "== done $(uptime)"
