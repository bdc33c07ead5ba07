"""The governance best-practice library (issue #9).

A `Practice` is submitted (`pending`), then an operator approves it (`approved`: visible to
everyone) or rejects it with a reason (`rejected`: visible to nobody but the submitter's
decision DM). Transitions are conditional UPDATEs on `status`, so two operators cannot both
decide. `organization_id` is the organization it is attributed to, or None: anonymous.
`submitted_by` is kept only to tell the submitter the decision; it is never shown to anyone,
so an anonymous entry stays anonymous (also to operators).

`search_text` is the folded (`bot.parsing.text.fold_name`) title, practice text and source
link, so a substring search works for Japanese (no word breaks) and English alike on SQLite
and PostgreSQL. `source_ref` is what produced the submission (the modal's view id): a retried
submission stores one entry. Times UTC.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text, func, update
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime, insert_once
from storage.members import Organization


class PracticeArea(StrEnum):
    DATA_GOVERNANCE = "data_governance"
    SAFETY_EVALUATION = "safety_evaluation"
    SECURITY = "security"
    LICENSING = "licensing"  # licensing and copyright
    PRIVACY = "privacy"
    COMPUTE_OPERATIONS = "compute_operations"
    OTHER = "other"


class PracticeStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Practice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    body: str = Field(sa_type=Text)
    area: str = Field(max_length=32, index=True)
    source_url: str | None = Field(default=None, max_length=2000)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    status: str = Field(default=PracticeStatus.PENDING.value, max_length=16, index=True)
    submitted_by: str = Field(max_length=32)
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    origin: str = Field(default="command", max_length=16)  # command, shortcut
    source_ref: str | None = Field(default=None, max_length=128, unique=True)
    search_text: str = Field(default="", sa_type=Text)
    reviewed_by: str | None = Field(default=None, max_length=32)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    reject_reason: str | None = Field(default=None, sa_type=Text)
    revision: int = 1  # bumped by each operator edit


# --- queries ----------------------------------------------------------------------------------


def add_practice(session: Session, practice: Practice) -> Practice | None:
    """Insert a submission (flushed, id set); None when its `source_ref` was stored already
    (a retried submission of the same modal)."""
    return insert_once(session, practice)


def get_practice(session: Session, practice_id: int) -> Practice | None:
    return session.get(Practice, practice_id)


def org_name_of(session: Session, practice: Practice) -> str | None:
    """The name of the organization the entry is attributed to; None when anonymous."""
    if practice.organization_id is None:
        return None
    org = session.get(Organization, practice.organization_id)
    return org.name if org is not None else None


def move_practice(
    session: Session,
    practice_id: int,
    *,
    expect: PracticeStatus,
    seen_revision: int | None = None,
    **values,
) -> bool:
    """Set `values` (columns: `status`, `reviewed_by`, `revision`, …) on a practice still in
    status `expect` and, when given, still at `seen_revision` (what the operator saw): one
    conditional UPDATE. True for the one caller that did it; False when it had moved on. The
    row is refreshed."""
    query = update(Practice).where(Practice.id == practice_id, Practice.status == expect.value)
    if seen_revision is not None:
        query = query.where(Practice.revision == seen_revision)
    result = session.execute(query.values(**values))
    row = session.get(Practice, practice_id)
    if row is not None:
        session.refresh(row)
    return result.rowcount == 1


def pending_practices(session: Session, *, limit: int) -> tuple[list[Practice], int]:
    """(the oldest `limit` pending entries, how many are pending in all)."""
    pending = Practice.status == PracticeStatus.PENDING.value
    rows = session.exec(select(Practice).where(pending).order_by(Practice.id).limit(limit))
    total = session.exec(select(func.count()).select_from(Practice).where(pending)).one()
    return list(rows), total


def _with_org():
    """Practices with their organization's name (None when anonymous)."""
    return select(Practice, Organization.name).outerjoin(
        Organization, Organization.id == Practice.organization_id
    )


def search_approved(
    session: Session, words: list[str], *, limit: int
) -> tuple[list[tuple[Practice, str | None]], int]:
    """Approved entries whose `search_text` contains every one of `words` (already folded
    like it): LIKE wildcards in them are literal (`autoescape`). Returns (the newest `limit`
    as (practice, organization name or None), how many match in all)."""
    conditions = [Practice.status == PracticeStatus.APPROVED.value]
    conditions += [Practice.search_text.contains(word, autoescape=True) for word in words]
    rows = session.exec(
        _with_org()
        .where(*conditions)
        .order_by(Practice.reviewed_at.desc(), Practice.id.desc())
        .limit(limit)
    )
    total = session.exec(select(func.count()).select_from(Practice).where(*conditions)).one()
    return [(practice, name) for practice, name in rows], total


def approved_practices(
    session: Session,
    *,
    area: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[tuple[Practice, str | None]]:
    """Approved entries as (practice, organization name or None), oldest approval first: of
    one `area` when given, approved in [`start`, `end`) when given (aware)."""
    query = _with_org().where(Practice.status == PracticeStatus.APPROVED.value)
    if area is not None:
        query = query.where(Practice.area == area)
    if start is not None:
        query = query.where(Practice.reviewed_at >= start)
    if end is not None:
        query = query.where(Practice.reviewed_at < end)
    rows = session.exec(query.order_by(Practice.reviewed_at, Practice.id))
    return [(practice, name) for practice, name in rows]
