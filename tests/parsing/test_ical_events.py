"""iCalendar events: a real Exchange export (Windows zone name, a typo in its last line),
folded lines, all-day and floating times, a weekly event across a daylight-saving change,
an event at midnight, what Kiban writes reading back with the same instants, and files that
are not calendars. Then what a tester found, each input kept with its right outcome: rules
that would expand for minutes (refused at once), every malformed value the libraries raise on
(a bilingual refusal naming the event and property), cancelled events, a UID twice, unknown
zones, ends not after starts, Shift_JIS and UTF-16 files, and events left out as past."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from bot.errors import UserError
from bot.parsing.ical_events import (
    DEFAULT_DURATION,
    CalendarEvent,
    decode_calendar,
    read_calendar,
    read_events,
    write_event,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "icalendar"
NOW = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)


def calendar(*events: str) -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n"


def test_an_exchange_export_with_a_windows_zone_name_reads_as_tokyo():
    text = (FIXTURES / "icalendar_timezone_same_start_and_offset_TokyoStandardTime.ics").read_text()
    (event,) = read_events(text, now=datetime(2017, 1, 1, tzinfo=UTC), default_zone="Asia/Tokyo")
    assert (event.uid, event.title, event.timezone) == (
        "blafoobar",
        "this is an event",
        "Asia/Tokyo",
    )
    assert event.start == datetime(2017, 2, 24, 3, 0, tzinfo=UTC)  # 12:00 JST
    assert event.end - event.start == timedelta(minutes=30)


def test_folded_lines_all_day_floating_and_midnight():
    text = calendar(
        "UID:long\r\nDTSTART;TZID=Asia/Tokyo:20260410T000000\r\nDTEND;TZID=Asia/Tokyo:2026"
        "0410T010000\r\nSUMMARY:生成AI勉強会 第12回 — 評価データセッ\r\n トの作り方",
        "UID:allday\r\nDTSTART;VALUE=DATE:20260415\r\nSUMMARY:Hackathon",
        "UID:floating\r\nDTSTART:20260420T150000\r\nDTEND:20260420T160000\r\nSUMMARY:F",
    )
    long, allday, floating = read_events(text, now=NOW, default_zone="Asia/Tokyo")
    assert long.title == "生成AI勉強会 第12回 — 評価データセットの作り方"  # unfolded
    assert long.start == datetime(2026, 4, 9, 15, 0, tzinfo=UTC)  # midnight JST, the day before
    assert (allday.all_day, allday.start, allday.end - allday.start) == (
        True,
        datetime(2026, 4, 14, 15, 0, tzinfo=UTC),
        timedelta(days=1),
    )
    assert (floating.timezone, floating.start) == (
        "Asia/Tokyo",
        datetime(2026, 4, 20, 6, 0, tzinfo=UTC),
    )


def test_a_weekly_event_keeps_its_local_time_across_daylight_saving_and_stops_at_90_days():
    text = calendar(
        "UID:weekly\r\nDTSTART;TZID=America/New_York:20260301T100000\r\n"
        "DTEND;TZID=America/New_York:20260301T110000\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:Sync"
    )
    events = read_events(text, now=NOW, default_zone="Asia/Tokyo")
    # 1 March is EST (UTC-5), 15 March after the change is EDT (UTC-4): 10:00 local both
    assert events[0].start == datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    assert events[2].start == datetime(2026, 3, 15, 14, 0, tzinfo=UTC)
    assert all(e.start < NOW + timedelta(days=90) for e in events) and len(events) == 13
    assert len({e.uid for e in events}) == 13 and events[0].uid == "weekly#20260301T150000Z"
    again = read_events(text, now=NOW, default_zone="Asia/Tokyo")
    assert [e.uid for e in again] == [e.uid for e in events]  # the same file, the same events


def test_past_one_off_events_are_left_out():
    text = calendar("UID:old\r\nDTSTART:20250101T000000Z\r\nDTEND:20250101T010000Z\r\nSUMMARY:x")
    assert read_events(text, now=NOW, default_zone="Asia/Tokyo") == []


@pytest.mark.parametrize(
    "event",
    [
        CalendarEvent(
            "e1",
            "Briefing",
            datetime(2026, 3, 8, 6, 30, tzinfo=UTC),
            datetime(2026, 3, 8, 8, 0, tzinfo=UTC),
            "America/New_York",
            description="Line 1\nLine 2, with; specials",
            location="Zoom",
        ),
        CalendarEvent(
            "e2",
            "深夜の回",
            datetime(2026, 4, 9, 15, 0, tzinfo=UTC),
            datetime(2026, 4, 9, 16, 0, tzinfo=UTC),
            "Asia/Tokyo",
        ),
        CalendarEvent(
            "e3",
            "Hackathon",
            datetime(2026, 4, 14, 15, 0, tzinfo=UTC),
            datetime(2026, 4, 15, 15, 0, tzinfo=UTC),
            "Asia/Tokyo",
            all_day=True,
        ),
    ],
)
def test_what_kiban_writes_reads_back_with_the_same_times(event):
    written = write_event(event)
    assert b"BEGIN:VTIMEZONE" in written or event.all_day
    # an all-day date has no zone (RFC 5545): it reads in the reader's, here the programme's
    zone = event.timezone if event.all_day else "UTC"
    (back,) = read_events(written.decode(), now=NOW, default_zone=zone)
    assert back == event


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("hello", "not an iCalendar"),
        (calendar("UID:x\r\nSUMMARY:No start"), "“No start” has no start time"),
    ],
)
def test_files_kiban_cannot_use_are_refused_in_both_languages(text, says):
    with pytest.raises(UserError) as refused:
        read_events(text, now=NOW, default_zone="Asia/Tokyo")
    assert says in refused.value.en and refused.value.ja


# --- what a tester found (each input kept with its right outcome) ------------------------------


def refused(text: str, **kwargs) -> UserError:
    with pytest.raises(UserError) as error:
        read_calendar(text, now=NOW, default_zone="Asia/Tokyo", **kwargs)
    assert error.value.en and error.value.ja and error.value.en != error.value.ja
    return error.value


def event(*lines: str, summary: str = "Broken") -> str:
    return "\r\n".join(("UID:u1", f"SUMMARY:{summary}", *lines))


@pytest.mark.parametrize(
    ("lines", "says"),
    [
        # no end and a small step: refused at once, never expanded (was minutes and GBs)
        (["DTSTART:20260301T000000Z", "RRULE:FREQ=MINUTELY"], "more than 500 events"),
        (["DTSTART:20200101T000000Z", "RRULE:FREQ=MINUTELY"], "more than 500 events"),
        (["DTSTART:20260301T000000Z", "RRULE:FREQ=SECONDLY;COUNT=100000000"], "more than 500"),
        (
            [
                "DTSTART:20260201T000000Z",
                "RRULE:FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))),
            ],
            "more than 500 events",
        ),
        # one date a day, but dateutil would step through every second of it
        (
            ["DTSTART:20250301T000000Z", "RRULE:FREQ=SECONDLY;BYHOUR=9;BYMINUTE=0;BYSECOND=0"],
            "candidate dates",
        ),
    ],
)
def test_a_rule_with_too_many_occurrences_is_refused_without_expanding_it(lines, says):
    error = refused(calendar(event(*lines, summary="Ping")))
    assert says in error.en and "“Ping”" in error.en and "「Ping」" in error.ja


def test_more_events_than_the_limit_in_the_file_is_refused_naming_where():
    text = calendar(
        *(
            f"UID:e{i}\r\nSUMMARY:Talk {i}\r\nDTSTART:20260401T{i // 60:02d}{i % 60:02d}00Z"
            for i in range(4)
        ),
    )
    error = refused(text, max_events=3)
    assert "more than 3 events" in error.en and "“Talk 3”" in error.en


def test_too_many_vevents_are_refused_before_parsing():
    text = calendar(*(f"UID:p{i}\r\nDTSTART:20200101T000000Z" for i in range(1001)))
    assert "1,001 events (VEVENT)" in refused(text).en


def test_a_series_begun_decades_ago_costs_no_more_than_a_new_one():
    text = calendar(event("DTSTART:19750101T100000Z", "DTEND:19750101T110000Z", "RRULE:FREQ=DAILY"))
    events = read_events(text, now=NOW, default_zone="Asia/Tokyo")
    assert len(events) == 90 and events[0].start == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert events[0].uid == "u1#20260301T100000Z"


SERIES = [  # (rule lines, zone of the wall times) — checked against the library expanding as is
    (
        "DTSTART;TZID=America/New_York:20190107T100000\r\nDTEND;TZID=America/New_York:20190107T"
        "110000\r\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH\r\n"
        "EXDATE;TZID=America/New_York:20260323T100000",
        "UID:u1\r\nSUMMARY:Moved\r\nRECURRENCE-ID;TZID=America/New_York:20260312T100000\r\n"
        "DTSTART;TZID=America/New_York:20260312T120000\r\nDTEND;TZID=America/New_York:20260312T"
        "130000",
    ),
    (
        "DTSTART;TZID=Asia/Tokyo:20150105T093000\r\nDTEND;TZID=Asia/Tokyo:20150105T100000\r\n"
        "RRULE:FREQ=DAILY;INTERVAL=3;BYDAY=MO,WE,FR",
        None,
    ),
    (
        "DTSTART;TZID=Europe/London:20250601T080000\r\nDTEND;TZID=Europe/London:20250601T083000\r\n"
        "RRULE:FREQ=HOURLY;INTERVAL=7",
        None,
    ),
    ("DTSTART:20200101T180000\r\nDTEND:20200101T190000\r\nRRULE:FREQ=DAILY;COUNT=2260", None),
    ("DTSTART;VALUE=DATE:20100104\r\nDTEND;VALUE=DATE:20100105\r\nRRULE:FREQ=WEEKLY", None),
    ("DTSTART:20240101T000000Z\r\nDTEND:20240101T003000Z\r\nRRULE:FREQ=HOURLY;BYHOUR=9,17", None),
]


@pytest.mark.parametrize(("master", "moved"), SERIES)
def test_starting_a_series_anew_near_now_gives_exactly_the_librarys_occurrences(master, moved):
    text = calendar(event(master, summary="Series"), *([moved] if moved else []))
    until = NOW + timedelta(days=90)
    expected = []
    for occurrence in recurring_ical_events.of(icalendar.Calendar.from_ical(text)).between(
        NOW, until
    ):
        start, end = (_utc(occurrence.decoded(name), "Asia/Tokyo") for name in ("DTSTART", "DTEND"))
        if end > NOW and start < until:
            expected.append((start, end))
    events = read_events(text, now=NOW, default_zone="Asia/Tokyo")
    assert [(e.start, e.end) for e in events] == sorted(expected) and expected
    assert len({e.uid for e in events}) == len(events)


def _utc(value, zone: str) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC)


def test_a_moved_occurrence_keeps_the_key_of_the_date_its_rule_gave_it():
    master, moved = SERIES[0]
    events = read_events(calendar(event(master), moved), now=NOW, default_zone="Asia/Tokyo")
    [changed] = [e for e in events if e.title == "Moved"]
    assert changed.uid == "u1#20260312T140000Z"  # 10:00 EDT, the rule's; it starts at 12:00
    assert changed.start == datetime(2026, 3, 12, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("lines", "says"),
    [
        # the tester's two: a BadRuleStringFormat and a TypeError became tracebacks
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=SOMETIMES;COUNT=abc"], "in RRULE"),
        (["DTSTART;TZID=Asia/Tokyo:20261345T250000"], "in DTSTART: “20261345T250000”"),
        # the same class: every value icalendar cannot parse in a property Kiban reads
        (["DTSTART:2026-04-01"], "in DTSTART"),
        (["DTSTART:"], "in DTSTART"),
        (["DTSTART:20260401T100000Z", "DTEND:garbage"], "in DTEND"),
        (["DTSTART:20260401T100000Z", "DURATION:PXYZ"], "in DURATION"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;COUNT=3", "EXDATE:notadate"], "in EXDATE"),
        (["DTSTART:20260401T100000Z", "RDATE:notadate"], "in RDATE"),
        (["DTSTART:20260401T100000Z", "RECURRENCE-ID:garbage"], "in RECURRENCE-ID"),
        (["DTSTART:20260401T100000Z", "SEQUENCE:abc", "RRULE:FREQ=DAILY;COUNT=2"], "in SEQUENCE"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;UNTIL=garbage"], "in RRULE"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;BYDAY=XX"], "in RRULE"),
        (["DTSTART;VALUE=PERIOD:20260401T100000Z/PT1H"], "DTSTART that is not a date"),
        (["DTSTART:20260401T100000Z", "DTSTART:20260402T100000Z"], "DTSTART more than once"),
        (["DTSTART:20260401T100000Z", "UID:u2"], "UID more than once"),
        (["DTSTART:20260401T100000Z", "this is garbage"], "a line Kiban cannot read"),
        (['DTSTART;TZID="unterminated:20260401T100000'], "a line Kiban cannot read"),
        (["DTSTART;TZID=Asia/Tokyo:00010101T000000"], "cannot read the event"),
        (["DTSTART:99991231T235959Z", "RRULE:FREQ=DAILY"], "cannot read the event"),
        # repetition rules: RFC 5545 §3.3.10, and rules dateutil would loop on for ever
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;INTERVAL=0"], "INTERVAL must be 1"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;INTERVAL=-1;COUNT=3"], "INTERVAL must"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;COUNT=0"], "COUNT must be 1"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;COUNT=-5"], "COUNT must be 1"),
        (["DTSTART:20260401T100000Z", "RRULE:"], "it has no FREQ"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;BYHOUR=25"], "BYHOUR=25 is outside"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;BYMONTHDAY=0"], "BYMONTHDAY=0"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0"], "BYSETPOS=0"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=MONTHLY;BYDAY=9MO"], "BYDAY=9MO"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;BYDAY=2MO"], "cannot be used with"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=WEEKLY;BYMONTHDAY=3"], "cannot be used with"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;BYSETPOS=1"], "BYSETPOS needs"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;FOO=BAR"], "FOO is not a part"),
        (["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;BYEASTER=0"], "BYEASTER is not"),
        (
            ["DTSTART:20260401T100000Z", "RRULE:FREQ=DAILY;COUNT=2;UNTIL=20260501T000000Z"],
            "both COUNT and UNTIL",
        ),
        (["DTSTART:19000101T100000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"], "no date"),
        (["DTSTART:20260130T100000Z", "RRULE:FREQ=YEARLY;BYMONTH=2"], "no date at all"),
        (["DTSTART:20260302T100000Z", "RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=TU"], "no date"),
        (["DTSTART:20260302T100000Z", "RRULE:FREQ=DAILY;BYDAY=MO;BYSETPOS=2"], "no date"),
        (["DTSTART:20260302T100000Z", "RRULE:FREQ=HOURLY;INTERVAL=2;BYHOUR=1"], "empty set"),
        (["DTSTART:20260302T100000Z", "RRULE:FREQ=HOURLY;INTERVAL=168;BYDAY=TU"], "(not BYDAY)"),
        (["DTSTART;VALUE=DATE:20260302", "RRULE:FREQ=HOURLY;COUNT=3"], "all-day event cannot"),
    ],
)
def test_a_value_the_libraries_cannot_use_is_refused_naming_the_event_and_property(lines, says):
    error = refused(calendar(event(*lines)))
    assert "“Broken”" in error.en and "「Broken」" in error.ja
    assert says in error.en, error.en


def test_a_broken_value_of_a_property_kiban_does_not_read_is_ignored():
    text = calendar(event("DTSTART:20260401T100000Z", "DTSTAMP:garbage", "CREATED:never"))
    [read] = read_events(text, now=NOW, default_zone="Asia/Tokyo")
    assert read.title == "Broken"


@pytest.mark.parametrize(
    "text",
    [
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260401T100000Z\r\n",  # cut short
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",  # two
        "BEGIN:VCALENDAR\r\nCALSCALE:CHINESE\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n",
        "",
    ],
)
def test_a_file_that_is_not_a_calendar_is_refused(text):
    assert "iCalendar" in refused(text).en


def test_cancelled_events_and_cancelled_occurrences_are_marked():
    master, _ = SERIES[0]
    cancelled_one = (
        "UID:u1\r\nSUMMARY:Series\r\nRECURRENCE-ID;TZID=America/New_York:20260312T100000\r\n"
        "DTSTART;TZID=America/New_York:20260312T100000\r\nSTATUS:CANCELLED"
    )
    text = calendar(
        event(master, summary="Series"),
        cancelled_one,
        "UID:gone\r\nSUMMARY:Gone\r\nDTSTART:20260410T100000Z\r\nSTATUS:CANCELLED",
    )
    events = read_events(text, now=NOW, default_zone="Asia/Tokyo")
    assert [e.uid for e in events if e.cancelled] == ["u1#20260312T140000Z", "gone"]
    whole = calendar(event(master, "STATUS:CANCELLED", summary="Series"))
    assert all(e.cancelled for e in read_events(whole, now=NOW, default_zone="Asia/Tokyo"))


def test_two_events_with_one_uid_are_refused_naming_the_uid():
    text = calendar(
        "UID:same@x\r\nSUMMARY:First\r\nDTSTART:20260401T100000Z",
        "UID:same@x\r\nSUMMARY:Second\r\nDTSTART:20260402T100000Z",
    )
    error = refused(text)
    assert "“same@x”" in error.en and "“First”" in error.en and "「same@x」" in error.ja
    master, moved = SERIES[0]
    assert "twice" in refused(calendar(event(master), moved, moved)).en


@pytest.mark.parametrize(
    ("lines", "prop"),
    [
        (["DTSTART;TZID=Mars/Olympus_Mons:20260401T100000"], "DTSTART"),
        (["DTSTART:20260401T100000Z", "DTEND;TZID=Mars/Olympus_Mons:20260401T110000"], "DTEND"),
        (
            [
                "DTSTART:20260401T100000Z",
                "RRULE:FREQ=DAILY;COUNT=3",
                "EXDATE;TZID=Mars/Olympus_Mons:20260402T100000",
            ],
            "EXDATE",
        ),
        (["DTSTART;TZID=/mozilla.org/Mars/Olympus_Mons:20260401T100000"], "DTSTART"),
    ],
)
def test_an_unknown_zone_is_refused_naming_it_never_read_in_the_default(lines, prop):
    error = refused(calendar(event(*lines)))
    assert "Olympus_Mons" in error.en and f"its {prop} " in error.en and "“Broken”" in error.en


def vtimezone(tzid: str, offset: str) -> str:
    return (
        f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
        f"TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )


def with_zone(zone: str, *events: str) -> str:
    return calendar(*events).replace("PRODID:-//test//EN\r\n", f"PRODID:-//test//EN\r\n{zone}")


def test_a_zone_defined_in_the_file_is_read_with_its_own_offsets_every_time():
    lines = event("DTSTART;TZID=Customized Time Zone:20260401T100000")
    [tokyo] = read_events(
        with_zone(vtimezone("Customized Time Zone", "+0900"), lines),
        now=NOW,
        default_zone="Asia/Tokyo",
    )
    assert (tokyo.start, tokyo.timezone) == (datetime(2026, 4, 1, 1, 0, tzinfo=UTC), "Asia/Tokyo")
    # the same name in another file: not the definition icalendar cached from the first
    [india] = read_events(
        with_zone(vtimezone("Customized Time Zone", "+0530"), lines),
        now=NOW,
        default_zone="Asia/Tokyo",
    )
    assert india.start == datetime(2026, 4, 1, 4, 30, tzinfo=UTC)
    assert ZoneInfo(india.timezone).utcoffset(datetime(2026, 4, 1)) == timedelta(hours=5.5)
    # a TZID no longer defined in this file is unknown, whatever icalendar remembers
    assert "Customized Time Zone" in refused(calendar(lines)).en
    odd = with_zone(vtimezone("Odd", "+0517"), event("DTSTART;TZID=Odd:20260401T100000"))
    assert "matches no time zone" in refused(odd).en


@pytest.mark.parametrize(
    ("lines", "says"),
    [
        (["DTSTART:20260401T100000Z", "DTEND:20260401T090000Z"], "ends (2026-04-01 09:00 UTC)"),
        (["DTSTART:20260401T100000Z", "DTEND:20260401T100000Z"], "before or when it starts"),
        (["DTSTART:20260401T100000Z", "DURATION:-PT1H"], "ends (DURATION:-PT1H)"),
        (["DTSTART:20260401T100000Z", "DURATION:PT0S"], "before or when it starts"),
        (["DTSTART;VALUE=DATE:20260401", "DTEND;VALUE=DATE:20260401"], "ends (2026-04-01)"),
        (
            ["DTSTART:20260401T100000Z", "RDATE;VALUE=PERIOD:20260402T100000Z/20260402T090000Z"],
            "ends (RDATE 2026-04-02 09:00 UTC)",
        ),
        (["DTSTART;VALUE=DATE:20260401", "DTEND:20260401T110000Z"], "both be dates"),
        (["DTSTART:20260401T100000Z", "DTEND:20260401T110000Z", "DURATION:PT1H"], "both an end"),
        (["DTSTART;VALUE=DATE:20260401", "DURATION:PT1H"], "not a whole number of days"),
    ],
)
def test_an_end_not_after_the_start_is_refused(lines, says):
    error = refused(calendar(event(*lines)))
    assert says in error.en and "“Broken”" in error.en


def test_without_an_end_a_date_lasts_its_day_and_a_time_one_hour():
    text = calendar(
        "UID:t\r\nSUMMARY:T\r\nDTSTART:20260401T100000Z",
        "UID:d\r\nSUMMARY:D\r\nDTSTART;VALUE=DATE:20260402",
        "UID:r\r\nSUMMARY:R\r\nDTSTART:20260403T100000Z\r\nRRULE:FREQ=DAILY;COUNT=2",
    )
    lengths = {e.uid: e.end - e.start for e in read_events(text, now=NOW, default_zone="UTC")}
    assert lengths == {
        "t": DEFAULT_DURATION,
        "d": timedelta(days=1),
        "r#20260403T100000Z": DEFAULT_DURATION,
        "r#20260404T100000Z": DEFAULT_DURATION,
    }
    assert DEFAULT_DURATION == timedelta(hours=1)


@pytest.mark.parametrize("name", ["outlook_ja_shift_jis.ics", "outlook_ja_utf16.ics"])
def test_japanese_outlook_files_in_shift_jis_and_utf16_are_read(name):
    text = decode_calendar((FIXTURES / name).read_bytes())
    study, kickoff = read_events(text, now=NOW, default_zone="Asia/Tokyo")
    assert (study.title, study.location) == ("評価基盤勉強会（第３回）", "大手町 会議室Ａ")
    assert study.start == datetime(2026, 5, 15, 9, 0, tzinfo=UTC) and study.timezone == "Asia/Tokyo"
    assert (kickoff.title, kickoff.all_day) == ("第２期キックオフ～全体会議～", True)


@pytest.mark.parametrize(
    "content",
    [
        "こんにちは".encode("shift_jis"),  # Shift_JIS, but not a calendar
        "BEGIN:VCALENDAR\r\n".encode("utf-16-le"),  # UTF-16 without its BOM
        "BEGIN:VCALENDAR\r\n".encode("utf-32"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_bytes_that_are_no_text_kiban_reads_are_refused(content):
    with pytest.raises(UserError) as error:
        decode_calendar(content)
    assert "UTF-8" in error.value.en and "Shift_JIS" in error.value.ja


def test_a_utf8_bom_and_a_big_endian_utf16_file_decode():
    text = (FIXTURES / "programme_events.ics").read_text()
    assert decode_calendar(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode_calendar(b"\xfe\xff" + text.encode("utf-16-be")) == text


def test_past_events_and_repeating_ones_with_no_date_soon_are_listed_not_imported():
    text = calendar(
        "UID:old\r\nSUMMARY:Old\r\nDTSTART:20250101T000000Z\r\nDTEND:20250101T010000Z",
        "UID:done\r\nSUMMARY:Done\r\nDTSTART:20250107T100000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3",
        "UID:ended\r\nSUMMARY:Ended\r\nDTSTART:20200107T100000Z\r\nRRULE:FREQ=DAILY;COUNT=30",
        "UID:yearly\r\nSUMMARY:Anniversary\r\nDTSTART:20250801T100000Z\r\nRRULE:FREQ=YEARLY",
    )
    read = read_calendar(text, now=NOW, default_zone="Asia/Tokyo")
    assert read.events == []
    assert [e.title for e in read.past] == ["Ended", "Old", "Done"]
    [later] = read.later
    assert (later.title, later.start) == ("Anniversary", datetime(2026, 8, 1, 10, 0, tzinfo=UTC))
