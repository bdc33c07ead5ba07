"""Block Kit for allocation change requests: the lead's "Request a change" modal and its
parser, the operator channel's request with a Review button, the review modal and its parser,
the requester's receipt and decision DMs, and the `/compute requests` list. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
)
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import Message, context, divider, escape, header, long_sections, section
from bot.blocks.compute import AllocationChoice, FormErrors
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.numbers import format_gpu_hours, parse_gpu_hours
from bot.parsing.plans import parse_plan_lines
from storage.change_requests import JUSTIFICATION_MAX, REASON_MAX, ChangeKind

__all__ = ["FormErrors"]

LIST_MAX = 15  # 3 blocks each + header: within Slack's 50 blocks per message


class Ids(StrEnum):
    SUBMIT = "allocations.change.submit"
    REVIEW = "allocations.change.review"
    REVIEW_SUBMIT = "allocations.change.review.submit"
    ALLOCATION = "allocation"
    KIND = "kind"
    EXTRA = "extra"
    NEW_END = "new_end"
    PLANS = "plans"
    JUSTIFICATION = "justification"
    DECISION = "decision"
    REASON = "reason"


class RequestMeta(BaseModel):
    lang: str = "ja"


class ReviewMeta(BaseModel):
    """The review button's value and the review modal's private_metadata: the request, and
    (in the modal) where the operator channel's message is, to update it in place."""

    request_id: int
    lang: str = "ja"
    channel: str | None = None
    ts: str | None = None


@dataclass(frozen=True)
class ChangeInput:
    allocation_id: int
    kind: ChangeKind
    extra_gpu_hours: float | None
    new_end: date | None
    plans: dict[str, float]
    justification: str


@dataclass(frozen=True)
class RequestView:
    """A change request as messages show it (user text unescaped)."""

    id: int
    org_name: str
    label: str
    kind: str
    what: dict  # what `describe` needs: extra/granted/total, end/new_end, changes
    justification: str
    requested_by: str
    requested_on: str
    status: str
    decided_by: str | None = None
    reason: str | None = None


def _error(key: str, **params: object) -> UserError:
    return UserError(t(key, "en", **params), t(key, "ja", **params))


def kind_label(kind: str, lang: str) -> str:
    return t(f"change.kind.{kind}", lang)


def build_request_modal(allocations: list[AllocationChoice], lang: str) -> View:
    """The "Request a change" modal (callback id `allocations.change.submit`)."""
    options = [forms.option(a.label, str(a.id)) for a in allocations]
    kinds = [forms.option(kind_label(k, lang), k.value) for k in ChangeKind]
    blocks = [
        section(t("change.modal.intro", lang)),
        forms.select(Ids.ALLOCATION, t("change.field.allocation", lang), options),
        forms.radio(Ids.KIND, t("change.field.kind", lang), kinds),
        forms.text(Ids.EXTRA, t("change.field.extra", lang), optional=True),
        forms.day(Ids.NEW_END, t("change.field.new_end", lang), optional=True),
        forms.text(
            Ids.PLANS,
            t("change.field.plans", lang),
            multiline=True,
            max_length=forms.TEXT_MAX,
            optional=True,
            hint=t("change.field.plans_hint", lang),
        ),
        forms.text(
            Ids.JUSTIFICATION,
            t("change.field.justification", lang),
            multiline=True,
            max_length=JUSTIFICATION_MAX,
        ),
    ]
    return forms.modal(
        Ids.SUBMIT,
        title=t("change.modal.title", lang),
        submit=t("change.modal.submit", lang),
        close=t("change.modal.close", lang),
        metadata=RequestMeta(lang=lang).model_dump_json(),
        blocks=blocks,
    )


def request_lang(view: dict) -> str:
    return RequestMeta.model_validate_json(view.get("private_metadata") or "{}").lang


def parse_request_submission(view: dict) -> ChangeInput:
    """Read the "Request a change" modal: the field of the chosen kind is required, the
    others must be empty. Raises FormErrors with every wrong field at once."""
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    allocation = forms.chosen(values, Ids.ALLOCATION)
    if allocation is None:
        errors[Ids.ALLOCATION] = _error("change.error.pick_allocation")
    picked = forms.chosen(values, Ids.KIND)
    kind = ChangeKind(picked) if picked else None
    if kind is None:
        errors[Ids.KIND] = _error("change.error.pick_kind")
    raw = {
        Ids.EXTRA: forms.typed(values, Ids.EXTRA),
        Ids.NEW_END: forms.state(values, Ids.NEW_END).get("selected_date") or "",
        Ids.PLANS: forms.typed(values, Ids.PLANS),
    }
    wanted = {
        ChangeKind.MORE_HOURS: Ids.EXTRA,
        ChangeKind.EXTENSION: Ids.NEW_END,
        ChangeKind.REPROFILE: Ids.PLANS,
    }.get(kind)
    shown_kind = kind_label(kind, "en") if kind else ""
    for block_id, text in raw.items():
        if kind is None:
            continue
        if block_id == wanted and not text:
            errors[block_id] = UserError(
                t("change.error.required_for_kind", "en", kind=shown_kind),
                t("change.error.required_for_kind", "ja", kind=kind_label(kind, "ja")),
            )
        elif block_id != wanted and text:
            errors[block_id] = UserError(
                t("change.error.not_for_kind", "en", kind=shown_kind),
                t("change.error.not_for_kind", "ja", kind=kind_label(kind, "ja")),
            )
    extra = new_end = None
    plans: dict[str, float] = {}
    try:
        if wanted == Ids.EXTRA and raw[Ids.EXTRA]:
            extra = parse_gpu_hours(raw[Ids.EXTRA])
            if extra <= 0:
                raise _error("change.error.extra_zero")
        elif wanted == Ids.NEW_END and raw[Ids.NEW_END]:
            new_end = date.fromisoformat(raw[Ids.NEW_END])
        elif wanted == Ids.PLANS and raw[Ids.PLANS]:
            plans = parse_plan_lines(raw[Ids.PLANS])
    except UserError as error:
        errors[wanted] = error
    justification = forms.typed(values, Ids.JUSTIFICATION)
    if not justification:
        errors[Ids.JUSTIFICATION] = _error("alloc.error.required")
    elif len(justification) > JUSTIFICATION_MAX:
        errors[Ids.JUSTIFICATION] = _error(
            "change.error.too_long", limit=f"{JUSTIFICATION_MAX:,}", count=f"{len(justification):,}"
        )
    if errors:
        raise FormErrors(errors)
    return ChangeInput(
        allocation_id=int(allocation),
        kind=kind,
        extra_gpu_hours=extra,
        new_end=new_end,
        plans=plans,
        justification=justification,
    )


# --- messages ---------------------------------------------------------------------------


def describe(view: RequestView, lang: str) -> str:
    """One sentence saying what the request asks for."""
    what = view.what
    if view.kind == ChangeKind.MORE_HOURS:
        return t(
            "change.what.more_hours",
            lang,
            extra=format_gpu_hours(what["extra"], lang),
            granted=format_gpu_hours(what["granted"], lang),
            total=format_gpu_hours(what["granted"] + what["extra"], lang),
        )
    if view.kind == ChangeKind.EXTENSION:
        return t("change.what.extension", lang, end=what["end"], new_end=what["new_end"])
    changes = ", ".join(
        f"{month} {format_gpu_hours(old, lang) if old is not None else '–'} → "
        f"{format_gpu_hours(new, lang)}"
        for month, (old, new) in sorted(what["changes"].items())
    )
    return t("change.what.reprofile", lang, changes=changes)


def _request_blocks(view: RequestView, lang: str) -> list:
    meta = t(
        "change.operator.meta",
        lang,
        org=escape(view.org_name),
        label=escape(view.label),
        user=view.requested_by,
    )
    return [
        header(t("change.operator.title", lang, id=view.id)),
        section(f"*{escape(kind_label(view.kind, lang))}*: {describe(view, lang)}"),
        *long_sections(t("change.justification", lang, text=escape(view.justification))),
        context(meta),
    ]


def build_operator_request(view: RequestView, lang: str) -> Message:
    """The operator channel's message: the request and a Review button."""
    button = ButtonElement(
        action_id=Ids.REVIEW,
        text=t("change.review_button", lang),
        value=ReviewMeta(request_id=view.id, lang=lang).model_dump_json(),
        style="primary",
    )
    blocks = _request_blocks(view, lang) + [ActionsBlock(block_id="change", elements=[button])]
    return Message.of(t("change.operator.title", lang, id=view.id), blocks)


def build_operator_decided(view: RequestView, lang: str) -> Message:
    """The operator channel's message once decided: no button, who decided and why."""
    note = _decided_note(view, lang)
    blocks = _request_blocks(view, lang) + [context(note)]
    return Message.of(t("change.operator.title", lang, id=view.id) + ": " + note, blocks)


def _decided_note(view: RequestView, lang: str) -> str:
    return t(
        "change.decided_note",
        lang,
        status=t(f"change.status.{view.status}", lang),
        user=view.decided_by,
        reason=escape(view.reason or ""),
    )


def build_receipt(view: RequestView, lang: str) -> Message:
    text = t(
        "change.receipt", lang, id=view.id, org=escape(view.org_name), label=escape(view.label)
    )
    return Message.of(text, [section(text), section(describe(view, lang))])


def build_decision_dm(view: RequestView, now_summary: str | None, lang: str) -> Message:
    """The requester's DM: approved or denied, by whom, the reason and, when approved, what
    the allocation is now."""
    text = t(
        "change.decision_dm",
        lang,
        id=view.id,
        org=escape(view.org_name),
        label=escape(view.label),
        status=t(f"change.status.{view.status}", lang),
        user=view.decided_by,
    )
    blocks = [section(text), section(describe(view, lang))]
    blocks += long_sections(t("change.reason", lang, text=escape(view.reason or "")))
    if now_summary:
        blocks.append(context(t("change.applied", lang, summary=now_summary)))
    return Message.of(text, blocks)


def build_review_modal(view: RequestView, meta: ReviewMeta, lang: str) -> View:
    """The review modal (callback id `allocations.change.review.submit`)."""
    decisions = [
        forms.option(t("change.review.approve", lang), "approved"),
        forms.option(t("change.review.deny", lang), "denied"),
    ]
    blocks = _request_blocks(view, lang) + [
        forms.radio(Ids.DECISION, t("change.review.decision", lang), decisions),
        forms.text(
            Ids.REASON, t("change.review.reason", lang), multiline=True, max_length=REASON_MAX
        ),
    ]
    return forms.modal(
        Ids.REVIEW_SUBMIT,
        title=t("change.review.title", lang),
        submit=t("change.review.submit", lang),
        close=t("change.modal.close", lang),
        metadata=meta.model_copy(update={"lang": lang}).model_dump_json(),
        blocks=blocks,
    )


def review_meta(view: dict) -> ReviewMeta:
    return ReviewMeta.model_validate_json(view.get("private_metadata") or "{}")


def parse_review_submission(view: dict) -> tuple[ReviewMeta, bool, str]:
    """(metadata, approved?, reason). Raises FormErrors for a missing decision or reason."""
    meta = review_meta(view)
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    decision = forms.chosen(values, Ids.DECISION)
    if decision is None:
        errors[Ids.DECISION] = _error("change.review.pick")
    reason = forms.typed(values, Ids.REASON)
    if not reason:
        errors[Ids.REASON] = _error("alloc.error.required")
    elif len(reason) > REASON_MAX:
        errors[Ids.REASON] = _error(
            "change.error.too_long", limit=f"{REASON_MAX:,}", count=f"{len(reason):,}"
        )
    if errors:
        raise FormErrors(errors)
    return meta, decision == "approved", reason


def build_request_list(views: list[RequestView], lang: str) -> Message:
    """The `/compute requests` reply: newest first, at most 15 (Slack: 50 blocks a message)."""
    title = t("change.list.title", lang)
    if not views:
        text = t("change.list.empty", lang)
        return Message.of(text, [header(title), section(text)])
    blocks = [header(title)]
    for view in views[:LIST_MAX]:
        line = t(
            "change.list.line",
            lang,
            id=view.id,
            org=escape(view.org_name),
            label=escape(view.label),
            what=describe(view, lang),
            status=t(f"change.status.{view.status}", lang),
            user=view.requested_by,
            date=view.requested_on,
        )
        blocks.append(section(line))
        if view.decided_by:  # who decided and why, so it never reads as the requester's
            blocks.append(context(_decided_note(view, lang)))
        blocks.append(divider())
    return Message.of(f"{title}: {len(views)}", blocks)
