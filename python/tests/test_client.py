"""The client's handling of what a server (here a small stand-in over real HTTP) answers: a download whose bytes
do not match its sha256, and error answers that are not Baton's JSON (a proxy's page)."""
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import baton

GOOD = b"the right bytes"
GOOD_SHA = hashlib.sha256(GOOD).hexdigest()
WRONG_SHA = hashlib.sha256(b"what was asked").hexdigest()


class Handler(BaseHTTPRequestHandler):
    asked = {}

    def do_GET(self):
        if self.path.startswith("/api/v1/runs/restarting?wait="):
            Handler.asked["restarting"] = Handler.asked.get("restarting", 0) + 1
            if Handler.asked["restarting"] <= 2:
                self.answer(503, "application/json", b'{"error": "unavailable", "message": "starting"}')
            else:
                self.answer(200, "application/json", b'{"id": "restarting", "status": "SUCCEEDED"}')
        elif self.path.startswith("/api/v1/runs/slow?wait="):
            self.answer(200, "application/json", b'{"id": "slow", "status": "RUNNING"}')
        elif self.path.endswith("/artifacts/" + GOOD_SHA) or self.path.endswith("/artifacts/" + WRONG_SHA):
            self.answer(200, "application/octet-stream", GOOD)
        elif "/runs/" in self.path:
            self.answer(502, "text/html", b"<html>Bad Gateway</html>")
        else:
            self.answer(404, "application/json", b'{"error": "not_found", "message": "no such thing"}')

    def answer(self, status, kind, body):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def client(no_step):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield baton.Client(server="http://127.0.0.1:{}/api/v1".format(server.server_address[1]), token="t")
    server.shutdown()
    server.server_close()


def test_a_download_whose_sha256_does_not_match_raises_and_leaves_no_file(client, tmp_path):
    with pytest.raises(ValueError, match="has sha256 {}: not what was asked".format(GOOD_SHA)):
        client.download_blob(WRONG_SHA, tmp_path / "out" / "model.pkl")
    assert list((tmp_path / "out").iterdir()) == []
    assert client.download_blob(GOOD_SHA, tmp_path / "out" / "model.pkl").read_bytes() == GOOD


def test_an_error_that_is_not_batons_json_still_says_what_came_back(client):
    with pytest.raises(baton.BatonError) as error:
        client.get_run("r1")
    assert (error.value.status, error.value.code, error.value.message) == (502, "http_502",
                                                                          "<html>Bad Gateway</html>")
    with pytest.raises(baton.BatonError) as missing:
        client.model_version("m", version=1)
    assert (missing.value.status, missing.value.code, missing.value.message) == (404, "not_found", "no such thing")


def test_wait_asks_again_while_the_server_restarts_and_gives_up_at_its_timeout(client):
    assert client.wait("restarting", timeout=30)["status"] == "SUCCEEDED"
    assert Handler.asked["restarting"] == 3
    with pytest.raises(TimeoutError, match="run slow is still RUNNING after 1 s"):
        client.wait("slow", timeout=1)
