#!/usr/bin/env bash
# Makes this machine ready for bin/test, idempotently: installs what is missing (JDK 17, Maven, MariaDB,
# PostgreSQL, redis-server, nginx (with its stream module) and curl for the test of bin/herald-cluster, prometheus for its promtool,
# mosquitto-clients for the MQTT tests and the mosquitto broker for the MQTT bench, systemd
# for systemd-analyze, Node.js, npm and Chromium for the builds and
# browser tests of the console and herald-js: Debian/Ubuntu packages),
# starts MariaDB on 127.0.0.1:3306 and PostgreSQL on 127.0.0.1:5432 when they are stopped, and lets the tests in
# as they expect: MariaDB user root without a password, PostgreSQL user postgres with trust authentication from
# 127.0.0.1.
#
# Only a step that changes something needs root. When everything is installed, running and reachable (a
# developer's machine) it takes a second and needs no privilege; otherwise, as non-root, it says what is missing
# and which command fixes it. The tests create and drop their own databases.
set -uo pipefail

as_root() { [ "$(id -u)" = 0 ]; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  return 1
}
needs_root() {
  echo "bin/test needs: $1. Run once as root: sudo scripts/test-setup.sh" >&2
  exit 1
}

install_missing() {
  local packages=()
  command -v javac >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || packages+=(maven)
  command -v mariadbd >/dev/null 2>&1 || port_open 3306 || packages+=(mariadb-server)
  command -v pg_ctlcluster >/dev/null 2>&1 || port_open 5432 || packages+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || packages+=(redis-server)
  command -v curl >/dev/null 2>&1 || packages+=(curl)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || packages+=(nginx)
  # bin/herald-cluster's nginx balances the gateways' MQTT ports too (a stream block): Debian's and Ubuntu's nginx
  # build the stream module as a separate package.
  if [ ! -f /usr/lib/nginx/modules/ngx_stream_module.so ] \
     && ! { command -v nginx >/dev/null 2>&1 && nginx -V 2>&1 | grep -Eq -- '--with-stream( |$)'; }; then
    packages+=(libnginx-mod-stream)
  fi
  # herald-dist's SystemdUnitsIT: systemd-analyze verify checks the shipped units (no running systemd needed).
  command -v systemd-analyze >/dev/null 2>&1 || packages+=(systemd)
  # promtool checks deploy/prometheus's alert rules; prometheus itself runs under herald-cluster up --monitoring.
  command -v promtool >/dev/null 2>&1 || packages+=(prometheus)
  # herald-console and herald-js: npm builds them; their browser tests (ConsoleBrowserTest, BrowserSdkTest) drive
  # Debian's Chromium.
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || packages+=(chromium)
  # mosquitto_pub / mosquitto_sub: real MQTT clients for the gateway's MQTT tests (MosquittoClientsTest)
  command -v mosquitto_sub >/dev/null 2>&1 || packages+=(mosquitto-clients)
  # the Mosquitto broker the MQTT bench compares Herald with (MqttScenarioSmokeTest starts its own on a free port;
  # a system broker on 1883, if the package starts one, is not used)
  [ -x /usr/sbin/mosquitto ] || packages+=(mosquitto)
  [ ${#packages[@]} -eq 0 ] && return 0
  as_root || needs_root "the packages ${packages[*]}"
  apt-get update -q || exit 1
  # Debian's nginx-light is enough (the cluster's nginx is a plain proxy); Ubuntu 24.04 has only nginx.
  local i
  for i in "${!packages[@]}"; do
    if [ "${packages[$i]}" = nginx ] && apt-cache show nginx-light >/dev/null 2>&1; then packages[$i]=nginx-light; fi
  done
  echo "installing: ${packages[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" || exit 1
}

start_mariadb() {
  port_open 3306 && return 0
  as_root || needs_root "MariaDB running on 127.0.0.1:3306"
  echo "starting MariaDB..." >&2
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_port 3306 || { echo "MariaDB did not come up on 127.0.0.1:3306" >&2; exit 1; }
}

start_postgres() {
  port_open 5432 && return 0
  as_root || needs_root "PostgreSQL running on 127.0.0.1:5432"
  echo "starting PostgreSQL..." >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  wait_port 5432 || { echo "PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1; }
}

# A fresh MariaDB lets root in through the Unix socket only (unix_socket plugin); the tests log in over TCP.
mariadb_login() {
  command -v mariadb >/dev/null 2>&1 || return 0   # a server elsewhere, no client here: let the tests say
  mariadb -h127.0.0.1 -uroot -e 'SELECT 1' >/dev/null 2>&1 && return 0
  as_root || needs_root "MariaDB user root without a password on 127.0.0.1"
  mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('')" \
    || exit 1
}

# A fresh PostgreSQL cluster asks for a password over TCP; the tests connect as postgres without one.
postgres_login() {
  command -v psql >/dev/null 2>&1 || return 0
  psql -w -h 127.0.0.1 -U postgres -Atc 'SELECT 1' >/dev/null 2>&1 && return 0
  as_root || needs_root "PostgreSQL user postgres with trust authentication from 127.0.0.1"
  local hba
  hba="$(ls /etc/postgresql/*/main/pg_hba.conf | sort -V | tail -1)"
  sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$(basename "$(dirname "$(dirname "$hba")")")" main reload
  psql -w -h 127.0.0.1 -U postgres -Atc 'SELECT 1' >/dev/null || exit 1
}

install_missing
start_mariadb
start_postgres
mariadb_login
postgres_login
exit 0
