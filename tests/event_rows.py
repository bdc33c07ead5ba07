"""Rows of events for tests that start after an event exists (reminders, surveys, statistics):
an event starting at `starts_at` (aware) lasting two hours unless told, and an answer."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.events import Event, Rsvp, next_queue_number


def add_event(session, *, starts_at: datetime, **fields) -> int:
    """Store an event created by U0SATO; its id. `fields` override any column."""
    values = dict(
        title="勉強会",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        created_by="U0SATO",
    )
    row = Event(**(values | fields))
    session.add(row)
    session.flush()
    return row.id


def add_rsvp(
    session,
    event_id: int,
    user: str,
    answer: str = "going",
    *,
    answered_at: datetime,
    waitlisted: bool = False,
    checked_in_at: datetime | None = None,
) -> None:
    """Store one person's answer (waitlisted ones at the back of the line)."""
    session.add(
        Rsvp(
            event_id=event_id,
            user_id=user,
            answer=answer,
            waitlisted=waitlisted,
            queued_at=answered_at if waitlisted else None,
            queue_number=next_queue_number(session, event_id) if waitlisted else None,
            answered_at=answered_at,
            checked_in_at=checked_in_at,
        )
    )
