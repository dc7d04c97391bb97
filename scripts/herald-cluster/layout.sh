# Sourced by bin/herald-cluster: the cluster's layout (how many gateways and API nodes, every port, the database
# name) and the settings file in the state directory that remembers it between commands.
#
# Every port is the port base plus a fixed offset. The default base, 20000, gives the ports of the table in
# docs/cluster-local.md; HERALD_CLUSTER_PORT_BASE (or up --port-base) moves the whole block, e.g. for a second
# cluster on the same machine. Offsets:
#   ZooKeeper 2181, Redis 6379, Kafka 9092 (and 9093, its controller), archiver ops 7400, nginx 8080 (HTTP API)
#   and 1883 (MQTT, to the gateways),
#   gateway-N: device TCP 7000+N, WebSocket 7080+N, MQTT 7100+N, internal link 7200+N, ops 7300+N
#                                                                                   (N = 1..MAX_GATEWAYS)
#   api-M: HTTP 8080+M                                                                (M = 1..MAX_API_NODES)
# The gateway blocks are 20 to 100 apart and N stops at 12; M stops at 9, below Kafka's 9092: no two ports of a
# layout meet, which set_layout checks every time.

DEFAULT_PORT_BASE=20000
MAX_PORT_BASE=$((65535 - 9093))
DEFAULT_GATEWAYS=3
MAX_GATEWAYS=12
DEFAULT_API_NODES=2
MAX_API_NODES=9
# What a gateway is sized for (its heap, the open-file check): 18,000 devices fit an open-file limit of 20,000,
# with 1,000 files left for the JVM itself.
DEFAULT_DEVICES_PER_GATEWAY=18000
MAX_DEVICES_PER_GATEWAY=1000000

settings_file="$state/cluster.env"

gateway_tcp_port() { echo $((PORT_BASE + 7000 + $1)); }
gateway_ws_port() { echo $((PORT_BASE + 7080 + $1)); }
gateway_mqtt_port() { echo $((PORT_BASE + 7100 + $1)); }
gateway_internal_port() { echo $((PORT_BASE + 7200 + $1)); }
gateway_ops_port() { echo $((PORT_BASE + 7300 + $1)); }
api_http_port() { echo $((PORT_BASE + 8080 + $1)); }

# set_layout BASE GATEWAYS API_NODES: the port variables and the component lists of that layout.
set_layout() {
  PORT_BASE="$1" GATEWAY_COUNT="$2" API_COUNT="$3"
  ZK_PORT=$((PORT_BASE + 2181))
  REDIS_PORT=$((PORT_BASE + 6379))
  KAFKA_PORT=$((PORT_BASE + 9092))
  KAFKA_CONTROLLER_PORT=$((PORT_BASE + 9093))
  ARCHIVER_OPS_PORT=$((PORT_BASE + 7400))
  NGINX_PORT=$((PORT_BASE + 8080))
  NGINX_MQTT_PORT=$((PORT_BASE + 1883))
  local i
  GATEWAYS=(); for ((i = 1; i <= GATEWAY_COUNT; i++)); do GATEWAYS+=("gateway-$i"); done
  APIS=(); for ((i = 1; i <= API_COUNT; i++)); do APIS+=("api-$i"); done
  list_components
  check_layout
}

# ROLES and COMPONENTS (in start order; down goes the other way) from GATEWAYS and APIS.
list_components() {
  ROLES=(archiver "${GATEWAYS[@]}" "${APIS[@]}")
  COMPONENTS=(zookeeper redis kafka "${ROLES[@]}" nginx)
}

# Ports a component listens on, for status, ports and the free-port check before it starts.
component_ports() {
  case "$1" in
    zookeeper) echo "$ZK_PORT" ;;
    redis) echo "$REDIS_PORT" ;;
    kafka) echo "$KAFKA_PORT $KAFKA_CONTROLLER_PORT" ;;
    archiver) echo "$ARCHIVER_OPS_PORT" ;;
    gateway-*)
      local n="${1#gateway-}"
      # ops last: bench's LocalCluster reads a gateway's ops port as its last
      echo "$(gateway_tcp_port "$n") $(gateway_ws_port "$n") $(gateway_mqtt_port "$n") $(gateway_internal_port "$n")" \
        "$(gateway_ops_port "$n")" ;;
    api-*) api_http_port "${1#api-}" ;;
    nginx) echo "$NGINX_PORT $NGINX_MQTT_PORT" ;; # HTTP first: the bench's LocalCluster reads it as nginx's port
  esac
}

# The port whose GET /health/ready says a Herald role (or, through nginx, an API node) is ready.
health_port() {
  case "$1" in
    archiver) echo "$ARCHIVER_OPS_PORT" ;;
    gateway-*) gateway_ops_port "${1#gateway-}" ;;
    api-*) api_http_port "${1#api-}" ;;
    nginx) echo "$NGINX_PORT" ;;
  esac
}

# Dies when two components of the layout would share a port: a guard against an edit of the offsets above.
check_layout() {
  local -A owner=()
  local name port
  for name in "${COMPONENTS[@]}"; do
    for port in $(component_ports "$name"); do
      [ -z "${owner[$port]:-}" ] || die "port $port would be both ${owner[$port]}'s and $name's (a bug in the layout)"
      owner[$port]="$name"
    done
  done
}

# require_count OPTION VALUE MIN MAX: dies unless VALUE is a whole number from MIN to MAX (no leading zero: bash
# arithmetic would read it as octal).
require_count() {
  [[ "$2" =~ ^(0|[1-9][0-9]{0,6})$ ]] && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] \
    || die "$1 must be a whole number from $3 to $4, was '$2'"
}

# setting KEY: its value in the settings file; empty when there is none.
setting() {
  if [ -f "$settings_file" ]; then sed -n "s/^$1=//p" "$settings_file" | tail -n 1; fi
}

# resolve_layout BASE GATEWAYS API_NODES DEVICES: sets the layout, DEVICES_PER_GATEWAY and DB_NAME. An empty
# argument means what the settings file recorded, else the default; for the base, HERALD_CLUSTER_PORT_BASE comes
# before both. Dies when the base differs from the recorded one while a part of that cluster runs.
resolve_layout() {
  local recorded_base base gateways apis devices
  recorded_base="$(setting PORT_BASE)"
  base="${1:-${HERALD_CLUSTER_PORT_BASE:-${recorded_base:-$DEFAULT_PORT_BASE}}}"
  gateways="${2:-$(setting GATEWAYS)}"
  apis="${3:-$(setting API_NODES)}"
  devices="${4:-$(setting DEVICES_PER_GATEWAY)}"
  require_count "the port base (HERALD_CLUSTER_PORT_BASE, --port-base)" "$base" 0 "$MAX_PORT_BASE"
  require_count --gateways "${gateways:=$DEFAULT_GATEWAYS}" 1 "$MAX_GATEWAYS"
  require_count --api-nodes "${apis:=$DEFAULT_API_NODES}" 1 "$MAX_API_NODES"
  require_count --devices-per-gateway "${devices:=$DEFAULT_DEVICES_PER_GATEWAY}" 1 "$MAX_DEVICES_PER_GATEWAY"
  if [ -n "$recorded_base" ] && [ "$base" != "$recorded_base" ] && anything_running; then
    die "the cluster in $state runs on port base $recorded_base, not $base: use that one (unset" \
      "HERALD_CLUSTER_PORT_BASE), run 'down' first, or use another HERALD_CLUSTER_DIR"
  fi
  set_layout "$base" "$gateways" "$apis"
  DEVICES_PER_GATEWAY="$devices"
  # The database belongs to the state directory: named once, after the base it first ran on (the default base
  # keeps the plain name), so that two clusters on one machine, and 'down --purge' of one, never share it.
  DB_NAME="$(setting DB_NAME)"
  if [ -z "$DB_NAME" ]; then
    DB_NAME=herald_cluster
    [ "$base" = "$DEFAULT_PORT_BASE" ] || DB_NAME="herald_cluster_$base"
  fi
}

# Records the layout for the next commands (and, through 'bin/herald-cluster ports', for the bench scripts).
write_settings() {
  mkdir -p "$state"
  cat >"$settings_file.tmp" <<SETTINGS
# The layout of this cluster, written by 'bin/herald-cluster up' and read by its other commands; 'down --purge'
# deletes it. Change it with up's options, not here (docs/cluster-local.md).
PORT_BASE=$PORT_BASE
GATEWAYS=$GATEWAY_COUNT
API_NODES=$API_COUNT
DEVICES_PER_GATEWAY=$DEVICES_PER_GATEWAY
DB_NAME=$DB_NAME
SETTINGS
  mv -f "$settings_file.tmp" "$settings_file"
}

# Gateways and API nodes that still have a pid file but are beyond the layout's counts (the cluster ran with more
# of them; or the settings file was lost), one name a line: status and down cover them too, up stops them.
leftover_roles() {
  local file name n
  for file in "$state"/run/gateway-*.pid "$state"/run/api-*.pid; do
    [ -f "$file" ] || continue
    name="$(basename "$file" .pid)"
    n="${name##*-}"
    [[ "$n" =~ ^[1-9][0-9]{0,2}$ ]] || continue
    case "$name" in
      gateway-*) if [ "$n" -gt "$GATEWAY_COUNT" ]; then echo "$name"; fi ;;
      api-*) if [ "$n" -gt "$API_COUNT" ]; then echo "$name"; fi ;;
    esac
  done | sort -V
}

# Adds the leftover gateways and API nodes to GATEWAYS, APIS, ROLES and COMPONENTS.
include_leftovers() {
  local name
  while read -r name; do
    case "$name" in
      gateway-*) GATEWAYS+=("$name") ;;
      api-*) APIS+=("$name") ;;
    esac
  done < <(leftover_roles)
  list_components
}
