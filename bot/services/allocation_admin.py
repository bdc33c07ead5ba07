"""Operators' allocation management in Slack (`/compute admin`): list allocations, add one, or
edit an existing one's grant, end date and monthly plan. The same rules as the YAML setup
import (`bot.services.admin`): plan months inside the period, plans not above the grant.

An allocation is identified by organization, provider, GPU type and start date; those are not
editable here (a different one is a new allocation). GPU-hours are floats; months `YYYY-MM`.
"""

from __future__ import annotations

from collections import Counter

from sqlmodel import Session

from bot.blocks import allocation_admin as blocks
from bot.blocks.common import Message
from bot.blocks.compute import OrgChoice
from bot.clients.slack import Notice
from bot.parsing.numbers import format_gpu_hours
from bot.services.admin import AllocationSpec, apply_allocation
from bot.services.compute import allocation_label
from bot.services.members import Actor, org_by_code, user_error
from storage import compute as store
from storage import members as member_store
from storage.compute import ComputeAllocation
from storage.db import advisory_lock


def allocation_view(session: Session, allocation: ComputeAllocation) -> blocks.AllocationView:
    org = member_store.get_org(session, allocation.organization_id)
    return blocks.AllocationView(
        id=allocation.id,
        org_name=org.name,
        org_code=org.code,
        provider=allocation.provider,
        gpu_type=allocation.gpu_type,
        granted=allocation.granted_gpu_hours,
        start=allocation.period_start,
        end=allocation.period_end,
        plans=store.plans_for(session, allocation.id),
    )


def admin_list(*, session: Session, actor: Actor, org_code: str | None) -> Message:
    """The `/compute admin [ORG]` reply (operators): every allocation, or one organization's.
    Raises UserError for a non-operator or an unknown organization."""
    actor.require_operator()
    orgs = (
        [org_by_code(session, org_code, or_name=True)]
        if org_code
        else member_store.list_orgs(session)
    )
    views = [
        allocation_view(session, allocation)
        for org in orgs
        for allocation in store.allocations_for_org(session, org.id)
    ]
    return blocks.build_admin_list(views, actor.lang)


def admin_form(
    *, session: Session, actor: Actor, allocation_id: int | None
) -> tuple[list[OrgChoice], blocks.AllocationView | None]:
    """What the modal offers: the organizations (for a new allocation) or the allocation to
    edit. Raises UserError for a non-operator or an allocation that no longer exists."""
    actor.require_operator()
    if allocation_id is not None:
        allocation = store.get_allocation(session, allocation_id)
        if allocation is None:
            raise user_error("alloc.error.gone")
        return [], allocation_view(session, allocation)
    orgs = [
        OrgChoice(id=org.id, code=org.code, name=org.name)
        for org in member_store.participant_orgs(session)
    ]
    return orgs, None


def save_allocation(
    *, session: Session, actor: Actor, data: blocks.AllocationInput
) -> list[Notice]:
    """Create or edit the allocation; for an edit, the plan text is the whole plan (months not
    listed lose their plan). Returns the operator's confirmation DM.

    Raises UserError (with `field` = the modal block id) for a non-operator, an unknown
    organization, an allocation that exists already (new) or no longer (edit), plan months
    outside the period, or plans adding up to more than the grant.
    """
    actor.require_operator()
    if data.allocation_id is None:
        org = member_store.get_org(session, data.org_id)
        if org is None:
            raise user_error("alloc.error.pick_org").at(blocks.Ids.ORG)
        advisory_lock(session, f"allocation:{org.id}")
        existing = store.find_allocation(
            session,
            org_id=org.id,
            provider=data.provider,
            gpu_type=data.gpu_type,
            period_start=data.start,
        )
        if existing is not None:
            error = user_error(
                "alloc.error.exists",
                org=org.name,
                label=allocation_label(existing),
                start=existing.period_start.isoformat(),
            )
            raise error.at(blocks.Ids.PROVIDER)
        provider, gpu_type, start = data.provider, data.gpu_type, data.start
    else:
        existing = store.get_allocation(session, data.allocation_id)
        if existing is None:
            raise user_error("alloc.error.gone").at(blocks.Ids.GRANTED)
        org = member_store.get_org(session, existing.organization_id)
        advisory_lock(session, f"allocation:{org.id}")
        provider, gpu_type, start = existing.provider, existing.gpu_type, existing.period_start
        if data.end < start:
            raise user_error("alloc.error.end_before_start").at(blocks.Ids.END)
        reported = sorted(store.current_reports(session, existing.id))
        if reported and data.end.strftime("%Y-%m") < reported[-1]:
            # a shorter period would drop reported GPU-hours from status and the export
            raise user_error("alloc.error.end_before_usage", month=reported[-1]).at(blocks.Ids.END)
    check_plans(data.plans, granted=data.granted, start=start, end=data.end)
    spec = AllocationSpec(
        provider=provider,
        gpu_type=gpu_type,
        granted_gpu_hours=data.granted,
        period_start=start,
        period_end=data.end,
        plans=data.plans,
    )
    allocation = apply_allocation(session, org_id=org.id, spec=spec, counts=Counter())
    store.delete_plans_except(session, allocation_id=allocation.id, months=list(data.plans))
    view = allocation_view(session, allocation)
    return [
        Notice(
            channel=actor.user_id,
            render=lambda lang: blocks.build_saved(view, lang),
            kind="confirmation",
        )
    ]


def check_plans(plans: dict[str, float], *, granted: float, start, end) -> None:
    """Raise UserError (field `plans`) for plan months outside [start, end] or plans adding
    up to more than `granted` GPU-hours. Shared with change requests."""
    first, last = start.strftime("%Y-%m"), end.strftime("%Y-%m")
    outside = sorted(m for m in plans if not first <= m <= last)
    if outside:
        raise user_error(
            "alloc.error.plan_outside",
            start=start.isoformat(),
            end=end.isoformat(),
            months=", ".join(outside),
        ).at(blocks.Ids.PLANS)
    planned = sum(plans.values())
    if planned > granted + 1e-9:
        raise user_error(
            "alloc.error.plan_over_grant",
            planned=format_gpu_hours(planned, "en"),
            granted=format_gpu_hours(granted, "en"),
        ).at(blocks.Ids.PLANS)
