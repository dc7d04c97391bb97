#!/usr/bin/env bash
# Makes sure the MariaDB and PostgreSQL servers the store tests use are reachable on 127.0.0.1:3306 and
# 127.0.0.1:5432 (the tests create and drop their own databases there). Starts the local servers when they
# are installed but stopped and we may start them (root). Point the tests elsewhere with
#   -Dherald.test.mariadb.url=... -Dherald.test.postgres.url=...   (see README, "Tests").
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  return 1
}

ensure_mariadb() {
  port_open 3306 && return 0
  if [ "$(id -u)" = 0 ] && command -v mariadbd >/dev/null; then
    echo "starting MariaDB..." >&2
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_port 3306 && return 0
  fi
  echo "MariaDB is not reachable on 127.0.0.1:3306" >&2
  return 1
}

ensure_postgres() {
  port_open 5432 && return 0
  if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null; then
    echo "starting PostgreSQL..." >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
    wait_port 5432 && return 0
  fi
  echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2
  return 1
}

ok=0
ensure_mariadb || ok=1
ensure_postgres || ok=1
exit $ok
