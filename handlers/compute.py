"""`/compute` (report, status, help) and the report modal's submission."""

from __future__ import annotations

from bot.blocks import compute as blocks
from bot.blocks.common import escape, from_slack_text
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.months import parse_month
from bot.services import alert_conditions, compute, compute_export
from bot.timeutil import previous_month
from handlers.common import deliver, deps_of, lang_for, load_actor, open_modal
from handlers.errors import guarded
from handlers.instructions import list_instructions, open_instruct_modal


def register(app) -> None:
    app.command("/compute")(guarded(handle_compute_command))
    app.view(blocks.Ids.REPORT_SUBMIT)(guarded(handle_report_submission))


def handle_compute_command(ack, command, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = command["user_id"]
    words = from_slack_text(command.get("text")).split()
    sub = words[0].lower() if words else "help"
    if sub == "report":
        _open_report_modal(deps, user, command["trigger_id"], respond)
        return
    if sub == "instruct":  # a modal too: views.open before any other Slack call
        open_instruct_modal(deps, user, command["trigger_id"], respond)
        return
    lang = lang_for(deps, user)
    if sub == "status":
        with deps.session_factory.begin() as session:
            actor = load_actor(deps, session, user, lang)
            message = compute.status(
                session=session,
                actor=actor,
                org_code=words[1] if len(words) > 1 else None,
                settings=deps.settings,
                now=deps.now(),
            )
        respond(text=message.text, blocks=message.blocks)
        return
    if sub == "export":
        _export(deps, user, lang, words[1] if len(words) > 1 else None, respond)
        return
    if sub == "alerts":
        with deps.session_factory.begin() as session:
            actor = load_actor(deps, session, user, lang)
            message = alert_conditions.history(
                session=session,
                actor=actor,
                org_code=words[1] if len(words) > 1 else None,
                settings=deps.settings,
            )
        respond(text=message.text, blocks=message.blocks)
        return
    if sub == "chart":
        _chart(deps, user, lang, words[1] if len(words) > 1 else None, respond)
        return
    if sub == "instructions":
        list_instructions(deps, user, lang, respond)
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
        with deps.session_factory.begin() as session:
            actor = load_actor(deps, session, user, meta.lang)
            result = compute.submit_report(
                session=session,
                actor=actor,
                data=data,
                settings=deps.settings,
                now=deps.now(),
                source_ref=f"view:{view['id']}",
            )
    except UserError as error:
        ack(
            response_action="errors",
            errors={error.field or blocks.Ids.GPU_HOURS: error.message(meta.lang)},
        )
        return
    ack()
    deliver(deps, result.notices)


def _meta_lang(view: dict) -> str:
    return blocks.ReportMeta.model_validate_json(view.get("private_metadata") or "{}").lang


def _export(deps, user: str, lang: str, month_text: str | None, respond) -> None:
    now = deps.now()
    month = (
        parse_month(month_text).strftime("%Y-%m")
        if month_text
        else previous_month(now, deps.settings.tz)
    )
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, lang)
        files = compute_export.export_month(
            session=session,
            actor=actor,
            settings=deps.settings,
            month=month,
            lang=deps.settings.default_language,
            now=now,
        )
    channel = deps.settings.operator_channel or user
    deps.slack.upload(
        channel=channel,
        files=[(files.markdown_name, files.markdown), (files.csv_name, files.csv)],
        comment=t("compute.export.comment", deps.settings.default_language, month=month),
    )
    respond(
        text=t(
            "compute.export.done",
            lang,
            month=month,
            where=f"<#{channel}>" if channel[:1] in "CG" else t("compute.export.dm", lang),
        )
    )


def _chart(deps, user: str, lang: str, org_code: str | None, respond) -> None:
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, lang)
        pngs = compute_export.charts_for(
            session=session,
            actor=actor,
            org_code=org_code,
            settings=deps.settings,
            now=deps.now(),
        )
    if not pngs:
        respond(text=t("compute.status.no_allocations", lang))
        return
    deps.slack.upload(channel=user, files=pngs, comment=t("compute.chart.comment", lang))
    respond(text=t("compute.chart.done", lang))
