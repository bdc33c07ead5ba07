"""`/progress` (report, status, export, help), the "Report project progress" modal's
submission, and the secretariat post's **Advice** (a modal) and **Mark for dissemination**
buttons (issue #9). Rules and authorization live in `bot.services.progress`."""

from __future__ import annotations

from bot.blocks import progress as blocks
from bot.blocks.common import escape, from_slack_text
from bot.i18n import t
from bot.parsing.text import normalize_input
from bot.services import progress, progress_export
from handlers.common import (
    clicked_at,
    clicked_message,
    deliver,
    deps_of,
    lang_for,
    load_actor,
    open_for_actor,
    reply,
    submit_modal,
    transaction,
)
from handlers.errors import guarded


def register(app) -> None:
    app.command("/progress")(guarded(handle_progress_command))
    app.view(blocks.Ids.REPORT_SUBMIT)(guarded(handle_report_submission))
    app.action(blocks.Ids.ADVICE)(guarded(handle_advice_button))
    app.view(blocks.Ids.ADVICE_SUBMIT)(guarded(handle_advice_submission))
    app.action(blocks.Ids.DISSEMINATE)(guarded(handle_disseminate_button))


def handle_progress_command(ack, command, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = command["user_id"]
    words = from_slack_text(command.get("text")).split()
    sub = normalize_input(words[0]).lower() if words else "help"
    if sub == "report":  # a modal: views.open before any other Slack call
        _open_report_modal(deps, user, command["trigger_id"], respond)
        return
    lang = lang_for(deps, user)
    arg = " ".join(words[1:]) or None
    if sub == "status":
        reply(
            deps,
            user,
            lang,
            respond,
            progress.status,
            month_text=arg,
            settings=deps.settings,
            now=deps.now(),
        )
    elif sub == "export":
        _export(deps, user, lang, arg, respond)
    else:
        text = t("progress.help", lang)
        if sub != "help":
            text = t("progress.unknown_subcommand", lang, sub=escape(sub)) + "\n" + text
        respond(text=text)


def _open_report_modal(deps, user: str, trigger_id: str, respond) -> None:
    guess = deps.slack.known_lang(user) or deps.settings.default_language

    def build(session, actor):
        form = progress.report_form(
            session=session, actor=actor, settings=deps.settings, now=deps.now()
        )
        return lambda lang: blocks.build_report_modal(form, lang)

    open_for_actor(deps, user, trigger_id, respond, guess, build)


def handle_report_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    lang = blocks.report_meta(view).lang
    submit_modal(
        deps,
        ack,
        lang,
        blocks.Ids.MONTH,
        lambda: blocks.parse_report_submission(view)[1],
        lambda session, data: (
            progress.submit_report(
                session=session,
                actor=load_actor(deps, session, body["user"]["id"], lang),
                data=data,
                settings=deps.settings,
                now=deps.now(),
                source_ref=f"view:{view['id']}",
            ).notices
        ),
        view=view,
    )


def handle_advice_button(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    ref = blocks.ReportRef.model_validate_json(action["value"])
    guess = deps.slack.known_lang(user) or deps.settings.default_language

    def build(session, actor):
        current, org_name = progress.advice_form(session=session, actor=actor, ref=ref)
        meta = blocks.AdviceMeta(**current.model_dump(), **clicked_at(body))
        return lambda lang: blocks.build_advice_modal(meta, org_name, lang)

    open_for_actor(deps, user, body["trigger_id"], respond, guess, build)


def handle_advice_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    lang = blocks.advice_meta(view).lang
    submit_modal(
        deps,
        ack,
        lang,
        blocks.Ids.ADVICE_TEXT,
        lambda: blocks.parse_advice_submission(view),
        lambda session, data: progress.give_advice(
            session=session,
            actor=load_actor(deps, session, body["user"]["id"], lang),
            data=data,
            settings=deps.settings,
            now=deps.now(),
            source_ref=f"view:{view['id']}",
        ),
        view=view,
    )


def handle_disseminate_button(ack, body, action, context) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    ref = blocks.ReportRef.model_validate_json(action["value"])
    with transaction(deps) as work:
        session = work.session
        notices = progress.mark_for_dissemination(
            session=session,
            actor=load_actor(deps, session, user, lang_for(deps, user)),
            ref=ref,
            **clicked_message(body),
            now=deps.now(),
        )
        work.send(notices)


def _export(deps, user: str, lang: str, month_text: str | None, respond) -> None:
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, lang)
        month, notices = progress_export.share_export(
            session=session,
            actor=actor,
            settings=deps.settings,
            month_text=month_text,
            now=deps.now(),
        )
    if deliver(deps, notices):
        respond(text=t("error.generic", lang))
        return
    respond(text=t("progress.export.done", lang, month=month))
