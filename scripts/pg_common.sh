# Sourced by localdb.sh and scaleout.sh (after `pgbin` is set): who owns the clusters,
# and how a new cluster is made.

# PostgreSQL refuses to run as root: then the clusters belong to the `postgres` OS user.
if [ "$(id -u)" = 0 ]; then
  owner=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  owner=$(id -un)
  as_owner() { "$@"; }
fi

# new_cluster DATA PWFILE PORT SOCKET_DIR TITLE < SETTINGS: initdb with the `leadops`
# superuser, then postgresql.conf gets the settings every cluster here shares (127.0.0.1
# only, PORT, SOCKET_DIR, Baltimore's time zone) followed by SETTINGS.
new_cluster() {
  as_owner "$pgbin/initdb" -D "$1" -U leadops --pwfile="$2" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  as_owner mkdir -p "$4"
  {
    printf '# --- lead-ops %s ---\n' "$5"
    printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\n" "$3" "$4"
    printf "timezone = 'America/New_York'\n"
    cat
  } | as_owner tee -a "$1/postgresql.conf" >/dev/null
}
