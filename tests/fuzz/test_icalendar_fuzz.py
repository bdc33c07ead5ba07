"""Fuzzing iCalendar imports: the bytes of an upload (`decode_calendar`) and the text of a
calendar (`read_calendar`): arbitrary bytes and text, mutated real files, and events built
from the properties Kiban reads with near-valid values (dates, zones, durations, rules).
Every file is read or refused with a bilingual UserError naming the problem."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import example, given
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.ical_events import CalendarFile, decode_calendar, read_calendar

from .common import FIXTURES, SLOW, awkward_text, mutations, outcome

ICS = FIXTURES / "icalendar"
FILES = sorted(decode_calendar(p.read_bytes()) for p in ICS.glob("*.ics"))
NOW = datetime(2026, 3, 1, tzinfo=UTC)

DATE = st.from_regex(r"\A[0-9]{8}\Z") | st.sampled_from(["20260230", "00000101", "99991231"])
DATETIME = st.builds(
    lambda d, t, z: f"{d}T{t}{z}",
    DATE,
    st.from_regex(r"\A[0-9]{6}\Z") | st.just("240000"),
    st.sampled_from(["", "Z", "z"]),
)
PARAMS = st.sampled_from(
    [
        "",
        ";VALUE=DATE",
        ";VALUE=DATE-TIME",
        ";TZID=Asia/Tokyo",
        ";TZID=Tokyo Standard Time",
        ";TZID=Nowhere/Else",
        ";TZID=",
        ';TZID="Asia/Tokyo"',
        ";VALUE=PERIOD",
        ";X=1;TZID=UTC",
    ]
)
DURATION = st.from_regex(
    r"\A[-+]?P([0-9]{1,6}W)?([0-9]{1,6}D)?(T([0-9]{1,6}H)?([0-9]{1,6}M)?([0-9]{1,6}S)?)?\Z"
)
RULE_PART = st.one_of(
    st.sampled_from(
        ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY", "FOO"]
    ).map(lambda f: f"FREQ={f}"),
    st.integers(-5, 10**6).map(lambda n: f"COUNT={n}"),
    st.integers(-5, 10**6).map(lambda n: f"INTERVAL={n}"),
    DATETIME.map(lambda v: f"UNTIL={v}"),
    DATE.map(lambda v: f"UNTIL={v}"),
    st.from_regex(r"\ABYDAY=[-+]?[0-9]{0,3}(MO|TU|WE|XX)(,[-+]?[0-9]{0,3}(SU|FR))?\Z"),
    st.builds(
        lambda part, n: f"{part}={n}",
        st.sampled_from(
            [
                "BYMONTH",
                "BYMONTHDAY",
                "BYYEARDAY",
                "BYWEEKNO",
                "BYHOUR",
                "BYMINUTE",
                "BYSECOND",
                "BYSETPOS",
                "WKST",
            ]
        ),
        st.integers(-400, 400),
    ),
    st.text("=;,:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", max_size=15),
)
RULE = st.lists(RULE_PART, max_size=5).map(";".join)
PROPERTY = st.one_of(
    st.tuples(
        st.sampled_from(["DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"]),
        PARAMS,
        st.one_of(DATE, DATETIME, awkward_text.map(lambda s: s[:20])),
    ),
    st.tuples(st.just("DURATION"), st.just(""), DURATION),
    st.tuples(st.sampled_from(["RRULE", "EXRULE"]), st.just(""), RULE),
    st.tuples(
        st.sampled_from(["UID", "SUMMARY", "LOCATION", "DESCRIPTION", "STATUS", "DTSTAMP"]),
        st.just(""),
        st.sampled_from(["x", "CANCELLED", "CONFIRMED", ""]) | awkward_text,
    ),
).map(lambda p: f"{p[0]}{p[1]}:{p[2]}")
START = st.builds(
    lambda moment, params, all_day: (
        f"DTSTART{';VALUE=DATE' if all_day else params}:"
        + moment.strftime("%Y%m%d" if all_day else "%Y%m%dT%H%M%S")
    ),
    st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31)),
    st.sampled_from(["", ";TZID=Asia/Tokyo", ";TZID=Tokyo Standard Time", ";TZID=UTC"]),
    st.booleans(),
)
EVENT = st.builds(  # mostly a UID and a start, so that the other properties get read too
    lambda head, props: "BEGIN:VEVENT\r\n" + "\r\n".join(head + props) + "\r\nEND:VEVENT\r\n",
    st.one_of(
        st.tuples(st.sampled_from(["UID:a", "UID:b"]), START).map(list),
        st.just([]),
    ),
    st.lists(PROPERTY, max_size=5),
)
CALENDAR = st.lists(EVENT, min_size=1, max_size=3).map(
    lambda events: (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
        + "".join(events)
        + "END:VCALENDAR\r\n"
    )
)
BASE = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a\r\n{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"


def _read(text: str):
    result = outcome(read_calendar, text, now=NOW, default_zone="Asia/Tokyo")
    assert isinstance(result, UserError | CalendarFile)
    if isinstance(result, CalendarFile):
        for event in result.events + result.past + result.later:
            assert event.start.tzinfo is not None and event.end >= event.start
    return result


@SLOW
@given(
    st.one_of(
        st.binary(max_size=300),
        st.sampled_from(FILES).flatmap(mutations).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )
)
@example(b"\xff\xfe" + "BEGIN:VCALENDAR".encode("utf-16-le") + b"\x00")  # odd byte count
@example("BEGIN:VCALENDAR\r\n".encode("cp932") + b"\x82")  # a cut Shift_JIS character
def test_decode_calendar_any_bytes(data):
    result = outcome(decode_calendar, data)
    assert isinstance(result, UserError | str)


@SLOW
@given(st.one_of(awkward_text, st.sampled_from(FILES).flatmap(mutations)))
def test_read_calendar_any_text(text):
    _read(text)


@SLOW
@given(CALENDAR)
@example(BASE.format("DTSTART:20260230T100000"))
@example(BASE.format("DTSTART:20260401T100000\r\nDURATION:P99999999W"))
@example(BASE.format("DTSTART:99991231T230000\r\nDURATION:PT2H"))
@example(BASE.format("DTSTART;TZID=Asia/Tokyo:20260401T100000\r\nRRULE:FREQ=DAILY;UNTIL=99991231"))
@example(BASE.format("DTSTART:20260401\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"))
def test_read_calendar_near_valid_events(text):
    _read(text)
