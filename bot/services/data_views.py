"""The data-introduction request as messages show it: one view shared by the request,
review and introduction services (holder names, answers and stages; never contacts)."""

from __future__ import annotations

from sqlmodel import Session

from bot.blocks import data_requests as blocks
from bot.settings import Settings
from storage import data_holders as holder_store
from storage import data_requests as store
from storage import members as member_store
from storage.data_requests import DataRequest


def org_name(session: Session, request: DataRequest) -> str:
    return member_store.get_org(session, request.organization_id).name


def request_view(session: Session, request: DataRequest, settings: Settings) -> blocks.RequestView:
    """The request as messages show it, with its introductions (holder names, answers,
    stages; no contacts)."""
    preferred = (
        holder_store.get_holder(session, request.preferred_holder_id)
        if request.preferred_holder_id
        else None
    )
    intros = [
        blocks.IntroView(
            id=intro.id,
            holder_name=holder_store.get_holder(session, intro.holder_id).name,
            answer=intro.answer,
            reason=intro.answer_reason,
            stage=intro.stage,
        )
        for intro in store.introductions_of(session, request.id)
    ]
    return blocks.RequestView(
        id=request.id,
        org_name=org_name(session, request),
        requested_by=request.requested_by,
        data_needed=request.data_needed,
        purpose=request.purpose,
        domains=request.domains,
        modalities=request.modalities,
        languages=request.languages,
        size_text=request.size_text,
        preferred=preferred.name if preferred else None,
        needed_by=request.needed_by.isoformat() if request.needed_by else "",
        created_on=request.created_at.astimezone(settings.tz).date().isoformat(),
        status=request.status,
        decided_by=request.decided_by,
        reason=request.reason,
        revision=request.revision,
        intros=intros,
    )
