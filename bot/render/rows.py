"""The input of the file renderers: one allocation's plan and reported usage, month by month.

The caller (a service with database access) builds these plain values; the renderers in
:mod:`bot.render.compute_export` and :mod:`bot.render.charts` only read them. All amounts are
GPU-hours; months are ``YYYY-MM`` strings.

The helpers below compute the "to date" figures both renderers need, with one rule: a month
whose ``actual`` is ``None`` has not been reported, and counts as no usage in the sums (the
renderers list such months separately so a reader does not mistake them for zero use).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "STATUSES",
    "MonthPoint",
    "AllocationSeries",
    "planned_through",
    "actual_through",
    "unreported_through",
]

STATUSES = ("on_track", "over_plan", "under_plan", "runs_out", "no_data")
"""The status codes an :class:`AllocationSeries` may carry (decided by the caller)."""

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _check_month(month: str) -> None:
    if not isinstance(month, str) or not _MONTH.fullmatch(month):
        raise ValueError(f"month must be YYYY-MM, got {month!r}")


@dataclass(frozen=True)
class MonthPoint:
    """One month of an allocation.

    Attributes:
        month: ``YYYY-MM``.
        planned: GPU-hours planned for that month (the usage plan).
        actual: GPU-hours reported as used that month; ``None`` when not reported.
    """

    month: str
    planned: float
    actual: float | None

    def __post_init__(self) -> None:
        _check_month(self.month)


@dataclass(frozen=True)
class AllocationSeries:
    """One organization's allocation (e.g. ``"ABCI (H100)"``) over its grant period.

    Attributes:
        org_code: short code, e.g. ``"ORGA"``.
        org_name: display name (may be Japanese).
        allocation: cluster / provider label, e.g. ``"ABCI (H100)"``.
        granted: GPU-hours granted for the whole period (the ceiling).
        period_start, period_end: the grant period (inclusive dates).
        points: every month of the period, in order, oldest first.
        forecast_end: forecast cumulative GPU-hours at ``period_end``; ``None`` if unknown.
        runs_out: forecast date the grant is used up, when that is before ``period_end``.
        status: one of :data:`STATUSES`.
        progress, issues, improvement_plan: the report month's free-text notes (plain text,
            written by the organization; renderers escape them).
    """

    org_code: str
    org_name: str
    allocation: str
    granted: float
    period_start: date
    period_end: date
    points: list[MonthPoint]
    forecast_end: float | None
    runs_out: date | None
    status: str
    progress: str | None = None
    issues: str | None = None
    improvement_plan: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        months = [p.month for p in self.points]
        if months != sorted(months) or len(set(months)) != len(months):
            raise ValueError("points must be distinct months in order, oldest first")


def planned_through(series: AllocationSeries, month: str) -> float:
    """GPU-hours planned from the start of the period through ``month`` (inclusive)."""
    _check_month(month)
    return sum(p.planned for p in series.points if p.month <= month)


def actual_through(series: AllocationSeries, month: str) -> float | None:
    """GPU-hours reported from the start of the period through ``month`` (inclusive).

    Unreported months count as 0; ``None`` when no month up to ``month`` is reported.
    """
    _check_month(month)
    reported = [p.actual for p in series.points if p.month <= month and p.actual is not None]
    return sum(reported) if reported else None


def unreported_through(series: AllocationSeries, month: str) -> list[str]:
    """The months of the period up to ``month`` (inclusive) with no reported usage."""
    _check_month(month)
    return [p.month for p in series.points if p.month <= month and p.actual is None]
