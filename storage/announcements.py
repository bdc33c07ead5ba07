"""Announcements (issue #9): composed by an operator, approved by a second operator when public
(the four-eyes rule), published at `publish_at` (UTC) by the `announcements` job.

States: `awaiting_approval` (public, not yet approved) → `scheduled` → `published`;
`cancelled` from either waiting state. An announcement for community channels only is
`scheduled` at once. Every transition is a conditional UPDATE on `status` (and, for approval,
on `revision`, so an approval is of the text the approver saw), so two operators or two
replicas cannot both act; the publishing job claims a row (`scheduled` → `publishing`) before
it posts, and records where it went (`posted`: `[{"channel", "ts"}]` or `{"channel", "error"}`).

`title`/`body` are `{"ja": …, "en": …}`. Only `published` public announcements reach the
public feed (`kiban export public`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from storage.db import UTCDateTime


class AnnouncementStatus(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Announcement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: dict = Field(default_factory=dict, sa_type=JSON)
    body: dict = Field(default_factory=dict, sa_type=JSON)
    to_channels: bool = True  # post to the community channels
    to_public: bool = False  # write to the public feed (needs a second operator's approval)
    publish_at: datetime = Field(sa_type=UTCDateTime, index=True)
    status: str = Field(max_length=20, index=True)
    revision: int = 1  # bumped by each edit; an approval names the revision it approves
    author: str = Field(max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
    source_ref: str | None = Field(default=None, max_length=128, unique=True)
    approved_by: str | None = Field(default=None, max_length=32)
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_by: str | None = Field(default=None, max_length=32)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    posted: list[dict] = Field(default_factory=list, sa_type=JSON)
