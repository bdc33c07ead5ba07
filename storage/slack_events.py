"""Events API deliveries already taken: one row per Slack `event_id`.

Slack retries an event it thinks was not acknowledged (up to 3 times within about 5 minutes,
with `X-Slack-Retry-Num`), and may deliver it again after a restart; the unique `event_id`
lets exactly one delivery through, across restarts and replicas. Rows older than
`KEEP` are deleted when a new one is taken (Slack's retries end minutes after the first try).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Field, Session, SQLModel

from storage.db import UTCDateTime, insert_once

KEEP = timedelta(days=2)


class SlackEvent(SQLModel, table=True):
    """One taken delivery: Slack's `event_id` (e.g. `Ev0123ABCD`) and when it came (UTC)."""

    __tablename__ = "slack_event"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=64, unique=True)
    received_at: datetime = Field(sa_type=UTCDateTime, index=True)


def take(session: Session, *, event_id: str, now: datetime) -> bool:
    """True when this is the first delivery of `event_id` (the row is written); False when it
    was taken before. Also deletes rows received more than `KEEP` before `now`.

    Uses a savepoint, so a lost race leaves the caller's transaction usable.
    """
    session.execute(delete(SlackEvent).where(SlackEvent.received_at < now - KEEP))
    return insert_once(session, SlackEvent(event_id=event_id, received_at=now)) is not None
