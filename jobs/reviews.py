"""Review committee job (issue #7): every 15 minutes, the scoring reminders 3 days and 1 day
before a round's deadline, and the operators' notice when scoring closes
(`bot.services.review_scoring.remind` has the windows and claims each once)."""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps
from bot.services import review_scoring
from jobs.delivery import transaction


def run_review_reminders(*, deps: Deps, now: datetime) -> int:
    """Send the reminders and closing notices due at `now` (aware). Returns how many."""
    with transaction(deps, now) as work:
        session = work.session
        notices = review_scoring.remind(session=session, settings=deps.settings, now=now)
        work.send(notices)
    return len(notices)
