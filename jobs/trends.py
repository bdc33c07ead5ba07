"""Collecting trend items from feeds (issue #8): each configured source (RSS/Atom feeds, the
arXiv query, the Hugging Face Hub's models; `bot.services.trend_feeds`) is read over HTTP
outside any transaction, then its new entries are stored in one short transaction per source.
A source that fails is reported to the operator channel once until it works again. New items
get their theme from keyword rules, then from the LLM when one is configured (one call per
batch, outside transactions).

Not registered here: the scheduler's table (`jobs.scheduler`) decides when it runs.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.clients.fetch import FetchError
from bot.deps import Deps
from bot.services import trend_feeds, trends
from jobs.delivery import transaction

log = logging.getLogger(__name__)


def run_trend_feeds(*, deps: Deps, now: datetime) -> int:
    """Read every configured source and collect its new entries. Returns the number of items
    added (0 when no source is configured or nothing was new)."""
    settings = deps.settings
    added: list[int] = []
    for source in trend_feeds.sources(settings):
        try:
            entries = trend_feeds.read_source(source, settings)
        except FetchError as error:
            log.warning("trend feed %s failed: %s", source.key, error)
            with transaction(deps, now) as work:
                work.send(
                    trend_feeds.record_failure(
                        work.session, source=source, error=str(error), now=now, settings=settings
                    )
                )
            continue
        with transaction(deps, now) as work:
            stored = trend_feeds.store_entries(
                work.session, source=source, entries=entries, now=now, settings=settings
            )
            work.send(stored.notices)
        added += stored.added
    if added and deps.llm is not None:
        try:
            trends.refine_with_llm(deps.session_factory, deps.llm, added)
        except Exception:  # noqa: BLE001 (the items are stored; themes by rules remain)
            log.exception("trend feeds: the LLM pass failed")
    return len(added)
