"""The month's survey-project progress reports and the advice given, as Markdown and CSV
(`/progress export YYYY-MM` for operators, and `kiban export progress MONTH`), rendered by
`bot.render.progress_export`."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.blocks.common import Message
from bot.clients.slack import Notice
from bot.i18n import t
from bot.parsing.months import parse_month
from bot.render.progress_export import AdviceRow, ProjectRow, ReportRow, build_export, file_names
from bot.services.members import Actor, user_error
from bot.services.progress import survey_projects
from bot.settings import Settings
from bot.timeutil import month_of, previous_month
from storage import progress as store


def export_month(
    *,
    session: Session,
    actor: Actor | None,
    settings: Settings,
    month: str,
    lang: str,
    now: datetime,
) -> list[tuple[str, str | bytes]]:
    """`[("progress-YYYY-MM.md", Markdown text), ("progress-YYYY-MM.csv", CSV bytes)]` for
    `month` (`YYYY-MM`): every survey project, its current report, advice and dissemination
    mark. `actor` None means the command line (an operator at the server); otherwise it must
    be an operator.

    Raises UserError for a non-operator or a month that has not begun.
    """
    if actor is not None:
        actor.require_operator()
    if month > month_of(now, settings.tz):
        raise user_error("compute.error.month_future", month=month)
    markdown, csv_bytes = build_export(month, project_rows(session, month), lang, now, settings.tz)
    md_name, csv_name = file_names(month)
    return [(md_name, markdown), (csv_name, csv_bytes)]


def project_rows(session: Session, month: str) -> list[ProjectRow]:
    """One row per survey project (by code) for `month`."""
    rows = []
    for org in survey_projects(session):
        report = store.current_report(session, org_id=org.id, month=month)
        mark = store.dissemination_of(session, org_id=org.id, month=month)
        rows.append(
            ProjectRow(
                org_code=org.code,
                org_name=org.name,
                report=_report_row(report) if report else None,
                advice=[
                    AdviceRow(
                        author=a.author,
                        given_at=a.given_at,
                        revision=store.get_report(session, a.report_id).revision,
                        text=a.text,
                    )
                    for a in store.advice_for(session, org_id=org.id, month=month)
                ],
                marked_by=mark.marked_by if mark else None,
                marked_at=mark.marked_at if mark else None,
            )
        )
    return rows


def _report_row(report) -> ReportRow:
    return ReportRow(
        revision=report.revision,
        reporter=report.reporter,
        submitted_at=report.submitted_at,
        plan=report.plan,
        progress=report.progress,
        issues=report.issues,
        improvement_plan=report.improvement_plan,
        results=report.results,
        help_needed=report.help_needed,
    )


def share_export(
    *, session: Session, actor: Actor, settings: Settings, month_text: str | None, now: datetime
) -> tuple[str, list[Notice]]:
    """`/progress export [YYYY-MM]` (operators): the month's two files for the operator's DM
    (default month: the last one ended), in the operator's language.

    Returns (month, notices). Raises UserError for a non-operator, a bad or future month.
    """
    actor.require_operator()
    month = (
        parse_month(month_text).strftime("%Y-%m")
        if month_text
        else previous_month(now, settings.tz)
    )
    files = export_month(
        session=session, actor=actor, settings=settings, month=month, lang=actor.lang, now=now
    )
    notice = Notice(
        channel=actor.user_id,
        kind="progress_export",
        files=files,
        render=lambda lang: Message(text=t("progress.export.comment", lang, month=month)),
    )
    return month, [notice]
