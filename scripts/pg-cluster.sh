# shellcheck shell=bash
# A throw-away PostgreSQL 15 + PostGIS cluster in a folder of its own, for the tests.
# Source this file, then:
#   pg_cluster_start DIR   # DIR exists and is empty; sets PG_CLUSTER_PORT and PG_CLUSTER_URL
#   pg_cluster_stop        # stops the cluster (safe to call twice, or when it never started)
# No system service is used: the cluster listens on 127.0.0.1 only, on a free port, with its socket in DIR.
# initdb and postgres refuse to run as root, so as root they run as the postgres user in a folder it owns.

PG_CLUSTER_BIN=${PG_CLUSTER_BIN:-/usr/lib/postgresql/15/bin}
PG_CLUSTER_DIR=''
PG_CLUSTER_PORT=''
PG_CLUSTER_URL=''

# Runs a command as the cluster's owner with its output in the file $1. The redirection is made inside the
# subshell: one on a function call would also catch what this shell's traps print while the command runs.
_pg_as_owner() {
  local out=$1
  shift
  (
    cd "$PG_CLUSTER_DIR"
    exec >"$out" 2>&1
    if [ "$(id -u)" = 0 ]; then exec runuser -u postgres -- "$@"; else exec "$@"; fi
  )
}

# Prints a TCP port that is free on 127.0.0.1 right now (the kernel picks it).
_pg_free_port() {
  node -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

pg_cluster_start() {
  PG_CLUSTER_DIR=$1
  if [ ! -x "$PG_CLUSTER_BIN/initdb" ]; then
    echo "pg-cluster: $PG_CLUSTER_BIN/initdb not found (apt-get install postgresql-15-postgis-3)" >&2
    return 1
  fi
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$PG_CLUSTER_DIR"
    if ! runuser -u postgres -- test -w "$PG_CLUSTER_DIR"; then
      echo "pg-cluster: the postgres user cannot write to $PG_CLUSTER_DIR (is a parent folder closed to it?)" >&2
      return 1
    fi
  fi
  # Collation C and ctype C.UTF-8, as in PGlite, so both engines sort and change case alike.
  _pg_as_owner "$PG_CLUSTER_DIR/initdb.log" "$PG_CLUSTER_BIN/initdb" -D "$PG_CLUSTER_DIR/data" -A trust -U postgres \
    -E UTF8 --lc-collate=C --lc-ctype=C.UTF-8 --lc-messages=C --no-sync || {
    cat "$PG_CLUSTER_DIR/initdb.log" >&2
    return 1
  }
  # Durability is worthless in a cluster that is deleted after the run.
  cat >>"$PG_CLUSTER_DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_CLUSTER_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  # The port is free when asked for, but another process may take it before postgres binds it: try again then.
  local attempt port
  for attempt in 1 2 3 4 5; do
    port=$(_pg_free_port)
    if _pg_as_owner /dev/null "$PG_CLUSTER_BIN/pg_ctl" -D "$PG_CLUSTER_DIR/data" -o "-p $port" \
      -l "$PG_CLUSTER_DIR/server.log" -w -t 60 start; then
      PG_CLUSTER_PORT=$port
      PG_CLUSTER_URL="postgres://postgres@127.0.0.1:$port/postgres"
      break
    fi
    if ! grep -qE 'could not bind|Address already in use' "$PG_CLUSTER_DIR/server.log" 2>/dev/null; then
      tail -n 20 "$PG_CLUSTER_DIR/server.log" >&2 2>/dev/null
      return 1
    fi
    echo "pg-cluster: port $port was taken meanwhile (attempt $attempt), trying another" >&2
    : >"$PG_CLUSTER_DIR/server.log"
  done
  if [ -z "$PG_CLUSTER_PORT" ]; then
    echo "pg-cluster: found no free port" >&2
    return 1
  fi
  # Every database created later (CREATE DATABASE copies template1) has PostGIS.
  PGCONNECT_TIMEOUT=10 "$PG_CLUSTER_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_CLUSTER_PORT" \
    -U postgres -d template1 -c 'CREATE EXTENSION IF NOT EXISTS postgis' </dev/null
}

pg_cluster_stop() {
  [ -n "$PG_CLUSTER_DIR" ] && [ -f "$PG_CLUSTER_DIR/data/postmaster.pid" ] || return 0
  if ! _pg_as_owner /dev/null "$PG_CLUSTER_BIN/pg_ctl" -D "$PG_CLUSTER_DIR/data" -m fast -w -t 30 stop; then
    # Last resort: the postmaster's own pid, from its pid file; SIGQUIT is PostgreSQL's immediate shutdown.
    local pid
    pid=$(head -n 1 "$PG_CLUSTER_DIR/data/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      echo "pg-cluster: pg_ctl stop failed, sending SIGQUIT to postmaster $pid" >&2
      kill -QUIT "$pid" 2>/dev/null || true
      local i
      for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
    fi
  fi
}
