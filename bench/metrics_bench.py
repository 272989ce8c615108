#!/usr/bin/env python3
"""Helper of bench/metrics.sh: metric ingest through Baton against MLflow's log_batch.

  metrics_bench.py ports N                       N free TCP ports on 127.0.0.1, one a line
  metrics_bench.py wait URL SECONDS              waits until URL answers 200
  metrics_bench.py direct PYTHON POINTS          the step's command run directly, stdout to /dev/null
  metrics_bench.py mlflow URI POINTS BATCH       MlflowClient.log_batch, BATCH points a call (bench venv's python)
  metrics_bench.py baton API TOKEN_FILE POINTS   one run of a one-step pipeline printing POINTS metric lines

Every measurement prints one JSON object on stdout; bench/metrics.sh reads them back with `report`.
  metrics_bench.py report DIRECT MLFLOW BATON    the table of figures and the ratio
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime


def step_program(points):
    """The step: POINTS lines like {"step": 12, "loss": 0.076923}; `step` is an axis, so one point each."""
    return ("for i in range(%d): print('{\"step\": %%d, \"loss\": %%.6f}' %% (i, 1.0 / (i + 1)))" % points)


def ports(n):
    socks, found = [], []
    for _ in range(int(n)):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        found.append(s.getsockname()[1])
    for s in socks:
        s.close()
    print("\n".join(map(str, found)))


def wait(url, seconds):
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    sys.exit("%s did not answer within %ss" % (url, seconds))


def direct(python, points):
    points = int(points)
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        with open(os.devnull, "wb") as null:
            subprocess.run([python, "-c", step_program(points)], stdout=null, check=True)
        runs.append(time.perf_counter() - t0)
    print(json.dumps({"points": points, "seconds": sorted(runs)[1], "runs": runs}))


def mlflow(uri, points, batch):
    from mlflow.entities import Metric
    from mlflow.tracking import MlflowClient

    points, batch = int(points), int(batch)
    client = MlflowClient(tracking_uri=uri)
    experiment = client.create_experiment("metric-ingest-%d" % os.getpid())
    run = client.create_run(experiment).info.run_id
    # one warm-up call on another metric name, so that the timed calls find the connection and the run ready
    client.log_batch(run, metrics=[Metric("warmup", 0.0, int(time.time() * 1000), 0)])
    t0 = time.perf_counter()
    for start in range(0, points, batch):
        now = int(time.time() * 1000)
        metrics = [Metric("loss", 1.0 / (i + 1), now, i) for i in range(start, min(start + batch, points))]
        client.log_batch(run, metrics=metrics)
    logged = time.perf_counter() - t0
    history = client.get_metric_history(run, "loss")
    readable = time.perf_counter() - t0
    if len(history) != points:
        sys.exit("MLflow returned %d points of %d" % (len(history), points))
    print(json.dumps({"points": points, "batch": batch, "calls": -(-points // batch), "log_seconds": logged,
                      "readable_seconds": readable}))


def call(api, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(api + path, data=data, method=method, headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as r:
        return json.load(r)


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def baton(api, token_file, points):
    points = int(points)
    token = open(token_file).read().strip()
    # JSON is YAML: the spec is written as JSON so that the program's quotes need no YAML escaping
    spec = json.dumps({"name": "metric-ingest", "steps": [
        {"name": "emit", "command": ["python3", "-c", step_program(points)], "timeout": "30m"}]})
    t0 = time.perf_counter()
    run = call(api, token, "POST", "/runs", {"spec": spec})
    run_id = run["id"]
    while run["status"] not in ("SUCCEEDED", "FAILED", "CANCELLED"):
        time.sleep(0.05)
        run = call(api, token, "GET", "/runs/" + run_id)
    succeeded = time.perf_counter() - t0
    attempt = run["steps"][0]["attempts"][-1] if run["steps"][0]["attempts"] else None
    if run["status"] != "SUCCEEDED":
        print(json.dumps({"run": run_id, "points": points, "status": run["status"], "succeeded_seconds": succeeded,
                          "message": (attempt or {}).get("message") or run.get("message")}))
        return
    stored = 0
    while True:
        series = call(api, token, "GET", "/runs/%s/metrics" % run_id)["series"]
        stored = sum(len(s["points"]) for s in series if s["name"] == "loss")
        if stored >= points:
            break
        if time.perf_counter() - t0 > 1800:
            sys.exit("run %s: only %d of %d points readable after 30 minutes" % (run_id, stored, points))
        time.sleep(0.2)
    readable = time.perf_counter() - t0
    print(json.dumps({
        "run": run_id, "status": run["status"], "points": stored, "succeeded_seconds": succeeded, "readable_seconds": readable,
        "server_seconds": instant(run["finishedAt"]) - instant(run["createdAt"]),
        "attempt_seconds": instant(attempt["finishedAt"]) - instant(attempt["startedAt"]),
        "attempts": len(run["steps"][0]["attempts"])}))


def report(direct_file, mlflow_file, baton_file):
    """Prints the figures; exits 1 when the Baton run did not succeed."""
    d, m, b = (json.load(open(f)) for f in (direct_file, mlflow_file, baton_file))
    n = b["points"]
    mlflow_rate = m["points"] / m["log_seconds"]
    rows = [
        ("step's command run directly, stdout to /dev/null (median of 3)", "%.2f s" % d["seconds"]),
        ("MLflow: %d log_batch calls of %d points" % (m["calls"], m["batch"]),
         "%.2f s = %s points/s" % (m["log_seconds"], format(round(mlflow_rate), ","))),
        ("MLflow: same, until get_metric_history returns all points",
         "%.2f s = %s points/s" % (m["readable_seconds"], format(round(m["points"] / m["readable_seconds"]), ","))),
    ]
    if b["status"] != "SUCCEEDED":
        rows.append(("Baton: the run ended %s after" % b["status"],
                     "%.2f s: %s" % (b["succeeded_seconds"], b["message"])))
        print_rows(rows)
        sys.exit(1)
    baton_rate = n / b["readable_seconds"]
    rows += [
        ("Baton: submit to SUCCEEDED", "%.2f s" % b["succeeded_seconds"]),
        ("Baton: submit until GET /metrics returns all %s points" % format(n, ","),
         "%.2f s = %s points/s" % (b["readable_seconds"], format(round(baton_rate), ","))),
        ("Baton: the step's attempt, startedAt to finishedAt", "%.2f s" % b["attempt_seconds"]),
        ("Baton: the run, createdAt to finishedAt (server clock)", "%.2f s" % b["server_seconds"]),
        ("ratio Baton / MLflow (points/s, submit-to-readable against log_batch calls)",
         "%.2f (goal: 20)" % (baton_rate / mlflow_rate)),
    ]
    print_rows(rows)


def print_rows(rows):
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print("%-*s  %s" % (width, name, value))


if __name__ == "__main__":
    commands = {"ports": ports, "wait": wait, "direct": direct, "mlflow": mlflow, "baton": baton, "report": report}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
