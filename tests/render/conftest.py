"""Example series for the renderer tests: two organizations × two allocations."""

from __future__ import annotations

from datetime import date

import pytest

from bot.render.rows import AllocationSeries, MonthPoint

NASTY = "=1+1 | =cmd <b>"
"""A note trying to start a spreadsheet formula, break a Markdown table and inject HTML."""

MONTHS = ["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]


def series(
    org_code: str = "ORGA",
    org_name: str = "Alpha AI",
    allocation: str = "ABCI (H100)",
    granted: float = 6000,
    planned: tuple[float, ...] = (1000,) * 6,
    actual: tuple[float | None, ...] = (None,) * 6,
    forecast_end: float | None = None,
    runs_out: date | None = None,
    status: str = "on_track",
    **notes: str | None,
) -> AllocationSeries:
    points = [MonthPoint(m, p, a) for m, p, a in zip(MONTHS, planned, actual, strict=True)]
    return AllocationSeries(
        org_code=org_code,
        org_name=org_name,
        allocation=allocation,
        granted=granted,
        period_start=date(2025, 10, 1),
        period_end=date(2026, 3, 31),
        points=points,
        forecast_end=forecast_end,
        runs_out=runs_out,
        status=status,
        **notes,
    )


@pytest.fixture
def programme() -> list[AllocationSeries]:
    """Report month 2026-01 (4th of 6 months). Figures through 2026-01:

    ORGA/ABCI: plan 4,000, actual 4,400 (+400, +10.0%), over plan, note injection attempt.
    ORGA/AWS: plan 2,000, actual 1,500.5 with 2025-12 unreported (−499.5, −25.0%), under plan.
    ORGB/ABCI: plan 4,000, actual 5,200 (+1,200, +30.0%), runs out 2026-02-15.
    ORGB/GCP: nothing reported, no forecast.
    """
    return [
        series(
            actual=(1000, 1100, 1100, 1200, None, None),
            forecast_end=6400,
            status="over_plan",
            progress="Pretraining 7B model: 60% done.\nNext: evaluation",
            issues=NASTY,
            improvement_plan="# not a heading\n- not a list",
        ),
        series(
            allocation="AWS (H100)",
            granted=3000,
            planned=(500,) * 6,
            actual=(500, 500.5, None, 500, None, None),
            forecast_end=2500,
            status="under_plan",
        ),
        series(
            org_code="ORGB",
            org_name="ベータ研究所",
            granted=7000,
            actual=(1200, 1300, 1300, 1400, None, None),
            forecast_end=7900,
            runs_out=date(2026, 2, 15),
            status="runs_out",
            progress="順調です",
        ),
        series(
            org_code="ORGB",
            org_name="ベータ研究所",
            allocation="GCP (A100)",
            granted=1200,
            planned=(200,) * 6,
            status="no_data",
        ),
    ]
