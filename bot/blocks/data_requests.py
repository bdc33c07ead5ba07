"""Block Kit for data-introduction requests: the "Request a data introduction" modal and its
parser, the requester's receipt and review DMs, the operator channel's request (with the
suggested matches and a Review button), the review modal and its parser, and the
`/data requests` list. Pure: no I/O. Holders' contacts never appear here.

Slack limits (Block Kit reference): modal title ≤ 24 characters, 50 blocks per message,
option text ≤ 75; the preferred holder is an external select so any number of holders works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel
from slack_sdk.models.blocks import ActionsBlock, ButtonElement
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import Message, context, divider, escape, header, long_sections, section
from bot.blocks.compute import FormErrors
from bot.blocks.data_directory import Ids as DirectoryIds
from bot.blocks.data_directory import vocab_select
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.data_size import format_size, parse_size
from bot.services import data_vocab
from storage.data_requests import TEXT_MAX, RequestStatus

__all__ = ["FormErrors"]

LIST_MAX = 12  # blocks per request ≤ 4, + header: within Slack's 50 blocks per message


class Ids:
    SUBMIT = "data.request.submit"
    REVIEW = "data.request.review"
    REVIEW_SUBMIT = "data.request.review.submit"
    ADD_DETAILS = "data.request.details"
    ORG = "org"
    DATA = "data_needed"
    PURPOSE = "purpose"
    DOMAINS = "domains"
    MODALITIES = "modalities"
    LANGUAGES = "languages"
    SIZE = "size"
    PREFERRED = "preferred"
    NEEDED_BY = "needed_by"
    DECISION = "decision"
    HOLDERS = "holders"
    TEXT = "text"


class RequestMeta(BaseModel):
    """The request modal's private_metadata: the language and, when adding details an
    operator asked for, the request being completed."""

    lang: str = "ja"
    request_id: int | None = None


class ReviewMeta(BaseModel):
    """The Review button's value and the review modal's metadata (with, in the modal, where
    the operator channel's message is, to update it in place, and the status the operator
    saw: the decision applies only if the request is still in it)."""

    request_id: int
    lang: str = "ja"
    channel: str | None = None
    ts: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class RequestForm:
    orgs: list[tuple[int, str]]  # (organization id, name) the actor may request for
    preferred: tuple[int, str] | None = None  # (holder id, option label)
    existing: object | None = None  # the DataRequest being completed


@dataclass(frozen=True)
class RequestInput:
    org_id: int
    data_needed: str
    purpose: str
    domains: list[str]
    modalities: list[str]
    languages: list[str]
    size_text: str
    size: tuple[float, str] | None
    preferred_holder_id: int | None
    needed_by: date
    request_id: int | None = None


@dataclass(frozen=True)
class IntroView:
    id: int
    holder_name: str
    answer: str
    reason: str | None
    stage: str | None


@dataclass(frozen=True)
class RequestView:
    """A request as messages show it (user text unescaped)."""

    id: int
    org_name: str
    requested_by: str
    data_needed: str
    purpose: str
    domains: list[str]
    modalities: list[str]
    languages: list[str]
    size_text: str
    preferred: str | None
    needed_by: str
    created_on: str
    status: str
    decided_by: str | None
    reason: str | None
    revision: int = 1
    intros: list[IntroView] = field(default_factory=list)


@dataclass(frozen=True)
class Matches:
    structured: list  # data_matching.Match, best first
    reranked: list | None  # the LLM's order with reasons, or None
    llm_configured: bool


def form_error(key: str, **params: object) -> UserError:
    return UserError(t(key, "en", **params), t(key, "ja", **params))


def join(names, lang: str) -> str:
    """Escaped names joined as the language lists them: `A、B` / `A, B`."""
    return ("、" if lang == "ja" else ", ").join(escape(name) for name in names)


def status_label(status: str, lang: str) -> str:
    return t(f"datareq.status.{status}", lang)


# --- the request modal ----------------------------------------------------------------------


def build_request_modal(form: RequestForm, lang: str) -> View:
    """ "Request a data introduction" (callback id `data.request.submit`), prefilled with the
    request being completed when an operator asked for details."""
    existing = form.existing
    orgs = [forms.option(name, str(org_id)) for org_id, name in form.orgs]
    org_block = forms.select(
        Ids.ORG,
        t("datareq.field.org", lang),
        orgs,
        initial=str(existing.organization_id) if existing is not None else None,
    )
    preferred = [forms.option(form.preferred[1], str(form.preferred[0]))] if form.preferred else []
    blocks = [section(t("datareq.modal.intro", lang))]
    if existing is not None and existing.reason:
        blocks.append(
            section(
                t(
                    "datareq.modal.asked",
                    lang,
                    user=existing.decided_by,
                    text=escape(existing.reason),
                )
            )
        )
    blocks += [
        org_block,
        forms.text(
            Ids.DATA,
            t("datareq.field.data", lang),
            multiline=True,
            max_length=TEXT_MAX,
            initial=existing.data_needed if existing else None,
        ),
        forms.text(
            Ids.PURPOSE,
            t("datareq.field.purpose", lang),
            multiline=True,
            max_length=TEXT_MAX,
            initial=existing.purpose if existing else None,
        ),
        *(
            vocab_select(
                kind,
                t(f"datareq.field.{kind}", lang),
                lang,
                getattr(existing, kind) if existing else [],
                optional=False,
            )
            for kind in (Ids.DOMAINS, Ids.MODALITIES, Ids.LANGUAGES)
        ),
        forms.text(
            Ids.SIZE,
            t("datareq.field.size", lang),
            max_length=100,
            initial=existing.size_text if existing else None,
            optional=True,
            hint=t("datareq.field.size_hint", lang),
        ),
        forms.external(
            Ids.PREFERRED,
            t("datareq.field.preferred", lang),
            DirectoryIds.HOLDER_PICK,
            initial=preferred,
            optional=True,
        ),
        forms.day(
            Ids.NEEDED_BY,
            t("datareq.field.needed_by", lang),
            initial=existing.needed_by if existing else None,
        ),
    ]
    meta = RequestMeta(lang=lang, request_id=existing.id if existing is not None else None)
    return forms.modal(
        Ids.SUBMIT,
        title=t("datareq.modal.title", lang),
        submit=t("datareq.modal.submit", lang),
        close=t("datareq.modal.close", lang),
        metadata=meta.model_dump_json(),
        blocks=blocks,
    )


def request_meta(view: dict) -> RequestMeta:
    return RequestMeta.model_validate_json(view.get("private_metadata") or "{}")


def parse_request_submission(view: dict, today: date | None = None) -> RequestInput:
    """Read the request modal. Raises FormErrors with every wrong field at once: missing or
    too long text, no domain/modality/language, an unreadable size, no date or (given
    `today`, the programme's date) a date already past."""
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    org = forms.chosen(values, Ids.ORG)
    if org is None:
        errors[Ids.ORG] = form_error("datareq.error.pick_org")
    texts = {}
    for block_id in (Ids.DATA, Ids.PURPOSE):
        texts[block_id] = forms.typed(values, block_id)
        if not texts[block_id]:
            errors[block_id] = form_error("datareq.error.required")
        elif len(texts[block_id]) > TEXT_MAX:
            errors[block_id] = form_error(
                "datareq.error.too_long", limit=f"{TEXT_MAX:,}", count=f"{len(texts[block_id]):,}"
            )
    lists = {}
    for block_id in (Ids.DOMAINS, Ids.MODALITIES, Ids.LANGUAGES):
        lists[block_id] = [
            c for c in forms.chosen_many(values, block_id) if c in data_vocab.codes(block_id)
        ]
        if not lists[block_id]:
            errors[block_id] = form_error("datareq.error.pick_some")
    size_text = forms.typed(values, Ids.SIZE)
    size = None
    try:
        size = parse_size(size_text)
    except UserError as error:
        errors[Ids.SIZE] = error
    needed_by = forms.picked_date(values, Ids.NEEDED_BY)
    if needed_by is None:
        errors[Ids.NEEDED_BY] = form_error("datareq.error.pick_date")
    elif today is not None and needed_by < today:
        errors[Ids.NEEDED_BY] = form_error("datareq.error.past", today=today.isoformat())
    picked = forms.picked_external(values, Ids.PREFERRED)
    if errors:
        raise FormErrors(errors)
    return RequestInput(
        org_id=int(org),
        data_needed=texts[Ids.DATA],
        purpose=texts[Ids.PURPOSE],
        domains=lists[Ids.DOMAINS],
        modalities=lists[Ids.MODALITIES],
        languages=lists[Ids.LANGUAGES],
        size_text=size_text,
        size=size,
        preferred_holder_id=int(picked[0]) if picked and picked[0].isdigit() else None,
        needed_by=needed_by,
        request_id=request_meta(view).request_id,
    )


# --- messages -------------------------------------------------------------------------------


def summary_blocks(view: RequestView, lang: str, *, for_holder: bool = False) -> list:
    """The request itself: what, why, lists, size, preferred holder, needed by. A holder's
    contact (`for_holder`) is not told which holder the requester preferred."""
    lines = [
        t(
            "datareq.line.lists",
            lang,
            domains=data_vocab.labels("domains", view.domains, lang),
            modalities=data_vocab.labels("modalities", view.modalities, lang),
            languages=data_vocab.labels("languages", view.languages, lang),
        ),
        t("datareq.line.size", lang, size=escape(view.size_text) or "—", needed_by=view.needed_by),
    ]
    if view.preferred and not for_holder:
        lines.append(t("datareq.line.preferred", lang, name=escape(view.preferred)))
    return [
        *long_sections(t("datareq.line.data", lang, text=escape(view.data_needed))),
        *long_sections(t("datareq.line.purpose", lang, text=escape(view.purpose))),
        section("\n".join(lines)),
        context(
            t(
                "datareq.line.meta",
                lang,
                id=view.id,
                org=escape(view.org_name),
                user=view.requested_by,
                date=view.created_on,
            )
        ),
    ]


def build_receipt(view: RequestView, lang: str) -> Message:
    text = t("datareq.receipt", lang, id=view.id, org=escape(view.org_name))
    if view.revision > 1:
        text = t("datareq.receipt_details", lang, id=view.id)
    return Message.of(text, [section(text), *summary_blocks(view, lang)])


def _title(view: RequestView, lang: str) -> str:
    key = "datareq.operator.title_details" if view.revision > 1 else "datareq.operator.title"
    return t(key, lang, id=view.id, org=view.org_name)


def match_lines(matches: Matches, lang: str) -> list:
    """The suggested matches: the structured score explained per criterion, then the LLM's
    re-ranking with its reasons when there is one (or why there is none)."""
    if not matches.structured:
        return [section(t("datareq.matches.none", lang))]
    lines = [t("datareq.matches.title", lang)]
    for rank, match in enumerate(matches.structured, 1):
        lines.append(
            t(
                "datareq.matches.line",
                lang,
                rank=rank,
                name=escape(match.name),
                score=match.score,
                why=explain(match, lang),
            )
        )
    blocks = [section("\n".join(lines))]
    if matches.reranked:
        llm = [t("datareq.matches.llm_title", lang)]
        for rank, match in enumerate(matches.reranked, 1):
            llm.append(
                t(
                    "datareq.matches.llm_line",
                    lang,
                    rank=rank,
                    name=escape(match.name),
                    reason=escape(match.reason or ""),
                )
            )
        blocks.append(section("\n".join(llm)))
    elif matches.llm_configured:
        blocks.append(context(t("datareq.matches.llm_failed", lang)))
    return blocks


def explain(match, lang: str) -> str:
    """`Domains 2/2 (Medical, Legal) · Languages 1/2 (Japanese) · Size: 2 TB ≥ 500 GB`."""
    parts = []
    for c in match.criteria:
        if c.kind == "size":
            have = format_size(*c.have, lang) if c.have else ""
            need = format_size(*c.need, lang) if c.need else ""
            parts.append(t(f"datareq.size.{c.verdict}", lang, have=have, need=need))
        else:
            parts.append(
                t(
                    f"datareq.crit.{c.kind}",
                    lang,
                    got=len(c.common),
                    of=len(c.wanted),
                    which=data_vocab.labels(c.kind, list(c.common), lang),
                )
            )
    return " · ".join(parts)


def _review_actions(view: RequestView, lang: str) -> ActionsBlock:
    button = ButtonElement(
        action_id=Ids.REVIEW,
        text=t("datareq.review_button", lang),
        value=ReviewMeta(request_id=view.id, lang=lang).model_dump_json(),
        style="primary",
    )
    return ActionsBlock(block_id="data_review", elements=[button])


def build_operator_request(view: RequestView, matches: Matches, lang: str) -> Message:
    """The operator channel's message: the request, the suggested matches and Review."""
    blocks = [
        header(_title(view, lang)),
        *summary_blocks(view, lang),
        divider(),
        *match_lines(matches, lang),
        _review_actions(view, lang),
    ]
    return Message.of(_title(view, lang), blocks)


def _reviewed_note(view: RequestView, lang: str) -> str:
    note = t(f"datareq.reviewed_note.{view.status}", lang, user=view.decided_by)
    if view.intros:
        note += ("" if lang == "ja" else " ") + t(
            "datareq.approached", lang, names=join((i.holder_name for i in view.intros), lang)
        )
    if view.reason:
        note += "\n" + t("datareq.reason", lang, text=escape(view.reason))
    return note


def build_operator_reviewed(view: RequestView, lang: str) -> Message:
    """The operator channel's message once reviewed: who did what; no button, except while
    waiting for details (operators may still decide: the requester may never answer)."""
    note = _reviewed_note(view, lang)
    blocks = [header(_title(view, lang)), *summary_blocks(view, lang), *long_sections(note)]
    if view.status == RequestStatus.NEEDS_DETAILS.value:
        blocks.append(_review_actions(view, lang))
    return Message.of(f"{_title(view, lang)}: {status_label(view.status, lang)}", blocks)


def build_review_dm(view: RequestView, lang: str) -> Message:
    """The requester's DM after review: approved (which holders are approached), declined
    (the reason), or details asked (the question and an Add details button)."""
    text = t(
        f"datareq.dm.{view.status}",
        lang,
        id=view.id,
        user=view.decided_by,
        names=join((i.holder_name for i in view.intros), lang),
    )
    blocks = [section(text)]
    if view.reason:
        blocks += long_sections(t("datareq.reason", lang, text=escape(view.reason)))
    if view.status == RequestStatus.NEEDS_DETAILS.value:
        blocks.append(
            ActionsBlock(
                block_id="data_details",
                elements=[
                    ButtonElement(
                        action_id=Ids.ADD_DETAILS,
                        text=t("datareq.add_details", lang),
                        value=ReviewMeta(request_id=view.id, lang=lang).model_dump_json(),
                        style="primary",
                    )
                ],
            )
        )
    return Message.of(text, blocks)


# --- /data requests -------------------------------------------------------------------------


def build_request_list(views: list[RequestView], lang: str) -> Message:
    """Newest first, at most LIST_MAX, each with its introductions' answers and stages."""
    title = t("datareq.list.title", lang)
    if not views:
        text = t("datareq.list.empty", lang)
        return Message.of(text, [header(title), section(text)])
    blocks = [header(title)]
    for view in views[:LIST_MAX]:
        line = t(
            "datareq.list.line",
            lang,
            id=view.id,
            org=escape(view.org_name),
            data=escape(view.data_needed[:200]),
            status=status_label(view.status, lang),
            date=view.created_on,
            user=view.requested_by,
        )
        blocks.append(section(line))
        if view.intros:
            blocks.append(context(" · ".join(intro_state(i, lang) for i in view.intros)))
        blocks.append(divider())
    return Message.of(f"{title}: {len(views)}", blocks)


def intro_state(intro: IntroView, lang: str) -> str:
    """`Holder: accepted → NDA signed` as one short phrase."""
    state = t(f"intro.answer.{intro.answer}", lang)
    if intro.stage:
        state = t(f"intro.stage.{intro.stage}", lang)
    return f"{escape(intro.holder_name)}: {state}"
