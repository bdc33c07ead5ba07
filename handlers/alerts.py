"""The Acknowledge button on over-plan alerts."""

from __future__ import annotations

from bot.blocks import alerts as blocks
from bot.services import alerts
from handlers.common import deliver, deps_of, lang_for, load_actor
from handlers.errors import guarded


def register(app) -> None:
    app.action(blocks.Ids.ACK)(guarded(handle_alert_ack_action))


def handle_alert_ack_action(ack, body, action, context) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    value = blocks.AlertAck.model_validate_json(action["value"])
    container = body["container"]
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, lang_for(deps, user))
        notices = alerts.acknowledge(
            session=session,
            actor=actor,
            alert_id=value.alert_id,
            channel=container["channel_id"],
            ts=container["message_ts"],
            blocks_shown=body["message"]["blocks"],
            now=deps.now(),
        )
    deliver(deps, notices)
