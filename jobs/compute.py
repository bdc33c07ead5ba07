"""Compute jobs: the monthly usage-report reminder and the weekly digest.

A job function takes `now` (aware) and claims its slot in the database before doing anything,
so two processes that both run the job post once.
"""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps
from bot.services import alert_conditions, digests
from bot.timeutil import is_business_day, nth_business_day
from jobs.delivery import transaction
from storage.jobs import claim, claimed

REMINDER_BUSINESS_DAY = 3


def run_monthly_reminder(*, deps: Deps, now: datetime) -> int:
    """On the 3rd business day of the month (Japanese holidays excluded), DM the leads of every
    organization that has not reported last month. Other days do nothing.

    Returns the number of notices delivered (0 when not due or already run).
    """
    local = now.astimezone(deps.settings.tz)
    if local.date() != nth_business_day(local.year, local.month, REMINDER_BUSINESS_DAY):
        return 0
    with transaction(deps, now) as work:
        if not claim(work.session, job="monthly_reminder", slot=local.strftime("%Y-%m"), now=now):
            return 0
        notices = digests.monthly_reminders(session=work.session, settings=deps.settings, now=now)
        work.send(notices)
    return len(notices)


def run_weekly_digest(*, deps: Deps, now: datetime) -> int:
    """Post the weekly digests once per ISO week: the shared one to the digest channel, and to
    the operator channel the compute figures with one chart per organization, then the
    programme's activity when there is any (each skipped when its channel is not
    configured; `bot.services.digests` for what each holds). Returns the number of digest
    posts made in the channels: a digest continued in its thread counts once.

    Everything is read in one transaction; the charts are drawn after it, so drawing them
    never holds the database while people submit reports; then one transaction claims the
    week's slot and queues the digests in the outbox (two processes running the job post
    once; a crash before it commits leaves the week to the next run, after it the outbox
    delivers). A digest over 50 blocks goes out as its first message and replies in that
    message's thread (`Notice.parts`).
    """
    local = now.astimezone(deps.settings.tz)
    year, week, _ = local.isocalendar()
    slot = f"{year}-W{week:02d}"
    with deps.session_factory.begin() as session:
        if claimed(session, job="weekly_digest", slot=slot):
            return 0
        notices = digests.weekly_digest(session=session, settings=deps.settings, now=now)
        operator = digests.operator_digest_input(session=session, settings=deps.settings, now=now)
    notices += digests.operator_digest(operator)
    with transaction(deps, now) as work:
        if not claim(work.session, job="weekly_digest", slot=slot, now=now):
            return 0
        work.send(notices)
    return len(notices)


def run_condition_alerts(*, deps: Deps, now: datetime) -> int:
    """On business days, alert (and escalate) runs-out-early, under-plan and report-missing
    conditions, once per day. Returns the number of notices delivered."""
    local = now.astimezone(deps.settings.tz)
    if not is_business_day(local.date()):
        return 0
    with transaction(deps, now) as work:
        slot = local.strftime("%Y-%m-%d")
        if not claim(work.session, job="condition_alerts", slot=slot, now=now):
            return 0
        notices = alert_conditions.evaluate(session=work.session, settings=deps.settings, now=now)
        work.send(notices)
    return len(notices)
