"""Allocation change requests: an organization lead asks for more GPU-hours, a later end date
or a re-profiled monthly plan with a justification; an operator approves (the change is
applied in the same transaction) or denies, with a reason; the requester is told by DM and the
history stays (`/compute requests`).

GPU-hours are floats; months `YYYY-MM`; dates are the programme's (JST) calendar dates.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session

from bot.blocks import change_requests as blocks
from bot.blocks.common import Message
from bot.blocks.compute import AllocationChoice
from bot.clients.slack import Notice
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.numbers import format_gpu_hours
from bot.services.allocation_admin import check_plans
from bot.services.compute import allocation_label
from bot.services.members import Actor, own_orgs, user_error, visible_orgs
from bot.settings import Settings
from storage import change_requests as store
from storage import compute as compute_store
from storage import members as member_store
from storage.change_requests import ChangeKind, ChangeRequest, ChangeStatus
from storage.compute import ComputeAllocation
from storage.db import advisory_lock
from storage.members import Role


def request_form(*, session: Session, actor: Actor) -> list[AllocationChoice]:
    """The allocations the actor may request changes to: those of organizations they lead.
    Raises UserError when they lead none (or it has no allocation)."""
    led = [org for org in own_orgs(actor) if actor.roles[org.id] == Role.ORG_LEAD.value]
    if not led:
        raise user_error("change.error.not_lead")
    choices = [
        AllocationChoice(id=a.id, org_id=org.id, label=f"{org.name} · {allocation_label(a)}")
        for org in led
        for a in compute_store.allocations_for_org(session, org.id)
    ]
    if not choices:
        raise user_error("error.no_allocation", org=", ".join(o.name for o in led))
    return choices


def file_request(
    *,
    session: Session,
    actor: Actor,
    data: blocks.ChangeInput,
    settings: Settings,
    now: datetime,
    source_ref: str | None = None,
) -> list[Notice]:
    """Store a change request; returns the requester's receipt DM and the operator channel's
    message with a Review button ([] for a repeated submission of the same view).

    Raises UserError (field = modal block id) for an allocation the actor does not lead, an
    end date not after the current one, or a re-profile that leaves the plan above the grant
    or outside the period.
    """
    allocation = compute_store.get_allocation(session, data.allocation_id)
    if allocation is None or actor.roles.get(allocation.organization_id) != Role.ORG_LEAD.value:
        raise user_error("change.error.not_lead").at(blocks.Ids.ALLOCATION)
    _check(session, allocation, data.kind, data.new_end, data.plans)
    request = store.add_request(
        session,
        ChangeRequest(
            organization_id=allocation.organization_id,
            allocation_id=allocation.id,
            kind=data.kind.value,
            extra_gpu_hours=data.extra_gpu_hours,
            new_period_end=data.new_end,
            plans_json=json.dumps(data.plans) if data.plans else None,
            before_json=json.dumps(_snapshot(session, allocation, data.plans)),
            justification=data.justification,
            requested_by=actor.user_id,
            requested_at=now,
            source_ref=source_ref,
        ),
    )
    if request is None:
        return []
    view = request_view(session, request, allocation, settings)
    notices = [
        Notice(
            channel=actor.user_id,
            render=lambda lang: blocks.build_receipt(view, lang),
            kind="change_receipt",
        )
    ]
    if settings.operator_channel:
        notices.append(
            Notice(
                channel=settings.operator_channel,
                render=lambda lang: blocks.build_operator_request(view, lang),
                lang=settings.default_language,
                kind="change_request",
            )
        )
    return notices


def review_form(*, session: Session, actor: Actor, request_id: int, settings: Settings):
    """The request to show in the review modal (operators). Raises UserError for a
    non-operator or a request already decided (naming who decided)."""
    actor.require_operator()
    request = store.get_request(session, request_id)
    if request is None:
        raise user_error("change.error.gone")
    if request.status != ChangeStatus.OPEN.value:
        raise _already(request, actor.lang)
    allocation = compute_store.get_allocation(session, request.allocation_id)
    return request_view(session, request, allocation, settings)


def decide(
    *,
    session: Session,
    actor: Actor,
    meta: blocks.ReviewMeta,
    approve: bool,
    reason: str,
    settings: Settings,
    now: datetime,
) -> list[Notice]:
    """Approve (applying the change) or deny a request. Returns the requester's DM and the
    operator channel message updated in place.

    Raises UserError (field `decision`) for a non-operator, a request already decided, or an
    approval that can no longer be applied (e.g. the plan would now exceed the grant).
    """
    actor.require_operator()
    request = store.get_request(session, meta.request_id)
    if request is None:
        raise user_error("change.error.gone").at(blocks.Ids.DECISION)
    allocation = compute_store.get_allocation(session, request.allocation_id)
    advisory_lock(session, f"allocation:{allocation.organization_id}")
    status = ChangeStatus.APPROVED if approve else ChangeStatus.DENIED
    if request.status != ChangeStatus.OPEN.value:
        raise _already(request, actor.lang).at(blocks.Ids.DECISION)
    if approve and _changed_since(session, allocation, request):
        raise user_error("change.error.stale", now=_summary_text(allocation, actor.lang)).at(
            blocks.Ids.DECISION
        )
    if approve:
        try:
            _check(
                session, allocation, ChangeKind(request.kind), request.new_period_end, request.plans
            )
        except UserError as error:
            raise error.at(blocks.Ids.DECISION) from None
    if not store.decide(
        session, request.id, status=status, user_id=actor.user_id, reason=reason, now=now
    ):
        raise _already(request, actor.lang).at(blocks.Ids.DECISION)
    now_summary = _apply(session, allocation, request) if approve else None
    view = request_view(session, request, allocation, settings)
    notices = [
        Notice(
            channel=request.requested_by,
            render=lambda lang: blocks.build_decision_dm(
                view, now_summary and now_summary(lang), lang
            ),
            kind="change_decision",
        )
    ]
    if meta.channel and meta.ts:
        notices.append(
            Notice(
                channel=meta.channel,
                ts=meta.ts,
                render=lambda lang: blocks.build_operator_decided(view, lang),
                lang=settings.default_language,  # the shared channel's language, not the operator's
                kind="change_request_decided",
            )
        )
    return notices


def history(*, session: Session, actor: Actor, org_code: str | None, settings: Settings) -> Message:
    """The `/compute requests [ORG]` reply: members see their organizations' requests,
    operators everyone's (or one organization's). Raises UserError as `visible_orgs`."""
    if actor.is_operator and not org_code:
        org_ids = None
    else:
        org_ids = [org.id for org in visible_orgs(session, actor, org_code)]
    views = [
        request_view(
            session, request, compute_store.get_allocation(session, request.allocation_id), settings
        )
        for request in store.requests_for(session, org_ids)
    ]
    return blocks.build_request_list(views, actor.lang)


# --- pieces ---------------------------------------------------------------------------------


def request_view(
    session: Session, request: ChangeRequest, allocation: ComputeAllocation, settings: Settings
) -> blocks.RequestView:
    org = member_store.get_org(session, request.organization_id)
    before = request.before  # what it was asked against, so the history reads the same
    what = {
        "extra": request.extra_gpu_hours or 0.0,
        "granted": before["granted"],
        "end": before["end"],
        "new_end": request.new_period_end.isoformat() if request.new_period_end else "",
        "changes": {
            month: (before["plans"].get(month), hours) for month, hours in request.plans.items()
        },
    }
    return blocks.RequestView(
        id=request.id,
        org_name=org.name,
        label=allocation_label(allocation),
        kind=request.kind,
        what=what,
        justification=request.justification,
        requested_by=request.requested_by,
        requested_on=request.requested_at.astimezone(settings.tz).date().isoformat(),
        status=request.status,
        decided_by=request.decided_by,
        reason=request.decision_reason,
    )


def _snapshot(session: Session, allocation: ComputeAllocation, months) -> dict:
    """The allocation's grant, end date and the plans of `months`, as they are now."""
    plans = compute_store.plans_for(session, allocation.id)
    return {
        "granted": allocation.granted_gpu_hours,
        "end": allocation.period_end.isoformat(),
        "plans": {month: plans.get(month) for month in months},
    }


def _changed_since(session: Session, allocation: ComputeAllocation, request) -> bool:
    """Whether what the request was made against changed since (its grant, end date, or the
    plans of the months it re-profiles): approving it then would apply it to other figures."""
    now = _snapshot(session, allocation, request.plans)
    before = request.before
    return (
        abs(now["granted"] - before["granted"]) > 1e-9
        or now["end"] != before["end"]
        or now["plans"] != before["plans"]
    )


def _summary_text(allocation: ComputeAllocation, lang: str) -> str:
    return t(
        "change.summary",
        lang,
        granted=format_gpu_hours(allocation.granted_gpu_hours, lang),
        start=allocation.period_start.isoformat(),
        end=allocation.period_end.isoformat(),
    )


def _check(session, allocation: ComputeAllocation, kind: ChangeKind, new_end, plans) -> None:
    if kind == ChangeKind.EXTENSION and new_end <= allocation.period_end:
        raise user_error("change.error.end_not_later", end=allocation.period_end.isoformat()).at(
            blocks.Ids.NEW_END
        )
    if kind == ChangeKind.REPROFILE:
        merged = {**compute_store.plans_for(session, allocation.id), **plans}
        try:
            check_plans(
                merged,
                granted=allocation.granted_gpu_hours,
                start=allocation.period_start,
                end=allocation.period_end,
            )
        except UserError as error:
            raise error.at(blocks.Ids.PLANS) from None


def _apply(session: Session, allocation: ComputeAllocation, request: ChangeRequest):
    """Make the approved change; returns a renderer of the allocation as it now stands."""
    if request.kind == ChangeKind.MORE_HOURS:
        allocation.granted_gpu_hours += request.extra_gpu_hours
    elif request.kind == ChangeKind.EXTENSION:
        allocation.period_end = request.new_period_end
    else:
        for month, planned in request.plans.items():
            compute_store.upsert_plan(
                session, allocation_id=allocation.id, month=month, planned=planned
            )
    session.flush()
    granted, start, end = (
        allocation.granted_gpu_hours,
        allocation.period_start.isoformat(),
        allocation.period_end.isoformat(),
    )
    return lambda lang: t(
        "change.summary", lang, granted=format_gpu_hours(granted, lang), start=start, end=end
    )


def _already(request: ChangeRequest, lang: str) -> UserError:
    params = {"id": request.id, "user": request.decided_by}
    return UserError(
        t(
            "change.already_decided",
            "en",
            status=t(f"change.status.{request.status}", "en"),
            **params,
        ),
        t(
            "change.already_decided",
            "ja",
            status=t(f"change.status.{request.status}", "ja"),
            **params,
        ),
    )
