"""A large programme for the rendering benchmarks (`bench/home.py`, `bench/rendering.py`).

At full size (`scale` 1.0): 50 organizations × 2 allocations with three years (36 months, to
March 2026) of plans and reports, 3,000 members (60 per organization, the first 50 org
leads) and an operator, 600 instructions, 3,000 evaluation submissions over the three
years, 1,500 data requests, 600 events over the three years (and the next 80 days) with
9,000 answers, 300 unacknowledged alerts, 900 trend items, and 10 review rounds of 90
subjects (3 reviewers each, 9 reviewers). Every count is multiplied by `scale` (at least
one organization), so the data grows linearly with it.

    factory = make_session_factory(make_engine(url)); fill(factory, scale=0.5)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert
from sqlmodel import select

from storage.alerts import AlertRecord
from storage.compute import ComputeAllocation, UsagePlan, UsageReport
from storage.data_requests import DataRequest
from storage.evals import EvalSubmission
from storage.events import Event, Rsvp
from storage.instructions import Instruction
from storage.members import Member, Organization
from storage.reviews import ReviewAssignment, ReviewRound, ReviewSubject, RoundReviewer
from storage.trends import TrendItem

NOW = datetime(2026, 4, 6, 0, 0, tzinfo=UTC)  # Monday 2026-04-06 09:00 JST: the digest's hour
MONTHS = [f"{2023 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(36)]  # 2023-04..2026-03
ORGS = 50
MEMBERS = 3000
YEARS = timedelta(days=3 * 365)


def sizes(scale: float) -> dict[str, int]:
    """How many of each thing `fill` inserts at `scale` (1.0: the full programme)."""
    full = {
        "orgs": ORGS,
        "members": MEMBERS,
        "instructions": 600,
        "evals": 3000,
        "data_requests": 1500,
        "events": 600,
        "rsvps": 9000,
        "alerts": 300,
        "trends": 900,
        "rounds": 10,
    }
    return {k: max(1, round(v * scale)) for k, v in full.items()}


def fill(factory, scale: float = 1.0) -> dict[str, int]:
    """Insert the data set at `scale` (bulk inserts, one transaction); returns `sizes`."""
    n = sizes(scale)
    orgs_n, members = n["orgs"], n["members"]
    with factory.begin() as session:
        session.execute(
            insert(Organization),
            [{"code": "SEC", "name": "Secretariat", "kind": "secretariat"}]
            + [
                {"code": f"O{i:02d}", "name": f"Org {i}", "kind": "developer"}
                for i in range(orgs_n)
            ],
        )
        orgs = {o.code: o.id for o in session.exec(select(Organization))}
        org_ids = [orgs[f"O{i:02d}"] for i in range(orgs_n)]
        session.execute(
            insert(Member),
            [{"slack_user_id": "UOPS", "organization_id": orgs["SEC"], "role": "operator"}]
            + [
                {
                    "slack_user_id": f"U{i:05d}",
                    "organization_id": org_ids[i % orgs_n],
                    "role": "org_lead" if i < orgs_n else "member",
                }
                for i in range(members)
            ],
        )
        session.execute(
            insert(ComputeAllocation),
            [
                {
                    "organization_id": org,
                    "provider": f"P{a}",
                    "gpu_type": "H100",
                    "granted_gpu_hours": 40_000.0,
                    "period_start": date(2023, 4, 1),
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
                    "submitted_at": NOW - timedelta(days=30 * (36 - i)),
                    "source": "modal",
                    "revision": 1,
                    "is_current": True,
                }
                for a in allocations
                for i, m in enumerate(MONTHS)
                if (a.id + i) % 17  # a few months never reported
            ],
        )
        session.execute(
            insert(Instruction),
            [
                {
                    "organization_id": org_ids[i % orgs_n],
                    "title": f"Instruction {i}",
                    "body": "b",
                    "due_date": NOW.date() + timedelta(days=i % 30 - 10),
                    "issued_by": "UOPS",
                    "issued_at": NOW - timedelta(days=i % 400),
                    "acknowledged_by": f"U{i % members:05d}" if i % 3 == 0 else None,
                    "acknowledged_at": NOW if i % 3 == 0 else None,
                }
                for i in range(n["instructions"])
            ],
        )
        spread = YEARS / n["evals"]
        session.execute(
            insert(EvalSubmission),
            [
                {
                    "organization_id": org_ids[i % orgs_n],
                    "submitted_by": f"U{i % members:05d}",
                    "submitted_at": NOW - spread * i,
                    "model_name": f"model-{i}",
                    "model_revision": "v1",
                    "model_type": "pretrained",
                    "file_name": "r.json",
                    "file_format": "lm_eval",
                    "file_sha256": "0" * 64,
                    "report_json": "{}",
                    "status": ("submitted", "published", "rejected")[i % 3],
                    "published_at": NOW - spread * i if i % 3 == 1 else None,
                }
                for i in range(n["evals"])
            ],
        )
        spread = YEARS / n["data_requests"]
        session.execute(
            insert(DataRequest),
            [
                {
                    "organization_id": org_ids[i % orgs_n],
                    "requested_by": f"U{i % members:05d}",
                    "data_needed": f"data {i}",
                    "purpose": "p",
                    "status": ("submitted", "approved", "declined")[i % 3],
                    "created_at": NOW - spread * i,
                    "last_activity_at": NOW - spread * i,
                }
                for i in range(n["data_requests"])
            ],
        )
        past = n["events"] * 2 // 3  # two thirds over the three years, the rest coming
        session.execute(
            insert(Event),
            [
                {
                    "title": f"Event {i}",
                    "starts_at": (
                        NOW - YEARS / past * (i + 1)
                        if i < past
                        else NOW + timedelta(days=1 + i % 80, hours=i % 7)
                    ),
                    "ends_at": (
                        NOW - YEARS / past * (i + 1) + timedelta(hours=2)
                        if i < past
                        else NOW + timedelta(days=1 + i % 80, hours=i % 7 + 2)
                    ),
                    "created_by": "UOPS",
                    "invited_orgs": "" if i % 4 else str(org_ids[i % orgs_n]),
                }
                for i in range(n["events"])
            ],
        )
        event_ids = [e.id for e in session.exec(select(Event))]
        session.execute(
            insert(Rsvp),
            [
                {
                    "event_id": event_ids[(i + 7 * (i // members)) % len(event_ids)],
                    "user_id": f"U{i % members:05d}",
                    "answer": ("going", "maybe", "cant")[i % 3],
                    "answered_at": NOW,
                }
                for i in range(n["rsvps"])
            ],
        )
        alloc_of = {a.organization_id: a.id for a in allocations}
        session.execute(
            insert(AlertRecord),
            [
                {
                    "kind": "overuse",
                    "key": f"overuse:{i}",
                    "organization_id": org_ids[i % orgs_n],
                    "allocation_id": alloc_of[org_ids[i % orgs_n]],
                    "sent_at": NOW - timedelta(days=i % 60),
                }
                for i in range(n["alerts"])
            ],
        )
        spread = YEARS / n["trends"]
        session.execute(
            insert(TrendItem),
            [
                {
                    "url": f"https://example.org/item/{i}",
                    "original_url": f"https://example.org/item/{i}",
                    "title": f"Item {i}",
                    "source": "feed",
                    "added_at": NOW - spread * i,
                    "month": (NOW - spread * i).strftime("%Y-%m"),
                    "theme": ("international", "use_cases", "economic", "other")[i % 4],
                }
                for i in range(n["trends"])
            ],
        )
        for r in range(n["rounds"]):
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
    return n
