# Sourced by bin/herald-cluster: nginx in front of the API nodes. Its configuration is deploy/nginx.conf with this
# layout's ports: the listen port, and one upstream server line per API node. Every up writes it into the state
# directory (nginx/nginx.conf); when nginx already runs and the file changed (another --api-nodes or port base),
# nginx reloads it.

nginx_template="$root/deploy/nginx.conf"
nginx_conf="$state/nginx/nginx.conf"

# write_nginx_conf FILE: the template with this layout's ports into FILE. Each of the template's upstream blocks
# (herald_api, round robin; herald_console, sticky) lists "server 127.0.0.1:PORT options;" lines: the first gives
# the options of every API node's line, the others go. Dies when the template lost the herald_api block's server
# lines or the one "listen 127.0.0.1:PORT;" this relies on.
write_nginx_conf() {
  local ports="" n
  for ((n = 1; n <= API_COUNT; n++)); do ports+="$(api_http_port "$n") "; done
  {
    printf '# Written by bin/herald-cluster from %s for %s API node(s), port base %s: edit that file.\n' \
      "$nginx_template" "$API_COUNT" "$PORT_BASE"
    awk -v listen="$NGINX_PORT" -v ports="$ports" '
      BEGIN { count = split(ports, port, " ") }
      /^[ \t]*upstream herald_[a-z]+[ \t]*\{/ { upstream = 1; written = 0; api = ($2 == "herald_api") }
      upstream && /^[ \t]*\}/ { upstream = 0 }
      upstream && /^[ \t]*server 127\.0\.0\.1:[0-9]+[ \t;]/ {
        if (!written) {
          head = $0; sub(/127\.0\.0\.1:.*/, "127.0.0.1:", head)
          tail = $0; sub(/^[ \t]*server 127\.0\.0\.1:[0-9]+/, "", tail)
          for (i = 1; i <= count; i++) print head port[i] tail
          written = 1
          if (api) servers = 1
        }
        next
      }
      /^[ \t]*listen 127\.0\.0\.1:[0-9]+;/ { sub(/127\.0\.0\.1:[0-9]+;/, "127.0.0.1:" listen ";"); listens++ }
      { print }
      END { if (!servers || listens != 1) exit 3 }
    ' "$nginx_template"
  } >"$1" || die "$nginx_template no longer has the 'listen 127.0.0.1:PORT;' line and the 'server 127.0.0.1:PORT" \
    "...;' lines of 'upstream herald_api' that bin/herald-cluster rewrites for each layout"
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
  say "$(printf '%-10s reloaded (pid %s) in %ss: upstream %s API node(s)' nginx "$pid" "$(seconds_since "$t0")" \
    "$API_COUNT")"
}
