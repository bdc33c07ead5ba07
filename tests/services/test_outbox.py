"""The outbox (issue #10): a notice is stored in the transaction that causes it and sent once,
whatever Slack does for a while — HTTP 500, a timeout before or after the post was made, rate
limits — and whatever happens to the sender (a claim left by a process that died).

Faults come from the sandbox (`bot.sandbox.faults`); the gateway here has a short timeout so a
"timeout" fault costs a second. Each test checks what people see (the sandbox's
conversations) and the rows stored.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.blocks.common import Message
from bot.clients.slack import Notice, SlackGateway, make_web_client
from bot.services.delivery import BACKOFF, RETRY_FOR, send, unit_of_work
from bot.services.outbox import enqueue
from storage import outbox as store
from storage.outbox import LEASE, OutboxMessage

FAST = 0.3  # the gateway's timeout, seconds; a "timeout" fault waits longer


def gateway(h, timeout: float = FAST) -> SlackGateway:
    client = make_web_client("xoxb-sandbox", h.sandbox.api_url, timeout=timeout)
    return SlackGateway(client, default_lang="ja", operator_channel="C0OPS")


def note(channel: str, text: str, **extra) -> Notice:
    return Notice(
        channel=channel,
        render=lambda lang: Message(f"{text} [{lang}]"),
        kind=extra.pop("kind", "alert"),
        **extra,
    )


def queue(h, gw, notices, now=None) -> list[int]:
    """Store `notices` for the next run of the outbox to send (as a job leaves them)."""
    with h.session_factory.begin() as session:
        queued = enqueue(session, notices, now=now or h.clock.now(), default_lang="ja")
    return [row_id for row_id, _notice in queued]


def run(h, gw, now=None):
    return send(
        session_factory=h.session_factory, gateway=gw, settings=h.settings, now=now or h.clock.now()
    )


def texts(h, conversation: str) -> list[str]:
    return [e.text for e in h.sandbox.conversation(conversation) if e.kind == "message"]


def rows(h, channel: str | None = None) -> list[OutboxMessage]:
    """The outbox rows, of `channel` only when given."""
    with h.session_factory() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if channel:
            query = query.where(OutboxMessage.channel == channel)
        return list(session.exec(query))


def later(h, seconds: float):
    return h.clock.now() + timedelta(seconds=seconds)


# --- the unit of work ---------------------------------------------------------------------
def test_notices_are_stored_with_the_change_and_rolled_back_with_it(harness):
    h, gw = harness, gateway(harness)
    with pytest.raises(RuntimeError):
        with unit_of_work(
            session_factory=h.session_factory, gateway=gw, settings=h.settings, now=h.clock.now()
        ) as work:
            work.send([note("U0YUKI", "never")])
            raise RuntimeError("the change failed")
    assert rows(h) == [] and texts(h, "dm:U0YUKI") == []

    with unit_of_work(
        session_factory=h.session_factory, gateway=gw, settings=h.settings, now=h.clock.now()
    ) as work:
        work.send([note("U0YUKI", "over plan"), note("U0ALICE", "over plan")])
    assert texts(h, "dm:U0YUKI") == ["over plan [ja]"]
    assert texts(h, "dm:U0ALICE") == ["over plan [en]"]  # each in their own language
    assert [(r.sent_at is not None, bool(r.ts)) for r in rows(h)] == [(True, True)] * 2
    assert set(rows(h)[0].renders) == {"ja", "en"}  # rendered in both when stored


# --- Slack failing for a while --------------------------------------------------------------
def test_slack_500_for_a_while_delays_the_message_and_sends_it_once(harness):
    h, gw = harness, gateway(harness)
    fault = h.sandbox.faults.add("chat.postMessage", "error", status=500, count=2)
    queue(h, gw, [note("U0YUKI", "alert")])
    first = run(h, gw)
    assert (first.sent, first.waiting, first.failures) == (0, 1, [])
    [row] = rows(h)
    assert row.attempts == 1 and row.uncertain and "500" in row.last_error
    assert row.due_at == h.clock.now() + timedelta(seconds=BACKOFF.multiplier)
    assert run(h, gw).sent == 0  # not due yet: nothing tried
    assert fault.hits == 1
    second = run(h, gw, later(h, 30))  # due: it looks first (nothing there), posts, 500 again
    assert second.waiting == 1 and fault.hits == 2
    third = run(h, gw, later(h, 30 + 60))
    assert third.sent == 1
    assert texts(h, "dm:U0YUKI") == ["alert [ja]"]
    [row] = rows(h)
    assert row.sent_at is not None and row.ts == h.sandbox.conversation("dm:U0YUKI")[0].ts


def test_a_500_after_the_post_was_made_is_found_and_not_posted_again(harness):
    h, gw = harness, gateway(harness)
    h.sandbox.faults.add("chat.postMessage", "error", status=503, after=True, count=1)
    queue(h, gw, [note("C0DIGEST", "digest", lang="ja", kind="digest")])
    assert run(h, gw).waiting == 1
    assert texts(h, "#community-digest") == ["digest [ja]"]  # it did land
    assert run(h, gw, later(h, 30)).sent == 1
    assert texts(h, "#community-digest") == ["digest [ja]"]  # found by its key, not reposted
    [row] = rows(h)
    assert row.ts == h.sandbox.conversation("#community-digest")[0].ts


def test_a_timeout_after_the_post_was_made_does_not_post_twice(harness):
    h, gw = harness, gateway(harness)
    h.sandbox.faults.add("chat.postMessage", "timeout", delay=1.0, after=True, count=1)
    queue(h, gw, [note("U0KENJI", "reminder", kind="reminder")])
    report = run(h, gw)
    assert (report.sent, report.waiting) == (0, 1)
    [row] = rows(h)
    assert row.uncertain and "imeout" in row.last_error
    assert run(h, gw, later(h, 30)).sent == 1
    assert texts(h, "dm:U0KENJI") == ["reminder [ja]"]


def test_a_timeout_before_the_post_was_made_posts_it_on_the_retry(harness):
    h, gw = harness, gateway(harness)
    h.sandbox.faults.add("chat.postMessage", "timeout", delay=1.0, count=1)
    queue(h, gw, [note("U0KENJI", "reminder", kind="reminder")])
    assert run(h, gw).waiting == 1
    # the sandbox answers (and posts) only after the client gave up: wait for it to finish
    h.sandbox.faults.clear()
    assert run(h, gw, later(h, 30)).sent == 1
    assert len(texts(h, "dm:U0KENJI")) == 1


def test_rate_limits_beyond_the_sdks_retries_wait_for_retry_after_and_are_not_attempts(harness):
    h, gw = harness, gateway(harness, timeout=5)
    h.sandbox.faults.add("chat.postMessage", "ratelimited", retry_after=7, count=4)
    queue(h, gw, [note("U0YUKI", "alert")])
    report = run(h, gw)  # the SDK waits Retry-After three times, then gives the 429 to us
    assert report.waiting == 1
    [row] = rows(h)
    assert (row.attempts, row.last_error, row.uncertain) == (0, "ratelimited", False)
    assert row.due_at == h.clock.now() + timedelta(seconds=7)
    assert run(h, gw, later(h, 7)).sent == 1
    assert texts(h, "dm:U0YUKI") == ["alert [ja]"]
    statuses = [
        e["response"]["status"] for e in h.journal() if e.get("method") == "chat.postMessage"
    ]
    assert statuses == [429, 429, 429, 429, 200]  # every 429 retried, one post


def test_a_refusal_is_final_and_reported_to_the_operators(harness):
    h, gw = harness, gateway(harness)
    h.expected_failures = ["chat.postMessage: channel_not_found"]
    queue(h, gw, [note("C0NOWHERE", "digest", lang="en", kind="digest")])
    report = run(h, gw)
    assert [f.code for f in report.failures] == ["channel_not_found"]
    [row] = rows(h, "C0NOWHERE")
    assert row.failed_at is not None and row.sent_at is None
    [ops] = texts(h, "#secretariat")
    assert "C0NOWHERE" in ops and "channel_not_found" in ops
    assert run(h, gw, later(h, 3600)).sent == 0  # never again


def test_slack_failing_for_a_day_is_given_up_and_reported(harness):
    h, gw = harness, gateway(harness)
    queue(h, gw, [note("U0YUKI", "alert")])
    h.sandbox.faults.add("chat.postMessage", "error", status=500)
    now = h.clock.now()
    for _ in range(40):  # an operator running `kiban outbox send` again and again …
        run(h, gw, now)
        now += timedelta(minutes=1)
    [row] = rows(h, "U0YUKI")
    assert row.failed_at is None  # … does not use the message up: time does
    now = h.clock.now() + RETRY_FOR
    run(h, gw, now)
    h.sandbox.faults.clear()
    [row] = rows(h, "U0YUKI")
    assert row.failed_at is not None
    assert texts(h, "dm:U0YUKI") == []
    # the operators' note waited for Slack like any message, and goes once Slack is back
    [report] = rows(h, "C0OPS")
    assert report.sent_at is None and report.kind == "delivery_failed"
    assert run(h, gw, now + timedelta(hours=1)).sent == 1
    [ops] = texts(h, "#secretariat")
    assert "U0YUKI" in ops and "500" in ops


# --- a sender that died ---------------------------------------------------------------------
def _claim(h, row_id, now):
    with h.session_factory.begin() as session:
        assert store.claim(session, row_id, now=now)


def test_a_claim_left_by_a_dead_sender_waits_for_its_lease_then_is_found(harness):
    h, gw = harness, gateway(harness)
    [row_id] = queue(h, gw, [note("U0YUKI", "alert")])
    now = h.clock.now()
    _claim(h, row_id, now)  # the sender claimed it, posted it, and was killed
    with h.session_factory() as session:
        row = store.get(session, row_id)
        gw.post(row.channel, Message(row.renders["ja"]["text"]), key=row.key)
    assert run(h, gw, now + LEASE - timedelta(seconds=1)).sent == 0  # maybe still alive
    assert run(h, gw, now + LEASE + timedelta(seconds=1)).sent == 1  # taken over, found
    assert texts(h, "dm:U0YUKI") == ["alert [ja]"]


def test_a_claim_left_before_the_post_is_posted_once_after_its_lease(harness):
    h, gw = harness, gateway(harness)
    [row_id] = queue(h, gw, [note("U0YUKI", "alert")])
    _claim(h, row_id, h.clock.now())  # killed before calling Slack
    assert run(h, gw, h.clock.now() + LEASE + timedelta(seconds=1)).sent == 1
    assert texts(h, "dm:U0YUKI") == ["alert [ja]"]


def test_two_senders_at_once_post_each_message_once(harness):
    import threading

    h = harness
    queue(h, gateway(h), [note(user, "alert") for user in ("U0YUKI", "U0KENJI", "U0HANA")] * 3)
    threads = [threading.Thread(target=run, args=(h, gateway(h, timeout=5))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for user in ("U0YUKI", "U0KENJI", "U0HANA"):
        assert texts(h, f"dm:{user}") == ["alert [ja]"] * 3
    assert all(r.sent_at is not None for r in rows(h))


# --- threads and files ----------------------------------------------------------------------
def test_a_long_digest_waits_for_its_first_message_then_goes_in_its_thread(harness):
    h, gw = harness, gateway(harness)
    parts = Notice(
        channel="C0DIGEST",
        render=lambda lang: Message("part 1"),
        lang="en",
        kind="digest",
        parts=lambda lang: [Message("part 1"), Message("part 2"), Message("part 3")],
    )
    h.sandbox.faults.add("chat.postMessage", "error", status=500, count=1)
    queue(h, gw, [parts])
    report = run(h, gw)
    assert report.sent == 0 and report.waiting == 3  # the first failed; the rest wait for it
    assert texts(h, "#community-digest") == []
    assert run(h, gw, later(h, 30)).sent == 3
    first, *replies = h.sandbox.conversation("#community-digest")
    assert [first.text, *(r.text for r in replies)] == ["part 1", "part 2", "part 3"]
    assert all(r.raw.get("thread_ts") == first.ts for r in replies)
    assert [r.kind for r in rows(h)] == ["digest", "digest_continued", "digest_continued"]


def test_files_are_stored_with_their_message_and_uploaded(harness):
    h, gw = harness, gateway(harness, timeout=5)
    export = Notice(
        channel="U0YUKI",
        render=lambda lang: Message(f"export [{lang}]"),
        kind="export",
        files=[("usage.csv", "org,gpu_hours\nORGA,12\n"), ("chart.png", b"\x89PNG\r\n")],
    )
    queue(h, gw, [export])
    assert run(h, gw).sent == 1
    [shared] = [e for e in h.sandbox.conversation("dm:U0YUKI") if e.kind == "file"]
    assert shared.text == "export [ja]"
    assert [f["name"] for f in shared.raw["files"]] == ["usage.csv", "chart.png"]
    [row] = rows(h)
    with h.session_factory() as session:
        assert store.files_for(session, [row.id])[row.id][0] == (
            "usage.csv",
            b"org,gpu_hours\nORGA,12\n",
        )


def test_finished_rows_are_purged_after_thirty_days(harness):
    from jobs.delivery import PURGE_AFTER, run_outbox_purge

    h, gw = harness, gateway(harness)
    queue(h, gw, [note("U0YUKI", "alert")])
    run(h, gw)
    assert run_outbox_purge(deps=h.deps, now=h.clock.now() + PURGE_AFTER - timedelta(hours=1)) == 0
    assert run_outbox_purge(deps=h.deps, now=h.clock.now() + PURGE_AFTER + timedelta(hours=1)) == 1
    assert rows(h) == []


def test_an_upload_whose_answer_was_lost_is_found_or_shared_once(harness):
    h, gw = harness, gateway(harness)
    h.sandbox.faults.add("files.completeUploadExternal", "timeout", delay=1.0, after=True, count=1)
    queue(
        h,
        gw,
        [
            Notice(
                channel="C0OPS",
                render=lambda lang: Message("chart"),
                lang="en",
                kind="digest_chart",
                files=[("chart.png", b"\x89PNG\r\n")],
            )
        ],
    )
    assert run(h, gw).waiting == 1  # shared, but the answer never came
    [row] = rows(h)
    assert row.uncertain and len(row.file_ids) == 1  # prepared before sharing, recorded
    assert run(h, gw, later(h, 30)).sent == 1  # files.info says it is shared: done
    assert len([e for e in h.sandbox.conversation("#secretariat") if e.kind == "file"]) == 1

    # shared never (the answer lost before it was carried out): shared on the retry, once,
    # with the files already uploaded
    h.sandbox.faults.add("files.completeUploadExternal", "error", status=500, count=1)
    queue(
        h,
        gw,
        [
            Notice(
                channel="C0OPS",
                render=lambda lang: Message("chart 2"),
                lang="en",
                kind="digest_chart",
                files=[("chart2.png", b"\x89PNG\r\n")],
            )
        ],
    )
    assert run(h, gw).waiting == 1
    prepared = rows(h)[-1].file_ids
    assert run(h, gw, later(h, 30)).sent == 1
    shared = [e for e in h.sandbox.conversation("#secretariat") if e.kind == "file"]
    assert len(shared) == 2 and shared[-1].raw["files"][0]["id"] == prepared[0]
    uploads = [e for e in h.journal() if e.get("method") == "files.getUploadURLExternal"]
    assert len(uploads) == 2  # each file uploaded once


def test_slack_out_of_reach_stops_the_run_after_the_first_failure(harness):
    """Each message would otherwise wait out its own timeout (and log it): the first failure
    in transit leaves the others, untried, for the next run."""
    h = harness
    down = SlackGateway(
        make_web_client("xoxb-sandbox", "http://127.0.0.1:9/api/", timeout=FAST),
        operator_channel="C0OPS",
    )
    queue(h, down, [note(user, "alert") for user in ("U0YUKI", "U0KENJI", "U0HANA")])
    report = run(h, down)
    assert (report.sent, report.waiting) == (0, 3)
    first, *others = rows(h)
    assert first.attempts == 1 and "network error" in first.last_error
    assert [(r.attempts, r.last_error) for r in others] == [(0, None), (0, None)]
    assert sum("not tried: Slack out of reach" in line for line in report.delayed) == 2
    assert run(h, gateway(h), later(h, 30)).sent == 3  # Slack is back


def test_a_unit_of_work_that_died_before_sending_leaves_its_messages_to_the_job(harness):
    """A unit of work queues its notices claimed (its own flush sends them without another
    write); if the process dies between the commit and that flush, the job takes them over
    once the claim lapses, and finds nothing posted, so it posts each once."""
    h, gw = harness, gateway(harness)
    with unit_of_work(
        session_factory=h.session_factory,
        gateway=gw,
        settings=h.settings,
        now=h.clock.now(),
        flush=False,  # committed, then the process "died": never flushed
    ) as work:
        work.send([note("U0YUKI", "alert"), note("U0KENJI", "alert")])
    assert run(h, gw).sent == 0  # claimed by the (dead) unit of work
    assert run(h, gw, h.clock.now() + LEASE + timedelta(seconds=1)).sent == 2
    assert texts(h, "dm:U0YUKI") == ["alert [ja]"] and texts(h, "dm:U0KENJI") == ["alert [ja]"]


def test_a_unit_of_work_sends_all_it_queued_however_many(harness, monkeypatch):
    """A fan-out larger than the job's page (500 rows a run) still goes at once: a unit of
    work sends every row it queued (they were claimed for it)."""
    from storage import outbox as outbox_store

    h = harness
    monkeypatch.setattr(outbox_store.due, "__kwdefaults__", {"ids": None, "owned": (), "limit": 3})
    with unit_of_work(
        session_factory=h.session_factory,
        gateway=gateway(h),
        settings=h.settings,
        now=h.clock.now(),
    ) as work:
        work.send([note(user, "alert") for user in ("U0YUKI", "U0KENJI", "U0HANA", "U0SATO")])
    assert work.report.sent == 4 and all(r.sent_at for r in rows(h))
