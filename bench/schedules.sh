#!/usr/bin/env bash
# Schedule fire to step start, on this machine: local mode on free ports with a fresh data folder, a schedule every
# 1 s (overlap allowAll) of a one-step pipeline (`true`); for each fire, the time from its fire time (the run's
# trigger.scheduledAt, Temporal's) to its step's attempt start (the worker's report). The first WARMUP fires are left
# out (a fresh server's first workflows), then FIRES are measured. Prints p50, p90, min and max. Goal: p50 under 1 s.
# Usage: bench/schedules.sh [FIRES] [WARMUP]   (defaults 50, 5; jars are built first when stale)
set -euo pipefail
cd "$(dirname "$0")/.."
FIRES="${1:-50}"
WARMUP="${2:-5}"
HELPER="$PWD/bench/schedules_bench.py"

TMP="$(mktemp -d /tmp/baton-schedules.XXXXXX)"
BATON_PID=""
. bench/processes.sh
cleanup() {
  stop "$BATON_PID"; BATON_PID=""
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf 'schedules.sh: %s\n' "$*" >&2; }

./baton help >/dev/null # the tools environment holds the Temporal CLI
if [ -n "$(find pom.xml workflows activities server -newer server/target/baton-server.jar \( -name '*.java' \
    -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -print -quit 2>/dev/null)" ] \
    || [ ! -f server/target/baton-server.jar ] || [ ! -f activities/target/baton-worker.jar ]; then
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

log "a schedule every 1 s: $WARMUP fires of warm-up, then $FIRES measured"
RESULT="$(python3 "$HELPER" fires "$API" "$BATON_DATA_DIR/admin.token" "$FIRES" "$WARMUP")"
echo "schedule fire to step start ($(nproc) cores, $(date -u +%Y-%m-%d)): $RESULT"
