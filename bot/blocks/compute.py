"""Block Kit for compute usage: the report modal and its parser, confirmations, channel posts.
Pure: no I/O. The `/compute status` reply lives in `bot.blocks.compute_status` and is
re-exported here (`AllocationStatus`, `build_status`). Ids live in `Ids`; button values and private_metadata are small
pydantic models (add fields, never rename: buttons stay clickable forever).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.common import Message, context, escape, header, long_sections, section
from bot.blocks.compute_status import AllocationStatus as AllocationStatus
from bot.blocks.compute_status import build_status as build_status
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.months import parse_month
from bot.parsing.numbers import format_gpu_hours, parse_gpu_hours
from bot.parsing.text import blank

TEXT_MAX = 3000


class Ids(StrEnum):
    REPORT_SUBMIT = "compute.report.submit"
    ORG = "org"
    MONTH = "month"
    ALLOCATION = "allocation"
    GPU_HOURS = "gpu_hours"
    PROGRESS = "progress"
    ISSUES = "issues"
    IMPROVEMENT = "improvement_plan"
    INPUT = "value"


TEXT_FIELDS = (
    (Ids.PROGRESS, "compute.field.progress"),
    (Ids.ISSUES, "compute.field.issues"),
    (Ids.IMPROVEMENT, "compute.field.improvement_plan"),
)


@dataclass(frozen=True)
class OrgChoice:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class AllocationChoice:
    id: int
    org_id: int
    label: str  # "ABCI (H100)"


@dataclass(frozen=True)
class Prefill:
    """The current report shown in the modal, so a correction does not wipe its notes."""

    gpu_hours: float
    revision: int
    progress: str | None
    issues: str | None
    improvement_plan: str | None


@dataclass(frozen=True)
class ReportForm:
    """What the modal offers: the user's organizations and their allocations, and the current
    report for the default month when only one allocation can be chosen."""

    orgs: list[OrgChoice]
    allocations: list[AllocationChoice]
    default_month: str  # YYYY-MM
    prefill: Prefill | None = None


@dataclass(frozen=True)
class ReportInput:
    """A parsed, well-formed submission (rules needing the database are checked by the service)."""

    org_id: int
    allocation_id: int
    month: str  # YYYY-MM
    gpu_hours: float
    progress: str | None
    issues: str | None
    improvement_plan: str | None


class ReportMeta(BaseModel):
    """The modal's private_metadata: the single organization (when not a select), language,
    and what was filled in from a current report (its month, allocation, and a digest of each
    filled field, so a value left unchanged can be recognised without storing the text)."""

    org_id: int | None = None
    lang: str = "ja"
    prefill_month: str | None = None
    prefill_allocation: int | None = None
    prefill_digests: dict[str, str] = {}


def _digest(text: str | None) -> str:
    return hashlib.sha256((text or "").strip().encode()).hexdigest()[:16]


class FormErrors(Exception):
    """Inline errors for a modal: block_id → UserError."""

    def __init__(self, errors: dict[str, UserError]):
        super().__init__(", ".join(errors))
        self.errors = errors

    def for_slack(self, lang: str) -> dict[str, str]:
        """The `errors` object of `response_action: errors`, in `lang`."""
        return {block_id: error.message(lang) for block_id, error in self.errors.items()}


def _option(text: str, value: str) -> Option:
    return Option(text=PlainTextObject(text=text[:75]), value=value)


def build_report_modal(form: ReportForm, lang: str) -> View:
    """The "Report compute usage" modal (callback id `compute.report.submit`)."""
    prefill = form.prefill
    blocks = [section(t("compute.modal.intro", lang))]
    if prefill:
        blocks.append(
            context(
                t(
                    "compute.modal.prefilled",
                    lang,
                    month=form.default_month,
                    revision=prefill.revision,
                )
            )
        )
    several_orgs = len(form.orgs) > 1
    org_codes = {org.id: org.code for org in form.orgs}
    if several_orgs:
        blocks.append(
            InputBlock(
                block_id=Ids.ORG,
                label=t("compute.field.org", lang),
                element=StaticSelectElement(
                    action_id=Ids.INPUT,
                    options=[_option(f"{o.name} ({o.code})", str(o.id)) for o in form.orgs],
                ),
            )
        )
    else:
        org = form.orgs[0]
        blocks.append(context(f"*{t('compute.field.org', lang)}:* {escape(org.name)}"))
    blocks.append(
        InputBlock(
            block_id=Ids.MONTH,
            label=t("compute.field.month", lang),
            hint=t("compute.field.month_hint", lang, example=form.default_month),
            element=PlainTextInputElement(
                action_id=Ids.INPUT, initial_value=form.default_month, max_length=20
            ),
        )
    )
    options = [
        _option(f"{org_codes[a.org_id]} · {a.label}" if several_orgs else a.label, str(a.id))
        for a in form.allocations
    ]
    blocks.append(
        InputBlock(
            block_id=Ids.ALLOCATION,
            label=t("compute.field.allocation", lang),
            element=StaticSelectElement(
                action_id=Ids.INPUT,
                options=options,
                initial_option=options[0] if len(options) == 1 else None,
            ),
        )
    )
    blocks.append(
        InputBlock(
            block_id=Ids.GPU_HOURS,
            label=t("compute.field.gpu_hours", lang),
            hint=t("compute.field.gpu_hours_hint", lang),
            element=PlainTextInputElement(
                action_id=Ids.INPUT,
                max_length=30,
                initial_value=_prefilled_values(prefill, lang)[Ids.GPU_HOURS] if prefill else None,
            ),
        )
    )
    for block_id, label_key in TEXT_FIELDS:
        blocks.append(
            InputBlock(
                block_id=block_id,
                label=t(label_key, lang),
                optional=True,
                element=PlainTextInputElement(
                    action_id=Ids.INPUT,
                    multiline=True,
                    max_length=TEXT_MAX,
                    initial_value=getattr(prefill, block_id, None) or None,
                ),
            )
        )
    meta = ReportMeta(org_id=None if several_orgs else form.orgs[0].id, lang=lang)
    if prefill:
        meta.prefill_month = form.default_month
        meta.prefill_allocation = form.allocations[0].id
        meta.prefill_digests = {
            block_id: _digest(value)
            for block_id, value in _prefilled_values(prefill, lang).items()
            if value
        }
    return View(
        type="modal",
        callback_id=Ids.REPORT_SUBMIT,
        title=t("compute.modal.title", lang),
        submit=t("compute.modal.submit", lang),
        close=t("compute.modal.close", lang),
        private_metadata=meta.model_dump_json(),
        blocks=blocks,
    )


def _prefilled_values(prefill: Prefill, lang: str) -> dict[str, str | None]:
    return {
        Ids.GPU_HOURS: format_gpu_hours(prefill.gpu_hours, lang),
        Ids.PROGRESS: prefill.progress,
        Ids.ISSUES: prefill.issues,
        Ids.IMPROVEMENT: prefill.improvement_plan,
    }


def _value(values: dict, block_id: str) -> dict:
    return values.get(block_id, {}).get(Ids.INPUT, {}) or {}


def parse_report_submission(view: dict) -> tuple[ReportMeta, ReportInput]:
    """Read a submitted report modal (`view` from the view_submission payload).

    Returns the metadata and the input. Raises:
        FormErrors: block_id → UserError for every field that is wrong, all at once.
    """
    meta = ReportMeta.model_validate_json(view.get("private_metadata") or "{}")
    values = view.get("state", {}).get("values", {})
    errors: dict[str, UserError] = {}
    lang_text = lambda key, **kw: UserError(t(key, "en", **kw), t(key, "ja", **kw))  # noqa: E731

    org_id = meta.org_id
    if org_id is None:
        selected = _value(values, Ids.ORG).get("selected_option")
        if selected:
            org_id = int(selected["value"])
        else:
            errors[Ids.ORG] = lang_text("compute.error.pick_org")

    month = None
    try:
        month = parse_month(_value(values, Ids.MONTH).get("value") or "").strftime("%Y-%m")
    except UserError as error:
        errors[Ids.MONTH] = error

    allocation = _value(values, Ids.ALLOCATION).get("selected_option")
    if not allocation:
        errors[Ids.ALLOCATION] = lang_text("compute.error.pick_allocation")

    gpu_hours = None
    try:
        gpu_hours = parse_gpu_hours(_value(values, Ids.GPU_HOURS).get("value") or "")
    except UserError as error:
        errors[Ids.GPU_HOURS] = error

    texts: dict[str, str | None] = {}
    for block_id, _label in TEXT_FIELDS:
        text = (_value(values, block_id).get("value") or "").strip()
        text = None if blank(text) else text
        if text and len(text) > TEXT_MAX:
            errors[block_id] = lang_text("compute.error.too_long", count=f"{len(text):,}")
        texts[block_id] = text

    moved = meta.prefill_month and (
        month != meta.prefill_month
        or (allocation and int(allocation["value"]) != meta.prefill_allocation)
    )
    if moved and month:  # a value filled in for another month left as it was
        raw = {block_id: _value(values, block_id).get("value") for block_id in meta.prefill_digests}
        for block_id, digest in meta.prefill_digests.items():
            if raw[block_id] and _digest(raw[block_id]) == digest and block_id not in errors:
                errors[block_id] = lang_text(
                    "compute.error.prefilled_elsewhere", source=meta.prefill_month, month=month
                )

    if errors:
        raise FormErrors(errors)
    return meta, ReportInput(
        org_id=org_id,
        allocation_id=int(allocation["value"]),
        month=month,
        gpu_hours=gpu_hours,
        progress=texts[Ids.PROGRESS],
        issues=texts[Ids.ISSUES],
        improvement_plan=texts[Ids.IMPROVEMENT],
    )


# --- messages -------------------------------------------------------------------------------


def hours(value: float | None, lang: str) -> str:
    """GPU-hours for display (`1,200.5`), or "no plan" for None."""
    return t("compute.no_plan", lang) if value is None else format_gpu_hours(value, lang)


@dataclass(frozen=True)
class ReportSummary:
    """What a stored report says, for confirmations and channel posts (user text unescaped)."""

    org_name: str
    allocation: str
    month: str
    gpu_hours: float
    plan: float | None
    reporter: str
    revision: int
    previous: float | None
    progress: str | None
    issues: str | None
    improvement_plan: str | None


def build_confirmation(summary: ReportSummary, status: str, lang: str) -> Message:
    """The reporter's DM: recorded / revised / unchanged."""
    params = dict(
        org=escape(summary.org_name),
        allocation=escape(summary.allocation),
        month=summary.month,
        hours=hours(summary.gpu_hours, lang),
        revision=summary.revision,
        previous=hours(summary.previous, lang),
    )
    text = t(f"compute.confirm.{status}", lang, **params)
    return Message.of(text, [section(text)])


def build_channel_summary(summary: ReportSummary, lang: str) -> Message:
    """The organization channel's post: figures and notes (escaped: they stay inert)."""
    line = t(
        "compute.channel.summary",
        lang,
        user=summary.reporter,
        hours=hours(summary.gpu_hours, lang),
        month=summary.month,
        allocation=escape(summary.allocation),
        plan=hours(summary.plan, lang),
    )
    blocks = [header(t("compute.channel.title", lang)), section(line)]
    for label_key, text in (
        ("compute.field.progress", summary.progress),
        ("compute.field.issues", summary.issues),
        ("compute.field.improvement_plan", summary.improvement_plan),
    ):
        if text:
            blocks.append(section(f"*{t(label_key, lang)}*"))
            blocks += long_sections(escape(text))
    if summary.revision > 1:
        blocks.append(
            context(
                t(
                    "compute.channel.revised",
                    lang,
                    revision=summary.revision,
                    previous=hours(summary.previous, lang),
                )
            )
        )
    return Message.of(line, blocks)


def build_import_channel_post(
    source: str, allocation: str, months: dict[str, float], lang: str
) -> Message:
    """The organization channel's note after an import (`source`: sacct, focus, csv):
    GPU-hours per month now on record."""
    listed = ", ".join(f"{m}: {hours(v, lang)}" for m, v in sorted(months.items()))
    text = t(
        "compute.channel.imported",
        lang,
        source=t(f"compute.source.{source}", lang),
        allocation=escape(allocation),
        months=listed,
    )
    return Message.of(text, [section(text)])


def build_text(text: str) -> Message:
    """A plain one-section message (help texts, refusals, errors)."""
    return Message.of(text, [section(text)])
