"""Publishing announcements whose time has come (issue #9), every 5 minutes.

The `Announcement` row is the schedule (durable: a restart publishes whatever is due, and a
cancelled one never goes out). Each due announcement is claimed on its own (scheduled →
publishing, one conditional UPDATE) in the transaction that queues its channel posts in the
outbox (`ref` "announcement_post:ID"), so two processes running the job queue them once and a
crash after the commit loses none; the outbox sends each once. When every post is sent or
refused (by this run, or a later one once the outbox has retried), the announcement is
published with where it went, and the operators are told. A claim whose process died before
it queued anything is taken over after `bot.services.announcements.STALE_CLAIM`.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.clients.slack import Notice
from bot.deps import Deps
from bot.services import announcements
from jobs.delivery import transaction
from storage import outbox

log = logging.getLogger(__name__)


def run_announcements(*, deps: Deps, now: datetime) -> int:
    """Publish every announcement due at `now` (aware), finish those whose posts are all done,
    and tell the operators once about a public one whose time passed unapproved. Returns how
    many were published."""
    with transaction(deps, now) as work:
        work.send(
            announcements.overdue_notices(session=work.session, settings=deps.settings, now=now)
        )
    with deps.session_factory() as session:
        due = announcements.due_ids(session, now)
    for announcement_id in due:
        _claim(deps, announcement_id, now)
    with deps.session_factory() as session:
        publishing = announcements.publishing_ids(session)
    return sum(_finish(deps, announcement_id, now) for announcement_id in publishing)


def _claim(deps: Deps, announcement_id: int, now: datetime) -> None:
    """Claim a due announcement and queue its channel posts with the claim (once: a claim
    taken over finds them queued)."""
    ref = f"announcement_post:{announcement_id}"
    with transaction(deps, now) as work:
        claimed = announcements.claim(
            session=work.session, announcement_id=announcement_id, settings=deps.settings, now=now
        )
        if claimed is not None and not outbox.by_ref(work.session, ref):
            work.send([_post(channel, claimed, ref, deps) for channel in claimed.channels])


def _finish(deps: Deps, announcement_id: int, now: datetime) -> bool:
    """Published, once every post is sent or refused (one conditional update: two processes
    finish it once); False while posts still wait for Slack."""
    with transaction(deps, now) as work:
        rows = outbox.by_ref(work.session, f"announcement_post:{announcement_id}")
        if not rows and announcements.channels_pending(
            work.session, announcement_id, deps.settings
        ):
            return False  # claimed before its posts were queued: taken over when stale
        if not all(outbox.finished(row) for row in rows):
            log.info("announcement %s: posts still waiting for Slack", announcement_id)
            return False
        for row in rows:
            entry = {"ts": row.ts} if row.sent_at else {"error": row.last_error or "failed"}
            announcements.record_post(
                work.session,
                announcement_id=announcement_id,
                entry={"channel": row.channel, **entry},
            )
        notices = announcements.finish(
            session=work.session, announcement_id=announcement_id, settings=deps.settings, now=now
        )
        if notices is None:  # another process finished it
            return False
        work.send(notices)
    return True


def _post(channel: str, claimed: announcements.Publication, ref: str, deps: Deps) -> Notice:
    """One community channel's post; a refusal is told in the operators' note, not apart."""
    return Notice(
        channel=channel,
        render=lambda _lang, message=claimed.message: message,
        lang=deps.settings.default_language,
        kind="announcement",
        ref=ref,
        report_failure=False,
    )
