# Sourced by bin/herald-cluster: 'up --monitoring' runs a Prometheus (Debian's prometheus package) on port base +
# 9090 that scrapes every node of the cluster and evaluates deploy/prometheus/herald-alerts.yml. Its configuration is
# written into the state directory (conf/prometheus.yml) for the layout of each up: a running Prometheus is reloaded
# (SIGHUP) when the layout changed, and a later up without --monitoring keeps it. Its data is in data/prometheus;
# 'down' stops it, 'down --purge' deletes both. docs/monitoring.md has the dashboard and the alerts.

PROMETHEUS_TIMEOUT=30
prometheus_conf="$state/conf/prometheus.yml"
prometheus_rules="$root/deploy/prometheus/herald-alerts.yml"

prometheus_port() { echo $((PORT_BASE + 9090)); }

# One scrape job per role, named as deploy/prometheus/herald-alerts.yml expects (herald-gateway, herald-api,
# herald-archiver); the nodes' metrics carry their own role and node labels.
write_prometheus_conf() {
  local name gateways="" apis=""
  for name in "${GATEWAYS[@]}"; do gateways+="'127.0.0.1:$(health_port "$name")', "; done
  for name in "${APIS[@]}"; do apis+="'127.0.0.1:$(health_port "$name")', "; done
  cat >"$1" <<CONF
# Written by bin/herald-cluster for $GATEWAY_COUNT gateway(s) and $API_COUNT API node(s), port base $PORT_BASE.
global:
  scrape_interval: 5s
  scrape_timeout: 4s
  evaluation_interval: 15s
rule_files:
  - '$prometheus_rules'
scrape_configs:
  - job_name: herald-gateway
    static_configs:
      - targets: [${gateways%, }]
  - job_name: herald-api
    static_configs:
      - targets: [${apis%, }]
  - job_name: herald-archiver
    static_configs:
      - targets: ['127.0.0.1:$(health_port archiver)']
CONF
}

# Dies when Prometheus is to be started and its port is taken; up calls it before it starts anything.
check_prometheus_port() {
  running_pid prometheus >/dev/null && return 0
  if port_open "$(prometheus_port)"; then
    die "prometheus: port $(prometheus_port) on 127.0.0.1 is in use by another process (see: ss -ltnp" \
      "'sport = :$(prometheus_port)')"
  fi
}

prometheus_ready() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$(prometheus_port)/-/ready" 2>/dev/null; }

# "up 8 of 8": the targets whose last scrape succeeded, of the targets Prometheus has; empty when it does not answer.
prometheus_targets() {
  local json
  json="$(curl -fsS --max-time 2 "http://127.0.0.1:$(prometheus_port)/api/v1/targets?state=active" 2>/dev/null)" \
    || return 0
  printf 'up %s of %s' "$(grep -o '"health":"up"' <<<"$json" | wc -l)" "$(grep -o '"health":"' <<<"$json" | wc -l)"
}

# start_prometheus: starts Prometheus on this layout's configuration, or reloads a running one whose layout changed.
start_prometheus() {
  local next="$prometheus_conf.next" pid t0 deadline
  mkdir -p "$state/conf"
  write_prometheus_conf "$next"
  if ! promtool check config "$next" >"$state/logs/prometheus-check.log" 2>&1; then
    sed 's/^/    /' "$state/logs/prometheus-check.log" >&2
    die "promtool refuses the Prometheus configuration written for this layout ($next)"
  fi
  if pid="$(running_pid prometheus)"; then
    if cmp -s "$next" "$prometheus_conf"; then
      rm -f "$next"
      say "$(printf '%-10s already running (pid %s)' prometheus "$pid")"
    else
      mv -f "$next" "$prometheus_conf"
      kill -HUP "$pid"
      say "$(printf '%-10s reloaded (pid %s): %s gateway(s), %s API node(s)' prometheus "$pid" "$GATEWAY_COUNT" \
        "$API_COUNT")"
    fi
    return 0
  fi
  mv -f "$next" "$prometheus_conf"
  check_prometheus_port
  t0="$(now_ms)"
  launch prometheus prometheus --config.file="$prometheus_conf" --storage.tsdb.path="$(data_dir prometheus)" \
    --web.listen-address="127.0.0.1:$(prometheus_port)" --storage.tsdb.retention.time=7d
  pid="$(cat "$(pid_file prometheus)")"
  deadline=$((t0 + PROMETHEUS_TIMEOUT * 1000))
  until prometheus_ready; do
    if ! alive "$pid" || [ "$(now_ms)" -ge "$deadline" ]; then
      stop_prometheus
      fail prometheus "not ready within ${PROMETHEUS_TIMEOUT}s"
    fi
    sleep 0.2
  done
  say "$(printf '%-10s up (pid %s) in %ss: http://127.0.0.1:%s' prometheus "$pid" "$(seconds_since "$t0")" \
    "$(prometheus_port)")"
}

stop_prometheus() { stop_components 10 prometheus; }

# Whether this cluster has monitoring: a Prometheus was started for it and not purged since.
monitoring_configured() { [ -f "$prometheus_conf" ] || running_pid prometheus >/dev/null; }

# status's line for Prometheus (when the cluster has monitoring); false when it is not up.
prometheus_status() {
  monitoring_configured || return 0
  local pid state_word=down detail=""
  if pid="$(running_pid prometheus)"; then
    if prometheus_ready; then state_word=up; detail="targets $(prometheus_targets), http://127.0.0.1:$(prometheus_port)"
    else state_word=unready; fi
  else
    pid="-"
  fi
  printf '%-10s %-8s %-30s %-6s %s\n' prometheus "$pid" "$(prometheus_port)" "$state_word" "$detail"
  [ "$state_word" = up ]
}
