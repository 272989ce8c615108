#!/usr/bin/env bash
# Benchmarks of the walking skeleton, on this machine, in one run:
#  1. the time from `./baton local` to a healthy API (cold: a fresh data folder; warm: the same folder again),
#  2. the end-to-end time of a two-step no-op pipeline (median of 20) against a bare Temporal workflow of the
#     same shape on the same dev server (see NoopPipelines.java).
# Usage: bench/skeleton.sh [RUNS]   (jars are built first when stale)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-20}"
export BATON_DATA_DIR="$(mktemp -d /tmp/baton-bench.XXXXXX)"
export BATON_HTTP_PORT="${BATON_HTTP_PORT:-38080}" BATON_ADMIN_PORT="${BATON_ADMIN_PORT:-38081}"
export BATON_TEMPORAL_PORT="${BATON_TEMPORAL_PORT:-37233}" BATON_TEMPORAL_UI_PORT="${BATON_TEMPORAL_UI_PORT:-38233}"
API="http://127.0.0.1:$BATON_HTTP_PORT/api/v1"

[ -f bench/target/baton-bench.jar ] && [ -z "$(find bench/src -newer bench/target/baton-bench.jar -print -quit)" ] \
  || mvn -B -q -DskipTests package >&2
./baton help >/dev/null

start_local() {
  local t0 t1
  t0=$(date +%s.%N)
  ./baton local >>"$BATON_DATA_DIR/bench-local.log" 2>&1 &
  PID=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$API/health")" = 200 ]; do sleep 0.05; done
  t1=$(date +%s.%N)
  ELAPSED=$(python3 -c "print(f'{($t1 - $t0):.2f}')")
}
stop_local() { kill "$PID"; wait "$PID" 2>/dev/null || true; }

start_local; cold=$ELAPSED; stop_local
start_local; warm=$ELAPSED
echo "./baton local to healthy: cold (fresh data folder) ${cold}s, warm (same folder) ${warm}s"
java -cp bench/target/baton-bench.jar io.baton.bench.NoopPipelines "$API" "$BATON_DATA_DIR/admin.token" \
  "127.0.0.1:$BATON_TEMPORAL_PORT" "$RUNS"
stop_local
rm -rf "$BATON_DATA_DIR"
