"""Compute allocations, monthly usage plans and usage reports (GPU-hours), and sacct job usage.

Months are stored as `YYYY-MM` text in the programme's time zone. GPU-hours are floats.
A usage report has revisions: exactly one current row per (organization, allocation, month),
held by a partial unique index, so double submits and two replicas cannot make two.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    LargeBinary,
    MetaData,
    Select,
    String,
    Table,
    UniqueConstraint,
    case,
    delete,
    distinct,
    func,
    literal,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable, DropTable
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


class SacctStage:
    """One sacct import's job rows before they are merged into :class:`SacctJobUsage`: a
    temporary table of the session's connection, one row per (row of the file, month), so a
    large file is written in chunks and summed by the database, and a row dropped for a later
    one of the same run is removed by its line.

    Rows are ``(line, job_id, month, gpu_hours, gpus, other_type)``: GPU-hours of the job in
    that ``YYYY-MM`` month, and ``other_type`` the job's GPU type when it is not the
    allocation's (not counted), else None. Use within one transaction: :meth:`open`, add,
    merge, read the summaries, :meth:`close`; a rollback removes it too.
    """

    _table = Table(
        "sacct_stage",
        MetaData(),  # not the application's metadata: no migration makes it
        Column("line", BigInteger),
        Column("job_id", String),
        Column("month", String),
        Column("gpu_hours", Float),
        Column("gpus", BigInteger),
        Column("other_type", String),
        prefixes=["TEMPORARY"],
    )
    _by_line = Index("sacct_stage_line", _table.c.line)

    def __init__(self, session: Session, *, period: tuple[str, str]) -> None:
        """`period`: the first and last `YYYY-MM` months of the allocation."""
        self.session, self.period = session, period
        c = self._table.c
        self._counted = (c.other_type.is_(None), c.month.between(*period))

    def open(self) -> SacctStage:
        self.session.execute(CreateTable(self._table, if_not_exists=True))
        self.session.execute(delete(self._table))
        return self

    def close(self) -> None:
        self.session.execute(DropTable(self._table, if_exists=True))

    def add(self, rows: list[tuple[int, str, str, float, int, str | None]]) -> None:
        """Write a chunk of rows in one go, through the driver: SQLite's executemany, or
        PostgreSQL's COPY (executemany there sends a statement per row, some 15 times slower).
        """
        if not rows:
            return
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            with connection.connection.driver_connection.cursor() as cursor:
                with cursor.copy(f"COPY {self._table.name} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            sql = f"INSERT INTO {self._table.name} VALUES (?, ?, ?, ?, ?, ?)"
            connection.exec_driver_sql(sql, rows)

    def drop_lines(self, lines: set[int]) -> None:
        """Remove the rows of these lines of the file (rows replaced by later ones)."""
        if not lines:
            return
        self.session.execute(CreateIndex(self._by_line, if_not_exists=True))
        ordered = sorted(lines)
        for i in range(0, len(ordered), 500):
            line_in = self._table.c.line.in_(ordered[i : i + 500])
            self.session.execute(delete(self._table).where(line_in))

    def jobs(self, allocation_id: int, now: datetime) -> Select:
        """SacctJobUsage rows of the counted jobs: per (job id, month) the GPU-hours of its
        rows summed (a requeued job's runs add up) and the most GPUs."""
        c = self._table.c
        return (
            select(
                literal(allocation_id).label("allocation_id"),
                c.job_id,
                c.month,
                func.sum(c.gpu_hours).label("gpu_hours"),
                func.max(c.gpus).label("gpus"),
                literal(now, UTCDateTime()).label("imported_at"),
            )
            .where(*self._counted)
            .group_by(c.job_id, c.month)
        )

    def file_hours(self) -> dict[str, float]:
        """Month → GPU-hours of the counted jobs (the allocation's GPU type, in its period)."""
        c = self._table.c
        query = select(c.month, func.sum(c.gpu_hours)).where(*self._counted).group_by(c.month)
        return {month: float(hours) for month, hours in self.session.execute(query)}

    def outside_period(self) -> list[str]:
        """Months of the allocation's GPU type outside its period, in order of first line."""
        c = self._table.c
        query = (
            select(c.month)
            .where(c.other_type.is_(None), ~c.month.between(*self.period))
            .group_by(c.month)
            .order_by(func.min(c.line), c.month)
        )
        return list(self.session.scalars(query))

    def other_types(self, limit: int) -> dict[str, tuple[int, list[int]]]:
        """GPU type (not the allocation's) → (jobs, the first `limit` of their lines)."""
        c = self._table.c
        query = (
            select(c.other_type, func.count(distinct(c.line)))
            .where(c.other_type.is_not(None))
            .group_by(c.other_type)
        )
        out = {}
        for gpu_type, jobs in self.session.execute(query).all():
            lines = select(c.line).where(c.other_type == gpu_type).distinct()
            out[gpu_type] = (jobs, list(self.session.scalars(lines.order_by(c.line).limit(limit))))
        return out


def upsert_sacct_jobs(
    session: Session, *, allocation_id: int, stage: SacctStage, now: datetime
) -> dict[str, int]:
    """Store the jobs' GPU-hours from `stage` (see :meth:`SacctStage.jobs`) with one bulk
    upsert, `INSERT … SELECT … ON CONFLICT DO UPDATE` of the dialect, that rewrites only rows
    whose figures changed. Call under the allocation's advisory lock (no concurrent writer).

    Returns counts: {"created": n, "updated": n, "unchanged": n}.
    """
    jobs = stage.jobs(allocation_id, now)
    table = SacctJobUsage.__table__
    dialect = session.get_bind().dialect.name
    upsert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    upsert = upsert.from_select(
        ["allocation_id", "job_id", "month", "gpu_hours", "gpus", "imported_at"], jobs
    )
    new = upsert.excluded
    upsert = upsert.on_conflict_do_update(
        index_elements=["allocation_id", "job_id", "month"],
        set_={"gpu_hours": new.gpu_hours, "gpus": new.gpus, "imported_at": new.imported_at},
        where=(func.abs(table.c.gpu_hours - new.gpu_hours) >= 1e-9) | (table.c.gpus != new.gpus),
    )
    on_record = select(func.count()).where(table.c.allocation_id == allocation_id)
    before = session.execute(on_record).scalar_one()
    written = session.execute(upsert.execution_options(preserve_rowcount=True)).rowcount
    created = session.execute(on_record).scalar_one() - before
    keys = session.execute(select(func.count()).select_from(jobs.subquery())).scalar_one()
    return {"created": created, "updated": written - created, "unchanged": keys - written}


def sacct_total(session: Session, *, allocation_id: int, month: str) -> float:
    """Sum of imported sacct GPU-hours for an allocation and month."""
    return sacct_totals(session, allocation_id=allocation_id, months=[month]).get(month, 0.0)


def sacct_totals(session: Session, *, allocation_id: int, months: list[str]) -> dict[str, float]:
    """Month → sum of imported sacct GPU-hours for an allocation (months with none left out)."""
    query = (
        select(SacctJobUsage.month, func.sum(SacctJobUsage.gpu_hours))
        .where(SacctJobUsage.allocation_id == allocation_id, SacctJobUsage.month.in_(months))
        .group_by(SacctJobUsage.month)
    )
    return {month: float(total) for month, total in session.exec(query)}


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


def delete_plans_except(session: Session, *, allocation_id: int, months: list[str]) -> int:
    """Remove the allocation's plans for months not in `months`. Returns how many went."""
    query = delete(UsagePlan).where(
        UsagePlan.allocation_id == allocation_id, UsagePlan.month.not_in(months)
    )
    removed = session.execute(query).rowcount
    session.flush()
    return removed


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
