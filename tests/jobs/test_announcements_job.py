"""The `announcements` job: a scheduled announcement is published at its time and not before,
once even when two processes run the job at once; a cancelled one never goes out; each
channel's post goes through the outbox (queued with the claim) and is recorded with its ts or
Slack's refusal, then the operators are told; a publication whose process died after the
claim is taken over later and resumes with the channels not yet posted to."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from bot.deps import Deps
from bot.services import announcements
from bot.settings import Settings
from jobs.announcements import run_announcements
from jobs.delivery import run_outbox
from storage.announcements import Announcement
from tests.services.test_quiet_hours import FakeClient, gateway

SETTINGS = Settings(
    _env_file=None,
    operator_channel="C0OPS",
    digest_channel="C0DIGEST",
    announcement_channels=["C0NEWS", "C0LOUNGE"],
)
PUBLISH = datetime(2026, 4, 2, 1, 0, tzinfo=UTC)  # 10:00 JST


def deps(factory, client, settings=SETTINGS) -> Deps:
    return Deps(settings=settings, session_factory=factory, slack=gateway(client))


def add(factory, **values) -> int:
    base = dict(
        title={"ja": "お知らせ", "en": "Notice"},
        body={"ja": "本文", "en": "Body"},
        to_channels=True,
        to_public=True,
        publish_at=PUBLISH,
        status="scheduled",
        author="U0SATO",
        approved_by="U0GAKU",
        created_at=PUBLISH - timedelta(days=1),
    )
    base.update(values)
    with factory.begin() as session:
        row = Announcement(**base)
        session.add(row)
        session.flush()
        return row.id


def row(factory, announcement_id=1) -> Announcement:
    with factory() as session:
        return session.get(Announcement, announcement_id)


def channels(client) -> list[str]:
    return [p["channel"] for p in client.posts]


def test_published_at_its_time_and_not_before(session_factory):
    add(session_factory)
    client = FakeClient()
    assert (
        run_announcements(deps=deps(session_factory, client), now=PUBLISH - timedelta(seconds=1))
        == 0
    )
    assert client.posts == [] and row(session_factory).status == "scheduled"

    assert run_announcements(deps=deps(session_factory, client), now=PUBLISH) == 1
    assert channels(client) == ["C0NEWS", "C0LOUNGE", "C0OPS"]
    news = client.posts[0]
    assert "お知らせ" in news["text"] and "Notice" in news["text"]  # both languages, one post
    assert "C0NEWS" in client.posts[2]["text"] and "C0LOUNGE" in client.posts[2]["text"]
    published = row(session_factory)
    assert published.status == "published" and published.published_at == PUBLISH
    assert published.posted == [
        {"channel": "C0NEWS", "ts": "1.000"},
        {"channel": "C0LOUNGE", "ts": "2.000"},
    ]
    assert (
        run_announcements(deps=deps(session_factory, client), now=PUBLISH + timedelta(minutes=5))
        == 0
    )
    assert len(client.posts) == 3


def test_the_digest_channel_by_default_and_public_only(session_factory):
    add(session_factory)
    add(session_factory, to_channels=False)
    client = FakeClient()
    plain = Settings(_env_file=None, operator_channel="C0OPS", digest_channel="C0DIGEST")
    assert run_announcements(deps=deps(session_factory, client, plain), now=PUBLISH) == 2
    assert channels(client) == ["C0DIGEST", "C0OPS", "C0OPS"]
    assert row(session_factory, 2).status == "published" and row(session_factory, 2).posted == []


@pytest.mark.parametrize("status", ["cancelled", "awaiting_approval"])
def test_never_goes_out_unless_scheduled(session_factory, status):
    add(session_factory, status=status, approved_by=None)
    client = FakeClient()
    assert (
        run_announcements(deps=deps(session_factory, client), now=PUBLISH + timedelta(days=1)) == 0
    )
    # nothing goes out; an unapproved one past its time is only told to the operators
    assert [p["channel"] for p in client.posts] == (
        ["C0OPS"] if status == "awaiting_approval" else []
    )
    assert row(session_factory).status == status


def test_two_processes_post_once(session_factory):
    add(session_factory)
    add(session_factory, to_public=False, approved_by=None)
    client = FakeClient()
    start, counts = threading.Barrier(2), []

    def replica():
        start.wait()
        counts.append(run_announcements(deps=deps(session_factory, client), now=PUBLISH))

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 2
    assert sorted(channels(client)) == sorted(["C0NEWS", "C0LOUNGE", "C0OPS"] * 2)
    assert all(row(session_factory, n).status == "published" for n in (1, 2))


def test_a_refused_channel_is_recorded_and_reported(session_factory):
    add(session_factory)
    client = FakeClient(fail=["not_in_channel"])
    assert run_announcements(deps=deps(session_factory, client), now=PUBLISH) == 1
    assert channels(client) == ["C0LOUNGE", "C0OPS"]
    assert row(session_factory).posted == [
        {"channel": "C0NEWS", "error": "not_in_channel"},
        {"channel": "C0LOUNGE", "ts": "1.000"},
    ]
    note = client.posts[1]["text"]
    assert "<#C0NEWS> (not_in_channel)" in note and "拒否" in note


def test_a_failure_in_transit_waits_for_the_outbox_then_publishes(session_factory):
    add(session_factory)
    client = FakeClient(fail=[TimeoutError("read timed out")])
    assert run_announcements(deps=deps(session_factory, client), now=PUBLISH) == 0
    assert channels(client) == []  # the news post failed in transit; the lounge's waits too
    assert row(session_factory).status == "publishing"

    later = PUBLISH + timedelta(minutes=1)
    assert run_outbox(deps=deps(session_factory, client), now=later) == 2  # looked, then posted
    assert run_announcements(deps=deps(session_factory, client), now=later) == 1
    assert channels(client) == ["C0NEWS", "C0LOUNGE", "C0OPS"]  # each once, then the note
    assert row(session_factory).posted == [
        {"channel": "C0NEWS", "ts": "1.000"},
        {"channel": "C0LOUNGE", "ts": "2.000"},
    ]


def test_a_crash_after_the_claim_is_taken_over_later(session_factory):
    add(session_factory)
    with session_factory.begin() as session:  # a process claimed it, posted once, then died
        claimed = announcements.claim(
            session=session, announcement_id=1, settings=SETTINGS, now=PUBLISH
        )
        assert claimed.channels == ["C0NEWS", "C0LOUNGE"]
    with session_factory.begin() as session:
        announcements.record_post(
            session, announcement_id=1, entry={"channel": "C0NEWS", "ts": "9.000"}
        )
    client = FakeClient()
    soon = PUBLISH + timedelta(minutes=5)
    assert run_announcements(deps=deps(session_factory, client), now=soon) == 0  # still its own
    assert client.posts == [] and row(session_factory).status == "publishing"

    later = PUBLISH + announcements.STALE_CLAIM + timedelta(minutes=5)
    assert run_announcements(deps=deps(session_factory, client), now=later) == 1
    assert channels(client) == ["C0LOUNGE", "C0OPS"]  # only the channel not yet posted to
    published = row(session_factory)
    assert published.status == "published" and published.published_at == later
    assert published.posted == [
        {"channel": "C0NEWS", "ts": "9.000"},
        {"channel": "C0LOUNGE", "ts": "1.000"},
    ]


def test_cancelled_between_listing_and_claim_is_not_posted(session_factory):
    add(session_factory)
    with session_factory.begin() as session:
        due = announcements.due_ids(session, PUBLISH)
        session.get(Announcement, 1).status = "cancelled"
    assert due == [1]
    with session_factory.begin() as session:
        assert (
            announcements.claim(session=session, announcement_id=1, settings=SETTINGS, now=PUBLISH)
            is None
        )
