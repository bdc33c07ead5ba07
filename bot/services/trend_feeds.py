"""Trend items from feeds (issue #8): the RSS/Atom feeds of `TREND_FEEDS`, the arXiv API query
of `TREND_ARXIV_QUERY` and, with `TREND_HF_MODELS`, the Hugging Face Hub's most downloaded
models.

A source is read with `read_source` (HTTP through `bot.clients.fetch`: bounded, retried on
transport errors, 429 and 5xx only; or a local file, for demos and tests: a `TREND_FEEDS`
entry that is not an http(s) URL is a path) and never inside a transaction. Its entries are
then stored with `store_entries` in one short transaction per source: new pages become items
(source "feed", `feed` the source's key, no adder, deduplicated by normalised URL, `month`
the month of publication in the programme's zone, theme by keyword rules; the LLM's later),
entries whose link is not an http(s) URL are skipped, and so are entries published before
the start of the previous month (a first read of a feed, or the Hub's all-time most
downloaded models, would otherwise fill months long reported on).

A source that fails is reported to the operator channel once (`record_failure`: a Notice),
not at every run, until it is read again; then its state is reset and the operators are told
it works again. `FeedState.last_fetched_at` is the last successful read.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from sqlmodel import Session

from bot.blocks import trends as blocks
from bot.clients.fetch import FeedEntry, FetchError, clean_text, feed_entries, fetch
from bot.clients.slack import Notice
from bot.errors import UserError
from bot.parsing.urls import normalize_url
from bot.services.trends import classify, month_of
from bot.settings import Settings
from storage import trends as store
from storage.db import insert_once
from storage.trends import FeedState, TrendItem

log = logging.getLogger(__name__)

ARXIV_API = "https://export.arxiv.org/api/query"
ARXIV_MAX_RESULTS = 20
HF_MODELS_URL = "https://huggingface.co/api/models?sort=downloads&direction=-1&limit=20"
HF_KEY = "huggingface:models"
FEED_MAX_BYTES = 5 * 1024 * 1024
NOTE_MAX = 500  # of a feed entry's summary, kept as the item's note
FEED_ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.8"
_HTTP = re.compile(r"^https?://", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    """One place trend items come from. `key`: what `FeedState.feed` and `TrendItem.feed`
    hold (the feed's URL or path, `arxiv:<query>`, `huggingface:models`); `kind`: "feed",
    "arxiv" or "hf"; `location`: the URL or local path read."""

    key: str
    kind: str
    location: str

    @property
    def is_local(self) -> bool:
        return not _HTTP.match(self.location)


def arxiv_url(query: str) -> str:
    """The arXiv API's newest submissions matching `query` (Atom)."""
    params = {
        "search_query": query,
        "sortBy": "submittedDate",
        "sortOrder": "descending",
        "max_results": ARXIV_MAX_RESULTS,
    }
    return f"{ARXIV_API}?{urlencode(params)}"


def sources(settings: Settings) -> list[Source]:
    """The configured sources, in order: feeds, arXiv, the Hugging Face Hub."""
    found = [
        Source(key=feed.strip(), kind="feed", location=feed.strip())
        for feed in settings.trend_feeds
        if feed.strip()
    ]
    if settings.trend_arxiv_query.strip():
        query = settings.trend_arxiv_query.strip()
        found.append(Source(key=f"arxiv:{query}", kind="arxiv", location=arxiv_url(query)))
    if settings.trend_hf_models:
        found.append(Source(key=HF_KEY, kind="hf", location=HF_MODELS_URL))
    return found


# --- reading (no database) ---------------------------------------------------------------------


def _read_local(location: str) -> bytes:
    path = Path(location.removeprefix("file://")).expanduser()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FetchError(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > FEED_MAX_BYTES:
        raise FetchError(f"larger than {FEED_MAX_BYTES} bytes")
    return data


def _parse_time(value) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def hf_entries(content: bytes) -> list[FeedEntry]:
    """The Hugging Face Hub's `/api/models` answer (a JSON list of models: `modelId` or `id`,
    `createdAt`, `pipeline_tag`, `downloads`) as entries linking to each model's page. Raises
    FetchError when it is not such a list."""
    try:
        models = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise FetchError("the Hugging Face answer is not JSON") from None
    if not isinstance(models, list):
        raise FetchError("the Hugging Face answer is not a list of models")
    entries = []
    for model in models:
        if not isinstance(model, dict):
            continue
        model_id = model.get("modelId") or model.get("id")
        if not isinstance(model_id, str) or not re.fullmatch(r"[\w.-]+(/[\w.-]+)?", model_id):
            continue
        facts = [str(model["pipeline_tag"])] if model.get("pipeline_tag") else []
        if isinstance(model.get("downloads"), int):
            facts.append(f"{model['downloads']:,} downloads")
        entries.append(
            FeedEntry(
                url=f"https://huggingface.co/{model_id}",
                title=clean_text(model_id, 500),
                published=_parse_time(model.get("createdAt")),
                summary=clean_text(" · ".join(facts), 500),
            )
        )
    return entries


def read_source(source: Source, settings: Settings) -> list[FeedEntry]:
    """The source's entries, read now (HTTP with the fetch timeout, or the local file). Call
    it outside any transaction. Raises FetchError when it cannot be read or is not a feed."""
    if source.is_local:
        content = _read_local(source.location)
    else:
        content = fetch(
            source.location,
            timeout=settings.trend_fetch_timeout_seconds,
            max_bytes=FEED_MAX_BYTES,
            accept="application/json" if source.kind == "hf" else FEED_ACCEPT,
        ).content
    return hf_entries(content) if source.kind == "hf" else feed_entries(content)


# --- storing (one transaction per source) --------------------------------------------------------


@dataclass
class Stored:
    """What storing a source's entries did: the new items' ids and the notices to send."""

    added: list[int] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def _state(session: Session, source: Source) -> FeedState:
    state = store.feed_state(session, source.key)
    if state is None:
        state = insert_once(session, FeedState(feed=source.key)) or store.feed_state(
            session, source.key
        )
    return state


def oldest_kept(now: datetime, settings: Settings) -> datetime:
    """Entries published before this (the start of the previous month in the programme's
    zone) are not collected."""
    local = now.astimezone(settings.tz)
    first = datetime.combine(local.date().replace(day=1), time(), tzinfo=settings.tz)
    return first - relativedelta(months=1)


def _operator_notice(settings: Settings, kind: str, render) -> list[Notice]:
    if not settings.operator_channel:
        log.warning("trend feeds: no operator channel to send %s to", kind)
        return []
    return [
        Notice(
            channel=settings.operator_channel,
            lang=settings.default_language,
            render=render,
            kind=kind,
        )
    ]


def store_entries(
    session: Session,
    *,
    source: Source,
    entries: list[FeedEntry],
    now: datetime,
    settings: Settings,
) -> Stored:
    """Add the entries not collected yet as items, and record the successful read (a source
    that had been failing and was reported: its reset and a "works again" notice)."""
    stored = Stored()
    oldest = oldest_kept(now, settings)
    for entry in entries:
        try:
            normal = normalize_url(entry.url)
        except UserError:
            log.info("trend feed %s: skipped the link %r", source.key, entry.url[:200])
            continue
        if entry.published is not None and entry.published < oldest:
            continue
        if store.item_by_url(session, normal) is not None:
            continue
        note = clean_text(entry.summary, NOTE_MAX)
        item = insert_once(
            session,
            TrendItem(
                url=normal,
                original_url=entry.url[:2000],
                title=entry.title or "",
                note=note,
                source="feed",
                feed=source.key[:2000],
                added_by=None,
                added_at=now,
                published_at=entry.published,
                month=month_of(min(entry.published or now, now), settings),  # never a future month
                theme=classify(entry.title, note, normal).value,
                theme_by="rules",
            ),
        )
        if item is not None:
            stored.added.append(item.id)
    state = _state(session, source)
    if state.failure_reported:
        key = source.key
        stored.notices += _operator_notice(
            settings, "trend_feed_recovered", lambda lang: blocks.build_feed_recovered(key, lang)
        )
    state.last_fetched_at = now
    state.failing_since, state.failure_reported, state.last_error = None, False, ""
    return stored


def record_failure(
    session: Session, *, source: Source, error: str, now: datetime, settings: Settings
) -> list[Notice]:
    """Remember that the source failed; the operators are told the first time only (until a
    read succeeds again). Returns that notice, or []."""
    state = _state(session, source)
    state.last_error = error[:500]
    if state.failing_since is None:
        state.failing_since = now
    if state.failure_reported:
        return []
    state.failure_reported = True
    key, reason = source.key, error[:300]
    return _operator_notice(
        settings,
        "trend_feed_failed",
        lambda lang: blocks.build_feed_failed(key, reason, lang),
    )
