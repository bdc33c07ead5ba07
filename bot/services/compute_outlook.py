"""Plan vs actual with a forecast: for each allocation, cumulative plan and reported GPU-hours
through the last ended month, the variance, a forecast to the end of the period from the
recent burn rate, and a status (on track, over plan, under plan, runs out early, no data).

The sums are computed by the database (`storage.compute.plan_actual_totals`); the forecast is
arithmetic per allocation. Months are `YYYY-MM` in the programme's zone.

**Normalised GPU-hours.** When `settings.gpu_normalisation` has a factor for an allocation's
GPU type (matched case-insensitively: `{"H100": 1.0, "A100": 0.5}`), the outlook carries it and
`Outlook.normalised(x)` gives `x × factor`, so an A100 hour counts as half an H100 hour. Without
a factor nothing is normalised (`None`), never a guessed 1.0.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlmodel import Session

from bot.settings import Settings
from bot.timeutil import month_start, months_between, previous_month
from storage import compute as store
from storage.compute import ComputeAllocation

BURN_WINDOW_MONTHS = 3  # the burn rate is the mean of the last three reported months


class Status:
    ON_TRACK = "on_track"
    OVER_PLAN = "over_plan"
    UNDER_PLAN = "under_plan"
    RUNS_OUT = "runs_out"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class Outlook:
    """One allocation's position through `through` (the last ended month). GPU-hours."""

    allocation: ComputeAllocation
    through: str
    planned_to_date: float
    actual_to_date: float
    months_reported: int
    burn_rate: float | None  # GPU-hours per month; None without reports in the window
    forecast_end: float | None  # cumulative GPU-hours expected at the end of the period
    runs_out: date | None  # when the grant is forecast to be used up, if before period end
    status: str
    factor: float | None = None  # normalisation factor of the GPU type; None without one

    @property
    def variance(self) -> float:
        """Actual minus plan to date (GPU-hours; positive = over plan)."""
        return self.actual_to_date - self.planned_to_date

    @property
    def variance_percent(self) -> float | None:
        """Variance in percent of plan to date; None when nothing was planned."""
        return self.variance / self.planned_to_date * 100 if self.planned_to_date else None

    def normalised(self, gpu_hours: float | None) -> float | None:
        """`gpu_hours` (raw GPU-hours of this allocation) in normalised GPU-hours: multiplied by
        the GPU type's factor. None without a factor, or for None."""
        if self.factor is None or gpu_hours is None:
            return None
        return gpu_hours * self.factor


def normalisation_factor(factors: Mapping[str, float], gpu_type: str | None) -> float | None:
    """The factor for `gpu_type` in `factors` (GPU type → factor, `settings.gpu_normalisation`),
    matched case-insensitively and ignoring surrounding spaces (`a100` finds `A100`); None when
    the type has none."""
    if not gpu_type or not factors:
        return None
    wanted = gpu_type.strip().casefold()
    for name, factor in factors.items():
        if name.strip().casefold() == wanted:
            return float(factor)
    return None


def _next_month(month: str) -> date:
    return month_start(month) + relativedelta(months=1)


def forecast(
    allocation: ComputeAllocation, *, through: str, actual: float, burn_rate: float | None
) -> tuple[float | None, date | None]:
    """(cumulative GPU-hours at period end, date the grant runs out if before period end).

    Remaining months are those after `through` up to the period's last month, each burning
    `burn_rate`. The run-out date interpolates within the month it falls in. An allocation
    already used up runs out at the end of `through`.
    """
    if burn_rate is None:
        return None, None
    first_open = _next_month(through)
    remaining = (
        months_between(first_open, allocation.period_end)
        if first_open <= allocation.period_end
        else []
    )
    forecast_end = actual + burn_rate * len(remaining)
    granted = allocation.granted_gpu_hours
    if actual >= granted:
        return forecast_end, first_open - timedelta(days=1)
    if burn_rate <= 0 or forecast_end <= granted:
        return forecast_end, None
    months_needed = (granted - actual) / burn_rate
    whole = int(months_needed)
    month_first = first_open + relativedelta(months=whole)
    days = calendar.monthrange(month_first.year, month_first.month)[1]
    # the day the grant is crossed; the epsilon keeps float noise (0.4 × 30 = 11.999…) out
    runs_out = month_first + timedelta(days=math.floor((months_needed - whole) * days + 1e-9))
    return forecast_end, (runs_out if runs_out < allocation.period_end else None)


def status_of(
    *,
    planned: float,
    actual: float,
    months_reported: int,
    runs_out: date | None,
    over_percent: float,
    under_percent: float,
) -> str:
    """The status word, in this order: no data (nothing reported), runs out early, over plan
    (actual more than `over_percent` above plan to date), under plan (more than
    `under_percent` below), else on track."""
    if months_reported == 0:
        return Status.NO_DATA
    if runs_out is not None:
        return Status.RUNS_OUT
    if planned > 0 and actual > planned * (1 + over_percent / 100):
        return Status.OVER_PLAN
    if planned <= 0 and actual > 0:
        return Status.OVER_PLAN
    if planned > 0 and actual < planned * (1 - under_percent / 100):
        return Status.UNDER_PLAN
    return Status.ON_TRACK


def outlooks(
    *, session: Session, settings: Settings, now: datetime, org_ids: list[int] | None = None
) -> list[Outlook]:
    """Every allocation's outlook (optionally of some organizations) as of `now` (aware), through
    the last month ended at `now` in the programme's zone; with the GPU type's normalisation
    factor when `settings.gpu_normalisation` has one."""
    through = previous_month(now, settings.tz)
    recent_from = (month_start(through) - relativedelta(months=BURN_WINDOW_MONTHS)).strftime(
        "%Y-%m"
    )
    result = []
    for row in store.plan_actual_totals(
        session, through=through, recent_from=recent_from, org_ids=org_ids
    ):
        allocation = row["allocation"]
        burn = row["recent_actual"] / row["recent_months"] if row["recent_months"] else None
        forecast_end, runs_out = forecast(
            allocation, through=through, actual=row["actual_to_date"], burn_rate=burn
        )
        result.append(
            Outlook(
                allocation=allocation,
                through=through,
                planned_to_date=row["planned_to_date"],
                actual_to_date=row["actual_to_date"],
                months_reported=row["months_reported"],
                burn_rate=burn,
                forecast_end=forecast_end,
                runs_out=runs_out,
                status=status_of(
                    planned=row["planned_to_date"],
                    actual=row["actual_to_date"],
                    months_reported=row["months_reported"],
                    runs_out=runs_out,
                    over_percent=settings.overuse_threshold_percent,
                    under_percent=settings.underuse_threshold_percent,
                ),
                factor=normalisation_factor(settings.gpu_normalisation, allocation.gpu_type),
            )
        )
    return result
