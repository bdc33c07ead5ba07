"""Instruction jobs: the reminder the day before an instruction is due.

The job runs daily (09:00 in the programme's zone), claims the day's slot in the database so
two processes post once, then reminds the leads of each unacknowledged instruction due
tomorrow (each instruction once: its `reminded_at` is recorded).
"""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps
from bot.services import instructions
from jobs.delivery import transaction
from storage.jobs import claim


def run_instruction_reminders(*, deps: Deps, now: datetime) -> int:
    """Remind leads of unacknowledged instructions due tomorrow (in `settings.tz`).

    Returns the number of notices delivered (0 when none is due or the day's slot was
    already claimed).
    """
    local = now.astimezone(deps.settings.tz)
    with transaction(deps, now) as work:
        session = work.session
        if not claim(session, job="instruction_reminder", slot=local.date().isoformat(), now=now):
            return 0
        notices = instructions.remind_due(session=session, settings=deps.settings, now=now)
        work.send(notices)
    return len(notices)
