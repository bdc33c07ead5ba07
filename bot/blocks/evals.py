"""Block Kit for evaluation results: the "Submit evaluation results" modal and its parser, the
validator's report, the operator channel's review entry and review modal, the published
result with its Flag button, the flag modal, and `/eval status`. Pure: no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, DateTimePickerElement, InputBlock
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import Message, context, divider, escape, header, long_sections, section
from bot.blocks.compute import FormErrors, OrgChoice
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.numbers import parse_gpu_hours
from storage.evals import TEXT_MAX, ModelType

__all__ = ["FormErrors"]

FILE_TYPES = ["json", "csv"]
_SAFE_LINK = re.compile(r"https://[^\s<>|]+", re.IGNORECASE)
LIST_MAX = 15


class Ids(StrEnum):
    SUBMIT = "evals.submit"
    REVIEW = "evals.review"
    REVIEW_SUBMIT = "evals.review.submit"
    FLAG = "evals.flag"
    FLAG_SUBMIT = "evals.flag.submit"
    OPEN_SUBMIT = "evals.open_submit"
    RESOLVE = "evals.flag.resolve"
    ORG = "org"
    MODEL = "model"
    REVISION = "revision"
    PARAMS = "params"
    TYPE = "type"
    FILE = "file"
    NOTES = "notes"
    LINK = "link"
    DECISION = "decision"
    REASON = "reason"
    EMBARGO = "embargo"


class SubmitMeta(BaseModel):
    lang: str = "ja"


class SubmissionRef(BaseModel):
    """Review / Flag button value and their modals' private_metadata: the submission, and
    (in modals) where the clicked message is, to update it in place."""

    submission_id: int
    lang: str = "ja"
    channel: str | None = None
    ts: str | None = None


@dataclass(frozen=True)
class SubmissionInput:
    """A well-formed submission; the file is still to be downloaded (`file` is Slack's file
    object from the file_input)."""

    org_id: int
    model_name: str
    model_revision: str
    parameters_b: float | None
    model_type: str
    notes: str | None
    evidence_link: str | None
    file: dict


@dataclass(frozen=True)
class HeadlineView:
    benchmark: str
    metric: str
    filter: str | None
    value: float | None
    n_shot: int | None


@dataclass(frozen=True)
class ProblemView:
    severity: str
    en: str
    ja: str


@dataclass(frozen=True)
class SubmissionView:
    """A submission as messages show it (user text unescaped)."""

    id: int
    org_name: str
    model_name: str
    model_revision: str
    parameters_b: float | None
    model_type: str
    submitted_by: str
    file_format: str
    score_count: int
    headlines: list[HeadlineView]
    problems: list[ProblemView]
    rejected_by_validator: bool
    status: str
    decided_by: str | None = None
    reason: str | None = None
    embargo: str | None = None  # JST, for people
    published_on: str | None = None
    flags: list[tuple[str, str]] = ()  # (user, reason) of open flags
    notes: str | None = None
    evidence_link: str | None = None  # https, no spaces or <>| (checked at input)
    override_reason: str | None = None  # approved although the validator rejected it


def _error(key: str, **params: object) -> UserError:
    return UserError(t(key, "en", **params), t(key, "ja", **params))


def type_label(model_type: str, lang: str) -> str:
    return t(f"eval.type.{model_type}", lang)


def build_submit_modal(orgs: list[OrgChoice], lang: str) -> View:
    """The "Submit evaluation results" modal (callback id `evals.submit`)."""
    types = [forms.option(type_label(k.value, lang), k.value) for k in ModelType]
    blocks = [
        section(t("eval.modal.intro", lang)),
        forms.select(
            Ids.ORG,
            t("eval.field.org", lang),
            [forms.option(f"{o.name} ({o.code})", str(o.id)) for o in orgs],
        ),
        forms.text(Ids.MODEL, t("eval.field.model", lang), max_length=200),
        forms.text(Ids.REVISION, t("eval.field.revision", lang), max_length=200),
        forms.text(Ids.PARAMS, t("eval.field.params", lang), max_length=20, optional=True),
        forms.select(Ids.TYPE, t("eval.field.type", lang), types),
        forms.upload(Ids.FILE, t("eval.field.file", lang), FILE_TYPES),
        forms.text(
            Ids.NOTES,
            t("eval.field.notes", lang),
            multiline=True,
            max_length=TEXT_MAX,
            optional=True,
        ),
        forms.text(Ids.LINK, t("eval.field.link", lang), max_length=500, optional=True),
    ]
    return forms.modal(
        Ids.SUBMIT,
        title=t("eval.modal.title", lang),
        submit=t("eval.modal.submit", lang),
        close=t("eval.modal.close", lang),
        metadata=SubmitMeta(lang=lang).model_dump_json(),
        blocks=blocks,
    )


def build_dm_offer(lang: str) -> Message:
    """The answer to evaluation results sent in a DM: submit them through the modal."""
    text = t("eval.dm_offer", lang)
    button = ButtonElement(
        action_id=Ids.OPEN_SUBMIT, text=t("eval.modal.title", lang), value="submit", style="primary"
    )
    return Message.of(text, [section(text), ActionsBlock(block_id="eval_offer", elements=[button])])


def submit_lang(view: dict) -> str:
    return SubmitMeta.model_validate_json(view.get("private_metadata") or "{}").lang


def parse_submission(view: dict) -> SubmissionInput:
    """Read the submit modal. Raises FormErrors with every wrong field at once."""
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    org = forms.chosen(values, Ids.ORG)
    if org is None:
        errors[Ids.ORG] = _error("eval.error.pick")
    texts = {}
    for block_id in (Ids.MODEL, Ids.REVISION):
        texts[block_id] = forms.typed(values, block_id)
        if not texts[block_id]:
            errors[block_id] = _error("eval.error.required")
    params = None
    if raw := forms.typed(values, Ids.PARAMS):
        try:
            params = parse_gpu_hours(raw)  # the same non-negative decimal rules
            if not 0 < params <= 10_000:
                raise _error("eval.error.params")
        except UserError:
            errors[Ids.PARAMS] = _error("eval.error.params")
    model_type = forms.chosen(values, Ids.TYPE)
    if model_type is None:
        errors[Ids.TYPE] = _error("eval.error.pick")
    files = forms.uploaded(values, Ids.FILE)
    if len(files) != 1:
        errors[Ids.FILE] = _error("eval.error.one_file")
    link = forms.typed(values, Ids.LINK) or None
    if link and not _SAFE_LINK.fullmatch(link):  # `<`, `>`, `|` or spaces would forge a link
        errors[Ids.LINK] = _error("eval.error.link")
    if errors:
        raise FormErrors(errors)
    return SubmissionInput(
        org_id=int(org),
        model_name=texts[Ids.MODEL],
        model_revision=texts[Ids.REVISION],
        parameters_b=params,
        model_type=model_type,
        notes=forms.typed(values, Ids.NOTES) or None,
        evidence_link=link,
        file=files[0],
    )


# --- the validator's report and the submission ------------------------------------------------


def _value(value: float | None, lang: str) -> str:
    return t("eval.report.missing", lang) if value is None else f"{value:.4g}"


def report_blocks(view: SubmissionView, lang: str) -> list:
    """Headline scores and the validator's checks."""
    lines = [
        t(
            "eval.report.headline",
            lang,
            benchmark=escape(h.benchmark),
            value=_value(h.value, lang),
            metric=escape(h.metric),
            filter=f", {escape(h.filter)}" if h.filter else "",
            shots=t("eval.report.shots", lang, n=h.n_shot)
            if h.n_shot is not None
            else t("eval.report.no_shots", lang),
        )
        for h in view.headlines
    ]
    blocks = [section(t("eval.report.headlines", lang))]
    blocks += long_sections("\n".join(lines) or t("eval.report.none", lang))
    checks = [
        f"• {t(f'eval.severity.{p.severity}', lang)}: {escape(p.ja if lang == 'ja' else p.en)}"
        for p in view.problems
    ]
    blocks.append(section(t("eval.report.problems", lang)))
    blocks += long_sections("\n".join(checks) or t("eval.report.ok", lang))
    if view.rejected_by_validator:
        blocks.append(context(t("eval.report.rejected", lang)))
    return blocks


def _meta(view: SubmissionView, lang: str, key: str = "eval.review.meta") -> str:
    params = f"{view.parameters_b:g}B" if view.parameters_b else "–"
    return t(
        key,
        lang,
        org=escape(view.org_name),
        model=escape(view.model_name),
        revision=escape(view.model_revision),
        params=params,
        type=type_label(view.model_type, lang),
        user=view.submitted_by,
        date=view.published_on or "",
    )


def build_receipt(view: SubmissionView, lang: str) -> Message:
    """The submitter's DM: what was read, headline scores, the checks."""
    title = t("eval.receipt.title", lang)
    body = t(
        "eval.receipt.body",
        lang,
        id=view.id,
        model=escape(view.model_name),
        revision=escape(view.model_revision),
        org=escape(view.org_name),
        format=view.file_format,
        scores=view.score_count,
    )
    return Message.of(
        f"{title}: {body}", [header(title), section(body), *report_blocks(view, lang)]
    )


def _review_blocks(view: SubmissionView, lang: str) -> list:
    blocks = [header(t("eval.review.title", lang, id=view.id)), section(_meta(view, lang))]
    if view.notes:
        blocks += long_sections(t("eval.review.notes", lang, text=escape(view.notes)))
    if view.evidence_link:
        blocks.append(context(t("eval.review.link", lang, url=escape(view.evidence_link))))
    return blocks + report_blocks(view, lang)


def build_review_entry(view: SubmissionView, lang: str) -> Message:
    """The operator channel's review-queue entry, with a Review button."""
    button = ButtonElement(
        action_id=Ids.REVIEW,
        text=t("eval.review.button", lang),
        value=SubmissionRef(submission_id=view.id, lang=lang).model_dump_json(),
        style="primary",
    )
    blocks = _review_blocks(view, lang) + [ActionsBlock(block_id="review", elements=[button])]
    return Message.of(t("eval.review.title", lang, id=view.id), blocks)


def decided_note(view: SubmissionView, lang: str) -> str:
    embargo = t("eval.review.embargo_note", lang, at=view.embargo) if view.embargo else ""
    return t(
        "eval.review.decided",
        lang,
        status=t(f"eval.decided.{view.status}", lang),
        user=view.decided_by,
        embargo=embargo,
        reason=f": {escape(view.reason)}" if view.reason else "",
    )


def build_review_decided(view: SubmissionView, lang: str) -> Message:
    """The review entry once decided: no button; who decided, how and why."""
    note = decided_note(view, lang)
    blocks = _review_blocks(view, lang) + [context(note)]
    return Message.of(f"{t('eval.review.title', lang, id=view.id)}: {note}", blocks)


def build_review_modal(view: SubmissionView, ref: SubmissionRef, lang: str) -> View:
    """The review modal (callback id `evals.review.submit`)."""
    decisions = [
        forms.option(t("eval.review.approve", lang), "approved"),
        forms.option(t("eval.review.changes", lang), "changes_requested"),
        forms.option(t("eval.review.reject", lang), "rejected"),
    ]
    blocks = _review_blocks(view, lang) + [
        forms.radio(Ids.DECISION, t("eval.review.decision", lang), decisions),
        forms.text(
            Ids.REASON,
            t("eval.review.reason", lang),
            multiline=True,
            max_length=1000,
            optional=True,
        ),
        InputBlock(
            block_id=Ids.EMBARGO,
            label=t("eval.review.embargo", lang),
            optional=True,
            element=DateTimePickerElement(action_id=forms.INPUT),
        ),
    ]
    return forms.modal(
        Ids.REVIEW_SUBMIT,
        title=t("eval.review.modal", lang),
        submit=t("eval.review.submit", lang),
        close=t("eval.modal.close", lang),
        metadata=ref.model_copy(update={"lang": lang}).model_dump_json(),
        blocks=blocks,
    )


def ref_of(view: dict) -> SubmissionRef:
    return SubmissionRef.model_validate_json(view.get("private_metadata") or "{}")


@dataclass(frozen=True)
class Decision:
    status: str  # approved | changes_requested | rejected
    reason: str | None
    embargo: datetime | None  # aware UTC


def parse_review(view: dict) -> Decision:
    """Read the review modal (the service checks reasons and the embargo against now)."""
    values = forms.values_of(view)
    status = forms.chosen(values, Ids.DECISION)
    if status is None:
        raise FormErrors({Ids.DECISION: _error("eval.error.pick")})
    stamp = forms.state(values, Ids.EMBARGO).get("selected_date_time")
    embargo = datetime.fromtimestamp(int(stamp), tz=UTC) if stamp else None
    return Decision(status, forms.typed(values, Ids.REASON) or None, embargo)


def build_decision_dm(view: SubmissionView, lang: str) -> Message:
    text = t(
        "eval.decision_dm",
        lang,
        id=view.id,
        model=escape(view.model_name),
        revision=escape(view.model_revision),
        status=t(f"eval.decided.{view.status}", lang),
        user=view.decided_by,
    )
    blocks = [section(text)]
    if view.reason:
        blocks += long_sections(t("eval.decision_reason", lang, text=escape(view.reason)))
    if view.embargo:
        blocks.append(context(t("eval.decision_embargo", lang, at=view.embargo)))
    return Message.of(text, blocks)


# --- publication and flags -----------------------------------------------------------------


def build_published(view: SubmissionView, lang: str) -> Message:
    """The results channel's post: headline scores, and a Flag button (open flags shown)."""
    title = t("eval.published.title", lang)
    blocks = [header(title), section(_meta(view, lang, "eval.published.meta"))]
    blocks += report_blocks(view, lang)[:2]  # the headline scores only
    if view.override_reason:  # readers must know it is not a standard run
        note = t("eval.published.override", lang, reason=escape(view.override_reason))
        blocks.append(context(note))
    for user, reason in view.flags:
        blocks.append(context(t("eval.flag.marker", lang, user=user, reason=escape(reason))))
    blocks.append(context(t("eval.published.confidential", lang)))
    button = ButtonElement(
        action_id=Ids.FLAG,
        text=t("eval.flag.button", lang),
        value=SubmissionRef(submission_id=view.id, lang=lang).model_dump_json(),
    )
    blocks.append(ActionsBlock(block_id="flag", elements=[button]))
    return Message.of(f"{title}: {escape(view.org_name)} {escape(view.model_name)}", blocks)


def build_published_dm(view: SubmissionView, channel: str, lang: str) -> Message:
    """The submitter's DM when an embargoed result goes out."""
    text = t(
        "eval.published_dm",
        lang,
        id=view.id,
        model=escape(view.model_name),
        revision=escape(view.model_revision),
        channel=channel,
    )
    return Message.of(text, [section(text)])


def build_flag_modal(ref: SubmissionRef, lang: str) -> View:
    return forms.modal(
        Ids.FLAG_SUBMIT,
        title=t("eval.flag.modal", lang),
        submit=t("eval.flag.submit", lang),
        close=t("eval.modal.close", lang),
        metadata=ref.model_copy(update={"lang": lang}).model_dump_json(),
        blocks=[
            forms.text(Ids.REASON, t("eval.flag.reason", lang), multiline=True, max_length=TEXT_MAX)
        ],
    )


def parse_flag(view: dict) -> str:
    reason = forms.typed(forms.values_of(view), Ids.REASON)
    if not reason:
        raise FormErrors({Ids.REASON: _error("eval.error.required")})
    return reason


class FlagRef(BaseModel):
    """The Resolve button's value: the flag."""

    flag_id: int


def build_flag_note(submission_id: int, flag_id: int, user: str, reason: str, lang: str) -> Message:
    """The operator channel's reply in the submission's thread, with a Resolve button."""
    text = t("eval.flag.operator", lang, id=submission_id, user=user, reason=escape(reason))
    button = ButtonElement(
        action_id=Ids.RESOLVE,
        text=t("eval.flag.resolve", lang),
        value=FlagRef(flag_id=flag_id).model_dump_json(),
    )
    return Message.of(text, [section(text), ActionsBlock(block_id="resolve", elements=[button])])


def build_flag_resolved(shown: list[dict], user: str, lang: str) -> Message:
    """The flag note once resolved: its button replaced by who resolved it."""
    kept = [block for block in shown if block.get("type") != "actions"]
    note = t("eval.flag.resolved", lang, user=user)
    return Message(text=note, blocks=kept + [context(note).to_dict()])


def build_status(views: list[SubmissionView], dates: list[str], lang: str) -> Message:
    """The `/eval status` reply: newest first, 15 shown, then how many more (older)."""
    title = t("eval.status.title", lang)
    if not views:
        text = t("eval.status.empty", lang)
        return Message.of(text, [header(title), section(text)])
    blocks = [header(title)]
    for view, date in list(zip(views, dates, strict=True))[:LIST_MAX]:
        line = t(
            "eval.status.line",
            lang,
            id=view.id,
            model=escape(view.model_name),
            revision=escape(view.model_revision),
            org=escape(view.org_name),
            status=t(f"eval.status.{view.status}", lang),
            date=date,
        )
        blocks.append(section(line))
        if view.decided_by:
            blocks.append(context(decided_note(view, lang)))
        blocks.append(divider())
    if len(views) > LIST_MAX:
        blocks.append(context(t("eval.status.more", lang, count=len(views) - LIST_MAX)))
    return Message.of(f"{title}: {len(views)}", blocks)
