#!/usr/bin/env bash
# Makes this machine ready for bin/test, idempotently: installs what is missing (JDK 17, Maven, MariaDB,
# PostgreSQL, redis-server: Debian/Ubuntu packages), starts MariaDB on 127.0.0.1:3306 and PostgreSQL on
# 127.0.0.1:5432 when they are stopped, and lets the tests in as they expect: MariaDB user root without a
# password, PostgreSQL user postgres with trust authentication from 127.0.0.1.
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
  [ ${#packages[@]} -eq 0 ] && return 0
  as_root || needs_root "the packages ${packages[*]}"
  echo "installing: ${packages[*]}" >&2
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" || exit 1
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
