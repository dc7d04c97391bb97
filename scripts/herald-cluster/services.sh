# Sourced by bin/herald-cluster: the services under Herald: the ZooKeeper and Kafka jars, the database, and
# ZooKeeper, Redis and Kafka themselves.

# ---- ZooKeeper and Kafka jars (deploy/services/pom.xml), copied once -------------------------------------------
# ensure_lib zookeeper|kafka: the runtime classpath of that profile in $state/lib/<kind>. A stamp of the poms
# (the versions are the parent's) says whether the copy is current.
ensure_lib() {
  local kind="$1" dir="$state/lib/$1" stamp
  stamp="$(cat "$root/pom.xml" "$services_pom" | sha256sum | cut -d' ' -f1)"
  [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ] && return 0
  say "Copying the $kind jars into $dir (once)..."
  rm -rf "$dir"
  mkdir -p "$state/logs"
  if ! mvn -q -B -f "$services_pom" -P "$kind" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$dir" >"$state/logs/mvn-$kind.log" 2>&1; then
    tail -n 30 "$state/logs/mvn-$kind.log" >&2
    die "could not resolve the $kind jars (mvn -f deploy/services/pom.xml -P $kind dependency:copy-dependencies)"
  fi
  echo "$stamp" >"$dir/.stamp"
}

# ---- the database ------------------------------------------------------------------------------------------------
mariadb_client() { command -v mariadb || command -v mysql; }

mariadb_sql() {
  local client
  client="$(mariadb_client)" || return 1
  "$client" -h 127.0.0.1 -P "$MARIADB_PORT" -u root --connect-timeout=3 -N -B -e "$1" 2>/dev/null
}

postgres_sql() {
  command -v psql >/dev/null || return 1
  PGCONNECT_TIMEOUT=3 psql -w -X -q -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -tA -c "$1" 2>/dev/null
}

mariadb_reachable() { mariadb_sql 'SELECT 1' >/dev/null; }
postgres_reachable() { postgres_sql 'SELECT 1' >/dev/null; }
# answers_within SECONDS CHECK: CHECK passes once before the time is up. A database the running cluster already
# uses can be slow to answer a new connection on a saturated machine (the 200,000-device run's rolling restart
# failed its last gateway's restart on one 3 s timeout); it is not gone.
answers_within() {
  local deadline=$((SECONDS + $1))
  until "$2"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 1
  done
}

# Sets DB_KIND, JDBC_URL, JDBC_USER, JDBC_PASSWORD and creates the database when it is missing. The choice is
# remembered in $state/database, so a later 'up' (say, after one gateway crashed) gives the new process the
# database the others use.
choose_database() {
  local forced="$1" recorded=""
  [ -f "$state/database" ] && recorded="$(cat "$state/database")"
  if [ -n "$forced" ] && [ -n "$recorded" ] && [ "$forced" != "$recorded" ] && herald_roles_running; then
    die "the running cluster uses $recorded; run 'bin/herald-cluster down' before 'up --db $forced'"
  fi
  local kind="${forced:-}"
  if [ -z "$kind" ] && [ -n "$recorded" ] && herald_roles_running; then kind="$recorded"; fi
  if [ -z "$kind" ]; then
    if mariadb_reachable; then kind=mariadb
    elif postgres_reachable; then kind=postgres
    else
      die "no database: neither MariaDB on 127.0.0.1:$MARIADB_PORT (user root, no password) nor PostgreSQL on" \
        "127.0.0.1:$POSTGRES_PORT (user postgres, trust) answers. Start one (service mariadb start," \
        "service postgresql start) and run again."
    fi
  fi
  case "$kind" in
    mariadb)
      answers_within 30 mariadb_reachable \
        || die "MariaDB on 127.0.0.1:$MARIADB_PORT does not answer (user root, no password) within 30 s"
      mariadb_sql "CREATE DATABASE IF NOT EXISTS $DB_NAME" >/dev/null \
        || die "could not create database $DB_NAME on MariaDB"
      JDBC_URL="jdbc:mariadb://127.0.0.1:$MARIADB_PORT/$DB_NAME"; JDBC_USER=root ;;
    postgres)
      answers_within 30 postgres_reachable \
        || die "PostgreSQL on 127.0.0.1:$POSTGRES_PORT does not answer (user postgres, trust) within 30 s"
      if [ "$(postgres_sql "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
        postgres_sql "CREATE DATABASE $DB_NAME" >/dev/null || die "could not create database $DB_NAME on PostgreSQL"
      fi
      JDBC_URL="jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/$DB_NAME"; JDBC_USER=postgres ;;
    *) die "--db must be mariadb or postgres, was '$kind'" ;;
  esac
  JDBC_PASSWORD=""
  DB_KIND="$kind"
  echo "$kind" >"$state/database"
}

drop_database() {
  case "$(cat "$state/database" 2>/dev/null)" in
    mariadb) mariadb_sql "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null && say "dropped MariaDB database $DB_NAME" ;;
    postgres)
      postgres_sql "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null && say "dropped PostgreSQL database $DB_NAME" ;;
  esac || warn "could not drop database $DB_NAME (is the database server running?)"
}

# ---- secrets -----------------------------------------------------------------------------------------------------
# new_secret FILE: 32 random bytes as hex, mode 600, kept across ups (a restarted node must share the others').
new_secret() {
  [ -s "$1" ] || (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$1")
  chmod 600 "$1"
}

# ---- the components ----------------------------------------------------------------------------------------------
start_zookeeper() {
  local conf="$state/conf/zoo.cfg"
  # maxClientCnxns=0: every node of the cluster, and every bench run, connects from 127.0.0.1, and ZooKeeper
  # allows 60 connections per address by default. ruok and srvr serve the readiness check and status.
  cat >"$conf" <<EOF
tickTime=2000
dataDir=$(data_dir zookeeper)/data
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr,mntr
autopurge.purgeInterval=1
EOF
  start zookeeper "$ZK_TIMEOUT" java -Xmx256m -Dlogback.configurationFile="$root/deploy/services/logback.xml" \
    -Dzookeeper.jmx.log4j.disable=true -cp "$state/lib/zookeeper/*" \
    org.apache.zookeeper.server.ZooKeeperServerMain "$conf"
}

start_redis() {
  # Nothing on disk (--save '', no AOF): Herald keeps tokens and the session registry there, all of which the
  # devices rebuild by logging in again.
  start redis "$REDIS_TIMEOUT" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --daemonize no --dir "$(data_dir redis)"
}

start_kafka() {
  local conf="$state/conf/kafka.properties" logs
  logs="$(data_dir kafka)/kraft-logs"
  # One node, broker and controller in one process (KRaft). Replication factors 1: there is one broker.
  # auto.create.topics.enable=false: Herald creates its topic with the partitions it wants (docs/cluster-kafka.md).
  cat >"$conf" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$logs
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
EOF
  local java_opts=(-Xmx512m -Dlogback.configurationFile="$root/deploy/services/logback.xml" -cp "$state/lib/kafka/*")
  if ! running_pid kafka >/dev/null && [ ! -f "$logs/meta.properties" ]; then
    # A new log directory has to be formatted with a cluster id first (kafka-storage.sh format).
    local cluster_id
    mkdir -p "$(data_dir kafka)"
    cluster_id="$(java "${java_opts[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    java "${java_opts[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$conf" \
      >"$state/logs/kafka-format.log" 2>&1 \
      || { warn "formatting Kafka's storage failed:"; tail -n 20 "$state/logs/kafka-format.log" >&2; exit 1; }
  fi
  start kafka "$KAFKA_TIMEOUT" java "${java_opts[@]}" kafka.Kafka "$conf"
}

# Options every Herald role gets for the database; no --jdbc-password when it is empty (both local servers
