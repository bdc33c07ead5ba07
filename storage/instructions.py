"""Instructions (指示) the secretariat issues to an organization, with their acknowledgement
and the reminder sent the day before they are due.

Each write that must happen once is a conditional update or a unique key, so double clicks,
Slack retries and two replicas running the reminder job change a row once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime, insert_once
from storage.members import Organization

TITLE_MAX = 150
BODY_MAX = 3000


class Instruction(SQLModel, table=True):
    """One instruction to one organization. `source_ref` (e.g. `view:V123`) is unique, so the
    same modal submission delivered twice stores one row."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    title: str = Field(max_length=TITLE_MAX)
    body: str = Field(max_length=BODY_MAX)
    due_date: date = Field(index=True)
    issued_by: str = Field(max_length=32)
    issued_at: datetime = Field(sa_type=UTCDateTime)
    source_ref: str | None = Field(default=None, max_length=64, unique=True)
    acknowledged_by: str | None = Field(default=None, max_length=32)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def add_instruction(session: Session, instruction: Instruction) -> Instruction | None:
    """Insert `instruction` (flushed, id set). Returns None when its `source_ref` was stored
    before (a retried submission). Uses a savepoint so the caller's transaction stays usable."""
    return insert_once(session, instruction)


def get_instruction(session: Session, instruction_id: int) -> Instruction | None:
    return session.get(Instruction, instruction_id)


def acknowledge(session: Session, instruction_id: int, *, user_id: str, now: datetime) -> bool:
    """Record `user_id` as having acknowledged the instruction, unless someone already did.

    Returns True when this call recorded it. The row is refreshed either way, so
    `acknowledged_by` names whoever was first.
    """
    result = session.execute(
        update(Instruction)
        .where(Instruction.id == instruction_id, Instruction.acknowledged_by.is_(None))
        .values(acknowledged_by=user_id, acknowledged_at=now)
        .execution_options(synchronize_session=False)
    )
    record = session.get(Instruction, instruction_id)
    if record is not None:
        session.refresh(record)
    return result.rowcount == 1


def mark_reminded(session: Session, instruction_id: int, *, now: datetime) -> bool:
    """Record the reminder for an instruction. True when this call recorded it (never before)."""
    result = session.execute(
        update(Instruction)
        .where(Instruction.id == instruction_id, Instruction.reminded_at.is_(None))
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def open_instructions(
    session: Session, org_ids: list[int] | None = None
) -> list[tuple[Instruction, Organization]]:
    """Unacknowledged instructions with their organizations, by due date then id; only those of
    `org_ids` when given (None: every organization)."""
    query = (
        select(Instruction, Organization)
        .join(Organization, Instruction.organization_id == Organization.id)
        .where(Instruction.acknowledged_by.is_(None))
        .order_by(Instruction.due_date, Instruction.id)
    )
    if org_ids is not None:
        query = query.where(Instruction.organization_id.in_(org_ids))
    return [(i, o) for i, o in session.exec(query)]


def due_unreminded(session: Session, due_date: date) -> list[tuple[Instruction, Organization]]:
    """Unacknowledged instructions due on `due_date` that have had no reminder yet."""
    query = (
        select(Instruction, Organization)
        .join(Organization, Instruction.organization_id == Organization.id)
        .where(
            Instruction.due_date == due_date,
            Instruction.acknowledged_by.is_(None),
            Instruction.reminded_at.is_(None),
        )
        .order_by(Instruction.id)
    )
    return [(i, o) for i, o in session.exec(query)]
