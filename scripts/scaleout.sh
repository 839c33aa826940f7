#!/usr/bin/env bash
# The scale-out stack on one machine: start | stop [PIECE] | status | env | clean
#
#   primary    PostgreSQL 15 + PostGIS, its own cluster (not the dev one in var/pg)
#   standby    a hot standby streaming from it, made with pg_basebackup -R
#   bouncer    PgBouncer, transaction pooling, in front of the primary (the replicas
#              read from the standby directly: deploy/pgbouncer.ini.in says why)
#   web1 web2  Streamlit replicas of the dashboard
#   balancer   HAProxy: sticky sessions (cookie), websockets, health checks
#
# The databases, PgBouncer and HAProxy run as an unprivileged user (`postgres` when
# started by root), the replicas as the user running this script (as `make run` does);
# data, configuration (rendered from deploy/*.in), logs and pid files are in one folder,
# var/scaleout by default (LEADOPS_SCALEOUT_HOME). Ports: LEADOPS_SCALEOUT_PG_PORT
# (primary, default 54331; standby +1, PgBouncer +2) and LEADOPS_SCALEOUT_WEB_PORT
# (HAProxy, default 8500; replica N on +10+N), recorded at the first start.
# LEADOPS_SCALEOUT_REPLICAS (default 2) sets how many replicas.
#
# `start` starts whatever is not running, so it also restarts a piece that died or
# was stopped; `stop` stops everything (or one PIECE); `env` prints the settings the
# dashboard and the tests use; `clean` stops everything and deletes the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

home=${LEADOPS_SCALEOUT_HOME:-$root/var/scaleout}
pgbin=/usr/lib/postgresql/15/bin
py=$root/.venv/bin/python
run=$home/run

# shellcheck source=scripts/pg_common.sh
. "$root/scripts/pg_common.sh"

say() { echo "scaleout: $*"; }
fail() { echo "scaleout: $*" >&2; exit 1; }

# --- settings kept from the first start ----------------------------------------------
load_settings() {
  if [ -f "$home/settings" ]; then
    # shellcheck source=/dev/null
    . "$home/settings"
  else
    pg_port=${LEADOPS_SCALEOUT_PG_PORT:-54331}
    web_port=${LEADOPS_SCALEOUT_WEB_PORT:-8500}
  fi
  replicas=${LEADOPS_SCALEOUT_REPLICAS:-${replicas:-2}}
  standby_port=$((pg_port + 1))
  bouncer_port=$((pg_port + 2))
}

save_settings() {
  printf 'pg_port=%s\nweb_port=%s\nreplicas=%s\n' "$pg_port" "$web_port" "$replicas" \
    | as_owner tee "$home/settings" >/dev/null
}

prepare_home() {
  mkdir -p "$(dirname "$home")"
  [ -e "$home" ] || { mkdir -p "$home" && chown "$owner" "$home"; }
  as_owner test -w "$home" || fail "$owner cannot write to $home; set LEADOPS_SCALEOUT_HOME"
  as_owner mkdir -p "$run"
  as_owner chmod 700 "$home"
}

password() { as_owner cat "$home/password"; }

# --- liveness ---------------------------------------------------------------------------
# A pid file counts only while its process is alive and is the program expected.
alive() {
  local pidfile=$1 program=$2 pid
  pid=$(cat "$pidfile" 2>/dev/null | head -n1) || return 1
  [ -n "$pid" ] && grep -qa -- "$program" "/proc/$pid/cmdline" 2>/dev/null
}

pg_running() { [ -f "$1/PG_VERSION" ] && as_owner "$pgbin/pg_ctl" -D "$1" status >/dev/null 2>&1; }

wait_for() {  # wait_for SECONDS WHAT COMMAND...
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  fail "$what did not come up within ${seconds}s"
}

# --- the pieces ---------------------------------------------------------------------------
start_primary() {
  local data=$home/primary
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating the primary cluster (owner $owner, port $pg_port)"
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' | as_owner tee "$home/password" >/dev/null)
    new_cluster "$data" "$home/password" "$pg_port" "$run" "scale-out primary" <<CONF
shared_buffers = '256MB'
max_connections = 100
wal_level = replica
max_wal_senders = 5
# The standby's replication slot keeps the WAL it has not received, up to a limit.
max_slot_wal_keep_size = '1GB'
CONF
  fi
  pg_running "$data" && return
  as_owner "$pgbin/pg_ctl" -D "$data" -l "$home/primary.log" -w -t 60 start >/dev/null \
    || fail "the primary did not start; see $home/primary.log"
  local pw
  pw=$(password)
  if ! as_owner env PGPASSWORD="$pw" "$pgbin/psql" -w -h "$run" -p "$pg_port" -U leadops \
    -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'leadops'" | grep -q 1; then
    as_owner env PGPASSWORD="$pw" "$pgbin/createdb" -w -h "$run" -p "$pg_port" -U leadops leadops
  fi
  # Whenever the primary starts: schema, and demo data the first time, straight into the
  # primary (never through PgBouncer: migrations hold a session lock).
  # One login here (the stack's superuser): no owner URL from the caller's environment.
  local direct=(env -u DATABASE_MIGRATE_URL -u DATABASE_READ_URL -u DATABASE_OWNER_URL
    DATABASE_URL="postgresql://leadops:$pw@127.0.0.1:$pg_port/leadops" "$py")
  "${direct[@]}" -m db.migrate >/dev/null
  "${direct[@]}" -m demo --if-empty >/dev/null
  "${direct[@]}" -m accounts demo-accounts --if-demo >/dev/null
}

start_standby() {
  local data=$home/standby
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating the standby from a base backup of the primary (port $standby_port)"
    # A slot left by a standby that was deleted would hold WAL for nobody.
    as_owner env PGPASSWORD="$(password)" "$pgbin/psql" -w -h "$run" -p "$pg_port" -U leadops \
      -d postgres -tAqc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                         WHERE slot_name = 'lead_ops_standby'" >/dev/null
    as_owner env PGPASSWORD="$(password)" "$pgbin/pg_basebackup" -w -h 127.0.0.1 \
      -p "$pg_port" -U leadops -D "$data" -R -X stream -c fast -C -S lead_ops_standby
    cat <<CONF | as_owner tee -a "$data/postgresql.conf" >/dev/null
# --- lead-ops scale-out standby ---
port = $standby_port
hot_standby = on
# Long page queries are not cancelled by the primary's vacuum.
hot_standby_feedback = on
CONF
  fi
  if ! pg_running "$data"; then
    as_owner "$pgbin/pg_ctl" -D "$data" -l "$home/standby.log" -w -t 60 start >/dev/null \
      || fail "the standby did not start; see $home/standby.log"
  fi
}

render() {  # render TEMPLATE > OUTPUT: fill in @NAME@ placeholders
  sed -e "s#@HOME@#$home#g" -e "s#@PRIMARY_PORT@#$pg_port#g" \
    -e "s#@BOUNCER_PORT@#$bouncer_port#g" \
    -e "s#@WEB_PORT@#$web_port#g" "$1"
}

start_bouncer() {
  alive "$home/pgbouncer.pid" pgbouncer && return
  render deploy/pgbouncer.ini.in | as_owner tee "$home/pgbouncer.ini" >/dev/null
  (umask 077 && echo "\"leadops\" \"$(password)\"" | as_owner tee "$home/userlist.txt" >/dev/null)
  as_owner pgbouncer -q -d "$home/pgbouncer.ini" || fail "PgBouncer did not start; see $home/pgbouncer.log"
  wait_for 10 PgBouncer bash -c "echo > /dev/tcp/127.0.0.1/$bouncer_port"
}

replica_port() { echo $((web_port + 10 + $1)); }

start_replica() {
  local n=$1 port
  port=$(replica_port "$n")
  alive "$home/web$n.pid" streamlit && return
  [ -f "$home/cookie_secret" ] \
    || (umask 077 && head -c 32 /dev/urandom | base64 | as_owner tee "$home/cookie_secret" >/dev/null)
  local pw
  pw=$(password)
  # As the user running this script, like `make run`: the virtualenv's interpreter may
  # sit where the database user cannot reach. The pid file holds Streamlit's own pid.
  env -u DATABASE_OWNER_URL \
    DATABASE_URL="postgresql://leadops:$pw@127.0.0.1:$bouncer_port/leadops" \
    DATABASE_READ_URL="postgresql://leadops:$pw@127.0.0.1:$standby_port/leadops" \
    DATABASE_MIGRATE_URL="postgresql://leadops:$pw@127.0.0.1:$pg_port/leadops" \
    STREAMLIT_SERVER_COOKIE_SECRET="$(cat "$home/cookie_secret")" \
    setsid sh -c "echo \$\$ > '$home/web$n.pid'; exec '$py' -m streamlit run dashboard/serve.py \
      --server.port $port --server.address 127.0.0.1 --server.headless true \
      --server.fileWatcherType none --browser.gatherUsageStats false" \
    >>"$home/web$n.log" 2>&1 </dev/null &
}

start_balancer() {
  alive "$home/haproxy.pid" haproxy && return
  local servers="" n
  for n in $(seq "$replicas"); do
    servers+="    server web$n 127.0.0.1:$(replica_port "$n") cookie web$n"$'\n'
  done
  render deploy/haproxy.cfg.in \
    | SERVERS=$servers awk '$0 == "@SERVERS@" { printf "%s", ENVIRON["SERVERS"]; next } 1' \
    | as_owner tee "$home/haproxy.cfg" >/dev/null
  as_owner haproxy -q -c -f "$home/haproxy.cfg" || fail "invalid $home/haproxy.cfg"
  # In the foreground of its own session (-db), so its log goes to haproxy.log.
  as_owner setsid sh -c "echo \$\$ > '$home/haproxy.pid'; exec haproxy -db -f '$home/haproxy.cfg'" \
    >>"$home/haproxy.log" 2>&1 </dev/null &
}

# --- commands -------------------------------------------------------------------------------
start() {
  load_settings
  prepare_home
  save_settings
  start_primary
  start_standby
  start_bouncer
  local n
  for n in $(seq "$replicas"); do start_replica "$n"; done
  for n in $(seq "$replicas"); do
    wait_for 90 "replica web$n (see $home/web$n.log)" \
      curl -fsS "http://127.0.0.1:$(replica_port "$n")/_stcore/health"
  done
  start_balancer
  wait_for 20 HAProxy curl -fsS "http://127.0.0.1:$web_port/_stcore/health"
  status
}

stop_pid() {  # stop_pid NAME PIDFILE PROGRAM
  local pid
  if alive "$2" "$3"; then
    pid=$(head -n1 "$2")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$2"
}

stop_pg() {
  if pg_running "$home/$1"; then as_owner "$pgbin/pg_ctl" -D "$home/$1" -m fast -w stop >/dev/null; fi
}

stop_piece() {
  case "$1" in
    balancer) stop_pid balancer "$home/haproxy.pid" haproxy ;;
    web[0-9]*) stop_pid "$1" "$home/$1.pid" streamlit ;;
    bouncer) stop_pid bouncer "$home/pgbouncer.pid" pgbouncer ;;
    standby | primary) stop_pg "$1" ;;
    *) fail "unknown piece '$1' (balancer, webN, bouncer, standby, primary)" ;;
  esac
}

stop() {
  load_settings
  if [ -n "${1:-}" ]; then
    stop_piece "$1"
    say "$1 stopped"
    return
  fi
  [ -d "$home" ] || { say "nothing to stop ($home does not exist)"; return; }
  stop_piece balancer
  local pidfile
  for pidfile in "$home"/web*.pid; do
    [ -e "$pidfile" ] && stop_piece "$(basename "$pidfile" .pid)"
  done
  stop_piece bouncer
  stop_piece standby
  stop_piece primary
  say "stopped"
}

line() {  # line NAME ADDRESS RUNNING? DETAIL
  printf '  %-9s %-22s %-8s %s\n' "$1" "$2" "$([ "$3" = 0 ] && echo running || echo STOPPED)" "$4"
}

ok() { "$@" && echo 0 || echo 1; }

status() {
  load_settings
  local down=0 up n
  say "$home"
  up=$(ok pg_running "$home/primary"); down=$((down + up))
  line primary "127.0.0.1:$pg_port" "$up" "PostgreSQL primary: writes, migrations"
  up=$(ok pg_running "$home/standby"); down=$((down + up))
  line standby "127.0.0.1:$standby_port" "$up" "hot standby streaming from the primary"
  up=$(ok alive "$home/pgbouncer.pid" pgbouncer); down=$((down + up))
  line bouncer "127.0.0.1:$bouncer_port" "$up" "PgBouncer, transaction pooling, to the primary"
  for n in $(seq "$replicas"); do
    up=$(ok alive "$home/web$n.pid" streamlit); down=$((down + up))
    line "web$n" "127.0.0.1:$(replica_port "$n")" "$up" "Streamlit replica"
  done
  up=$(ok alive "$home/haproxy.pid" haproxy); down=$((down + up))
  line balancer "127.0.0.1:$web_port" "$up" "HAProxy, sticky sessions: http://localhost:$web_port"
  [ "$down" = 0 ] || return 3
}

print_env() {
  load_settings
  [ -f "$home/password" ] || fail "not created yet; run: scripts/scaleout.sh start"
  local pw
  pw=$(password)
  cat <<ENV
DATABASE_URL=postgresql://leadops:$pw@127.0.0.1:$bouncer_port/leadops
DATABASE_READ_URL=postgresql://leadops:$pw@127.0.0.1:$standby_port/leadops
DATABASE_MIGRATE_URL=postgresql://leadops:$pw@127.0.0.1:$pg_port/leadops
LEADOPS_SCALEOUT_WEB_URL=http://127.0.0.1:$web_port
LEADOPS_SCALEOUT_REPLICA_URLS=$(for n in $(seq "$replicas"); do printf "http://127.0.0.1:%s\n" "$(replica_port "$n")"; done | paste -sd,)
LEADOPS_SCALEOUT_HAPROXY_SOCKET=$run/haproxy.sock
ENV
}

clean() {
  stop
  rm -rf "$home"
  say "removed $home"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  status) status ;;
  env) print_env ;;
  clean) clean ;;
  *) echo "usage: $0 start | stop [PIECE] | status | env | clean" >&2; exit 64 ;;
esac
