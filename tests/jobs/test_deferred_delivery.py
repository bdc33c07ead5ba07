"""The `deferred_messages` job: a held-back DM is posted once when due, even by two processes
at once; a post Slack refuses is retried, then reported to the operator channel and given up;
a post that may have reached Slack (a timeout) is never repeated."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.services.delivery import MAX_ATTEMPTS, send_due
from jobs.delivery import run_deferred_messages
from tests.services.test_quiet_hours import FakeClient, dm, gateway, held, send

JST = ZoneInfo("Asia/Tokyo")
NIGHT = datetime(2026, 4, 1, 23, tzinfo=JST)  # Wednesday 23:00 JST
MORNING = datetime(2026, 4, 2, 8, tzinfo=JST)  # when a Tokyo recipient's DM is due


def _hold(factory, user="U0YUKI", due=MORNING):
    send(factory, gateway(), [dm(user)], NIGHT)
    [row] = held(factory)
    assert row.due_at == due.astimezone(UTC)
    return row


def _run(factory, client, now):
    return send_due(session_factory=factory, gateway=gateway(client), now=now)


def test_a_held_message_is_posted_once_when_due(harness):
    send(harness.session_factory, harness.deps.slack, [dm("U0YUKI")], NIGHT)
    assert harness.sandbox.conversation("dm:U0YUKI") == []

    before = MORNING - timedelta(minutes=5)
    assert run_deferred_messages(deps=harness.deps, now=before) == 0
    assert run_deferred_messages(deps=harness.deps, now=MORNING) == 1
    assert run_deferred_messages(deps=harness.deps, now=MORNING + timedelta(minutes=5)) == 0

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
    [row] = held(harness.session_factory)
    assert row.sent_at == MORNING.astimezone(UTC) and row.attempts == 1


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


def test_a_refused_post_is_retried_on_the_next_run(session_factory):
    _hold(session_factory)
    client = FakeClient(fail=["fatal_error"])
    assert _run(session_factory, client, MORNING) == 0
    [row] = held(session_factory)
    assert (row.sent_at, row.attempts, row.last_error) == (None, 1, "fatal_error")
    assert client.posts == []  # and nothing told the operators yet

    later = MORNING + timedelta(minutes=5)
    assert _run(session_factory, client, later) == 1
    assert [p["channel"] for p in client.posts] == ["U0YUKI"]
    [row] = held(session_factory)
    assert (row.sent_at, row.attempts) == (later.astimezone(UTC), 2)
    assert _run(session_factory, client, later + timedelta(minutes=5)) == 0
    assert len(client.posts) == 1


def test_a_post_refused_every_time_is_reported_then_given_up(session_factory):
    due = datetime(2026, 4, 1, 8, tzinfo=ZoneInfo("America/Los_Angeles"))
    _hold(session_factory, user="U0ALICE", due=due)  # 07:00 in LA: held until her 08:00
    client = FakeClient(fail=["account_inactive"] * MAX_ATTEMPTS)
    for n in range(MAX_ATTEMPTS):
        assert _run(session_factory, client, due + timedelta(minutes=5 * n)) == 0
        if n < MAX_ATTEMPTS - 1:
            assert client.posts == []  # retried quietly
    [report] = client.posts  # the last failure goes to the operator channel
    assert report["channel"] == "C0OPS"
    assert "<@U0ALICE>" in report["text"] and "account_inactive" in report["text"]
    [row] = held(session_factory)
    assert (row.sent_at, row.attempts) == (None, MAX_ATTEMPTS)
    assert "account_inactive" in row.last_error

    assert _run(session_factory, client, due + timedelta(hours=1)) == 0  # given up
    assert len(client.posts) == 1


def test_a_timeout_is_never_retried(session_factory):
    _hold(session_factory)
    client = FakeClient(fail=[TimeoutError("read timed out")])
    assert _run(session_factory, client, MORNING) == 0
    [row] = held(session_factory)
    assert row.sent_at is not None and "TimeoutError" in row.last_error  # maybe posted
    assert _run(session_factory, client, MORNING + timedelta(minutes=5)) == 0
    assert client.posts == []
