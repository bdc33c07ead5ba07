"""Links people share for the trend report (issue #8): one normal form per page, so the same
article shared twice (with tracking parameters, `http` or `https`, a trailing slash, an
upper-case host) is one item.

`normalize_url(text)` → the normal form, or a bilingual UserError (`trend.error.bad_url`,
`trend.error.url_too_long`). The steps:

* Slack's link forms `<https://x|label>` and `<https://x>` are unwrapped (the text of a slash
  command or a modal: already decoded with `bot.blocks.common.from_slack_text`);
* only `http` and `https` with a host name that can be one (labels of letters, digits, `-`
  and `_`, with a dot: `localhost` is not an article) or an IP address; user names and
  passwords are dropped; white space inside is refused;
* tracking parameters are removed (`utm_*`, `fbclid`, `gclid`, `mc_cid`, `ref`, … see
  `TRACKING`), case-insensitively on the decoded name;
* w3lib's `canonicalize_url` (Scrapy's, maintained) then lower-cases scheme and host, encodes
  an international host with IDNA and the path and query in UTF-8 percent-encoding (one
  spelling for `%7e`/`~`, `%20`/space), sorts the query parameters (stable for repeated
  names) and drops the fragment;
* the scheme becomes `https` (the same page served both ways is one item), the default port
  of the scheme it came with (80 for http) and 443 go, and trailing slashes of the path go
  (the root stays `/`).

`first_link(text)` finds the first http(s) link in a Slack message's text (`<url|label>`
first, then a bare URL), decoding Slack's `&amp;` entities in it; `message_link(message)` in
a whole message: its text, then its blocks (an app's message often keeps its links there,
the text being a fallback), then its attachments (unfurls).

The normal form is a key for finding duplicates, not always a working address (a site served
over http only): links shown to people use the URL as given (`TrendItem.original_url`).
"""

from __future__ import annotations

import ipaddress
import re
from contextlib import suppress
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from bot.blocks.common import escape, from_slack_text, truncate
from bot.errors import UserError
from bot.i18n import t

__all__ = [
    "MAX_URL_LENGTH",
    "TRACKING",
    "first_link",
    "is_tracking",
    "normalize_url",
    "message_link",
    "unwrap_link",
]

MAX_URL_LENGTH = 2000  # TrendItem.url
TRACKING = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "igshid",
        "igsh",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "spm",
        "scm",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "__hstc",
        "__hssc",
        "__hsfp",
        "hsctatracking",
        "mkt_tok",
        "vero_id",
        "vero_conv",
        "oly_anon_id",
        "oly_enc_id",
        "rb_clickid",
        "s_cid",
        "wt.mc_id",
        "cmpid",
        "pk_campaign",
        "pk_kwd",
        "pk_source",
        "pk_medium",
        "mtm_campaign",
        "mtm_source",
        "mtm_medium",
        "mtm_keyword",
    }
)
TRACKING_PREFIXES = ("utm_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}

_SLACK_LINK = re.compile(r"^<([^<>|]+)(?:\|[^<>]*)?>$")
_SLACK_LINK_IN_TEXT = re.compile(r"<(https?://[^<>|\s]+)(?:\|[^<>]*)?>", re.IGNORECASE)
_BARE_LINK = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"、。，．）」』】"  # punctuation after a bare URL in prose
_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


def is_tracking(name: str) -> bool:
    """Whether a query parameter (decoded name, any case) only tracks the reader."""
    name = name.lower()
    return name in TRACKING or name.startswith(TRACKING_PREFIXES)


def _bad(text: str) -> UserError:
    shown = escape(truncate(text, 200))
    return UserError(
        t("trend.error.bad_url", "en", url=shown), t("trend.error.bad_url", "ja", url=shown)
    )


def unwrap_link(text: str) -> str:
    """The URL of Slack's `<url|label>` / `<url>` form, else `text`, stripped."""
    text = text.strip()
    found = _SLACK_LINK.match(text)
    return found[1].strip() if found else text


def _clean_query(query: str) -> str:
    """The query without tracking parameters, the others as they were written."""
    kept = []
    for part in query.split("&"):
        if not part:
            continue
        name = unquote_plus(part.split("=", 1)[0])
        if not is_tracking(name):
            kept.append(part)
    return "&".join(kept)


def _host_ok(host: str) -> bool:
    """A host name (ASCII, after IDNA) with a dot, or an IP address."""
    with suppress(ValueError):
        ipaddress.ip_address(host)
        return True
    labels = host.split(".")
    return len(labels) >= 2 and len(host) <= 253 and all(_LABEL.match(label) for label in labels)


def _too_long() -> UserError:
    return UserError(
        t("trend.error.url_too_long", "en", limit=MAX_URL_LENGTH),
        t("trend.error.url_too_long", "ja", limit=MAX_URL_LENGTH),
    )


def _normal_once(raw: str) -> str:
    """One pass of the normalisation (raises ValueError or UnicodeError on a broken URL, and
    UserError for a scheme or host Kiban does not take)."""
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in DEFAULT_PORTS or not host or "[" in host or "]" in host:
        raise _bad(raw)
    port = parts.port  # ValueError when not a number in 0–65535
    netloc = f"[{host}]" if ":" in host else host
    # the default port of the scheme it came with, and https's (the scheme it gets)
    if port is not None and port not in (DEFAULT_PORTS[scheme], DEFAULT_PORTS["https"]):
        netloc += f":{port}"
    rebuilt = urlunsplit(("https", netloc, parts.path, _clean_query(parts.query), ""))
    canonical = urlsplit(canonicalize_url(rebuilt))
    canonical.port  # noqa: B018 (checks the port again: raises ValueError)
    if not _host_ok(canonical.hostname or ""):
        raise _bad(raw)
    path = canonical.path.rstrip("/") or "/"
    return urlunsplit(("https", canonical.netloc, path, canonical.query, ""))


def normalize_url(text: str) -> str:
    """The normal form of the link in `text` (see the module docstring); normalising it again
    gives it back.

    Raises UserError for anything that is not an http(s) URL with a host, or is too long.
    """
    raw = unwrap_link(text or "")
    if not raw or _SPACE_OR_CONTROL.search(raw):
        raise _bad(raw or (text or "").strip())
    if len(raw) > MAX_URL_LENGTH:
        raise _too_long()
    try:
        if urlsplit(raw).username is not None:  # `https://user:password@host`: never stored
            raise UserError(t("trend.error.credentials", "en"), t("trend.error.credentials", "ja"))
        normal = _normal_once(raw)
        # a pass can leave something the next one tidies (a path ending in ";" once its
        # slash is gone): repeat until it stands still
        for _ in range(3):
            again = _normal_once(normal)
            if again == normal:
                break
            normal = again
    except (ValueError, UnicodeError):
        raise _bad(raw) from None
    if len(normal) > MAX_URL_LENGTH:
        raise _too_long()
    return normal


def clean_link(url: str) -> str:
    """A link as published: the address the person gave (scheme, path and fragment as they
    were: an http-only site stays reachable) without its tracking parameters."""
    parts = urlsplit(url)
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not is_tracking(pair.split("=")[0])
    )
    return parts._replace(query=query).geturl()


def first_link(text: str | None) -> str | None:
    """The first http(s) link in a Slack message's `text` (entity-encoded, as Slack sends it):
    a `<url|label>` or `<url>` link, else a bare URL; Slack's entities decoded. None if none."""
    if not text:
        return None
    found = _SLACK_LINK_IN_TEXT.search(text)
    if found:
        return from_slack_text(found[1])
    bare = _BARE_LINK.search(from_slack_text(text))
    return bare[0].rstrip(_TRAILING) if bare else None


def _block_texts(blocks: list) -> list[str]:
    """The mrkdwn and link texts of Block Kit blocks, in order (rich text links as `<url>`)."""
    texts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not isinstance(node, dict):
            return
        if node.get("type") == "link" and isinstance(node.get("url"), str):
            texts.append(f"<{node['url']}>")
        for key in ("text", "fields", "elements", "accessory"):
            value = node.get(key)
            if isinstance(value, str) and key == "text":
                texts.append(value)
            elif isinstance(value, dict | list):
                walk(value)

    walk(blocks)
    return texts


def message_link(message: dict | None) -> str | None:
    """The first http(s) link of a Slack message object (as a `message_action` payload gives
    it): in its `text`, else in its blocks, else in its attachments. None if none; a part of
    the wrong type (``"attachments": true``) is passed over."""
    if not isinstance(message, dict):
        return None
    candidates = [message.get("text")]
    candidates += _block_texts(message.get("blocks") or [])
    attachments = message.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        if isinstance(attachment, dict):
            candidates += [
                f"<{attachment[key]}>" if key != "text" else attachment[key]
                for key in ("from_url", "title_link", "original_url", "text")
                if isinstance(attachment.get(key), str)
            ]
    for text in candidates:
        if isinstance(text, str) and (link := first_link(text)):
            return link
    return None
