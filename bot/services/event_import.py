"""`/event import`: events from an iCalendar file (RFC 5545), read by
`bot.parsing.ical_events` (UTF-8, UTF-16 or Shift_JIS; folded lines, `TZID`, all-day events,
recurrences expanded for the next 90 days; everything it refuses, it refuses naming the event).

Each occurrence is keyed by its UID (`UID#start` for an occurrence of a repeating event, the
start its rule gave it), so importing the same calendar again updates what changed and
duplicates nothing; an update goes through the same rules as an operator's edit (a time or
place change DMs everyone who answered). An event the calendar marks STATUS:CANCELLED is not
imported; one imported before is cancelled (everyone who answered is told). Occurrences that
already started are not imported; events that already ended, and repeating events with no date
in the next 90 days, are listed in the result, not imported.

With a channel to announce in, new events are announced there, and so are events imported
before but never announced (their announcement failed, or no channel was given then): at most
ANNOUNCE_MAX at once. The whole import is one transaction; announcing follows the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.blocks.common import truncate
from bot.blocks.event_forms import LOCATION_MAX, TEXT_MAX, TITLE_MAX, EventInput
from bot.blocks.event_import import Ids, ImportOutcome
from bot.clients.slack import Notice
from bot.parsing.ical_events import CalendarEvent, CalendarFile, decode_calendar
from bot.parsing.ical_events import read_calendar as read_calendar_text
from bot.services import events
from bot.services.members import Actor, user_error
from bot.settings import Settings
from storage import events as store
from storage.events import Event

ANNOUNCE_MAX = 10  # events announced at once: more would flood the channel


@dataclass(frozen=True)
class ToAnnounce:
    """An event to announce after the commit, and how the result DM names it."""

    event_id: int
    label: str
    channel: str


def read_calendar(content: bytes, *, now: datetime, default_zone: str) -> CalendarFile:
    """The file's events (see `bot.parsing.ical_events`). Raises UserError for a file that is
    not text, not an iCalendar, holds an event Kiban cannot read, or too many events."""
    return read_calendar_text(decode_calendar(content), now=now, default_zone=default_zone)


def import_calendar(
    *,
    session: Session,
    actor: Actor,
    calendar: CalendarFile,
    channel: str | None,
    settings: Settings,
    now: datetime,
) -> tuple[ImportOutcome, list[ToAnnounce], list[Notice]]:
    """Create, update or cancel the calendar's events. Returns the outcome (labels per kind),
    the events to announce in `channel` (new ones and stored ones never announced), and the
    notices (change and cancellation DMs, announcements re-rendered). Raises UserError for a
    non-operator, or (on the channel field) when more than ANNOUNCE_MAX events would be
    announced at once."""
    actor.require_operator()
    outcome = ImportOutcome(
        past=[_label(e) for e in calendar.past], later=[_label(e) for e in calendar.later]
    )
    stored = {e.uid: _stored(session, e.uid) for e in calendar.events}
    if channel:
        due = [e for e in calendar.events if _announce_due(e, stored[e.uid], now)]
        if len(due) > ANNOUNCE_MAX:
            raise user_error("eventimport.announce_many", count=len(due), limit=ANNOUNCE_MAX).at(
                Ids.CHANNEL
            )
    to_announce, notices = [], []
    for item in calendar.events:
        label, event = _label(item), stored[item.uid]
        if item.start <= now:
            outcome.started.append(label)
        elif item.cancelled:
            if event is None:
                outcome.cancelled_skipped.append(label)
            elif event.cancelled:
                outcome.unchanged.append(label)
            else:
                cancelled = events.cancel(
                    session=session, actor=actor, event_id=event.id, settings=settings, now=now
                )
                # the result DM lists it: no "cancelled" DM of its own to the operator
                notices += [n for n in cancelled if n.kind != "event_cancelled"]
                outcome.cancelled.append(label)
        elif event is not None and event.cancelled:
            outcome.kept_cancelled.append(label)
        else:
            announce = bool(channel) and _announce_due(item, event, now)
            changed = event is None or _differs(event, item)
            if not changed and not announce:
                outcome.unchanged.append(label)
                continue
            saved = events.save(
                session=session,
                actor=actor,
                data=_input(item, event, channel if announce else None),
                settings=settings,
                now=now,
                source_ref=item.uid,
            )
            store.get_event(session, saved.event_id).all_day = item.all_day
            notices += saved.notices
            if event is None:
                outcome.created.append(label)
            else:  # announced now, changed or not
                (outcome.updated if changed else outcome.unchanged).append(label)
            if saved.announce:
                to_announce.append(ToAnnounce(saved.event_id, label, channel))
    return outcome, to_announce, notices


def _announce_due(item: CalendarEvent, event: Event | None, now: datetime) -> bool:
    """Whether importing `item` announces it, given a channel: a new event, or one imported
    before and never announced; not one that started or is cancelled."""
    if item.start <= now or item.cancelled:
        return False
    return event is None or (not event.cancelled and not event.message_ts)


def _input(item: CalendarEvent, event: Event | None, channel: str | None) -> EventInput:
    """The event as the operator's form would give it: what the calendar says, and what only
    Kiban knows (purpose, capacity, hosts, invitations) kept from the stored event."""
    return EventInput(
        title=_title(item),
        description=truncate(item.description, TEXT_MAX),
        purpose=event.purpose if event else "",
        starts_at=item.start,
        ends_at=item.end,
        timezone=item.timezone,
        location=truncate(item.location, LOCATION_MAX),
        capacity=event.capacity if event else None,
        rsvp_deadline=_deadline(event, item),
        channel=channel,
        hosts=event.host_ids if event else [],
        invited_org_ids=event.invited_org_ids if event else [],
        event_id=event.id if event else None,
    )


def _stored(session: Session, uid: str) -> Event | None:
    return session.exec(select(Event).where(Event.source_uid == uid)).first()


def _title(item: CalendarEvent) -> str:
    return truncate(item.title.strip() or item.uid, TITLE_MAX)


def _differs(stored: Event, item: CalendarEvent) -> bool:
    return (stored.title, stored.starts_at, stored.ends_at, stored.location, stored.timezone) != (
        _title(item),
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
