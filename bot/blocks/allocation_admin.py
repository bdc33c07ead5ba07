"""Block Kit for the operators' allocation management (`/compute admin`): the list of
allocations with an edit button each, and the "New allocation" / "Edit allocation" modal with
its parser. Pure: no I/O. Button values and private_metadata are small pydantic models."""

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
from bot.blocks.common import Message, context, escape, header, long_sections, section
from bot.blocks.compute import FormErrors, OrgChoice
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.numbers import format_gpu_hours as hours
from bot.parsing.numbers import parse_gpu_hours, plain_number
from bot.parsing.plans import format_plan_lines, parse_plan_lines
from bot.parsing.text import normalize_input

__all__ = ["FormErrors"]

BUTTONS_PER_ACTIONS = 25  # Slack's limit on an actions block's elements
PLANS_MAX_CHARS = 3000


class Ids(StrEnum):
    SUBMIT = "allocations.admin.submit"
    EDIT = "allocations.admin.edit"
    NEW = "allocations.admin.new"
    ORG = "org"
    PROVIDER = "provider"
    GPU_TYPE = "gpu_type"
    GRANTED = "granted"
    START = "start"
    END = "end"
    PLANS = "plans"


class AdminMeta(BaseModel):
    """The modal's private_metadata (and the buttons' value): which allocation, in what
    language; `allocation_id` None for a new one."""

    lang: str = "ja"
    allocation_id: int | None = None


@dataclass(frozen=True)
class AllocationView:
    """An existing allocation as the list and the edit modal show it."""

    id: int
    org_name: str
    org_code: str
    provider: str
    gpu_type: str
    granted: float
    start: date
    end: date
    plans: dict[str, float]

    @property
    def label(self) -> str:
        return f"{self.provider} ({self.gpu_type})"


@dataclass(frozen=True)
class AllocationInput:
    """A well-formed submission. For an edit, org/provider/GPU type/start are None (kept)."""

    allocation_id: int | None
    org_id: int | None
    provider: str | None
    gpu_type: str | None
    granted: float
    start: date | None
    end: date
    plans: dict[str, float]


def _error(key: str, **params: object) -> UserError:
    return UserError(t(key, "en", **params), t(key, "ja", **params))


def build_admin_list(allocations: list[AllocationView], lang: str) -> Message:
    """The `/compute admin` reply: allocations by organization, an edit button each (labelled
    `ORG: provider (GPU)`, unique), and a "New allocation" button."""
    title = t("alloc.admin.title", lang)
    new = ButtonElement(
        action_id=Ids.NEW,
        text=t("alloc.admin.new_button", lang),
        value=AdminMeta(lang=lang).model_dump_json(),
        style="primary",
    )
    blocks = [header(title), section(t("alloc.admin.intro", lang))]
    if not allocations:
        blocks.append(section(t("alloc.admin.none", lang)))
    lines = [
        "• "
        + t(
            "alloc.admin.line",
            lang,
            label=f"*{escape(a.org_code)}* {escape(a.label)}",
            granted=hours(a.granted, lang),
            start=a.start.isoformat(),
            end=a.end.isoformat(),
            planned=hours(sum(a.plans.values()), lang),
        )
        for a in allocations
    ]
    if lines:
        blocks += long_sections("\n".join(lines))  # split at lines, never cut
    buttons = [
        ButtonElement(
            action_id=f"{Ids.EDIT}:{a.id}",
            text=f"{a.org_code}: {a.label}"[:75],
            value=AdminMeta(lang=lang, allocation_id=a.id).model_dump_json(),
        )
        for a in allocations
    ] + [new]
    for start in range(0, len(buttons), BUTTONS_PER_ACTIONS):
        blocks.append(ActionsBlock(elements=buttons[start : start + BUTTONS_PER_ACTIONS]))
    return Message.of(title, blocks)


def build_admin_modal(orgs: list[OrgChoice], existing: AllocationView | None, lang: str) -> View:
    """The allocation modal (callback id `allocations.admin.submit`): for a new allocation,
    organization, provider, GPU type, grant, period and plan; for an existing one, the grant,
    end date and plan, prefilled."""
    meta = AdminMeta(lang=lang, allocation_id=existing.id if existing else None)
    blocks: list = [section(t("alloc.admin.intro", lang))]
    if existing is None:
        options = [forms.option(f"{o.name} ({o.code})", str(o.id)) for o in orgs]
        blocks += [
            forms.select(Ids.ORG, t("alloc.field.org", lang), options),
            forms.text(Ids.PROVIDER, t("alloc.field.provider", lang), max_length=100),
            forms.text(Ids.GPU_TYPE, t("alloc.field.gpu_type", lang), max_length=50),
        ]
    else:
        editing = t(
            "alloc.modal.editing",
            lang,
            org=escape(existing.org_name),
            label=escape(existing.label),
            start=existing.start.isoformat(),
        )
        blocks.append(context(editing))
    granted = plain_number(existing.granted) if existing else None
    blocks.append(forms.text(Ids.GRANTED, t("alloc.field.granted", lang), initial=granted))
    if existing is None:
        blocks.append(forms.day(Ids.START, t("alloc.field.start", lang)))
    blocks += [
        forms.day(Ids.END, t("alloc.field.end", lang), initial=existing.end if existing else None),
        forms.text(
            Ids.PLANS,
            t("alloc.field.plans", lang),
            multiline=True,
            max_length=PLANS_MAX_CHARS,
            initial=format_plan_lines(existing.plans) if existing else None,
            optional=True,
            hint=t("alloc.field.plans_hint", lang),
        ),
    ]
    return forms.modal(
        Ids.SUBMIT,
        title=t("alloc.modal.title_edit" if existing else "alloc.modal.title_new", lang),
        submit=t("alloc.modal.submit", lang),
        close=t("alloc.modal.close", lang),
        metadata=meta.model_dump_json(),
        blocks=blocks,
    )


def meta_of(view: dict) -> AdminMeta:
    return AdminMeta.model_validate_json(view.get("private_metadata") or "{}")


def parse_admin_submission(view: dict) -> tuple[AdminMeta, AllocationInput]:
    """Read the allocation modal. Checks each field's shape, the period's order and that
    plan months lie in it; the grant against the plan total is the service's (it knows the
    stored plans). Raises FormErrors with every wrong field at once."""
    meta = meta_of(view)
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    new = meta.allocation_id is None

    org_id = provider = gpu_type = start = None
    if new:
        selected = forms.chosen(values, Ids.ORG)
        if selected is None:
            errors[Ids.ORG] = _error("alloc.error.pick_org")
        else:
            org_id = int(selected)
        provider = normalize_input(forms.typed(values, Ids.PROVIDER))
        gpu_type = normalize_input(forms.typed(values, Ids.GPU_TYPE))
        for block_id, text in ((Ids.PROVIDER, provider), (Ids.GPU_TYPE, gpu_type)):
            if not text:
                errors[block_id] = _error("alloc.error.required")
        start = forms.picked_date(values, Ids.START)
        if start is None:
            errors[Ids.START] = _error("alloc.error.required")

    granted = 0.0
    try:
        granted = parse_gpu_hours(forms.typed(values, Ids.GRANTED))
    except UserError as error:
        errors[Ids.GRANTED] = error
    end = forms.picked_date(values, Ids.END)
    if end is None:
        errors[Ids.END] = _error("alloc.error.required")
    elif start is not None and end < start:
        errors[Ids.END] = _error("alloc.error.end_before_start")

    plans: dict[str, float] = {}
    try:
        plans = parse_plan_lines(forms.typed(values, Ids.PLANS))
    except UserError as error:
        errors[Ids.PLANS] = error
    if errors:
        raise FormErrors(errors)
    return meta, AllocationInput(
        allocation_id=meta.allocation_id,
        org_id=org_id,
        provider=provider,
        gpu_type=gpu_type,
        granted=granted,
        start=start,
        end=end,
        plans=plans,
    )


def build_saved(view: AllocationView, lang: str) -> Message:
    """The operator's DM after saving: the allocation as it now stands."""
    text = t(
        "alloc.saved",
        lang,
        org=escape(view.org_name),
        label=escape(view.label),
        start=view.start.isoformat(),
        end=view.end.isoformat(),
        granted=hours(view.granted, lang),
        planned=hours(sum(view.plans.values()), lang),
        months=len(view.plans),
    )
    return Message.of(text, [section(text)])
