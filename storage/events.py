"""Programme events and their RSVPs (issue #6).

An `Event` is stored with aware UTC instants and the IANA zone it is held in; `source_uid`
(the iCalendar UID, per occurrence) is unique, so re-importing a calendar updates rather than
duplicates. An `Rsvp` is one person's one answer per event (unique event × user): `going`,
`maybe` or `cant`; a `going` answer beyond the capacity is `waitlisted`, queued by
`queue_number` (one more than the event's last, taken under the event's lock: two answers in
the same instant still get an order; leaving the line and rejoining goes to its back). Rows are never deleted: answers change in place.
`hosts` and `invited_orgs` are comma-separated Slack user ids and organization ids (no
invited organization: every organization is invited). An `EventSurvey` is one attendee's
answer to the post-event survey (unique event × user).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime


class RsvpAnswer(StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    CANT = "cant"


class Event(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=3000)
    purpose: str = Field(default="", max_length=3000)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    timezone: str = Field(default="Asia/Tokyo", max_length=64)
    all_day: bool = False  # from a calendar's all-day event: whole days in `timezone`
    location: str = Field(default="", max_length=1000)
    capacity: int | None = None  # None: no limit
    rsvp_deadline: datetime | None = Field(default=None, sa_type=UTCDateTime)
    channel: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    created_by: str = Field(max_length=32)
    cancelled: bool = False
    source_uid: str | None = Field(default=None, max_length=300, unique=True)
    hosts: str = Field(default="", max_length=1000)
    invited_orgs: str = Field(default="", max_length=1000)

    @property
    def host_ids(self) -> list[str]:
        return [h for h in self.hosts.split(",") if h]

    @property
    def invited_org_ids(self) -> list[int]:
        return [int(o) for o in self.invited_orgs.split(",") if o]


class Rsvp(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("event_id", "user_id", name="uq_rsvp_event_user"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    user_id: str = Field(max_length=32)
    answer: str = Field(max_length=8)
    waitlisted: bool = False
    queued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    queue_number: int | None = None  # place in the event's line, increasing: ties cannot happen
    answered_at: datetime = Field(sa_type=UTCDateTime)
    checked_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class EventSurvey(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("event_id", "user_id", name="uq_survey_event_user"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    user_id: str = Field(max_length=32)
    rating: int  # 1–5
    useful: str = Field(default="", max_length=3000)
    change: str = Field(default="", max_length=3000)
    answered_at: datetime = Field(sa_type=UTCDateTime)


def get_event(session: Session, event_id: int) -> Event | None:
    return session.get(Event, event_id)


def get_rsvp(session: Session, event_id: int, user_id: str) -> Rsvp | None:
    query = select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.user_id == user_id)
    return session.exec(query).first()


def seats_taken(session: Session, event_id: int) -> int:
    """Confirmed `going` answers (not waitlisted)."""
    query = select(func.count()).where(
        Rsvp.event_id == event_id, Rsvp.answer == RsvpAnswer.GOING.value, Rsvp.waitlisted.is_(False)
    )
    return session.exec(query.select_from(Rsvp)).one()


def waitlist(session: Session, event_id: int) -> list[Rsvp]:
    """Waitlisted answers, first in line first."""
    query = (
        select(Rsvp)
        .where(Rsvp.event_id == event_id, Rsvp.waitlisted.is_(True))
        .order_by(Rsvp.queue_number, Rsvp.id)
    )
    return list(session.exec(query))


def next_queue_number(session: Session, event_id: int) -> int:
    """One more than the highest queue number the event ever gave (1 for the first)."""
    query = select(func.max(Rsvp.queue_number)).where(Rsvp.event_id == event_id)
    return (session.exec(query).one() or 0) + 1


def counts(session: Session, event_id: int) -> dict[str, int]:
    """{going, maybe, cant, waitlisted} for the announcement's live counts."""
    result = {answer.value: 0 for answer in RsvpAnswer} | {"waitlisted": 0}
    for rsvp in session.exec(select(Rsvp).where(Rsvp.event_id == event_id)):
        result["waitlisted" if rsvp.waitlisted else rsvp.answer] += 1
    return result


def rsvps(session: Session, event_id: int) -> list[Rsvp]:
    """Every answer to the event, oldest first."""
    query = select(Rsvp).where(Rsvp.event_id == event_id).order_by(Rsvp.answered_at, Rsvp.id)
    return list(session.exec(query))


def attendees(session: Session, event_id: int) -> list[Rsvp]:
    """Confirmed `going` answers (not waitlisted), oldest first."""
    return [
        r
        for r in rsvps(session, event_id)
        if r.answer == RsvpAnswer.GOING.value and not r.waitlisted
    ]


def events_between(
    session: Session, start: datetime, end: datetime | None, *, cancelled: bool = False
) -> list[Event]:
    """Events starting in [start, end) (no end: every later one), earliest first; cancelled
    ones only when asked."""
    query = select(Event).where(Event.starts_at >= start)
    if end is not None:
        query = query.where(Event.starts_at < end)
    if not cancelled:
        query = query.where(Event.cancelled.is_(False))
    return list(session.exec(query.order_by(Event.starts_at, Event.id)))


def surveys(session: Session, event_id: int) -> list[EventSurvey]:
    query = select(EventSurvey).where(EventSurvey.event_id == event_id).order_by(EventSurvey.id)
    return list(session.exec(query))
