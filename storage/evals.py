"""Evaluation results: submissions (one results file for one model revision), their scores,
and flags raised on published results.

A submission's `status` moves along submitted → approved → published, or to
changes_requested / rejected, each move a conditional update from the expected status, so two
operators acting at once make one transition. Scores are kept as read (missing values stay
NULL, never 0; a metric's filter is part of its key). Times are UTC.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime

TEXT_MAX = 3000


class EvalStatus(StrEnum):
    SUBMITTED = "submitted"  # in the review queue
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"  # waiting for its embargo time
    PUBLISHED = "published"
    REJECTED = "rejected"


class ModelType(StrEnum):
    PRETRAINED = "pretrained"
    CONTINUAL = "continual"  # continually pretrained
    INSTRUCTION = "instruction"  # instruction-tuned
    CHAT = "chat"
    MERGED = "merged"


class EvalSubmission(SQLModel, table=True):
    """One results file submitted for one model revision by an organization."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    submitted_by: str = Field(max_length=32)
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    model_name: str = Field(max_length=200)
    model_revision: str = Field(max_length=200)
    parameters_b: float | None = None
    model_type: str = Field(max_length=16)
    notes: str | None = Field(default=None, max_length=TEXT_MAX)
    evidence_link: str | None = Field(default=None, max_length=500)
    file_name: str = Field(max_length=255)
    file_format: str = Field(max_length=16)
    file_sha256: str = Field(max_length=64)
    report_json: str  # the validator's report (bot.services.eval_validation)
    status: str = Field(default=EvalStatus.SUBMITTED.value, max_length=20, index=True)
    override_reason: str | None = Field(default=None, max_length=1000)
    decided_by: str | None = Field(default=None, max_length=32)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_reason: str | None = Field(default=None, max_length=1000)
    embargo_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    review_channel: str | None = Field(default=None, max_length=32)
    review_ts: str | None = Field(default=None, max_length=32)
    results_ts: str | None = Field(default=None, max_length=32)
    source_ref: str | None = Field(default=None, max_length=64, unique=True)


class EvalScoreRow(SQLModel, table=True):
    """One score of a submission: task × metric × filter (filter '' when the format has none)."""

    __tablename__ = "evalscore"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="evalsubmission.id", index=True)
    task: str = Field(max_length=200)
    metric: str = Field(max_length=100)
    filter: str = Field(default="", max_length=100)
    value: float | None = None
    stderr: float | None = None
    n_shot: int | None = None
    version: str | None = Field(default=None, max_length=32)
    higher_is_better: bool | None = None
    is_group: bool = False
    benchmark: str | None = Field(default=None, max_length=100, index=True)
    headline: bool = False


class EvalFlag(SQLModel, table=True):
    """A flag a group member raised on a published result, until an operator resolves it."""

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="evalsubmission.id", index=True)
    flagged_by: str = Field(max_length=32)
    reason: str = Field(max_length=TEXT_MAX)
    created_at: datetime = Field(sa_type=UTCDateTime)
    thread_ts: str | None = Field(default=None, max_length=32)
    resolved_by: str | None = Field(default=None, max_length=32)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def add_submission(
    session: Session, submission: EvalSubmission, scores: list[EvalScoreRow]
) -> EvalSubmission | None:
    """Insert a submission and its scores (flushed). None when its `source_ref` was stored
    before (a retried submission); a savepoint keeps the caller's transaction usable."""
    try:
        with session.begin_nested():
            session.add(submission)
            session.flush()
    except IntegrityError:
        return None
    for score in scores:
        score.submission_id = submission.id
        session.add(score)
    session.flush()
    return submission


def get_submission(session: Session, submission_id: int) -> EvalSubmission | None:
    return session.get(EvalSubmission, submission_id)


def scores_of(session: Session, submission_id: int) -> list[EvalScoreRow]:
    query = select(EvalScoreRow).where(EvalScoreRow.submission_id == submission_id)
    return list(session.exec(query.order_by(EvalScoreRow.id)))


def transition(
    session: Session,
    submission_id: int,
    *,
    from_: tuple[EvalStatus, ...],
    to: EvalStatus,
    **values,
) -> bool:
    """Move a submission from one of `from_` to `to` (setting `values` too). True for the one
    caller that did it; False when it had already moved. The row is refreshed either way."""
    result = session.execute(
        update(EvalSubmission)
        .where(
            EvalSubmission.id == submission_id,
            EvalSubmission.status.in_([status.value for status in from_]),
        )
        .values(status=to.value, **values)
    )
    row = session.get(EvalSubmission, submission_id)
    if row is not None:
        session.refresh(row)
    return result.rowcount == 1


def published_benchmarks(
    session: Session, *, org_id: int, model_name: str, model_revision: str
) -> set[str]:
    """Benchmarks already published (or approved) for this organization's model revision
    (names and revisions compared case-insensitively: `Llama3-8B` is `llama3-8b`)."""
    query = (
        select(EvalScoreRow.benchmark)
        .join(EvalSubmission, EvalSubmission.id == EvalScoreRow.submission_id)
        .where(
            EvalSubmission.organization_id == org_id,
            func.lower(EvalSubmission.model_name) == model_name.strip().lower(),
            func.lower(EvalSubmission.model_revision) == model_revision.strip().lower(),
            EvalSubmission.status.in_([EvalStatus.APPROVED.value, EvalStatus.PUBLISHED.value]),
            EvalScoreRow.headline.is_(True),
        )
    )
    return {benchmark for benchmark in session.exec(query) if benchmark}


def due_for_publication(session: Session, now: datetime) -> list[EvalSubmission]:
    """Approved submissions whose embargo has passed (or that have none), oldest first."""
    query = (
        select(EvalSubmission)
        .where(EvalSubmission.status == EvalStatus.APPROVED.value)
        .where((EvalSubmission.embargo_until.is_(None)) | (EvalSubmission.embargo_until <= now))
        .order_by(EvalSubmission.id)
    )
    return list(session.exec(query))


def submissions_of(
    session: Session, org_ids: list[int] | None, *, limit: int = 15
) -> list[EvalSubmission]:
    """Newest first; every organization's when `org_ids` is None."""
    query = select(EvalSubmission).order_by(EvalSubmission.id.desc()).limit(limit)
    if org_ids is not None:
        query = query.where(EvalSubmission.organization_id.in_(org_ids))
    return list(session.exec(query))


def add_flag(session: Session, flag: EvalFlag) -> EvalFlag:
    session.add(flag)
    session.flush()
    return flag


def open_flags(session: Session, submission_id: int) -> list[EvalFlag]:
    query = select(EvalFlag).where(
        EvalFlag.submission_id == submission_id, EvalFlag.resolved_at.is_(None)
    )
    return list(session.exec(query))


def resolve_flag(session: Session, flag_id: int, *, user_id: str, now: datetime) -> EvalFlag | None:
    """Resolve an open flag (once: a conditional update). Returns the flag, or None when it
    does not exist; `resolved_by` names whoever was first."""
    session.execute(
        update(EvalFlag)
        .where(EvalFlag.id == flag_id, EvalFlag.resolved_at.is_(None))
        .values(resolved_by=user_id, resolved_at=now)
    )
    flag = session.get(EvalFlag, flag_id)
    if flag is not None:
        session.refresh(flag)
    return flag


def headline_benchmarks(session: Session, submission_id: int) -> set[str]:
    """The benchmarks a submission has headline scores for."""
    query = select(EvalScoreRow.benchmark).where(
        EvalScoreRow.submission_id == submission_id, EvalScoreRow.headline.is_(True)
    )
    return {benchmark for benchmark in session.exec(query) if benchmark}
