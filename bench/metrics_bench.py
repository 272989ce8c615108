#!/usr/bin/env python3
"""Helper of bench/metrics.sh: metric ingest through Baton against MLflow's log_batch.

  metrics_bench.py ports N                       N free TCP ports on 127.0.0.1, one a line
  metrics_bench.py wait URL SECONDS [PID]        waits until URL answers 200 (while PID lives)
  metrics_bench.py direct PYTHON POINTS          the step's command run directly, stdout to /dev/null
  metrics_bench.py mlflow URI POINTS BATCH RUNS  RUNS times POINTS points with MlflowClient.log_batch, BATCH a call
                                                 (run it with the bench venv's python)
  metrics_bench.py baton API TOKEN_FILE POINTS RUNS
                                                 1 + RUNS runs of a one-step pipeline printing POINTS metric lines

Every measurement prints one JSON object on stdout; bench/metrics.sh hands the files to `report`:
  metrics_bench.py report DIRECT MLFLOW BATON    the table of figures and the ratios, then the raw figures (JSON)
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


def alive(pid):
    """Whether PID runs (a child that ended but was not waited for yet is a zombie: not alive)."""
    try:
        with open("/proc/%s/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait(url, seconds, pid=None):
    """Until URL answers 200; fails after SECONDS, or as soon as process PID (the server being waited for) ends."""
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        if pid is not None and not alive(pid):
            sys.exit("process %s ended before %s answered" % (pid, url))
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


def mlflow(uri, points, batch, runs):
    """RUNS times: a new MLflow run, one warm-up call, then POINTS points in calls of BATCH."""
    from mlflow.entities import Metric
    from mlflow.tracking import MlflowClient

    points, batch = int(points), int(batch)
    client = MlflowClient(tracking_uri=uri)
    experiment = client.create_experiment("metric-ingest-%d" % os.getpid())
    results = []
    for _ in range(int(runs)):
        run = client.create_run(experiment).info.run_id
        # a warm-up call on another name, so that the timed calls find the connection and the run ready
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
        results.append({"log_seconds": logged, "readable_seconds": readable})
    print(json.dumps({"points": points, "batch": batch, "calls": -(-points // batch), "runs": results}))


def call(api, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(api + path, data=data, method=method, headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as r:
        return json.load(r)


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def baton(api, token_file, points, runs):
    """1 + RUNS runs of the pipeline, one after the other; the first is the fresh server's first. Stops at a failure."""
    points = int(points)
    token = open(token_file).read().strip()
    # JSON is YAML: the spec is written as JSON so that the program's quotes need no YAML escaping
    spec = json.dumps({"name": "metric-ingest", "steps": [
        {"name": "emit", "command": ["python3", "-c", step_program(points)], "timeout": "30m"}]})
    deadline = time.monotonic() + 120  # the in-process worker registers just after the API answers
    while not any(w["status"] == "ONLINE" for w in call(api, token, "GET", "/workers")["items"]):
        if time.monotonic() > deadline:
            sys.exit("no worker ONLINE after 120 s")
        time.sleep(0.1)
    results = []
    for _ in range(1 + int(runs)):
        results.append(baton_run(api, token, spec, points))
        if results[-1]["status"] != "SUCCEEDED":
            break
    print(json.dumps({"points": points, "runs": results}))


def baton_run(api, token, spec, points):
    t0 = time.perf_counter()
    run = call(api, token, "POST", "/runs", {"spec": spec})
    run_id = run["id"]
    while run["status"] not in ("SUCCEEDED", "FAILED", "CANCELLED"):
        # answered when the run ends: no polling that would load the server while it ingests
        run = call(api, token, "GET", "/runs/%s?wait=60s" % run_id)
    succeeded = time.perf_counter() - t0
    attempts = run["steps"][0]["attempts"]
    if run["status"] != "SUCCEEDED":
        return {"run": run_id, "status": run["status"], "succeeded_seconds": succeeded,
                "message": (attempts[-1]["message"] if attempts else None) or run.get("message")}
    while True:
        series = call(api, token, "GET", "/runs/%s/metrics" % run_id)["series"]
        stored = sum(len(s["points"]) for s in series if s["name"] == "loss")
        if stored >= points:
            break
        if time.perf_counter() - t0 > 1800:
            sys.exit("run %s: only %d of %d points readable after 30 minutes" % (run_id, stored, points))
        time.sleep(0.2)
    readable = time.perf_counter() - t0
    return {"run": run_id, "status": run["status"], "points": stored, "succeeded_seconds": succeeded,
            "readable_seconds": readable, "server_seconds": instant(run["finishedAt"]) - instant(run["createdAt"]),
            "attempt_seconds": instant(attempts[-1]["finishedAt"]) - instant(attempts[-1]["startedAt"]),
            "attempts": len(attempts)}


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def rate(points, seconds):
    return "%.2f s = %s points/s" % (seconds, format(round(points / seconds), ","))


def report(direct_file, mlflow_file, baton_file):
    """Prints the figures; exits 1 when a Baton run did not succeed."""
    d, m, b = (json.load(open(f)) for f in (direct_file, mlflow_file, baton_file))
    n = b["points"]
    m_log = median([r["log_seconds"] for r in m["runs"]])
    m_read = median([r["readable_seconds"] for r in m["runs"]])
    rows = [
        ("the step's command run directly, stdout to /dev/null (median of 3)", "%.2f s" % d["seconds"]),
        ("MLflow: %d log_batch calls of %d points (median of %d)" % (m["calls"], m["batch"], len(m["runs"])),
         rate(n, m_log)),
        ("MLflow: same, until get_metric_history returns every point", rate(n, m_read)),
    ]
    failed = [r for r in b["runs"] if r["status"] != "SUCCEEDED"]
    if failed:
        rows.append(("Baton: run %d of %d ended %s after" % (len(b["runs"]), len(b["runs"]), failed[0]["status"]),
                     "%.2f s: %s" % (failed[0]["succeeded_seconds"], failed[0]["message"])))
        print_rows(rows)
        sys.exit(1)
    first, later = b["runs"][0], b["runs"][1:]
    rows.append(("Baton, first run on a fresh server: submit to SUCCEEDED / to every point readable",
                 "%.2f s / %s" % (first["succeeded_seconds"], rate(n, first["readable_seconds"]))))
    if later:
        def med(key):
            return median([r[key] for r in later])
        k = " (median of %d later runs)" % len(later)
        rows += [
            ("Baton: submit to SUCCEEDED" + k, rate(n, med("succeeded_seconds"))),
            ("Baton: submit until GET /metrics returns every point" + k, rate(n, med("readable_seconds"))),
            ("Baton: the step's attempt, startedAt to finishedAt" + k, "%.2f s" % med("attempt_seconds")),
            ("Baton: the run, createdAt to finishedAt" + k, "%.2f s" % med("server_seconds")),
            ("ratio Baton / MLflow, points/s: readable / log_batch (later runs)",
             "%.1f (goal: at least 20)" % (m_log / med("readable_seconds"))),
            ("ratio Baton / MLflow, points/s: SUCCEEDED / log_batch (later runs): stored on both sides",
             "%.1f" % (m_log / med("succeeded_seconds"))),
            ("ratio Baton / MLflow, points/s: readable / readable (later runs): read back on both sides",
             "%.1f" % (m_read / med("readable_seconds"))),
        ]
    rows.append(("ratio Baton / MLflow, points/s: readable / log_batch (first run)",
                 "%.1f" % (m_log / first["readable_seconds"])))
    print_rows(rows)
    print(json.dumps({"direct": d, "mlflow": m, "baton": b}))


def print_rows(rows):
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print("%-*s  %s" % (width, name, value))


if __name__ == "__main__":
    commands = {"ports": ports, "wait": wait, "direct": direct, "mlflow": mlflow, "baton": baton, "report": report}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
