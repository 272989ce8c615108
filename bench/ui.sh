#!/usr/bin/env bash
# The web UI's first paint with much data, on this machine: local mode on free ports with a fresh data folder, one
# real run finished through the API as the template, then seeded BY SQL (the mariadb client on local mode's own
# socket; bench/ui_seed.py): RUNS runs in project bench-big and a run with POINTS points of one metric, and as the
# baseline 10 runs in project bench-small and a run with 100 points. Then in headless Chromium (bench/ui_paint.mjs):
# the runs page until its table shows rows, and the run page's metrics tab until its chart draws every point, each
# the median of LOADS loads in a fresh browser context, as performance.now() in the page; printed with each case's
# ratio to its baseline, and the size and time of the raw API answers (curl) the pages are drawn from.
# Usage: bench/ui.sh [RUNS] [POINTS] [LOADS]   (defaults 10000 100000 5; jars are built first when stale; needs node,
#        ui/node_modules (built with the ui module) and chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-10000}"
POINTS="${2:-100000}"
LOADS="${3:-5}"
HELPER="$PWD/bench/metrics_bench.py" # ports and wait

TMP="$(mktemp -d /tmp/baton-ui.XXXXXX)"
BATON_PID=""
. bench/processes.sh
. bench/local_mode.sh
cleanup() {
  stop "$BATON_PID"; BATON_PID=""
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf 'ui.sh: %s\n' "$*" >&2; }

[ -d ui/node_modules/playwright-core ] || (cd ui && npm ci --no-audit --no-fund --loglevel=error)
[ -x "${BATON_CHROMIUM:-/usr/bin/chromium}" ] || { log "needs chromium (apt-get install chromium, or BATON_CHROMIUM)"; exit 1; }
./baton help >/dev/null # the tools environment holds the Temporal CLI
build_when_stale workflows protocol activities server cli
if [ -n "$(find ui/src ui/index.html ui/package.json ui/package-lock.json ui/vite.config.js ui/scripts \
    -newer server/target/baton-server.jar -print -quit)" ]; then
  log "building Baton (mvn package): the web UI changed"
  mvn -B -q -DskipTests package >&2
fi
start_local_mode
TOKEN_FILE="$BATON_DATA_DIR/admin.token"
TOKEN="$(cat "$TOKEN_FILE")"
SOCKET="$BATON_DATA_DIR/mariadb/mariadbd.sock"
[ "${#SOCKET}" -lt 100 ] || SOCKET="/tmp/baton-mariadb-$BATON_DATABASE_PORT.sock" # MariaDbServer.socket()

call() { # METHOD PATH [BODY]
  curl -sf -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$API$2" ${3:+-d "$3"}
}
for p in bench-template bench-big bench-small bench-chart; do call POST /projects "{\"name\": \"$p\"}" >/dev/null; done

log "the template run, through the API (local mode's worker, pool cpu)"
SPEC='name: bench-ui
parameters:
  - {name: lr, type: float, default: 0.01}
steps:
  - name: train
    command: ["sh", "-c", "echo training; echo \"{\\\"epoch\\\": 1, \\\"loss\\\": 0.5, \\\"accuracy\\\": 0.8}\""]'
TEMPLATE="$(call POST /runs "$(python3 -c 'import json,sys; print(json.dumps({"project": "bench-template", "spec": sys.argv[1]}))' "$SPEC")" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
for _ in $(seq 1 600); do
  STATUS="$(call GET "/runs/$TEMPLATE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
  case "$STATUS" in SUCCEEDED) break ;; FAILED|CANCELLED) log "the template run $STATUS"; exit 1 ;; esac
  sleep 0.1
done
[ "$STATUS" = SUCCEEDED ] || { log "the template run did not finish"; exit 1; }

log "seeding by SQL: $RUNS runs, a run with $POINTS points, and the small baseline"
start=$(date +%s.%N)
python3 bench/ui_seed.py runs "$SOCKET" "$TEMPLATE" bench-big "$RUNS" 0b
python3 bench/ui_seed.py runs "$SOCKET" "$TEMPLATE" bench-small 10 0a
BIG_RUN="0c000001${TEMPLATE:8}"
SMALL_RUN="0c000002${TEMPLATE:8}"
python3 bench/ui_seed.py chart "$SOCKET" "$TEMPLATE" bench-chart "$POINTS" "$BIG_RUN"
python3 bench/ui_seed.py chart "$SOCKET" "$TEMPLATE" bench-chart 100 "$SMALL_RUN"
log "seeded in $(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))" "$start" "$(date +%s.%N)") s"

answer() { # NAME PATH: the size and time of the API's answer, as curl sees it
  local stats
  stats="$(curl -sf -o /dev/null -w '%{size_download} %{time_total}' -H "Authorization: Bearer $TOKEN" "$API$2")"
  printf '"%s": {"path": "%s", "bytes": %s, "seconds": %s}' "$1" "$2" "${stats% *}" "${stats#* }"
}
call GET "/runs/$BIG_RUN/metrics" >/dev/null # warm
ANSWERS="{$(answer runs_page_big "/runs?project=bench-big&limit=50"), $(answer runs_page_small "/runs?project=bench-small&limit=50"), $(answer metrics_big "/runs/$BIG_RUN/metrics"), $(answer metrics_small "/runs/$SMALL_RUN/metrics")}"
COUNTED="$(mariadb --socket="$SOCKET" -N baton -e "SELECT COUNT(*) FROM runs WHERE project = 'bench-big'")"

CASES="$(cat <<EOF
[{"name": "runs_small", "route": "/runs?project=bench-small", "selector": "[data-testid=runs-table] tbody tr"},
 {"name": "runs_big", "route": "/runs?project=bench-big", "selector": "[data-testid=runs-table] tbody tr", "baseline": "runs_small"},
 {"name": "chart_small", "route": "/runs/$SMALL_RUN?tab=metrics", "selector": "[data-testid=chart]", "attribute": "data-points", "value": "100"},
 {"name": "chart_big", "route": "/runs/$BIG_RUN?tab=metrics", "selector": "[data-testid=chart]", "attribute": "data-points", "value": "$POINTS", "baseline": "chart_small"}]
EOF
)"
log "first paint, $LOADS loads each in headless Chromium"
PAINT="$(node bench/ui_paint.mjs "http://127.0.0.1:$BATON_HTTP_PORT" "$TOKEN_FILE" "$LOADS" "$CASES")"
echo "web UI first paint ($(nproc) cores, $(date -u +%Y-%m-%d), $COUNTED runs in bench-big, $POINTS points): $PAINT"
echo "API answers: $ANSWERS"
