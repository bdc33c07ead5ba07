"""The public feed (issue #9, `kiban export public`): an Atom feed (RFC 4287, `feed.xml`, by
feedgen) and a static HTML index (`index.html`, by Jinja2 with autoescaping) of what the
programme made public. Nothing else reaches them.

What is public, and only that:

- announcements marked public whose status is `published` (so a second operator approved
  them: the four-eyes rule of `bot.services.announcements`): title and body, both languages;
- monthly trend reports with status `published` (approved by an operator): **only the theme
  sections** (`storage.trends.TrendTheme`: international, use_cases, economic, other). The
  `figures` section is never included: it is computed from the organizations' own internal
  data (GPU-hours against plan, results, introductions, attendance).

Everything is read from those two tables' public fields alone; no other table is queried.
Stored texts are Slack mrkdwn: links `<https://…|label>` become real links (http and https
only, the label made safe like in Slack by `bot.blocks.trend_report.safe_link`); any other
`<…>` token (a mention, a date, `javascript:` or `mailto:` links) becomes its label as text;
everything else is escaped. The page also carries a Content-Security-Policy that forbids
scripts, as a second line of defence.

One entry per item, in both languages (Japanese first). Entry ids are stable: the index page
under `base_url` with the item's anchor (`…/index.html#announcement-12`,
`…/index.html#trend-report-2026-04`), as long as `PUBLIC_BASE_URL` stays the same; an entry's
published and updated times are when it was published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from feedgen.feed import FeedGenerator
from jinja2 import DictLoader, Environment, select_autoescape
from markupsafe import Markup, escape
from sqlmodel import Session

from bot.blocks.announcements import when
from bot.blocks.common import from_slack_text
from bot.blocks.trend_report import safe_link
from bot.errors import UserError
from bot.i18n import LANGS, t
from bot.settings import Settings
from storage import announcements as announcement_store
from storage import trends as trend_store
from storage.trends import TrendTheme

PUBLIC_SECTIONS = tuple(theme.value for theme in TrendTheme)  # never "figures"
_TOKEN = re.compile(r"<([^<>\n]*)>")
_WEB = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_SAFE_LINK = re.compile(r"<([^|>]*)\|(.*)>", re.DOTALL)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # cannot be in XML 1.0

_PART = """\
{%- for lang, sections in entry.parts %}
<div lang="{{ lang }}">
{%- for heading, html in sections %}
{%- if heading %}<h3>{{ heading }}</h3>{% endif %}
<p>{{ html }}</p>
{%- endfor %}
</div>
{%- endfor %}
"""

_INDEX = """\
<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<link rel="alternate" type="application/atom+xml" title="{{ title }}" href="{{ feed_url }}">
<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.6}
article{border-top:1px solid #ccc;padding:1rem 0}time,.kind{color:#555;font-size:.9em}</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
<p>{{ subtitle }}</p>
<p><a href="{{ feed_url }}">{{ subscribe }}</a></p>
</header>
<main>
{%- for entry in entries %}
<article id="{{ entry.key }}">
<h2><a href="#{{ entry.key }}">{{ entry.heading }}</a></h2>
<p><span class="kind">{{ entry.kind_label }}</span> · {{ published }}: <time datetime="{{ entry.published.isoformat() }}">{{ entry.shown_time }}</time></p>
{% include "part.html" %}
</article>
{%- else %}
<p>{{ empty }}</p>
{%- endfor %}
</main>
</body>
</html>
"""

_ENV = Environment(
    loader=DictLoader({"index.html": _INDEX, "part.html": _PART}),
    autoescape=select_autoescape(default=True, default_for_string=True),
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Entry:
    """One published item: `key` its anchor, `title` per language (plain text), `parts`
    per language the (heading, HTML) sections, `published` aware UTC."""

    key: str
    kind: str
    title: dict[str, str]
    parts: list[tuple[str, list[tuple[str | None, Markup]]]]
    published: datetime
    shown_time: str = ""
    kind_label: str = ""

    @property
    def heading(self) -> str:
        return " / ".join(self.title[g] for g in LANGS if self.title.get(g))


def export_public(
    session: Session, *, settings: Settings, base_url: str, now: datetime
) -> list[tuple[str, str | bytes]]:
    """`[("feed.xml", bytes), ("index.html", str)]` of everything published publicly (see
    the module docstring), newest first. `base_url`: where the two files are served (http or
    https), for the feed's ids and links. `now` dates an empty feed. Raises UserError for a
    base URL that is not http(s)."""
    base = _base(base_url)
    entries = sorted(
        [*_announcements(session), *_trend_reports(session)],
        key=lambda e: (e.published, e.key),
        reverse=True,
    )
    shown = [_with_labels(e, settings) for e in entries]
    return [
        ("feed.xml", _atom(shown, settings, base, now)),
        ("index.html", _index(shown, settings)),
    ]


def _base(base_url: str) -> str:
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        key, url = "announce.feed.error.base_url", base_url[:200]
        raise UserError(t(key, "en", url=url), t(key, "ja", url=url))
    url = base_url.strip()
    return url if url.endswith("/") else url + "/"


def _with_labels(entry: Entry, settings: Settings) -> Entry:
    """The entry with its kind (both languages) and its time in the programme's zone."""
    return replace(
        entry,
        shown_time=when(entry.published, settings.tz),
        kind_label=" / ".join(t(f"announce.feed.kind.{entry.kind}", g) for g in LANGS),
    )


# --- what is public ------------------------------------------------------------------------------


def _announcements(session: Session) -> list[Entry]:
    entries = []
    for row in announcement_store.published_public(session):
        if not (row.to_public and row.status == "published" and row.published_at):
            continue  # the query says so already: kept as a guard for the public boundary
        entries.append(
            Entry(
                key=f"announcement-{row.id}",
                kind="announcement",
                title={g: _clean(row.title.get(g, "")) for g in LANGS if row.title.get(g)},
                parts=[
                    (g, [(None, mrkdwn_html(row.body.get(g, "")))])
                    for g in LANGS
                    if row.title.get(g)
                ],
                published=row.published_at,
            )
        )
    return entries


def _trend_reports(session: Session) -> list[Entry]:
    entries = []
    for report in trend_store.published_reports(session):
        parts = []
        for g in LANGS:
            sections = [
                (t(f"trendreport.section.{key}", g), mrkdwn_html(text))
                for key in PUBLIC_SECTIONS
                if (text := (report.sections.get(key) or {}).get(g))
            ]
            parts.append((g, sections or [(None, Markup(escape(t("trendreport.none", g))))]))
        entries.append(
            Entry(
                key=f"trend-report-{report.month}",
                kind="trend_report",
                title={g: t("trendreport.published.title", g, month=report.month) for g in LANGS},
                parts=parts,
                published=report.published_at,
            )
        )
    return entries


# --- mrkdwn → HTML -------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Text as shown: Slack's entities decoded, characters XML cannot hold removed."""
    return _NOT_XML.sub("", from_slack_text(text))


def mrkdwn_html(mrkdwn: str) -> Markup:
    """Stored Slack mrkdwn as an HTML fragment: http(s) links as `<a>`, every other token as
    its label, all text escaped, line breaks as `<br>`."""
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(mrkdwn):
        out.append(_text(mrkdwn[position : match.start()]))
        out.append(_token(match[1]))
        position = match.end()
    out.append(_text(mrkdwn[position:]))
    return Markup("".join(out).replace("\n", "<br>\n"))


_BOLD = re.compile(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])")


def _text(mrkdwn: str) -> str:
    """Plain mrkdwn text escaped, `*bold*` as `<strong>` (applied to the escaped text)."""
    return _BOLD.sub(r"<strong>\1</strong>", str(escape(_clean(mrkdwn))))


def _internal(host: str) -> bool:
    """A link into the Slack workspace (a message, a channel, a file): it opens only for its
    members and names a channel and a message — never in the public feed (its label stays)."""
    return host == "slack.com" or host.endswith((".slack.com", ".slack-edge.com"))


def _token(inner: str) -> str:
    target, _, label = inner.partition("|")
    url = _clean(target)
    host = (urlsplit(url).hostname or "").lower() if _WEB.fullmatch(url) else ""
    if host and not _internal(host):
        safe = _SAFE_LINK.fullmatch(safe_link(url, _clean(label)))  # a disguised label → url
        shown = _clean(safe[2]) if safe else url
        return str(Markup('<a href="{}" rel="nofollow noopener">{}</a>').format(url, shown))
    return str(escape(_clean(label)))  # mentions, dates, other schemes: the label only


# --- the two files -------------------------------------------------------------------------------


def _part(entry: Entry) -> str:
    return _ENV.get_template("part.html").render(entry=entry).strip()


def _atom(entries: list[Entry], settings: Settings, base: str, now: datetime) -> bytes:
    feed = FeedGenerator()
    feed.id(base)
    feed.title(settings.public_feed_title)
    feed.subtitle(" / ".join(t("announce.feed.subtitle", g) for g in LANGS))
    feed.author({"name": settings.public_feed_title})
    feed.link(href=urljoin(base, "index.html"), rel="alternate", type="text/html")
    feed.link(href=urljoin(base, "feed.xml"), rel="self", type="application/atom+xml")
    feed.language(settings.default_language)
    feed.updated(max((e.published for e in entries), default=now))
    for entry in entries:
        item = feed.add_entry(order="append")
        item.id(urljoin(base, f"index.html#{entry.key}"))
        item.title(entry.heading)
        item.link(href=urljoin(base, f"index.html#{entry.key}"), rel="alternate")
        item.published(entry.published)
        item.updated(entry.published)
        item.content(_part(entry), type="html")
    return feed.atom_str(pretty=True)


def _index(entries: list[Entry], settings: Settings) -> str:
    both = lambda key: " / ".join(t(key, g) for g in LANGS)  # noqa: E731
    return _ENV.get_template("index.html").render(
        lang=settings.default_language,
        title=settings.public_feed_title,
        subtitle=both("announce.feed.subtitle"),
        subscribe=both("announce.feed.subscribe"),
        published=both("announce.feed.published"),
        empty=both("announce.feed.empty"),
        feed_url="feed.xml",
        entries=entries,
    )
