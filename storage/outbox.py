"""The outbox: every message Kiban sends, stored before it is sent.

A row is written in the transaction of the change that causes it, already rendered (text and
Block Kit blocks per language, `renders`), so sending it needs no code and no data but the
row; files go with it (`OutboxFile`). A sender (`bot.services.delivery.send`) posts it after
the commit, and the `outbox` job posts whatever is still due (a crash, a Slack outage, quiet
hours). Times are UTC (`UTCDateTime`).

States:
- waiting: `sent_at` and `failed_at` null; due when `due_at` ≤ now and no live claim.
- claimed: `claimed_at` set by a sender about to call Slack (a conditional update, so two
  processes never both hold it). A claim older than `LEASE` belongs to a sender that died
  mid-call: the next one takes it over, and first looks for the message in the channel
  (`uncertain`), since the call may have reached Slack.
- sent: `sent_at` and Slack's `ts` recorded; never sent again.
- failed: `failed_at` set: Slack refused it for good, it ran out of attempts, or it expired.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import JSON, LargeBinary, and_, delete, or_, update
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime

ERROR_MAX = 255
LEASE = timedelta(minutes=5)  # longer than any one Slack call with the SDK's own retries


class OutboxMessage(SQLModel, table=True):
    """One message for one conversation.

    `channel`: a channel id, a user id (a DM), or user ids joined by commas (a group DM).
    `lang`: the language fixed by the sender (channels), or null: the recipient's own, chosen
    at sending among `renders` ({lang: {"text": str, "blocks": [dict]}}). `update_ts`: update
    that message in place (`chat.update`) instead of posting. `parent_id`: post as a reply in
    the thread of that row's message (the continuation of a long digest); `thread_ts`: in
    that thread. `key`: a random id sent as the message's metadata, to find a post whose
    answer was lost. `quiet_hours`: a DM held to the recipient's business morning when it
    would arrive at night (`held` once decided). `report_failure`: a failure is reported to
    the operator channel.
    """

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=32, unique=True)
    channel: str = Field(max_length=255, index=True)
    kind: str = Field(max_length=64)
    ref: str | None = Field(default=None, max_length=128)
    lang: str | None = Field(default=None, max_length=8)
    renders: dict = Field(default_factory=dict, sa_type=JSON)
    update_ts: str | None = Field(default=None, max_length=32)
    file_ids: list[str] = Field(default_factory=list, sa_type=JSON)  # prepared, maybe shared
    thread_ts: str | None = Field(default=None, max_length=32)
    parent_id: int | None = Field(default=None, foreign_key="outboxmessage.id")
    quiet_hours: bool = Field(default=False)
    held: bool = Field(default=False)
    report_failure: bool = Field(default=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # not sent after
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0)  # calls to Slack that failed and may be retried
    uncertain: bool = Field(default=False)  # the last call may have reached Slack
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    ts: str | None = Field(default=None, max_length=32)
    failed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=ERROR_MAX)


class OutboxFile(SQLModel, table=True):
    """A file shared with an outbox message (its text is the file comment), in order."""

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="outboxmessage.id", index=True)
    position: int
    name: str = Field(max_length=255)
    content: bytes = Field(sa_type=LargeBinary)


def add(session: Session, message: OutboxMessage, files: list[tuple[str, bytes]] = ()) -> int:
    """Insert `message` and its `files` (name, content) in `session`; returns the row id."""
    session.add(message)
    session.flush()
    for position, (name, content) in enumerate(files):
        session.add(
            OutboxFile(message_id=message.id, position=position, name=name, content=content)
        )
    return message.id


def _open(now: datetime):
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - LEASE),
    )


def due(
    session: Session,
    *,
    now: datetime,
    ids: list[int] | None = None,
    owned: list[int] = (),
    limit: int = 500,
) -> list[OutboxMessage]:
    """Waiting rows due at `now` (or with a claim past its lease), oldest first: only `ids`
    when given (all of them), else at most `limit`. `owned`: rows whose claim the caller
    holds (queued claimed), due whatever their claim."""
    available = and_(*_open(now))
    if owned:
        available = or_(
            available,
            and_(
                OutboxMessage.id.in_(list(owned)),
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.failed_at.is_(None),
            ),
        )
    query = select(OutboxMessage).where(available, OutboxMessage.due_at <= now)
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    else:
        query = query.limit(limit)
    return list(session.exec(query.order_by(OutboxMessage.id)))


def claim(session: Session, message_id: int, *, now: datetime) -> bool:
    """Claim a waiting row for one call to Slack (`claimed_at` = `now`). True when this call
    won; False when another sender holds it or it is no longer waiting."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, *_open(now))
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _set(session: Session, message_id: int, **values) -> None:
    if values.get("last_error"):
        values["last_error"] = values["last_error"][:ERROR_MAX]
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def set_file_ids(session: Session, message_id: int, file_ids: list[str]) -> None:
    """Record the files an upload prepared, before it shares them (see `SlackGateway.upload`)."""
    _set(session, message_id, file_ids=file_ids)


def mark_sent(session: Session, message_id: int, *, now: datetime, ts: str | None) -> None:
    """Record that Slack has the message (its `ts`); it is never sent again."""
    _set(session, message_id, sent_at=now, ts=ts, uncertain=False)


def mark_failed(session: Session, message_id: int, *, now: datetime, error: str) -> None:
    """Give the message up (Slack refused it for good, no attempts left, or it expired)."""
    _set(session, message_id, failed_at=now, last_error=error, claimed_at=None)


def retry_at(
    session: Session,
    message_id: int,
    *,
    due_at: datetime,
    error: str,
    uncertain: bool,
    counts: bool = True,
) -> None:
    """Release the claim and wait until `due_at`; `counts`: the failure uses an attempt (a
    rate limit does not); `uncertain`: the call may have reached Slack."""
    values = dict(claimed_at=None, due_at=due_at, last_error=error, uncertain=uncertain)
    if counts:
        values["attempts"] = OutboxMessage.attempts + 1
    _set(session, message_id, **values)


def hold(session: Session, message_id: int, *, due_at: datetime) -> None:
    """Hold a quiet-hours DM until `due_at` (the recipient's business morning)."""
    _set(session, message_id, held=True, due_at=due_at, claimed_at=None)


def release(session: Session, message_id: int) -> None:
    """Give the claim back unchanged (the row waits for its thread's first message)."""
    _set(session, message_id, claimed_at=None)


def get(session: Session, message_id: int) -> OutboxMessage | None:
    return session.get(OutboxMessage, message_id)


def files_for(session: Session, message_ids: list[int]) -> dict[int, list[tuple[str, bytes]]]:
    """The files of each of `message_ids` that has any, in order."""
    found: dict[int, list[tuple[str, bytes]]] = {}
    if not message_ids:
        return found
    query = (
        select(OutboxFile)
        .where(OutboxFile.message_id.in_(message_ids))
        .order_by(OutboxFile.message_id, OutboxFile.position)
    )
    for f in session.exec(query):
        found.setdefault(f.message_id, []).append((f.name, f.content))
    return found


def retry_now(session: Session, *, now: datetime) -> int:
    """Make every message waiting for a retry due at `now` (held quiet-hours DMs keep their
    morning); how many."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            OutboxMessage.held.is_(False),
            OutboxMessage.due_at > now,
        )
        .values(due_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def requeue_failed(session: Session, *, since: datetime, now: datetime) -> int:
    """Give the messages given up since `since` one more try, due at `now` (all but expired
    ones: a reminder for what has passed); how many. For an operator who fixed the cause
    (invited the bot, Slack is back); one that fails again in transit is given up again."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.failed_at >= since,
            OutboxMessage.sent_at.is_(None),
            or_(OutboxMessage.last_error.is_(None), OutboxMessage.last_error != "expired"),
        )
        .values(failed_at=None, due_at=now, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def waiting_and_failed(session: Session, *, failed_since: datetime) -> list[OutboxMessage]:
    """Messages not sent yet, and those given up since `failed_since`, oldest first."""
    query = select(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None),
        or_(OutboxMessage.failed_at.is_(None), OutboxMessage.failed_at >= failed_since),
    )
    return list(session.exec(query.order_by(OutboxMessage.id)))


def held(session: Session) -> list[OutboxMessage]:
    """Messages held for quiet hours and not yet sent nor given up, oldest first."""
    query = select(OutboxMessage).where(
        OutboxMessage.held.is_(True),
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
    )
    return list(session.exec(query.order_by(OutboxMessage.id)))


def purge(session: Session, *, before: datetime) -> int:
    """Delete sent or failed messages (and their files) finished before `before`; how many."""
    done = or_(OutboxMessage.sent_at < before, OutboxMessage.failed_at < before)
    ids = list(session.exec(select(OutboxMessage.id).where(done)))
    if not ids:
        return 0
    session.execute(delete(OutboxFile).where(OutboxFile.message_id.in_(ids)))
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.parent_id.in_(ids))
        .values(parent_id=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    return len(ids)


def by_ref(session: Session, ref: str) -> list[OutboxMessage]:
    """The messages queued about `ref` (e.g. "announcement:5"), oldest first."""
    query = select(OutboxMessage).where(OutboxMessage.ref == ref).order_by(OutboxMessage.id)
    return list(session.exec(query))


def finished(row: OutboxMessage) -> bool:
    """Sent or given up."""
    return row.sent_at is not None or row.failed_at is not None
