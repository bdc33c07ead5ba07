"""FOCUS and plain-CSV imports into the usage reports: totals per allocation and month,
idempotent, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.errors import UserError
from bot.services.usage_imports import import_focus, import_usage_csv
from storage.compute import UsageReport
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
