# Sourced by bin/herald-cluster: nginx in front of the API nodes (HTTP) and of the gateways' MQTT ports (TCP). Its
# configuration is deploy/nginx.conf with this layout's ports: the two listen ports, one upstream server line per API
# node and one per gateway. Every up writes it into the state directory (nginx/nginx.conf); when nginx already runs
# and the file changed (other counts or another port base), nginx reloads it.

nginx_template="$root/deploy/nginx.conf"
nginx_conf="$state/nginx/nginx.conf"

# need_stream_module: sets NGINX_LOAD_MODULE to the "load_module FILE;" line the configuration needs for its stream
# block, or to nothing when this nginx has the stream module built in. Debian and Ubuntu build it as a module of its
# own (libnginx-mod-stream), installed here when missing and allowed (root with apt-get); otherwise dies naming the
# package. Called with the other checks, before anything starts.
need_stream_module() {
  local built modules file
  NGINX_LOAD_MODULE=""
  built="$(nginx -V 2>&1)"
  if grep -Eq -- '--with-stream( |$)' <<<"$built"; then
    return 0
  fi
  grep -q -- '--with-stream=dynamic' <<<"$built" \
    || die "this nginx ($(command -v nginx)) was built without the stream module, which balances the gateways'" \
      "MQTT ports: install an nginx that has it (Debian/Ubuntu: nginx-light and libnginx-mod-stream)"
  modules="$(sed -n 's/.*--modules-path=\([^ ]*\).*/\1/p' <<<"$built")"
  file="${modules:-/usr/lib/nginx/modules}/ngx_stream_module.so"
  if [ ! -f "$file" ]; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
      die "nginx's stream module ($file), which balances the gateways' MQTT ports, is not installed; install it" \
        "(Debian/Ubuntu: apt-get install libnginx-mod-stream) and run again"
    fi
    say "Installing libnginx-mod-stream (nginx's stream module, $file, is missing)..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libnginx-mod-stream >/dev/null 2>&1 \
      || { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 \
           && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libnginx-mod-stream >/dev/null 2>&1; } \
      || die "could not install libnginx-mod-stream (nginx's stream module, $file)"
    [ -f "$file" ] || die "libnginx-mod-stream is installed but $file is not there: check nginx -V's --modules-path"
  fi
  NGINX_LOAD_MODULE="load_module $file;"
}

# write_nginx_conf FILE: the template with this layout's ports into FILE. Each of the template's upstream blocks
# (herald_api, round robin; herald_console, sticky; herald_mqtt, least connections) lists "server 127.0.0.1:PORT
# options;" lines: the first gives the options of every line written (one per API node, or per gateway's MQTT
# port for herald_mqtt), the others go. The "listen 127.0.0.1:PORT;" line of the http block gets the HTTP port,
# the stream block's the MQTT port. Dies when the template lost a line this relies on.
write_nginx_conf() {
  local api_ports="" mqtt_ports="" n
  for ((n = 1; n <= API_COUNT; n++)); do api_ports+="$(api_http_port "$n") "; done
  for ((n = 1; n <= GATEWAY_COUNT; n++)); do mqtt_ports+="$(gateway_mqtt_port "$n") "; done
  {
    printf '# Written by bin/herald-cluster from %s for %s API node(s) and %s gateway(s), port base %s: edit that' \
      "$nginx_template" "$API_COUNT" "$GATEWAY_COUNT" "$PORT_BASE"
    printf ' file.\n'
    [ -z "${NGINX_LOAD_MODULE:-}" ] || printf '%s\n' "$NGINX_LOAD_MODULE"
    awk -v http="$NGINX_PORT" -v mqtt="$NGINX_MQTT_PORT" -v api_ports="$api_ports" -v mqtt_ports="$mqtt_ports" '
      BEGIN { apis = split(api_ports, api_port, " "); gateways = split(mqtt_ports, mqtt_port, " ") }
      /^stream[ \t]*\{/ { stream = 1 }
      /^[ \t]*upstream herald_[a-z]+[ \t]*\{/ { upstream = $2; written = 0 }
      upstream != "" && /^[ \t]*\}/ { upstream = "" }
      upstream != "" && /^[ \t]*server 127\.0\.0\.1:[0-9]+[ \t;]/ {
        if (!written) {
          head = $0; sub(/127\.0\.0\.1:.*/, "127.0.0.1:", head)
          tail = $0; sub(/^[ \t]*server 127\.0\.0\.1:[0-9]+/, "", tail)
          if (upstream == "herald_mqtt") {
            for (i = 1; i <= gateways; i++) print head mqtt_port[i] tail
            mqtt_servers = 1
          } else {
            for (i = 1; i <= apis; i++) print head api_port[i] tail
            if (upstream == "herald_api") api_servers = 1
          }
          written = 1
        }
        next
      }
      /^[ \t]*listen 127\.0\.0\.1:[0-9]+;/ {
        if (stream) { sub(/127\.0\.0\.1:[0-9]+;/, "127.0.0.1:" mqtt ";"); mqtt_listens++ }
        else { sub(/127\.0\.0\.1:[0-9]+;/, "127.0.0.1:" http ";"); http_listens++ }
      }
      { print }
      END { if (!api_servers || !mqtt_servers || http_listens != 1 || mqtt_listens != 1) exit 3 }
    ' "$nginx_template"
  } >"$1" || die "$nginx_template no longer has the lines bin/herald-cluster rewrites for each layout: one" \
    "'listen 127.0.0.1:PORT;' in the http block and one in the stream block, and 'server 127.0.0.1:PORT ...;'" \
    "lines in 'upstream herald_api' and 'upstream herald_mqtt'"
}

launch_nginx() {
  launch nginx nginx -p "$state/nginx/" -c "$nginx_conf" -e "$state/nginx/logs/error.log" -g 'daemon off;'
}

# start_nginx: starts nginx on this layout's configuration; when it runs already, reloads it if that changed.
start_nginx() {
  local next="$nginx_conf.next" pid
  mkdir -p "$state/nginx/logs" "$state/nginx/temp"
  write_nginx_conf "$next"
  if ! nginx -t -q -p "$state/nginx/" -c "$next" -e "$state/nginx/logs/error.log" >"$state/logs/nginx-test.log" 2>&1
  then
    sed 's/^/    /' "$state/logs/nginx-test.log" >&2
    die "nginx refuses the configuration written for this layout ($next)"
  fi
  if pid="$(running_pid nginx)"; then
    # An nginx started from another file (an older bin/herald-cluster ran deploy/nginx.conf itself) would reload
    # that one: it is restarted on this one. (nginx rewrites its command line into "nginx: master process nginx -p
    # ... -c FILE ...", one string.)
    if [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline") " != *" -c $nginx_conf "* ]]; then
      stop_components 10 nginx
    elif cmp -s "$next" "$nginx_conf"; then
      rm -f "$next"
      say "$(printf '%-10s already running (pid %s)' nginx "$pid")"
      return 0
    else
      mv -f "$next" "$nginx_conf"
      reload_nginx "$pid"
      return 0
    fi
  fi
  mv -f "$next" "$nginx_conf"
  start_group "$NGINX_TIMEOUT" launch_nginx nginx
}

# reload_nginx PID: SIGHUP; nginx starts workers on the new configuration and lets the old ones finish their
# requests. Done once the old workers are gone (up to 10 s: a long request may keep one longer, harmlessly).
reload_nginx() {
  local pid="$1" t0 deadline worker old
  old="$(ps -o pid= --ppid "$pid" 2>/dev/null || true)"
  t0="$(now_ms)"
  deadline=$((t0 + 10000))
  kill -HUP "$pid"
  for worker in $old; do
    while alive "$worker" && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.1; done
  done
  ready nginx || fail nginx "not ready after reloading $nginx_conf"
  say "$(printf '%-10s reloaded (pid %s) in %ss: upstream %s API node(s), %s gateway(s)' nginx "$pid" \
    "$(seconds_since "$t0")" "$API_COUNT" "$GATEWAY_COUNT")"
}
