#!/usr/bin/env bash
# What the /serve proxy adds to a prediction, on this machine, in one run: a local-mode server (its own MariaDB and
# Temporal dev server, no worker) and two serving processes on 127.0.0.1, Python's standard-library HTTP server
# (server/src/test/resources/serving/replica.py, as the proxy tests use it) and a JDK HttpServer
# (bench/JdkReplica.java), each made the one READY replica of an endpoint by rows written into the server's
# database (as the endpoint workflow writes them). Then, per backend, rounds of REQUESTS `POST /predict` from THREADS
# client threads on keep-alive connections, straight to the process and through `/serve/default/<name>/predict`,
# alternating, after a warm-up round each. Prints p50/p99 and requests per second of each side and the ratios.
# Usage: bench/serving.sh [REQUESTS] [THREADS] [ROUNDS]   (defaults 3000, 4, 3; jars are built first when stale)
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS="${1:-3000}" THREADS="${2:-4}" ROUNDS="${3:-3}"
TMP="$(mktemp -d /tmp/baton-serving.XXXXXX)"
PID_SERVER="" PID_PY="" PID_JDK=""
. bench/processes.sh
cleanup() {
  stop "$PID_SERVER"; PID_SERVER=""
  stop "$PID_PY"; PID_PY=""
  stop "$PID_JDK"; PID_JDK=""
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf 'serving.sh: %s\n' "$*" >&2; }

./baton help >/dev/null # the tools environment holds the Temporal CLI
if [ -n "$(find pom.xml workflows activities server -newer server/target/baton-server.jar \( -name '*.java' \
    -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -print -quit 2>/dev/null)" ] \
    || [ ! -f server/target/baton-server.jar ]; then
  log "building Baton (mvn package)"
  mvn -B -q -DskipTests package >&2
fi
PORTS_TEXT="$(python3 bench/metrics_bench.py ports 7)"
mapfile -t PORTS <<<"$PORTS_TEXT"

log "a local-mode server on port ${PORTS[0]}; replicas: python on ${PORTS[5]}, JDK on ${PORTS[6]}"
(
  export BATON_DATA_DIR="$TMP/data" BATON_HTTP_PORT="${PORTS[0]}" BATON_ADMIN_PORT="${PORTS[1]}"
  export BATON_TEMPORAL_PORT="${PORTS[2]}" BATON_TEMPORAL_UI_PORT="${PORTS[3]}" BATON_DATABASE_PORT="${PORTS[4]}"
  export BATON_LOCAL_WORKER=false
  exec setsid ./baton local >"$TMP/server.log" 2>&1
) &
PID_SERVER=$!
(exec setsid python3 server/src/test/resources/serving/replica.py py "${PORTS[5]}" >"$TMP/py.log" 2>&1) &
PID_PY=$!
(exec setsid java bench/JdkReplica.java "${PORTS[6]}" >"$TMP/jdk.log" 2>&1) &
PID_JDK=$!
python3 bench/metrics_bench.py wait "http://127.0.0.1:${PORTS[5]}/health" 60 "$PID_PY"
python3 bench/metrics_bench.py wait "http://127.0.0.1:${PORTS[6]}/health" 60 "$PID_JDK"
python3 bench/metrics_bench.py wait "http://127.0.0.1:${PORTS[0]}/api/v1/health" 240 "$PID_SERVER" \
  || { tail -30 "$TMP/server.log" >&2; exit 1; }

# the endpoints' rows, as the endpoint workflow would write them (MariaDB's root over its socket)
SOCKET="$TMP/data/mariadb/mariadbd.sock"
[ -S "$SOCKET" ] || SOCKET="/tmp/baton-mariadb-${PORTS[4]}.sock"
NOW="$(date +%s)000"
sql=""
for e in "py:${PORTS[5]}" "jdk:${PORTS[6]}"; do
  name="${e%%:*}" port="${e##*:}"
  sql+="INSERT INTO endpoints (id, project, name, model, model_project, model_name, status, pool, replicas, revision,"
  sql+=" stable_revision, created_by, created_at, updated_at) VALUES ('bench-$name', 'default', '$name', 'm/1',"
  sql+=" 'default', 'm', 'READY', 'cpu', 1, 1, 1, 'bench', $NOW, $NOW);"
  sql+="INSERT INTO endpoint_revisions (endpoint_id, revision, version, spec, created_by, created_at) VALUES"
  sql+=" ('bench-$name', 1, 1, '{}', 'bench', $NOW);"
  sql+="INSERT INTO endpoint_replicas (id, endpoint_id, revision, version, status, worker, address, started_at)"
  sql+=" VALUES ('bench-$name-1', 'bench-$name', 1, 1, 'READY', 'bench', '127.0.0.1:$port', $NOW);"
done
mariadb --socket="$SOCKET" -u root baton -e "$sql"

# the server's JVM (the process listening on its port), whose CPU time per request is reported
SERVER_JAVA="$(ss -ltnpH "( sport = :${PORTS[0]} )" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)"
echo "/serve proxy overhead: POST /predict, $REQUESTS requests a round from $THREADS threads, $ROUNDS rounds a side"\
  "after a warm-up round; medians of the rounds; $(nproc) cores, $(date -u +%Y-%m-%d)"
[ -z "${BENCH_JFR:-}" ] || jcmd "$SERVER_JAVA" JFR.start name=bench settings=profile filename="$BENCH_JFR" >&2
python3 bench/serving_bench.py "http://127.0.0.1:${PORTS[0]}" "$TMP/data/admin.token" "$SERVER_JAVA" "$ROUNDS" "$REQUESTS" \
  "$THREADS" "python=http://127.0.0.1:${PORTS[5]}/predict=/serve/default/py/predict" \
  "jdk=http://127.0.0.1:${PORTS[6]}/predict=/serve/default/jdk/predict"
[ -z "${BENCH_JFR:-}" ] || jcmd "$SERVER_JAVA" JFR.dump name=bench filename="$BENCH_JFR" >&2
