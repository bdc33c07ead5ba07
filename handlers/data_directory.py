"""The data-holder directory in Slack: the operators' `/data admin` buttons and "Data holder"
modal, and the options listener of holder external selects. `/data search` and `/data admin`
come through the `/data` dispatcher (`handlers/data.py`), which calls `search` and `admin`:
Bolt calls only the first listener matching a command."""

from __future__ import annotations

from bot.blocks import data_directory as blocks
from bot.services import data_directory
from handlers.common import deps_of, load_actor, open_modal, reply, submit_modal
from handlers.errors import guarded


def register(app) -> None:
    app.action(blocks.Ids.EDIT)(guarded(handle_holder_button))
    app.action(blocks.Ids.NEW)(guarded(handle_holder_button))
    app.view(blocks.Ids.SUBMIT)(guarded(handle_holder_submission))
    app.options(blocks.Ids.HOLDER_PICK)(guarded(handle_holder_options))


def search(deps, user: str, lang: str, words: str, respond) -> None:
    """`/data search WORDS`: matching holders, ephemeral (members and operators). `words` is
    the text after the subcommand, already decoded with `from_slack_text`."""
    reply(deps, user, lang, respond, data_directory.search, words=words)


def admin(deps, user: str, lang: str, words: str, respond) -> None:
    """`/data admin [WORDS]`: the holders with Edit buttons, ephemeral (operators)."""
    reply(deps, user, lang, respond, data_directory.admin_list, words=words)


def handle_holder_button(ack, body, action, context, respond) -> None:
    """Edit / New data holder: check the operator, then open the modal (views.open first)."""
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    meta = blocks.HolderMeta.model_validate_json(action["value"])
    guess = deps.slack.known_lang(user) or meta.lang
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, guess)
        holder = data_directory.admin_form(session=session, actor=actor, holder_id=meta.holder_id)
    open_modal(
        deps,
        user,
        body["trigger_id"],
        respond,
        lambda lang: blocks.build_holder_modal(holder, lang),
        guess,
    )


def handle_holder_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    lang = blocks.meta_of(view).lang
    submit_modal(
        deps,
        ack,
        lang,
        blocks.Ids.NAME,
        lambda: blocks.parse_holder_submission(view),
        lambda session, data: data_directory.save_holder(
            session=session,
            actor=load_actor(deps, session, body["user"]["id"], lang),
            data=data,
            now=deps.now(),
        ),
        view=view,
    )


def handle_holder_options(ack, body, context) -> None:
    """Options for an external select with action id `data.holders.pick`. The ack is the
    answer, so it comes after the work: one read of the holders, no Slack call (the
    language is the cached one)."""
    deps = deps_of(context)
    user = body["user"]["id"]
    lang = deps.slack.known_lang(user) or deps.settings.default_language
    with deps.session_factory() as session:
        actor = load_actor(deps, session, user, lang)
        options = data_directory.holder_options(session, actor, body.get("value") or "")
    ack(options=options)
