#!/bin/sh
# Starts a Baton worker configured by the environment (see config/worker.yml for every variable).
set -eu
: "${BATON_SERVER:?set BATON_SERVER to the Baton server URL, e.g. http://baton:8080}"
: "${BATON_TOKEN:?set BATON_TOKEN to a worker token (POST /api/v1/tokens with kind worker)}"
: "${BATON_TEMPORAL:?set BATON_TEMPORAL to the Temporal frontend, host:port}"
BATON_HOME="${BATON_HOME:-/opt/baton}"
# steps start with baton-launch when it is installed next to the jar (else with setpriv and setsid)
if [ -z "${BATON_LAUNCHER:-}" ] && [ -x "$BATON_HOME/baton-launch" ]; then
  export BATON_LAUNCHER="$BATON_HOME/baton-launch"
fi
exec java ${BATON_WORKER_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m} -jar "$BATON_HOME/baton-worker.jar" \
  "${BATON_WORKER_CONFIG:-$BATON_HOME/worker.yml}"
