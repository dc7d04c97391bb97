#!/usr/bin/env bash
# Where a cluster push's CPU goes: runs one p2p QoS 1 bench against the local cluster (bin/herald-cluster up) while
# recording every Herald JVM of it with JFR, and prints per delivered message: CPU of each process, Redis commands
# (INFO commandstats), database statements and log flushes (MariaDB: Com_*, Innodb_os_log_fsyncs; PostgreSQL:
# pg_stat_database commits and WAL syncs). The recordings stay in the results directory (jfr print / JMC).
#   bench/cluster-profile.sh [devices] [duration]      (defaults 1000, 10s)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
devices="${1:-1000}"
duration="${2:-10s}"
state="${HERALD_CLUSTER_DIR:-$root/.cluster}"
key_file="$state/secrets/api-key"
[ -f "$key_file" ] || { echo "no cluster: run bin/herald-cluster up first" >&2; exit 1; }
db="$(cat "$state/database")"
db_name="$(sed -n 's/^DB_NAME=//p' "$state/cluster.env" 2>/dev/null)"
db_name="${db_name:-herald_cluster}"   # a cluster started before bin/herald-cluster wrote cluster.env
port_of() { bin/herald-cluster ports | awk -v c="$1" '$1 == c { print $2 }'; }
nginx_port="$(port_of nginx)"
redis_port="$(port_of redis)"
out="bench/results/cluster-profile-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
# Every API node and gateway of the cluster (bin/herald-cluster up --api-nodes, --gateways).
mapfile -t jvms < <(bin/herald-cluster ports | awk '$1 ~ /^(api|gateway)-/ { print $1 }')

ticks() { # $1 = pid: user + system clock ticks of its whole session (nginx's workers too)
  ps -o pid= -s "$1" | while read -r p; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true; done \
    | awk '{s += $1} END {print s + 0}'
}
db_pids() {
  case "$db" in
    mariadb) pidof mariadbd mysqld ;;
    postgres) pgrep -u postgres | tr '\n' ' ' ;;
  esac
}
db_counters() {
  case "$db" in
    mariadb) mysql -h 127.0.0.1 -u root -N -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_insert',
      'Com_delete','Com_select','Com_commit','Com_savepoint','Com_release_savepoint','Innodb_os_log_fsyncs',
      'Innodb_data_fsyncs','Questions')" ;;
    postgres) psql -h 127.0.0.1 -U postgres -At -F $'\t' -c "SELECT 'xact_commit', xact_commit FROM
      pg_stat_database WHERE datname = '$db_name' UNION ALL SELECT 'tup_inserted', tup_inserted FROM
      pg_stat_database WHERE datname = '$db_name' UNION ALL SELECT 'tup_deleted', tup_deleted FROM
      pg_stat_database WHERE datname = '$db_name' UNION ALL SELECT 'wal_sync', wal_sync FROM pg_stat_wal" ;;
  esac
}

pushes_seen() { # Redis MGETs so far: an API node looks up a push's targets with one; logins use none
  redis-cli -p "$redis_port" INFO commandstats | sed -n 's/^cmdstat_mget:calls=\([0-9]*\),.*/\1/p' | grep . || echo 0
}

# Registration, login and connecting are not what is measured: the counters start with the first push (of the
# bench's 3 s warm-up, which is counted in below).
redis-cli -p "$redis_port" CONFIG RESETSTAT > /dev/null
bin/herald bench p2p --devices "$devices" --qos 1 --rate 0 --warmup 3s --duration "$duration" --no-baseline \
  --concurrency 32 --api "http://127.0.0.1:$nginx_port" --api-key "$(cat "$key_file")" --results-dir "$out" \
  > "$out/p2p.txt" 2>&1 &
bench=$!
while [ "$(pushes_seen)" -eq 0 ]; do
  kill -0 "$bench" 2>/dev/null || { echo "the bench ended before it pushed: $out/p2p.txt" >&2; exit 1; }
  sleep 0.1
done
declare -A before
for name in "$state"/run/*.pid; do
  component="$(basename "$name" .pid)"
  before[$component]="$(ticks "$(cat "$name")")"
done
db_before=0; for p in $(db_pids); do db_before=$((db_before + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
db_counters > "$out/db-before.txt"
redis-cli -p "$redis_port" CONFIG RESETSTAT > /dev/null
for component in "${jvms[@]}"; do
  jcmd "$(cat "$state/run/$component.pid")" JFR.start name=push settings=profile \
    filename="$root/$out/$component.jfr" > /dev/null
done
wait "$bench" || { echo "the bench failed: $out/p2p.txt" >&2; exit 1; }

for component in "${jvms[@]}"; do
  jcmd "$(cat "$state/run/$component.pid")" JFR.stop name=push > /dev/null
done
redis-cli -p "$redis_port" INFO commandstats > "$out/redis-commandstats.txt"
db_counters > "$out/db-after.txt"
db_after=0; for p in $(db_pids); do db_after=$((db_after + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done

# The bench counts messages of its recorded runs only; the warm-up pushed at about the same rate, so the counts
# below are divided by the recorded ones scaled up by the warm-up's share of the time.
delivered="$(python3 -c "import json,glob; r=json.load(open(sorted(glob.glob('$out/p2p-*.json'))[-1])); \
print(sum(x['herald']['delivered'] for x in r['runs']))")"
warmup_share="$(python3 -c "print(1 + 3 / float('${duration%s}'))")"
messages="$(python3 -c "print(round($delivered * $warmup_share))")"
echo "delivered (recorded runs) $delivered; with the warm-up about $messages; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %12s\n' process "us CPU/msg"
for name in "$state"/run/*.pid; do
  component="$(basename "$name" .pid)"
  after="$(ticks "$(cat "$name")")"
  printf '%-12s %12.1f\n' "$component" "$(python3 -c "print(($after - ${before[$component]}) * 1e4 / $messages)")"
done
printf '%-12s %12.1f\n' "$db" "$(python3 -c "print(($db_after - $db_before) * 1e4 / $messages)")"
echo "redis commands per message:"
grep '^cmdstat' "$out/redis-commandstats.txt" | sed 's/cmdstat_\([a-z|]*\):calls=\([0-9]*\),usec=\([0-9]*\).*/\1 \2 \3/' \
  | awk -v m="$messages" '{printf "  %-10s %8.3f calls, %6.1f us\n", $1, $2 / m, $3 / m}'
echo "database per message:"
paste "$out/db-before.txt" "$out/db-after.txt" | awk -v m="$messages" '{printf "  %-24s %8.3f\n", $1, ($4 - $2) / m}'
echo "recordings: $out/*.jfr"
