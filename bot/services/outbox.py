"""Queueing notices in the outbox, inside the caller's transaction.

`enqueue` renders each notice now — in its fixed language, or in every catalog language when
the recipient's own is chosen at sending — so the row holds all a sender needs (a closure
cannot be stored). A notice in several parts becomes one row for the first message and one
row per continuation, each pointing at the first (`parent_id`), to be posted in its thread.
Nothing here calls Slack: `bot.services.delivery.send` does, after the commit.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from bot.blocks.common import Message
from bot.clients.slack import Notice
from bot.i18n import LANGUAGES
from storage import outbox as store
from storage.outbox import OutboxMessage


def _render(message: Message) -> dict:
    return {"text": message.text, "blocks": list(message.blocks or [])}


def _row(notice: Notice, now: datetime, renders: dict, **extra) -> OutboxMessage:
    return OutboxMessage(
        key=uuid.uuid4().hex,
        channel=notice.channel,
        kind=notice.kind or "notice",
        ref=notice.ref,
        lang=notice.lang,
        renders=renders,
        update_ts=notice.ts,
        thread_ts=notice.thread_ts,
        quiet_hours=notice.quiet_hours,
        report_failure=notice.report_failure,
        created_at=now,
        due_at=now,
        expires_at=notice.expires_at,
        **extra,
    )


def enqueue_now(
    session_factory, notices: list[Notice], *, now: datetime, default_lang: str = "ja"
) -> list[tuple[int, Notice]]:
    """`enqueue` in a transaction of its own (notices decided outside any change), claimed
    for the caller, who sends them at once."""
    with session_factory.begin() as session:
        return enqueue(session, notices, now=now, default_lang=default_lang, claimed=True)


def enqueue(
    session: Session,
    notices: list[Notice],
    *,
    now: datetime,
    default_lang: str,
    claimed: bool = False,
) -> list[tuple[int, Notice]]:
    """Store `notices` (decided at `now`, aware) in `session`, in order; returns each row id
    with the notice it came from (continuations map to their notice too).

    A notice with `parts` is rendered in its language (`lang`, else `default_lang`): the first
    part is its row, the others follow in its thread. Files are stored as bytes (text as
    UTF-8). `claimed`: the rows are claimed for the caller, who sends them right after the
    commit (the `outbox` job takes one over only when its claim lapses: the caller died).
    Raises whatever a notice's render raises: the caller's transaction then rolls back with
    the change that caused it.
    """
    claim = {"claimed_at": now} if claimed else {}
    queued: list[tuple[int, Notice]] = []
    for notice in notices:
        if notice.parts is not None:
            lang = notice.lang or default_lang
            first, *rest = notice.parts(lang)
            row = _row(notice, now, {lang: _render(first)}, **claim)
            row.lang = lang
            parent = store.add(session, row)
            queued.append((parent, notice))
            for part in rest:
                child = _row(notice, now, {lang: _render(part)}, parent_id=parent, **claim)
                child.kind, child.lang, child.update_ts = f"{row.kind}_continued", lang, None
                queued.append((store.add(session, child), notice))
            continue
        langs = (notice.lang,) if notice.lang else LANGUAGES
        renders = {lang: _render(notice.render(lang)) for lang in langs}
        files = [
            (name, content.encode() if isinstance(content, str) else content)
            for name, content in notice.files
        ]
        queued.append((store.add(session, _row(notice, now, renders, **claim), files), notice))
    return queued
