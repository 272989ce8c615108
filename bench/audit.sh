#!/usr/bin/env bash
# What the audit log costs a mutating route, on this machine, in one run: two local-mode servers side by side
# (each with its own MariaDB, Temporal dev server and data folder; no in-process worker), one with
# audit.enabled=true (BATON_AUDIT_ENABLED) and one with false, then rounds of REQUESTS `POST /api/v1/projects`
# (a new project each: a row and a role) from THREADS client threads on keep-alive connections, alternating
# audit on and off (after a warm-up round on each). Prints requests per second and p50/p95 of each round, the
# ratio on/off, how long the audit writer took to catch up after the last request of a round, and the verified
# chain at the end (GET /api/v1/audit/verify).
# Usage: bench/audit.sh [REQUESTS] [THREADS] [ROUNDS]   (defaults 2000, 16, 3; jars are built first when stale)
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS="${1:-2000}" THREADS="${2:-16}" ROUNDS="${3:-3}"
HELPER="$PWD/bench/audit_bench.py"
TMP="$(mktemp -d /tmp/baton-audit.XXXXXX)"
PID_ON="" PID_OFF=""
. bench/processes.sh
cleanup() {
  stop "$PID_ON"; PID_ON=""
  stop "$PID_OFF"; PID_OFF=""
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf 'audit.sh: %s\n' "$*" >&2; }

./baton help >/dev/null # the tools environment holds the Temporal CLI
# built here, once: the two `./baton local` below would otherwise both build stale jars at once
if [ -n "$(find pom.xml workflows activities server -newer server/target/baton-server.jar \( -name '*.java' \
    -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -print -quit 2>/dev/null)" ] \
    || [ ! -f server/target/baton-server.jar ]; then
  log "building Baton (mvn package)"
  mvn -B -q -DskipTests package >&2
fi
PORTS_TEXT="$(python3 bench/metrics_bench.py ports 10)"
mapfile -t PORTS <<<"$PORTS_TEXT"

# start_local NAME AUDIT FIRST_PORT_INDEX: local mode in the background, its PID in LAST_PID
start_local() {
  local name="$1" audit="$2" i="$3"
  mkdir -p "$TMP/$name"
  (
    export BATON_DATA_DIR="$TMP/$name/data" BATON_HTTP_PORT="${PORTS[$i]}" BATON_ADMIN_PORT="${PORTS[$((i + 1))]}"
    export BATON_TEMPORAL_PORT="${PORTS[$((i + 2))]}" BATON_TEMPORAL_UI_PORT="${PORTS[$((i + 3))]}"
    export BATON_DATABASE_PORT="${PORTS[$((i + 4))]}" BATON_LOCAL_WORKER=false BATON_AUDIT_ENABLED="$audit"
    exec setsid ./baton local >"$TMP/$name/server.log" 2>&1
  ) &
  LAST_PID=$!
}
log "two local-mode servers: audit on (port ${PORTS[0]}), audit off (port ${PORTS[5]})"
start_local on true 0; PID_ON=$LAST_PID
start_local off false 5; PID_OFF=$LAST_PID
API_ON="http://127.0.0.1:${PORTS[0]}/api/v1" API_OFF="http://127.0.0.1:${PORTS[5]}/api/v1"
python3 bench/metrics_bench.py wait "$API_ON/health" 240 "$PID_ON" || { tail -30 "$TMP/on/server.log" >&2; exit 1; }
python3 bench/metrics_bench.py wait "$API_OFF/health" 240 "$PID_OFF" || { tail -30 "$TMP/off/server.log" >&2; exit 1; }

echo "audit log cost: POST /api/v1/projects, $REQUESTS requests a round from $THREADS threads, $ROUNDS rounds a" \
  "side after a warm-up round; $(nproc) cores, $(date -u +%Y-%m-%d)"
python3 "$HELPER" "$API_ON" "$TMP/on/data/admin.token" "$API_OFF" "$TMP/off/data/admin.token" \
  "$REQUESTS" "$THREADS" "$ROUNDS"
