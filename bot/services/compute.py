"""Compute usage: the report modal's choices, storing reports as revisions, status, and
what the monthly reminder and weekly digest need. Alerts live in `bot.services.alerts`.

GPU-hours are floats; months `YYYY-MM` in the programme's zone (`settings.timezone`).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.blocks import compute as blocks
from bot.clients.slack import Notice
from bot.services import alerts, reconciliation
from bot.services.compute_outlook import outlooks
from bot.services.members import Actor, own_orgs, user_error, visible_orgs
from bot.services.revisions import StoreOutcome, SubmitResult, store_with_retries
from bot.settings import Settings
from bot.timeutil import month_of, month_start, months_between, previous_month
from storage import compute as store
from storage import members as member_store
from storage.compute import ComputeAllocation, ReportSource, UsageReport
from storage.members import Organization


def allocation_label(allocation: ComputeAllocation) -> str:
    """How an allocation is named to people: `ABCI (H100)`."""
    return f"{allocation.provider} ({allocation.gpu_type})"


def report_form(
    *, session: Session, actor: Actor, settings: Settings, now: datetime
) -> blocks.ReportForm:
    """What the report modal offers the actor; with a single allocation, its current report for
    the default month (last month) is filled in, so a correction keeps the notes.

    Raises UserError when the actor is in no organization, or none has an allocation.
    """
    orgs = own_orgs(actor)
    choices, allocations = [], []
    for org in orgs:
        org_allocations = store.allocations_for_org(session, org.id)
        if org_allocations:
            choices.append(blocks.OrgChoice(id=org.id, code=org.code, name=org.name))
            allocations += [
                blocks.AllocationChoice(id=a.id, org_id=org.id, label=allocation_label(a))
                for a in org_allocations
            ]
    if not choices:
        raise user_error("error.no_allocation", org=", ".join(o.name for o in orgs))
    month = previous_month(now, settings.tz)
    prefill = None
    if len(allocations) == 1:  # preselected: show its current report, so notes are kept
        only = allocations[0]
        current = store.current_report(
            session, org_id=only.org_id, allocation_id=only.id, month=month
        )
        if current is not None:
            prefill = blocks.Prefill(
                gpu_hours=current.gpu_hours,
                revision=current.revision,
                progress=current.progress,
                issues=current.issues,
                improvement_plan=current.improvement_plan,
            )
    return blocks.ReportForm(
        orgs=choices, allocations=allocations, default_month=month, prefill=prefill
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
    """Store a usage report from the modal and decide who hears about it.

    Returns the outcome and the notices to deliver after commit: the reporter's confirmation
    DM, the organization channel's summary, and over-plan alerts. A repeat of the same
    submission (same `source_ref`, e.g. the modal's view id) is a silent "duplicate".
    Raises UserError (with `field` = the modal block id) for an allocation of another
    organization, a month outside the allocation's period or in the future, or an actor who
    does not belong to the organization.
    """
    org = member_store.get_org(session, data.org_id)
    if org is None or not (actor.belongs_to(org.id) or actor.is_operator):
        raise user_error("error.not_your_org")
    allocation = store.get_allocation(session, data.allocation_id)
    if allocation is None or allocation.organization_id != org.id:
        error = user_error("compute.error.allocation_org", org=org.name)
        error.field = blocks.Ids.ALLOCATION
        raise error
    check_month(allocation, data.month, settings=settings, now=now)
    outcome = store_report(
        session=session,
        org=org,
        allocation=allocation,
        month=data.month,
        gpu_hours=data.gpu_hours,
        texts=(data.progress, data.issues, data.improvement_plan),
        reporter=actor.user_id,
        source=ReportSource.MODAL,
        source_ref=source_ref,
        now=now,
    )
    result = SubmitResult(outcome=outcome)
    if outcome.status == "duplicate":
        return result
    summary = _summary(session, org, allocation, outcome)
    result.notices.append(
        Notice(
            channel=actor.user_id,
            render=lambda lang: blocks.build_confirmation(summary, outcome.status, lang),
            kind="confirmation",
        )
    )
    if outcome.status == "unchanged":
        return result
    if org.channel_id:
        result.notices.append(
            Notice(
                channel=org.channel_id,
                render=lambda lang: blocks.build_channel_summary(summary, lang),
                lang=org.language,
                kind="channel_summary",
            )
        )
    result.notices += alerts.check_overuse(
        session=session,
        org=org,
        allocation=allocation,
        month=data.month,
        settings=settings,
        now=now,
    )
    result.notices += reconciliation.check(
        session=session,
        org=org,
        allocation=allocation,
        label=allocation_label(allocation),
        new=outcome.report,
        settings=settings,
    )
    return result


def check_month(
    allocation: ComputeAllocation, month: str, *, settings: Settings, now: datetime
) -> None:
    """Raise UserError (field `month`) unless `month` has begun and lies in the allocation's period."""
    if month > month_of(now, settings.tz):
        error = user_error("compute.error.month_future", month=month)
    elif not (
        allocation.period_start.strftime("%Y-%m")
        <= month
        <= allocation.period_end.strftime("%Y-%m")
    ):
        error = user_error(
            "compute.error.month_outside",
            month=month,
            start=allocation.period_start.isoformat(),
            end=allocation.period_end.isoformat(),
        )
    else:
        return
    error.field = blocks.Ids.MONTH
    raise error


def store_report(
    *,
    session: Session,
    org: Organization,
    allocation: ComputeAllocation,
    month: str,
    gpu_hours: float,
    texts: tuple[str | None, str | None, str | None],
    reporter: str,
    source: ReportSource,
    source_ref: str | None,
    now: datetime,
) -> StoreOutcome:
    """Make `gpu_hours` the current figure for (organization, allocation, month).

    A different figure or different notes supersede the current report as a new revision.
    The same content again changes nothing ("unchanged", or "duplicate" when `source_ref`
    matches: a retried or double-clicked submission). Concurrent writers of the same key take
    turns (`storage.compute.lock_report_key`); should one still slip past, the database's
    unique indexes refuse it and the comparison is made again.
    """
    store.lock_report_key(session, org_id=org.id, allocation_id=allocation.id, month=month)
    return store_with_retries(
        session,
        lambda: _store_once(
            session,
            org,
            allocation,
            month,
            gpu_hours,
            texts,
            reporter,
            source,
            source_ref,
            now,
        ),
        "usage report",
    )


def _store_once(
    session, org, allocation, month, gpu_hours, texts, reporter, source, source_ref, now
) -> StoreOutcome:
    current = store.current_report(
        session, org_id=org.id, allocation_id=allocation.id, month=month, for_update=True
    )
    progress, issues, improvement = texts
    if current is not None and _same(current, gpu_hours, texts, source):
        if source_ref and current.source_ref == source_ref:
            return StoreOutcome("duplicate", current)
        return StoreOutcome("unchanged", current)
    if current is not None:
        store.supersede(session, current)
    report = store.add_report(
        session,
        UsageReport(
            organization_id=org.id,
            allocation_id=allocation.id,
            month=month,
            gpu_hours=gpu_hours,
            progress=progress,
            issues=issues,
            improvement_plan=improvement,
            reporter=reporter,
            submitted_at=now,
            source=source.value,
            source_ref=source_ref,
            revision=(current.revision + 1) if current else 1,
        ),
    )
    return StoreOutcome("revised" if current else "created", report, current)


def _same(report: UsageReport, gpu_hours: float, texts: tuple, source: ReportSource) -> bool:
    """Same figure, notes and source: a measured figure equal to a self-report is still a new
    revision, so the ledger records that it was measured (reconciliation reads it)."""
    return (
        report.source == source.value
        and abs(report.gpu_hours - gpu_hours) < 1e-9
        and (
            report.progress,
            report.issues,
            report.improvement_plan,
        )
        == tuple(texts)
    )


def _summary(session, org, allocation, outcome: StoreOutcome) -> blocks.ReportSummary:
    report = outcome.report
    plan = store.plan_for(session, allocation.id, report.month)
    return blocks.ReportSummary(
        org_name=org.name,
        allocation=allocation_label(allocation),
        month=report.month,
        gpu_hours=report.gpu_hours,
        plan=plan.planned_gpu_hours if plan else None,
        reporter=report.reporter,
        revision=report.revision,
        previous=outcome.previous.gpu_hours if outcome.previous else None,
        progress=report.progress,
        issues=report.issues,
        improvement_plan=report.improvement_plan,
    )


# --- status -------------------------------------------------------------------------------


def status(
    *, session: Session, actor: Actor, org_code: str | None, settings: Settings, now: datetime
) -> blocks.Message:
    """The `/compute status` reply: for each of the actor's organizations (or `org_code`, which
    operators may set to any), plan vs reported GPU-hours per allocation over the months that
    have ended (reports are monthly, after the month), and the ended months not yet reported.

    Raises UserError when the actor may not see the organization or is in none.
    """
    orgs = visible_orgs(session, actor, org_code)
    last_month = previous_month(now, settings.tz)
    by_allocation = {
        o.allocation.id: o
        for o in outlooks(session=session, settings=settings, now=now, org_ids=[o.id for o in orgs])
    }
    sections = [
        (
            org.name,
            [
                _allocation_status(session, by_allocation[a.id], last_month)
                for a in store.allocations_for_org(session, org.id)
            ],
        )
        for org in orgs
    ]
    return blocks.build_status(sections, last_month, actor.lang)


def _allocation_status(session: Session, outlook, through: str) -> blocks.AllocationStatus:
    allocation = outlook.allocation
    reports = store.current_reports(session, allocation.id)
    ended = [
        m for m in months_between(allocation.period_start, allocation.period_end) if m <= through
    ]
    return blocks.AllocationStatus(
        label=allocation_label(allocation),
        start=allocation.period_start.isoformat(),
        end=allocation.period_end.isoformat(),
        granted=allocation.granted_gpu_hours,
        used=outlook.actual_to_date,
        planned_to_date=outlook.planned_to_date,
        missing_months=[m for m in ended if m not in reports],
        status=outlook.status,
        forecast_end=outlook.forecast_end,
        runs_out=outlook.runs_out.isoformat() if outlook.runs_out else None,
        factor=outlook.factor,
    )


def unreported(session: Session, month: str) -> list[tuple[Organization, list[ComputeAllocation]]]:
    """Organizations with allocations active in `month` that have no current report for it."""
    result = []
    for org in member_store.list_orgs(session):
        missing = [
            allocation
            for allocation in store.allocations_for_org(session, org.id)
            if _active(allocation, month)
            and store.current_report(
                session, org_id=org.id, allocation_id=allocation.id, month=month
            )
            is None
        ]
        if missing:
            result.append((org, missing))
    return result


def _active(allocation: ComputeAllocation, month: str) -> bool:
    start = month_start(month)
    return allocation.period_start.replace(day=1) <= start <= allocation.period_end


def month_totals(session: Session, org: Organization, month: str) -> tuple[float, float] | None:
    """(GPU-hours reported, GPU-hours planned) for an organization's active allocations in
    `month`; None when it has no allocation active then."""
    active = [a for a in store.allocations_for_org(session, org.id) if _active(a, month)]
    if not active:
        return None
    used = planned = 0.0
    for allocation in active:
        report = store.current_report(
            session, org_id=org.id, allocation_id=allocation.id, month=month
        )
        plan = store.plan_for(session, allocation.id, month)
        used += report.gpu_hours if report else 0.0
        planned += plan.planned_gpu_hours if plan else 0.0
    return used, planned


def lead_ids(session: Session, org: Organization) -> list[str]:
    """Slack ids of the organization's leads."""
    return [m.slack_user_id for m in member_store.org_members(session, org.id, "org_lead")]
