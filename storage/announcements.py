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

from sqlalchemy import JSON, or_, update
from sqlmodel import Field, Session, SQLModel, select

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
    # the card in the operator channel, updated in place by every later step (None: not posted)
    card_channel: str | None = Field(default=None, max_length=32)
    card_ts: str | None = Field(default=None, max_length=32)


# --- queries ---------------------------------------------------------------------------------

WAITING = (AnnouncementStatus.AWAITING_APPROVAL.value, AnnouncementStatus.SCHEDULED.value)


def by_source_ref(session: Session, source_ref: str) -> Announcement | None:
    """The announcement a submission (`source_ref`, the modal's view id) stored, or None."""
    query = select(Announcement).where(Announcement.source_ref == source_ref)
    return session.exec(query).first()


def transition(
    session: Session,
    announcement_id: int,
    *,
    expected: tuple[str, ...],
    at_revision: int | None = None,
    claimed_at: datetime | None = None,
    **values: object,
) -> bool:
    """One conditional UPDATE: set `values` on the announcement when its status is one of
    `expected` (and its revision is `at_revision`, and, for a re-claim, its `published_at`
    is `claimed_at`). True when this caller won; False when the row had moved on."""
    query = update(Announcement).where(
        Announcement.id == announcement_id, Announcement.status.in_(expected)
    )
    if at_revision is not None:
        query = query.where(Announcement.revision == at_revision)
    if claimed_at is not None:
        query = query.where(Announcement.published_at == claimed_at)
    done = session.exec(query.values(**values).execution_options(synchronize_session=False))
    return done.rowcount == 1


def due(session: Session, now: datetime, *, stale_before: datetime) -> list[Announcement]:
    """(While `publishing`, `published_at` is the moment of the claim; once `published`, the
    moment publication finished.) Scheduled announcements whose `publish_at` has come (≤ `now`), and publications claimed
    before `stale_before` that never finished (a crash between claim and post), oldest first."""
    query = (
        select(Announcement)
        .where(
            or_(
                (Announcement.status == AnnouncementStatus.SCHEDULED.value)
                & (Announcement.publish_at <= now),
                (Announcement.status == AnnouncementStatus.PUBLISHING.value)
                & (Announcement.published_at < stale_before),
            )
        )
        .order_by(Announcement.publish_at, Announcement.id)
    )
    return list(session.exec(query))


def publishing(session: Session) -> list[int]:
    """Ids of the announcements being published (claimed, posts not all done), oldest first."""
    query = select(Announcement.id).where(
        Announcement.status == AnnouncementStatus.PUBLISHING.value
    )
    return list(session.exec(query.order_by(Announcement.id)))


def overdue_unapproved(session: Session, now: datetime) -> list[Announcement]:
    """Public announcements still awaiting approval whose `publish_at` has passed."""
    query = (
        select(Announcement)
        .where(
            Announcement.status == AnnouncementStatus.AWAITING_APPROVAL.value,
            Announcement.publish_at <= now,
        )
        .order_by(Announcement.publish_at, Announcement.id)
    )
    return list(session.exec(query))


def listing(session: Session, *, published_since: datetime, limit: int) -> list[Announcement]:
    """What `/announce list` shows: every announcement awaiting approval, scheduled or being
    published, then those published since `published_since`; by publication time, at most
    `limit`."""
    query = (
        select(Announcement)
        .where(
            or_(
                Announcement.status.in_([*WAITING, AnnouncementStatus.PUBLISHING.value]),
                (Announcement.status == AnnouncementStatus.PUBLISHED.value)
                & (Announcement.published_at >= published_since),
            )
        )
        .order_by(Announcement.publish_at, Announcement.id)
        .limit(limit)
    )
    return list(session.exec(query))


def published_public(session: Session) -> list[Announcement]:
    """The announcements the public feed may show: public and published, newest first."""
    query = (
        select(Announcement)
        .where(
            Announcement.to_public.is_(True),
            Announcement.status == AnnouncementStatus.PUBLISHED.value,
        )
        .order_by(Announcement.published_at.desc(), Announcement.id.desc())
    )
    return list(session.exec(query))
