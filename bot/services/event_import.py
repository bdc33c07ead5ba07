"""`/event import`: events from an iCalendar file (RFC 5545), read by
`bot.parsing.ical_events` (folded lines, `TZID`, all-day events, recurrences expanded for the
next 90 days). Each occurrence is keyed by its UID (`UID#start` for a recurrence), so
importing the same calendar again updates what changed and duplicates nothing; an update goes
through the same rules as an operator's edit (a time or place change DMs everyone who
answered). Occurrences that already started are not imported.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.blocks.common import truncate
from bot.blocks.event_forms import LOCATION_MAX, TEXT_MAX, TITLE_MAX, EventInput
from bot.blocks.event_import import Ids, ImportOutcome
from bot.clients.slack import Notice
from bot.parsing.ical_events import CalendarEvent, read_events
from bot.services import events
from bot.services.members import Actor, user_error
from bot.settings import Settings
from storage import events as store
from storage.events import Event

MAX_EVENTS = 500  # occurrences per file
ANNOUNCE_MAX = 10  # new events announced at once: more would flood the channel


def read_calendar(content: bytes, *, now: datetime, default_zone: str) -> list[CalendarEvent]:
    """The file's events (UTF-8, a BOM allowed). Raises UserError for a file that is not
    UTF-8 text, not an iCalendar, or holds more than MAX_EVENTS occurrences."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise user_error("event.import.not_text") from None
    found = read_events(text, now=now, default_zone=default_zone)
    if len(found) > MAX_EVENTS:
        raise user_error("event.import.too_many", count=len(found), limit=MAX_EVENTS)
    return found


def import_calendar(
    *,
    session: Session,
    actor: Actor,
    calendar: list[CalendarEvent],
    channel: str | None,
    settings: Settings,
    now: datetime,
) -> tuple[ImportOutcome, list[int], list[Notice]]:
    """Create or update the calendar's events. Returns the outcome (titles per kind), the ids
    of new events to announce in `channel`, and the notices of updates (change DMs, the
    announcements re-rendered). Raises UserError for a non-operator, or (on the channel field)
    when more than ANNOUNCE_MAX new events would be announced at once."""
    actor.require_operator()
    outcome = ImportOutcome([], [], [], [])
    to_announce, notices = [], []
    new = [e for e in calendar if e.start > now and _stored(session, e.uid) is None]
    if channel and len(new) > ANNOUNCE_MAX:
        raise user_error("event.import.announce_many", count=len(new), limit=ANNOUNCE_MAX).at(
            Ids.CHANNEL
        )
    for item in calendar:
        label = _label(item)
        if item.start <= now:
            outcome.started.append(label)
            continue
        stored = _stored(session, item.uid)
        if stored is not None and (stored.cancelled or not _differs(stored, item)):
            outcome.unchanged.append(label)
            continue
        data = EventInput(
            title=truncate(item.title.strip() or item.uid, TITLE_MAX),
            description=truncate(item.description, TEXT_MAX),
            purpose=stored.purpose if stored else "",
            starts_at=item.start,
            ends_at=item.end,
            timezone=item.timezone,
            location=truncate(item.location, LOCATION_MAX),
            capacity=stored.capacity if stored else None,
            rsvp_deadline=_deadline(stored, item),
            channel=None if stored else channel,
            hosts=stored.host_ids if stored else [],
            invited_org_ids=stored.invited_org_ids if stored else [],
            event_id=stored.id if stored else None,
        )
        saved = events.save(
            session=session, actor=actor, data=data, settings=settings, now=now, source_ref=item.uid
        )
        store.get_event(session, saved.event_id).all_day = item.all_day
        notices += saved.notices
        (outcome.updated if stored else outcome.created).append(label)
        if saved.announce:
            to_announce.append(saved.event_id)
    return outcome, to_announce, notices


def _stored(session: Session, uid: str) -> Event | None:
    return session.exec(select(Event).where(Event.source_uid == uid)).first()


def _differs(stored: Event, item: CalendarEvent) -> bool:
    return (stored.title, stored.starts_at, stored.ends_at, stored.location, stored.timezone) != (
        truncate(item.title.strip() or item.uid, TITLE_MAX),
        item.start,
        item.end,
        truncate(item.location, LOCATION_MAX),
        item.timezone,
    )


def _deadline(stored: Event | None, item: CalendarEvent):
    """A stored deadline stays while it is before the (new) start."""
    if stored is None or stored.rsvp_deadline is None:
        return None
    return min(stored.rsvp_deadline, item.start)


def _label(item: CalendarEvent) -> str:
    local = item.start.astimezone(ZoneInfo(item.timezone))
    when = f"{local:%Y-%m-%d}" if item.all_day else f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
    return f"{item.title.strip() or item.uid} ({when})"
