#!/usr/bin/env bash
# Metric ingest, on this machine, in one run (one after the other, never at the same time):
#  1. the step's command alone: a python3 one-liner printing POINTS lines {"step": i, "loss": ...}, to /dev/null;
#  2. MLflow: a local tracking server (sqlite backend) in its own virtualenv (.baton/bench-venv, made on first
#     use with pip), MlflowClient().log_batch of BATCH points a call, POINTS points in all;
#  3. Baton: local mode on free ports with a fresh data folder, a one-step pipeline running that command, from
#     submission until the run is SUCCEEDED and GET /runs/{id}/metrics returns every point.
# Prints the figures and the ratio Baton / MLflow in points per second.
# Usage: bench/metrics.sh [POINTS] [BATCH] [RUNS]   (defaults 100000, 1000, 5; jars are built first when stale)
# MLflow: median of RUNS. Baton: the fresh server's first run, then the median of RUNS more.
# BATON_MAX_REQUEST_BYTES=N (a diagnostic) runs Baton with limits.maxRequestBytes N instead of 1 MiB.
# Exits 1 when the Baton run does not succeed (its figures up to then are printed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
POINTS="${1:-100000}"
BATCH="${2:-1000}"
RUNS="${3:-5}"
HELPER="$ROOT/bench/metrics_bench.py"
VENV="$ROOT/.baton/bench-venv"

TMP="$(mktemp -d /tmp/baton-metrics.XXXXXX)"
MLFLOW_PID="" BATON_PID=""
. bench/processes.sh
cleanup() {
  stop "$BATON_PID"; BATON_PID=""
  stop "$MLFLOW_PID"; MLFLOW_PID=""
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A sandbox may set this; a step's python then writes every line on its own. Steps print as Python does by
# default (block-buffered into a pipe), here as in the baseline.
unset PYTHONUNBUFFERED

log() { printf 'metrics.sh: %s\n' "$*" >&2; }

# Everything that installs or builds happens before the first measurement.
if [ ! -x "$VENV/bin/mlflow" ]; then
  log "installing MLflow into $VENV (pip)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check mlflow
fi
./baton help >/dev/null # the tools environment (python3 for steps, the Temporal CLI) is made by `./baton local`
if [ -n "$(find pom.xml workflows activities server -newer server/target/baton-server.jar \( -name '*.java' \
    -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -print -quit 2>/dev/null)" ] \
    || [ ! -f server/target/baton-server.jar ] || [ ! -f activities/target/baton-worker.jar ]; then
  log "building Baton (mvn package)"
  mvn -B -q -DskipTests package >&2
fi
STEP_PYTHON="$ROOT/.baton/tools/bin/python3" # what `python3` is inside a step: the tools environment comes first
[ -x "$STEP_PYTHON" ] || STEP_PYTHON="$(command -v python3)"
PORTS_TEXT="$(python3 "$HELPER" ports 5)"
mapfile -t PORTS <<<"$PORTS_TEXT"

log "the step's command alone ($POINTS lines to /dev/null)"
python3 "$HELPER" direct "$STEP_PYTHON" "$POINTS" >"$TMP/direct.json"

log "MLflow $("$VENV/bin/python" -c 'import mlflow; print(mlflow.__version__)'): server on port ${PORTS[0]}"
mkdir -p "$TMP/mlflow/artifacts"
setsid "$VENV/bin/mlflow" server --backend-store-uri "sqlite:///$TMP/mlflow/mlflow.db" \
  --default-artifact-root "$TMP/mlflow/artifacts" --host 127.0.0.1 --port "${PORTS[0]}" \
  >"$TMP/mlflow/server.log" 2>&1 &
MLFLOW_PID=$!
python3 "$HELPER" wait "http://127.0.0.1:${PORTS[0]}/health" 180 "$MLFLOW_PID" || { tail -20 "$TMP/mlflow/server.log" >&2; exit 1; }
log "MLflow: $POINTS points, $BATCH a log_batch call, $RUNS times"
"$VENV/bin/python" "$HELPER" mlflow "http://127.0.0.1:${PORTS[0]}" "$POINTS" "$BATCH" "$RUNS" >"$TMP/mlflow.json"
stop "$MLFLOW_PID"; MLFLOW_PID=""

export BATON_DATA_DIR="$TMP/baton"
export BATON_HTTP_PORT="${PORTS[1]}" BATON_ADMIN_PORT="${PORTS[2]}"
export BATON_TEMPORAL_PORT="${PORTS[3]}" BATON_TEMPORAL_UI_PORT="${PORTS[4]}"
API="http://127.0.0.1:$BATON_HTTP_PORT/api/v1"
mkdir -p "$BATON_DATA_DIR"
CONFIG=config/local.yml
if [ -n "${BATON_MAX_REQUEST_BYTES:-}" ]; then # a diagnostic: the server's cap on a JSON body (a log batch too)
  CONFIG="$TMP/local.yml"
  { cat config/local.yml; printf '\nlimits:\n  maxRequestBytes: %s\n' "$BATON_MAX_REQUEST_BYTES"; } >"$CONFIG"
fi
log "Baton local mode ($CONFIG${BATON_MAX_REQUEST_BYTES:+, limits.maxRequestBytes $BATON_MAX_REQUEST_BYTES}):" \
  "API on port $BATON_HTTP_PORT, data in $BATON_DATA_DIR"
setsid ./baton local "$CONFIG" >"$BATON_DATA_DIR/bench-local.log" 2>&1 &
BATON_PID=$!
python3 "$HELPER" wait "$API/health" 300 "$BATON_PID" || { tail -30 "$BATON_DATA_DIR/bench-local.log" >&2; exit 1; }
log "Baton: a one-step pipeline printing $POINTS metric lines, 1 + $RUNS times"
python3 "$HELPER" baton "$API" "$BATON_DATA_DIR/admin.token" "$POINTS" "$RUNS" >"$TMP/baton.json"
stop "$BATON_PID"; BATON_PID=""

echo "metric ingest, $POINTS points ($(nproc) cores, $(date -u +%Y-%m-%d))"
python3 "$HELPER" report "$TMP/direct.json" "$TMP/mlflow.json" "$TMP/baton.json"
