#!/usr/bin/env bash
# Pipeline benchmarks (issue 4), each against a bare Temporal baseline on the same dev server, in one run:
#  1. step overhead: per-step time of a 10-step chain of no-op steps, p50 and p95, as a ratio;
#  2. throughput: 100 three-step no-op pipelines submitted at once, as a ratio of rates.
# Local mode runs with BATON_SLOTS worker slots; the baseline gets as many activity slots.
# WARMUP chains run on both sides before the measured ones (default 10, 100 steps): the server is long-lived, and
# its first hundred steps after a start also compile its code; the baseline gets the same warm-up.
# Usage: bench/pipelines.sh [STEPS] [RUNS] [COUNT] [SLOTS] [WARMUP]
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS="${1:-10}" RUNS="${2:-10}" COUNT="${3:-100}"
export BATON_SLOTS="${4:-8}"
WARMUP="${5:-10}"
export BATON_DATA_DIR="$(mktemp -d /tmp/baton-bench.XXXXXX)"
export BATON_HTTP_PORT="${BATON_HTTP_PORT:-38080}" BATON_ADMIN_PORT="${BATON_ADMIN_PORT:-38081}"
export BATON_TEMPORAL_PORT="${BATON_TEMPORAL_PORT:-37233}" BATON_TEMPORAL_UI_PORT="${BATON_TEMPORAL_UI_PORT:-38233}"
API="http://127.0.0.1:$BATON_HTTP_PORT/api/v1"
[ -f bench/target/baton-bench.jar ] && [ -z "$(find bench/src -newer bench/target/baton-bench.jar -print -quit)" ] \
  || mvn -B -q -DskipTests package >&2

./baton local >"$BATON_DATA_DIR/bench-local.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$BATON_DATA_DIR"' EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$API/health")" = 200 ]; do sleep 0.1; done
sleep 2 # the in-process worker registers just after the API answers
BENCH="java -cp bench/target/baton-bench.jar"
$BENCH io.baton.bench.StepOverhead "$API" "$BATON_DATA_DIR/admin.token" "127.0.0.1:$BATON_TEMPORAL_PORT" \
  "$STEPS" "$RUNS" "$BATON_SLOTS" "$WARMUP"
$BENCH io.baton.bench.Throughput "$API" "$BATON_DATA_DIR/admin.token" "127.0.0.1:$BATON_TEMPORAL_PORT" \
  "$COUNT" "$BATON_SLOTS"
