"""Storage on SQLite and (when configured) PostgreSQL: aware UTC datetimes, uniqueness held by
the database, slot claims, SQLite's WAL / IMMEDIATE settings, migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError, StatementError

from storage import compute, jobs, members
from storage.compute import UsageReport
from storage.migrate import upgrade

JST = timezone(timedelta(hours=9))


def _org_and_allocation(session):
    org, _ = members.upsert_org(session, code="orga", name="Alpha AI")
    allocation = compute.ComputeAllocation(
        organization_id=org.id,
        provider="ABCI",
        gpu_type="H100",
        granted_gpu_hours=1000,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    session.add(allocation)
    session.flush()
    return org, allocation


def _report(org, allocation, *, revision=1, at=None):
    return UsageReport(
        organization_id=org.id,
        allocation_id=allocation.id,
        month="2026-03",
        gpu_hours=10,
        reporter="U1",
        submitted_at=at or datetime(2026, 4, 1, 9, tzinfo=JST),
        revision=revision,
    )


def test_datetimes_come_back_aware_in_utc(session_factory):
    with session_factory.begin() as session:
        org, allocation = _org_and_allocation(session)
        report_id = compute.add_report(session, _report(org, allocation)).id
    with session_factory() as session:
        stored = session.get(UsageReport, report_id)
        assert stored.submitted_at.tzinfo is not None
        assert stored.submitted_at == datetime(2026, 4, 1, 0, tzinfo=UTC)
        assert stored.submitted_at < datetime.now(UTC)  # comparing never raises


def test_naive_datetimes_are_refused(session_factory):
    with pytest.raises(StatementError, match="naive datetime"):
        with session_factory.begin() as session:
            org, allocation = _org_and_allocation(session)
            compute.add_report(session, _report(org, allocation, at=datetime(2026, 4, 1)))


def test_one_current_report_per_org_allocation_month_is_held_by_the_database(session_factory):
    with session_factory.begin() as session:
        org, allocation = _org_and_allocation(session)
        compute.add_report(session, _report(org, allocation))
    with pytest.raises(IntegrityError):
        with session_factory.begin() as session:
            compute.add_report(session, _report(org, allocation, revision=2))
    with session_factory.begin() as session:  # superseded rows may pile up
        current = compute.current_report(
            session, org_id=org.id, allocation_id=allocation.id, month="2026-03"
        )
        compute.supersede(session, current)
        compute.add_report(session, _report(org, allocation, revision=2))
    with session_factory() as session:
        assert (
            len(compute.report_revisions(session, allocation_id=allocation.id, month="2026-03"))
            == 2
        )


def test_a_job_slot_is_claimed_once(session_factory):
    now = datetime(2026, 4, 3, 1, tzinfo=UTC)
    with session_factory.begin() as session:
        assert jobs.claim(session, job="weekly_digest", slot="2026-W14", now=now)
        assert not jobs.claim(session, job="weekly_digest", slot="2026-W14", now=now)
        assert jobs.claim(session, job="weekly_digest", slot="2026-W15", now=now)
    with session_factory.begin() as session:  # and across transactions
        assert not jobs.claim(session, job="weekly_digest", slot="2026-W14", now=now)


def test_migrations_are_idempotent_and_create_every_table(database_url, session_factory):
    upgrade(database_url)
    with session_factory() as session:
        names = set(inspect(session.get_bind()).get_table_names())
    assert {
        "organization",
        "member",
        "computeallocation",
        "usageplan",
        "usagereport",
        "sacctjobusage",
        "jobrun",
        "alertrecord",
        "alembic_version",
    } <= names


def test_sqlite_runs_in_wal_with_a_busy_timeout(tmp_path):
    from storage.db import make_engine

    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
    engine.dispose()


def test_sqlite_read_then_write_transactions_do_not_deadlock(tmp_path):
    """Two threads that each read then write: with BEGIN IMMEDIATE they queue instead of
    failing at once with 'database is locked' (SLACK.md, storage pitfalls)."""
    import threading

    from storage.db import make_engine, make_session_factory

    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    errors = []

    def worker(i):
        try:
            for n in range(10):
                with factory.begin() as session:
                    members.list_orgs(session)
                    members.upsert_org(session, code=f"T{i}N{n}", name="x")
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with factory() as session:
        assert len(members.list_orgs(session)) == 40


def test_migrations_match_the_models(database_url):
    """Every table and column the code declares is created by the migrations, and no more."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.db import make_engine
    from storage.schema import metadata

    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()
