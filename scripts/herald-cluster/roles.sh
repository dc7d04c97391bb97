# Sourced by bin/herald-cluster: the Herald roles (archiver, gateways, API nodes), started through bin/herald, and
# what a gateway holding many devices needs (its JVM options, the open-file limit).

# Options every Herald role gets for the database; no --jdbc-password when it is empty (both local servers
# trust 127.0.0.1).
jdbc_options() {
  printf '%s\n' --jdbc-url "$JDBC_URL" --jdbc-user "$JDBC_USER"
  [ -z "$JDBC_PASSWORD" ] || printf '%s\n' --jdbc-password "$JDBC_PASSWORD"
}

# The JVM options of a gateway sized for DEVICES_PER_GATEWAY devices, as README's "Large fleets" sizes a node: a
# fixed heap of three times 3 KB per device plus 512 MB, rounded up to 64 MB (704 MB for 18,000 devices), G1,
# Netty's direct memory capped, its per-thread object pools off. No -XX:+AlwaysPreTouch: twelve gateways would
# commit their whole heaps at start even when they hold a handful of devices; a measured run adds it.
default_gateway_java_opts() {
  local heap_mb=$(((DEVICES_PER_GATEWAY * 9 / 1024 + 512 + 63) / 64 * 64))
  echo "-Xms${heap_mb}m -Xmx${heap_mb}m -XX:+UseG1GC -XX:MaxDirectMemorySize=256m" \
    "-Dio.netty.recycler.maxCapacityPerThread=0"
}

# The gateways' JVM options of the last up, for restart-gateway: a gateway restarted alone must run as its peers.
remember_gateway_java_opts() { printf '%s\n' "$GATEWAY_JAVA_OPTS" >"$state/conf/gateway-java-opts"; }
recorded_gateway_java_opts() {
  if [ -s "$state/conf/gateway-java-opts" ]; then cat "$state/conf/gateway-java-opts"; else default_gateway_java_opts; fi
}

# check_open_files EXPLICIT: a gateway holds one file per device plus about 1,000 of its own (jars, epoll, links
# to Redis, ZooKeeper, Kafka, the API nodes and the database, its log). The JVM raises its soft open-file limit to
# the hard one at start (-XX:+MaxFDLimit, on by default), so the hard limit of this shell is what a gateway gets.
# Below DEVICES_PER_GATEWAY + 1000 it warns, or, when --devices-per-gateway was given (EXPLICIT true), fails.
check_open_files() {
  local explicit="$1" limit need=$((DEVICES_PER_GATEWAY + 1000)) fits message
  limit="$(ulimit -Hn)"
  if [[ "$GATEWAY_JAVA_OPTS" == *-XX:-MaxFDLimit* ]]; then limit="$(ulimit -Sn)"; fi
  [ "$limit" = unlimited ] && return 0
  [ "$limit" -ge "$need" ] && return 0
  fits=$((limit > 1100 ? limit - 1000 : 100))
  message="a gateway sized for $DEVICES_PER_GATEWAY devices needs about $need open files, but a process may open"
  message+=" $limit here (ulimit -Hn). Raise the limit in the shell that runs up (as root: ulimit -Hn $need;"
  message+=" ulimit -Sn $need; for good: 'nofile' in /etc/security/limits.conf, LimitNOFILE= of a systemd unit,"
  message+=" docker run --ulimit nofile=$need:$need), or pass --devices-per-gateway $fits"
  if "$explicit"; then die "$message"; fi
  warn "$message (a gateway runs out of files at about $fits devices)"
}

# The Herald roles are started through bin/herald (which execs java); their arguments are built into arrays.
# Every device of this local cluster connects from 127.0.0.1: the per-address limits (connections on the gateways,
# registrations on the API nodes) would treat the whole fleet as one source, so they are off here. nginx (on
# 127.0.0.1 too) puts a PROXY protocol header in front of each MQTT connection it passes on, which the gateways read
# from 127.0.0.1 (--proxy-protocol-from); a device connecting to a gateway directly sends none, and that works too.
# A gateway's JVM options replace HERALD_JAVA_OPTS (two garbage collectors named at once would stop the JVM); they
# are on the first line of its log.
launch_gateway() {
  local n="${1#gateway-}" jdbc
  mapfile -t jdbc < <(jdbc_options)
  launch "$1" env HERALD_JAVA_OPTS="$GATEWAY_JAVA_OPTS" \
    "$root/bin/herald" gateway --gateway-id "g$n" --bind 127.0.0.1 --public-host 127.0.0.1 \
    --tcp-port "$(gateway_tcp_port "$n")" --ws-port "$(gateway_ws_port "$n")" --mqtt-port "$(gateway_mqtt_port "$n")" \
    --internal-port "$(gateway_internal_port "$n")" --ops-port "$(gateway_ops_port "$n")" --weight 1 \
    --zookeeper "127.0.0.1:$ZK_PORT" --redis "redis://127.0.0.1:$REDIS_PORT/0" --kafka "127.0.0.1:$KAFKA_PORT" \
    "${jdbc[@]}" --cluster-secret-file "$cluster_secret_file" --max-connections-per-address 0 \
    --proxy-protocol-from 127.0.0.1
}

launch_api() {
  local n="${1#api-}" jdbc
  mapfile -t jdbc < <(jdbc_options)
  launch "$1" "$root/bin/herald" api --node-number "$n" --bind 127.0.0.1 --http-port "$(api_http_port "$n")" \
    --zookeeper "127.0.0.1:$ZK_PORT" --redis "redis://127.0.0.1:$REDIS_PORT/0" --kafka "127.0.0.1:$KAFKA_PORT" \
    --events-topic herald.events "${jdbc[@]}" --cluster-secret-file "$cluster_secret_file" --routing consistent-hash \
    --api-key-file "$api_key_file" --trusted-proxies 127.0.0.1 --registrations-per-address off
}

launch_archiver() {
  local jdbc
  mapfile -t jdbc < <(jdbc_options)
  launch archiver "$root/bin/herald" archiver --kafka "127.0.0.1:$KAFKA_PORT" "${jdbc[@]}" \
    --ops-port "$ARCHIVER_OPS_PORT"
}

# bin/herald builds the jar when the sources are newer; doing it here, once, keeps a dozen roles from starting a
# dozen builds at the same time.
build_herald() {
  local t0 help role; t0="$(now_ms)"
  help="$("$root/bin/herald" --help)" || die "building Herald failed (see Maven's output above)"
  # The help's command list names every role the jar has ("  gateway     Cluster role: ...").
  for role in gateway api archiver; do
    grep -qE "^ +$role( |$)" <<<"$help" \
      || die "this Herald build has no '$role' role (java -jar $jar --help lists the roles it has)"
  done
  say "$(printf '%-10s ready in %ss' "herald.jar" "$(seconds_since "$t0")")"
}
