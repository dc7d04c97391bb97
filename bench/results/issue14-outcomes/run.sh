#!/usr/bin/env bash
# p2p QoS 1 single and batch-100 pushes, base (main 25fb4b4) and new (events branch) alternated, 3 runs each.
set -u
cd /work/wt/events
BASE=/tmp/events-base/herald-server/target/herald.jar
NEW=/work/wt/events/herald-server/target/herald.jar
OUT=/tmp/events-bench
mkdir -p $OUT
for i in 1 2 3; do
  for which in base new; do
    jar=$BASE; [ $which = new ] && jar=$NEW
    for mode in single batch; do
      extra=""; [ $mode = batch ] && extra="--batch 100"
      echo "== run $i $which $mode $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)" | tee -a $OUT/runs.log
      bin/herald bench p2p --server-jar $jar --qos 1 --devices 1000 --duration 8s --warmup 3s --rate 0 \
        --no-baseline $extra --results-dir $OUT/$which-$mode-$i > $OUT/$which-$mode-$i.log 2>&1
      echo "   exit $?" | tee -a $OUT/runs.log
    done
  done
done
