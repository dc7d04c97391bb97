# Sourced by bin/herald-cluster: small helpers, readiness checks, and starting and stopping the cluster's
# processes (each in a session of its own, pid in a pid file, output in a log file in the state directory).

# ---- small helpers ----------------------------------------------------------------------------------------------
say() { printf '%s\n' "$*"; }
warn() { printf 'herald-cluster: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }
now_ms() { date +%s%3N; }
seconds_since() { local ms=$(($(now_ms) - $1)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }

pid_file() { echo "$state/run/$1.pid"; }
log_file() { echo "$state/logs/$1.log"; }
data_dir() { echo "$state/data/$1"; }

# True when something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp, no nc needed).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True while process $1 exists and is not a zombie. A component whose 'up' has ended is re-parented to PID 1,
# which may reap it seconds after it exited; kill -0 would call it alive until then.
alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat:0:1}" != Z ]
}

# The pid of a running component, from its pid file. A pid counts only while /proc/<pid>/cwd is the component's
# data directory: every process is started there, so a pid reused by an unrelated process after a crash or a
# reboot is never signalled.
running_pid() {
  local file pid cwd
  file="$(pid_file "$1")"
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null)" || return 1
  [ "$cwd" = "$(data_dir "$1")" ] || return 1
  echo "$pid"
}

# True when any component of the state directory runs, whatever the layout it was started with.
anything_running() {
  local file
  for file in "$state"/run/*.pid; do
    [ -f "$file" ] && running_pid "$(basename "$file" .pid)" >/dev/null && return 0
  done
  return 1
}

# ---- readiness ---------------------------------------------------------------------------------------------------
http_ok() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1${2:-/health/ready}" 2>/dev/null; }

# A ZooKeeper four-letter command (ruok, srvr, ...) and its answer.
zk_command() {
  # shellcheck disable=SC2016   # $1 and $2 belong to the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf %s "$2" >&3 && cat <&3' _ "$ZK_PORT" "$1" 2>/dev/null
}

redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

# Kafka is ready once its PLAINTEXT listener accepts connections and it logged the end of its start-up (the
# listener opens a moment before the broker has caught up with its own metadata).
kafka_ready() {
  port_open "$KAFKA_PORT" && grep -q 'Kafka Server started' "$(log_file kafka)" 2>/dev/null
}

# Is component $1 ready? (used by up's waits and by status)
ready() {
  case "$1" in
    zookeeper) [ "$(zk_command ruok)" = imok ] ;;
    redis) redis_ping ;;
    kafka) kafka_ready ;;
    *) http_ok "$(health_port "$1")" ;;
  esac
}

# ---- install what is missing (only when root: apt-get) -------------------------------------------------------
# need_command COMMAND PACKAGE...: installs the first Debian package that installs, or says what to install.
need_command() {
  local command="$1" package; shift
  command -v "$command" >/dev/null && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    die "'$command' is not installed; install it (Debian/Ubuntu: apt-get install $1) and run again"
  fi
  say "Installing $1 ('$command' is missing)..."
  for package in "$@"; do
    # The package lists may be missing or stale on a fresh machine: update once, then try again.
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" >/dev/null 2>&1 \
      || { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 \
           && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" >/dev/null 2>&1; }; then
      command -v "$command" >/dev/null && return 0
    fi
  done
  die "could not install any of: $* (needed for '$command')"
}

# ---- one lock per state directory ------------------------------------------------------------------------------
# Two commands at once (an up while another up or a down runs) would start or stop the same processes twice.
take_lock() {
  mkdir -p "$state"
  exec 9>"$state/.lock"
  flock -n 9 || die "another bin/herald-cluster command is running on $state"
}

# ---- starting and stopping processes ---------------------------------------------------------------------------
started=()        # components this 'up' started, for the rollback when a later one fails
up_done=false

# launch NAME COMMAND...: runs COMMAND in the background in NAME's data directory, in a session of its own (so a
# Ctrl-C in the terminal that ran 'up' does not reach it, and 'down' can signal its whole process group), output
# appended to NAME's log, pid in NAME's pid file. The previous log is kept as NAME.log.1.
launch() {
  local name="$1"; shift
  local log dir
  log="$(log_file "$name")"
  dir="$(data_dir "$name")"
  mkdir -p "$dir" "$state/run" "$state/logs"
  [ -f "$log" ] && mv -f "$log" "$log.1"
  printf '# %s: %s\n' "$(date -Is)" "$*" >"$log"
  # The subshell closes every descriptor beyond 0-2 (the lock, 9: a cluster process must not hold it after 'up'
  # ends; and whatever the caller left open, e.g. the lock of 'flock FILE bin/herald-cluster up', which the cluster
  # would otherwise hold until 'down') and execs setsid, which execs the command: $! is the pid of the server
  # process itself (bin/herald execs java).
  ( close_inherited_fds; cd "$dir" && exec setsid "$@" >>"$log" 2>&1 </dev/null ) &
  echo "$!" >"$(pid_file "$name")"
  started+=("$name")
}

close_inherited_fds() {
  local fd
  for fd in $(ls /proc/$BASHPID/fd); do
    if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
  done
}

# Fails when one of NAME's ports is taken by someone else: the component would not start, or worse, the cluster
# would talk to a stranger.
check_ports_free() {
  local port
  for port in $(component_ports "$1"); do
    if port_open "$port"; then
      fail "$1" "port $port on 127.0.0.1 is in use by another process (see: ss -ltnp 'sport = :$port')" nolog
    fi
  done
}

# wait_ready NAME TIMEOUT: waits until NAME is ready; fails when its process exits or the time is up.
wait_ready() {
  local name="$1" timeout="$2" pid deadline
  pid="$(cat "$(pid_file "$name")")"
  deadline=$(($(now_ms) + timeout * 1000))
  until ready "$name"; do
    alive "$pid" || fail "$name" "exited during start-up"
    [ "$(now_ms)" -lt "$deadline" ] || fail "$name" "not ready within ${timeout}s"
    sleep 0.2
  done
}

# fail NAME MESSAGE [nolog]: the tail of NAME's log, then stop everything this 'up' started, then exit.
fail() {
  local name="$1" message="$2"
  warn "$name: $message"
  if [ "${3:-}" != nolog ]; then
    local log logs=("$(log_file "$name")")
    [ "$name" = nginx ] && logs+=("$state/nginx/logs/error.log")
    for log in "${logs[@]}"; do
      [ -s "$log" ] || continue
      warn "last lines of $log:"
      tail -n 30 "$log" | sed 's/^/    /' >&2
    done
  fi
  exit 1   # the EXIT trap stops what was started
}

# Stops the components this 'up' started when it did not finish (a failure, Ctrl-C, an error), in down's order.
rollback() {
  "$up_done" && return 0
  [ "${#started[@]}" -gt 0 ] || return 0
  warn "stopping what this 'up' started: ${started[*]}"
  stop_in_order "${started[@]}"
}

# stop_in_order NAME...: stops the named components front to back, one tier at a time: nginx, the API nodes, the
# gateways (they deregister from ZooKeeper and hand their devices' queued messages to the database while
# ZooKeeper, Redis and the database are still there), the archiver (commits what it stored), then Kafka, then
# Redis and ZooKeeper. The Herald roles and Kafka get 30 s for a clean stop, the others 10 s.
stop_in_order() {
  local tier name list
  # Each tier: its grace period in seconds, then a pattern of the names in it.
  for tier in '10 ^nginx$' '30 ^api-[0-9]+$' '30 ^gateway-[0-9]+$' '30 ^archiver$' '30 ^kafka$' \
      '10 ^(redis|zookeeper)$'; do
    list=()
    for name in "$@"; do
      if [[ "$name" =~ ${tier#* } ]]; then list+=("$name"); fi
    done
    [ "${#list[@]}" -eq 0 ] || stop_components "${tier%% *}" "${list[@]}"
  done
}

# stop_components GRACE NAME...: SIGTERM to each running NAME at once, then waits up to GRACE seconds for all of
# them; whatever is still there gets SIGKILL, to its whole process group (nginx's workers too). Only processes
# recorded in our pid files are ever signalled.
stop_components() {
  local grace="$1"; shift
  local name pid t0 deadline pids=() names=()
  for name in "$@"; do
    if pid="$(running_pid "$name")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid"); names+=("$name")
    fi
    rm -f "$(pid_file "$name")"
  done
  t0="$(now_ms)"
  deadline=$((t0 + grace * 1000))
  local i
  while [ "${#pids[@]}" -gt 0 ]; do
    for i in "${!pids[@]}"; do
      if ! alive "${pids[$i]}"; then
        say "$(printf '%-10s stopped (pid %s) in %ss' "${names[$i]}" "${pids[$i]}" "$(seconds_since "$t0")")"
        unset 'pids[i]' 'names[i]'
      elif [ "$(now_ms)" -ge "$deadline" ]; then
        warn "${names[$i]} (pid ${pids[$i]}) did not stop within ${grace}s: SIGKILL"
        kill -KILL -- "-${pids[$i]}" 2>/dev/null || kill -KILL "${pids[$i]}" 2>/dev/null || true
        unset 'pids[i]' 'names[i]'
      fi
    done
    [ "${#pids[@]}" -gt 0 ] && sleep 0.2
  done
  return 0
}

# start NAME TIMEOUT COMMAND...: starts NAME unless it already runs, and waits until it is ready.
start() {
  local name="$1" timeout="$2" pid t0; shift 2
  if pid="$(running_pid "$name")"; then
    say "$(printf '%-10s already running (pid %s)' "$name" "$pid")"
    return 0
  fi
  check_ports_free "$name"
  t0="$(now_ms)"
  launch "$name" "$@"
  wait_ready "$name" "$timeout"
  say "$(printf '%-10s up (pid %s) in %ss' "$name" "$(cat "$(pid_file "$name")")" "$(seconds_since "$t0")")"
}

# start_group TIMEOUT LAUNCHER NAME...: starts the NAMEs that are not running all at once (JVM start-up is mostly
# waiting on one core each), then waits for each to be ready.
start_group() {
  local timeout="$1" launcher="$2" name pid t0 to_wait=(); shift 2
  t0="$(now_ms)"
  for name in "$@"; do
    if pid="$(running_pid "$name")"; then
      say "$(printf '%-10s already running (pid %s)' "$name" "$pid")"
      continue
    fi
    check_ports_free "$name"
    "$launcher" "$name"
    to_wait+=("$name")
  done
  for name in "${to_wait[@]}"; do
    wait_ready "$name" "$timeout"
    say "$(printf '%-10s up (pid %s) in %ss' "$name" "$(cat "$(pid_file "$name")")" "$(seconds_since "$t0")")"
  done
}

# True when every named component runs.
all_running() {
  local name
  for name in "$@"; do running_pid "$name" >/dev/null || return 1; done
}

herald_roles_running() {
  local name
  for name in "${ROLES[@]}"; do running_pid "$name" >/dev/null && return 0; done
  return 1
}
