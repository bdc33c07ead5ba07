"""The trend report draft's buttons (issue #8): **Edit** (a modal per section), **Regenerate**
(the LLM is asked after the ack) and **Approve and publish**; the edit modal's submission."""

from __future__ import annotations

from bot.blocks import trend_report as blocks
from bot.services import trend_report
from bot.services.members import user_error
from handlers.common import (
    deliver,
    deps_of,
    lang_for,
    load_actor,
    open_for_actor,
    submit_modal,
    transaction,
)
from handlers.errors import guarded
from jobs.trend_report import redraft, share
from storage.trends import TrendReport


def register(app) -> None:
    app.action(blocks.Ids.EDIT)(guarded(handle_edit_button))
    app.action(blocks.Ids.REGENERATE)(guarded(handle_regenerate))
    app.action(blocks.Ids.APPROVE)(guarded(handle_approve))
    app.view(blocks.Ids.EDIT_SUBMIT)(guarded(handle_edit_submission))


def _value(body: dict) -> blocks.ReportValue:
    return blocks.ReportValue.model_validate_json(body["actions"][0]["value"])


def handle_edit_button(ack, body, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    value = _value(body)
    guess = deps.slack.known_lang(user) or deps.settings.default_language

    def build(session, actor):
        report = trend_report.section_form(session=session, actor=actor, report_id=value.report_id)
        month, sections = report.month, dict(report.sections)
        return lambda lang: blocks.build_edit_modal(
            value.report_id, month, value.section, sections, lang
        )

    open_for_actor(deps, user, body["trigger_id"], respond, guess, build)


def handle_edit_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    meta = blocks.EditMeta.model_validate_json(view.get("private_metadata") or "{}")
    user = body["user"]["id"]

    def store(session, parsed):
        _, texts = parsed
        return trend_report.edit_section(
            session=session,
            actor=load_actor(deps, session, user, meta.lang),
            report_id=meta.report_id,
            section=meta.section,
            texts=texts,
            settings=deps.settings,
        )

    submit_modal(
        deps, ack, meta.lang, blocks.Ids.JA, lambda: blocks.parse_edit(view), store, view=view
    )


def handle_regenerate(ack, body, context, respond) -> None:
    ack()  # before the LLM: it may take its whole timeout
    deps = deps_of(context)
    user = body["user"]["id"]
    value = _value(body)
    now = deps.now()
    with deps.session_factory() as session:
        actor = load_actor(deps, session, user, lang_for(deps, user))
        actor.require_operator()
        report = session.get(TrendReport, value.report_id)
        month = report.month if report else None
    if month is None:
        raise user_error("trendreport.error.unknown")
    share(deps, redraft(deps, month, now, actor_id=user), now)


def handle_approve(ack, body, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    value = _value(body)
    with transaction(deps) as work:
        notices, failed = trend_report.approve(
            session=work.session,
            actor=load_actor(deps, work.session, user, lang_for(deps, user)),
            report_id=value.report_id,
            settings=deps.settings,
            now=deps.now(),
        )
        *publication, confirmation = notices
        work.send(publication)
    failed += sorted({f.notice.channel for f in work.failures})
    deliver(deps, [confirmation])
