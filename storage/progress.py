"""Survey projects' monthly progress reports (issue #9), the secretariat's advice on them, and
the shared results an operator marked for dissemination.

A `ProgressReport` has revisions like a usage report: exactly one current row per
(organization, month), held by a partial unique index; older revisions are kept. `source_ref`
is what produced a revision (the modal's view id), so a retried submission is recognised.

`ProgressAdvice` is one operator's advice on one revision, kept with the report (its
`source_ref` is unique: a double submit stores one). `Dissemination` is the snapshot of a
report's "results to share" an operator marked for dissemination (one per organization and
month: marking a later revision again replaces the text); the digest and the monthly trend
report read it, never the report itself. Months are `YYYY-MM` in the programme's zone; times UTC.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint, text, update
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime, advisory_lock, insert_once


class ProgressReport(SQLModel, table=True):
    __table_args__ = (
        Index(
            "uq_progress_current",
            "organization_id",
            "month",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
        UniqueConstraint("organization_id", "month", "revision", name="uq_progress_rev"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    month: str = Field(max_length=7, index=True)
    plan: str = Field(sa_type=Text)
    progress: str = Field(sa_type=Text)
    issues: str = Field(sa_type=Text)
    improvement_plan: str = Field(sa_type=Text)
    results: str | None = Field(default=None, sa_type=Text)  # results to share (optional)
    help_needed: str | None = Field(default=None, sa_type=Text)  # from the secretariat
    reporter: str = Field(max_length=32)
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    source_ref: str | None = Field(default=None, max_length=128)
    revision: int = 1
    is_current: bool = True


class ProgressAdvice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="progressreport.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    month: str = Field(max_length=7, index=True)
    author: str = Field(max_length=32)
    text: str = Field(sa_type=Text)
    given_at: datetime = Field(sa_type=UTCDateTime)
    source_ref: str | None = Field(default=None, max_length=128, unique=True)


class Dissemination(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organization_id", "month", name="uq_dissemination"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="progressreport.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    month: str = Field(max_length=7, index=True)
    results: str = Field(sa_type=Text)  # the text as marked
    marked_by: str = Field(max_length=32)
    marked_at: datetime = Field(sa_type=UTCDateTime, index=True)


def lock_report_key(session: Session, *, org_id: int, month: str) -> None:
    """Make writers of the same (organization, month) take turns until commit (PostgreSQL)."""
    advisory_lock(session, f"progressreport:{org_id}:{month}")


def current_report(
    session: Session, *, org_id: int, month: str, for_update: bool = False
) -> ProgressReport | None:
    """The revision in force for (organization, month), or None."""
    query = select(ProgressReport).where(
        ProgressReport.organization_id == org_id,
        ProgressReport.month == month,
        ProgressReport.is_current.is_(True),
    )
    if for_update:
        query = query.with_for_update()
    return session.exec(query).first()


def current_reports_of_month(session: Session, month: str) -> list[ProgressReport]:
    """Every organization's report in force for `month`, ordered by organization id."""
    query = (
        select(ProgressReport)
        .where(ProgressReport.month == month, ProgressReport.is_current.is_(True))
        .order_by(ProgressReport.organization_id)
    )
    return list(session.exec(query))


def supersede(session: Session, report: ProgressReport) -> None:
    """Mark a current report as superseded (flushes, so the unique index frees at once)."""
    session.execute(
        update(ProgressReport).where(ProgressReport.id == report.id).values(is_current=False)
    )
    report.is_current = False
    session.flush()


def advice_for(session: Session, *, org_id: int, month: str) -> list[ProgressAdvice]:
    """All advice given on any revision of (organization, month), oldest first."""
    query = (
        select(ProgressAdvice)
        .where(ProgressAdvice.organization_id == org_id, ProgressAdvice.month == month)
        .order_by(ProgressAdvice.given_at, ProgressAdvice.id)
    )
    return list(session.exec(query))


def dissemination_of(session: Session, *, org_id: int, month: str) -> Dissemination | None:
    query = select(Dissemination).where(
        Dissemination.organization_id == org_id, Dissemination.month == month
    )
    return session.exec(query).first()


def disseminations_marked_between(
    session: Session, start: datetime, end: datetime
) -> list[Dissemination]:
    """Results marked for dissemination in [start, end) (UTC), oldest first (the digest)."""
    query = (
        select(Dissemination)
        .where(Dissemination.marked_at >= start, Dissemination.marked_at < end)
        .order_by(Dissemination.marked_at, Dissemination.id)
    )
    return list(session.exec(query))


def add_report(session: Session, report: ProgressReport) -> ProgressReport:
    session.add(report)
    session.flush()
    return report


def get_report(session: Session, report_id: int) -> ProgressReport | None:
    return session.get(ProgressReport, report_id)


def current_reports_of_org(
    session: Session, org_id: int, *, limit: int | None = None
) -> list[ProgressReport]:
    """An organization's reports in force, newest month first (at most `limit`)."""
    query = (
        select(ProgressReport)
        .where(ProgressReport.organization_id == org_id, ProgressReport.is_current.is_(True))
        .order_by(ProgressReport.month.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def add_advice(session: Session, advice: ProgressAdvice) -> ProgressAdvice | None:
    """Store advice unless advice with its `source_ref` is there already (a double submit):
    then None. A savepoint keeps the caller's transaction usable."""
    return insert_once(session, advice)


def lock_dissemination_key(session: Session, *, org_id: int, month: str) -> None:
    """Make markers of the same (organization, month) take turns until commit (PostgreSQL)."""
    advisory_lock(session, f"dissemination:{org_id}:{month}")


def mark_dissemination(
    session: Session, *, report: ProgressReport, results: str, marked_by: str, now: datetime
) -> str:
    """Make `results` the text marked for dissemination for the report's (organization,
    month), from revision `report`. Returns "created", "replaced" (another text or revision
    was marked before) or "unchanged" (this very text of this revision). Callers hold
    `lock_dissemination_key`; should a concurrent insert still win, its row is replaced."""
    for _attempt in range(2):
        existing = dissemination_of(session, org_id=report.organization_id, month=report.month)
        if existing is not None:
            if existing.report_id == report.id and existing.results == results:
                return "unchanged"
            session.execute(
                update(Dissemination)
                .where(Dissemination.id == existing.id)
                .values(report_id=report.id, results=results, marked_by=marked_by, marked_at=now)
            )
            session.flush()
            session.expire(existing)
            return "replaced"
        row = Dissemination(
            report_id=report.id,
            organization_id=report.organization_id,
            month=report.month,
            results=results,
            marked_by=marked_by,
            marked_at=now,
        )
        if insert_once(session, row) is not None:
            return "created"
    raise RuntimeError("dissemination kept conflicting; giving up")
