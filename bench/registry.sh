#!/usr/bin/env bash
# The runs list and run records on a MariaDB database of many runs, over real HTTP, on this machine:
#  1. a fresh database (dropped at the end) on the MariaDB server at BATON_BENCH_DB_HOST:PORT (user baton/baton),
#     migrated by the server itself (`./baton server`, production config, a Temporal dev server on free ports);
#  2. filled with RUNS finished runs (3 steps, an attempt and an output each, 4 parameters, loss and accuracy in
#     run_metrics) and POINTS metric points in metric_chunks (bench/registry_bench.py generate), then ANALYZE;
#  3. EXPLAIN of the runs list's queries (which indexes they use);
#  4. p50/p95 of N requests each, in rounds of one request per figure over one connection: the plain runs list
#     (the baseline), the list filtered by a metric and sorted by it (first page, then every later page by cursor),
#     the list filtered by project, parameters and a metric, and GET /runs/{id}/record of random runs when it
#     answers 200 ("record: not available" otherwise).
# Usage: bench/registry.sh [RUNS] [POINTS] [N]   (defaults 10000, 1000000, 200; jars are built first when stale)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-10000}"
POINTS="${2:-1000000}"
N="${3:-200}"
HELPER="$PWD/bench/registry_bench.py"
DB_HOST="${BATON_BENCH_DB_HOST:-127.0.0.1}" DB_PORT="${BATON_BENCH_DB_PORT:-3306}"
DB_USER="${BATON_BENCH_DB_USER:-baton}" DB_PASSWORD="${BATON_BENCH_DB_PASSWORD:-baton}"
DB="baton_bench_registry_$$"
MYSQL=(mysql -h"$DB_HOST" -P"$DB_PORT" -u"$DB_USER" -p"$DB_PASSWORD")

TMP="$(mktemp -d /tmp/baton-registry.XXXXXX)"
SERVER_PID="" TEMPORAL_PID=""
. bench/processes.sh
cleanup() {
  stop "$SERVER_PID"; SERVER_PID=""
  stop "$TEMPORAL_PID"; TEMPORAL_PID=""
  "${MYSQL[@]}" -e "DROP DATABASE IF EXISTS $DB" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf 'registry.sh: %s\n' "$*" >&2; }

./baton help >/dev/null # the tools environment holds the Temporal CLI
if [ -n "$(find pom.xml workflows activities server -newer server/target/baton-server.jar \( -name '*.java' \
    -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -print -quit 2>/dev/null)" ] \
    || [ ! -f server/target/baton-server.jar ]; then
  log "building Baton (mvn package)"
  mvn -B -q -DskipTests package >&2
fi
PORTS_TEXT="$(python3 "$HELPER" ports 4)"
mapfile -t PORTS <<<"$PORTS_TEXT"

log "Temporal dev server on port ${PORTS[2]}; database $DB on $DB_HOST:$DB_PORT"
setsid "${BATON_TEMPORAL_BIN:-.baton/tools/bin/temporal}" server start-dev --db-filename "$TMP/temporal.db" \
  --ip 127.0.0.1 --port "${PORTS[2]}" --ui-port "${PORTS[3]}" --headless --log-level warn \
  >"$TMP/temporal.log" 2>&1 &
TEMPORAL_PID=$!
"${MYSQL[@]}" -e "CREATE DATABASE $DB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"

export BATON_DATA_DIR="$TMP/data" BATON_HTTP_PORT="${PORTS[0]}" BATON_ADMIN_PORT="${PORTS[1]}"
export BATON_TEMPORAL="127.0.0.1:${PORTS[2]}"
export BATON_DATABASE_URL="jdbc:mysql://$DB_HOST:$DB_PORT/$DB?useUnicode=true&characterEncoding=utf8&rewriteBatchedStatements=true&useSSL=false&allowPublicKeyRetrieval=true"
export BATON_DATABASE_USER="$DB_USER" BATON_DATABASE_PASSWORD="$DB_PASSWORD"
export BATON_ADMIN_TOKEN="bt_bench_$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
printf '%s' "$BATON_ADMIN_TOKEN" >"$TMP/token"
# config/production.yml reads an unset BATON_ADMIN_TOKEN_FILE as null, which the server does not accept
export BATON_ADMIN_TOKEN_FILE="$TMP/data/admin.token"
API="http://127.0.0.1:$BATON_HTTP_PORT/api/v1"
log "Baton server (./baton server, production config) on port $BATON_HTTP_PORT"
setsid ./baton server >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
python3 "$HELPER" wait "$API/health" 180 "$SERVER_PID" || { tail -30 "$TMP/server.log" >&2; exit 1; }

log "generating and loading $RUNS runs and $POINTS metric points"
t0=$(date +%s.%N)
python3 "$HELPER" generate "$RUNS" "$POINTS" "$TMP/ids" | "${MYSQL[@]}" "$DB"
"${MYSQL[@]}" "$DB" -e "ANALYZE TABLE runs, steps, attempts, run_parameters, run_metrics, metric_chunks" >/dev/null
t1=$(date +%s.%N)
counts="$("${MYSQL[@]}" "$DB" -N -e "SELECT (SELECT COUNT(*) FROM runs), (SELECT COUNT(*) FROM steps),
  (SELECT COUNT(*) FROM run_parameters), (SELECT COUNT(*) FROM run_metrics), (SELECT COUNT(*) FROM metric_chunks),
  (SELECT SUM(LENGTH(points) - LENGTH(REPLACE(points, '],[', '')) ) / 3 + COUNT(*) FROM metric_chunks)")"
read -r n_runs n_steps n_params n_metrics n_chunks n_points <<<"$counts"

echo "runs search and records: $n_runs runs, $n_steps steps, $n_params parameters, $n_metrics run_metrics," \
  "$n_chunks metric_chunks holding ${n_points%.*} points (loaded in $(python3 -c "print(f'{$t1 - $t0:.0f}')") s);" \
  "$(nproc) cores, $(date -u +%Y-%m-%d)"
echo "EXPLAIN (as RunListQuery writes them):"
explain() {
  echo "  $1"
  "${MYSQL[@]}" "$DB" -e "EXPLAIN $2" | awk -F'\t' 'NR > 1 {printf "    %-3s %-6s %-22s rows %-6s %s\n", $3, $4, $6, $9, $10}'
}
explain "metric=accuracy:gt:0.9&sort=metric.accuracy:desc" \
  "SELECT r.*, s.metric_value AS sort_value FROM runs r JOIN run_metrics s ON s.run_id = r.id
   AND s.name = 'accuracy' WHERE 1 = 1 AND s.metric_value > 0.9 ORDER BY s.metric_value DESC, s.run_id DESC LIMIT 51"
explain "same, a later page" \
  "SELECT r.*, s.metric_value AS sort_value FROM runs r JOIN run_metrics s ON s.run_id = r.id
   AND s.name = 'accuracy' WHERE 1 = 1 AND s.metric_value > 0.9 AND (s.metric_value < 0.95 OR
   (s.metric_value = 0.95 AND s.run_id < 'f')) ORDER BY s.metric_value DESC, s.run_id DESC LIMIT 51"
explain "project=vision&param=model:eq:forest&param=lr:lt:0.01&metric=loss:lt:0.5&sort=metric.accuracy:desc" \
  "SELECT r.*, s.metric_value AS sort_value FROM runs r JOIN run_metrics s ON s.run_id = r.id
   AND s.name = 'accuracy' JOIN run_parameters p0 ON p0.run_id = r.id AND p0.name = 'model' AND
   p0.value_text = 'forest' JOIN run_parameters p1 ON p1.run_id = r.id AND p1.name = 'lr' AND p1.value_number < 0.01
   JOIN run_metrics m0 ON m0.run_id = r.id AND m0.name = 'loss' AND m0.metric_value < 0.5
   WHERE 1 = 1 AND r.project = 'vision' ORDER BY s.metric_value DESC, s.run_id DESC LIMIT 51"
explain "param=lr:lt:0.0002 (newest first)" \
  "SELECT r.* FROM runs r JOIN run_parameters p0 ON p0.run_id = r.id AND p0.name = 'lr' AND
   p0.value_number < 0.0002 WHERE 1 = 1 ORDER BY r.id DESC LIMIT 51"
python3 "$HELPER" measure "$API" "$TMP/token" "$TMP/ids" "$N"
