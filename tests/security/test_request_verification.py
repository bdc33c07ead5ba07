"""Request verification through the production HTTP path (bot/server.py: waitress + Bolt's WSGI
adapter, as `kiban serve` runs it): the sandbox sends valid, stale, future, forged, altered,
replayed, header-less and `ssl_check` requests; only the valid ones run anything."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

import storage.schema  # noqa: F401 (registers every table)
from bot.sandbox.driver import VERIFICATION_TOKEN


@pytest.fixture
def h(harness):
    """The harness, counting listener runs (`h.runs[0]`)."""
    runs = [0]
    submit = harness.executor.submit

    def counting(fn, /, *args, **kwargs):
        runs[0] += 1
        return submit(fn, *args, **kwargs)

    harness.executor.submit = counting
    harness.runs = runs
    return harness


def command_body(h, text: str = "help") -> str:
    sb = h.sandbox
    alice = sb.workspace.user("U0ALICE")
    rurl = sb.state.issue_response_url(alice.id, f"dm:{alice.id}", alice.dm_id)
    return urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": sb.team_id,
            "channel_id": alice.dm_id,
            "user_id": "U0ALICE",
            "user_name": "alice",
            "command": "/compute",
            "text": text,
            "api_app_id": sb.app_id,
            "response_url": f"{sb.base_url}response/{rurl.token}",
            "trigger_id": sb.state.issue_trigger("U0ALICE"),
        }
    )


def event_body(h, event_id: str = "Ev0VERIFY01") -> str:
    sb = h.sandbox
    return json.dumps(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": sb.team_id,
            "api_app_id": sb.app_id,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": {
                "type": "app_home_opened",
                "user": "U0ALICE",
                "channel": "D0ALICE",
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
            "authorizations": [{"team_id": sb.team_id, "user_id": sb.bot_user_id, "is_bot": True}],
        }
    )


FORM = "application/x-www-form-urlencoded"


def row_counts(h) -> dict[str, int]:
    with h.session_factory() as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def bot_calls(h) -> list[str]:
    return [r.get("method") for r in h.sandbox.journal.records if r["direction"] == "bot->slack"]


def assert_refused(h, ack, before_rows, before_calls, before_runs, status=401) -> None:
    h.settle()
    time.sleep(0.2)  # anything started late would have called Slack by now
    assert ack.status == status, (ack.status, ack.body)
    assert "/compute report" not in ack.body
    assert h.runs[0] == before_runs  # no listener ran
    assert bot_calls(h) == before_calls  # nothing sent to Slack
    assert row_counts(h) == before_rows  # nothing stored


def snapshot(h):
    h.settle()
    return row_counts(h), bot_calls(h), h.runs[0]


def test_a_valid_signed_command_and_event_are_accepted(h):
    ack = h.driver.send_raw(command_body(h), FORM)
    h.settle()
    assert ack.status == 200
    assert "/compute report" in h.sandbox.render("ephemeral:U0ALICE")
    ack = h.driver.send_raw(event_body(h))
    h.settle()
    assert ack.status == 200
    assert "views.publish" in bot_calls(h)
    assert row_counts(h)["slack_event"] == 1


@pytest.mark.parametrize(
    "kind",
    ["stale", "just_stale", "future", "wrong_secret", "altered", "no_signature", "no_timestamp"]
    + ["no_headers", "garbage_signature", "garbage_timestamp", "empty_signature"],
)
@pytest.mark.parametrize("payload", ["command", "event"])
def test_a_request_not_signed_by_slack_now_is_refused_and_runs_nothing(h, kind, payload):
    before = snapshot(h)
    now = int(time.time())
    body, ctype = (command_body(h), FORM) if payload == "command" else (event_body(h), "")
    ctype = ctype or "application/json"
    forged = {
        "stale": dict(timestamp=now - 10 * 60),
        "just_stale": dict(timestamp=now - 5 * 60 - 5),  # Slack: older than 5 minutes
        "future": dict(timestamp=now + 10 * 60),
        "wrong_secret": dict(secret="not-the-signing-secret"),
        "altered": dict(
            signed_body=body, body=body.replace("help", "report").replace("Ev0", "Ev1")
        ),
        "no_signature": dict(omit=("X-Slack-Signature",)),
        "no_timestamp": dict(omit=("X-Slack-Request-Timestamp",)),
        "no_headers": dict(omit=("X-Slack-Signature", "X-Slack-Request-Timestamp")),
        "garbage_signature": dict(signature="v0=" + "0" * 64),
        "empty_signature": dict(signature="v0="),
        "garbage_timestamp": dict(timestamp="soon"),
    }[kind]
    body = forged.pop("body", body)
    ack = h.driver.send_raw(body, ctype, **forged)
    assert_refused(h, ack, *before)


def test_a_signed_body_altered_in_one_byte_is_refused(h):
    before = snapshot(h)
    body = command_body(h)
    ack = h.driver.send_raw(body + " ", FORM, signed_body=body)
    assert_refused(h, ack, *before)


def test_an_exact_replay_of_a_command_is_acknowledged_and_skipped(h):
    ack = h.driver.command("U0ALICE", "/compute help")
    assert ack.status == 200
    original = next(r for r in h.sandbox.journal.records if r.get("kind") == "slash_command")
    before = snapshot(h)
    replay = h.driver.resend(original)
    assert replay.body == ""  # an empty ack: nothing shown, nothing run
    assert_refused(h, replay, *before, status=200)


def test_an_exact_replay_of_an_event_is_acknowledged_and_skipped(h):
    h.driver.open_home("U0ALICE")
    original = next(r for r in h.sandbox.journal.records if r.get("kind") == "event_callback")
    rows, calls, runs = snapshot(h)
    replay = h.driver.resend(original)
    h.settle()
    assert replay.status == 200  # Slack must not retry it
    assert (row_counts(h), bot_calls(h), h.runs[0]) == (rows, calls, runs)


@pytest.mark.parametrize("signed", [True, False])
def test_ssl_check_is_answered_200_without_running_anything(h, signed):
    before_rows, before_calls, before_runs = snapshot(h)
    body = urlencode({"ssl_check": "1", "token": VERIFICATION_TOKEN})
    ack = h.driver.send_raw(
        body, FORM, omit=() if signed else ("X-Slack-Signature", "X-Slack-Request-Timestamp")
    )
    assert (ack.status, ack.body) == (200, "")
    # a command smuggled into an ssl_check does not run either
    smuggled = command_body(h) + "&ssl_check=1"
    ack = h.driver.send_raw(smuggled, FORM, omit=("X-Slack-Signature",))
    assert (ack.status, ack.body) == (200, "")
    h.settle()
    assert (row_counts(h), bot_calls(h), h.runs[0]) == (before_rows, before_calls, before_runs)


def test_an_unsigned_url_verification_is_refused(h):
    before = snapshot(h)
    body = json.dumps({"type": "url_verification", "challenge": "abc", "token": "x"})
    ack = h.driver.send_raw(body, omit=("X-Slack-Signature",))
    assert_refused(h, ack, *before)
    assert "abc" not in ack.body


def test_the_replay_guard_forgets_a_signature_once_its_timestamp_is_stale():
    from handlers.dedup import SIGNATURE_WINDOW_SECONDS, ReplayGuard

    now = [1_000_000.0]
    guard = ReplayGuard(clock=lambda: now[0])
    assert guard.first_time("v0=a", 1_000_000) and not guard.first_time("v0=a", 1_000_000)
    assert guard.first_time("v0=b", 1_000_000)
    now[0] += SIGNATURE_WINDOW_SECONDS  # Bolt still accepts the timestamp: still a replay
    assert not guard.first_time("v0=a", 1_000_000)
    now[0] += 2  # now Bolt refuses it as stale before the guard: forgotten
    assert guard.first_time("v0=a", 1_000_000)
    assert len(guard._seen) == 1
