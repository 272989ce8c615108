"""Helper of bench/schedules.sh: free ports, waiting for the server, and the fires' measurement."""
import json
import statistics
import sys
import time

from metrics_bench import call, instant, ports, wait  # noqa: F401 (ports and wait are commands of this helper)

SPEC = """name: tick
steps:
  - name: tick
    command: ["true"]
    resources: {cpus: 0.1, memory: 32Mi}
"""


def fires(api, token_file, count, warmup):
    """A schedule every 1 s (overlap allowAll) of a one-step pipeline; per fire: fire time -> its step's start (and
    fire time -> its run recorded by the schedule's action, the first half of the way)."""
    count, warmup = int(count), int(warmup)
    token = open(token_file).read().strip()
    call(api, token, "POST", "/pipelines", {"project": "default", "spec": SPEC})
    call(api, token, "POST", "/schedules", {"name": "bench", "project": "default", "pipeline": "tick",
                                            "every": "1s", "overlap": "allowAll"})
    deadline = time.monotonic() + count + warmup + 120
    measured = {}
    try:
        while len(measured) < count + warmup and time.monotonic() < deadline:
            time.sleep(1)
            for run in call(api, token, "GET", "/runs?project=default&limit=500")["items"]:
                if run["id"] in measured or run["status"] != "SUCCEEDED":
                    continue
                record = call(api, token, "GET", "/runs/%s/record" % run["id"])
                attempt = record["run"]["steps"][0]["attempts"][0]
                scheduled = instant(record["trigger"]["scheduledAt"])
                measured[run["id"]] = (scheduled, instant(attempt["startedAt"]) - scheduled,
                                       instant(record["run"]["createdAt"]) - scheduled)
    finally:
        call(api, token, "POST", "/schedules/bench/pause", {})
    by_time = sorted(measured.values())[warmup:warmup + count]
    latencies = [lat for _, lat, _ in by_time]
    recorded = sorted(rec for _, _, rec in by_time)
    if len(latencies) < count:
        sys.exit("only %d fires were measured of %d" % (len(latencies), count))
    latencies.sort()
    print(json.dumps({
        "fires": len(latencies),
        "p50_seconds": round(statistics.median(latencies), 3),
        "p90_seconds": round(latencies[int(len(latencies) * 0.9) - 1], 3),
        "max_seconds": round(latencies[-1], 3),
        "min_seconds": round(latencies[0], 3),
        "fire_to_run_recorded_p50_seconds": round(statistics.median(recorded), 3) if recorded else None,
    }))


if __name__ == "__main__":
    globals()[sys.argv[1]](*sys.argv[2:])
