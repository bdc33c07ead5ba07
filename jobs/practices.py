"""The quarterly best-practice digest (issue #9): scheduled weekdays 09:45 in the programme's
zone, it acts only on the first business day of January, April, July and October, once per
quarter (claimed), posting the practices approved during the previous quarter to the digest
channel, grouped by area, in the programme's default language (as the weekly digest)."""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps
from bot.services import practices
from jobs.delivery import transaction
from storage.jobs import claim


def run_practice_digest(*, deps: Deps, now: datetime) -> int:
    """Post the previous quarter's approved practices when `now` (aware) is a quarter's first
    business day; nothing when none was approved, on any other day, or when another run
    claimed the quarter. Returns the number of posts made (0 or 1)."""
    due = practices.quarter_due(now, deps.settings)
    if due is None:
        return 0
    quarter, start, end = due
    with transaction(deps, now) as work:
        session = work.session
        if not claim(session, job="practice_digest", slot=quarter, now=now):
            return 0
        notices = practices.digest(
            session=session, settings=deps.settings, quarter=quarter, start=start, end=end
        )
        work.send(notices)
    failures = work.failures
    return len(notices) - len(failures)
