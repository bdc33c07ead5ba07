"""Quiet hours: alert and instruction DMs that would reach someone at night (22:00–08:00 in
their own Slack zone), on a weekend or a Japanese public holiday are stored and sent on their
next business morning; everything else goes at once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import OperationalError

from bot.blocks.common import Message
from bot.clients.slack import Notice, SlackGateway
from bot.services.delivery import (
    deliver,
    in_quiet_hours,
    next_business_morning,
    send_time,
)
from bot.settings import Settings
from jobs.delivery import run_outbox
from storage import outbox
from storage.db import make_engine, make_session_factory
from storage.outbox import OutboxMessage

JST = ZoneInfo("Asia/Tokyo")
LA = ZoneInfo("America/Los_Angeles")
SETTINGS = Settings(_env_file=None, operator_channel="C0OPS")
NIGHT = (time(22), time(8))
USERS = {
    "U0YUKI": ("Asia/Tokyo", "ja-JP"),
    "U0ALICE": ("America/Los_Angeles", "en-US"),
}


class FakeClient:
    """The WebClient calls the gateway makes, recorded. `fail` is what the next posts raise,
    in order: a Slack error code, or an exception."""

    def __init__(self, users=USERS, fail=()):
        self.users = users
        self.fail = list(fail)
        self.posts: list[dict] = []

    def users_info(self, user, include_locale=True):
        if user not in self.users:
            raise SlackApiError("user_not_found", {"ok": False, "error": "user_not_found"})
        tz, locale = self.users[user]
        return {"user": {"id": user, "tz": tz, "locale": locale}}

    def chat_postMessage(self, channel, text, blocks=None, thread_ts=None, metadata=None):
        if self.fail:
            failure = self.fail.pop(0)
            if isinstance(failure, Exception):
                raise failure
            raise SlackApiError(failure, {"ok": False, "error": failure})
        ts = f"{len(self.posts) + 1}.000"
        self.posts.append(
            {"channel": channel, "text": text, "blocks": blocks, "metadata": metadata, "ts": ts}
        )
        return {"ok": True, "ts": ts}

    def conversations_open(self, users):
        return {"channel": {"id": f"D{users}"}}

    def conversations_history(self, channel, **_window):
        """Newest first, with metadata (what the outbox looks for after a lost answer)."""
        mine = [p for p in self.posts if f"D{p['channel']}" == channel or p["channel"] == channel]
        return {"messages": list(reversed(mine))}


def gateway(client=None) -> SlackGateway:
    return SlackGateway(client or FakeClient(), default_lang="ja", operator_channel="C0OPS")


def dm(user, text="Compute use over plan", quiet=True, **kwargs) -> Notice:
    """A DM whose text and blocks say which language it was rendered in."""
    return Notice(
        channel=user,
        render=lambda lang: Message(
            text=f"{text} [{lang}]",
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": f"{text} [{lang}]"}}],
        ),
        kind="alert",
        quiet_hours=quiet,
        **kwargs,
    )


def held(factory) -> list[OutboxMessage]:
    with factory() as session:
        return outbox.held(session)


def send(factory, gw, notices, now, settings=SETTINGS):
    return deliver(session_factory=factory, gateway=gw, settings=settings, notices=notices, now=now)


# --- the window -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("clock", "quiet"), [("21:59", False), ("22:00", True), ("07:59", True), ("08:00", False)]
)
def test_window_edges_on_a_business_day(clock, quiet):
    local = datetime.combine(date(2026, 4, 2), time.fromisoformat(clock), tzinfo=JST)  # Thu
    assert in_quiet_hours(local, *NIGHT) is quiet


@pytest.mark.parametrize(
    ("clock", "due"),
    [
        ("2026-04-01 21:59", None),  # sent
        ("2026-04-01 22:00", datetime(2026, 4, 2, 8, tzinfo=JST)),
        ("2026-04-02 07:59", datetime(2026, 4, 2, 8, tzinfo=JST)),
        ("2026-04-02 08:00", None),
    ],
)
def test_window_edges_decide_what_is_sent_and_what_waits(session_factory, clock, due):
    client = FakeClient()
    now = datetime.fromisoformat(clock).replace(tzinfo=JST).astimezone(UTC)
    assert send(session_factory, gateway(client), [dm("U0YUKI")], now) == []
    rows = held(session_factory)
    if due is None:
        assert [p["channel"] for p in client.posts] == ["U0YUKI"] and rows == []
    else:
        assert client.posts == []
        [row] = rows
        assert row.due_at == due.astimezone(UTC) and row.due_at.tzinfo == UTC
        assert (row.channel, row.kind, row.sent_at, row.attempts) == ("U0YUKI", "alert", None, 0)


def test_a_window_that_does_not_wrap_midnight_and_an_empty_one():
    wednesday = date(2026, 4, 1)
    lunch = (time(12), time(13))
    assert not in_quiet_hours(datetime.combine(wednesday, time(11, 59), tzinfo=JST), *lunch)
    assert in_quiet_hours(datetime.combine(wednesday, time(12), tzinfo=JST), *lunch)
    assert not in_quiet_hours(datetime.combine(wednesday, time(13), tzinfo=JST), *lunch)
    assert not in_quiet_hours(datetime.combine(wednesday, time(23), tzinfo=JST), *lunch)
    at_noon = datetime.combine(wednesday, time(12, 30), tzinfo=JST)
    assert next_business_morning(at_noon, *lunch) == datetime(2026, 4, 1, 13, tzinfo=JST)

    none = (time(8), time(8))  # start == end: no quiet hours on the clock …
    for clock in (time(0), time(8), time(23, 59)):
        assert not in_quiet_hours(datetime.combine(wednesday, clock, tzinfo=JST), *none)
    saturday = datetime(2026, 4, 4, 23, tzinfo=JST)  # … but weekends still wait
    assert in_quiet_hours(saturday, *none)
    assert next_business_morning(saturday, *none) == datetime(2026, 4, 6, 8, tzinfo=JST)


def test_settings_change_the_window():
    settings = Settings(_env_file=None, quiet_hours_start=time(20), quiet_hours_end=time(9, 30))
    now = datetime(2026, 4, 1, 20, 30, tzinfo=JST)
    assert send_time(now, JST, settings) == datetime(2026, 4, 2, 9, 30, tzinfo=JST)
    assert send_time(now, JST, SETTINGS) == now  # 20:30 is not quiet by default


# --- whose clock ----------------------------------------------------------------------------
def test_the_recipients_own_zone_decides_at_the_same_instant(session_factory):
    client = FakeClient()
    # 15:00 Wednesday in Tokyo is 23:00 Tuesday in Los Angeles
    afternoon_tokyo = datetime(2026, 4, 1, 6, tzinfo=UTC)
    send(session_factory, gateway(client), [dm("U0YUKI"), dm("U0ALICE")], afternoon_tokyo)
    assert [p["channel"] for p in client.posts] == ["U0YUKI"]
    [alice] = held(session_factory)
    assert alice.channel == "U0ALICE"
    assert alice.due_at == datetime(2026, 4, 1, 8, tzinfo=LA).astimezone(UTC)  # 15:00 UTC

    # 01:00 Thursday in Tokyo is 09:00 Wednesday in Los Angeles: the other way round
    night_tokyo = datetime(2026, 4, 1, 16, tzinfo=UTC)
    send(session_factory, gateway(client), [dm("U0YUKI"), dm("U0ALICE")], night_tokyo)
    assert [p["channel"] for p in client.posts] == ["U0YUKI", "U0ALICE"]
    yuki = held(session_factory)[-1]
    assert yuki.channel == "U0YUKI"
    assert yuki.due_at == datetime(2026, 4, 2, 8, tzinfo=JST).astimezone(UTC)


def test_an_unknown_zone_falls_back_to_the_programme_zone(session_factory):
    client = FakeClient(users={"U0NOTZ": ("", "en-US"), **USERS})
    now = datetime(2026, 4, 1, 23, tzinfo=JST)  # 07:00 Wednesday in Los Angeles: also quiet
    send(session_factory, gateway(client), [dm("U0NOTZ"), dm("U0GONE")], now)
    assert client.posts == []
    assert [row.due_at for row in held(session_factory)] == [
        datetime(2026, 4, 2, 8, tzinfo=JST).astimezone(UTC)
    ] * 2


# --- weekends and holidays ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("when", "zone", "due"),
    [
        # Friday night before Golden Week: Sat 2, Sun 3, and 4–6 May are public holidays
        (datetime(2026, 5, 1, 22, 30), JST, datetime(2026, 5, 7, 8)),
        (datetime(2026, 5, 4, 12, 0), JST, datetime(2026, 5, 7, 8)),  # midday on a holiday
        (datetime(2026, 5, 5, 10, 0), LA, datetime(2026, 5, 7, 8)),  # judged on LA's date
        (datetime(2026, 4, 4, 12, 0), JST, datetime(2026, 4, 6, 8)),  # a Saturday
        (datetime(2026, 4, 5, 23, 0), JST, datetime(2026, 4, 6, 8)),  # Sunday night
        (datetime(2026, 4, 3, 12, 0), JST, None),  # a Friday at noon: now
    ],
)
def test_weekends_and_japanese_holidays_wait_for_the_next_business_morning(when, zone, due):
    now = when.replace(tzinfo=zone)
    expected = now if due is None else due.replace(tzinfo=zone)
    assert send_time(now.astimezone(UTC), zone, SETTINGS) == expected


def test_a_golden_week_alert_is_stored_until_the_seventh(session_factory):
    client = FakeClient()
    send(session_factory, gateway(client), [dm("U0YUKI")], datetime(2026, 5, 4, 3, tzinfo=UTC))
    [row] = held(session_factory)
    assert row.due_at.astimezone(JST) == datetime(2026, 5, 7, 8, tzinfo=JST)
    assert client.posts == []


# --- what is held, and how ------------------------------------------------------------------
def test_held_messages_are_rendered_now_in_the_recipients_language_with_a_note(session_factory):
    now = datetime(2026, 4, 1, 6, 14, tzinfo=UTC)  # 23:14 Tuesday in LA, 15:14 in Tokyo
    send(session_factory, gateway(), [dm("U0ALICE")], now)
    [row] = held(session_factory)
    assert row.lang is None  # the recipient's own, chosen when sent
    english = row.renders["en"]
    assert english["text"] == "Compute use over plan [en]"
    assert english["blocks"][0]["text"]["text"] == "Compute use over plan [en]"
    note = english["blocks"][-1]
    assert note["type"] == "context"
    assert "quiet hours" in note["elements"][0]["text"]
    assert "2026-03-31 23:14 PDT" in note["elements"][0]["text"]
    japanese = row.renders["ja"]["blocks"][-1]["elements"][0]["text"]
    assert "2026-03-31 23:14 PDT" in japanese and "quiet hours" not in japanese


def test_only_new_dms_marked_for_quiet_hours_are_held(session_factory):
    client = FakeClient()
    night = datetime(2026, 4, 1, 23, tzinfo=JST)
    notices = [
        dm("U0YUKI", text="Your usage report is recorded", quiet=False),  # a confirmation
        dm("C0OPS", text="operator copy"),  # a channel
        dm("U0YUKI", text="Acknowledged", ts="1.000"),  # an update in place
    ]
    client_update = []
    client.chat_update = lambda **kwargs: client_update.append(kwargs) or {"ok": True}
    send(session_factory, gateway(client), notices, night)
    assert held(session_factory) == []
    assert [p["channel"] for p in client.posts] == ["U0YUKI", "C0OPS"]
    assert [u["ts"] for u in client_update] == ["1.000"]


def test_if_storing_fails_nothing_is_sent_and_the_error_is_raised(tmp_path):
    """Every message is stored before it is sent: with no database, the caller's operation
    fails (the person sees the generic error), and nothing half-done reaches Slack."""
    engine = make_engine(f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}")  # no tables
    client = FakeClient()
    try:
        night = datetime(2026, 4, 1, 23, tzinfo=JST)
        with pytest.raises(OperationalError):
            send(make_session_factory(engine), gateway(client), [dm("U0YUKI")], night)
    finally:
        engine.dispose()
    assert client.posts == []


# --- end to end -----------------------------------------------------------------------------
def test_a_confirmation_dm_is_never_deferred_but_the_alert_waits(harness):
    """Alice (Los Angeles) reports at 00:00 her time: her confirmation comes at once, the
    operator copy too; the over-plan alert DM waits for her 08:00 and still works then."""
    harness.clock.moment = datetime(2026, 4, 1, 7, tzinfo=UTC)  # 00:00 PDT, 16:00 JST
    d = harness.driver
    d.command("U0ALICE", "/compute report")
    d.fill("U0ALICE", {"GPU-hours used": "2000"})
    shown = harness.sandbox.render("dm:U0ALICE")
    assert "Your usage report is recorded" in shown
    assert "over plan" not in shown
    assert "Alpha AI" in harness.sandbox.render("#secretariat")  # the operator copy
    [row] = held(harness.session_factory)
    assert row.due_at == datetime(2026, 4, 1, 8, tzinfo=LA).astimezone(UTC)

    harness.clock.moment = datetime(2026, 4, 1, 14, 55, tzinfo=UTC)  # 07:55 PDT
    assert run_outbox(deps=harness.deps, now=harness.clock.now()) == 0
    harness.clock.moment = datetime(2026, 4, 1, 15, tzinfo=UTC)  # 08:00 PDT
    assert run_outbox(deps=harness.deps, now=harness.clock.now()) == 1
    alert = harness.sandbox.conversation("dm:U0ALICE")[-1]
    assert "over plan" in alert.rendered and "quiet hours" in alert.rendered
    assert d.click("U0ALICE", "Acknowledge", "dm").status == 200
    assert "Acknowledged by @alice" in harness.sandbox.render("dm:U0ALICE")
