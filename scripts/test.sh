#!/usr/bin/env bash
# `npm test`: installs what the tests need (Debian packages), starts a throw-away PostgreSQL 15 + PostGIS
# cluster in a temporary folder, runs vitest against it (arguments are passed on), and removes the cluster
# and the folder on every way out. Exits with vitest's exit code (130/143/129 when interrupted).
set -Eeuo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/pg-cluster.sh
source scripts/pg-cluster.sh

started=$(date +%s%N)
log() {
  local ms=$((($(date +%s%N) - started) / 1000000))
  printf 'test.sh [%3d.%01ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"
}

# --- Debian packages: look first, update the lists once and only when something is missing. ---
needed=(postgresql-15-postgis-3 chromium fonts-dejavu-core)
missing=()
for pkg in "${needed[@]}"; do
  dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed$' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "test.sh: missing Debian packages: ${missing[*]}; install them as root: apt-get install ${missing[*]}" >&2
      exit 1
    fi
    sudo=(sudo -n)
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-q -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  "${sudo[@]}" apt-get "${apt_opts[@]}" update >/dev/null
  "${sudo[@]}" apt-get "${apt_opts[@]}" install -y "${missing[@]}" >/dev/null
  log "installed ${missing[*]}"
fi

if [ ! -x node_modules/.bin/vitest ]; then
  echo "test.sh: node_modules/.bin/vitest not found: run npm ci first" >&2
  exit 1
fi

# --- One temporary folder for this run: the cluster in pg/, the tests' own temporary files in tmp/. ---
tmp_base=${TMPDIR:-/tmp}
[ -d "$tmp_base" ] || tmp_base=/tmp
run_dir=$(mktemp -d "$tmp_base/atlas-test.XXXXXX")
vitest_pid=''

# vitest runs as the leader of a process group of its own (setsid), so that it, its workers and any
# browser they start can be signalled together by that group's id.
stop_vitest() {
  local sig=$1 i
  [ -n "$vitest_pid" ] && kill -0 -- "-$vitest_pid" 2>/dev/null || return 0
  kill -s "$sig" -- "-$vitest_pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 -- "-$vitest_pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "vitest did not stop within 5 s: SIGKILL"
  kill -KILL -- "-$vitest_pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap '' INT TERM HUP # a second Ctrl-C must not cut the cleanup short
  stop_vitest TERM
  [ -f "$run_dir/pg/data/postmaster.pid" ] && log "stopping PostgreSQL"
  pg_cluster_stop || true
  local summary=''
  # One plain closing line that any reader of the log (and CI) understands.
  [ -f "$run_dir/results.json" ] && summary=$(node -e 'const r = require(process.argv[1]);
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);' \
    "$run_dir/results.json")
  rm -rf "$run_dir"
  log "cleaned up, exit $rc"
  [ -n "$summary" ] && echo "$summary"
  exit "$rc"
}
trap cleanup EXIT

on_signal() {
  log "received SIG$1"
  stop_vitest "$1"
  exit "$2"
}
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

# The postgres user must be able to pass through the run folder to reach its own pg/ inside it; tmp/ is the
# tests' TMPDIR and works like /tmp (tests may make folders there that the postgres user owns).
chmod 0711 "$run_dir"
mkdir "$run_dir/pg" "$run_dir/tmp"
chmod 1777 "$run_dir/tmp"

log "starting PostgreSQL 15 in $run_dir/pg"
pg_cluster_start "$run_dir/pg"
log "PostgreSQL ready on 127.0.0.1:$PG_CLUSTER_PORT (postgis in template1)"

export TEST_DATABASE_URL=$PG_CLUSTER_URL
log "vitest run $*"
# The tests' temporary files (PGlite folders) go to the run folder, so that they go away with it.
TMPDIR="$run_dir/tmp" setsid node_modules/.bin/vitest run --reporter=default --reporter=json \
  --outputFile.json="$run_dir/results.json" "$@" &
vitest_pid=$!
rc=0
wait "$vitest_pid" || rc=$?
log "vitest exited with $rc"
exit "$rc"
