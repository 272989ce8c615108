#!/usr/bin/env python3
"""Helper of bench/registry.sh: the runs list and run records over HTTP on a database of many runs.

  registry_bench.py generate RUNS POINTS IDS_FILE   SQL on stdout that fills a migrated Baton database with RUNS
                                                  finished runs (3 steps, an attempt each, 4 parameters, outputs,
                                                  run_metrics) and POINTS metric points in metric_chunks, packed as
                                                  RunRecorder.recordMetrics writes them; the run ids to IDS_FILE
  registry_bench.py measure API TOKEN IDS_FILE N  N timed requests of each figure, in rounds (after N/10 warm-up)
                                                  over one keep-alive connection; prints the table of figures

Ports and waiting are bench/metrics_bench.py's.
"""
import hashlib
import http.client
import json
import math
import random
import sys
import time
import urllib.parse

from metrics_bench import ports, print_rows, wait

PROJECTS = ["vision", "nlp", "tabular", "speech", "default"]
USERS = ["alice", "bob", "carol", "dan", "erin"]
MODELS = ["tree", "forest", "boosting"]
SPEC = """name: sweep
parameters:
  - {name: lr, type: float, default: 0.01}
  - {name: epochs, type: integer, default: 50}
  - {name: model, type: enum, choices: [tree, forest, boosting], default: tree}
  - {name: seed, type: integer, default: 0}
steps:
  - name: preprocess
    command: ["python3", "preprocess.py", "--seed", "{parameters.seed}"]
    outputs: [data.npz]
    cache: true
  - name: train
    needs: [preprocess]
    inputs: {data: preprocess/data.npz}
    command: ["python3", "train.py", "--lr", "{parameters.lr}", "--epochs", "{parameters.epochs}"]
    outputs: [model.pkl]
    resources: {cpus: 1, memory: 512Mi}
  - name: evaluate
    needs: [train]
    inputs: {data: preprocess/data.npz, model: train/model.pkl}
    command: ["python3", "evaluate.py"]
    outputs: [evaluation.json]
"""
STEPS = [("preprocess", [], "data.npz"), ("train", ["preprocess"], "model.pkl"),
         ("evaluate", ["train"], "evaluation.json")]
ROWS_PER_INSERT = 500


def sql_text(value):
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


class Inserts:
    """Multi-row INSERT statements, ROWS_PER_INSERT rows each, per table."""

    def __init__(self, out):
        self.out, self.pending = out, {}

    def add(self, table, columns, row):
        rows = self.pending.setdefault((table, columns), [])
        rows.append("(" + ", ".join(sql_text(v) for v in row) + ")")
        if len(rows) == ROWS_PER_INSERT:
            self.flush(table, columns)

    def flush(self, table, columns):
        rows = self.pending.pop((table, columns), [])
        if rows:
            self.out.write("INSERT INTO %s (%s) VALUES\n%s;\n" % (table, columns, ",\n".join(rows)))

    def flush_all(self):
        for table, columns in list(self.pending):
            self.flush(table, columns)


def uuid7(millis, rnd):
    """A run id as the server makes them (UUIDv7: time-ordered)."""
    return "%08x-%04x-7%03x-%04x-%012x" % (millis >> 16, millis & 0xFFFF, rnd.getrandbits(12),
                                           0x8000 | rnd.getrandbits(14), rnd.getrandbits(48))


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def plan(run_id, project, bundle, user, parameters):
    steps = []
    for name, needs, output in STEPS:
        inputs = [{"name": "data", "producers": ["preprocess"], "perProducer": False, "path": "data.npz",
                   "sha256": None, "size": 0}] if needs else []
        steps.append({"name": name, "needs": needs, "pool": "cpu", "command": ["python3", name + ".py"],
                      "env": {}, "image": None, "retries": 0, "backoffMs": 1000, "maxBackoffMs": 60000,
                      "timeoutMs": 3600000, "heartbeatTimeoutMs": 30000, "inputs": inputs, "outputs": [output],
                      "cacheKeyBase": None, "approval": False, "cpus": 1.0, "memoryBytes": 536870912, "gpus": 0})
    return json.dumps({"runId": run_id, "project": project, "pipeline": "sweep", "bundle": bundle, "priority": 3,
                       "createdBy": user, "parameters": parameters, "steps": steps, "reused": {}})


# What a worker reports with each attempt (as the record shows it): a typical Python environment and machine.
ENVIRONMENT = json.dumps({
    "image": None, "variables": {"BATON_STEP": "train", "OMP_NUM_THREADS": "1"},
    "python": {"executable": "/opt/venv/bin/python3", "version": "3.11.7",
               "packages": ["package-%d==1.%d.0" % (k, k) for k in range(120)]},
    "os": {"name": "Linux", "version": "6.1.0", "arch": "amd64", "distribution": "Debian GNU/Linux 12"},
    "batonVersion": "0.1.0", "java": "17.0.12"})


def hardware(worker):
    return json.dumps({"worker": worker, "cpuModel": "AMD EPYC 7B13", "cpus": 16, "memoryBytes": 64 << 30,
                       "gpus": [], "stepGpus": []})


def generate(runs, points, ids_file):
    runs, points = int(runs), int(points)
    epochs = points // runs // 2  # each epoch reports loss and accuracy
    per_batch = 10  # epochs a log batch carries
    rnd = random.Random(42)
    out = sys.stdout
    sql = Inserts(out)
    now = int(time.time() * 1000)
    span = 90 * 24 * 3600 * 1000
    bundle = sha("bundle")
    out.write("SET autocommit = 0;\nSET unique_checks = 0;\n")
    sql.add("bundles", "sha256, size_bytes, files, created_by, created_at", (bundle, 20480, 4, "alice", now - span))
    ids = []
    for i in range(runs):
        created = now - span + i * span // runs
        run_id = uuid7(created, rnd)
        ids.append(run_id)
        project, user = PROJECTS[i % len(PROJECTS)], USERS[rnd.randrange(len(USERS))]
        lr = round(10 ** rnd.uniform(-4, -1), 6)
        model = MODELS[rnd.randrange(len(MODELS))]
        parameters = {"lr": lr, "epochs": epochs, "model": model, "seed": i}
        status = "FAILED" if rnd.random() < 0.1 else "SUCCEEDED"
        finished = created + 60000 + rnd.randrange(600000)
        sql.add("runs", "id, project, pipeline, pipeline_version, status, workflow_id, bundle, spec, spec_sha256,"
                " parameters, plan, priority, created_by, created_at, started_at, finished_at",
                (run_id, project, "sweep", 1, status, "run-" + run_id, bundle, SPEC, sha(SPEC),
                 json.dumps(parameters), plan(run_id, project, bundle, user, parameters), 3, user, created,
                 created + 200, finished))
        for name, value in parameters.items():  # as RunParameters.rows makes them
            text = json.dumps(value) if not isinstance(value, str) else value
            number = float(value) if isinstance(value, (int, float)) else None
            sql.add("run_parameters", "run_id, name, value_number, value_text", (run_id, name, number, text))
        t = created + 200
        for order, (name, _, output) in enumerate(STEPS):
            started, t = t, t + (finished - created - 200) // 3
            output_sha = sha(run_id + name)
            outputs = json.dumps([{"path": output, "sha256": output_sha, "size": 4096}])
            sql.add("steps", "run_id, name, step_order, pool, status, exit_code, started_at, finished_at, outputs",
                    (run_id, name, order, "cpu", "SUCCEEDED", 0, started, t, outputs))
            worker = "worker-%d" % (i % 8)
            sql.add("attempts", "run_id, step, number, status, worker, exit_code, started_at, finished_at,"
                    " log_bytes, environment, hardware",
                    (run_id, name, 1, "SUCCEEDED", worker, 0, started, t, 2048, ENVIRONMENT, hardware(worker)))
            if order > 0:  # the steps after the first read the first one's output
                sql.add("step_inputs", "run_id, step, input_name, producer, path, path_sha256, sha256, size_bytes,"
                        " source", (run_id, name, "data", "", "data.npz", sha("/data.npz"),
                                    sha(run_id + STEPS[0][0]), 4096, "step:" + STEPS[0][0]))
            sql.add("artifacts", "run_id, step, attempt, path, path_sha256, sha256, size_bytes, created_at",
                    (run_id, name, 1, output, sha(output), output_sha, 4096, t))
        train_start = created + 200 + (finished - created - 200) // 3
        loss, accuracy = rnd.uniform(0.5, 2.5), rnd.uniform(0.3, 0.6)
        best = rnd.uniform(0.55, 0.995)  # the accuracy this run ends at
        series = {"loss": [], "accuracy": []}
        for epoch in range(epochs):
            loss *= rnd.uniform(0.9, 0.99)
            accuracy += (best - accuracy) * 0.15
            at = train_start + epoch * 1000
            series["loss"].append([epoch, round(loss, 6), at, {"epoch": epoch + 1}])
            series["accuracy"].append([epoch, round(accuracy, 6), at, {"epoch": epoch + 1}])
        for name, values in series.items():
            for batch in range(0, epochs, per_batch):
                sql.add("metric_chunks", "run_id, step, attempt, name, batch_seq, points",
                        (run_id, "train", 1, name, batch // per_batch,
                         json.dumps(values[batch:batch + per_batch], separators=(",", ":"))))
            last = values[-1]
            sql.add("run_metrics", "run_id, name, step, attempt, seq, time_ms, metric_value",
                    (run_id, name, "train", 1, last[0], last[2], last[1]))
    sql.flush_all()
    out.write("COMMIT;\n")
    with open(ids_file, "w") as f:
        f.write("\n".join(ids) + "\n")


class Client:
    """GET requests with a bearer token over one keep-alive connection."""

    def __init__(self, api, token):
        url = urllib.parse.urlsplit(api)
        self.base, self.token = url.path, token
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)

    def get(self, path):
        t0 = time.perf_counter()
        self.connection.request("GET", self.base + path, headers={"Authorization": "Bearer " + self.token})
        response = self.connection.getresponse()
        body = response.read()
        return response.status, body, (time.perf_counter() - t0) * 1000


def percentile(values, p):
    """Nearest rank."""
    values = sorted(values)
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]


def timed(client, figures, n):
    """N timed GETs of each figure's paths (cycling), in rounds of one request per figure so that warm-up and noise
    fall on every figure alike, after N/10 warm-up rounds; every answer must be 200. Times and page sizes by key."""
    times = {key: [] for _, key, _ in figures}
    items = {key: [] for _, key, _ in figures}
    for k in range(n // 10 + n):
        for _, key, paths in figures:
            path = paths[k % len(paths)]
            status, body, ms = client.get(path)
            if status != 200:
                sys.exit("GET %s answered %d: %s" % (path, status, body[:300]))
            if k >= n // 10:
                times[key].append(ms)
                items[key].append(len(json.loads(body).get("items", [])))
    return times, items


def pages(client, query, most):
    """The query's first page and the pages after it, by nextCursor, up to MOST pages: their paths."""
    paths, cursor = [], None
    while len(paths) < most:
        path = query if cursor is None else query + ("&" if "?" in query else "?") + "cursor=" + cursor
        paths.append(path)
        status, body, _ = client.get(path)
        cursor = json.loads(body)["nextCursor"] if status == 200 else None
        if cursor is None:
            break
    return paths


def measure(api, token_file, ids_file, n):
    n = int(n)
    client = Client(api, open(token_file).read().strip())
    ids = open(ids_file).read().split()
    rnd = random.Random(7)
    by_metric = "/runs?metric=accuracy:gt:0.9&sort=metric.accuracy:desc"
    walk = pages(client, by_metric, 40)
    combined = "/runs?project=vision&param=model:eq:forest&param=lr:lt:0.01&metric=loss:lt:0.5" \
               "&sort=metric.accuracy:desc"
    figures = [
        ("(c) baseline: GET /runs (50 a page, newest first)", "plain", ["/runs"]),
        ("(c) baseline: GET /runs, the pages after it by cursor", "plain_pages", pages(client, "/runs", 40)[1:]),
        ("(a) GET %s" % by_metric, "metric", [by_metric]),
        ("(a) same, every page after it by cursor (%d pages)" % (len(walk) - 1), "metric_pages", walk[1:]),
        ("(a) GET %s" % combined, "combined", [combined]),
    ]
    status, _, _ = client.get("/runs/%s/record" % ids[0])
    if status == 200:
        figures.append(("(b) GET /runs/{id}/record, random runs", "record",
                        ["/runs/%s/record" % rnd.choice(ids) for _ in range(n)]))
    times, items = timed(client, figures, n)
    rows, results = [], {}
    for name, key, _ in figures:
        results[key] = {"p50": percentile(times[key], 50), "p95": percentile(times[key], 95), "max": max(times[key])}
        rows.append((name, "p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms  (%d requests, %.0f runs a page)" % (
            results[key]["p50"], results[key]["p95"], results[key]["max"], n,
            sum(items[key]) / len(items[key]))))
    if status != 200:
        rows.append(("(b) GET /runs/{id}/record", "record: not available (answered %d)" % status))
    print_rows(rows)
    print("worst p95: %.1f ms (goal: at most 300 ms)" % max(r["p95"] for r in results.values()))
    print(json.dumps(results))


if __name__ == "__main__":
    commands = {"ports": ports, "wait": wait, "generate": generate, "measure": measure}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
