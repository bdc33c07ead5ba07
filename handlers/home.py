"""The App Home tab (issue #8): published with `views.publish` when a person opens it
(`app_home_opened`), and again by `refresh_home` after they act elsewhere; the Home's own
**Acknowledge** button for instructions. The review **Score** / **Declare conflicts** buttons
on the Home are `handlers/reviews.py`'s listeners."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.blocks import home as blocks
from bot.blocks.instructions import InstructionAck
from bot.deps import Deps
from bot.services import home
from handlers.common import deps_of, lang_for, load_actor
from handlers.errors import guarded

log = logging.getLogger(__name__)


def register(app) -> None:
    app.event("app_home_opened")(guarded(handle_app_home_opened_event))
    app.action(blocks.Ids.INSTRUCTION_ACK)(guarded(handle_instruction_ack_action))


def refresh_home(deps: Deps, user_id: str) -> None:
    """Publish `user_id`'s Home tab as it is now, in their language. Call it after the person
    acted (outside the action's transaction: it reads what was committed). A Slack refusal is
    logged, not raised: the Home is a view of what happened, never a reason to report an
    action as failed."""
    lang = lang_for(deps, user_id)
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user_id, lang)
        view = home.home_view(session=session, actor=actor, settings=deps.settings, now=deps.now())
    try:
        deps.slack.client.views_publish(user_id=user_id, view=view)
    except SlackApiError as error:
        log.error("could not publish the Home of %s: %s", user_id, error.response.get("error"))


def handle_app_home_opened_event(event, context) -> None:
    """The person opened Kiban's Home tab (Slack sends the same event for the Messages tab,
    which needs nothing)."""
    if event.get("tab") != "home":
        return
    refresh_home(deps_of(context), event["user"])


def handle_instruction_ack_action(ack, body, action, context) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    value = InstructionAck.model_validate_json(action["value"])
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, lang_for(deps, user))
        home.acknowledge_instruction(
            session=session, actor=actor, instruction_id=value.instruction_id, now=deps.now()
        )
    refresh_home(deps, user)
