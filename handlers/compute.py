"""`/compute` (report, status, help) and the report modal's submission."""

from __future__ import annotations

from bot.blocks import compute as blocks
from bot.blocks.common import escape, from_slack_text
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.text import normalize_input
from bot.services import alert_conditions, compute, compute_export
from handlers.allocations import list_allocations, list_requests, open_request_modal
from handlers.common import deliver, deps_of, lang_for, load_actor, open_modal, reply, transaction
from handlers.errors import guarded
from handlers.home import refresh_home
from handlers.instructions import list_instructions, open_instruct_modal


def register(app) -> None:
    app.command("/compute")(guarded(handle_compute_command))
    app.view(blocks.Ids.REPORT_SUBMIT)(guarded(handle_report_submission))


def handle_compute_command(ack, command, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = command["user_id"]
    words = from_slack_text(command.get("text")).split()
    sub = normalize_input(words[0]).lower() if words else "help"  # ｓｔａｔｕｓ too
    if sub == "report":
        _open_report_modal(deps, user, command["trigger_id"], respond)
        return
    if sub == "instruct":  # a modal too: views.open before any other Slack call
        open_instruct_modal(deps, user, command["trigger_id"], respond)
        return
    if sub == "request":
        open_request_modal(deps, user, command["trigger_id"], respond)
        return
    lang = lang_for(deps, user)
    # an organization code or name ("Alpha AI": names may have spaces), or a month
    arg = " ".join(words[1:]) or None
    if sub == "status":
        reply(
            deps,
            user,
            lang,
            respond,
            compute.status,
            org_code=arg,
            settings=deps.settings,
            now=deps.now(),
        )
        return
    if sub == "export":
        _export(deps, user, lang, arg, respond)
        return
    if sub == "alerts":
        reply(
            deps,
            user,
            lang,
            respond,
            alert_conditions.history,
            org_code=arg,
            settings=deps.settings,
        )
        return
    if sub == "chart":
        _chart(deps, user, lang, arg, respond)
        return
    if sub == "instructions":
        list_instructions(deps, user, lang, respond)
        return
    if sub == "admin":
        list_allocations(deps, user, lang, arg, respond)
        return
    if sub == "requests":
        list_requests(deps, user, lang, arg, respond)
        return
    text = t("compute.help", lang)
    if sub != "help":
        text = t("compute.unknown_subcommand", lang, sub=escape(sub)) + "\n" + text
    respond(text=text)


def _open_report_modal(deps, user: str, trigger_id: str, respond) -> None:
    # views.open must be the first Slack call (trigger_id lives 3 s): use what we know of the
    # user's language now, then check their locale and re-render if it differs.
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, deps.settings.default_language)
        guess = deps.slack.known_lang(user) or (
            actor.orgs[0].language if actor.orgs else deps.settings.default_language
        )
        actor.lang = guess
        try:
            form = compute.report_form(
                session=session, actor=actor, settings=deps.settings, now=deps.now()
            )
        except UserError as error:
            respond(text=error.message(lang_for(deps, user)))
            return
    open_modal(
        deps, user, trigger_id, respond, lambda lang: blocks.build_report_modal(form, lang), guess
    )


def handle_report_submission(ack, body, view, context) -> None:
    # Validation needs the database (is the allocation the organization's? is the month in its
    # period?), and Slack shows inline errors only from the ack: so we validate and store
    # before acking. Both are local and take milliseconds.
    deps = deps_of(context)
    user = body["user"]["id"]
    try:
        meta, data = blocks.parse_report_submission(view)
    except blocks.FormErrors as errors:
        ack(response_action="errors", errors=errors.for_slack(_meta_lang(view)))
        return
    try:
        with transaction(deps, flush=False) as work:
            actor = load_actor(deps, work.session, user, meta.lang)
            result = compute.submit_report(
                session=work.session,
                actor=actor,
                data=data,
                settings=deps.settings,
                now=deps.now(),
                source_ref=f"view:{view['id']}",
            )
            work.send(result.notices)
    except UserError as error:
        ack(
            response_action="errors",
            errors={error.field or blocks.Ids.GPU_HOURS: error.message(meta.lang)},
        )
        return
    ack()
    work.flush()
    refresh_home(deps, user)  # the report is no longer due there


def _meta_lang(view: dict) -> str:
    return blocks.ReportMeta.model_validate_json(view.get("private_metadata") or "{}").lang


def _export(deps, user: str, lang: str, month_text: str | None, respond) -> None:
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, lang)
        month, channel, notices = compute_export.share_export(
            session=session,
            actor=actor,
            settings=deps.settings,
            month_text=month_text,
            now=deps.now(),
        )
    if deliver(deps, notices):
        respond(text=t("error.generic", lang))
        return
    where = f"<#{channel}>" if channel[:1] in "CG" else t("compute.export.dm", lang)
    respond(text=t("compute.export.done", lang, month=month, where=where))


def _chart(deps, user: str, lang: str, org_code: str | None, respond) -> None:
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, lang)
        notices = compute_export.share_charts(
            session=session,
            actor=actor,
            org_code=org_code,
            settings=deps.settings,
            now=deps.now(),
        )
    if deliver(deps, notices):
        respond(text=t("error.generic", lang))
        return
    respond(text=t("compute.chart.done" if notices else "compute.status.no_allocations", lang))
