"""Data-introduction requests: a developer organization's member asks for data
(`/data request`, or **Request introduction** on a search result), the operators review it
(approve with the holders to approach, decline with a reason, or ask for details), and the
approached holders' contacts are asked (double opt-in: `bot.services.introductions`).

Who sees a request: the requesting organization's members and the operators; an approached
holder's contact sees the request they are asked about, once it is approved. Nobody else,
whatever button value or command they forge (each operation checks the actor here).

Dates are programme (JST) calendar dates; times stored are aware UTC.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session

from bot.blocks import data_requests as blocks
from bot.blocks import data_review as review_blocks
from bot.blocks.common import Message
from bot.blocks.data_directory import holder_label
from bot.clients.slack import Notice
from bot.errors import UserError
from bot.services.data_matching import LLM_CANDIDATES, TOP, llm_rerank, structured_matches
from bot.services.data_views import request_view
from bot.services.introductions import ask_notices
from bot.services.members import Actor, user_error, user_error_in, visible_orgs
from bot.settings import Settings
from storage import data_holders as holder_store
from storage import data_requests as store
from storage.data_holders import DataHolder
from storage.data_requests import DataRequest, Introduction, RequestStatus
from storage.db import advisory_lock
from storage.members import OrgKind


def requesting_orgs(actor: Actor):
    """The developer organizations the actor belongs to (they may request for these)."""
    return [org for org in actor.orgs if org.kind == OrgKind.DEVELOPER.value]


def request_form(
    *,
    session: Session,
    actor: Actor,
    holder_id: int | None = None,
    request_id: int | None = None,
) -> blocks.RequestForm:
    """What the request modal needs: the actor's developer organizations, the preferred
    holder (from a search result) and, to add details an operator asked for, the request to
    prefill. Raises UserError when the actor belongs to no developer organization, or the
    request is not theirs to edit or not waiting for details."""
    orgs = requesting_orgs(actor)
    if not orgs:
        raise user_error("datareq.error.no_org")
    existing = None
    if request_id is not None:
        existing = _own_request(session, actor, request_id)
        if existing.status != RequestStatus.NEEDS_DETAILS.value:
            raise user_error("datareq.error.not_waiting", id=request_id)
        holder_id = existing.preferred_holder_id
    holder = holder_store.get_holder(session, holder_id) if holder_id else None
    if holder is not None and holder.status != holder_store.HolderStatus.ACTIVE.value:
        holder = None
    return blocks.RequestForm(
        orgs=[(org.id, org.name) for org in orgs],
        preferred=(holder.id, holder_label(holder)) if holder else None,
        existing=existing,
    )


def submit(
    *,
    session: Session,
    actor: Actor,
    data: blocks.RequestInput,
    settings: Settings,
    now: datetime,
    source_ref: str | None = None,
    llm=None,
) -> list[Notice]:
    """Store a new request, or the details added to one an operator asked about. Returns the
    requester's receipt and the operator channel's message with the suggested matches and a
    Review button ([] for a repeated submission of the same view).

    Raises UserError (field = modal block id) for an organization the actor may not request
    for, a paused or unknown preferred holder, a needed-by date in the past, or a request no
    longer waiting for details.
    """
    if data.org_id not in {org.id for org in requesting_orgs(actor)}:
        raise user_error("datareq.error.not_member").at(blocks.Ids.ORG)
    if data.preferred_holder_id is not None:
        holder = holder_store.get_holder(session, data.preferred_holder_id)
        if holder is None or holder.status != holder_store.HolderStatus.ACTIVE.value:
            raise user_error("datareq.error.holder_unavailable").at(blocks.Ids.PREFERRED)
    today = now.astimezone(settings.tz).date()
    if data.needed_by < today:
        raise user_error("datareq.error.past", today=today.isoformat()).at(blocks.Ids.NEEDED_BY)
    fields = dict(
        organization_id=data.org_id,
        data_needed=data.data_needed,
        purpose=data.purpose,
        domains_json=json.dumps(data.domains),
        modalities_json=json.dumps(data.modalities),
        languages_json=json.dumps(data.languages),
        size_text=data.size_text,
        size_value=data.size[0] if data.size else None,
        size_unit=data.size[1] if data.size else None,
        preferred_holder_id=data.preferred_holder_id,
        needed_by=data.needed_by,
        last_activity_at=now,
    )
    if data.request_id is not None:
        request = _own_request(session, actor, data.request_id, field=blocks.Ids.DATA)
        advisory_lock(session, f"datarequest:{request.id}")
        moved = store.move_request(
            session,
            request.id,
            expect=RequestStatus.NEEDS_DETAILS,
            to=RequestStatus.SUBMITTED,
            revision=request.revision + 1,
            **fields,
        )
        if not moved:
            raise user_error("datareq.error.not_waiting", id=request.id).at(blocks.Ids.DATA)
    else:
        request = store.add_request(
            session,
            DataRequest(
                requested_by=actor.user_id, created_at=now, source_ref=source_ref, **fields
            ),
        )
        if request is None:
            return []
    view = request_view(session, request, settings)
    structured, matches = _matches(session, request, llm)
    notices = [
        Notice(
            channel=actor.user_id,
            render=lambda lang: blocks.build_receipt(view, lang),
            kind="data_request_receipt",
        )
    ]
    if settings.operator_channel:
        notices.append(
            Notice(
                channel=settings.operator_channel,
                render=lambda lang: blocks.build_operator_request(view, structured, lang),
                # the LLM's re-ranking, after the ack: the message is updated in place
                refine=(lambda lang: blocks.build_operator_request(view, matches(), lang))
                if llm is not None
                else None,
                lang=settings.default_language,
                kind="data_request",
            )
        )
    return notices


def review_form(*, session: Session, actor: Actor, request_id: int, settings: Settings):
    """(the request's view, suggested holders as (id, option label)) for the review modal
    (operators). Raises UserError for a non-operator or a request already approved or
    declined (one waiting for details may still be reviewed: the requester may never answer)."""
    actor.require_operator()
    request = store.get_request(session, request_id)
    if request is None:
        raise user_error("datareq.error.gone")
    if request.status not in store.REVIEWABLE:
        raise _not_submitted(request)
    suggested = structured_matches(request, holder_store.list_holders(session), limit=TOP)
    ids = [m.holder_id for m in suggested]
    if request.preferred_holder_id and request.preferred_holder_id not in ids:
        holder = holder_store.get_holder(session, request.preferred_holder_id)
        if holder is not None and holder.status == holder_store.HolderStatus.ACTIVE.value:
            ids.insert(0, holder.id)
    labels = {h.id: holder_label(h) for h in holder_store.list_holders(session)}
    return request_view(session, request, settings), [(i, labels[i]) for i in ids]


def review(
    *,
    session: Session,
    actor: Actor,
    data: review_blocks.ReviewInput,
    settings: Settings,
    now: datetime,
) -> list[Notice]:
    """Approve (creating one introduction per holder and asking each contact), decline with a
    reason, or ask the requester for details. Returns the requester's DM, the contacts' DMs
    (or, for contacts outside the workspace, the email text for the operator), and the
    operator channel's message updated in place.

    Raises UserError (field = modal block id) for a non-operator, a request already reviewed
    (naming who did what), or holders that are unknown or paused.
    """
    actor.require_operator()
    request = store.get_request(session, data.meta.request_id)
    if request is None:
        raise user_error("datareq.error.gone").at(blocks.Ids.DECISION)
    advisory_lock(session, f"datarequest:{request.id}")
    if (data.meta.status or RequestStatus.SUBMITTED.value) not in store.REVIEWABLE:
        raise _not_submitted(request).at(blocks.Ids.DECISION)
    holders = []
    if data.decision == RequestStatus.APPROVED:
        for holder_id in data.holder_ids:
            holder = holder_store.get_holder(session, holder_id)
            if holder is None or holder.status != holder_store.HolderStatus.ACTIVE.value:
                raise user_error("datareq.error.holder_unavailable").at(blocks.Ids.HOLDERS)
            holders.append(holder)
    moved = store.move_request(
        session,
        request.id,
        expect=RequestStatus(data.meta.status or RequestStatus.SUBMITTED.value),
        to=data.decision,
        decided_by=actor.user_id,
        decided_at=now,
        reason=data.text or None,
        last_activity_at=now,
    )
    if not moved:
        raise _not_submitted(request).at(blocks.Ids.DECISION)
    intros = [
        store.add_introduction(
            session,
            Introduction(
                request_id=request.id,
                holder_id=holder.id,
                contact_user=holder.contact_user,
                contact_email=holder.contact_email,
                approved_by=actor.user_id,
                asked_at=now,
            ),
        )
        for holder in holders
    ]
    view = request_view(session, request, settings)
    notices = [
        Notice(
            channel=request.requested_by,
            render=lambda lang: blocks.build_review_dm(view, lang),
            kind=f"data_request_{data.decision.value}",
        )
    ]
    for intro, holder in zip(intros, holders, strict=True):
        notices += ask_notices(intro, holder, view, settings)
    if data.meta.channel and data.meta.ts:
        notices.append(
            Notice(
                channel=data.meta.channel,
                ts=data.meta.ts,
                render=lambda lang: blocks.build_operator_reviewed(view, lang),
                lang=settings.default_language,
                kind="data_request_reviewed",
            )
        )
    return notices


def history(*, session: Session, actor: Actor, org_code: str | None, settings: Settings) -> Message:
    """`/data requests [ORG]`: the actor's organizations' requests with each introduction's
    answer and stage (operators: everyone's, or one organization's). Holders' contacts are
    not shown. Raises UserError as `visible_orgs`."""
    if actor.is_operator and not org_code:
        org_ids = None
    else:
        org_ids = [org.id for org in visible_orgs(session, actor, org_code)]
    views = [request_view(session, r, settings) for r in store.requests_for(session, org_ids)]
    return blocks.build_request_list(views, actor.lang)


# --- pieces ---------------------------------------------------------------------------------


def _matches(session: Session, request: DataRequest, llm):
    """The operator message's structured matches (now, inside the transaction), and a function
    giving them with the LLM's re-ranking when first asked for: after the ack, to update the
    message in place (`Notice.refine`)."""
    holders = holder_store.list_holders(session)
    candidates = structured_matches(request, holders, limit=LLM_CANDIDATES)
    # detached copies: the LLM reads them at delivery, after the session closed
    by_id = {h.id: DataHolder.model_validate(h.model_dump()) for h in holders}
    snapshot = DataRequest.model_validate(request.model_dump())
    cache: list = []

    def matches() -> blocks.Matches:
        if not cache:
            reranked = llm_rerank(llm, snapshot, by_id, candidates)
            cache.append(
                blocks.Matches(
                    structured=candidates[:TOP], reranked=reranked, llm_configured=llm is not None
                )
            )
        return cache[0]

    return blocks.Matches(structured=candidates[:TOP], reranked=None, llm_configured=False), matches


def _own_request(session: Session, actor: Actor, request_id: int, field: str | None = None):
    """The request, when the actor belongs to its organization; UserError otherwise (the
    same answer whether it exists or not, so ids reveal nothing)."""
    request = store.get_request(session, request_id)
    if request is None or not actor.belongs_to(request.organization_id):
        error = user_error("datareq.error.gone")
        raise error.at(field) if field else error
    return request


def _not_submitted(request: DataRequest) -> UserError:
    return user_error_in(
        "datareq.error.already_reviewed",
        lambda lang: dict(
            id=request.id,
            status=blocks.status_label(request.status, lang),
            user=request.decided_by or "?",
        ),
    )
