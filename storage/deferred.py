"""Messages held back for the recipient's quiet hours, sent by the `deferred_messages` job.

A row is rendered when it is deferred (text and Block Kit blocks in the recipient's language),
so sending it needs no code and no data but the row. Times are UTC (`UTCDateTime`).

States: waiting (`sent_at` null, `attempts` < the sender's limit), claimed or sent (`sent_at`
set), given up (`sent_at` null, `attempts` at the limit). A sender claims a row with a
conditional update before posting it, so two processes never both post it; a post Slack
refused releases the claim for a retry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Text, or_, update
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime

ERROR_MAX = 255


class DeferredMessage(SQLModel, table=True):
    """One direct message to one user, due at `due_at` (UTC).

    `recipient` is a Slack user id (the DM channel is opened by `chat.postMessage`); `lang`
    the language it was rendered in; `kind` the notice kind (for logs); `text` the fallback
    text and `blocks` the Block Kit blocks as dicts (JSON). `attempts` counts claims;
    `last_error` is the latest Slack error code or exception.
    """

    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(max_length=32, index=True)
    kind: str = Field(max_length=64)
    lang: str = Field(max_length=8)
    text: str = Field(sa_type=Text)
    blocks: list[dict] = Field(default_factory=list, sa_type=JSON)
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # not sent after
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=ERROR_MAX)


def add(session: Session, message: DeferredMessage) -> DeferredMessage:
    """Insert `message` (flushed, id set)."""
    session.add(message)
    session.flush()
    return message


def due(
    session: Session, *, now: datetime, max_attempts: int, limit: int = 200
) -> list[DeferredMessage]:
    """Unsent messages due at or before `now` with fewer than `max_attempts` attempts and not
    expired (`expires_at` null or after `now`), oldest due first (at most `limit`). An expired
    message stays unsent: it is never due again."""
    query = (
        select(DeferredMessage)
        .where(
            DeferredMessage.sent_at.is_(None),
            DeferredMessage.due_at <= now,
            DeferredMessage.attempts < max_attempts,
            or_(DeferredMessage.expires_at.is_(None), DeferredMessage.expires_at > now),
        )
        .order_by(DeferredMessage.due_at, DeferredMessage.id)
        .limit(limit)
    )
    return list(session.exec(query))


def claim(session: Session, message_id: int, *, now: datetime, max_attempts: int) -> bool:
    """Mark a message as being sent (`sent_at` = `now`, one more attempt) unless another
    process has already claimed it or it has used its attempts. True when this call won."""
    result = session.execute(
        update(DeferredMessage)
        .where(
            DeferredMessage.id == message_id,
            DeferredMessage.sent_at.is_(None),
            DeferredMessage.attempts < max_attempts,
        )
        .values(sent_at=now, attempts=DeferredMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release(session: Session, message_id: int, *, error: str) -> None:
    """Undo a claim after Slack refused the post, recording why, so a later run retries."""
    session.execute(
        update(DeferredMessage)
        .where(DeferredMessage.id == message_id)
        .values(sent_at=None, last_error=error[:ERROR_MAX])
        .execution_options(synchronize_session=False)
    )


def note_error(session: Session, message_id: int, *, error: str) -> None:
    """Record an error but keep the claim: the post may have reached Slack (a timeout), or the
    message has used its attempts and was reported."""
    session.execute(
        update(DeferredMessage)
        .where(DeferredMessage.id == message_id)
        .values(last_error=error[:ERROR_MAX])
        .execution_options(synchronize_session=False)
    )


def get(session: Session, message_id: int) -> DeferredMessage | None:
    return session.get(DeferredMessage, message_id)
