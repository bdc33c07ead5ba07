"""RSVP rules (issue #6): one answer per person per event, changeable until the RSVP deadline;
capacity with a waitlist in arrival order; a freed seat promotes the first in line.

Concurrency: every answer takes the event's lock (`advisory_lock` on PostgreSQL; SQLite's one
write lock), then reads seats and writes in the same transaction, so two people racing for
the last seat get one seat and one waitlist place, and a double click leaves one row.
Times are aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.services.members import user_error
from storage import events as store
from storage.db import advisory_lock, insert_once
from storage.events import Rsvp, RsvpAnswer


@dataclass(frozen=True)
class RsvpResult:
    """What happened: the person's answer, their waitlist position (1-based, None when not
    waitlisted), and who was promoted from the waitlist by a freed seat (None if nobody)."""

    answer: str
    waitlist_position: int | None
    promoted: str | None


def answer(
    *, session: Session, event_id: int, user_id: str, choice: RsvpAnswer, now: datetime
) -> RsvpResult:
    """Record `user_id`'s answer to the event. Raises UserError for an unknown or cancelled
    event, or after the RSVP deadline (or once the event has started, without one)."""
    advisory_lock(session, f"event:{event_id}")
    event = store.get_event(session, event_id)
    if event is None or event.cancelled:
        raise user_error("rsvp.error.gone")
    closes = event.rsvp_deadline or event.starts_at
    if now >= closes:
        raise user_error("rsvp.error.closed", deadline=closes.isoformat())
    rsvp = store.get_rsvp(session, event_id, user_id)
    held_seat = rsvp is not None and rsvp.answer == RsvpAnswer.GOING.value and not rsvp.waitlisted
    if rsvp is not None and rsvp.answer == choice.value:
        return RsvpResult(choice.value, _position(session, event_id, user_id), None)
    full = (
        event.capacity is not None
        and store.seats_taken(session, event_id) - (1 if held_seat else 0) >= event.capacity
    )
    waitlisted = choice == RsvpAnswer.GOING and full
    values = dict(
        answer=choice.value,
        waitlisted=waitlisted,
        queued_at=now if waitlisted else None,
        queue_number=store.next_queue_number(session, event_id) if waitlisted else None,
        answered_at=now,
    )
    if rsvp is None:
        rsvp = insert_once(session, Rsvp(event_id=event_id, user_id=user_id, **values))
        if rsvp is None:  # a second click raced this one in: change that row instead
            rsvp = store.get_rsvp(session, event_id, user_id)
    for name, value in values.items():
        setattr(rsvp, name, value)
    session.flush()
    promoted = _promote(session, event, now) if held_seat and choice != RsvpAnswer.GOING else None
    return RsvpResult(choice.value, _position(session, event_id, user_id), promoted)


def _promote(session: Session, event, now: datetime) -> str | None:
    """Give a freed seat to the first waitlisted person; their user id, or None."""
    line = store.waitlist(session, event.id)
    if not line or (
        event.capacity is not None and store.seats_taken(session, event.id) >= event.capacity
    ):
        return None
    first = line[0]
    first.waitlisted, first.queued_at, first.queue_number = False, None, None
    first.answered_at = now
    session.flush()
    return first.user_id


def _position(session: Session, event_id: int, user_id: str) -> int | None:
    for place, rsvp in enumerate(store.waitlist(session, event_id), start=1):
        if rsvp.user_id == user_id:
            return place
    return None


def fill_seats(session: Session, event, now: datetime) -> list[str]:
    """After the capacity grew (or was removed), promote waitlisted people in order while
    seats are free; their user ids. The caller holds the event's lock."""
    promoted = []
    while (user_id := _promote(session, event, now)) is not None:
        promoted.append(user_id)
    return promoted
