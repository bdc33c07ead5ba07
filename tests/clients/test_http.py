"""Downloads made before an ack are bounded: one attempt that gives up at its deadline."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from bot.clients.http import download, download_within


class _Slow(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/busy":
            self.send_response(429)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.end_headers()
        for _ in range(10):  # 10 chunks, 0.3 s apart: 3 s in all
            self.wfile.write(b"x" * 1024)
            self.wfile.flush()
            time.sleep(0.3)

    def log_message(self, *_args):
        pass  # keep test output quiet


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_slow_download_gives_up_at_its_deadline(server):
    began = time.monotonic()
    with pytest.raises(httpx.TimeoutException):
        download_within(server + "/slow", token="t", max_bytes=10**6, seconds=0.7)
    assert time.monotonic() - began < 1.5


def test_a_busy_answer_is_not_retried_before_an_ack(server):
    began = time.monotonic()
    with pytest.raises(httpx.HTTPError):
        download_within(server + "/busy", token="t", max_bytes=10**6, seconds=2)
    assert time.monotonic() - began < 1.0


def test_the_ordinary_download_still_reads_everything(server):
    assert len(download(server + "/slow", token="t", max_bytes=10**6)) == 10 * 1024
