"""Instructions (指示): the "Issue an instruction" modal's submission and the Acknowledge
button, plus the two `/compute` subcommands `handlers/compute.py` dispatches here
(`open_instruct_modal` for `/compute instruct`, `list_instructions` for
`/compute instructions`): Bolt calls only the first listener matching `/compute`."""

from __future__ import annotations

from bot.blocks import instructions as blocks
from bot.errors import UserError
from bot.services import instructions
from handlers.common import (
    clicked_message,
    deps_of,
    lang_for,
    load_actor,
    open_modal,
    reply,
    submit_modal,
    transaction,
)
from handlers.errors import guarded
from handlers.home import refresh_home


def register(app) -> None:
    app.view(blocks.Ids.SUBMIT)(guarded(handle_instruct_submission))
    app.action(blocks.Ids.ACK)(guarded(handle_instruction_ack_action))


def open_instruct_modal(deps, user: str, trigger_id: str, respond) -> None:
    """`/compute instruct`: open the modal (operators), or answer a polite refusal."""
    # views.open must be the first Slack call (trigger_id lives 3 s): use what we know of the
    # user's language now, then check their locale and re-render if it differs.
    guess = deps.slack.known_lang(user) or deps.settings.default_language
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, guess)
        try:
            orgs = instructions.instruct_form(session=session, actor=actor)
        except UserError as error:
            respond(text=error.message(lang_for(deps, user)))
            return
    open_modal(
        deps, user, trigger_id, respond, lambda lang: blocks.build_instruct_modal(orgs, lang), guess
    )


def list_instructions(deps, user: str, lang: str, respond) -> None:
    """`/compute instructions`: the open instructions the user may see, as an ephemeral reply."""
    reply(deps, user, lang, respond, instructions.open_list, settings=deps.settings, now=deps.now())


def handle_instruct_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    lang = blocks.meta_of(view).lang
    submit_modal(
        deps,
        ack,
        lang,
        blocks.Ids.ORG,
        lambda: blocks.parse_instruct_submission(view)[1],
        lambda session, data: instructions.issue(
            session=session,
            actor=load_actor(deps, session, body["user"]["id"], lang),
            data=data,
            settings=deps.settings,
            now=deps.now(),
            source_ref=f"view:{view['id']}",
        ),
        view=view,
    )


def handle_instruction_ack_action(ack, body, action, context) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    value = blocks.InstructionAck.model_validate_json(action["value"])
    with transaction(deps) as work:
        session = work.session
        actor = load_actor(deps, session, user, lang_for(deps, user))
        notices = instructions.acknowledge(
            session=session,
            actor=actor,
            instruction_id=value.instruction_id,
            **clicked_message(body),
            now=deps.now(),
        )
        work.send(notices)
    refresh_home(deps, user)
