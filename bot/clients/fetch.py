"""Fetching web pages and feeds for the trend report (issue #8): httpx, bounded, retried only
where another try can help.

`fetch(url, timeout=, max_bytes=)` → `Fetched` (final URL, status, content type, bytes):

* at most `ATTEMPTS` (3) tries, retried (tenacity) only on transport errors (connect, read,
  timeouts), HTTP 429 and 5xx; a `Retry-After` (seconds or an HTTP date) is honoured up to
  `RETRY_AFTER_CAP` seconds, otherwise exponential back-off (0.5 s, 1 s); any other status
  (404, 403, …) fails at once;
* each try gives up after `timeout` seconds in all (httpx's per-phase timeouts, and a deadline
  checked while reading, so a server dripping bytes cannot hold it), and reads at most
  `max_bytes` (more: `FetchError`, or with `truncate=True` the first `max_bytes`);
* at most `MAX_REDIRECTS` redirects; with `public_only=True` (links people share) every hop's
  host must not be a loopback, private, link-local or otherwise reserved address (the cloud
  metadata service at 169.254.169.254, the database next door): a name is resolved to check;
* every failure is one exception, `FetchError`, with a short reason (logged and stored, never
  shown to a person as a trace).

`page_title(content, content_type)` reads a page's `<title>` (or its `og:title`) with the
standard library's `html.parser`, decoding with the charset of the header, else the byte-order
mark, else the page's `<meta charset>` / `http-equiv`, else UTF-8.

`feed_entries(content)` reads an RSS or Atom document with `feedparser` (given the bytes, never
a URL or a path: feedparser would fetch or open it itself).

Tests swap the network for an `httpx.MockTransport` by setting `TRANSPORT` (or passing
`transport=`), and the pause between tries by setting `SLEEP`.
"""

from __future__ import annotations

import calendar
import codecs
import email.utils
import io
import ipaddress
import logging
import re
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser

import feedparser
import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from bot.blocks.common import truncate
from bot.parsing.text import BAD_CHAR

log = logging.getLogger(__name__)

ATTEMPTS = 3
RETRY_AFTER_CAP = 30.0  # seconds: a longer Retry-After is waited this long (then one more try)
MAX_REDIRECTS = 5
TITLE_MAX = 500  # TrendItem.title
SUMMARY_MAX = 1000
USER_AGENT = "Kiban/0.1 (trend report collector; Slack app of a programme secretariat)"

TRANSPORT: httpx.BaseTransport | None = None  # None: the network; tests set a MockTransport
SLEEP = time.sleep  # the pause between tries; tests record it instead


class FetchError(Exception):
    """The page or feed could not be had: the reason in a few words (`HTTP 404`, `timeout`)."""


class _Retryable(Exception):
    """A 429 or 5xx answer: worth another try, after `retry_after` seconds when it said."""

    def __init__(self, status: int, retry_after: float | None):
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class _Refused(FetchError):
    """A host `public_only` does not fetch."""


@dataclass(frozen=True)
class Fetched:
    """A fetched body: `url` after redirects, `status`, the `Content-Type` header ("" when
    none), the bytes, and whether they were cut at `max_bytes`."""

    url: str
    status: int
    content_type: str
    content: bytes
    truncated: bool = False

    @property
    def media_type(self) -> str:
        """`text/html` of `text/html; charset=utf-8` (lower case, "" when none)."""
        return self.content_type.split(";", 1)[0].strip().lower()


def _retryable(error: BaseException) -> bool:
    if isinstance(error, _Retryable):
        return True
    return isinstance(error, httpx.TransportError) and not isinstance(
        error, httpx.UnsupportedProtocol
    )


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """A `Retry-After` header as seconds from now (delay-seconds or an HTTP date), or None
    when absent or unreadable; never negative."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


_backoff = wait_exponential(multiplier=0.5, max=4)


def _wait(retry_state) -> float:
    error = retry_state.outcome.exception() if retry_state.outcome else None
    if isinstance(error, _Retryable) and error.retry_after is not None:
        return min(error.retry_after, RETRY_AFTER_CAP)
    return _backoff(retry_state)


def _public_host(host: str) -> bool:
    """Whether every address `host` stands for is a public one. A name that does not resolve
    passes: the connection will fail on its own."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return True
        addresses = []
        for info in infos:
            try:
                addresses.append(ipaddress.ip_address(info[4][0].split("%", 1)[0]))
            except ValueError:
                continue
    for address in addresses:
        mapped = getattr(address, "ipv4_mapped", None)
        address = mapped or address
        if not address.is_global or address.is_multicast:
            return False
    return True


def _check_public(request: httpx.Request) -> None:
    if not _public_host(request.url.host):
        raise _Refused(f"refused: {request.url.host} is not a public address")


def fetch(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    truncate: bool = False,
    public_only: bool = False,
    accept: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Fetched:
    """GET `url` (see the module docstring for the retries and bounds).

    Raises FetchError: a URL that is not http(s), a status other than 2xx (after the retries
    for 429 and 5xx), a transport error after the retries, a body over `max_bytes` (unless
    `truncate`), too many redirects, a host refused by `public_only`, or a URL httpx cannot
    use.
    """
    if not re.match(r"^https?://", url or "", re.IGNORECASE):
        raise FetchError("not an http(s) URL")
    headers = {"User-Agent": USER_AGENT}
    if accept:
        headers["Accept"] = accept
    hooks = {"request": [_check_public]} if public_only else {}
    retrying = Retrying(
        retry=retry_if_exception(_retryable),
        stop=stop_after_attempt(ATTEMPTS),
        wait=_wait,
        sleep=lambda seconds: SLEEP(seconds),
        reraise=True,
    )
    try:
        with httpx.Client(
            transport=transport or TRANSPORT,
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers=headers,
            event_hooks=hooks,
        ) as client:
            return retrying(_once, client, url, timeout, max_bytes, truncate)
    except FetchError:
        raise
    except _Retryable as error:
        raise FetchError(str(error)) from None
    except httpx.TimeoutException:
        raise FetchError("timeout") from None
    except httpx.TooManyRedirects:
        raise FetchError("too many redirects") from None
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as error:
        raise FetchError(f"{type(error).__name__}: {error}"[:200]) from None


def _once(
    client: httpx.Client, url: str, timeout: float, max_bytes: int, truncate: bool
) -> Fetched:
    deadline = time.monotonic() + timeout
    with client.stream("GET", url) as response:
        status = response.status_code
        if status == 429 or status >= 500:
            raise _Retryable(status, retry_after_seconds(response.headers.get("Retry-After")))
        if not 200 <= status < 300:
            raise FetchError(f"HTTP {status}")
        chunks, size, cut = [], 0, False
        for chunk in response.iter_bytes():
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("the body took longer than the timeout")
            if size + len(chunk) > max_bytes:
                if not truncate:
                    raise FetchError(f"larger than {max_bytes} bytes")
                chunks.append(chunk[: max_bytes - size])
                cut = True
                break
            size += len(chunk)
            chunks.append(chunk)
        return Fetched(
            url=str(response.url),
            status=status,
            content_type=response.headers.get("Content-Type", ""),
            content=b"".join(chunks),
            truncated=cut,
        )


# --- titles -----------------------------------------------------------------------------------

_HTML_TYPES = {"text/html", "application/xhtml+xml", ""}
_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# common labels whose Python codec is narrower than what browsers decode (WHATWG Encoding)
_CODEC_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "ms_kanji": "cp932",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "euc-jp": "euc_jis_2004",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _CODEC_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(content: bytes, content_type: str | None) -> str:
    """The page's text: the header's charset, else a byte-order mark, else the page's own
    `<meta charset>` (first 4 KB), else UTF-8; undecodable bytes replaced."""
    header = _CHARSET_PARAM.search(content_type or "")
    codec = _codec(header[1]) if header else None
    if codec is None:
        codec = next((name for bom, name in _BOMS if content.startswith(bom)), None)
    if codec is None:
        meta = _META_CHARSET.search(content[:4096])
        codec = _codec(meta[1].decode("ascii", "replace")) if meta else None
    if codec in ("utf-8", None):
        codec = "utf-8-sig"
    return content.decode(codec, errors="replace")


class _TitleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self.meta_title: str | None = None
        self._in_title = False
        self._svg = 0
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "svg":
            self._svg += 1
        elif tag == "title" and not self._svg and self.title is None:
            self._in_title, self._parts = True, []
        elif tag == "meta" and self.meta_title is None:
            named = dict(attrs)
            kind = (named.get("property") or named.get("name") or "").lower()
            if kind in ("og:title", "twitter:title") and named.get("content"):
                self.meta_title = named["content"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._svg:
            self._svg -= 1
        elif tag == "title" and self._in_title:
            self._in_title = False
            self.title = "".join(self._parts)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._parts.append(data)


def clean_text(text: str | None, limit: int) -> str:
    """One line: runs of white space as one space, characters no column can store removed,
    cut at `limit` code points ("…" counted)."""
    line = " ".join(BAD_CHAR.sub("", text or "").split())
    return truncate(line, limit)


def page_title(content: bytes, content_type: str | None) -> str | None:
    """The title of an HTML page (`<title>`, else `og:title` / `twitter:title`), one line of
    at most 500 characters; None for a page that has none or is not HTML (a PDF, an image)."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media not in _HTML_TYPES:
        return None
    parser = _TitleParser()
    try:
        parser.feed(decode_html(content, content_type))
        parser.close()
    except Exception:  # noqa: BLE001 (html.parser on hostile input: no title, not a crash)
        log.debug("HTML parser gave up", exc_info=True)
    if parser._in_title:  # an unclosed <title> at the end of what was read
        parser.title = "".join(parser._parts)
    for candidate in (parser.title, parser.meta_title):
        title = clean_text(candidate, TITLE_MAX)
        if title:
            return title
    return None


# --- feeds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: its link, title, publication time (aware UTC, None when the feed
    gives none) and a plain-text summary."""

    url: str
    title: str
    published: datetime | None
    summary: str = ""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str | None) -> str:
    """The text of an HTML fragment (tags dropped, entities decoded)."""
    parser = _Text()
    try:
        parser.feed(html or "")
        parser.close()
    except Exception:  # noqa: BLE001
        return html or ""
    return "".join(parser.parts)


def _when(parsed) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def feed_entries(content: bytes) -> list[FeedEntry]:
    """The entries of an RSS or Atom document, in the feed's order; entries without a link
    left out. Raises FetchError when `content` is not a feed (an HTML error page)."""
    parsed = feedparser.parse(io.BytesIO(content))
    if not parsed.entries and (not parsed.get("version") or parsed.get("bozo")):
        reason = parsed.get("bozo_exception")
        raise FetchError(
            f"not an RSS or Atom feed ({type(reason).__name__ if reason else 'empty'})"
        )
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            link = next(
                (
                    item.get("href")
                    for item in entry.get("links") or []
                    if item.get("rel") == "alternate" and item.get("href")
                ),
                "",
            )
        if not link:
            continue
        published = _when(entry.get("published_parsed")) or _when(entry.get("updated_parsed"))
        entries.append(
            FeedEntry(
                url=link.strip(),
                title=clean_text(plain_text(entry.get("title")), TITLE_MAX),
                published=published,
                summary=clean_text(plain_text(entry.get("summary")), SUMMARY_MAX),
            )
        )
    return entries
