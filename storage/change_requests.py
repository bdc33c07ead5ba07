"""Allocation change requests (ColdFront's "allocation change request"): an organization lead
asks for more GPU-hours, a later end date or a re-profiled monthly plan, with a justification;
an operator approves or denies it with a reason. Rows are never deleted: they are the history.

`status` moves once from `open` to `approved` or `denied`, by a conditional update, so two
operators deciding at once cannot both apply the change.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime, insert_once

JUSTIFICATION_MAX = 3000
REASON_MAX = 1000


class ChangeKind(StrEnum):
    MORE_HOURS = "more_hours"
    EXTENSION = "extension"
    REPROFILE = "reprofile"


class ChangeStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    DENIED = "denied"


class ChangeRequest(SQLModel, table=True):
    """One change request for one allocation.

    Only the field of its kind is set: `extra_gpu_hours` (GPU-hours to add to the grant),
    `new_period_end` (a date later than the allocation's end), or `plans_json` (a JSON object
    `{"YYYY-MM": GPU-hours}` replacing those months' plans). `before_json` keeps what the
    allocation was when requested, so the history reads the same after it changed. `source_ref` (the modal's view id)
    is unique, so a retried submission stores one row.
    """

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    allocation_id: int = Field(foreign_key="computeallocation.id", index=True)
    kind: str = Field(max_length=16)
    extra_gpu_hours: float | None = None
    new_period_end: date | None = None
    plans_json: str | None = None
    before_json: str  # the allocation when requested: granted, end, plans of changed months
    justification: str = Field(max_length=JUSTIFICATION_MAX)
    requested_by: str = Field(max_length=32)
    requested_at: datetime = Field(sa_type=UTCDateTime)
    source_ref: str | None = Field(default=None, max_length=64, unique=True)
    status: str = Field(default=ChangeStatus.OPEN.value, max_length=16, index=True)
    decided_by: str | None = Field(default=None, max_length=32)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_reason: str | None = Field(default=None, max_length=REASON_MAX)

    @property
    def plans(self) -> dict[str, float]:
        """The re-profiled plan, month → GPU-hours ({} for other kinds)."""
        return json.loads(self.plans_json) if self.plans_json else {}

    @property
    def before(self) -> dict:
        """The allocation as it was when requested: `granted` (GPU-hours), `end` (ISO date),
        `plans` (month → GPU-hours or None, for the months a re-profile changes)."""
        return json.loads(self.before_json)


def add_request(session: Session, request: ChangeRequest) -> ChangeRequest | None:
    """Insert `request` (flushed, id set); None when its `source_ref` was stored before."""
    return insert_once(session, request)


def get_request(session: Session, request_id: int) -> ChangeRequest | None:
    return session.get(ChangeRequest, request_id)


def decide(
    session: Session,
    request_id: int,
    *,
    status: ChangeStatus,
    user_id: str,
    reason: str,
    now: datetime,
) -> bool:
    """Close an open request as approved or denied. True for the one caller that did it;
    False when it was already decided (the row is refreshed either way)."""
    result = session.execute(
        update(ChangeRequest)
        .where(ChangeRequest.id == request_id, ChangeRequest.status == ChangeStatus.OPEN.value)
        .values(status=status.value, decided_by=user_id, decided_at=now, decision_reason=reason)
    )
    request = session.get(ChangeRequest, request_id)
    if request is not None:
        session.refresh(request)
    return result.rowcount == 1


def requests_for(
    session: Session, org_ids: list[int] | None, *, limit: int = 20
) -> list[ChangeRequest]:
    """Newest first; every organization's when `org_ids` is None."""
    query = select(ChangeRequest).order_by(ChangeRequest.id.desc()).limit(limit)
    if org_ids is not None:
        query = query.where(ChangeRequest.organization_id.in_(org_ids))
    return list(session.exec(query))
