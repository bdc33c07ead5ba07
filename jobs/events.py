"""Event jobs (issue #6): every 5 minutes, the follow-ups of events whose window has come —
reminders a day and an hour before, the start (link and Check in), the survey after the end,
the operators' summary 48 hours later, and the non-responder reminder before the RSVP
deadline (`bot.services.event_followup` has the windows and the rules).

Each follow-up of each event is claimed in the database (`event_<kind>`, keyed on the event
and, for reminders, its start instant), so two processes send it once; the notices are built
in the same transaction and delivered after it commits, quiet-hours DMs held as usual.
"""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps
from bot.services import event_followup
from bot.services.delivery import recipient_zone
from jobs.delivery import transaction
from storage.jobs import claim


def run_event_reminders(*, deps: Deps, now: datetime) -> int:
    """Send the event follow-ups due at `now` (aware) not sent before. Returns the number of
    notices delivered (0 when nothing is due or every due one was already claimed)."""

    def zone_of(user_id: str):
        return recipient_zone(deps.slack, user_id, deps.settings)

    notices = []
    with transaction(deps, now) as work:
        session = work.session
        for followup in event_followup.due(session=session, settings=deps.settings, now=now):
            if not claim(session, job=followup.job, slot=followup.slot, now=now):
                continue
            notices += event_followup.notices_for(
                followup, session=session, settings=deps.settings, now=now, zone_of=zone_of
            )
        work.send(notices)
    return len(notices)
