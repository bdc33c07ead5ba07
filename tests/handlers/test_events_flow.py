"""Events end to end (issue #6): `/event create` through the sandbox's driver and the real Bolt
app, the announcement with live counts, RSVP buttons with capacity and a waitlist, a change
of time, cancelling, Add to calendar, `/event list`; assertions on what people saw (the
sandbox) and the rows stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.parsing.ical_events import read_events
from bot.sandbox.store import top_modal
from storage.events import Event, Rsvp

JST = ZoneInfo("Asia/Tokyo")


def events(h) -> list[Event]:
    with h.session_factory() as session:
        return list(session.exec(select(Event).order_by(Event.id)))


def answers(h) -> dict[str, tuple[str, bool]]:
    with h.session_factory() as session:
        return {r.user_id: (r.answer, r.waitlisted) for r in session.exec(select(Rsvp))}


def create(h, **fields):
    """Sato (operator, Japanese) creates an event announced in #community-digest."""
    h.driver.command("U0SATO", "/event create")
    values = {
        "タイトル": "LLM 評価勉強会",
        "目的と期待される成果": "評価手法の共有",
        "開始日": "2026-04-20",
        "開始時刻": "18:00",
        "終了時刻": "19:30",
        "場所またはリンク": "https://meet.example/llm",
        "定員": "2",
        "告知するチャンネル": "#community-digest",
    } | fields
    return h.driver.fill("U0SATO", values)


def test_an_operator_creates_an_event_and_it_is_announced_with_counts(harness):
    ack = create(harness, **{"主催者": ["U0YUKI"]})
    assert ack.body == ""
    [event] = events(harness)
    assert event.starts_at == datetime(2026, 4, 20, 9, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2026, 4, 20, 10, 30, tzinfo=UTC)
    assert (event.capacity, event.timezone, event.channel) == (2, "Asia/Tokyo", "C0DIGEST")
    assert event.message_ts
    post = harness.sandbox.render("#community-digest")
    assert "LLM 評価勉強会" in post and "2026-04-20 18:00 JST" in post
    assert "参加 0 / 2" in post and "[参加]" in post and "[カレンダーに追加]" in post
    assert "主催: @yuki" in post and event.host_ids == ["U0YUKI"]
    assert "告知しました" in harness.sandbox.render("dm:U0SATO")


def test_a_member_cannot_create_an_event(harness):
    harness.driver.command("U0KENJI", "/event create")
    assert "事務局" in harness.sandbox.render("ephemeral:U0KENJI")
    assert events(harness) == []


def test_bad_input_gets_inline_errors_and_nothing_is_stored(harness):
    harness.driver.command("U0SATO", "/event create")
    harness.driver.fill(
        "U0SATO",
        {
            "タイトル": "DST",
            "目的と期待される成果": "x",
            "開始日": "2026-03-31",
            "開始時刻": "18:00",
            "終了時刻": "17:00",
            "場所またはリンク": "Tokyo",
        },
    )
    errors = harness.driver.modal_errors("U0SATO")
    assert "終了" in errors["終了時刻"]
    harness.driver.fill("U0SATO", {"終了時刻": "19:00"})
    assert "過去" in harness.driver.modal_errors("U0SATO")["開始日"]
    # a wall time that does not exist in the zone (clocks go forward in Los Angeles)
    harness.driver.fill(
        "U0SATO",
        {
            "開始日": "2027-03-14",
            "開始時刻": "02:30",
            "終了時刻": "04:00",
            "タイムゾーン": "America/Los_Angeles",
        },
    )
    assert "存在しない" in harness.driver.modal_errors("U0SATO")["開始時刻"]
    assert events(harness) == []


def test_capacity_waitlist_promotion_and_double_click(harness):
    create(harness)
    harness.driver.click("U0ALICE", "参加", "#community-digest")
    harness.driver.click("U0ALICE", "参加", "#community-digest")  # a double click
    harness.driver.click("U0YUKI", "参加", "#community-digest")
    harness.driver.click("U0KENJI", "参加", "#community-digest")
    assert answers(harness) == {
        "U0ALICE": ("going", False),
        "U0YUKI": ("going", False),
        "U0KENJI": ("going", True),
    }
    assert "キャンセル待ち 1 番目" in harness.sandbox.render("ephemeral:U0KENJI")
    post = harness.sandbox.render("#community-digest")
    assert "参加 2 / 2" in post and "キャンセル待ち 1" in post
    harness.driver.click("U0YUKI", "不参加", "#community-digest")
    assert answers(harness)["U0KENJI"] == ("going", False)
    assert "空きが出たため" in harness.sandbox.render("dm:U0KENJI")
    post = harness.sandbox.render("#community-digest")
    assert "参加 2 / 2 · 未定 0 · 不参加 1" in post


def test_after_the_deadline_buttons_explain(harness):
    create(harness, **{"回答締切日": "2026-04-10"})
    [event] = events(harness)
    assert event.rsvp_deadline == datetime(2026, 4, 10, 15, 0, tzinfo=UTC)  # 04-11 00:00 JST
    harness.clock.moment = datetime(2026, 4, 10, 14, 59, 59, tzinfo=UTC)
    harness.driver.click("U0KENJI", "参加", "#community-digest")
    assert answers(harness) == {"U0KENJI": ("going", False)}
    harness.clock.moment = datetime(2026, 4, 10, 15, 0, tzinfo=UTC)
    harness.driver.click("U0KENJI", "不参加", "#community-digest")
    assert "締め切られました" in harness.sandbox.render("ephemeral:U0KENJI")
    assert "2026-04-11 00:00 JST" in harness.sandbox.render("ephemeral:U0KENJI")
    assert answers(harness) == {"U0KENJI": ("going", False)}


def test_a_time_change_dms_everyone_who_answered_and_rerenders(harness):
    create(harness)
    harness.driver.click("U0ALICE", "参加", "#community-digest")
    harness.driver.click("U0KENJI", "不参加", "#community-digest")
    harness.driver.command("U0SATO", "/event list")
    harness.driver.click("U0SATO", "編集", "ephemeral")
    modal = json.dumps(top_modal(harness.sandbox, "U0SATO").view, ensure_ascii=False)
    assert "LLM 評価勉強会" in modal and "告知するチャンネル" not in modal
    harness.driver.fill("U0SATO", {"開始時刻": "19:00", "終了時刻": "20:30"})
    [event] = events(harness)
    assert event.starts_at == datetime(2026, 4, 20, 10, 0, tzinfo=UTC)
    alice = harness.sandbox.render("dm:U0ALICE")
    assert "Changed" in alice or "has changed" in alice
    assert "2026-04-20 19:00 JST" in alice and "2026-04-20 18:00 JST" in alice
    assert "変わりました" in harness.sandbox.render("dm:U0KENJI")
    assert "2026-04-20 19:00 JST" in harness.sandbox.render("#community-digest")


def test_cancelling_dms_everyone_and_removes_the_buttons(harness):
    create(harness)
    harness.driver.click("U0ALICE", "参加", "#community-digest")
    harness.driver.command("U0SATO", "/event list")
    harness.driver.click("U0SATO", "中止する", "ephemeral")
    assert events(harness)[0].cancelled
    assert "is cancelled" in harness.sandbox.render("dm:U0ALICE")
    post = harness.sandbox.render("#community-digest")
    assert "中止: LLM 評価勉強会" in post and "[参加]" not in post.split("中止:")[-1]


def test_add_to_calendar_dms_an_ics_that_parses_back(harness):
    create(harness)
    harness.driver.click("U0ALICE", "カレンダーに追加", "#community-digest")
    [upload] = [
        r
        for r in harness.journal()
        if r["direction"] == "bot->slack" and r.get("method") == "files.completeUploadExternal"
    ]
    assert upload
    [content] = [
        f["data"] for f in harness.sandbox.state.files.values() if f["name"].endswith(".ics")
    ]
    [parsed] = read_events(
        content.decode(),
        now=harness.clock.now(),
        default_zone="UTC",
    )
    assert (parsed.start, parsed.end, parsed.timezone) == (
        datetime(2026, 4, 20, 9, 0, tzinfo=UTC),
        datetime(2026, 4, 20, 10, 30, tzinfo=UTC),
        "Asia/Tokyo",
    )


def test_list_shows_the_readers_own_answer(harness):
    create(harness)
    harness.driver.click("U0ALICE", "参加", "#community-digest")
    harness.driver.command("U0ALICE", "/event list")
    shown = harness.sandbox.render("ephemeral:U0ALICE")
    assert "LLM 評価勉強会" in shown and "You: *going*".replace("*", "") in shown.replace("*", "")
    assert "[Edit]" not in shown
    harness.driver.command("U0KENJI", "/event list")
    assert "未回答" in harness.sandbox.render("ephemeral:U0KENJI")


def test_an_event_at_midnight_and_one_running_past_midnight(harness):
    create(harness, **{"開始日": "2026-04-21", "開始時刻": "00:00", "終了時刻": "01:00"})
    [event] = events(harness)
    assert event.starts_at == datetime(2026, 4, 20, 15, 0, tzinfo=UTC)
    assert "2026-04-21 00:00 JST – " in harness.sandbox.render("#community-digest")
    # 23:00 to 01:00 needs the end date; with it, the event runs into the next day
    create(harness, **{"開始日": "2026-04-22", "開始時刻": "23:00", "終了時刻": "01:00"})
    assert "翌日" in harness.driver.modal_errors("U0SATO")["終了時刻"]
    harness.driver.fill("U0SATO", {"終了日（別の日の場合）": "2026-04-23"})
    assert events(harness)[-1].ends_at == datetime(2026, 4, 22, 16, 0, tzinfo=UTC)


def test_an_event_in_los_angeles_across_the_clock_change(harness):
    # 2026-11-01 is the end of daylight saving time in Los Angeles: 09:00 PST = 17:00 UTC
    create(
        harness,
        **{
            "開始日": "2026-11-01",
            "開始時刻": "09:00",
            "終了時刻": "10:00",
            "タイムゾーン": "America/Los_Angeles",
            "回答締切日": "2026-10-31",
        },
    )
    [event] = events(harness)
    assert event.starts_at == datetime(2026, 11, 1, 17, 0, tzinfo=UTC)
    assert event.rsvp_deadline == datetime(2026, 11, 1, 7, 0, tzinfo=UTC)  # 00:00 PDT
    assert "2026-11-01 09:00 PST" in harness.sandbox.render("#community-digest")
