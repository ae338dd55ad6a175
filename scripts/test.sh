#!/usr/bin/env bash
# `npm test`: installs what the tests need (Debian packages), runs the gates (types, lint, import cycles and unused
# dependencies), starts a throw-away PostgreSQL 15 + PostGIS cluster in a temporary folder, runs every test tier
# (vitest.config.ts) against it, and removes the cluster and the folder on every way out.
# With arguments (`npm test -- tests/api/areas.test.ts`, `--project api`) they are passed on to vitest and the
# gates are left out. TEST_ENGINES=pglite runs the suites on PGlite alone, without a cluster (`npm run test:quick`).
# Exits with the first failing gate's or vitest's exit code (130/143/129 when interrupted).
# The whole script is one { } block: bash reads it completely before running it, so that editing this file
# cannot break a run that is under way.
{
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
needed=(postgresql-15-postgis-3 chromium fonts-dejavu-core gdal-bin)
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

# --- Gates: the whole run starts with them, and stops at the first that fails. ---
if [ $# -eq 0 ]; then
  gate() {
    local name=$1 rc=0
    shift
    log "gate: $name"
    "$@" || rc=$?
    if [ "$rc" -ne 0 ]; then
      log "gate failed: $name (exit $rc)"
      exit "$rc"
    fi
  }
  # The same commands as `npm run check` (package.json).
  gate 'types (npm run typecheck)' npm run -s typecheck
  gate 'lint and format (npm run lint)' npm run -s lint
  gate 'import cycles and unused dependencies (npm run check:imports)' npm run -s check:imports
  # Every tier runs: the global setup prepares what they all need at once (tests/global-setup.ts).
  export TEST_FULL_RUN=1
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
  # Before it, the slowest test files: where the time of a run goes.
  [ -f "$run_dir/results.json" ] && summary=$(node -e 'const r = require(process.argv[1]);
    const files = r.testResults.map((f) => [Math.round((f.endTime - f.startTime) / 100) / 10, f.name.slice(process.cwd().length + 1)]);
    files.sort((a, b) => b[0] - a[0]);
    console.log("slowest test files (time in their tests, s):", files.slice(0, 12).map(([s, n]) => `${n} ${s}`).join(", "));
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

if [[ ",${TEST_ENGINES:-pglite,postgres}," == *,postgres,* ]]; then
  log "starting PostgreSQL 15 in $run_dir/pg"
  pg_cluster_start "$run_dir/pg"
  log "PostgreSQL ready on 127.0.0.1:$PG_CLUSTER_PORT (postgis in template1)"
  export TEST_DATABASE_URL=$PG_CLUSTER_URL
else
  log "TEST_ENGINES=$TEST_ENGINES: no PostgreSQL cluster"
fi
log "vitest run $*"
# The tests' temporary files (PGlite folders) go to the run folder, so that they go away with it.
TMPDIR="$run_dir/tmp" setsid node_modules/.bin/vitest run --reporter=default --reporter=json \
  --outputFile.json="$run_dir/results.json" "$@" &
vitest_pid=$!
rc=0
wait "$vitest_pid" || rc=$?
log "vitest exited with $rc"
exit "$rc"
}
