#!/usr/bin/env bash
# Worker benchmarks (issue 5), on this machine, in one run:
#  1. idle memory (RSS) of the server (local mode without its in-process worker) and of one worker process;
#  2. a 1 GiB step output: the worker's upload, hashed on the way, against sha256sum of the same file;
#  3. failover: from kill -9 of the worker running a step to the step running again on another worker, with the
#     default heartbeat timeout (30 s).
# Usage: bench/workers.sh [OUTPUT_MIB]
set -euo pipefail
cd "$(dirname "$0")/.."
MIB="${1:-1024}"
export BATON_DATA_DIR="$(mktemp -d /tmp/baton-bench.XXXXXX)" BATON_LOCAL_WORKER=false
export BATON_HTTP_PORT="${BATON_HTTP_PORT:-38080}" BATON_ADMIN_PORT="${BATON_ADMIN_PORT:-38081}"
export BATON_TEMPORAL_PORT="${BATON_TEMPORAL_PORT:-37233}" BATON_TEMPORAL_UI_PORT="${BATON_TEMPORAL_UI_PORT:-38233}"
API="http://127.0.0.1:$BATON_HTTP_PORT/api/v1"
[ -f bench/target/baton-bench.jar ] && [ -z "$(find bench/src -newer bench/target/baton-bench.jar -print -quit)" ] \
  || mvn -B -q -DskipTests package >&2
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$BATON_DATA_DIR"; }
trap cleanup EXIT

./baton local >"$BATON_DATA_DIR/local.log" 2>&1 & PIDS+=($!)
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$API/health")" = 200 ]; do sleep 0.2; done
TOKEN=$(cat "$BATON_DATA_DIR/admin.token")
auth=(-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json')
worker_token() {
  curl -s "${auth[@]}" -d "{\"kind\": \"worker\", \"name\": \"$1\"}" "$API/tokens" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
start_worker() { # name
  BATON_SERVER="http://127.0.0.1:$BATON_HTTP_PORT" BATON_TOKEN="$(worker_token "$1")" \
  BATON_TEMPORAL="127.0.0.1:$BATON_TEMPORAL_PORT" BATON_WORKER_NAME="$1" BATON_POOLS=bench \
  BATON_PAYLOAD_KEY_FILE="$BATON_DATA_DIR/payload.key" BATON_WORK_DIR="$BATON_DATA_DIR/$1" ./baton worker >"$BATON_DATA_DIR/$1.log" 2>&1 & PIDS+=($!)
  until curl -s "${auth[@]}" "$API/workers/$1" | grep -q '"ONLINE"'; do sleep 0.2; done
}
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

start_worker wa
sleep 20 # idle: let both settle after start
SERVER_PID=$(pgrep -f "baton-server.jar server" | head -1)
WORKER_PID=$(pgrep -f "baton-worker.jar.*" | head -1)
s=$(rss_mib "$SERVER_PID"); w=$(rss_mib "$WORKER_PID")
echo "idle RSS: server ${s} MiB, worker ${w} MiB, together $((s + w)) MiB (goal: at most 400)"

head -c "${MIB}M" /dev/urandom > "$BATON_DATA_DIR/output.bin"
java -cp bench/target/baton-bench.jar io.baton.bench.Upload "$API" "$(worker_token uploader)" "$BATON_DATA_DIR/output.bin"
rm -f "$BATON_DATA_DIR/output.bin"

start_worker wb
RUN=$(curl -s "${auth[@]}" -d '{"spec": "name: failover\nsteps:\n  - name: long\n    pool: bench\n    command: [\"sh\", \"-c\", \"sleep 60\"]\n"}' "$API/runs" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
attempts() { curl -s "${auth[@]}" "$API/runs/$RUN" | python3 -c 'import json,sys; a=json.load(sys.stdin)["steps"][0]["attempts"]; print(len(a), a[0]["worker"] if a else "")'; }
until [ "$(attempts | cut -d' ' -f1)" = 1 ]; do sleep 0.2; done
VICTIM=$(attempts | cut -d' ' -f2)
VPID=$(pgrep -f "BATON_WORKER_NAME=$VICTIM" || true)
for p in $(pgrep -f "baton-worker.jar"); do
  if tr '\0' '\n' < "/proc/$p/environ" | grep -qx "BATON_WORKER_NAME=$VICTIM"; then VPID=$p; fi
done
t0=$(date +%s.%N); kill -9 "$VPID"
until [ "$(attempts | cut -d' ' -f1)" = 2 ]; do sleep 0.2; done
t1=$(date +%s.%N)
python3 -c "print(f'failover: kill -9 of the worker running a step -> the step running again elsewhere: {$t1 - $t0:.1f} s (heartbeat timeout 30 s)')"
curl -s "${auth[@]}" -X POST -d '{}' "$API/runs/$RUN/cancel" >/dev/null
