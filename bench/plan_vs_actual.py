"""Benchmark: plan vs actual with forecast for the whole programme, computed by the database.

Target (issue #3): 15 organizations × 5 allocations × 3 years of monthly plans and reports in
under 100 ms on the project's machine, growing linearly with rows. Prints the median of
several runs for 1×, 2× and 4× the organizations.

    .venv/bin/python bench/plan_vs_actual.py [--database-url URL]

Default: a fresh SQLite file in a temporary folder. A PostgreSQL URL must name an empty
database it may fill (e.g. one made with `createdb kiban_bench`).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import select

from bot.services.compute_outlook import outlooks
from bot.settings import Settings
from storage.compute import ComputeAllocation, UsagePlan, UsageReport
from storage.db import make_engine, make_session_factory
from storage.members import Organization
from storage.migrate import upgrade

MONTHS = [f"{2024 + m // 12}-{m % 12 + 1:02d}" for m in range(36)]
NOW = datetime(2027, 1, 15, tzinfo=UTC)  # every month has ended


def fill(factory, orgs: int, allocations_per_org: int = 5) -> int:
    """Insert the data set; returns the number of plan + report rows."""
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    with factory.begin() as session:
        session.execute(
            insert(Organization), [{"code": f"O{n:03d}", "name": f"Org {n}"} for n in range(orgs)]
        )
        org_ids = [o.id for o in session.exec(select(Organization)).all()]
        session.execute(
            insert(ComputeAllocation),
            [
                {
                    "organization_id": org,
                    "provider": f"P{a}",
                    "gpu_type": "H100",
                    "granted_gpu_hours": 50_000.0,
                    "period_start": date(2024, 1, 1),
                    "period_end": date(2026, 12, 31),
                }
                for org in org_ids
                for a in range(allocations_per_org)
            ],
        )
        allocations = session.exec(select(ComputeAllocation)).all()
        plans, reports = [], []
        for allocation in allocations:
            for i, month in enumerate(MONTHS):
                plans.append(
                    {"allocation_id": allocation.id, "month": month, "planned_gpu_hours": 1000.0}
                )
                reports.append(
                    {
                        "organization_id": allocation.organization_id,
                        "allocation_id": allocation.id,
                        "month": month,
                        "gpu_hours": 900.0 + i,
                        "reporter": "bench",
                        "submitted_at": stamp,
                        "source": "modal",
                        "revision": 1,
                        "is_current": True,
                    }
                )
        session.execute(insert(UsagePlan), plans)
        session.execute(insert(UsageReport), reports)
    return len(plans) + len(reports)


def measure(url: str, orgs: int, runs: int = 15) -> tuple[int, float]:
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    rows = fill(factory, orgs)
    settings = Settings(_env_file=None)
    timings = []
    for _ in range(runs):
        with factory() as session:
            started = time.perf_counter()
            result = outlooks(session=session, settings=settings, now=NOW)
            timings.append(time.perf_counter() - started)
        assert len(result) == orgs * 5
    engine.dispose()
    return rows, statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty PostgreSQL database to fill")
    args = parser.parse_args()
    print(f"{'organizations':>13} {'rows':>8} {'median ms':>10} {'µs/row':>8}")
    for orgs in (15, 30, 60):
        if args.database_url:
            if orgs > 15:
                break  # one database given: the 15-organization figure only
            rows, ms = measure(args.database_url, orgs)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                rows, ms = measure(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", orgs)
        print(f"{orgs:>13} {rows:>8} {ms:>10.1f} {ms * 1000 / rows:>8.2f}")
    print("target: under 100 ms for 15 organizations, µs/row roughly constant (linear growth)")


if __name__ == "__main__":
    main()
