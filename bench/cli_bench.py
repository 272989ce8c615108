"""Helper of bench/cli.sh: the time of one listing of runs by curl (the baseline), the CLI and the Python client."""
import json
import os
import statistics
import subprocess
import sys
import time

from metrics_bench import ports, wait  # noqa: F401 (commands of this helper)


def timed(command, env, count):
    times = []
    for _ in range(count):
        start = time.monotonic()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.monotonic() - start)
    return statistics.median(times)


def measure(api, token_file, count, cli_jar, python_dir):
    count = int(count)
    with open(token_file) as f:
        token = f.read().strip()
    env = dict(os.environ, BATON_SERVER=api, BATON_TOKEN=token, PYTHONPATH=python_dir,
               XDG_CONFIG_HOME=os.path.dirname(token_file))
    java = ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx256m", "-jar", cli_jar]
    commands = {
        "curl": ["curl", "-sf", "-H", "Authorization: Bearer " + token, api + "/runs?limit=5"],
        "cli_version": java + ["--version"],
        "cli_runs_list": java + ["runs", "list", "--limit", "5"],
        "cli_runs_list_json": java + ["runs", "list", "--limit", "5", "--json"],
        "python_runs": [sys.executable, "-c", "import baton; baton.Client().runs(limit=5)"],
    }
    for command in commands.values():  # warm the server's routes and the page cache
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    medians = {name: timed(command, env, count) for name, command in commands.items()}
    base = medians["curl"]
    print(json.dumps({
        "calls_each": count,
        "median_seconds": {name: round(value, 3) for name, value in medians.items()},
        "ratio_to_curl": {name: round(value / base, 1) for name, value in medians.items() if name != "curl"},
    }))


if __name__ == "__main__":
    globals()[sys.argv[1]](*sys.argv[2:])
