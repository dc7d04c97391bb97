#!/bin/bash
# Issue 13 part 6: Herald's MQTT listener side by side with the Mosquitto broker, each scenario RUNS times
# (bench/mqtt-vs-mosquitto.sh; DEVICES=5000 RUNS=3 OUT=... to change). Each run starts its own Mosquitto on a private
# port and its own Herald server with --mqtt-port; bench/mqtt-summary.py prints the medians and spreads.
cd "$(dirname "$0")/.."
OUT=${OUT:-bench/results/mqtt-vs-mosquitto-$(date -u +%Y%m%d-%H%M%S)}
DEVICES=${DEVICES:-5000}
RUNS=${RUNS:-3}
mkdir -p "$OUT"
for i in $(seq 1 "$RUNS"); do
  echo "== mqtt-connect $i $(uptime)"
  bin/herald bench mqtt-connect --devices "$DEVICES" --results-dir "$OUT/connect-$i" > "$OUT/connect-$i.log" 2>&1
  echo "== mqtt-hold $i $(uptime)"
  bin/herald bench mqtt-hold --devices "$DEVICES" --hold 10s --results-dir "$OUT/hold-$i" > "$OUT/hold-$i.log" 2>&1
  echo "== mqtt-p2p $i $(uptime)"
  bin/herald bench mqtt-p2p --devices "$DEVICES" --qos 1 --rate 2000 --duration ${P2P_DURATION:-6s} --warmup 3s \
    --results-dir "$OUT/p2p-$i" > "$OUT/p2p-$i.log" 2>&1
  echo "== mqtt-fanout $i $(uptime)"
  bin/herald bench mqtt-fanout --devices "$DEVICES" --qos 1 --rounds 5 --results-dir "$OUT/fanout-$i" \
    > "$OUT/fanout-$i.log" 2>&1
done
echo "== done $(uptime)"
