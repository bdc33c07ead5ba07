"""The quarterly best-practice digest through the Slack sandbox (issue #9): on a quarter's first
business day only, once (two runs, or two processes, post once), with the practices approved
during the previous quarter grouped by area in the programme's language, and no post when none
was approved."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime

from sqlmodel import select

from jobs.practices import run_practice_digest
from storage.jobs import JobRun
from storage.members import get_org_by_code
from storage.practices import Practice


def jst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00").astimezone(UTC)


def add_and_approve(h, title: str, area: str, at: datetime, org_id: int | None = None) -> None:
    """A practice approved at `at` (the sandbox's buttons are exercised in the flow tests)."""
    with h.session_factory.begin() as session:
        session.add(
            Practice(
                title=title,
                body="body",
                area=area,
                status="approved",
                organization_id=org_id,
                submitted_by="U0KENJI",
                submitted_at=at,
                reviewed_by="U0SATO",
                reviewed_at=at,
            )
        )


def digest_posts(h) -> list[str]:
    return [e.rendered for e in h.sandbox.conversation("#community-digest") if e.kind == "message"]


def test_on_the_quarters_first_business_day_only_and_once(harness):
    add_and_approve(harness, "Q1 entry", "security", jst("2026-03-31T23:59:00"))
    add_and_approve(harness, "Ledger", "data_governance", jst("2026-04-01T00:00:00"))
    add_and_approve(harness, "Keys", "security", jst("2026-06-30T23:59:59"))
    with harness.session_factory() as session:
        orga = get_org_by_code(session, "ORGA").id
    add_and_approve(harness, "Masking", "privacy", jst("2026-05-10T10:00:00"), org_id=orga)
    add_and_approve(harness, "Q3 entry", "security", jst("2026-07-01T08:00:00"))
    for day in ("2026-06-30", "2026-07-02", "2026-08-03"):  # not a quarter's first business day
        assert run_practice_digest(deps=harness.deps, now=jst(f"{day}T09:45:00")) == 0
    assert digest_posts(harness) == []
    assert run_practice_digest(deps=harness.deps, now=jst("2026-07-01T09:45:00")) == 1
    assert run_practice_digest(deps=harness.deps, now=jst("2026-07-01T10:45:00")) == 0  # once
    [post] = digest_posts(harness)
    assert "2026年度 第1四半期に公開されたベストプラクティス" in post and "3 件" in post
    assert "Q1 entry" not in post and "Q3 entry" not in post
    # grouped by area, in the areas' order
    order = ["データガバナンス", "Ledger", "セキュリティ", "Keys", "プライバシー", "Masking"]
    assert [post.index(word) for word in order] == sorted(post.index(word) for word in order)
    assert "（匿名）" in post and "（Alpha AI）" in post and "U0KENJI" not in post


def test_nothing_approved_means_no_post_and_january_waits_for_a_business_day(harness):
    assert run_practice_digest(deps=harness.deps, now=jst("2026-10-01T09:45:00")) == 0
    add_and_approve(harness, "Winter", "other", jst("2026-11-02T12:00:00"))
    assert run_practice_digest(deps=harness.deps, now=jst("2027-01-01T09:45:00")) == 0  # holiday
    assert run_practice_digest(deps=harness.deps, now=jst("2027-01-04T09:45:00")) == 1
    [post] = digest_posts(harness)
    assert "2026年度 第3四半期" in post and "Winter" in post
    with harness.session_factory() as session:
        slots = [
            r.slot for r in session.exec(select(JobRun).where(JobRun.job == "practice_digest"))
        ]
    assert slots == ["2026-Q3", "2026-Q4"]


def test_two_processes_post_once(harness):
    add_and_approve(harness, "Ledger", "data_governance", jst("2026-05-01T10:00:00"))
    results: list[int] = []
    runs = [
        threading.Thread(
            target=lambda: results.append(
                run_practice_digest(deps=harness.deps, now=jst("2026-07-01T09:45:00"))
            )
        )
        for _ in range(2)
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert sorted(results) == [0, 1] and len(digest_posts(harness)) == 1


def test_english_programme_posts_in_english(harness):
    add_and_approve(harness, "Ledger", "data_governance", jst("2026-05-01T10:00:00"))
    deps = dataclasses.replace(
        harness.deps, settings=harness.settings.model_copy(update={"default_language": "en"})
    )
    assert run_practice_digest(deps=deps, now=jst("2026-07-01T09:45:00")) == 1
    [post] = digest_posts(harness)
    assert "Best practices approved in FY2026 Q1" in post and "*Data governance* (1)" in post
