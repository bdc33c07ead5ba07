"""Reading and writing iCalendar (RFC 5545) events with the `icalendar` library, recurring
events expanded with `recurring-ical-events`.

`read_events(text, now=…, default_zone=…)` returns the file's events as `CalendarEvent`s:
start and end as aware UTC instants plus the IANA zone they were written in (a Windows zone
name such as "Tokyo Standard Time" is mapped to `Asia/Tokyo`; a floating time or an all-day
date is read in `default_zone`). One-off events that ended before `now` are left out;
recurring ones are expanded for `horizon_days` (90) from `now`, each occurrence with its own
`uid` (`UID#start`), so re-reading the same file gives the same events. Folded lines and
`VTIMEZONE` definitions are the library's.

`write_event(event)` returns the `.ics` bytes of one event (with its `VTIMEZONE`), which
`read_events` reads back with the same instants.

Raises UserError for text that is not an iCalendar file, or an event without a start time
(named by its summary), in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from bot.errors import UserError

HORIZON_DAYS = 90
PRODID = "-//Kiban//Programme events//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str
    start: datetime  # aware UTC
    end: datetime  # aware UTC, after start
    timezone: str  # IANA name the event was written in
    all_day: bool = False
    description: str = ""
    location: str = ""


def read_events(
    text: str, *, now: datetime, default_zone: str, horizon_days: int = HORIZON_DAYS
) -> list[CalendarEvent]:
    """The events of an iCalendar file, sorted by start (see the module docstring)."""
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise UserError(
            f"This is not an iCalendar (.ics) file Kiban can read: {error}.",
            f"iCalendar（.ics）ファイルとして読めません: {error}。",
        ) from None
    if calendar.name != "VCALENDAR":
        raise UserError(
            "This is not an iCalendar file: it must start with BEGIN:VCALENDAR.",
            "iCalendar ファイルではありません（BEGIN:VCALENDAR で始まる必要があります）。",
        )
    for component in calendar.walk("VEVENT"):
        if component.get("DTSTART") is None:
            title = str(component.get("SUMMARY") or component.get("UID") or "?")
            raise UserError(
                f"The event “{title}” has no start time (DTSTART).",
                f"イベント「{title}」に開始日時（DTSTART）がありません。",
            )
    until = now + timedelta(days=horizon_days)
    recurring = {
        str(c.get("UID") or "")
        for c in calendar.walk("VEVENT")
        if c.get("RRULE") is not None or c.get("RDATE") is not None
    }
    events: dict[str, CalendarEvent] = {}
    for component in calendar.walk("VEVENT"):
        uid = str(component.get("UID") or "")
        if uid not in recurring:  # a one-off event: read as is, also beyond the horizon
            event = _event(component, default_zone, uid)
            if event.end > now:
                events[event.uid] = event
    for component in recurring_ical_events.of(calendar).between(now, until):
        if str(component.get("UID") or "") in recurring:
            event = _event(component, default_zone, None)
            events[event.uid] = event
    return sorted(events.values(), key=lambda e: (e.start, e.uid))


def write_event(event: CalendarEvent) -> bytes:
    """One event as an `.ics` file: times in the event's zone, with its VTIMEZONE."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("dtstamp", datetime.now(UTC))
    component.add("summary", event.title)
    if event.description:
        component.add("description", event.description)
    if event.location:
        component.add("location", event.location)
    zone = ZoneInfo(event.timezone)
    if event.all_day:
        component.add("dtstart", event.start.astimezone(zone).date())
        component.add("dtend", event.end.astimezone(zone).date())
    else:
        component.add("dtstart", event.start.astimezone(zone))
        component.add("dtend", event.end.astimezone(zone))
    calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(component, default_zone: str, uid: str | None) -> CalendarEvent:
    raw_start = component.decoded("DTSTART")
    zone_name = _zone_name(component.get("DTSTART"), raw_start, default_zone)
    zone = ZoneInfo(zone_name)
    all_day = isinstance(raw_start, date) and not isinstance(raw_start, datetime)
    start = _instant(raw_start, zone)
    if component.get("DTEND") is not None:
        end = _instant(component.decoded("DTEND"), zone)
    elif component.get("DURATION") is not None:
        end = start + component.decoded("DURATION")
    else:  # RFC 5545 3.6.1: a date lasts the day, a date-time has no duration
        end = start + (timedelta(days=1) if all_day else timedelta(0))
    if uid is None:  # an occurrence of a recurring event: UID + its own start
        uid = f"{component.get('UID') or ''}#{start.strftime('%Y%m%dT%H%M%SZ')}"
    return CalendarEvent(
        uid=uid,
        title=str(component.get("SUMMARY") or ""),
        start=start,
        end=max(end, start),
        timezone=zone_name,
        all_day=all_day,
        description=str(component.get("DESCRIPTION") or ""),
        location=str(component.get("LOCATION") or ""),
    )


def _instant(value: date | datetime, zone: ZoneInfo) -> datetime:
    """Aware UTC: an all-day date at midnight in `zone`, a floating time read in `zone`."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0), tzinfo=zone)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _zone_name(prop, value, default_zone: str) -> str:
    """The IANA zone of a DTSTART: its TZID (a Windows name mapped), a UTC time's `UTC`, else
    `default_zone` (floating times, dates, and zone names no database knows)."""
    tzid = prop.params.get("TZID") if prop is not None else None
    if tzid:
        tzid = WINDOWS_TO_OLSON.get(str(tzid), str(tzid))
        try:
            ZoneInfo(tzid)
            return tzid
        except (ZoneInfoNotFoundError, ValueError):
            return default_zone
    if (
        isinstance(value, datetime)
        and value.tzinfo is not None
        and value.utcoffset() == timedelta(0)
    ):
        return "UTC"
    return default_zone
