"""Serves a model of the iris pipeline (a pickled scikit-learn classifier, as train.py and pick.py write it) over HTTP.

    python3 serve.py --model model.pkl --port 8000

GET /health answers {"status": "ok"}; POST /predict takes {"instances": [[f1, f2, f3, f4], ...]} and answers
{"predictions": [...]}. The pipeline trains on standardised features (preprocess.py): send them as it does.
Only the standard library serves; unpickling the model needs scikit-learn, as training did.
"""
from __future__ import annotations

import argparse
import json
import pickle
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 1 << 20  # one MiB: thousands of instances


class BadRequest(Exception):
    """The request's body is not what /predict takes; the message says why."""


def read_instances(body: bytes, features: int | None) -> list:
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BadRequest(f"the body is not JSON: {e}") from e
    instances = document.get("instances") if isinstance(document, dict) else None
    if not isinstance(instances, list) or not instances:
        raise BadRequest('the body must be {"instances": [[...], ...]} with at least one instance')
    for i, instance in enumerate(instances):
        if not isinstance(instance, list) or not all(
                isinstance(x, (int, float)) and not isinstance(x, bool) for x in instance):
            raise BadRequest(f"instance {i} is not a list of numbers")
        if features is not None and len(instance) != features:
            raise BadRequest(f"instance {i} has {len(instance)} features; the model takes {features}")
    return instances


def make_handler(model):
    features = getattr(model, "n_features_in_", None)
    names = getattr(model, "class_names", None)  # a label's name, where the model carries them

    class Handler(BaseHTTPRequestHandler):
        # keep-alive: Baton's proxy reuses its connections, so every answer says how long it is
        protocol_version = "HTTP/1.1"
        # headers and body leave in two writes: without TCP_NODELAY, Nagle's algorithm holds the body until the
        # proxy's delayed ACK of the headers, 40 ms later on Linux, on every request of a kept-alive connection
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            if self.path == "/health":
                self.answer(200, {"status": "ok"})
            else:
                self.answer(404, {"error": "not_found", "message": f"no route GET {self.path}"})

        def do_POST(self) -> None:
            if self.path != "/predict":
                self.answer(404, {"error": "not_found", "message": f"no route POST {self.path}"})
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self.answer(411, {"error": "length_required", "message": "send the body with a Content-Length"})
                return
            if length < 0 or length > MAX_BODY:
                self.close_connection = True  # the body is left unread
                self.answer(413, {"error": "too_large", "message": f"the body may have at most {MAX_BODY} bytes"})
                return
            try:
                instances = read_instances(self.rfile.read(length), features)
            except BadRequest as e:
                self.answer(400, {"error": "bad_request", "message": str(e)})
                return
            try:
                labels = model.predict(instances).tolist()
            except Exception as e:  # the model's own failure: said, and the server goes on
                self.answer(500, {"error": "prediction_failed", "message": f"{type(e).__name__}: {e}"})
                return
            if names is not None:
                labels = [names[label] for label in labels]
            self.answer(200, {"predictions": labels})

        def answer(self, status: int, document: dict) -> None:
            body = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:
            pass  # one line per request would drown the replica's log; errors still reach stderr

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="the pickled classifier")
    parser.add_argument("--port", type=int, required=True)
    # every address by default: Baton's servers reach a replica at its worker's advertised address, not its loopback
    parser.add_argument("--host", default="0.0.0.0")
    args = parser.parse_args()

    with open(args.model, "rb") as f:
        model = pickle.load(f)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(model))
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped by Baton: end at once, cleanly
    print(f"serving {args.model} on {args.host}:{args.port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
