#!/usr/bin/env python3
"""A stand-in for an endpoint's serving process (tests of the /serve proxy and bench/serving.sh): Python's standard
library HTTP server on HTTP/1.1 with keep-alive. Every method on every path answers JSON that says what arrived:
{"replica", "method", "path", "headers", "bodyBytes", "bodySha256"}. GET /health answers {"ok": true};
?sleepMs=N waits N ms first; ?status=N answers that status; ?answerBytes=N answers N bytes of "x" instead. It prints "listening <port>" once it listens.

  replica.py NAME [PORT]   (PORT 0 or none: a free port)
"""
import hashlib
import json
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out as two writes: without TCP_NODELAY, Nagle's algorithm holds the body until the
    # client's delayed ACK of the headers, 40 ms later on Linux, on every request of a kept-alive connection
    disable_nagle_algorithm = True

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if "sleepMs" in query:
            time.sleep(int(query["sleepMs"][0]) / 1000)
        status = int(query["status"][0]) if "status" in query else 200
        if url.path == "/health":
            answer = {"ok": True}
        else:
            answer = {
                "replica": self.server.name,
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "bodyBytes": len(body),
                "bodySha256": hashlib.sha256(body).hexdigest(),
            }
        data = json.dumps(answer).encode()
        if "answerBytes" in query:
            data = b"x" * int(query["answerBytes"][0])
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Set-Cookie", "replica=1")
        self.send_header("X-Baton-Model-Version", "999")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2]) if len(sys.argv) > 2 else 0), Handler)
    server.daemon_threads = True
    server.name = sys.argv[1]
    print("listening %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
