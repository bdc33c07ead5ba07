"""Block Kit for the operators' review of a data-introduction request: the review modal
(decision, holders to approach as a multi external select preset to the suggested ones,
reason or question) and its parser. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.compute import FormErrors
from bot.blocks.data_directory import Ids as DirectoryIds
from bot.blocks.data_requests import Ids, RequestView, ReviewMeta, form_error, summary_blocks
from bot.errors import UserError
from bot.i18n import t
from storage.data_requests import REASON_MAX, RequestStatus


@dataclass(frozen=True)
class ReviewInput:
    meta: ReviewMeta
    decision: RequestStatus  # approved, declined or needs_details
    holder_ids: list[int]
    text: str


# --- the modal -----------------------------------------------------------------------


def build_review_modal(
    view: RequestView, suggested: list[tuple[int, str]], meta: ReviewMeta, lang: str
) -> View:
    """The review modal (callback id `data.request.review.submit`): the decision, the
    holders to approach (a multi external select, preset to the suggested ones), and the
    reason (decline) or question (ask for details)."""
    decisions = [
        forms.option(t("datareq.review.approve", lang), RequestStatus.APPROVED.value),
        forms.option(t("datareq.review.decline", lang), RequestStatus.DECLINED.value),
        forms.option(t("datareq.review.ask", lang), RequestStatus.NEEDS_DETAILS.value),
    ]
    initial = [forms.option(name, str(holder_id)) for holder_id, name in suggested]
    blocks = [
        *summary_blocks(view, lang),
        forms.radio(Ids.DECISION, t("datareq.review.decision", lang), decisions),
        forms.external(
            Ids.HOLDERS,
            t("datareq.review.holders", lang),
            DirectoryIds.HOLDER_PICK,
            initial=initial,
            multi=True,
            optional=True,
        ),
        forms.text(
            Ids.TEXT,
            t("datareq.review.text", lang),
            multiline=True,
            max_length=REASON_MAX,
            optional=True,
            hint=t("datareq.review.text_hint", lang),
        ),
    ]
    return forms.modal(
        Ids.REVIEW_SUBMIT,
        title=t("datareq.review.title", lang),
        submit=t("datareq.review.submit", lang),
        close=t("datareq.modal.close", lang),
        metadata=meta.model_copy(update={"lang": lang}).model_dump_json(),
        blocks=blocks,
    )


def review_meta(view: dict) -> ReviewMeta:
    return ReviewMeta.model_validate_json(view.get("private_metadata") or "{}")


def parse_review_submission(view: dict) -> ReviewInput:
    """Read the review modal. Raises FormErrors: no decision; approve without holders;
    decline without a reason; ask without a question. Holders are ignored unless approving
    (the field comes preset with the suggestions)."""
    meta = review_meta(view)
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    picked = forms.chosen(values, Ids.DECISION)
    decision = RequestStatus(picked) if picked else None
    holders = [int(v) for v in forms.picked_external(values, Ids.HOLDERS) if v.isdigit()]
    text = forms.typed(values, Ids.TEXT)
    if decision is None:
        errors[Ids.DECISION] = form_error("datareq.review.pick")
    elif decision == RequestStatus.APPROVED and not holders:
        errors[Ids.HOLDERS] = form_error("datareq.review.need_holders")
    elif decision != RequestStatus.APPROVED:
        holders = []  # preset suggestions mean nothing to a decline or a question
    if decision in (RequestStatus.DECLINED, RequestStatus.NEEDS_DETAILS) and not text:
        errors[Ids.TEXT] = form_error(f"datareq.review.need_text_{decision.value}")
    elif len(text) > REASON_MAX:
        errors[Ids.TEXT] = form_error(
            "datareq.error.too_long", limit=f"{REASON_MAX:,}", count=f"{len(text):,}"
        )
    if errors:
        raise FormErrors(errors)
    return ReviewInput(
        meta=meta, decision=decision, holder_ids=list(dict.fromkeys(holders)), text=text
    )
