"""Alert buttons: Acknowledge, Snooze 3 days, Explain (and its modal)."""

from __future__ import annotations

from bot.blocks import alert_conditions as conditions_blocks
from bot.blocks import alerts as blocks
from bot.services import alert_conditions, alerts
from handlers.common import (
    clicked_message,
    deps_of,
    lang_for,
    load_actor,
    open_for_actor,
    transaction,
)
from handlers.errors import guarded


def register(app) -> None:
    app.action(blocks.Ids.ACK)(guarded(handle_alert_ack_action))
    app.action(conditions_blocks.Ids.SNOOZE)(guarded(handle_snooze_action))
    app.action(conditions_blocks.Ids.EXPLAIN)(guarded(handle_explain_action))
    app.view(conditions_blocks.Ids.EXPLAIN_SUBMIT)(guarded(handle_explain_submission))


def handle_alert_ack_action(ack, body, action, context) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    value = blocks.AlertAck.model_validate_json(action["value"])
    with transaction(deps) as work:
        session = work.session
        actor = load_actor(deps, session, user, lang_for(deps, user))
        notices = alerts.acknowledge(
            session=session,
            actor=actor,
            alert_id=value.alert_id,
            **clicked_message(body),
            now=deps.now(),
        )
        work.send(notices)


def handle_snooze_action(ack, body, action, context) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    ref = conditions_blocks.StateRef.model_validate_json(action["value"])
    with transaction(deps) as work:
        session = work.session
        actor = load_actor(deps, session, user, lang_for(deps, user))
        notices = alert_conditions.snooze(
            session=session,
            actor=actor,
            state_id=ref.state_id,
            **clicked_message(body),
            settings=deps.settings,
            now=deps.now(),
        )
        work.send(notices)


def handle_explain_action(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    ref = conditions_blocks.StateRef.model_validate_json(action["value"])
    guess = deps.slack.known_lang(user) or deps.settings.default_language

    def build(session, actor):
        alert_conditions.explain_form(session=session, actor=actor, state_id=ref.state_id)
        return lambda lang: conditions_blocks.build_explain_modal(ref, lang)

    open_for_actor(deps, user, body["trigger_id"], respond, guess, build)


def handle_explain_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    user = body["user"]["id"]
    ref = conditions_blocks.StateRef.model_validate_json(view["private_metadata"])
    values = view["state"]["values"][conditions_blocks.Ids.TEXT][conditions_blocks.Ids.INPUT]
    text = (values.get("value") or "").strip()
    ack()
    with transaction(deps) as work:
        session = work.session
        actor = load_actor(deps, session, user, lang_for(deps, user))
        notices = alert_conditions.explain(
            session=session,
            actor=actor,
            state_id=ref.state_id,
            text=text,
            settings=deps.settings,
        )
        work.send(notices)
