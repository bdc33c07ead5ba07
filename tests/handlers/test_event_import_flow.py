"""`/event import` end to end (issue #6) through the sandbox's driver and the real Bolt app:
a calendar creates events, importing it again changes nothing, a moved occurrence is updated,
an event the calendar cancels is cancelled (answerers told), Japanese Outlook files in
Shift_JIS and UTF-16, a broken file is an inline error naming the event with nothing stored,
announcements Slack refuses are named in the result DM with how to fix them, and events left
out (already ended) are counted there."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.sandbox.workspace import Channel
from storage.events import Event

FIXTURES = Path(__file__).parent.parent / "fixtures" / "icalendar"
FILE = "カレンダーファイル（.ics）"
CHANNEL = "告知するチャンネル"


def events(h) -> list[Event]:
    with h.session_factory() as session:
        return list(session.exec(select(Event).order_by(Event.id)))


def result(h) -> str:
    """The operator's latest DM: the import's result."""
    return h.sandbox.conversation("dm:U0SATO")[-1].rendered


def calendar(*events: str) -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n"


def write(tmp_path, text: str, name: str = "calendar.ics") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode())
    return path


ICS = FIXTURES / "programme_events.ics"


def import_file(h, path, **fields):
    h.driver.command("U0SATO", "/event import")
    return h.driver.fill("U0SATO", {"カレンダーファイル（.ics）": str(path)} | fields)


def test_importing_a_calendar_creates_events_and_again_changes_nothing(harness):
    import_file(harness, ICS, **{"告知するチャンネル": "#community-digest"})
    stored = events(harness)
    assert [e.title for e in stored] == [
        "Weekly study session",
        "Weekly study session",
        "Weekly study session",
        "海外テック企業ブリーフィング — 評価基盤と安全性の最新動向について（同時通訳あり）",
        "Foundation-model hackathon",
    ]
    hackathon = stored[-1]
    assert hackathon.all_day and hackathon.starts_at == datetime(2026, 5, 22, 15, 0, tzinfo=UTC)
    assert all(e.message_ts for e in stored)
    result = harness.sandbox.render("dm:U0SATO")
    assert "作成: 5 件" in result and "開始済みのため取り込まず" not in result
    # the same file again: nothing duplicated, nothing announced twice
    posts = len(harness.sandbox.render("#community-digest"))
    import_file(harness, ICS)
    assert len(events(harness)) == 5
    assert "変更なし: 5 件" in harness.sandbox.render("dm:U0SATO")
    assert len(harness.sandbox.render("#community-digest")) == posts


def test_a_moved_occurrence_is_updated_and_answerers_are_told(harness, tmp_path):
    import_file(harness, ICS, **{"告知するチャンネル": "#community-digest"})
    harness.driver.click("U0ALICE", "参加", "#community-digest")  # the latest: the hackathon
    moved = ICS.read_text().replace("LOCATION:Tokyo\\, Otemachi", "LOCATION:Osaka")
    (tmp_path / "moved.ics").write_text(moved)
    import_file(harness, tmp_path / "moved.ics")
    assert "更新: 1 件" in harness.sandbox.render("dm:U0SATO")
    assert "Osaka" in harness.sandbox.render("dm:U0ALICE")
    assert events(harness)[-1].location == "Osaka"


def test_a_file_that_is_not_a_calendar_is_an_inline_error(harness, tmp_path):
    (tmp_path / "notes.ics").write_bytes("こんにちは".encode("shift_jis"))
    import_file(harness, tmp_path / "notes.ics")
    assert "UTF-8" in harness.driver.modal_errors("U0SATO")["カレンダーファイル（.ics）"]
    (tmp_path / "plain.ics").write_text("hello")
    import_file(harness, tmp_path / "plain.ics")
    assert "iCalendar" in harness.driver.modal_errors("U0SATO")["カレンダーファイル（.ics）"]
    assert events(harness) == []


def test_a_member_cannot_import(harness):
    harness.driver.command("U0KENJI", "/event import")
    assert "事務局" in harness.sandbox.render("ephemeral:U0KENJI")


def test_the_result_counts_events_already_ended_and_announcements(harness):
    import_file(harness, ICS, **{CHANNEL: "#community-digest"})
    dm = result(harness)
    assert "作成: 5 件" in dm and "5 件のイベントを告知しました" in dm
    assert "終了済みのため取り込まず: 1 件" in dm and "Kick-off (already held)" in dm


def test_a_calendar_of_past_events_only_says_so(harness, tmp_path):
    path = write(
        tmp_path,
        calendar(
            "UID:a\r\nSUMMARY:Held in March\r\nDTSTART:20260310T010000Z\r\nDTEND:20260310T020000Z",
            "UID:b\r\nSUMMARY:Weekly, ended\r\nDTSTART:20260105T010000Z\r\nRRULE:FREQ=WEEKLY;COUNT=4",
        ),
    )
    import_file(harness, path)
    dm = result(harness)
    assert "終了済みのため取り込まず: 2 件" in dm
    assert "Held in March (2026-03-10 01:00 UTC)" in dm and "Weekly, ended (2026-01-05" in dm
    assert events(harness) == []


@pytest.mark.parametrize("name", ["outlook_ja_shift_jis.ics", "outlook_ja_utf16.ics"])
def test_japanese_outlook_files_import(harness, name):
    import_file(harness, FIXTURES / name)
    study, kickoff = events(harness)
    assert (study.title, study.location) == ("評価基盤勉強会（第３回）", "大手町 会議室Ａ")
    assert study.starts_at == datetime(2026, 5, 15, 9, 0, tzinfo=UTC)
    assert kickoff.all_day and kickoff.title == "第２期キックオフ～全体会議～"
    assert "作成: 2 件" in result(harness)


def test_the_same_calendar_in_either_encoding_is_the_same_events(harness):
    import_file(harness, FIXTURES / "outlook_ja_shift_jis.ics")
    import_file(harness, FIXTURES / "outlook_ja_utf16.ics")
    assert len(events(harness)) == 2 and "変更なし: 2 件" in result(harness)


def test_a_rule_without_end_every_minute_is_refused_at_once(harness, tmp_path):
    path = write(
        tmp_path,
        calendar("UID:ping\r\nSUMMARY:Ping\r\nDTSTART:20260401T000000Z\r\nRRULE:FREQ=MINUTELY"),
    )
    import_file(harness, path)  # was minutes and GBs before the ack
    error = harness.driver.modal_errors("U0SATO")[FILE]
    assert "「Ping」" in error and "500 件を超える" in error
    assert events(harness) == []


GOOD = "UID:good\r\nSUMMARY:Good\r\nDTSTART:20260501T010000Z\r\nDTEND:20260501T020000Z"


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (
            "UID:bad\r\nSUMMARY:Broken\r\nDTSTART:20260501T010000Z\r\nRRULE:FREQ=SOMETIMES;COUNT=abc",
            "RRULE",
        ),
        ("UID:bad\r\nSUMMARY:Broken\r\nDTSTART;TZID=Asia/Tokyo:20261345T250000", "DTSTART"),
        (
            "UID:bad\r\nSUMMARY:Broken\r\nDTSTART;TZID=Mars/Olympus_Mons:20260501T100000",
            "Mars/Olympus_Mons",
        ),
        (
            "UID:bad\r\nSUMMARY:Broken\r\nDTSTART:20260501T010000Z\r\nDTEND:20260501T000000Z",
            "終了（2026-05-01 00:00 UTC）",
        ),
        ("UID:good\r\nSUMMARY:Broken\r\nDTSTART:20260502T010000Z", "UID「good」"),
        (
            "UID:bad\r\nSUMMARY:Broken\r\nDTSTART:20260501T010000Z\r\nRRULE:FREQ=DAILY;INTERVAL=0",
            "INTERVAL",
        ),
    ],
)
def test_a_broken_event_is_an_inline_error_naming_it_and_nothing_is_stored(
    harness, tmp_path, bad, says
):
    import_file(harness, write(tmp_path, calendar(GOOD, bad)))
    error = harness.driver.modal_errors("U0SATO")[FILE]
    assert "「Broken」" in error and says in error and "Traceback" not in error
    assert events(harness) == []  # the good event neither: one transaction


def test_an_event_the_calendar_cancels_is_cancelled_and_answerers_are_told(harness, tmp_path):
    import_file(harness, ICS, **{CHANNEL: "#community-digest"})
    harness.driver.click("U0ALICE", "参加", "#community-digest")  # the latest: the hackathon
    text = ICS.read_text().replace(
        "LOCATION:Tokyo\\, Otemachi", "LOCATION:Tokyo\\, Otemachi\nSTATUS:CANCELLED"
    )
    text = text.replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\nUID:never@programme.example\nSUMMARY:Dropped before import\n"
        "DTSTART:20260601T010000Z\nSTATUS:CANCELLED\nEND:VEVENT\nEND:VCALENDAR",
    )
    import_file(harness, write(tmp_path, text))
    dm = result(harness)
    assert "カレンダーで中止されたため中止: 1 件" in dm and "Foundation-model hackathon" in dm
    assert "カレンダーで中止済みのため取り込まず: 1 件" in dm and "Dropped before import" in dm
    assert "is cancelled" in harness.sandbox.render("dm:U0ALICE")
    assert "回答した全員に連絡しました" not in harness.sandbox.render("dm:U0SATO")  # the DM says it
    stored = events(harness)
    assert stored[-1].cancelled and len(stored) == 5
    # imported again: it stays cancelled, nothing more is sent
    import_file(harness, write(tmp_path, text))
    assert "変更なし: 5 件" in result(harness)


def test_an_announcement_slack_refuses_is_named_with_how_to_fix_it(harness, tmp_path):
    harness.sandbox.workspace.channels.append(Channel("C0LOCKED", "locked", bot_member=False))
    harness.expected_failures.append("chat.postMessage: not_in_channel")
    import_file(harness, ICS, **{CHANNEL: "#locked"})
    dm = result(harness)
    assert "作成: 5 件" in dm and "保存済み・告知できなかったイベント: 5 件" in dm
    assert "Slack のエラー `not_in_channel`" in dm and "#locked" in dm
    assert "/invite @Kiban" in dm and "/event list" in dm and "Weekly study session" in dm
    assert not any(e.message_ts for e in events(harness))
    # imported again with a channel the bot is in: the events never announced are announced
    import_file(harness, ICS, **{CHANNEL: "#community-digest"})
    dm = result(harness)
    assert "変更なし: 5 件" in dm and "5 件のイベントを告知しました" in dm
    assert all(e.message_ts and e.channel == "C0DIGEST" for e in events(harness))
    # and again: nothing is announced twice
    posts = len(harness.sandbox.render("#community-digest"))
    import_file(harness, ICS, **{CHANNEL: "#community-digest"})
    assert "告知しました" not in result(harness)
    assert len(harness.sandbox.render("#community-digest")) == posts


def test_announcing_events_never_announced_respects_the_limit_of_ten(harness, tmp_path):
    eleven = calendar(
        *(f"UID:e{i}\r\nSUMMARY:Talk {i}\r\nDTSTART:202605{i + 1:02d}T010000Z" for i in range(11))
    )
    path = write(tmp_path, eleven)
    import_file(harness, path)
    assert len(events(harness)) == 11 and "作成: 11 件" in result(harness)
    import_file(harness, path, **{CHANNEL: "#community-digest"})
    assert "11 件" in harness.driver.modal_errors("U0SATO")[CHANNEL]
    assert not any(e.message_ts for e in events(harness))
