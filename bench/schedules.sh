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
. bench/local_mode.sh
cleanup() {
  stop "$BATON_PID"; BATON_PID=""
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf 'schedules.sh: %s\n' "$*" >&2; }

./baton help >/dev/null # the tools environment holds the Temporal CLI
build_when_stale workflows activities server
start_local_mode

log "a schedule every 1 s: $WARMUP fires of warm-up, then $FIRES measured"
RESULT="$(python3 "$HELPER" fires "$API" "$BATON_DATA_DIR/admin.token" "$FIRES" "$WARMUP")"
echo "schedule fire to step start ($(nproc) cores, $(date -u +%Y-%m-%d)): $RESULT"
