"""Survey projects' monthly progress reports (issue #9): the report modal's choices, storing
reports as revisions, the secretariat's advice and marking results for dissemination,
`/progress status`, the missing-report reminder, and what the digest and the trend report read.

Who may do what (enforced here, not only by hiding buttons): members and leads of a survey
project report for it and see its reports only; operators report for any survey project (on a
project's behalf), see all, give advice and mark results for dissemination. Months are
`YYYY-MM` in the programme's zone (`settings.tz`); times are stored UTC.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.blocks import progress as blocks
from bot.blocks.common import Message
from bot.clients.slack import Notice
from bot.parsing.months import parse_month
from bot.services.members import Actor, user_error
from bot.services.revisions import StoreOutcome, SubmitResult, store_with_retries
from bot.settings import Settings
from bot.timeutil import month_of, month_start, months_between, previous_month
from storage import members as member_store
from storage import progress as store
from storage.members import Organization, OrgKind, Role
from storage.progress import ProgressAdvice, ProgressReport

STATUS_MONTHS = 6  # months a member's `/progress status` lists


# --- who reports for what ------------------------------------------------------------------------


def survey_projects(session: Session) -> list[Organization]:
    """Every survey project, ordered by code."""
    return member_store.list_orgs(session, kind=OrgKind.SURVEY_PROJECT.value)


def projects_of(session: Session, actor: Actor) -> list[Organization]:
    """The survey projects the actor reports for and sees: all for operators, else the ones
    they belong to (not as a reviewer).

    Raises UserError when there are none (for operators: none registered yet)."""
    if actor.is_operator:
        orgs = survey_projects(session)
        if not orgs:
            raise user_error("progress.error.no_projects_yet")
        return orgs
    orgs = [
        org
        for org in actor.orgs
        if org.kind == OrgKind.SURVEY_PROJECT.value and actor.roles[org.id] != Role.REVIEWER.value
    ]
    if not orgs:
        raise user_error("progress.error.no_project")
    return orgs


def _project_for(session: Session, actor: Actor, org_id: int) -> Organization:
    """The survey project `org_id` when the actor may report for it; else UserError."""
    org = member_store.get_org(session, org_id)
    if org is None or org.kind != OrgKind.SURVEY_PROJECT.value:
        raise user_error("progress.error.not_your_project")
    if not (actor.is_operator or actor.belongs_to(org.id)):
        raise user_error("progress.error.not_your_project")
    if not actor.is_operator and actor.roles[org.id] == Role.REVIEWER.value:
        raise user_error("progress.error.not_your_project")
    return org


def lead_ids(session: Session, org_id: int) -> list[str]:
    """Slack ids of the project's leads."""
    return [m.slack_user_id for m in member_store.org_members(session, org_id, Role.ORG_LEAD)]


def progress_channel(settings: Settings) -> str:
    """Where the secretariat reads reports: `progress_channel`, else the operator channel
    ("" when neither is configured)."""
    return settings.progress_channel or settings.operator_channel


# --- the report modal -------------------------------------------------------------------------


def report_form(
    *, session: Session, actor: Actor, settings: Settings, now: datetime
) -> blocks.ReportForm:
    """What the report modal offers the actor. Default month: last month; with a single
    project, its current revision for that month is filled in, so a correction keeps the text.

    Raises UserError when the actor may report for no survey project.
    """
    orgs = projects_of(session, actor)
    month = previous_month(now, settings.tz)
    prefill = revision = None
    if len(orgs) == 1:
        current = store.current_report(session, org_id=orgs[0].id, month=month)
        if current is not None:
            prefill, revision = _texts(current), current.revision
    return blocks.ReportForm(
        orgs=[blocks.OrgChoice(id=o.id, code=o.code, name=o.name) for o in orgs],
        default_month=month,
        prefill=prefill,
        prefill_revision=revision,
    )


def _texts(report: ProgressReport) -> blocks.ReportTexts:
    return blocks.ReportTexts(
        plan=report.plan,
        progress=report.progress,
        issues=report.issues,
        improvement_plan=report.improvement_plan,
        results=report.results,
        help_needed=report.help_needed,
    )


def submit_report(
    *,
    session: Session,
    actor: Actor,
    data: blocks.ReportInput,
    settings: Settings,
    now: datetime,
    source_ref: str | None = None,
) -> SubmitResult:
    """Store a progress report from the modal and decide who hears about it.

    Returns the outcome and the notices to deliver after commit: the reporter's confirmation
    DM (created / revised / unchanged) and, for a new revision, the secretariat's post with
    Advice and Mark for dissemination. A repeat of the same submission (same `source_ref`,
    the modal's view id) is a silent "duplicate". Raises UserError for a project the actor
    may not report for, or a month that has not begun (field `month`).
    """
    org = _project_for(session, actor, data.org_id)
    if data.month > month_of(now, settings.tz):
        error = user_error("compute.error.month_future", month=data.month)
        error.field = blocks.Ids.MONTH
        raise error
    outcome = store_report(
        session=session,
        org=org,
        month=data.month,
        texts=data.texts,
        reporter=actor.user_id,
        source_ref=source_ref,
        now=now,
    )
    result = SubmitResult(outcome=outcome)
    if outcome.status == "duplicate":
        return result
    summary = _summary(org, outcome.report)
    result.notices.append(
        Notice(
            channel=actor.user_id,
            render=lambda lang: blocks.build_confirmation(summary, outcome.status, lang),
            kind="progress_confirmation",
        )
    )
    channel = progress_channel(settings)
    if outcome.status != "unchanged" and channel:
        result.notices.append(
            Notice(
                channel=channel,
                render=lambda lang: blocks.build_secretariat_post(summary, lang),
                lang=settings.default_language,
                kind="progress_report",
                ref=f"progress:{outcome.report.id}",
            )
        )
    return result


def _summary(org: Organization, report: ProgressReport) -> blocks.ReportSummary:
    return blocks.ReportSummary(
        report_id=report.id,
        org_id=org.id,
        org_name=org.name,
        month=report.month,
        revision=report.revision,
        reporter=report.reporter,
        texts=_texts(report),
    )


def store_report(
    *,
    session: Session,
    org: Organization,
    month: str,
    texts: blocks.ReportTexts,
    reporter: str,
    source_ref: str | None,
    now: datetime,
) -> StoreOutcome:
    """Make `texts` the current report of (organization, month).

    Different text supersedes the current revision with a new one; the same text again
    changes nothing ("unchanged", or "duplicate" when `source_ref` matches: a retried or
    double-clicked submission). Concurrent writers of the same key take turns
    (`storage.progress.lock_report_key`); should one still slip past, the database's unique
    indexes refuse it and the comparison is made again (as `bot.services.compute.store_report`).
    """
    store.lock_report_key(session, org_id=org.id, month=month)
    return store_with_retries(
        session,
        lambda: _store_once(session, org, month, texts, reporter, source_ref, now),
        "progress report",
    )


def _store_once(session, org, month, texts, reporter, source_ref, now) -> StoreOutcome:
    current = store.current_report(session, org_id=org.id, month=month, for_update=True)
    if current is not None and _texts(current).as_tuple() == texts.as_tuple():
        if source_ref and current.source_ref == source_ref:
            return StoreOutcome("duplicate", current)
        return StoreOutcome("unchanged", current)
    if current is not None:
        store.supersede(session, current)
    report = store.add_report(
        session,
        ProgressReport(
            organization_id=org.id,
            month=month,
            plan=texts.plan,
            progress=texts.progress,
            issues=texts.issues,
            improvement_plan=texts.improvement_plan,
            results=texts.results,
            help_needed=texts.help_needed,
            reporter=reporter,
            submitted_at=now,
            source_ref=source_ref,
            revision=(current.revision + 1) if current else 1,
        ),
    )
    return StoreOutcome("revised" if current else "created", report, current)


# --- advice ----------------------------------------------------------------------------------


def _current_for(session: Session, ref: blocks.ReportRef) -> tuple[Organization, ProgressReport]:
    org = member_store.get_org(session, ref.org_id)
    report = store.current_report(session, org_id=ref.org_id, month=ref.month)
    if org is None or report is None:
        raise user_error("progress.error.no_report", org=org.name if org else "?", month=ref.month)
    return org, report


def advice_form(
    *, session: Session, actor: Actor, ref: blocks.ReportRef
) -> tuple[blocks.ReportRef, str]:
    """What the Advice modal shows: the report's current revision and the project's name.
    Raises UserError for a non-operator or a report that is gone."""
    actor.require_operator()
    org, report = _current_for(session, ref)
    return ref.model_copy(update={"report_id": report.id, "revision": report.revision}), org.name


def give_advice(
    *,
    session: Session,
    actor: Actor,
    data: blocks.AdviceInput,
    settings: Settings,
    now: datetime,
    source_ref: str | None = None,
) -> list[Notice]:
    """Keep an operator's advice with the report's current revision and send it to the
    project's leads (DMs in their language, held through their quiet hours), with a note in
    the secretariat post's thread (when the modal came from it). A repeat of the same
    submission (`source_ref`) stores and sends nothing.

    Raises UserError for a non-operator (nothing stored) or a report that is gone.
    """
    actor.require_operator()
    meta = data.meta
    org, report = _current_for(session, meta)
    stored = store.add_advice(
        session,
        ProgressAdvice(
            report_id=report.id,
            organization_id=org.id,
            month=report.month,
            author=actor.user_id,
            text=data.text,
            given_at=now,
            source_ref=source_ref,
        ),
    )
    if stored is None:
        return []
    leads = lead_ids(session, org.id)
    notices = [
        Notice(
            channel=lead,
            render=lambda lang: blocks.build_advice_dm(
                org_name=org.name,
                month=report.month,
                revision=report.revision,
                author=actor.user_id,
                text=data.text,
                lang=lang,
            ),
            kind="progress_advice",
            quiet_hours=True,
            ref=f"progress_advice:{stored.id}",
        )
        for lead in leads
    ]
    if meta.channel and meta.ts:
        notices.append(
            Notice(
                channel=meta.channel,
                thread_ts=meta.ts,
                render=lambda lang: blocks.build_advice_note(
                    author=actor.user_id,
                    text=data.text,
                    leads=len(leads),
                    org_name=org.name,
                    lang=lang,
                ),
                lang=settings.default_language,
                kind="progress_advice_note",
            )
        )
    return notices


# --- dissemination ---------------------------------------------------------------------------


def mark_for_dissemination(
    *,
    session: Session,
    actor: Actor,
    ref: blocks.ReportRef,
    channel: str,
    ts: str,
    blocks_shown: list[dict],
    now: datetime,
) -> list[Notice]:
    """Mark the results to share of the revision the clicked post shows for dissemination
    (a snapshot of the text, who and when): one per (project, month), marking a later
    revision replaces it. The notice updates the post at (`channel`, `ts`): the button
    replaced by who marked it.

    Raises UserError for a non-operator (nothing stored), a report that is gone, a post of a
    revision since superseded (the operator would mark text they have not read), or a
    report with no results to share.
    """
    actor.require_operator()
    org, report = _current_for(session, ref)
    if report.id != ref.report_id:
        raise user_error("progress.error.stale", shown=ref.revision, current=report.revision)
    if not (report.results or "").strip():
        raise user_error("progress.error.no_results")
    store.lock_dissemination_key(session, org_id=org.id, month=report.month)
    status = store.mark_dissemination(
        session, report=report, results=report.results, marked_by=actor.user_id, now=now
    )
    if status == "unchanged":
        raise user_error("progress.marked.again")
    return [
        Notice(
            channel=channel,
            ts=ts,
            render=lambda lang: blocks.build_marked(blocks_shown, actor.user_id, lang),
            lang=actor.lang,
            kind="progress_marked",
        )
    ]


def disseminated_between(
    session: Session, start: datetime, end: datetime
) -> list[tuple[str, str, str]]:
    """(project name, report month `YYYY-MM`, results text as marked) for results marked for
    dissemination in [start, end) (aware, compared in UTC), oldest mark first: the digest."""
    names = {o.id: o.name for o in member_store.list_orgs(session)}
    return [
        (names.get(d.organization_id, "?"), d.month, d.results)
        for d in store.disseminations_marked_between(session, start, end)
    ]


# --- status ----------------------------------------------------------------------------------


def status(
    *,
    session: Session,
    actor: Actor,
    month_text: str | None,
    settings: Settings,
    now: datetime,
) -> Message:
    """The `/progress status [YYYY-MM]` reply in the actor's language.

    Operators: every survey project for the month (default last month): reported (revision,
    reporter, advice given, marked) or missing, and help requests. Others: their own
    projects only, the given month, or last month and the months back to their first report
    (at most six, newest first).
    Raises UserError for someone in no survey project, or a malformed month.
    """
    month = parse_month(month_text).strftime("%Y-%m") if month_text else None
    orgs = projects_of(session, actor)
    if actor.is_operator:
        month = month or previous_month(now, settings.tz)
        return blocks.build_operator_status(
            month, [_org_line(session, org, month) for org in orgs], actor.lang
        )
    return blocks.build_member_status(
        [
            (org.name, [_month_line(session, org, m, settings) for m in months])
            for org in orgs
            for months in [[month] if month else _latest_months(session, org, now, settings)]
        ],
        actor.lang,
    )


def _latest_months(session: Session, org: Organization, now: datetime, settings: Settings):
    """Last month and the months before it back to the project's first report, at most six,
    newest first (months in between not reported are listed as such)."""
    last = previous_month(now, settings.tz)
    reported = [r.month for r in store.current_reports_of_org(session, org.id) if r.month <= last]
    first = min([*reported, last])
    return months_between(month_start(first), month_start(last))[::-1][:STATUS_MONTHS]


def _month_line(
    session: Session, org: Organization, month: str, settings: Settings
) -> blocks.MonthLine:
    report = store.current_report(session, org_id=org.id, month=month)
    if report is None:
        return blocks.MonthLine(month=month)
    return blocks.MonthLine(
        month=month,
        revision=report.revision,
        submitted=report.submitted_at.astimezone(settings.tz).strftime("%Y-%m-%d"),
        advice=len(store.advice_for(session, org_id=org.id, month=month)),
        marked=store.dissemination_of(session, org_id=org.id, month=month) is not None,
    )


def _org_line(session: Session, org: Organization, month: str) -> blocks.OrgLine:
    report = store.current_report(session, org_id=org.id, month=month)
    if report is None:
        return blocks.OrgLine(org_name=org.name)
    return blocks.OrgLine(
        org_name=org.name,
        revision=report.revision,
        reporter=report.reporter,
        advice=len(store.advice_for(session, org_id=org.id, month=month)),
        marked=store.dissemination_of(session, org_id=org.id, month=month) is not None,
        help_needed=report.help_needed,
    )


# --- the missing-report reminder ---------------------------------------------------------------


def missing_reports(session: Session, month: str) -> list[tuple[Organization, list[str]]]:
    """Survey projects with no current report for `month`, each with its leads' Slack ids."""
    return [
        (org, lead_ids(session, org.id))
        for org in survey_projects(session)
        if store.current_report(session, org_id=org.id, month=month) is None
    ]


def reminders(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """For last month (in `settings.tz`): a DM to each lead of every survey project that has
    not reported (held through the lead's quiet hours), and one summary for the operator
    channel naming them (a project with no lead is named as not reminded). [] when every
    project reported."""
    month = previous_month(now, settings.tz)
    missing = missing_reports(session, month)
    notices = [
        Notice(
            channel=lead,
            render=lambda lang, name=org.name: blocks.build_reminder(name, month, lang),
            kind="progress_reminder",
            quiet_hours=True,
        )
        for org, leads in missing
        for lead in leads
    ]
    if missing and settings.operator_channel:
        listed = [(org.name, bool(leads)) for org, leads in missing]
        notices.append(
            Notice(
                channel=settings.operator_channel,
                render=lambda lang: blocks.build_reminder_summary(month, listed, lang),
                lang=settings.default_language,
                kind="progress_reminder_summary",
            )
        )
    return notices
