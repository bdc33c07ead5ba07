"""The event announcement (issue #6 groundwork): Slack date tokens with a JST fallback (also
for an event at midnight and one spanning days), live counts with capacity and waitlist, the
four buttons, and a cancelled event without them — all within Slack's limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.blocks.events import EventView, build_announcement
from bot.sandbox.blockkit import validate_blocks

JST = ZoneInfo("Asia/Tokyo")


def view(**over) -> EventView:
    fields = dict(
        id=7,
        title="生成AI勉強会 <第12回>",
        purpose="評価データの作り方を共有する",
        starts_at=datetime(2026, 4, 9, 15, 0, tzinfo=UTC),  # 00:00 JST on 10 April
        ends_at=datetime(2026, 4, 9, 16, 30, tzinfo=UTC),
        location="Zoom <https://evil.example|link>",
        capacity=30,
        counts={"going": 30, "maybe": 2, "cant": 1, "waitlisted": 4},
    )
    fields.update(over)
    return EventView(**fields)


def test_times_are_date_tokens_with_a_jst_fallback_even_at_midnight():
    message = build_announcement(view(), JST, "ja")
    text = json.dumps(message.blocks, ensure_ascii=False)
    start = int(datetime(2026, 4, 9, 15, 0, tzinfo=UTC).timestamp())
    assert f"<!date^{start}^{{date_short_pretty}} {{time}}|2026-04-10 00:00 JST>" in text
    # the end keeps its date: 00:00–01:30 JST is two days for a reader in Los Angeles
    assert "^{date_short_pretty} {time}|2026-04-10 01:30 JST>" in text
    assert "参加 30 / 30 · 未定 2 · 不参加 1 · キャンセル待ち 4" in text
    assert "&lt;https://evil.example|link&gt;" in text  # typed text stays inert


def test_english_buttons_and_counts_without_a_capacity():
    message = build_announcement(
        view(ends_at=datetime(2026, 4, 10, 9, 0, tzinfo=UTC), capacity=None, counts={"going": 3}),
        JST,
        "en",
    )
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert "|2026-04-10 18:00 JST>" in text and "Going 3 · Maybe 0" in text
    for button in ("Going", "Maybe", "Can't go", "Add to calendar"):
        assert f'"text": "{button}"' in text
    assert validate_blocks(message.blocks) == []  # what Slack would accept


def test_a_cancelled_event_keeps_its_text_and_loses_its_buttons():
    message = build_announcement(view(cancelled=True), JST, "en")
    assert message.blocks[0]["text"]["text"].startswith("Cancelled: ")
    assert not any(b["type"] == "actions" for b in message.blocks)


def test_an_all_day_event_shows_its_own_dates_not_tokens():
    days = view(
        all_day=True,
        starts_at=datetime(2026, 5, 22, 15, 0, tzinfo=UTC),  # 23 May 00:00 JST
        ends_at=datetime(2026, 5, 24, 15, 0, tzinfo=UTC),  # two whole days
    )
    text = json.dumps(build_announcement(days, JST, "en").blocks, ensure_ascii=False)
    assert "2026-05-23 – 2026-05-24 (all day)" in text and "<!date^" not in text
    one = view(all_day=True, ends_at=datetime(2026, 4, 10, 15, 0, tzinfo=UTC))
    assert "2026-04-10 (all day)" in json.dumps(
        build_announcement(one, JST, "en").blocks, ensure_ascii=False
    )


def test_the_list_stays_within_slack_limits_with_many_events():
    from bot.blocks.events import LIST_MAX, ListedEvent, build_list

    items = [
        ListedEvent(view(id=i), JST, "going" if i % 2 else None, None, "C0EVENTS")
        for i in range(LIST_MAX + 5)
    ]
    message = build_list(items, "en", operator=True)
    assert len(message.blocks) <= 50
    assert not validate_blocks(message.blocks)
    assert "…and 5 more." in json.dumps(message.blocks, ensure_ascii=False)
