# Sourced by the benchmark scripts that measure against local mode: builds the jars when stale, then starts
# `./baton local` on free ports with a fresh data folder under $TMP, in a session of its own (stopped with `stop`
# from processes.sh). Sets API and BATON_PID; the helper named by $HELPER gives the ports and waits for health.

# build_when_stale MODULE...: mvn package when a jar is missing or older than a source of the modules given
build_when_stale() {
  if [ -n "$(find pom.xml "$@" -newer server/target/baton-server.jar \( -name '*.java' -o -name 'pom.xml' \
      -o -path '*/src/main/resources/*' \) -print -quit 2>/dev/null)" ] \
      || [ ! -f server/target/baton-server.jar ] || [ ! -f activities/target/baton-worker.jar ] \
      || [ ! -f cli/target/baton-cli.jar ]; then
    log "building Baton (mvn package)"
    mvn -B -q -DskipTests package >&2
  fi
}

# start_local_mode [local|demo]: ./baton local (default) or ./baton demo, its output in $BATON_LOG
start_local_mode() {
  local mode="${1:-local}" ports_text
  ports_text="$(python3 "$HELPER" ports 5)"
  mapfile -t PORTS <<<"$ports_text"
  export BATON_DATA_DIR="$TMP/baton"
  export BATON_HTTP_PORT="${PORTS[0]}" BATON_ADMIN_PORT="${PORTS[1]}"
  export BATON_TEMPORAL_PORT="${PORTS[2]}" BATON_TEMPORAL_UI_PORT="${PORTS[3]}" BATON_DATABASE_PORT="${PORTS[4]}"
  API="http://127.0.0.1:$BATON_HTTP_PORT/api/v1"
  mkdir -p "$BATON_DATA_DIR"
  log "Baton local mode: API on port $BATON_HTTP_PORT, data in $BATON_DATA_DIR"
  BATON_LOG="$BATON_DATA_DIR/bench-$mode.log"
  setsid ./baton "$mode" >"$BATON_LOG" 2>&1 &
  BATON_PID=$!
  python3 "$HELPER" wait "$API/health" 300 "$BATON_PID" || { tail -30 "$BATON_LOG" >&2; exit 1; }
}
