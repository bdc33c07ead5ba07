"""Introduction jobs, daily at 09:15 on business days (programme zone): unanswered
introductions become ignored, follow-ups go out, and requests waiting for review remind the
operators. The day's slot is claimed in the database, so two processes run it once.
"""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps
from bot.services import introductions
from jobs.delivery import transaction
from storage.jobs import claim


def run_introduction_checks(*, deps: Deps, now: datetime) -> int:
    """Run the three checks in one transaction; returns the number of notices delivered (0
    when the day's slot was already claimed)."""
    local = now.astimezone(deps.settings.tz)
    with transaction(deps, now) as work:
        session = work.session
        if not claim(session, job="introduction_checks", slot=local.date().isoformat(), now=now):
            return 0
        notices = []
        for check in (
            introductions.check_answers,
            introductions.send_followups,
            introductions.remind_idle,
        ):
            notices += check(session=session, settings=deps.settings, now=now)
        work.send(notices)
    return len(notices)
