"""Reading and writing iCalendar (RFC 5545) events with the `icalendar` library, repeating
events expanded with `recurring-ical-events` (both on `python-dateutil`).

`decode_calendar(content)` is the text of an uploaded file: UTF-8 (a BOM allowed), UTF-16 with
a BOM, or else Shift_JIS (cp932, as Japanese Outlook writes) when that reads as a calendar
(`BEGIN:VCALENDAR` after any white space). Anything else is refused as not text.

`read_calendar(text, now=…, default_zone=…)` reads a file into a `CalendarFile`:

- `events`, sorted by start: each one-off event not yet ended (also beyond the horizon), and
  each occurrence of a repeating event (RRULE, RDATE, changed occurrences with RECURRENCE-ID)
  that ends after `now` and starts before the horizon (`horizon_days`, 90). A one-off event is
  keyed by its UID, an occurrence by `UID#<its RECURRENCE-ID in UTC>` (the start its rule gave
  it, so a moved occurrence keeps its key and re-reading the same file gives the same keys).
  `cancelled` is set for STATUS:CANCELLED (every occurrence when the series is cancelled).
- `past`: one-off events that already ended, and repeating events none of whose occurrences is
  left (shown by their first one). Past occurrences of a series still running are not listed.
- `later`: repeating events with no occurrence before the horizon (shown by their next one).

Times are aware UTC instants plus the IANA zone the event was written in. A TZID may be an
IANA name, a Windows name ("Tokyo Standard Time" → `Asia/Tokyo`), or a zone defined by a
VTIMEZONE of the file (matched to the IANA zone with the same UTC offsets over the year around
`now`, `default_zone` first); every time given with a TZID is read in that IANA zone (never in a
VTIMEZONE another file left in icalendar's process-wide cache). Floating times and all-day dates
are read in `default_zone`; UTC times (`Z`) stay in `UTC`. An event with neither DTEND nor
DURATION lasts its day when it starts on a date (RFC 5545 §3.6.1) and `DEFAULT_DURATION`
(1 hour) when it starts at a time: the RFC's zero length is never what a programme event means.

Refused with a UserError in both languages, naming the event (its SUMMARY, else its UID) and,
where known, the property: text that is not an iCalendar (or not Gregorian); in a VEVENT, a line icalendar cannot
parse, a value of a property Kiban reads that icalendar cannot parse (a broken value of another
property, e.g. DTSTAMP, is ignored), such a property given twice, no UID, no DTSTART, a DTSTART
or DTEND that is not a date or date-time, DTEND and DURATION together, a date start with a
date-time end (or the other way round), an all-day DURATION that is not whole days, an end
not after the start, an unknown TZID; two VEVENTs with one UID and no RECURRENCE-ID (or with
the same RECURRENCE-ID); a repetition rule outside RFC 5545 §3.3.10 (parts, value ranges, the
parts each FREQ allows, COUNT with UNTIL) or that gives no date (see `bot.parsing.ical_rules`);
any other exception the libraries raise while reading an event or working out its dates.

Bounded work (the import runs before Slack's 3-second ack): a file of more than `MAX_VEVENTS`
VEVENTs, past ones included, is refused before icalendar parses it (parsing alone takes about
half a second per thousand; bytes matter less: long descriptions parse fast). The repetition
rules are then checked, their work estimated (`MAX_STEPS`) and their occurrences from now to the
horizon counted (more than `MAX_EVENTS` refused), as `bot.parsing.ical_rules` describes; only
then does `recurring-ical-events` build the occurrences (EXDATE, RDATE, changed occurrences),
one query per series.

`read_events(...)` is `read_calendar(...).events`. `write_event(event)` returns the `.ics` bytes
of one event (with its VTIMEZONE), which `read_events` reads back with the same instants.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import icalendar
import recurring_ical_events
from icalendar.prop import vDDDLists, vDDDTypes
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from bot.errors import UserError
from bot.parsing.ical_rules import (
    DAY_PARTS,
    FIXED_STEP,
    MAX_STEPS,
    NOT_WITH,
    PARTS,
    PROBE_YEAR,
    RANGES,
    STEP,
    SUB_DAILY,
    TIME_PARTS,
    WEEKDAY,
    WEIGHT,
    _check_rule,
    _repeats,
    _rules,
    _RuleWork,
)
from bot.parsing.ical_values import _cut, _error, _instant, _short, _shown, _text, _title

__all__ = [  # the public names (the rules' ones are defined in bot.parsing.ical_rules)
    "BEGIN_VEVENT",
    "DATES",
    "DAY_PARTS",
    "DEFAULT_DURATION",
    "FIXED_STEP",
    "HORIZON_DAYS",
    "MAX_EVENTS",
    "MAX_STEPS",
    "MAX_VEVENTS",
    "NOT_WITH",
    "PARTS",
    "PRODID",
    "PROBE_YEAR",
    "RANGES",
    "READ",
    "SINGLE",
    "STEP",
    "SUB_DAILY",
    "TIME_PARTS",
    "WEEKDAY",
    "WEIGHT",
    "CalendarEvent",
    "CalendarFile",
    "decode_calendar",
    "read_calendar",
    "read_events",
    "write_event",
]

log = logging.getLogger(__name__)

HORIZON_DAYS = 90
MAX_EVENTS = 500  # events one file may hold from now to the horizon (one-off events beyond too)
MAX_VEVENTS = 1_000  # VEVENTs one file may hold, past ones included (icalendar reads ~2000/s)
DEFAULT_DURATION = timedelta(hours=1)  # a date-time start without DTEND or DURATION
PRODID = "-//Kiban//Programme events//EN"

# properties Kiban or the expansion reads: a value icalendar cannot parse refuses the event
READ = frozenset(
    (
        "UID SUMMARY DESCRIPTION LOCATION STATUS SEQUENCE DTSTART DTEND DURATION RRULE RDATE"
        " EXDATE RECURRENCE-ID"
    ).split()
)
SINGLE = (
    "UID SUMMARY DESCRIPTION LOCATION STATUS SEQUENCE DTSTART DTEND DURATION RECURRENCE-ID"
).split()
DATES = ("DTSTART", "DTEND", "RECURRENCE-ID", "RDATE", "EXDATE")

BEGIN_VEVENT = re.compile(r"^BEGIN:VEVENT\s*$", re.IGNORECASE | re.MULTILINE)


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
    cancelled: bool = False  # STATUS:CANCELLED


@dataclass(frozen=True)
class CalendarFile:
    """An iCalendar file as Kiban imports it (see the module docstring)."""

    events: list[CalendarEvent]
    past: list[CalendarEvent]
    later: list[CalendarEvent]


def decode_calendar(content: bytes) -> str:
    """The text of an uploaded `.ics` file (see the module docstring). Raises UserError for
    bytes that are not text in one of those encodings."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decoded(content, "utf-16")  # the BOM says the byte order and is dropped
    else:
        text = _decoded(content, "utf-8-sig")
        if text is None:
            text = _decoded(content, "cp932")
            if text is not None and text.lstrip()[:15].upper() != "BEGIN:VCALENDAR":
                text = None  # some other encoding: cp932 decodes many bytes as something
    if text is None or "\x00" in text:
        raise _error("eventimport.not_text")
    return text


def _decoded(content: bytes, encoding: str) -> str | None:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        return None


def read_calendar(
    text: str,
    *,
    now: datetime,
    default_zone: str,
    horizon_days: int = HORIZON_DAYS,
    max_events: int = MAX_EVENTS,
) -> CalendarFile:
    """The file's events (see the module docstring). Raises UserError for a file Kiban cannot
    read, naming the event and the property."""
    count = len(BEGIN_VEVENT.findall(text))
    if count > MAX_VEVENTS:
        raise _error("eventimport.too_many_vevents", count=f"{count:,}", limit=f"{MAX_VEVENTS:,}")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception as error:  # icalendar raises ValueError; anything else is as unreadable
        raise _error("eventimport.not_calendar", detail=_short(error)) from None
    if getattr(calendar, "name", None) != "VCALENDAR":
        raise _error("eventimport.not_vcalendar")
    scale = str(calendar.get("CALSCALE") or "GREGORIAN").upper()
    if scale != "GREGORIAN":
        raise _error("eventimport.not_calendar", detail=f"CALSCALE:{scale}")
    reader = _Reader(calendar, now, horizon_days, default_zone, max_events)
    return reader.read()


def read_events(
    text: str, *, now: datetime, default_zone: str, horizon_days: int = HORIZON_DAYS
) -> list[CalendarEvent]:
    """The events of an iCalendar file to import, sorted by start (see the module docstring)."""
    return read_calendar(text, now=now, default_zone=default_zone, horizon_days=horizon_days).events


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


# --- reading ----------------------------------------------------------------------------------


class _Reader(_RuleWork):
    """One read of one file: the checks, the zones found, the work and events counted."""

    def __init__(self, calendar, now: datetime, horizon_days: int, default_zone: str, limit: int):
        self.calendar = calendar
        self.now = now
        self.days = horizon_days
        self.until = now + timedelta(days=horizon_days)
        self.default_zone = default_zone
        self.limit = limit
        self.vtimezones = {str(z.get("TZID")): z for z in calendar.walk("VTIMEZONE")}
        self.zones: dict[str, str | None] = {}  # TZID → IANA name, "" unmatched, None unknown
        self.steps = 0
        self.events: list[CalendarEvent] = []
        self.past: list[CalendarEvent] = []
        self.later: list[CalendarEvent] = []

    def read(self) -> CalendarFile:
        groups: dict[str, list] = {}
        for component in self.calendar.walk("VEVENT"):
            uid, checked = self._guarded(component, "eventimport.cannot_read", self._check)
            groups.setdefault(uid, []).append(checked)
        for uid, components in groups.items():
            masters = [c for c in components if "RECURRENCE-ID" not in c]
            if len(masters) > 1:
                raise _error(
                    "eventimport.duplicate_uid",
                    uid=_cut(uid),
                    title=_title(masters[0]),
                    other=_title(masters[1]),
                )
            master = masters[0] if masters else None
            changed = [c for c in components if "RECURRENCE-ID" in c]
            if master is not None and not changed and not _repeats(master):
                self._guarded(master, "eventimport.cannot_read", self._one_off, uid)
            else:
                first = master if master is not None else changed[0]
                self._guarded(
                    first, "eventimport.cannot_expand", self._series, uid, master, changed
                )
        order = lambda e: (e.start, e.uid)  # noqa: E731
        return CalendarFile(
            sorted(self.events, key=order),
            sorted(self.past, key=order),
            sorted(self.later, key=order),
        )

    def _guarded(self, component, key: str, work, *args):
        """`work(component, *args)`, any exception but a UserError becoming one naming it."""
        try:
            return work(component, *args)
        except UserError:
            raise
        except Exception as error:  # the libraries' (ValueError, TypeError, OverflowError, …)
            log.info("iCalendar event %r: %s", _title(component), error, exc_info=True)
            raise _error(key, title=_title(component), detail=_short(error)) from None

    # --- one VEVENT ---

    def _check(self, component) -> tuple[str, object]:
        """The event's UID and a copy whose zoned times are in IANA zones, after every check
        of a single VEVENT (see the module docstring)."""
        title = _title(component)
        for name, message in getattr(component, "errors", []):
            if name is None:
                raise _error("eventimport.bad_line", title=title, detail=_short(message))
            if name.upper() in READ:
                value = component.get(name)
                value = value[0] if isinstance(value, list) and value else value
                raise _error(
                    "eventimport.bad_property",
                    title=title,
                    prop=name.upper(),
                    value=_short(value),
                    detail=_short(message),
                )
        for name in SINGLE:
            if isinstance(component.get(name), list):
                raise _error("eventimport.repeated_property", title=title, prop=name)
        uid = _text(component, "UID")
        if not uid:
            raise _error("eventimport.no_uid", title=title)
        if component.get("DTSTART") is None:
            raise _error("eventimport.no_start", title=title)
        checked = component.copy()
        for name in DATES:
            self._rezone(checked, name, title)
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            if name in checked and not isinstance(checked.decoded(name), date):
                raise _error("eventimport.bad_type", title=title, prop=name)
        start = checked.decoded("DTSTART")
        all_day = not isinstance(start, datetime)
        if "DTEND" in checked and "DURATION" in checked:
            raise _error("eventimport.end_and_duration", title=title)
        if "DTEND" in checked and isinstance(checked.decoded("DTEND"), datetime) == all_day:
            raise _error("eventimport.end_type", title=title)
        if "DURATION" in checked:
            length = checked.decoded("DURATION")
            if not isinstance(length, timedelta):
                raise _error("eventimport.bad_type", title=title, prop="DURATION")
            if all_day and length % timedelta(days=1):
                raise _error("eventimport.days_duration", title=title, value=str(length))
        begin = _instant(start, self._zone(start))
        if self._end(checked, start, begin) <= begin:
            if "DTEND" in checked:
                end = _shown(checked.decoded("DTEND"))
            else:
                end = f"DURATION:{checked['DURATION'].to_ical().decode()}"
            raise _error("eventimport.end_before_start", title=title, start=_shown(start), end=end)
        for value in (v.dt for line in _lines(checked, "RDATE") for v in line.dts):
            if isinstance(value, tuple):  # a period: start/end or start/duration
                first, last = value
                last = first + last if isinstance(last, timedelta) else last
                if _instant(last, self._zone(last)) <= _instant(first, self._zone(first)):
                    raise _error(
                        "eventimport.end_before_start",
                        title=title,
                        start=_shown(first),
                        end=f"RDATE {_shown(last)}",
                    )
        for rule in _rules(checked):
            _check_rule(rule, title, start)
        return uid, checked

    def _rezone(self, component, name: str, title: str) -> None:
        """Times of `name` given with a TZID, read again in its IANA zone (the same wall time)."""
        values = component.get(name)
        if values is None:
            return
        lines = values if isinstance(values, list) else [values]
        rezoned = []
        for line in lines:
            tzid = line.params.get("TZID")
            if not tzid:
                rezoned.append(line)
                continue
            zone = ZoneInfo(self._iana(str(tzid), title, name))
            if isinstance(line, vDDDLists):
                new = vDDDLists([_in_zone(v.dt, zone) for v in line.dts])
            else:
                new = vDDDTypes(_in_zone(line.dt, zone))
            for key, value in line.params.items():  # VALUE, RANGE…; the TZID is the new one's
                if key.upper() != "TZID":
                    new.params[key] = value
            rezoned.append(new)
        component[name] = rezoned if isinstance(values, list) else rezoned[0]

    def _iana(self, tzid: str, title: str, name: str) -> str:
        if tzid not in self.zones:
            self.zones[tzid] = self._resolve(tzid)
        zone = self.zones[tzid]
        if zone is None:
            raise _error("eventimport.unknown_zone", title=title, prop=name, tzid=_cut(tzid))
        if not zone:
            raise _error("eventimport.zone_unmatched", title=title, tzid=_cut(tzid))
        return zone

    def _resolve(self, tzid: str) -> str | None:
        """The IANA name of a TZID; "" for a VTIMEZONE of the file no IANA zone matches, None
        for a TZID nothing defines."""
        name = tzid.strip()
        for known in (name, name.strip("/")):  # "/Asia/Tokyo": as icalendar reads it
            if known in _zone_names():
                return known
        if WINDOWS_TO_OLSON.get(name) in _zone_names():
            return WINDOWS_TO_OLSON[name]
        vtimezone = self.vtimezones.get(tzid)
        if vtimezone is None:
            return None
        try:
            defined = vtimezone.to_tz(icalendar.timezone.tzp, lookup_tzid=False)
            moments = [self.now + timedelta(days=d) for d in range(-366, 366 + self.days, 7)]
            moments += [self.now + timedelta(days=d) for d in range(self.days + 1)]
            offsets = [m.astimezone(defined).utcoffset() for m in moments]
        except Exception:  # a VTIMEZONE dateutil cannot build: nothing to match
            log.info("VTIMEZONE %r cannot be built", tzid, exc_info=True)
            return ""
        guesses = ["/".join(name.split("/")[i:]) for i in range(1, name.count("/") + 1)]
        for candidate in [self.default_zone, *guesses, *_zone_candidates()]:
            if candidate in _zone_names():
                zone = ZoneInfo(candidate)
                pairs = zip(moments, offsets, strict=True)
                if all(m.astimezone(zone).utcoffset() == o for m, o in pairs):
                    return candidate
        return ""

    def _zone(self, value: date | datetime) -> str:
        """The IANA zone a (rezoned) time is in: floating times and dates in the default."""
        if not isinstance(value, datetime) or value.tzinfo is None:
            return self.default_zone
        key = getattr(value.tzinfo, "key", None)
        if key:
            return key
        if value.utcoffset() == timedelta(0):
            return "UTC"
        raise ValueError(f"a time in a zone Kiban cannot name: {value.tzinfo}")

    def _end(self, component, start: date | datetime, begin: datetime) -> datetime:
        """The end instant of a VEVENT (or of an occurrence the library built) starting at
        `begin`: its DTEND, DURATION, or the default length."""
        if "DTEND" in component:
            end = component.decoded("DTEND")
            return _instant(end, self._zone(end))
        if "DURATION" in component:
            return begin + component.decoded("DURATION")
        return begin + _default_length(start)

    # --- events and series ---

    def _one_off(self, component, uid: str) -> None:
        start = component.decoded("DTSTART")
        event = self._event(component, uid, start, component)
        if event.end <= self.now:
            self.past.append(event)
        else:
            self._add(event)

    def _event(self, component, uid: str, start: date | datetime, source) -> CalendarEvent:
        """A CalendarEvent of a VEVENT or an occurrence; `source` is the VEVENT it comes from
        (whether it has an end)."""
        zone = self._zone(start)
        begin = _instant(start, zone)
        if "DTEND" in source or "DURATION" in source:
            end = self._end(component, start, begin)
        else:
            end = begin + _default_length(start)
        if end <= begin:  # an RDATE period ending before it starts
            raise _error(
                "eventimport.end_before_start",
                title=_title(component),
                start=_shown(start),
                end=_shown(end),
            )
        return CalendarEvent(
            uid=uid,
            title=_text(component, "SUMMARY"),
            start=begin,
            end=end,
            timezone=zone,
            all_day=not isinstance(start, datetime),
            description=_text(component, "DESCRIPTION"),
            location=_text(component, "LOCATION"),
            cancelled=_text(component, "STATUS").upper() == "CANCELLED",
        )

    def _add(self, event: CalendarEvent) -> None:
        self.events.append(event)
        if len(self.events) > self.limit:
            raise _error(
                "eventimport.too_many",
                limit=self.limit,
                days=self.days,
                title=_cut(event.title or event.uid),
            )

    def _series(self, first, uid: str, master, changed: list) -> None:
        """The occurrences of a repeating event (`master` None: only changed occurrences)."""
        by_recurrence: dict[str, object] = {}
        for component in changed:
            key = self._key(uid, component.decoded("RECURRENCE-ID"))
            if key in by_recurrence:
                raise _error(
                    "eventimport.duplicate_recurrence",
                    title=_title(component),
                    uid=_cut(uid),
                    when=_shown(component.decoded("RECURRENCE-ID")),
                )
            by_recurrence[key] = component
        expanded, nexts = self._plan(master) if master is not None else (None, [])
        rdates = [v.dt for line in _lines(master, "RDATE") for v in line.dts] if master else []
        moments = [_instant(*self._at(v)) for v in rdates]
        soon = [m for m in moments if self.now <= m < self.until]
        if soon and len(soon) + len(self.events) > self.limit:
            self._too_many(first, len(soon))
        nexts += [m for m in moments if m >= self.until]
        for component in changed:
            moment = _instant(*self._at(component.decoded("DTSTART")))
            if moment >= self.until:
                nexts.append(moment)
        calendar = icalendar.Calendar()
        for component in ([expanded] if expanded is not None else []) + changed:
            calendar.add_component(component)
        found: dict[str, CalendarEvent] = {}
        for occurrence in recurring_ical_events.of(calendar).between(self.now, self.until):
            start = occurrence.decoded("DTSTART")
            key = self._key(uid, occurrence.decoded("RECURRENCE-ID"))
            source = by_recurrence.get(key, master)
            if key in found:  # after a RANGE=THISANDFUTURE change, several share its id
                key = f"{uid}#{_instant(*self._at(start)):%Y%m%dT%H%M%SZ}"
            event = self._event(occurrence, key, start, source)
            if event.end > self.now and event.start < self.until:
                found[key] = event
        for event in sorted(found.values(), key=lambda e: (e.start, e.uid)):
            self._add(event)
        if found:
            return
        head = master if master is not None else changed[0]
        first_event = self._event(head, uid, head.decoded("DTSTART"), head)
        if not nexts:
            self.past.append(first_event)
        elif not first_event.cancelled:  # nothing to import later from a cancelled series
            moment = min(nexts)
            self.later.append(
                replace(
                    first_event,
                    uid=f"{uid}#{moment:%Y%m%dT%H%M%SZ}",
                    start=moment,
                    end=moment + (first_event.end - first_event.start),
                )
            )

    def _plan(self, master) -> tuple[object, list[datetime]]:
        """The master to expand (restarted near now when it can be), after the work estimate
        and the lazy count of its occurrences; and the first occurrence of each rule after the
        horizon."""
        rules = _rules(master)
        if not rules:  # RDATE only
            return master, []
        start = master.decoded("DTSTART")
        zone = self._zone(start)
        length = self._end(master, start, _instant(start, zone)) - _instant(start, zone)
        expanded = master
        if len(rules) == 1:
            expanded = self._restart(master, rules[0], start, length)
            rules = _rules(expanded)
            start = expanded.decoded("DTSTART")
        excluded = {
            _instant(*self._at(v.dt)) for line in _lines(master, "EXDATE") for v in line.dts
        }
        nexts = []
        for rule in rules:
            self._spend(master, rule, start)
            after = self._count(master, rule, start, length, excluded)
            if after is not None:
                nexts.append(after)
        return expanded, nexts

    def _at(self, value) -> tuple[date | datetime, ZoneInfo]:
        """An RDATE/EXDATE/DTSTART value (a period: its start) and the zone to read it in."""
        if isinstance(value, tuple):
            value = value[0]
        return value, ZoneInfo(self._zone(value))

    def _key(self, uid: str, recurrence: date | datetime) -> str:
        return f"{uid}#{_instant(*self._at(recurrence)):%Y%m%dT%H%M%SZ}"


# --- values -----------------------------------------------------------------------------------


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def _zone_candidates() -> list[str]:
    """IANA zones to match a VTIMEZONE against: regions first, then `Etc/…` and old names."""
    names = sorted(_zone_names())
    regional = [n for n in names if "/" in n and not n.startswith(("Etc/", "SystemV/"))]
    return regional + [n for n in names if n not in set(regional)]


def _in_zone(value, zone: ZoneInfo):
    """A time given with a TZID in `zone` (the same wall time); a period's both ends."""
    if isinstance(value, tuple):
        return tuple(_in_zone(v, zone) for v in value)
    if not isinstance(value, datetime):
        return value  # a date, a duration: no zone
    if value.tzinfo is not None and value.utcoffset() == timedelta(0):
        if getattr(value.tzinfo, "key", "UTC") == "UTC":
            return value  # written in UTC (`Z`), whatever TZID the line says
    return value.replace(tzinfo=zone)


def _default_length(start: date | datetime) -> timedelta:
    return DEFAULT_DURATION if isinstance(start, datetime) else timedelta(days=1)


def _lines(component, name: str) -> list:
    values = component.get(name)
    if values is None:
        return []
    return values if isinstance(values, list) else [values]
