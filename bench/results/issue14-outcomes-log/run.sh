#!/usr/bin/env bash
# p2p QoS 1 single and batch-100 pushes: pre-outcomes (25fb4b4), main (be79eee, outcomes as an H2 row per ACK) and
# this branch (outcomes in the in-flight log, moved in bulk), alternated, 3 runs each, with /work/wt/QUIET set and a
# wait for a 1-minute load average below 1 before each run (at most 240 s; the load is logged either way).
set -u
cd /work/wt/outcomes
PRE=/work/wt/outcomes-base/herald-server/target/herald.jar
MAIN=/work/wt/outcomes-main/herald-server/target/herald.jar
NEW=/work/wt/outcomes/herald-server/target/herald.jar
OUT=${OUT:-/tmp/outcomes-bench}  # then: for d in $OUT/*-*-[0-9]; do cp $d/p2p-*.json HERE/$(basename $d).json; done; summary.py HERE
mkdir -p $OUT
touch /work/wt/QUIET
trap 'rm -f /work/wt/QUIET' EXIT
for i in 1 2 3; do
  for which in pre main new; do
    case $which in pre) jar=$PRE ;; main) jar=$MAIN ;; new) jar=$NEW ;; esac
    for mode in single batch; do
      extra=""; [ $mode = batch ] && extra="--batch 100"
      for _ in $(seq 48); do
        awk '{exit !($1 < 1)}' /proc/loadavg && break
        sleep 5
      done
      echo "== run $i $which $mode $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)" | tee -a $OUT/runs.log
      bin/herald bench p2p --server-jar $jar --qos 1 --devices 1000 --duration 8s --warmup 3s --rate 0 \
        --no-baseline $extra --results-dir $OUT/$which-$mode-$i > $OUT/$which-$mode-$i.log 2>&1
      echo "   exit $?" | tee -a $OUT/runs.log
    done
  done
done
