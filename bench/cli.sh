#!/usr/bin/env bash
# The CLI's and the Python client's cost per command, on this machine: local mode on free ports with a fresh data
# folder, then COUNT calls each of a listing of runs by curl (the baseline: the route alone), by the CLI's jar
# (`baton runs list`, and `baton --version`, a JVM start without a request) and by the Python package
# (`baton.Client().runs()`). Prints each median and its ratio to curl's. The CLI is a JVM per command: the ratio
# says what a user waits for beyond the server's answer.
# Usage: bench/cli.sh [COUNT]   (default 20; jars are built first when stale)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-20}"
HELPER="$PWD/bench/cli_bench.py"

TMP="$(mktemp -d /tmp/baton-cli.XXXXXX)"
BATON_PID=""
. bench/processes.sh
cleanup() {
  stop "$BATON_PID"; BATON_PID=""
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf 'cli.sh: %s\n' "$*" >&2; }

./baton help >/dev/null # the tools environment holds the Temporal CLI
if [ -n "$(find pom.xml workflows protocol activities server cli -newer cli/target/baton-cli.jar \( -name '*.java' \
    -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -print -quit 2>/dev/null)" ] \
    || [ ! -f server/target/baton-server.jar ] || [ ! -f activities/target/baton-worker.jar ] \
    || [ ! -f cli/target/baton-cli.jar ]; then
  log "building Baton (mvn package)"
  mvn -B -q -DskipTests package >&2
fi
PORTS_TEXT="$(python3 "$HELPER" ports 5)"
mapfile -t PORTS <<<"$PORTS_TEXT"
export BATON_DATA_DIR="$TMP/baton"
export BATON_HTTP_PORT="${PORTS[0]}" BATON_ADMIN_PORT="${PORTS[1]}"
export BATON_TEMPORAL_PORT="${PORTS[2]}" BATON_TEMPORAL_UI_PORT="${PORTS[3]}" BATON_DATABASE_PORT="${PORTS[4]}"
API="http://127.0.0.1:$BATON_HTTP_PORT/api/v1"
mkdir -p "$BATON_DATA_DIR"
log "Baton local mode: API on port $BATON_HTTP_PORT, data in $BATON_DATA_DIR"
setsid ./baton local >"$BATON_DATA_DIR/bench-local.log" 2>&1 &
BATON_PID=$!
python3 "$HELPER" wait "$API/health" 300 "$BATON_PID" || { tail -30 "$BATON_DATA_DIR/bench-local.log" >&2; exit 1; }

log "$COUNT calls each: curl, the CLI, the Python client"
RESULT="$(python3 "$HELPER" measure "$API" "$BATON_DATA_DIR/admin.token" "$COUNT" "$PWD/cli/target/baton-cli.jar" "$PWD/python")"
echo "one listing of runs ($(nproc) cores, $(date -u +%Y-%m-%d)): $RESULT"
