"""Condition alerts, graded: an allocation that will run out before its period ends, one under
plan at a checkpoint date, a monthly report still missing after the reminder.

Each condition is kept per organization, allocation and kind while it lasts. Level 1: a DM to
the organization's leads. Still true after `escalation_days`: level 2, the leads again and the
operator channel. After twice that: level 3, an escalation entry in the operator channel. Never
the same condition twice within `alert_suppression_days`; nothing while snoozed; when the
condition ends its state is forgotten, so a recurrence starts at level 1. With
`alerts_dry_run`, everything goes only to the operator channel, marked as a dry run.
Runs from a daily job on business days (so no alert lands on a weekend or Japanese holiday).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.blocks import alert_conditions as blocks
from bot.clients.slack import Notice
from bot.i18n import t
from bot.services import alerts, compute
from bot.services.compute_outlook import Status, outlooks
from bot.services.members import Actor, user_error, visible_orgs
from bot.settings import Settings
from bot.timeutil import nth_business_day, previous_month
from storage import alerts as store
from storage import compute as compute_store
from storage import members as member_store
from storage.compute import ComputeAllocation
from storage.members import Organization

KINDS = ("over_plan", "runs_out", "under_plan", "report_missing")
SNOOZE = timedelta(days=3)


@dataclass
class Condition:
    kind: str
    org: Organization
    allocation: ComputeAllocation
    params: dict


def conditions(*, session: Session, settings: Settings, now: datetime) -> tuple[list, tuple]:
    """The conditions true at `now`, and the kinds that were evaluated (under plan only on a
    checkpoint date, report missing only once the grace after the reminder has passed)."""
    local = now.astimezone(settings.tz)
    orgs = {org.id: org for org in member_store.list_orgs(session)}
    last_month = previous_month(now, settings.tz)
    reminder = nth_business_day(local.year, local.month, 3)
    missing_due = (local.date() - reminder).days >= settings.report_missing_grace_days
    checkpoint = local.strftime("%m-%d") in settings.underuse_checkpoints
    evaluated = (
        ("over_plan", "runs_out")
        + (("under_plan",) if checkpoint else ())
        + (("report_missing",) if missing_due else ())
    )
    found = []
    unreported = {
        (org.id, a.id)
        for org, allocations in compute.unreported(session, last_month)
        for a in allocations
    }
    for outlook in outlooks(session=session, settings=settings, now=now):
        allocation = outlook.allocation
        org = orgs[allocation.organization_id]
        if over := over_plan(session, allocation, last_month, settings):
            found.append(Condition("over_plan", org, allocation, over))
        if outlook.runs_out is not None:
            found.append(
                Condition(
                    "runs_out",
                    org,
                    allocation,
                    {
                        "rate": outlook.burn_rate,
                        "granted": allocation.granted_gpu_hours,
                        "date": outlook.runs_out.isoformat(),
                        "end": allocation.period_end.isoformat(),
                    },
                )
            )
        if checkpoint and outlook.status == Status.UNDER_PLAN:
            percent = outlook.actual_to_date / outlook.planned_to_date
            found.append(
                Condition(
                    "under_plan",
                    org,
                    allocation,
                    {
                        "actual": outlook.actual_to_date,
                        "planned": outlook.planned_to_date,
                        "percent": f"{percent:.0%}",
                    },
                )
            )
        if missing_due and (org.id, allocation.id) in unreported:
            found.append(Condition("report_missing", org, allocation, {"month": last_month}))
    return found, evaluated


def over_plan(
    session: Session, allocation: ComputeAllocation, month: str, settings: Settings
) -> dict | None:
    """The figures when `month`'s report exceeds its plan by more than the over-plan
    threshold (or uses hours in a month planned at 0); None otherwise."""
    report = compute_store.current_report(
        session, org_id=allocation.organization_id, allocation_id=allocation.id, month=month
    )
    planned = alerts.planned_for(session, allocation.id, month)
    if report is None or planned is None:
        return None
    percent = alerts.overrun_percent(report.gpu_hours, planned)
    if percent is None and report.gpu_hours <= 0:
        return None
    if percent is not None and percent <= settings.overuse_threshold_percent:
        return None
    return {
        "month": month,
        "actual": report.gpu_hours,
        "planned": planned,
        "percent": f"{percent:.1f}%" if percent is not None else "∞",
    }


def evaluate(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """Alert, escalate or stay quiet for every condition true at `now`; forget those that
    ended. Returns the notices to deliver after commit."""
    found, evaluated = conditions(session=session, settings=settings, now=now)
    store.clear_states(
        session,
        kinds=evaluated,
        keep={(c.org.id, c.allocation.id, c.kind) for c in found},
    )
    notices = []
    for condition in found:
        notices += _raise(session, condition, settings=settings, now=now)
    return notices


def _raise(session: Session, c: Condition, *, settings: Settings, now: datetime) -> list[Notice]:
    state = store.alert_state(
        session, organization_id=c.org.id, allocation_id=c.allocation.id, kind=c.kind, now=now
    )
    if state.level == 0 and c.kind == "over_plan":
        # the month's over-plan alert may have gone out on the report (alerts.check_overuse)
        # while its state was cleared in between: count it as level 1 instead of repeating it
        prefix = f"{c.org.code}:{c.allocation.id}:{c.params['month']}:"
        sent = store.first_alert_time(session, alerts.OVERUSE, prefix)
        if sent is not None:
            state.level, state.first_seen_at, state.last_sent_at = 1, sent, sent
            session.flush()
            return []
    if state.snoozed_until and now < state.snoozed_until:
        return []
    if state.level >= 3:  # the escalation entry is made once; operators follow up from it
        return []
    if state.last_sent_at and now - state.last_sent_at < timedelta(
        days=settings.alert_suppression_days
    ):
        return []
    lasted = now - state.first_seen_at
    escalation = timedelta(days=settings.escalation_days)
    level = 1 if state.level == 0 else 2 if lasted < 2 * escalation else 3
    if state.level and lasted < escalation:
        return []
    state.level, state.last_sent_at = level, now
    record = store.record_alert(
        session,
        kind=c.kind,
        key=f"{c.org.code}:{c.allocation.id}:{c.kind}:{now.isoformat()}",
        organization_id=c.org.id,
        allocation_id=c.allocation.id,
        now=now,
        level=level,
    )
    alert = blocks.ConditionAlert(
        kind=c.kind,
        alert_id=record.id,
        state_id=state.id,
        level=level,
        days=lasted.days,
        org_name=c.org.name,
        allocation=compute.allocation_label(c.allocation),
        params=c.params,
    )
    leads = compute.lead_ids(session, c.org)
    listed = ", ".join(f"<@{lead}>" for lead in leads)
    ops_lang = settings.default_language
    notices = []
    if settings.alerts_dry_run:
        if settings.operator_channel:
            note = t("cond.dry_run", ops_lang, leads=listed or t("alert.no_leads", ops_lang))
            notices.append(
                Notice(
                    channel=settings.operator_channel,
                    lang=ops_lang,
                    kind="condition_dry_run",
                    render=lambda lang: blocks.build_operator_note(alert, note, lang),
                )
            )
        return notices
    if level == 3:
        if settings.operator_channel:
            notices.append(
                Notice(
                    channel=settings.operator_channel,
                    lang=ops_lang,
                    kind="condition_escalation",
                    render=lambda lang: blocks.build_escalation(alert, lang),
                )
            )
        return notices
    notices += [
        Notice(
            channel=lead,
            kind="condition",
            render=lambda lang: blocks.build_condition_alert(alert, lang, buttons=True),
            quiet_hours=True,
        )
        for lead in leads
    ]
    if (level == 2 or not leads) and settings.operator_channel:
        note = t(
            "cond.operator_note",
            ops_lang,
            leads=listed or t("alert.no_leads", ops_lang),
            level=level,
        )
        notices.append(
            Notice(
                channel=settings.operator_channel,
                lang=ops_lang,
                kind="condition_copy",
                render=lambda lang: blocks.build_operator_note(alert, note, lang),
            )
        )
    return notices


def explain_form(*, session: Session, actor: Actor, state_id: int) -> None:
    """Whether `actor` may explain the condition: operators, and members of its organization.
    Raises UserError otherwise (or when the condition has ended), before any modal opens."""
    _state_for(session, actor, state_id)


def _state_for(session: Session, actor: Actor, state_id: int):
    state = store.get_state(session, state_id)
    if state is None:  # the condition ended and its state was forgotten
        raise user_error("cond.ended")
    if not (actor.is_operator or actor.belongs_to(state.organization_id)):
        raise user_error("error.not_your_alert")
    return state


def snooze(
    *,
    session: Session,
    actor: Actor,
    state_id: int,
    channel: str,
    ts: str,
    blocks_shown: list[dict],
    settings: Settings,
    now: datetime,
) -> list[Notice]:
    """Quiet a condition for three days; the clicked alert says who snoozed it until when."""
    state = _state_for(session, actor, state_id)
    state.snoozed_until = now + SNOOZE
    session.flush()
    until = state.snoozed_until.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M JST")
    user = actor.user_id
    return [
        Notice(
            channel=channel,
            ts=ts,
            lang=actor.lang,
            kind="condition_snoozed",
            render=lambda lang: blocks.build_snoozed(blocks_shown, user, until, lang),
        )
    ]


def explain(
    *, session: Session, actor: Actor, state_id: int, text: str, settings: Settings
) -> list[Notice]:
    """Send an explanation about a condition to the operator channel (and thank the sender)."""
    state = _state_for(session, actor, state_id)
    org = member_store.get_org(session, state.organization_id)
    allocation = compute_store.get_allocation(session, state.allocation_id)
    label = compute.allocation_label(allocation)
    user, kind = actor.user_id, state.kind
    notices = [
        Notice(
            channel=user,
            kind="explain_thanks",
            render=lambda lang: blocks.Message.of(t("cond.explain.thanks", lang), []),
        )
    ]
    if settings.operator_channel:
        notices.insert(
            0,
            Notice(
                channel=settings.operator_channel,
                lang=settings.default_language,
                kind="explanation",
                render=lambda lang: blocks.build_explanation(
                    user, org.name, label, kind, text, lang
                ),
            ),
        )
    return notices


def history(
    *, session: Session, actor: Actor, org_code: str | None, settings: Settings
) -> blocks.Message:
    """`/compute alerts [ORG]`: the latest alerts of the actor's organization (operators: any).
    Raises UserError when the actor may not see it."""
    sections = [
        (
            org.name,
            [
                (
                    r.sent_at.astimezone(settings.tz).strftime("%Y-%m-%d"),
                    r.kind,
                    r.level,
                    r.acknowledged_by,
                )
                for r in store.history(session, org.id)
            ],
        )
        for org in visible_orgs(session, actor, org_code)
    ]
    return blocks.build_history(sections, actor.lang)
