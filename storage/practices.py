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

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from storage.db import UTCDateTime


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
