#!/usr/bin/env bash
# The project-managed PostGIS cluster: start | stop | status | url | owner-url
#
# Data lives in var/pg (git-ignored). PostgreSQL refuses to run as root, so when run as
# root the cluster belongs to the unprivileged `postgres` OS user. It listens on
# 127.0.0.1 only, on its own port (LEADOPS_PGPORT, default 54329). Three logins, each
# with a generated password in a URL file of var/pg (mode 600, never committed):
#   leadops        the bootstrap superuser (superuser_url): used here only, to create
#                  the other two, PostGIS (in template1, so every new database has it)
#                  and the database
#   leadops_owner  owns the databases and the schema (owner_url): migrations, imports,
#                  demo data, accounts, releases; CREATEDB, not a superuser
#   leadops_app    the dashboard (database_url): owns nothing, member of lead_dashboard
#                  only (migration 0018)
# Every command is idempotent; `start` also brings an older cluster (one superuser login
# in database_url) to this layout.
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
ownerfile=$home/owner_url
superfile=$home/superuser_url
dbname=leadops
# The NOLOGIN roles the migrations grant (0002, 0018, 0022), created here with ADMIN OPTION
# for the owner, which then needs no CREATEROLE (that would let it grant itself
# pg_execute_server_program, and so the server's shell).
group_roles=(lead_command lead_leadership lead_case_manager lead_admin lead_prosecutor_liaison lead_signin lead_dashboard)

# shellcheck source=scripts/pg_common.sh
. "$root/scripts/pg_common.sh"

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
  new_cluster "$data" "$pwfile" "$port" "$run" "local cluster" <<CONF
shared_buffers = '512MB'
work_mem = '32MB'
maintenance_work_mem = '256MB'
max_connections = 100
fsync = on
CONF
  rm -f "$pwfile"
  write_url "$superfile" leadops "$password"
}

write_url() { (umask 077 && echo "postgresql://$2:$3@127.0.0.1:$port/$dbname" > "$1"); }

# The password in a URL file, or a new one.
password_of() {
  if [ -f "$1" ]; then sed -E 's#^[^:]+://[^:]+:([^@]+)@.*#\1#' "$1"
  else head -c 18 /dev/urandom | base64 | tr -d '/+='; fi
}

# The two logins and the group roles, as the superuser (psql variables keep the
# passwords out of the SQL text and off the command line).
ensure_logins() {
  local owner_pw app_pw roles
  owner_pw=$(password_of "$ownerfile")
  app_pw=$(password_of "$urlfile")
  roles=$(printf "'%s'," "${group_roles[@]}")
  pg psql -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<SQL
SET client_min_messages = warning;
\set owner_pw '$owner_pw'
\set app_pw '$app_pw'
SELECT format('CREATE ROLE %I', r) FROM unnest(ARRAY['leadops_owner', 'leadops_app', ${roles%,}]) AS r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
ALTER ROLE leadops_owner LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'owner_pw';
ALTER ROLE leadops_app LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
  NOBYPASSRLS PASSWORD :'app_pw';
SELECT format('ALTER ROLE %I NOLOGIN NOINHERIT', r), format('GRANT %I TO leadops_owner WITH ADMIN OPTION', r)
  FROM unnest(ARRAY[${roles%,}]) AS r \gexec
GRANT lead_dashboard TO leadops_app;
SQL
  write_url "$ownerfile" leadops_owner "$owner_pw"
  write_url "$urlfile" leadops_app "$app_pw"
}

# A database the superuser still owns (an older cluster's) goes to the owner, with every
# object of its schema that is not an extension's; PostGIS is created in it if missing.
hand_over() {
  pg psql -q -v ON_ERROR_STOP=1 -d "$1" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS postgis;
DO $$
DECLARE
    o record;
BEGIN
    FOR o IN
        SELECT format('ALTER TABLE %s OWNER TO leadops_owner', c.oid::regclass) AS ddl
        FROM pg_class AS c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relowner = 'leadops'::regrole
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
          AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
        UNION ALL
        SELECT format('ALTER ROUTINE %s OWNER TO leadops_owner', p.oid::regprocedure)
        FROM pg_proc AS p
        WHERE p.pronamespace = 'public'::regnamespace AND p.proowner = 'leadops'::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE o.ddl;
    END LOOP;
END $$;
SQL
}

start() {
  prepare_home
  init_cluster
  if ! running; then
    as_owner "$pgbin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null \
      || { echo "localdb: PostgreSQL did not start; see $log"; tail -n 20 "$log"; exit 1; }
  fi
  # An older cluster kept the superuser's URL in database_url.
  if [ ! -f "$superfile" ]; then mv "$urlfile" "$superfile"; fi
  # Never prompt: the password comes from the URL file (runuser drops the environment).
  password=$(password_of "$superfile")
  pg() { as_owner env PGPASSWORD="$password" "$pgbin/$1" -w -h "$run" -p "$port" -U leadops "${@:2}"; }
  ensure_logins
  hand_over template1
  if ! pg psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$dbname'" | grep -q 1; then
    pg createdb -O leadops_owner "$dbname"
  fi
  # Databases the superuser owns: the main one and the benchmarks' are handed over with
  # their objects; any other (tests' scratch databases, dropped and made again by each
  # test session) only changes owner, so that the owner may drop it.
  local db
  for db in $(pg psql -d postgres -tAc "SELECT datname FROM pg_database
      WHERE datdba = 'leadops'::regrole AND datname NOT IN ('postgres', 'template0', 'template1')"); do
    case $db in "$dbname" | "${dbname}"_bench_*) hand_over "$db" ;; esac
    pg psql -q -d postgres -c "ALTER DATABASE \"$db\" OWNER TO leadops_owner"
  done
  echo "localdb: running on 127.0.0.1:$port (database $dbname; logins leadops_app, leadops_owner)"
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
  owner-url) cat "$ownerfile" ;;
  *) echo "usage: $0 start|stop|status|url|owner-url" >&2; exit 64 ;;
esac
