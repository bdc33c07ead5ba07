"""The trend report's draft (issue #8): on the first business day of a month (checked daily at
09:30 JST on weekdays), the previous month's report is drafted and posted to the operator
channel for review; nothing is published without an operator's approval."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.clients.slack import TRANSPORT_ERRORS, Notice
from bot.deps import Deps
from bot.errors import UserError
from bot.services import trend_report
from bot.services.members import resolve_actor
from bot.timeutil import nth_business_day
from jobs.delivery import deliver
from storage.jobs import claim

log = logging.getLogger(__name__)


def run_trend_draft(*, deps: Deps, now: datetime) -> int:
    """Draft last month's report on the first business day (claimed per month: two processes
    draft once). Returns 1 when a draft was made, else 0."""
    local = now.astimezone(deps.settings.tz)
    if local.date() != nth_business_day(local.year, local.month, 1):
        return 0
    month = trend_report.month_to_draft(now, deps.settings)
    with deps.session_factory.begin() as session:
        if not claim(session, job="trend_draft", slot=month, now=now):
            return 0
    try:
        notices = redraft(deps, month, now)
    except UserError as error:  # published early by hand, for instance: nothing to draft
        log.info("trend draft for %s skipped: %s", month, error.en)
        return 0
    share(deps, notices, now)
    return 1


def redraft(deps: Deps, month: str, now: datetime, actor_id: str | None = None) -> list[Notice]:
    """Draft `month`: the items read, the LLM asked outside any transaction (it may take its
    whole timeout), then the draft stored. `actor_id`: the operator regenerating it."""
    with deps.session_factory() as session:
        items = trend_report.items_for(session, month)
    written = trend_report.llm_sections(deps.llm, month, items)
    with deps.session_factory.begin() as session:
        actor = resolve_actor(session, actor_id, "ja") if actor_id else None
        _, notices = trend_report.draft(
            session=session,
            settings=deps.settings,
            month=month,
            now=now,
            written=written,
            llm_configured=deps.llm is not None,
            actor=actor,
        )
    return notices


def share(deps: Deps, notices: list[Notice], now: datetime) -> None:
    """Post a draft (remembering where, so edits update it in place) or update it."""
    for notice in notices:
        if notice.ts or notice.kind != "trend_draft":
            deliver(deps, [notice], now)
            continue
        try:
            ts = deps.slack.post(notice.channel, notice.render(notice.lang))
        except (SlackApiError, *TRANSPORT_ERRORS) as error:
            log.error("could not post the trend draft to %s: %s", notice.channel, error)
            continue
        with deps.session_factory.begin() as session:
            trend_report.posted(session, notice, ts)
