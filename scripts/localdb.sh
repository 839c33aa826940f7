#!/usr/bin/env bash
# The project-managed PostGIS cluster: start | stop | status | url
#
# Data lives in var/pg (git-ignored). PostgreSQL refuses to run as root, so when run as
# root the cluster belongs to the unprivileged `postgres` OS user. It listens on
# 127.0.0.1 only, on its own port (LEADOPS_PGPORT, default 54329), with a generated
# password kept in var/pg/database_url (mode 600). Every command is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

port=${LEADOPS_PGPORT:-54329}
pgbin=/usr/lib/postgresql/15/bin
home=$root/var/pg
data=$home/data
run=$home/run
log=$home/postgres.log
urlfile=$home/database_url
dbname=leadops

if [ "$(id -u)" = 0 ]; then
  owner=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  owner=$(id -un)
  as_owner() { "$@"; }
fi

prepare_home() {
  mkdir -p "$root/var"
  if [ ! -e "$home" ]; then
    mkdir -p "$home"
    chown "$owner" "$home"
  fi
  # The cluster's owner must reach the folder. When the project sits under a path it
  # cannot traverse (say /root), keep the data in /var/lib/lead-ops and link it here.
  if ! as_owner test -w "$home" 2>/dev/null; then
    real=/var/lib/lead-ops/$(echo -n "$root" | sha256sum | cut -c1-12)
    echo "localdb: $owner cannot reach $home; keeping the cluster in $real"
    mkdir -p "$real" && chown "$owner" "$real"
    rmdir "$home" 2>/dev/null || true
    ln -sfn "$real" "$home"
  fi
}

running() { [ -f "$data/PG_VERSION" ] && as_owner "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

init_cluster() {
  [ -f "$data/PG_VERSION" ] && return
  echo "localdb: creating a PostGIS cluster in var/pg (owner $owner, port $port)"
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  pwfile=$(mktemp) && echo "$password" > "$pwfile" && chown "$owner" "$pwfile"
  as_owner "$pgbin/initdb" -D "$data" -U leadops --pwfile="$pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  as_owner mkdir -p "$run"
  cat <<CONF | as_owner tee -a "$data/postgresql.conf" >/dev/null
# --- lead-ops local cluster ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$run'
timezone = 'America/New_York'
shared_buffers = '512MB'
work_mem = '32MB'
maintenance_work_mem = '256MB'
max_connections = 100
fsync = on
CONF
  (umask 077 && echo "postgresql://leadops:$password@127.0.0.1:$port/$dbname" > "$urlfile")
}

start() {
  prepare_home
  init_cluster
  if ! running; then
    as_owner "$pgbin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null \
      || { echo "localdb: PostgreSQL did not start; see $log"; tail -n 20 "$log"; exit 1; }
  fi
  # Never prompt: the password comes from the URL file (runuser drops the environment).
  password=$(sed -E 's#^[^:]+://[^:]+:([^@]+)@.*#\1#' "$urlfile")
  pg() { as_owner env PGPASSWORD="$password" "$pgbin/$1" -w -h "$run" -p "$port" -U leadops "${@:2}"; }
  if ! pg psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$dbname'" | grep -q 1; then
    pg createdb "$dbname"
  fi
  echo "localdb: running on 127.0.0.1:$port (database $dbname)"
}

stop() {
  if running; then as_owner "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
  echo "localdb: stopped"
}

status() {
  if running; then
    echo "localdb: running on 127.0.0.1:$port, data in var/pg/data, log var/pg/postgres.log"
  elif [ -f "$data/PG_VERSION" ]; then
    echo "localdb: stopped (data in var/pg/data); 'make db-start' starts it"
    exit 3
  else
    echo "localdb: not created yet; 'make run' or 'make db-start' creates it"
    exit 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) cat "$urlfile" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 64 ;;
esac
