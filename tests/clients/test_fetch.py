"""Fetching pages and feeds (issue #8): retries only on transport errors, 429 and 5xx (at most
3 tries, Retry-After honoured within a cap), bounded time and size, public addresses only for
links people share; page titles in any charset; RSS and Atom entries with feedparser."""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.clients import fetch as fetching
from bot.clients.fetch import (
    FetchError,
    feed_entries,
    fetch,
    page_title,
    retry_after_seconds,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "trends"


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    """The pauses between tries, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(fetching, "SLEEP", recorded.append)
    return recorded


def server(*answers):
    """A MockTransport answering each request with the next of `answers` (the last repeats):
    an int status, an (status, headers) pair, an httpx.Response, or an exception to raise.
    `.calls` counts the requests."""
    calls = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        answer = answers[min(len(calls), len(answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        return httpx.Response(status, headers=headers, text=f"answer {status}")

    transport = httpx.MockTransport(handle)
    transport.calls = calls
    return transport


def test_500_twice_then_200_is_called_three_times(waits):
    transport = server(500, 500, httpx.Response(200, text="ok"))
    page = fetch("https://x.example/", timeout=5, max_bytes=1000, transport=transport)
    assert (page.status, page.content) == (200, b"ok")
    assert len(transport.calls) == 3
    assert waits == [0.5, 1.0]  # exponential back-off


def test_404_is_called_once(waits):
    transport = server(404)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch("https://x.example/", timeout=5, max_bytes=1000, transport=transport)
    assert len(transport.calls) == 1 and waits == []


def test_5xx_gives_up_after_three_tries(waits):
    transport = server(503)
    with pytest.raises(FetchError, match="HTTP 503"):
        fetch("https://x.example/", timeout=5, max_bytes=1000, transport=transport)
    assert len(transport.calls) == 3 and len(waits) == 2


def test_429_waits_as_retry_after_says_within_the_cap(waits):
    transport = server((429, {"Retry-After": "2"}), (429, {"Retry-After": "3600"}), 200)
    fetch("https://x.example/", timeout=5, max_bytes=1000, transport=transport)
    assert len(transport.calls) == 3
    assert waits == [2.0, fetching.RETRY_AFTER_CAP]


def test_transport_errors_are_retried_others_not(waits):
    transport = server(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), 200)
    assert fetch("https://x.example/", timeout=5, max_bytes=99, transport=transport).status == 200
    assert len(transport.calls) == 3
    transport = server(httpx.ConnectError("refused"))
    with pytest.raises(FetchError, match="ConnectError"):
        fetch("https://x.example/", timeout=5, max_bytes=99, transport=transport)
    assert len(transport.calls) == 3
    refused = server(200)
    with pytest.raises(FetchError, match="not an http"):
        fetch("ftp://x.example/", timeout=5, max_bytes=99, transport=refused)
    assert refused.calls == []


def test_a_hanging_server_times_out_on_every_try(waits):
    """A real socket that accepts and never answers: each try ends at the timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []

    def accept():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    port = listener.getsockname()[1]
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match="timeout"):
            fetch(f"http://127.0.0.1:{port}/", timeout=0.3, max_bytes=1000)
    finally:
        listener.close()
        for conn in accepted:
            conn.close()
    assert time.monotonic() - started < 3
    assert len(accepted) == 3 and len(waits) == 2


def test_size_is_bounded(waits):
    big = httpx.Response(200, content=b"x" * 5000)
    with pytest.raises(FetchError, match="larger than 1000"):
        fetch("https://x.example/", timeout=5, max_bytes=1000, transport=server(big))
    page = fetch(
        "https://x.example/",
        timeout=5,
        max_bytes=1000,
        truncate=True,
        transport=server(httpx.Response(200, content=b"x" * 5000)),
    )
    assert len(page.content) == 1000 and page.truncated


def test_public_only_refuses_private_addresses_and_redirects_to_them(waits):
    for url in (
        "http://127.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/",
        "http://[::1]/",
        "http://localhost/",
    ):
        transport = server(200)
        with pytest.raises(FetchError, match="refused"):
            fetch(url, timeout=5, max_bytes=99, public_only=True, transport=transport)
        assert transport.calls == []
    sneaky = server((302, {"Location": "http://169.254.169.254/"}), 200)
    with pytest.raises(FetchError, match="refused"):
        fetch("http://93.184.215.14/", timeout=5, max_bytes=99, public_only=True, transport=sneaky)
    assert len(sneaky.calls) == 1
    # without public_only (configured feeds), a local server is fine
    assert fetch("http://127.0.0.1/", timeout=5, max_bytes=99, transport=server(200)).status == 200


def test_retry_after_as_a_date():
    now = datetime(2026, 4, 1, tzinfo=UTC).timestamp()
    assert retry_after_seconds("Wed, 01 Apr 2026 00:00:10 GMT", now) == 10
    assert retry_after_seconds("Tue, 31 Mar 2026 00:00:00 GMT", now) == 0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None) is None


# --- titles -------------------------------------------------------------------------------------


def test_title_in_utf8_with_entities_and_white_space():
    html = "<html><head><title>\n  GPT &amp; Llama:\n  a  comparison </title></head></html>"
    assert page_title(html.encode(), "text/html; charset=utf-8") == "GPT & Llama: a comparison"


def test_title_in_the_charset_the_header_gives():
    html = "<title>生成AIの活用事例</title>".encode("shift_jis")
    assert page_title(html, "text/html; charset=Shift_JIS") == "生成AIの活用事例"


def test_title_in_the_charset_the_page_gives():
    html = '<html><head><meta charset="euc-jp"><title>経済効果の試算</title>'.encode("euc-jp")
    assert page_title(html, "text/html") == "経済効果の試算"
    legacy = (
        '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
        "<title>日本語のページ</title>"
    ).encode("cp932")
    assert page_title(legacy, "text/html") == "日本語のページ"


def test_title_with_a_bom_or_an_unknown_charset():
    assert page_title("\ufeff<title>BOM</title>".encode(), "text/html") == "BOM"
    assert page_title(b"<title>caf\xc3\xa9</title>", "text/html; charset=x-unknown") == "café"


def test_no_title():
    assert page_title(b"<html><body>no title</body></html>", "text/html") is None
    assert page_title(b"<title>   </title>", "text/html") is None
    assert page_title(b"%PDF-1.7 <title>x</title>", "application/pdf") is None
    assert page_title(b"", "text/html") is None


def test_og_title_when_there_is_no_title_and_svg_titles_ignored():
    html = b'<svg><title>icon</title></svg><meta property="og:title" content="Open Graph title">'
    assert page_title(html, "text/html") == "Open Graph title"
    assert page_title(b"<svg><title>icon</title></svg><title>Real</title>", None) == "Real"


def test_title_is_one_line_and_bounded_and_storable():
    html = ("<title>" + "a\u0000b " * 400 + "</title>").encode()
    title = page_title(html, "text/html")
    assert len(title) <= 500 and "\u0000" not in title and title.endswith("…")
    assert page_title(b"<title>unclosed", "text/html") == "unclosed"


# --- feeds --------------------------------------------------------------------------------------


def test_rss_entries():
    entries = feed_entries((FIXTURES / "news.rss").read_bytes())
    assert [e.url for e in entries] == [
        "https://news.example.org/2026/04/open-model?utm_source=rss&utm_medium=feed",
        "https://news.example.org/2026/04/productivity",
        "https://news.example.org/2025/01/old",
    ]
    first, second, _ = entries
    assert first.title == "New open-weight model reaches 70B parameters on the benchmark"
    assert first.published == datetime(2026, 4, 15, 9, 0, tzinfo=UTC)
    assert first.summary == "A lab released weights of a 70B model."
    assert second.title.startswith("生成AIの導入") and second.published.day == 30


def test_atom_entries_as_arxiv_answers():
    entries = feed_entries((FIXTURES / "arxiv.atom").read_bytes())
    assert [e.url for e in entries] == [
        "http://arxiv.org/abs/2604.00001v1",
        "http://arxiv.org/abs/2604.00002v2",
    ]
    assert entries[1].title == "Clinical Use Cases of Domain Data with Language Models"
    assert entries[1].published == datetime(2026, 4, 17, 10, 0, tzinfo=UTC)


def test_what_is_not_a_feed():
    with pytest.raises(FetchError, match="not an RSS or Atom feed"):
        feed_entries(b"<html><body>502 Bad Gateway</body></html>")
    with pytest.raises(FetchError):
        feed_entries(b"")
    # the bytes are the document, never a path feedparser would open
    path = str(FIXTURES / "news.rss").encode()
    with pytest.raises(FetchError):
        feed_entries(path)
