"""iCalendar events: a real Exchange export (Windows zone name, a typo in its last line),
folded lines, all-day and floating times, a weekly event across a daylight-saving change,
an event at midnight, what Kiban writes reading back with the same instants, and files that
are not calendars."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import UserError
from bot.parsing.ical_events import CalendarEvent, read_events, write_event

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
