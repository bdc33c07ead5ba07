"""`/eval` (submit, status, leaderboard, history, help), the submit modal, the Review button and
modal, and the Flag button and modal."""

from __future__ import annotations

from bot.blocks import evals as blocks
from bot.blocks.common import escape, from_slack_text
from bot.i18n import t
from bot.parsing.evals import MAX_BYTES
from bot.parsing.text import normalize_input
from bot.services import evals
from handlers.common import (
    clicked_message,
    deps_of,
    lang_for,
    load_actor,
    open_for_actor,
    open_modal,
    read_upload,
    reply,
    submit_modal,
    transaction,
)
from handlers.errors import guarded


def register(app) -> None:
    app.command("/eval")(guarded(handle_eval_command))
    app.view(blocks.Ids.SUBMIT)(guarded(handle_submission))
    app.action(blocks.Ids.REVIEW)(guarded(handle_review_button))
    app.view(blocks.Ids.REVIEW_SUBMIT)(guarded(handle_review_submission))
    app.action(blocks.Ids.FLAG)(guarded(handle_flag_button))
    app.view(blocks.Ids.FLAG_SUBMIT)(guarded(handle_flag_submission))
    app.action(blocks.Ids.OPEN_SUBMIT)(guarded(handle_open_submit_button))
    app.action(blocks.Ids.RESOLVE)(guarded(handle_resolve_button))


def handle_resolve_button(ack, body, action, context) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    ref = blocks.FlagRef.model_validate_json(action["value"])
    with transaction(deps) as work:
        session = work.session
        actor = load_actor(deps, session, user, lang_for(deps, user))
        notices = evals.resolve_flag(
            session=session,
            actor=actor,
            flag_id=ref.flag_id,
            **clicked_message(body),
            settings=deps.settings,
            now=deps.now(),
        )
        work.send(notices)


def handle_open_submit_button(ack, body, context, respond) -> None:
    """The button offered when results are sent in a DM: the same modal as `/eval submit`."""
    ack()
    _open_submit(deps_of(context), body["user"]["id"], body["trigger_id"], respond)


def handle_eval_command(ack, command, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = command["user_id"]
    words = from_slack_text(command.get("text")).split()
    sub = normalize_input(words[0]).lower() if words else "help"  # ｓｔａｔｕｓ too
    if sub == "submit":  # a modal: views.open before any other Slack call
        _open_submit(deps, user, command["trigger_id"], respond)
        return
    lang = lang_for(deps, user)
    args = words[1:]
    if sub == "status":
        reply(
            deps,
            user,
            lang,
            respond,
            evals.status,
            org_code=" ".join(args) or None,
            settings=deps.settings,
        )
        return
    if sub in ("leaderboard", "history"):
        from handlers.eval_board import board_command

        board_command(deps, user, lang, sub, args, respond)
        return
    text = t("eval.help", lang)
    if sub != "help":
        text = t("eval.unknown_subcommand", lang, sub=escape(sub)) + "\n" + text
    respond(text=text)


def _open_submit(deps, user: str, trigger_id: str, respond) -> None:
    guess = deps.slack.known_lang(user) or deps.settings.default_language
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, guess)
        orgs = evals.submit_form(session=session, actor=actor)
    open_modal(
        deps,
        user,
        trigger_id,
        respond,
        lambda lang: blocks.build_submit_modal(orgs, lang),
        guess,
    )


def handle_submission(ack, body, view, context) -> None:
    # The file is downloaded and read before the ack, so a broken file is an inline error on
    # the file field and everything typed stays in the modal (nothing stored, nothing lost).
    deps = deps_of(context)
    lang = blocks.submit_lang(view)

    def parse():
        data = blocks.parse_submission(view)
        name = str(data.file.get("name") or "")
        content, run = read_upload(
            deps,
            data.file,
            blocks.Ids.FILE,
            max_bytes=MAX_BYTES,
            too_large="eval.error.too_large",
            read=lambda content: (content, evals.read_file(content, name)),
        )
        return data, run, content

    submit_modal(
        deps,
        ack,
        lang,
        blocks.Ids.FILE,
        parse,
        lambda session, parsed: evals.submit(
            session=session,
            actor=load_actor(deps, session, body["user"]["id"], lang),
            data=parsed[0],
            run=parsed[1],
            content=parsed[2],
            settings=deps.settings,
            now=deps.now(),
            source_ref=f"view:{view['id']}",
        ),
        view=view,
    )


def _clicked_ref(body: dict, action: dict) -> blocks.SubmissionRef:
    container = body.get("container") or {}
    return blocks.SubmissionRef.model_validate_json(action["value"]).model_copy(
        update={"channel": container.get("channel_id"), "ts": container.get("message_ts")}
    )


def handle_review_button(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    ref = _clicked_ref(body, action)
    guess = deps.slack.known_lang(user) or ref.lang
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, guess)
        view = evals.review_form(
            session=session, actor=actor, submission_id=ref.submission_id, settings=deps.settings
        )
    open_modal(
        deps,
        user,
        body["trigger_id"],
        respond,
        lambda lang: blocks.build_review_modal(view, ref, lang),
        guess,
    )


def handle_review_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    ref = blocks.ref_of(view)
    submit_modal(
        deps,
        ack,
        ref.lang,
        blocks.Ids.DECISION,
        lambda: blocks.parse_review(view),
        lambda session, decision: evals.decide(
            session=session,
            actor=load_actor(deps, session, body["user"]["id"], ref.lang),
            ref=ref,
            decision=decision,
            settings=deps.settings,
            now=deps.now(),
        ),
        view=view,
    )


def handle_flag_button(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    ref = _clicked_ref(body, action)
    guess = deps.slack.known_lang(user) or ref.lang

    def build(_session, actor):
        evals.flag_form(actor=actor)
        return lambda lang: blocks.build_flag_modal(ref, lang)

    open_for_actor(deps, user, body["trigger_id"], respond, guess, build)


def handle_flag_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    ref = blocks.ref_of(view)
    submit_modal(
        deps,
        ack,
        ref.lang,
        blocks.Ids.REASON,
        lambda: blocks.parse_flag(view),
        lambda session, reason: evals.flag(
            session=session,
            actor=load_actor(deps, session, body["user"]["id"], ref.lang),
            ref=ref,
            reason=reason,
            settings=deps.settings,
            now=deps.now(),
        ),
        view=view,
    )
