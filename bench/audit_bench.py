#!/usr/bin/env python3
"""Helper of bench/audit.sh: rounds of POST /api/v1/projects against a server with the audit log on and one with
it off, alternating; throughput, latency, the audit writer's lag and the verified chain.

  audit_bench.py API_ON TOKEN_ON API_OFF TOKEN_OFF REQUESTS THREADS ROUNDS
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse


class Client:
    """Requests with a bearer token over one keep-alive connection."""

    def __init__(self, api, token):
        url = urllib.parse.urlsplit(api)
        self.base, self.token = url.path, token
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)

    def call(self, method, path, body=None):
        headers = {"Authorization": "Bearer " + self.token}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        self.conn.request(method, self.base + path, body=data, headers=headers)
        r = self.conn.getresponse()
        text = r.read()
        return r.status, text


def round_of(api, token, prefix, requests, threads):
    """REQUESTS project creations from THREADS threads: (seconds, latencies in ms)."""
    latencies, errors, lock = [], [], threading.Lock()
    per = [requests // threads + (1 if t < requests % threads else 0) for t in range(threads)]
    start = threading.Barrier(threads + 1)

    def work(t):
        c = Client(api, token)
        mine = []
        start.wait()
        for i in range(per[t]):
            t0 = time.perf_counter()
            status, text = c.call("POST", "/projects", {"name": "%s-%d-%d" % (prefix, t, i)})
            mine.append((time.perf_counter() - t0) * 1000)
            if status != 201:
                errors.append((status, text[:200]))
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    start.wait()
    t0 = time.perf_counter()
    for w in workers:
        w.join()
    seconds = time.perf_counter() - t0
    if errors:
        sys.exit("%d requests failed, e.g. %s" % (len(errors), errors[0]))
    return seconds, sorted(latencies)


def pct(values, p):
    return values[min(len(values) - 1, int(len(values) * p))]


def audit_lag(api, token, expected_seq):
    """Seconds until the audit log's newest entry is number EXPECTED_SEQ (the writer caught up)."""
    c = Client(api, token)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 60:
        status, text = c.call("GET", "/audit?limit=1")
        items = json.loads(text)["items"]
        if items and items[0]["seq"] >= expected_seq:
            return time.perf_counter() - t0
        time.sleep(0.005)
    sys.exit("the audit log did not reach entry %d within 60 s" % expected_seq)


def main(api_on, token_on, api_off, token_off, requests, threads, rounds):
    requests, threads, rounds = int(requests), int(threads), int(rounds)
    token_on, token_off = open(token_on).read().strip(), open(token_off).read().strip()
    status, text = Client(api_on, token_on).call("GET", "/audit?limit=1")
    items = json.loads(text)["items"]
    seq = items[0]["seq"] if items else 0
    rows, rates = [], {"on": [], "off": []}
    for r in range(rounds + 1):
        for side, api, token in (("on", api_on, token_on), ("off", api_off, token_off)):
            seconds, lat = round_of(api, token, "b%s%d" % (side, r), requests, threads)
            lag = ""
            if side == "on":
                seq += requests
                lag = "%.3f s" % audit_lag(api, token, seq)
            label = "warm-up" if r == 0 else "round %d" % r
            rows.append((label, side, requests / seconds, pct(lat, 0.5), pct(lat, 0.95), lag))
            if r > 0:
                rates[side].append(requests / seconds)
    print("| round | audit | requests/s | p50 | p95 | writer caught up after the last answer |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, side, rate, p50, p95, lag in rows:
        print("| %s | %s | %.0f | %.1f ms | %.1f ms | %s |" % (label, side, rate, p50, p95, lag))
    on, off = sum(rates["on"]) / rounds, sum(rates["off"]) / rounds
    print("mean requests/s: audit on %.0f, audit off %.0f; ratio on/off %.3f" % (on, off, on / off))
    status, text = Client(api_on, token_on).call("GET", "/audit/verify")
    print("verify (audit on):", text.decode())


if __name__ == "__main__":
    main(*sys.argv[1:])
