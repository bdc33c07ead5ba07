"""Claims of scheduled-job slots: the database decides which process runs a job's slot.

A job run inserts `(job, slot)`; the unique constraint lets exactly one process win, so two
replicas each running a scheduler post once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime, insert_once


class JobRun(SQLModel, table=True):
    """One claimed run of a scheduled job: `job` is the stable job id, `slot` e.g. `2026-04`."""

    __table_args__ = (UniqueConstraint("job", "slot", name="uq_job_slot"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=64)
    slot: str = Field(max_length=64)
    claimed_at: datetime = Field(sa_type=UTCDateTime)


def claim(session: Session, *, job: str, slot: str, now: datetime) -> bool:
    """Claim a job slot. True when this caller won it; False when it was already claimed.

    Uses a savepoint so a lost race leaves the caller's transaction usable.
    """
    return insert_once(session, JobRun(job=job, slot=slot, claimed_at=now)) is not None


def claimed(session: Session, *, job: str, slot: str) -> bool:
    """Whether the slot has been claimed (a read; `claim` is what decides)."""
    query = select(JobRun.id).where(JobRun.job == job, JobRun.slot == slot)
    return session.exec(query).first() is not None
