"""Alerts sent, one row per alert key, inserted before sending so each goes out once.

The key encodes what makes an alert distinct (e.g. `ORGA:3:2026-03:1` = organization, allocation,
month and 10 % band); acknowledgement by a lead is recorded on the same row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime


class AlertRecord(SQLModel, table=True):
    """An alert sent once per `key` (e.g. `overuse:ORG:ALLOC:2026-03:band1`); acknowledgement."""

    __table_args__ = (UniqueConstraint("kind", "key", name="uq_alert_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    key: str = Field(max_length=200)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    sent_at: datetime = Field(sa_type=UTCDateTime)
    acknowledged_by: str | None = Field(default=None, max_length=32)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def record_alert(
    session: Session, *, kind: str, key: str, organization_id: int | None, now: datetime
) -> AlertRecord | None:
    """Record an alert about to be sent. Returns it, or None when it was sent before."""
    record = AlertRecord(kind=kind, key=key, organization_id=organization_id, sent_at=now)
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError:
        return None
    return record


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
