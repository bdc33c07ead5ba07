"""Benchmark: rendering the App Home (issue #8) for a large programme.

50 organizations × 2 allocations with a year of plans and reports, 3,000 members (60 per
organization), 600 open instructions, 3,000 evaluation submissions, 1,500 data requests,
200 upcoming events with 9,000 answers, and 10 review rounds of 90 subjects (3 reviewers
each). Times `bot.services.home.home_view` (the database reads and the Block Kit, no Slack
call) for a member, an operator and a reviewer, then for every member in turn, as a refresh
of everyone's Home would. Prints the median and 95th percentile per role and the total.

    .venv/bin/python bench/home.py [--database-url URL] [--members 3000]

Default: a fresh SQLite file in a temporary folder. It is not a test: timings depend on the
machine and its load. Each view is also checked: at most 100 blocks, valid for Slack.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import select

from bot.sandbox.blockkit import validate_view
from bot.services.home import home_view
from bot.services.members import resolve_actor
from bot.settings import Settings
from storage.compute import ComputeAllocation, UsagePlan, UsageReport
from storage.data_requests import DataRequest
from storage.db import make_engine, make_session_factory
from storage.evals import EvalSubmission
from storage.events import Event, Rsvp
from storage.instructions import Instruction
from storage.members import Member, Organization
from storage.migrate import upgrade
from storage.reviews import ReviewAssignment, ReviewRound, ReviewSubject, RoundReviewer

NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
SETTINGS = Settings(_env_file=None)
MONTHS = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in range(1, 4)]
ORGS = 50


def fill(factory, members: int) -> None:
    """Insert the data set (bulk inserts, one transaction)."""
    with factory.begin() as session:
        session.execute(
            insert(Organization),
            [{"code": "SEC", "name": "Secretariat", "kind": "secretariat"}]
            + [{"code": f"O{n:02d}", "name": f"Org {n}", "kind": "developer"} for n in range(ORGS)],
        )
        orgs = {o.code: o.id for o in session.exec(select(Organization))}
        org_ids = [orgs[f"O{n:02d}"] for n in range(ORGS)]
        session.execute(
            insert(Member),
            [{"slack_user_id": "UOPS", "organization_id": orgs["SEC"], "role": "operator"}]
            + [
                {
                    "slack_user_id": f"U{n:05d}",
                    "organization_id": org_ids[n % ORGS],
                    "role": "org_lead" if n < ORGS else "member",
                }
                for n in range(members)
            ],
        )
        session.execute(
            insert(ComputeAllocation),
            [
                {
                    "organization_id": org,
                    "provider": f"P{a}",
                    "gpu_type": "H100",
                    "granted_gpu_hours": 20_000.0,
                    "period_start": date(2025, 4, 1),
                    "period_end": date(2026, 3, 31) if a else date(2027, 3, 31),
                }
                for org in org_ids
                for a in range(2)
            ],
        )
        allocations = list(session.exec(select(ComputeAllocation)))
        session.execute(
            insert(UsagePlan),
            [
                {"allocation_id": a.id, "month": m, "planned_gpu_hours": 1000.0}
                for a in allocations
                for m in MONTHS
            ],
        )
        session.execute(
            insert(UsageReport),
            [
                {
                    "organization_id": a.organization_id,
                    "allocation_id": a.id,
                    "month": m,
                    "gpu_hours": 900.0 + i,
                    "reporter": "U00000",
                    "submitted_at": NOW,
                    "source": "modal",
                    "revision": 1,
                    "is_current": True,
                }
                for a in allocations
                for i, m in enumerate(MONTHS[:-1])  # March not reported yet
            ],
        )
        session.execute(
            insert(Instruction),
            [
                {
                    "organization_id": org_ids[n % ORGS],
                    "title": f"Instruction {n}",
                    "body": "b",
                    "due_date": date(2026, 4, 1) + timedelta(days=n % 30 - 10),
                    "issued_by": "UOPS",
                    "issued_at": NOW,
                }
                for n in range(600)
            ],
        )
        session.execute(
            insert(EvalSubmission),
            [
                {
                    "organization_id": org_ids[n % ORGS],
                    "submitted_by": f"U{n % members:05d}",
                    "submitted_at": NOW - timedelta(hours=n),
                    "model_name": f"model-{n}",
                    "model_revision": "v1",
                    "model_type": "pretrained",
                    "file_name": "r.json",
                    "file_format": "lm_eval",
                    "file_sha256": "0" * 64,
                    "report_json": "{}",
                    "status": ("submitted", "published", "rejected")[n % 3],
                }
                for n in range(3000)
            ],
        )
        session.execute(
            insert(DataRequest),
            [
                {
                    "organization_id": org_ids[n % ORGS],
                    "requested_by": f"U{n % members:05d}",
                    "data_needed": f"data {n}",
                    "purpose": "p",
                    "status": ("submitted", "approved", "declined")[n % 3],
                    "created_at": NOW,
                    "last_activity_at": NOW,
                }
                for n in range(1500)
            ],
        )
        session.execute(
            insert(Event),
            [
                {
                    "title": f"Event {n}",
                    "starts_at": NOW + timedelta(days=1 + n % 80, hours=n % 7),
                    "ends_at": NOW + timedelta(days=1 + n % 80, hours=n % 7 + 2),
                    "created_by": "UOPS",
                    "invited_orgs": "" if n % 4 else str(org_ids[n % ORGS]),
                }
                for n in range(200)
            ],
        )
        event_ids = [e.id for e in session.exec(select(Event))]
        session.execute(
            insert(Rsvp),
            [
                {
                    "event_id": event_ids[(n + 7 * (n // members)) % len(event_ids)],
                    "user_id": f"U{n % members:05d}",
                    "answer": ("going", "maybe", "cant")[n % 3],
                    "answered_at": NOW,
                }
                for n in range(9000)
            ],
        )
        for r in range(10):
            round_ = ReviewRound(
                name=f"Round {r}",
                kind="selection",
                criteria=[{"key": "c1", "name": "Technical merit", "weight": 1.0}],
                deadline=NOW + timedelta(days=5),
                stage="scoring",
                chair="UOPS",
                created_at=NOW,
            )
            session.add(round_)
            session.flush()
            reviewers = [f"UREV{k}" for k in range(9)]
            session.execute(
                insert(RoundReviewer),
                [{"round_id": round_.id, "user_id": u, "declared_at": NOW} for u in reviewers],
            )
            session.execute(
                insert(ReviewSubject),
                [{"round_id": round_.id, "name": f"Applicant {r}-{s}"} for s in range(90)],
            )
            subjects = session.exec(
                select(ReviewSubject).where(ReviewSubject.round_id == round_.id)
            ).all()
            session.execute(
                insert(ReviewAssignment),
                [
                    {
                        "round_id": round_.id,
                        "subject_id": s.id,
                        "user_id": reviewers[(i + k) % 9],
                        "assigned_at": NOW,
                    }
                    for i, s in enumerate(subjects)
                    for k in range(3)
                ],
            )


def render(factory, user: str) -> float:
    """Seconds to build `user`'s Home (English); the view is checked."""
    start = time.perf_counter()
    with factory() as session:
        actor = resolve_actor(session, user, "en")
        view = home_view(session=session, actor=actor, settings=SETTINGS, now=NOW)
    seconds = time.perf_counter() - start
    assert len(view["blocks"]) <= 100 and validate_view(view) == [], user
    return seconds


def summary(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"{label:<28} n={len(times):>5}  median {statistics.median(times) * 1000:7.1f} ms  "
        f"p95 {p95 * 1000:7.1f} ms  total {sum(times):6.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--members", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        started = time.perf_counter()
        fill(factory, args.members)
        print(f"filled in {time.perf_counter() - started:.1f} s")
        for label, user in (("operator", "UOPS"), ("reviewer (30 subjects)", "UREV0")):
            print(summary(label, [render(factory, user) for _ in range(5)]))
        print(summary("one member", [render(factory, "U00100") for _ in range(5)]))
        everyone = [render(factory, f"U{n:05d}") for n in range(args.members)]
        print(summary("every member in turn", everyone))
        engine.dispose()


if __name__ == "__main__":
    main()
