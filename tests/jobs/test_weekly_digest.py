"""The weekly digest job through the Slack sandbox: a digest longer than 50 blocks is posted as
its first message and the rest in that message's thread, in both channels; a first message Slack
refuses is reported and takes no continuation with it; two processes running the job at once
post it once; the channel's language decides the digest's."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from bot.app import create_app
from bot.scenario.harness import Harness
from jobs.compute import run_weekly_digest
from storage.db import make_engine, make_session_factory
from storage.trends import TrendItem
from tests.conftest import APRIL_FIRST, SETTINGS, SETUP_YAML, WORKSPACE

MONDAY = datetime(2026, 4, 6, 0, 0, tzinfo=UTC)  # 09:00 JST: the digest's slot
THEMES = ("international", "use_cases", "economic", "other")


def add_trends(h, count: int, now: datetime = MONDAY) -> None:
    """`count` trend items collected in the day before `now`, one theme after another."""
    with h.deps.session_factory.begin() as session:
        for n in range(count):
            added = now - timedelta(hours=1, minutes=n)
            session.add(
                TrendItem(
                    url=f"https://news.example/{n}",
                    original_url=f"https://news.example/{n}",
                    title=f"Trend item {n:02d} <!here>",
                    source="feed",
                    added_at=added,
                    month="2026-04",
                    theme=THEMES[n % len(THEMES)],
                )
            )


def _items(entries) -> list[str]:
    return sorted(
        block["text"]["text"]
        for entry in entries
        for block in entry.blocks or []
        if block["type"] == "section" and block["text"]["text"].startswith("<https://news")
    )


def _thread(h, conversation: str):
    """The conversation's digest message and the replies in its thread."""
    entries = [e for e in h.sandbox.conversation(conversation) if e.kind == "message"]
    heads = [e for e in entries if not e.raw.get("thread_ts")]
    return heads, [e for e in entries if e.raw.get("thread_ts")]


def test_a_digest_over_50_blocks_continues_in_the_thread_of_its_first_message(harness):
    add_trends(harness, 60)
    assert run_weekly_digest(deps=harness.deps, now=MONDAY) == 3  # shared, charts, activity

    [head], replies = _thread(harness, "#community-digest")
    assert len(replies) == 1 and replies[0].raw["thread_ts"] == head.ts
    assert len(head.blocks) == 50 and len(replies[0].blocks) <= 50
    assert head.blocks[0]["text"]["text"] == "週次ダイジェスト（2026-04-06）"  # default: ja
    assert replies[0].text == "週次ダイジェスト（2026-04-06）: 続き（2/2）"
    assert "Alpha AI" in head.rendered  # compute comes first, in the channel
    items = _items([head, *replies])
    assert items == sorted(
        f"<https://news.example/{n}|Trend item {n:02d} &lt;!here&gt;>" for n in range(60)
    )
    assert "<!here>" not in json.dumps([head.blocks, replies[0].blocks])  # shown, never live

    # the operators: the figures with their charts, then the activity and its continuation
    entries = harness.sandbox.conversation("#secretariat")
    assert [e.kind for e in entries] == ["file", "message", "message"]
    [activity], [more] = _thread(harness, "#secretariat")
    assert more.raw["thread_ts"] == activity.ts
    assert "事務局向け" in activity.rendered and "続き（2/2）" in more.text
    assert len(_items([activity, more])) == 60

    # posted in order: the first message, then its thread
    posts = [
        r
        for r in harness.journal()
        if r.get("method") == "chat.postMessage" and r["direction"] == "bot->slack"
    ]
    threads = [(r["request"]["channel"], r["request"].get("thread_ts")) for r in posts]
    assert threads == [
        ("C0DIGEST", None),
        ("C0DIGEST", head.ts),
        ("C0OPS", None),
        ("C0OPS", activity.ts),
    ]
    # the week is claimed: running again (a restart, another process) posts nothing
    before = len(harness.sandbox.conversation("#community-digest"))
    assert run_weekly_digest(deps=harness.deps, now=MONDAY + timedelta(hours=2)) == 0
    assert len(harness.sandbox.conversation("#community-digest")) == before


def test_a_digest_that_fits_is_one_message_without_a_thread(harness):
    add_trends(harness, 5)
    run_weekly_digest(deps=harness.deps, now=MONDAY)
    [head], replies = _thread(harness, "#community-digest")
    assert replies == [] and len(_items([head])) == 5


@contextmanager
def _harness(tmp_path, workspace=WORKSPACE, **settings):
    journal = tmp_path / "journal.jsonl"
    with Harness(
        workspace=workspace,
        settings={**SETTINGS, **settings},
        start=APRIL_FIRST,
        journal_path=journal,
    ) as h:
        h.admin_import(SETUP_YAML)
        h.journal = lambda: [json.loads(line) for line in journal.read_text().splitlines()]
        yield h


def test_a_refused_first_message_is_reported_and_its_continuation_not_posted(tmp_path):
    channels = [
        {**c, "bot_member": False} if c["name"] == "community-digest" else c
        for c in WORKSPACE["channels"]
    ]
    with _harness(tmp_path, {**WORKSPACE, "channels": channels}) as h:
        add_trends(h, 60)
        run_weekly_digest(deps=h.deps, now=MONDAY)
        assert h.sandbox.conversation("#community-digest") == []
        assert h.sandbox.failures == ["chat.postMessage: not_in_channel"]  # one try, no reply
        seen = h.sandbox.render("#secretariat")
        assert seen.count("#community-digest 宛て: `not_in_channel`") == 1  # reported once
        assert "/invite @Kiban" in seen
        # the operators' own digest still went, continued in its thread
        heads, [more] = _thread(h, "#secretariat")
        [activity] = [e for e in heads if "活動状況" in e.rendered]
        assert more.raw["thread_ts"] == activity.ts


def test_two_processes_running_the_job_at_once_post_it_once(tmp_path):
    with _harness(tmp_path) as h:
        add_trends(h, 60)
        engine = make_engine(h.settings.database_url)  # a second process: its own app and pool
        try:
            _, other = create_app(h.settings, make_session_factory(engine), clock=h.clock.now)
            results = []
            barrier = threading.Barrier(2)

            def run(deps):
                barrier.wait()
                results.append(run_weekly_digest(deps=deps, now=MONDAY))

            threads = [threading.Thread(target=run, args=(d,)) for d in (h.deps, other)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        finally:
            engine.dispose()
        assert sorted(results) == [0, 3]
        [head], replies = _thread(h, "#community-digest")
        assert len(replies) == 1
        assert [e.kind for e in h.sandbox.conversation("#secretariat")] == [
            "file",
            "message",
            "message",
        ]
        assert h.sandbox.failures == []


def test_the_digest_speaks_the_programmes_default_language(tmp_path):
    with _harness(tmp_path, default_language="en") as h:
        add_trends(h, 60)
        run_weekly_digest(deps=h.deps, now=MONDAY)
        [head], [more] = _thread(h, "#community-digest")
        assert head.blocks[0]["text"]["text"] == "Weekly digest (2026-04-06)"
        assert "*Compute*" in head.rendered and "International development (15)" in head.rendered
        assert more.text == "Weekly digest (2026-04-06): continued (2/2)"
        [activity], [_] = _thread(h, "#secretariat")
        assert "Weekly digest for the secretariat: programme activity" in activity.rendered
        assert h.sandbox.failures == []
