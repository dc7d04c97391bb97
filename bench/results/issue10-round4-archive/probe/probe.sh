#!/usr/bin/env bash
# probe.sh name group rate secs [jvm -D opts...] -- [sql...]
name=$1; group=$2; rate=$3; secs=$4; shift 4
jvm=(); while [ $# -gt 0 ] && [ "$1" != "--" ]; do jvm+=("$1"); shift; done; shift
java -Xmx2g -XX:+UseG1GC "${jvm[@]}" -cp "/tmp/probe/out:/work/wt/archive/herald-store-jdbc/target/classes:/work/wt/jars/new/lib/*" io.herald.store.jdbc.ArchiveInsertProbe $group $rate $secs "$@" > /tmp/probe/$name.log 2>&1
echo "$name: $(grep -E "rows=|threads" /tmp/probe/$name.log | tr "\n" " ")"
