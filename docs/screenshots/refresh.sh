#!/usr/bin/env bash
# Refreshes the web UI's screenshots in this folder: `./baton demo` on a fresh data folder and free ports, a second
# run of the demo's pipeline (a reproduction, for the compare page), then docs/screenshots/shoot.mjs saves the main
# pages (runs, a run and its metrics, compare, pipelines, a model, workers & pools, schedules, an endpoint, audit) as
# PNGs at 1400x900, and the demo is stopped. Needs what ./baton demo needs, plus node, ui/node_modules and chromium.
# Usage: docs/screenshots/refresh.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
HELPER="$PWD/bench/metrics_bench.py" # ports and wait
TMP="$(mktemp -d /tmp/baton-shots.XXXXXX)"
BATON_PID=""
. bench/processes.sh
. bench/local_mode.sh
cleanup() {
  local code=$?
  [ "$code" = 0 ] || [ ! -f "${BATON_LOG:-}" ] || { log "the demo's log ends:"; tail -40 "$BATON_LOG" >&2; }
  stop "$BATON_PID"; BATON_PID=""
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf 'refresh.sh: %s\n' "$*" >&2; }

[ -d ui/node_modules/playwright-core ] || (cd ui && npm ci --no-audit --no-fund --loglevel=error)
start_local_mode demo
for _ in $(seq 1 1800); do # the demo trains, registers, deploys: a few minutes at most
  if grep -q 'Baton stays up' "$BATON_LOG"; then break; fi
  if grep -q 'demo: failed' "$BATON_LOG"; then tail -30 "$BATON_LOG" >&2; exit 1; fi
  kill -0 "$BATON_PID" 2>/dev/null || { tail -30 "$BATON_LOG" >&2; exit 1; }
  sleep 0.2
done
grep -q 'Baton stays up' "$BATON_LOG" || { log "the demo did not finish"; tail -30 "$BATON_LOG" >&2; exit 1; }
TOKEN_FILE="$BATON_DATA_DIR/admin.token"
TOKEN="$(cat "$TOKEN_FILE")"
call() { # METHOD PATH [BODY]
  local body=()
  [ $# -lt 3 ] || body=(-d "$3")
  curl -sf -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$API$2" "${body[@]}"
}
id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }

RUN_A="$(call GET '/runs?project=demo&limit=1' | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
log "reproducing run $RUN_A, for the compare page"
RUN_B="$(call POST "/runs/$RUN_A/reproduce" | id)"
for _ in $(seq 1 1800); do
  STATUS="$(call GET "/runs/$RUN_B" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
  case "$STATUS" in SUCCEEDED|FAILED|CANCELLED) break ;; esac
  sleep 0.2
done
log "run $RUN_B: $STATUS"
log "a paused nightly schedule of the iris pipeline, for the schedules page"
SPEC="$(python3 -c 'import json,sys; print(json.dumps({"project": "demo", "spec": open("examples/iris/baton.yaml").read()}))')"
call POST /pipelines "$SPEC" >/dev/null
call POST /schedules '{"name": "iris-nightly", "project": "demo", "pipeline": "iris", "cron": "0 3 * * *",
  "parameters": {"epochs": 20}, "paused": true, "note": "retrain every night once the data is in"}' >/dev/null
node docs/screenshots/shoot.mjs "http://127.0.0.1:$BATON_HTTP_PORT" "$TOKEN_FILE" "$RUN_A" "$RUN_B"
