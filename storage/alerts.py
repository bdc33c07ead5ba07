"""Alerts sent, one row per alert key, inserted before sending so each goes out once.

The key encodes what makes an alert distinct (e.g. `ORGA:3:2026-03:1` = organization, allocation,
month and 10 % band); acknowledgement by a lead is recorded on the same row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime, insert_once


class AlertRecord(SQLModel, table=True):
    """An alert sent once per `key` (e.g. `overuse:ORG:ALLOC:2026-03:band1`); acknowledgement."""

    __table_args__ = (UniqueConstraint("kind", "key", name="uq_alert_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    key: str = Field(max_length=200)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    allocation_id: int | None = Field(default=None, foreign_key="computeallocation.id")
    level: int = 1
    sent_at: datetime = Field(sa_type=UTCDateTime)
    acknowledged_by: str | None = Field(default=None, max_length=32)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def record_alert(
    session: Session,
    *,
    kind: str,
    key: str,
    organization_id: int | None,
    now: datetime,
    allocation_id: int | None = None,
    level: int = 1,
) -> AlertRecord | None:
    """Record an alert about to be sent. Returns it, or None when it was sent before."""
    record = AlertRecord(
        kind=kind,
        key=key,
        organization_id=organization_id,
        allocation_id=allocation_id,
        level=level,
        sent_at=now,
    )
    return insert_once(session, record)


def get_alert(session: Session, alert_id: int) -> AlertRecord | None:
    return session.get(AlertRecord, alert_id)


def alerts_of(session: Session, kind: str) -> list[AlertRecord]:
    return list(session.exec(select(AlertRecord).where(AlertRecord.kind == kind)))


def keys_with_prefix(session: Session, kind: str, prefix: str) -> list[str]:
    """Keys of the alerts of `kind` whose key starts with `prefix`."""
    query = select(AlertRecord.key).where(
        AlertRecord.kind == kind, AlertRecord.key.startswith(prefix, autoescape=True)
    )
    return list(session.exec(query))


def first_alert_time(session: Session, kind: str, prefix: str) -> datetime | None:
    """When the first alert of `kind` whose key starts with `prefix` was sent, or None."""
    query = select(func.min(AlertRecord.sent_at)).where(
        AlertRecord.kind == kind, AlertRecord.key.startswith(prefix, autoescape=True)
    )
    return session.exec(query).one()


class AlertState(SQLModel, table=True):
    """A condition that keeps alerting while it lasts (runs out early, under plan, report
    missing) for one organization, allocation and kind: when it was first seen, the level
    reached (1 leads, 2 leads + operators, 3 operator escalation), when it last alerted, and
    until when it is snoozed. Removed when the condition ends."""

    __table_args__ = (
        UniqueConstraint("organization_id", "allocation_id", "kind", name="uq_alert_state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    allocation_id: int = Field(foreign_key="computeallocation.id")
    kind: str = Field(max_length=32)
    first_seen_at: datetime = Field(sa_type=UTCDateTime)
    level: int = 0
    last_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    snoozed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


def alert_state(
    session: Session, *, organization_id: int, allocation_id: int, kind: str, now: datetime
) -> AlertState:
    """The condition's state, created (level 0, first seen `now`) when new."""
    query = select(AlertState).where(
        AlertState.organization_id == organization_id,
        AlertState.allocation_id == allocation_id,
        AlertState.kind == kind,
    )
    state = session.exec(query).first()
    if state is None:
        state = AlertState(
            organization_id=organization_id,
            allocation_id=allocation_id,
            kind=kind,
            first_seen_at=now,
        )
        session.add(state)
        session.flush()
    return state


def clear_states(
    session: Session, *, kinds: tuple[str, ...], keep: set[tuple[int, int, str]]
) -> None:
    """Forget the states of `kinds` whose (organization, allocation, kind) is not in `keep`:
    their condition ended, so a recurrence starts again at level 1."""
    for state in session.exec(select(AlertState).where(AlertState.kind.in_(kinds))):
        if (state.organization_id, state.allocation_id, state.kind) not in keep:
            session.delete(state)
    session.flush()


def get_state(session: Session, state_id: int) -> AlertState | None:
    return session.get(AlertState, state_id)


def history(session: Session, organization_id: int | None, limit: int = 20) -> list[AlertRecord]:
    """The latest alerts, newest first (of one organization, or all with None)."""
    query = select(AlertRecord).order_by(AlertRecord.sent_at.desc(), AlertRecord.id.desc())
    if organization_id is not None:
        query = query.where(AlertRecord.organization_id == organization_id)
    return list(session.exec(query.limit(limit)))
