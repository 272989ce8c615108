#!/usr/bin/env bash
# The CLI's and the Python client's cost per command, on this machine: local mode on free ports with a fresh data
# folder, then COUNT calls each of a listing of runs by curl (the baseline: the route alone), by the CLI's jar
# (`baton runs list`, and `baton --version`, a JVM start without a request) and by the Python package
# (`baton.Client().runs()`). Prints each median and its ratio to curl's. The CLI is a JVM per command: the ratio
# says what a user waits for beyond the server's answer.
# Usage: bench/cli.sh [COUNT]   (default 20; jars are built first when stale)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-20}"
HELPER="$PWD/bench/cli_bench.py"

TMP="$(mktemp -d /tmp/baton-cli.XXXXXX)"
BATON_PID=""
. bench/processes.sh
. bench/local_mode.sh
cleanup() {
  stop "$BATON_PID"; BATON_PID=""
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf 'cli.sh: %s\n' "$*" >&2; }

./baton help >/dev/null # the tools environment holds the Temporal CLI
build_when_stale workflows protocol activities server cli
start_local_mode

log "$COUNT calls each: curl, the CLI, the Python client"
RESULT="$(python3 "$HELPER" measure "$API" "$BATON_DATA_DIR/admin.token" "$COUNT" "$PWD/cli/target/baton-cli.jar" "$PWD/python")"
echo "one listing of runs ($(nproc) cores, $(date -u +%Y-%m-%d)): $RESULT"
