"""Repetition rules (RRULE, RFC 5545 §3.3.10) of the events `bot.parsing.ical_events` reads:
their checks, and the bounded work of expanding them (the import runs before Slack's 3-second
ack).

A rule is refused, with a UserError in both languages naming the event and the rule, when it is
outside RFC 5545 §3.3.10 (parts, value ranges, the parts each FREQ allows, COUNT with UNTIL) or
gives no date. Every rule is checked before anything is expanded. A rule repeating every hour,
minute or second may be narrowed only by BYHOUR/BYMINUTE/BYSECOND. A rule is probed for
contradictions (30 February) on a calendar shifted by 400-year cycles, so dateutil never walks
to year 9999 looking for a date. A DAILY, WEEKLY or more frequent rule without COUNT (or without
BY… parts) is started anew just before `now` on its own grid (the same dates, the first ones
skipped: COUNT reduced accordingly), so a series begun years ago costs no more than a new one.
What is left is estimated in candidate dates dateutil goes through; a file needing more than
`MAX_STEPS` is refused. Occurrences are then counted lazily (a generator, stopped at the
horizon) and more than the file's limit (`MAX_EVENTS` of `bot.parsing.ical_events`) from now to
the horizon is refused before any is built.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from math import prod
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar.prop import vDDDTypes, vRecur

from bot.errors import UserError
from bot.i18n import t
from bot.parsing.ical_values import _cut, _error, _instant, _short, _shown, _title

MAX_STEPS = 100_000  # candidate dates the rules of one file may make dateutil go through

# repetition rules (RFC 5545 §3.3.10)
SUB_DAILY = ("SECONDLY", "MINUTELY", "HOURLY")
STEP = {  # the shortest step of each frequency
    "SECONDLY": timedelta(seconds=1),
    "MINUTELY": timedelta(minutes=1),
    "HOURLY": timedelta(hours=1),
    "DAILY": timedelta(days=1),
    "WEEKLY": timedelta(days=7),
    "MONTHLY": timedelta(days=28),
    "YEARLY": timedelta(days=365),
}
FIXED_STEP = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY")  # the same length each time
WEIGHT = {"WEEKLY": 2, "MONTHLY": 2, "YEARLY": 15}  # a loop's cost, measured, a DAILY one 1
RANGES = {  # part: (lowest, highest, 0 allowed)
    "BYSECOND": (0, 60, True),
    "BYMINUTE": (0, 59, True),
    "BYHOUR": (0, 23, True),
    "BYMONTHDAY": (-31, 31, False),
    "BYYEARDAY": (-366, 366, False),
    "BYWEEKNO": (-53, 53, False),
    "BYMONTH": (1, 12, False),
    "BYSETPOS": (-366, 366, False),
}
PARTS = frozenset(("FREQ", "UNTIL", "COUNT", "INTERVAL", "WKST", "BYDAY", *RANGES))
DAY_PARTS = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY")
TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
NOT_WITH = {  # part: the frequencies it cannot be used with
    "BYWEEKNO": ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY"),
    "BYYEARDAY": ("DAILY", "WEEKLY", "MONTHLY"),
    "BYMONTHDAY": ("WEEKLY",),
}
WEEKDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
PROBE_YEAR = 9599  # probes run in the last 400-year cycle before datetime's year 9999


def _check_rule(rule, title: str, start: date | datetime) -> None:
    """RFC 5545 §3.3.10 and Kiban's limits (see the module docstring)."""
    text = _cut(rule.to_ical().decode())

    def refuse(reason: str, **params) -> UserError:
        return UserError(
            t(
                "eventimport.bad_rule",
                "en",
                title=title,
                rule=text,
                reason=t(reason, "en", **params),
            ),
            t(
                "eventimport.bad_rule",
                "ja",
                title=title,
                rule=text,
                reason=t(reason, "ja", **params),
            ),
        )

    freqs = [str(f).upper() for f in rule.get("FREQ", [])]
    if len(freqs) != 1 or freqs[0] not in STEP:
        raise refuse("eventimport.rule.no_freq")
    freq = freqs[0]
    for part in rule:
        if part.upper() not in PARTS:
            raise refuse("eventimport.rule.unknown_part", part=part.upper())
    if "COUNT" in rule and "UNTIL" in rule:
        raise refuse("eventimport.rule.count_and_until")
    for part in ("COUNT", "INTERVAL"):
        if part in rule and int(rule[part][0]) < 1:
            raise refuse("eventimport.rule.at_least_one", part=part)
    for part, (low, high, zero) in RANGES.items():
        for value in rule.get(part, []):
            if not low <= int(value) <= high or (int(value) == 0 and not zero):
                raise refuse("eventimport.rule.range", part=part, value=value)
    for value in rule.get("BYDAY", []):
        match = WEEKDAY.match(str(value).upper())
        if match is None:
            raise refuse("eventimport.rule.range", part="BYDAY", value=value)
        if match[1] is not None:
            if freq not in ("MONTHLY", "YEARLY") or "BYWEEKNO" in rule:
                raise refuse("eventimport.rule.not_with", part=f"BYDAY={value}", freq=freq)
            if not 1 <= abs(int(match[1])) <= (5 if freq == "MONTHLY" else 53):
                raise refuse("eventimport.rule.range", part="BYDAY", value=value)
    for part, freqs_not in NOT_WITH.items():
        if part in rule and freq in freqs_not:
            raise refuse("eventimport.rule.not_with", part=part, freq=freq)
    if "BYSETPOS" in rule and not any(p.startswith("BY") and p != "BYSETPOS" for p in rule):
        raise refuse("eventimport.rule.setpos_alone")
    if freq in SUB_DAILY:
        if not isinstance(start, datetime):
            raise refuse("eventimport.rule.often_all_day")
        for part in (*DAY_PARTS, "BYSETPOS"):
            if part in rule:
                raise refuse("eventimport.rule.often_on_days", part=part)
    try:
        never = _never(rule, freq, _naive(start))
    except (ValueError, TypeError, OverflowError, IndexError) as error:
        raise refuse("eventimport.rule.library", detail=_short(error)) from None
    if never:
        raise refuse("eventimport.rule.never")


class _RuleWork:
    """The work of expanding the rules, as part of one read of one file: the reader of
    `bot.parsing.ical_events` that inherits it gives `now`, `until` (the horizon), `days`,
    `limit` (the events the file may hold), `steps` (the work counted so far), `events` (those
    taken so far) and `_zone(value)` (the IANA zone a time is in)."""

    def _restart(self, master, rule, start: date | datetime, length: timedelta):
        """The master started anew on its own grid just before now (the same occurrences from
        there; the module docstring says when), without its RRULE when all of them ended."""
        freq = str(rule["FREQ"][0]).upper()
        filtered = any(part.startswith("BY") for part in rule)
        if freq not in FIXED_STEP or ("COUNT" in rule and filtered):
            return master
        step = STEP[freq] * int(rule.get("INTERVAL", [1])[0])
        zone = ZoneInfo(self._zone(start))
        now = self.now.astimezone(zone).replace(tzinfo=None)
        lag = now - _naive(start) - length - timedelta(hours=3)  # 3 h: daylight saving shifts
        if lag < step:
            return master
        skipped = lag // step
        restarted = master.copy()
        if "COUNT" in rule:
            left = int(rule["COUNT"][0]) - skipped
            if left <= 0:  # every occurrence of the rule ended: its RDATEs may be left
                del restarted["RRULE"]
                return restarted
            rule = vRecur({**rule, "COUNT": [left]})
        restarted["RRULE"] = rule
        restarted["DTSTART"] = vDDDTypes(start + skipped * step)
        if "DTEND" in master:
            restarted["DTEND"] = vDDDTypes(master.decoded("DTEND") + skipped * step)
        return restarted

    def _spend(self, master, rule, start: date | datetime) -> None:
        """Count the candidate dates dateutil will go through for `rule`; refuse the file when
        they pass MAX_STEPS."""
        freq = str(rule["FREQ"][0]).upper()
        step = STEP[freq] * int(rule.get("INTERVAL", [1])[0])
        begin = _instant(start, self._zone(start))
        until = self._until(rule, start)
        end = min(self.until, until) if until is not None else self.until
        loops = max(0, (end - begin) // step) + 1
        if any(part.startswith("BY") for part in rule):
            each = _per_step(rule, freq)
        else:  # each loop gives a date, and the count stops at the limit
            before = max(0, (self.now - begin) // step)
            loops = min(loops, before + self.limit + 1, int(rule.get("COUNT", [loops])[0]))
            each = 1
        # measured: a date given costs about 5 loops of DAILY (both passes, times converted)
        cost = round(loops * (WEIGHT.get(freq, 1) + 5 * each))
        self.steps += cost
        if self.steps > MAX_STEPS:
            raise _error(
                "eventimport.too_long",
                title=_title(master),
                rule=_cut(rule.to_ical().decode()),
                start=_shown(master.decoded("DTSTART")),
                steps=f"{cost:,}",
                limit=f"{MAX_STEPS:,}",
            )

    def _count(self, master, rule, start, length: timedelta, excluded: set) -> datetime | None:
        """Count the rule's occurrences from now to the horizon lazily; refuse when they pass
        the limit. Returns the first one after the horizon, or None when the rule ends."""
        until = self._until(rule, start)
        text = vRecur({k: v for k, v in rule.items() if k != "UNTIL"}).to_ical().decode()
        dtstart = start if isinstance(start, datetime) else datetime.combine(start, time(0))
        zone = ZoneInfo(self._zone(start))
        counted = 0
        for value in rrulestr(text, dtstart=dtstart):
            moment = _instant(value if isinstance(start, datetime) else value.date(), zone)
            if until is not None and moment > until:
                return None
            if moment in excluded:
                continue
            if moment >= self.until:
                return moment
            if moment + length > self.now:
                counted += 1
                if counted + len(self.events) > self.limit:
                    self._too_many(master, counted, rule)
        return None

    def _too_many(self, master, counted: int, rule=None) -> None:
        title = _title(master)
        if counted > self.limit and rule is not None:
            raise _error(
                "eventimport.repeats_too_often",
                title=title,
                rule=_cut(rule.to_ical().decode()),
                limit=self.limit,
                days=self.days,
            )
        raise _error("eventimport.too_many", limit=self.limit, days=self.days, title=title)

    def _until(self, rule, start: date | datetime) -> datetime | None:
        """The rule's UNTIL as an instant (a date: the end of that day), or None."""
        if "UNTIL" not in rule:
            return None
        until = rule["UNTIL"][0]
        if not isinstance(until, datetime):
            return _instant(until, ZoneInfo(self._zone(start))) + timedelta(days=1, microseconds=-1)
        if until.tzinfo is None:
            return _instant(until, ZoneInfo(self._zone(start)))
        return until.astimezone(UTC)


# --- rules ------------------------------------------------------------------------------------


def _rules(component) -> list:
    rules = component.get("RRULE")
    if rules is None:
        return []
    return rules if isinstance(rules, list) else [rules]


def _repeats(component) -> bool:
    return component.get("RRULE") is not None or component.get("RDATE") is not None


def _never(rule, freq: str, start: datetime) -> bool:
    """Whether the rule gives no date: probed on the last 400-year cycle dateutil can reach
    (the Gregorian calendar repeats every 400 years, weekdays included), so an impossible rule
    costs at most one cycle of one frequency's loops rather than a walk to year 9999."""
    parts = {k: v for k, v in rule.items() if k not in ("COUNT", "UNTIL")}
    day_parts = {k: parts[k] for k in DAY_PARTS if k in parts}
    if day_parts:  # the days alone, a year at a time
        if "BYDAY" in day_parts:
            day_parts["BYDAY"] = sorted({WEEKDAY.match(str(d).upper())[2] for d in parts["BYDAY"]})
        mask = vRecur({"FREQ": ["YEARLY"], **day_parts}).to_ical().decode()
        if next(iter(rrulestr(mask, dtstart=datetime(PROBE_YEAR - 399, 1, 1))), None) is None:
            return True
    interval = int(parts.get("INTERVAL", [1])[0])
    if "BYSETPOS" in parts and freq in ("DAILY", "WEEKLY"):
        size = prod(len(parts[p]) for p in TIME_PARTS if p in parts)
        size *= len(parts.get("BYDAY", [None])) if freq == "WEEKLY" else 1
        if all(abs(int(p)) > size for p in parts["BYSETPOS"]):
            return True
    if freq in ("MONTHLY", "YEARLY") or (
        freq in ("DAILY", "WEEKLY") and (interval > 1 or "BYSETPOS" in parts) and day_parts
    ):
        shifted = start.replace(year=start.year + 400 * ((PROBE_YEAR - start.year) // 400))
        probe = rrulestr(vRecur(parts).to_ical().decode(), dtstart=shifted)
        return next(iter(probe), None) is None
    rrulestr(vRecur(parts).to_ical().decode(), dtstart=start)  # dateutil's own checks
    return False  # days every loop (or every hour…): dates come


def _per_step(rule, freq: str) -> float:
    """About how many dates one loop of the rule gives: the days of its period the BY… parts
    keep (as fractions of a year, a month, a week), times the times of day."""
    if freq == "HOURLY":
        times = prod(len(rule[p]) for p in ("BYMINUTE", "BYSECOND") if p in rule)
    elif freq == "MINUTELY":
        times = len(rule.get("BYSECOND", [None]))
    elif freq == "SECONDLY":
        times = 1
    else:
        times = prod(len(rule[p]) for p in TIME_PARTS if p in rule)
    days = {"YEARLY": 365.0, "MONTHLY": 30.0, "WEEKLY": 7.0}.get(freq, 1.0)
    share = 1.0
    for part, whole in (("BYMONTH", 12), ("BYWEEKNO", 52), ("BYYEARDAY", 365), ("BYMONTHDAY", 30)):
        if part in rule:
            share *= min(1.0, len(rule[part]) / whole)
    weekdays = [WEEKDAY.match(str(d).upper()) for d in rule.get("BYDAY", [])]
    plain = sum(m[1] is None for m in weekdays)
    ordinal = len(weekdays) - plain  # 2TU: once a month (or a year)
    if weekdays:
        months = len(rule.get("BYMONTH", [])) or (12 if freq == "YEARLY" else 1)
        each_period = ordinal * (months if freq == "YEARLY" and "BYMONTH" in rule else 1)
        days = days * share * plain / 7 + each_period
    elif freq in ("YEARLY", "MONTHLY") and not any(p in rule for p in DAY_PARTS[1:]):
        days = len(rule.get("BYMONTH", [])) or 1  # the start's day of the month
    else:
        days *= share
    each = days * times
    if "BYSETPOS" in rule:
        each = min(each, len(rule["BYSETPOS"]))
    return each


def _naive(value: date | datetime) -> datetime:
    """The wall time of a start, as dateutil steps through it."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0))
    return value.replace(tzinfo=None)
