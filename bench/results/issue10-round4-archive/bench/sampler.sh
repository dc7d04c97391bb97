#!/usr/bin/env bash
# waits for the bench's standalone server, then snapshots its threads' CPU ticks every second
out=$1; : > $out
for i in $(seq 1 200); do
  pid=$(pgrep -f "herald.jar standalone --bind 127.0.0.1" | head -1); [ -n "$pid" ] && break; sleep 0.2
done
while [ -d /proc/$pid ]; do
  t=$(date +%s)
  for task in /proc/$pid/task/*; do
    s=$(cat $task/stat 2>/dev/null) || continue
    c=$(cat $task/comm 2>/dev/null | tr ' ' '_')
    rest=${s##*) }; set -- $rest
    echo "$t ${task##*/} $c ${12} ${13}" >> $out
  done
  sleep 1
done
