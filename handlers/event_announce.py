"""Posting an event's announcement after the transaction that created it, and remembering
where it is (so RSVPs update its counts in place)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.clients.slack import TRANSPORT_ERRORS
from bot.deps import Deps
from bot.services import events

log = logging.getLogger(__name__)


def announce(deps: Deps, event_id: int) -> str | None:
    """Post the announcement in the event's channel and record its ts. Returns None when
    posted (or there is no channel), else why not (Slack's error code, e.g. `not_in_channel`,
    or the network error's name); the event stays, unannounced, and can be edited."""
    with deps.session_factory.begin() as session:
        target = events.announcement(session, event_id)
    if target is None:
        return None
    channel, render = target
    try:
        ts = deps.slack.post(channel, render(deps.settings.default_language))
    except SlackApiError as error:
        code = str(error.response.get("error"))
    except TRANSPORT_ERRORS as error:
        code = type(error).__name__
    else:
        with deps.session_factory.begin() as session:
            events.record_announcement(session=session, event_id=event_id, channel=channel, ts=ts)
        return None
    log.error("could not announce event %s in %s: %s", event_id, channel, code)
    return code
