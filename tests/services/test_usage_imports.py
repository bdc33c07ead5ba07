"""FOCUS and plain-CSV imports into the usage reports: totals per allocation and month,
idempotent, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.errors import UserError
from bot.services.compute_imports import import_sacct
from bot.services.usage_imports import import_focus, import_usage_csv
from storage.compute import SacctJobUsage, UsageReport
from tests.services.test_compute_services import NOW, SETTINGS, loaded  # noqa: F401

FOCUS = (Path(__file__).parents[1] / "fixtures" / "focus" / "synthetic_gpu.csv").read_text()


def _focus(factory, **kw):
    with factory.begin() as session:
        return import_focus(
            session=session,
            org_code="ORGB",
            text=FOCUS,
            reporter="cli",
            settings=SETTINGS,
            now=NOW,
            **kw,
        )


def test_focus_gpu_rows_go_to_the_allocation_of_their_provider_and_gpu_type(loaded):  # noqa: F811
    with pytest.raises(UserError, match="several cloud accounts"):
        _focus(loaded)
    result = _focus(loaded, sub_account="111122223333")
    stored = sorted((s.org_code, s.allocation, s.month, s.status, s.total) for s in result.stored)
    # p5.48xlarge: 2 h × 8 GPUs on AWS H100; the AWS A100 hours have no AWS A100 allocation
    # (ORGB's A100 is on ABCI), so they are listed, not counted
    assert stored == [("ORGB", "AWS (H100)", "2026-03", "created", 16.0)]
    assert result.unmatched == {"AWS A100": 16.0}
    again = _focus(loaded, sub_account="111122223333")
    assert {s.status for s in again.stored} == {"duplicate"}
    assert again.notices == []


def test_usage_csv_names_organizations_by_code_or_name_and_is_all_or_nothing(loaded):  # noqa: F811
    good = (
        "organization,month,provider,gpu_type,gpu_hours\nORGA,2026-03,ABCI,H100,900\n"
        'みらい言語研究所,2026年3月,aws,h100,"1,000"\n'
    )
    with loaded.begin() as session:
        result = import_usage_csv(
            session=session, text=good, reporter="cli", settings=SETTINGS, now=NOW
        )
    assert sorted((s.org_code, s.allocation, s.month, s.total) for s in result.stored) == [
        ("ORGA", "ABCI (H100)", "2026-03", 900.0),
        ("ORGB", "AWS (H100)", "2026-03", 1000.0),
    ]
    bad = good + "NOPE,2026-03,ABCI,H100,5\nORGA,2026-03,ABCI,B200,5\n"
    with pytest.raises(UserError) as error:
        with loaded.begin() as session:
            import_usage_csv(
                session=session,
                text=bad.replace("900", "950"),
                reporter="cli",
                settings=SETTINGS,
                now=NOW,
            )
    assert "line 4:" in error.value.en and "line 5:" in error.value.en
    with loaded() as session:  # the failed import changed nothing
        reports = session.exec(select(UsageReport).where(UsageReport.is_current)).all()
        assert sorted(r.gpu_hours for r in reports) == [900.0, 1000.0]
        assert session.exec(select(func.count()).select_from(UsageReport)).one() == 2


def test_months_outside_the_period_or_not_begun_are_listed_not_stored(loaded):  # noqa: F811
    # NOW is 2026-04-01 (JST); ORGA's allocation runs 2026-01 .. 2026-12
    text = (
        "organization,month,provider,gpu_type,gpu_hours\nORGA,2025-12,ABCI,H100,5\n"
        "ORGA,2026-03,ABCI,H100,900\nORGA,2026-04,ABCI,H100,10\nORGA,2026-09,ABCI,H100,700\n"
        "ORGA,2027-02,ABCI,H100,1\n"
    )
    with loaded.begin() as session:
        result = import_usage_csv(
            session=session, text=text, reporter="cli", settings=SETTINGS, now=NOW
        )
    assert [(s.month, s.total) for s in result.stored] == [("2026-03", 900.0), ("2026-04", 10.0)]
    assert [(n.month, n.reason, n.total) for n in result.not_stored] == [
        ("2025-12", "outside", 5.0),
        ("2026-09", "future", 700.0),
        ("2027-02", "future", 1.0),  # not begun comes first, as in the report modal
    ]
    summary = result.summary()
    assert (
        "ORGA · ABCI (H100) · 2025-12: 5.00 GPU-hours: outside the allocation's period "
        "(2026-01-01 to 2026-12-31); not stored / 割当期間 2026-01-01〜2026-12-31 の外のため保存しません"
    ) in summary
    assert (
        "ORGA · ABCI (H100) · 2026-09: 700.00 GPU-hours: this month has not started yet; "
        "not stored / まだ始まっていない月のため保存しません"
    ) in summary
    with loaded() as session:
        months = session.exec(select(UsageReport.month).where(UsageReport.is_current)).all()
    assert sorted(months) == ["2026-03", "2026-04"]


def test_a_focus_month_not_begun_is_not_stored(loaded):  # noqa: F811
    with loaded.begin() as session:
        result = import_focus(
            session=session,
            org_code="ORGB",
            text=FOCUS,
            reporter="cli",
            settings=SETTINGS,
            now=datetime(2026, 2, 15, tzinfo=UTC),  # the file's March has not begun
            sub_account="111122223333",
        )
    assert result.stored == []
    assert [(n.allocation, n.month, n.reason, n.total) for n in result.not_stored] == [
        ("AWS (H100)", "2026-03", "future", 16.0)
    ]
    assert "no GPU usage to store" not in result.summary()


SACCT = (
    "JobID|State|Start|End|ElapsedRaw|AllocTRES\n"
    "1|COMPLETED|2024-04-02T00:00:00|2024-04-02T01:00:00|3600|gres/gpu=2\n"
    "2|COMPLETED|2024-05-02T00:00:00|2024-05-02T02:00:00|7200|gres/gpu=1\n"
)


def test_sacct_jobs_in_months_not_begun_are_neither_counted_nor_stored(loaded):  # noqa: F811
    with loaded.begin() as session:  # ORGC's period starts 2024-04; the clock is in April
        result = import_sacct(
            session=session,
            org_code="ORGC",
            provider=None,
            text=SACCT,
            reporter="cli",
            settings=SETTINGS,
            now=datetime(2024, 4, 20, tzinfo=UTC),
            notify=False,
        )
    assert result.file_hours == {"2024-04": 2.0}
    assert result.future_months == ["2024-05"] and result.outside_period == []
    assert "2024-05: this month has not started yet; not stored" in result.summary()
    assert [(n.month, n.reason) for n in result.not_stored] == [("2024-05", "future")]
    with loaded() as session:
        assert [j.month for j in session.exec(select(SacctJobUsage))] == ["2024-04"]
