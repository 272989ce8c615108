#!/usr/bin/env python3
"""Helper of bench/serving.sh: the same POST /predict sent straight to a serving process and through Baton's
/serve proxy, in alternating rounds of REQUESTS from THREADS client threads (one keep-alive connection each);
p50/p99 latency and requests per second of each side, and the ratios.

  serving_bench.py API_ROOT TOKEN_FILE SERVER_PID ROUNDS REQUESTS THREADS NAME=DIRECT_URL=PROXIED_PATH...

SERVER_PID: the server's JVM, whose CPU time per proxied request is reported too.
"""
import os
import http.client
import json
import socket
import statistics
import sys
import threading
import time
import urllib.parse

BODY = json.dumps({"features": [[5.1, 3.5, 1.4, 0.2]]}).encode()  # bytes: sent with the headers, in one write


def round_of(host, port, path, headers, requests, threads, method="POST"):
    """REQUESTS POSTs from THREADS threads: (seconds, sorted latencies in ms)."""
    latencies, errors, lock = [], [], threading.Lock()
    per = [requests // threads + (1 if t < requests % threads else 0) for t in range(threads)]
    start = threading.Barrier(threads + 1)

    def work(t):
        conn = http.client.HTTPConnection(host, port, timeout=60)
        conn.connect()
        # headers and body leave in two writes: without TCP_NODELAY the body waits for the server's delayed ACK
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        mine = []
        start.wait()
        for _ in range(per[t]):
            t0 = time.perf_counter()
            conn.request(method, path, body=BODY if method == "POST" else None, headers=headers)
            r = conn.getresponse()
            r.read()
            mine.append((time.perf_counter() - t0) * 1000)
            if r.status != 200:
                errors.append(r.status)
        conn.close()
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
        sys.exit("%d requests failed, e.g. status %s" % (len(errors), errors[0]))
    return seconds, sorted(latencies)


def cpu_seconds(pid):
    """User plus system CPU seconds process PID has used (/proc/PID/stat)."""
    with open("/proc/%s/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values, p):
    return values[min(len(values) - 1, int(len(values) * p))]


def main():
    root, token_file, server_pid, rounds, requests, threads = sys.argv[1:7]
    rounds, requests, threads = int(rounds), int(requests), int(threads)
    token = open(token_file).read().strip()
    api = urllib.parse.urlsplit(root)
    rows = []
    for spec in sys.argv[7:]:
        name, direct_url, proxied_path = spec.split("=", 2)
        d = urllib.parse.urlsplit(direct_url)
        sides = {
            "direct": (d.hostname, d.port, d.path, {"Content-Type": "application/json"}),
            "proxied": (api.hostname, api.port, proxied_path,
                        {"Content-Type": "application/json", "Authorization": "Bearer " + token}),
        }
        results = {"direct": [], "proxied": []}
        for side in ("direct", "proxied"):  # warm-up: connections, JIT, the routing cache
            round_of(*sides[side], max(500, requests // 5), threads)
        for _ in range(rounds):
            for side in ("direct", "proxied"):
                cpu0 = cpu_seconds(server_pid)
                seconds, lat = round_of(*sides[side], requests, threads)
                cpu_us = (cpu_seconds(server_pid) - cpu0) / requests * 1e6
                results[side].append((requests / seconds, pct(lat, 0.5), pct(lat, 0.99), cpu_us))
        med = {s: tuple(statistics.median(r[i] for r in results[s]) for i in range(4)) for s in results}
        row = {
            "backend": name,
            "direct_rps": round(med["direct"][0]), "proxied_rps": round(med["proxied"][0]),
            "throughput_ratio": round(med["proxied"][0] / med["direct"][0], 3),
            "direct_p50_ms": round(med["direct"][1], 3), "proxied_p50_ms": round(med["proxied"][1], 3),
            "added_p50_ms": round(med["proxied"][1] - med["direct"][1], 3),
            "direct_p99_ms": round(med["direct"][2], 3), "proxied_p99_ms": round(med["proxied"][2], 3),
            "added_p99_ms": round(med["proxied"][2] - med["direct"][2], 3),
            "server_cpu_us_per_proxied_request": round(med["proxied"][3] - med["direct"][3]),
            "rounds": {s: [[round(x, 3) for x in r] for r in results[s]] for s in results},
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    # Baton's own floor on the same server: an authenticated API route that does next to nothing
    me = (api.hostname, api.port, "/api/v1/me", {"Authorization": "Bearer " + token})
    round_of(*me, max(500, requests // 5), threads, "GET")
    floor = []
    for _ in range(rounds):
        cpu0 = cpu_seconds(server_pid)
        seconds, lat = round_of(*me, requests, threads, "GET")
        floor.append((requests / seconds, pct(lat, 0.5), (cpu_seconds(server_pid) - cpu0) / requests * 1e6))
    floor_row = {"route": "GET /api/v1/me", "rps": round(statistics.median(f[0] for f in floor)),
                 "p50_ms": round(statistics.median(f[1] for f in floor), 3),
                 "server_cpu_us_per_request": round(statistics.median(f[2] for f in floor))}
    print(json.dumps(floor_row), flush=True)
    print("\n| backend | direct req/s | proxied req/s | ratio | p50 direct | p50 proxied | added p50 | p99 direct"
          " | p99 proxied | added p99 | server CPU per request |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print("| %s | %d | %d | %.3f | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %d µs |" % (
            r["backend"], r["direct_rps"], r["proxied_rps"], r["throughput_ratio"], r["direct_p50_ms"],
            r["proxied_p50_ms"], r["added_p50_ms"], r["direct_p99_ms"], r["proxied_p99_ms"], r["added_p99_ms"],
            r["server_cpu_us_per_proxied_request"]))
    print("\nthe same server's GET /api/v1/me: %d req/s, p50 %.2f ms, %d µs of server CPU per request" % (
        floor_row["rps"], floor_row["p50_ms"], floor_row["server_cpu_us_per_request"]))


if __name__ == "__main__":
    main()
