"""Compute allocations, monthly usage plans and usage reports (GPU-hours), and sacct job usage.

Months are stored as `YYYY-MM` text in the programme's time zone. GPU-hours are floats.
A usage report has revisions: exactly one current row per (organization, allocation, month),
held by a partial unique index, so double submits and two replicas cannot make two.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, LargeBinary, UniqueConstraint, case, func, insert, text, update
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime, advisory_lock


class ReportSource(StrEnum):
    MODAL = "modal"
    SACCT = "sacct"
    FOCUS = "focus"
    CSV = "csv"


class ComputeAllocation(SQLModel, table=True):
    """GPU compute granted to an organization on one provider/cluster, for a period (dates, JST)."""

    __table_args__ = (
        UniqueConstraint(
            "organization_id", "provider", "gpu_type", "period_start", name="uq_alloc"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    provider: str = Field(max_length=100)
    gpu_type: str = Field(max_length=50)
    granted_gpu_hours: float
    period_start: date
    period_end: date


class UsagePlan(SQLModel, table=True):
    """Planned GPU-hours for one allocation in one month (`YYYY-MM`)."""

    __table_args__ = (UniqueConstraint("allocation_id", "month", name="uq_plan_month"),)

    id: int | None = Field(default=None, primary_key=True)
    allocation_id: int = Field(foreign_key="computeallocation.id", index=True)
    month: str = Field(max_length=7)
    planned_gpu_hours: float


class UsageReport(SQLModel, table=True):
    """One revision of a month's usage report for an allocation.

    `is_current` marks the revision in force; older revisions are kept for the audit trail.
    `source_ref` identifies what produced it (a modal's view id, an import's file hash), so a
    retried submission of the same thing is recognised.
    """

    __table_args__ = (
        Index(
            "uq_report_current",
            "organization_id",
            "allocation_id",
            "month",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
        UniqueConstraint("organization_id", "allocation_id", "month", "revision", name="uq_rev"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    allocation_id: int = Field(foreign_key="computeallocation.id", index=True)
    month: str = Field(max_length=7, index=True)
    gpu_hours: float
    progress: str | None = None
    issues: str | None = None
    improvement_plan: str | None = None
    reporter: str = Field(max_length=64)
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    source: str = Field(default=ReportSource.MODAL.value, max_length=16)
    source_ref: str | None = Field(default=None, max_length=128)
    revision: int = 1
    is_current: bool = True


class SacctJobUsage(SQLModel, table=True):
    """GPU-hours of one Slurm job in one month, as read from sacct; a re-import overwrites it."""

    __table_args__ = (UniqueConstraint("allocation_id", "job_id", "month", name="uq_sacct_job"),)

    id: int | None = Field(default=None, primary_key=True)
    allocation_id: int = Field(foreign_key="computeallocation.id", index=True)
    job_id: str = Field(max_length=64)
    month: str = Field(max_length=7)
    gpu_hours: float
    gpus: int
    imported_at: datetime = Field(sa_type=UTCDateTime)


# --- queries -------------------------------------------------------------------------------


def allocations_for_org(session: Session, org_id: int) -> list[ComputeAllocation]:
    """The organization's allocations, ordered by provider, GPU type and period."""
    query = (
        select(ComputeAllocation)
        .where(ComputeAllocation.organization_id == org_id)
        .order_by(
            ComputeAllocation.provider, ComputeAllocation.gpu_type, ComputeAllocation.period_start
        )
    )
    return list(session.exec(query))


def get_allocation(session: Session, allocation_id: int) -> ComputeAllocation | None:
    return session.get(ComputeAllocation, allocation_id)


def find_allocation(
    session: Session, *, org_id: int, provider: str, gpu_type: str, period_start: date
) -> ComputeAllocation | None:
    """The allocation with this provider and GPU type (case-insensitive: `h100` is `H100`)
    starting on `period_start`, or None."""
    query = select(ComputeAllocation).where(
        ComputeAllocation.organization_id == org_id,
        func.lower(ComputeAllocation.provider) == provider.lower(),
        func.lower(ComputeAllocation.gpu_type) == gpu_type.lower(),
        ComputeAllocation.period_start == period_start,
    )
    return session.exec(query).first()


def plan_for(session: Session, allocation_id: int, month: str) -> UsagePlan | None:
    query = select(UsagePlan).where(
        UsagePlan.allocation_id == allocation_id, UsagePlan.month == month
    )
    return session.exec(query).first()


def plans_for(session: Session, allocation_id: int) -> dict[str, float]:
    """Planned GPU-hours by month for an allocation."""
    query = select(UsagePlan).where(UsagePlan.allocation_id == allocation_id)
    return {plan.month: plan.planned_gpu_hours for plan in session.exec(query)}


def current_report(
    session: Session, *, org_id: int, allocation_id: int, month: str, for_update: bool = False
) -> UsageReport | None:
    """The report in force for (organization, allocation, month), or None."""
    query = select(UsageReport).where(
        UsageReport.organization_id == org_id,
        UsageReport.allocation_id == allocation_id,
        UsageReport.month == month,
        UsageReport.is_current.is_(True),
    )
    if for_update:
        query = query.with_for_update()
    return session.exec(query).first()


def current_reports(session: Session, allocation_id: int) -> dict[str, UsageReport]:
    """Reports in force for an allocation, by month."""
    query = select(UsageReport).where(
        UsageReport.allocation_id == allocation_id, UsageReport.is_current.is_(True)
    )
    return {report.month: report for report in session.exec(query)}


def report_revisions(session: Session, *, allocation_id: int, month: str) -> list[UsageReport]:
    """All revisions for an allocation and month, oldest first."""
    query = (
        select(UsageReport)
        .where(UsageReport.allocation_id == allocation_id, UsageReport.month == month)
        .order_by(UsageReport.revision)
    )
    return list(session.exec(query))


def lock_report_key(session: Session, *, org_id: int, allocation_id: int, month: str) -> None:
    """Make writers of the same (organization, allocation, month) take turns until commit.

    Without it, PostgreSQL's READ COMMITTED lets a writer that waited on `SELECT … FOR UPDATE`
    find the row superseded meanwhile and see no current report at all, so concurrent
    submissions keep colliding on the unique index.
    """
    advisory_lock(session, f"usagereport:{org_id}:{allocation_id}:{month}")


def supersede(session: Session, report: UsageReport) -> None:
    """Mark a current report as superseded (flushes, so the unique index frees at once)."""
    session.execute(update(UsageReport).where(UsageReport.id == report.id).values(is_current=False))
    report.is_current = False
    session.flush()


def add_report(session: Session, report: UsageReport) -> UsageReport:
    session.add(report)
    session.flush()
    return report


def upsert_sacct_jobs(
    session: Session,
    *,
    allocation_id: int,
    usages: dict[tuple[str, str], tuple[float, int]],
    now: datetime,
) -> dict[str, int]:
    """Store jobs' GPU-hours: `usages` maps (job id, month) → (GPU-hours, GPUs). One query
    reads what is on record for those months, new rows go in with one bulk insert, changed
    ones are updated. Call under the allocation's advisory lock (no concurrent writer).

    Returns counts: {"created": n, "updated": n, "unchanged": n}.
    """
    months = sorted({month for _job, month in usages})
    existing = {
        (row.job_id, row.month): row
        for row in session.exec(
            select(SacctJobUsage).where(
                SacctJobUsage.allocation_id == allocation_id, SacctJobUsage.month.in_(months)
            )
        )
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    new = []
    for (job_id, month), (gpu_hours, gpus) in usages.items():
        row = existing.get((job_id, month))
        if row is None:
            new.append(
                {
                    "allocation_id": allocation_id,
                    "job_id": job_id,
                    "month": month,
                    "gpu_hours": gpu_hours,
                    "gpus": gpus,
                    "imported_at": now,
                }
            )
        elif abs(row.gpu_hours - gpu_hours) < 1e-9 and row.gpus == gpus:
            counts["unchanged"] += 1
        else:
            row.gpu_hours, row.gpus, row.imported_at = gpu_hours, gpus, now
            counts["updated"] += 1
    if new:
        session.execute(insert(SacctJobUsage), new)
        counts["created"] = len(new)
    session.flush()
    return counts


def sacct_total(session: Session, *, allocation_id: int, month: str) -> float:
    """Sum of imported sacct GPU-hours for an allocation and month."""
    query = select(func.coalesce(func.sum(SacctJobUsage.gpu_hours), 0.0)).where(
        SacctJobUsage.allocation_id == allocation_id, SacctJobUsage.month == month
    )
    return float(session.exec(query).one())


def upsert_plan(session: Session, *, allocation_id: int, month: str, planned: float) -> str:
    """Create or update a month's plan. Returns "created", "updated" or "unchanged"."""
    plan = plan_for(session, allocation_id, month)
    if plan is None:
        session.add(UsagePlan(allocation_id=allocation_id, month=month, planned_gpu_hours=planned))
        session.flush()
        return "created"
    if plan.planned_gpu_hours == planned:
        return "unchanged"
    plan.planned_gpu_hours = planned
    session.flush()
    return "updated"


def plan_actual_totals(
    session: Session, *, through: str, recent_from: str, org_ids: list[int] | None = None
) -> list[dict]:
    """Per allocation, sums computed by the database for the months up to `through` (YYYY-MM):

    `planned_to_date`, `actual_to_date` (current reports), `months_reported`, and
    `recent_actual` / `recent_months` over the months in (`recent_from`, `through`] (the burn
    rate window). One query with grouped joins, so the cost grows with rows, not with a loop
    per allocation. Returns dicts with the allocation's columns too, ordered by organization.
    """
    plans = (
        select(
            UsagePlan.allocation_id.label("allocation_id"),
            func.sum(UsagePlan.planned_gpu_hours).label("planned"),
        )
        .where(UsagePlan.month <= through)
        .group_by(UsagePlan.allocation_id)
        .subquery()
    )
    current = UsageReport.is_current.is_(True)
    in_window = (UsageReport.month > recent_from) & (UsageReport.month <= through)
    reports = (
        select(
            UsageReport.allocation_id.label("allocation_id"),
            func.sum(UsageReport.gpu_hours).label("actual"),
            func.count(UsageReport.id).label("months"),
            func.sum(case((in_window, UsageReport.gpu_hours), else_=0.0)).label("recent"),
            func.sum(case((in_window, 1), else_=0)).label("recent_months"),
        )
        .where(current, UsageReport.month <= through)
        .group_by(UsageReport.allocation_id)
        .subquery()
    )
    query = (
        select(
            ComputeAllocation,
            func.coalesce(plans.c.planned, 0.0),
            func.coalesce(reports.c.actual, 0.0),
            func.coalesce(reports.c.months, 0),
            func.coalesce(reports.c.recent, 0.0),
            func.coalesce(reports.c.recent_months, 0),
        )
        .outerjoin(plans, plans.c.allocation_id == ComputeAllocation.id)
        .outerjoin(reports, reports.c.allocation_id == ComputeAllocation.id)
        .order_by(ComputeAllocation.organization_id, ComputeAllocation.id)
    )
    if org_ids is not None:
        query = query.where(ComputeAllocation.organization_id.in_(org_ids))
    return [
        {
            "allocation": allocation,
            "planned_to_date": float(planned),
            "actual_to_date": float(actual),
            "months_reported": int(months),
            "recent_actual": float(recent),
            "recent_months": int(recent_months),
        }
        for allocation, planned, actual, months, recent, recent_months in session.exec(query)
    ]


class PendingImport(SQLModel, table=True):
    """A usage file sent to Kiban in Slack, previewed and waiting for Import or Cancel.

    The file's bytes are kept so Import stores exactly what was previewed; `status` is
    pending, imported or cancelled (changed once, by a conditional update).
    """

    id: int | None = Field(default=None, primary_key=True)
    slack_user_id: str = Field(max_length=32, index=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    filename: str = Field(max_length=255)
    file_format: str = Field(max_length=16)
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary)
    status: str = Field(default="pending", max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime)


def add_pending_import(session: Session, pending: PendingImport) -> PendingImport:
    session.add(pending)
    session.flush()
    return pending


def get_pending_import(session: Session, pending_id: int) -> PendingImport | None:
    return session.get(PendingImport, pending_id)


def close_pending_import(session: Session, pending_id: int, status: str) -> bool:
    """Move a pending import to `status` (imported / cancelled). True for the one caller that
    did it; False when it was no longer pending (a double click, or Cancel racing Import)."""
    result = session.execute(
        update(PendingImport)
        .where(PendingImport.id == pending_id, PendingImport.status == "pending")
        .values(status=status)
    )
    return result.rowcount == 1
