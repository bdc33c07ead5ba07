"""The `outbox` job and held-back DMs: posted once when due, even by two processes at once; a
post Slack cannot take now (fatal_error) is retried after a backoff; one Slack refuses for good
is reported to the operator channel at once and given up; a post that may have reached Slack
(a timeout) is looked for before it is posted again."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.services.delivery import send_due
from jobs.delivery import run_outbox
from storage.outbox import OutboxMessage
from tests.services.test_quiet_hours import SETTINGS, FakeClient, dm, gateway, held, send

JST = ZoneInfo("Asia/Tokyo")
NIGHT = datetime(2026, 4, 1, 23, tzinfo=JST)  # Wednesday 23:00 JST
MORNING = datetime(2026, 4, 2, 8, tzinfo=JST)  # when a Tokyo recipient's DM is due


def _hold(factory, user="U0YUKI", due=MORNING):
    send(factory, gateway(), [dm(user)], NIGHT)
    [row] = held(factory)
    assert row.due_at == due.astimezone(UTC)
    return row


def _run(factory, client, now):
    return send_due(session_factory=factory, gateway=gateway(client), settings=SETTINGS, now=now)


def _row(factory):
    with factory() as session:
        [row] = session.exec(select(OutboxMessage)).all()
        return row


def test_a_held_message_is_posted_once_when_due(harness):
    send(harness.session_factory, harness.deps.slack, [dm("U0YUKI")], NIGHT)
    assert harness.sandbox.conversation("dm:U0YUKI") == []

    before = MORNING - timedelta(minutes=5)
    assert run_outbox(deps=harness.deps, now=before) == 0
    assert run_outbox(deps=harness.deps, now=MORNING) == 1
    assert run_outbox(deps=harness.deps, now=MORNING + timedelta(minutes=5)) == 0

    posts = [
        r
        for r in harness.journal()
        if r["direction"] == "bot->slack"
        and r.get("method") == "chat.postMessage"
        and r["request"]["channel"] == "U0YUKI"
    ]
    assert len(posts) == 1
    [entry] = harness.sandbox.conversation("dm:U0YUKI")
    assert "Compute use over plan [ja]" in entry.rendered
    row = _row(harness.session_factory)
    assert row.sent_at == MORNING.astimezone(UTC) and row.attempts == 0 and row.ts == entry.ts


def test_two_processes_running_the_job_at_once_post_once(session_factory):
    _hold(session_factory)
    client = FakeClient()
    start = threading.Barrier(2)
    counts = []

    def replica():
        start.wait()
        counts.append(_run(session_factory, client, MORNING))

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 1]
    assert [p["channel"] for p in client.posts] == ["U0YUKI"]


def test_a_post_slack_cannot_take_now_is_retried_after_a_backoff(session_factory):
    _hold(session_factory)
    client = FakeClient(fail=["fatal_error"])
    assert _run(session_factory, client, MORNING) == 0
    row = _row(session_factory)
    assert (row.sent_at, row.attempts, row.last_error) == (None, 1, "fatal_error (HTTP 200)")
    assert row.due_at == MORNING.astimezone(UTC) + timedelta(seconds=30)
    assert client.posts == []  # and nothing told the operators

    later = MORNING + timedelta(minutes=5)
    assert _run(session_factory, client, later) == 1
    assert [p["channel"] for p in client.posts] == ["U0YUKI"]
    row = _row(session_factory)
    assert (row.sent_at, row.attempts) == (later.astimezone(UTC), 1)
    assert _run(session_factory, client, later + timedelta(minutes=5)) == 0
    assert len(client.posts) == 1


def test_a_post_slack_refuses_for_good_is_reported_at_once_and_given_up(session_factory):
    due = datetime(2026, 4, 1, 8, tzinfo=ZoneInfo("America/Los_Angeles"))
    _hold(session_factory, user="U0ALICE", due=due)  # 07:00 in LA: held until her 08:00
    client = FakeClient(fail=["account_inactive"])
    assert _run(session_factory, client, due) == 0
    [report] = client.posts  # the operator channel hears of it, through the outbox
    assert report["channel"] == "C0OPS"
    assert "<@U0ALICE>" in report["text"] and "account_inactive" in report["text"]
    with session_factory() as session:
        alice = session.exec(select(OutboxMessage).where(OutboxMessage.channel == "U0ALICE")).one()
    assert (alice.sent_at, alice.attempts, alice.last_error) == (None, 0, "account_inactive")
    assert alice.failed_at == due.astimezone(UTC)

    assert _run(session_factory, client, due + timedelta(hours=1)) == 0  # given up
    assert len(client.posts) == 1


def test_a_timeout_is_looked_for_then_posted_once(session_factory):
    _hold(session_factory)
    client = FakeClient(fail=[TimeoutError("read timed out")])
    assert _run(session_factory, client, MORNING) == 0
    row = _row(session_factory)
    assert row.sent_at is None and row.uncertain and "TimeoutError" in row.last_error
    assert _run(session_factory, client, MORNING + timedelta(minutes=5)) == 1
    assert [p["channel"] for p in client.posts] == ["U0YUKI"]
    # had the first post landed, the retry would have found it by its key
    assert client.posts[0]["metadata"]["event_payload"]["key"] == row.key
