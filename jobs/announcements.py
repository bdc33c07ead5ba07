"""Publishing announcements whose time has come (issue #9), every 5 minutes.

The `Announcement` row is the schedule (durable: a restart publishes whatever is due, and a
cancelled one never goes out). Each due announcement is claimed on its own (scheduled →
publishing, one conditional UPDATE), so two processes running the job at once post it once;
then one post per community channel, each recorded as soon as it is made (ts, or Slack's
refusal; a failure in transit is recorded too and never retried: the post may have landed);
then published, and a note to the operator channel. A claim older than
`bot.services.announcements.STALE_CLAIM` (the process died between claim and post) is taken
over by a later run and resumes with the channels not yet recorded.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.clients.slack import TRANSPORT_ERRORS
from bot.deps import Deps
from bot.services import announcements
from jobs.delivery import deliver

log = logging.getLogger(__name__)


def run_announcements(*, deps: Deps, now: datetime) -> int:
    """Publish every announcement due at `now` (aware), and tell the operators once about a
    public one whose time passed unapproved. Returns how many were published."""
    with deps.session_factory.begin() as session:
        overdue = announcements.overdue_notices(session=session, settings=deps.settings, now=now)
    deliver(deps, overdue, now)
    with deps.session_factory() as session:
        due = announcements.due_ids(session, now)
    published = 0
    for announcement_id in due:
        with deps.session_factory.begin() as session:
            claimed = announcements.claim(
                session=session, announcement_id=announcement_id, settings=deps.settings, now=now
            )
        if claimed is None:  # another process has it, or it was cancelled meanwhile
            continue
        for channel in claimed.channels:
            entry = _post(deps, channel, claimed)
            with deps.session_factory.begin() as session:
                announcements.record_post(session, announcement_id=announcement_id, entry=entry)
        with deps.session_factory.begin() as session:
            notices = announcements.finish(
                session=session, announcement_id=announcement_id, settings=deps.settings, now=now
            )
        if notices is None:  # taken over as stale meanwhile: the other process finishes
            continue
        deliver(deps, notices, now)
        published += 1
    return published


def _post(deps: Deps, channel: str, claimed: announcements.Publication) -> dict:
    """Post in one channel: `{"channel", "ts"}`, or `{"channel", "error"}` (logged)."""
    try:
        ts = deps.slack.post(channel, claimed.message)
    except SlackApiError as error:
        code = str(error.response.get("error"))
    except TRANSPORT_ERRORS as error:
        code = f"network error: {type(error).__name__}"
    else:
        return {"channel": channel, "ts": ts}
    log.error("could not post announcement %s to %s: %s", claimed.card.id, channel, code)
    return {"channel": channel, "error": code}
