"""Over-plan alerts: when a month's GPU-hours for an allocation exceed its plan by more than
the threshold, the organization's leads get a DM and the operator channel a copy.

At most one alert per organization, allocation, month and 10 % band of overrun (10–20 %,
20–30 %, …), and only as the overrun grows: a correction down to a lower band is not alerted
again. The alert's key is recorded in the database before it is sent.
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlmodel import Session

from bot.blocks import alerts as blocks
from bot.clients.slack import Notice
from bot.i18n import t
from bot.services.members import Actor, user_error
from bot.settings import Settings
from storage import alerts as store
from storage import compute as compute_store
from storage import members as member_store
from storage.compute import ComputeAllocation
from storage.members import Organization

OVERUSE = "overuse"
OVER_PLAN_CONDITION = "over_plan"  # its graded follow-up (bot.services.alert_conditions)
BAND_PERCENT = 10


def overrun_percent(used: float, planned: float) -> float | None:
    """How far `used` exceeds `planned`, in percent of plan; None when there is no plan (> 0)."""
    if planned <= 0:
        return None
    return (used - planned) / planned * 100


def planned_for(session: Session, allocation_id: int, month: str) -> float | None:
    """The month's planned GPU-hours; 0 for a month left out of an allocation that has a
    monthly plan (using hours there is unplanned use); None when the allocation has no plan
    at all (nothing to judge against)."""
    plans = compute_store.plans_for(session, allocation_id)
    if not plans:
        return None
    return plans.get(month, 0.0)


def check_overuse(
    *,
    session: Session,
    org: Organization,
    allocation: ComputeAllocation,
    month: str,
    settings: Settings,
    now: datetime,
) -> list[Notice]:
    """Notices for an over-plan alert on (org, allocation, month), or [] when none is due.

    Due when the current report exceeds the month's plan by more than
    `settings.overuse_threshold_percent`, or uses any GPU-hours in a month planned at 0, and
    no alert for the same 10 % band (or for unplanned use) was recorded before.
    """
    report = compute_store.current_report(
        session, org_id=org.id, allocation_id=allocation.id, month=month
    )
    planned = planned_for(session, allocation.id, month)
    if report is None or planned is None:
        return []
    percent = overrun_percent(report.gpu_hours, planned)
    prefix = f"{org.code}:{allocation.id}:{month}:"
    if percent is None:  # nothing planned: any use is unplanned, alerted once
        if report.gpu_hours <= 0:
            return []
        band = "unplanned"
    elif percent <= settings.overuse_threshold_percent:
        return []
    else:
        band = str(math.floor(percent / BAND_PERCENT))
        alerted = [
            int(key.removeprefix(prefix))
            for key in store.keys_with_prefix(session, OVERUSE, prefix)
            if key.removeprefix(prefix).isdigit()
        ]
        if alerted and int(band) <= max(alerted):  # a correction down, or the same band
            return []
    key = prefix + band
    record = store.record_alert(session, kind=OVERUSE, key=key, organization_id=org.id, now=now)
    if record is None:
        return []
    state = mark_alerted(session, org.id, allocation.id, OVER_PLAN_CONDITION, now)
    alert = blocks.OveruseAlert(
        alert_id=record.id,
        org_name=org.name,
        allocation=f"{allocation.provider} ({allocation.gpu_type})",
        month=month,
        gpu_hours=report.gpu_hours,
        plan=planned,
        percent_over=percent,
        threshold=settings.overuse_threshold_percent,
        state_id=state.id,
    )
    leads = [m.slack_user_id for m in member_store.org_members(session, org.id, "org_lead")]
    notices = [
        Notice(
            channel=lead,
            render=lambda lang: blocks.build_overuse_alert(alert, lang, with_button=True),
            kind="alert",
            quiet_hours=True,
        )
        for lead in leads
    ]
    if settings.operator_channel:
        lang = settings.default_language
        listed = ", ".join(f"<@{lead}>" for lead in leads) or t("alert.no_leads", lang)
        notices.append(
            Notice(
                channel=settings.operator_channel,
                render=lambda lang: blocks.build_operator_copy(alert, listed, lang),
                lang=lang,
                kind="alert_copy",
            )
        )
    return notices


def mark_alerted(session: Session, org_id: int, allocation_id: int, kind: str, now: datetime):
    """Record that a condition's first alert went out now (an over-plan alert on a report), so
    the daily condition job escalates from it instead of sending level 1 again. Returns the
    condition's state (its id is what the Snooze / Explain buttons carry)."""
    state = store.alert_state(
        session, organization_id=org_id, allocation_id=allocation_id, kind=kind, now=now
    )
    state.level = max(state.level, 1)
    state.last_sent_at = now
    session.flush()
    return state


def acknowledge(
    *,
    session: Session,
    actor: Actor,
    alert_id: int,
    channel: str,
    ts: str,
    blocks_shown: list[dict],
    now: datetime,
) -> list[Notice]:
    """Record that `actor` acknowledged an alert (the first to do so is kept); the notice
    updates the clicked message at (`channel`, `ts`) to say who acknowledged it, its button
    removed, so a second lead sees it was already done.

    Raises UserError unless the actor belongs to the alert's organization or is an operator.
    """
    record = store.get_alert(session, alert_id)
    if record is None or not (
        actor.is_operator
        or (record.organization_id is not None and actor.belongs_to(record.organization_id))
    ):
        raise user_error("error.not_your_alert")
    if not record.acknowledged_by:
        record.acknowledged_by = actor.user_id
        record.acknowledged_at = now
        session.flush()
    by = record.acknowledged_by
    return [
        Notice(
            channel=channel,
            ts=ts,
            render=lambda lang: blocks.build_acknowledged(blocks_shown, by, lang),
            lang=actor.lang,
            kind="alert_ack",
        )
    ]
