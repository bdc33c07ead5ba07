"""The survey projects' missing-report reminder (issue #9), scheduled weekdays 10:05 JST.

Like `jobs.compute.run_monthly_reminder`, it acts on the month's 3rd business day only and
claims the month's slot in the database first, so two processes remind once.
"""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps
from bot.services import progress
from bot.timeutil import nth_business_day
from jobs.compute import REMINDER_BUSINESS_DAY
from jobs.delivery import transaction
from storage.jobs import claim


def run_progress_reminder(*, deps: Deps, now: datetime) -> int:
    """On the 3rd business day of the month (Japanese holidays excluded, in `settings.tz`),
    DM the leads of every survey project without a current report for last month (held
    through their quiet hours), and post one summary of who is missing to the operator
    channel. Other days, or a month already claimed, do nothing.

    Returns the number of notices delivered or held for the recipient's morning (0 when not
    due, already run, or every project reported).
    """
    local = now.astimezone(deps.settings.tz)
    if local.date() != nth_business_day(local.year, local.month, REMINDER_BUSINESS_DAY):
        return 0
    with transaction(deps, now) as work:
        session = work.session
        if not claim(session, job="progress_reminder", slot=local.strftime("%Y-%m"), now=now):
            return 0
        notices = progress.reminders(session=session, settings=deps.settings, now=now)
        work.send(notices)
    failures = work.failures
    return len(notices) - len(failures)
