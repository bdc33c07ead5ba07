"""Block Kit for instructions (指示): the "Issue an instruction" modal and its parser, the DM
with its Acknowledge button, the organization channel's copy, the operator note, the
reminder and the `/compute instructions` list. Pure: no I/O. Button values and
private_metadata are small pydantic models (add fields, never rename: buttons stay clickable).
"""

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
from bot.blocks.compute import FormErrors, OrgChoice
from bot.errors import UserError
from bot.i18n import t

__all__ = ["FormErrors"]

TITLE_MAX = 150  # the header block's limit, so the title is shown whole
BODY_MAX = 3000
LIST_MAX = 20


class Ids(StrEnum):
    SUBMIT = "instructions.issue.submit"
    ACK = "instructions.ack"
    ORG = "org"
    TITLE = "title"
    BODY = "body"
    DUE = "due"
    INPUT = forms.INPUT


class InstructionAck(BaseModel):
    """The Acknowledge button's value."""

    instruction_id: int


class InstructMeta(BaseModel):
    """The modal's private_metadata: the language it was rendered in."""

    lang: str = "ja"


@dataclass(frozen=True)
class InstructionInput:
    """A well-formed submission (the due date against today is checked by the service)."""

    org_id: int
    title: str
    body: str
    due_date: date


@dataclass(frozen=True)
class InstructionView:
    """What an instruction says, for messages (user text unescaped)."""

    instruction_id: int
    org_name: str
    title: str
    body: str
    due_date: date
    issued_by: str


def _error(key: str, **params: object) -> UserError:
    return UserError(t(key, "en", **params), t(key, "ja", **params))


def build_instruct_modal(orgs: list[OrgChoice], lang: str) -> View:
    """The "Issue an instruction" modal (callback id `instructions.issue.submit`): organization
    (at most 100, Slack's limit), title (≤150), body (≤3000), due date."""
    options = [forms.option(f"{o.name} ({o.code})", str(o.id)) for o in orgs]
    blocks = [
        section(t("instruction.modal.intro", lang)),
        forms.select(Ids.ORG, t("instruction.field.org", lang), options),
        forms.text(Ids.TITLE, t("instruction.field.title", lang), max_length=TITLE_MAX),
        forms.text(
            Ids.BODY, t("instruction.field.body", lang), multiline=True, max_length=BODY_MAX
        ),
        forms.day(Ids.DUE, t("instruction.field.due", lang)),
    ]
    return forms.modal(
        Ids.SUBMIT,
        title=t("instruction.modal.title", lang),
        submit=t("instruction.modal.submit", lang),
        close=t("instruction.modal.close", lang),
        metadata=InstructMeta(lang=lang).model_dump_json(),
        blocks=blocks,
    )


def meta_of(view: dict) -> InstructMeta:
    """The modal's metadata (language) from a submitted view."""
    return InstructMeta.model_validate_json(view.get("private_metadata") or "{}")


def parse_instruct_submission(view: dict) -> tuple[InstructMeta, InstructionInput]:
    """Read a submitted "Issue an instruction" modal.

    Returns the metadata and the input. Raises:
        FormErrors: block_id → UserError for every field that is wrong, all at once.
    """
    meta = meta_of(view)
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}

    selected = forms.chosen(values, Ids.ORG)
    if selected is None:
        errors[Ids.ORG] = _error("instruction.error.pick_org")

    texts = {}
    for block_id, limit in ((Ids.TITLE, TITLE_MAX), (Ids.BODY, BODY_MAX)):
        text = forms.typed(values, block_id)
        if not text:
            errors[block_id] = _error("instruction.error.required")
        elif len(text) > limit:
            errors[block_id] = _error(
                "instruction.error.too_long", limit=f"{limit:,}", count=f"{len(text):,}"
            )
        texts[block_id] = text

    due = forms.picked_date(values, Ids.DUE)
    if due is None:
        errors[Ids.DUE] = _error("instruction.error.pick_due")

    if errors:
        raise FormErrors(errors)
    return meta, InstructionInput(
        org_id=int(selected),
        title=texts[Ids.TITLE],
        body=texts[Ids.BODY],
        due_date=due,
    )


# --- messages -------------------------------------------------------------------------------


def _instruction_blocks(view: InstructionView, lang: str) -> list:
    meta = t(
        "instruction.message.meta",
        lang,
        org=escape(view.org_name),
        due=view.due_date.isoformat(),
        user=view.issued_by,
    )
    return [
        header(t("instruction.message.title", lang)),
        section(f"*{escape(view.title)}*"),
        *long_sections(escape(view.body)),
        context(meta),
    ]


def _ack_button(view: InstructionView, lang: str) -> ActionsBlock:
    return ActionsBlock(
        block_id="instruction",
        elements=[
            ButtonElement(
                action_id=Ids.ACK,
                text=t("instruction.ack_button", lang),
                value=InstructionAck(instruction_id=view.instruction_id).model_dump_json(),
                style="primary",
            )
        ],
    )


def _fallback(view: InstructionView, lang: str) -> str:
    return f"{t('instruction.message.title', lang)}: {escape(view.title)} ({view.due_date})"


def build_instruction_dm(view: InstructionView, lang: str) -> Message:
    """The DM to an organization lead: the instruction and an Acknowledge button."""
    return Message.of(
        _fallback(view, lang), _instruction_blocks(view, lang) + [_ack_button(view, lang)]
    )


def build_channel_copy(view: InstructionView, leads: str, lang: str) -> Message:
    """The organization channel's copy (no button), naming the leads asked to acknowledge."""
    note = t("instruction.channel_copy", lang, leads=leads)
    return Message.of(_fallback(view, lang), _instruction_blocks(view, lang) + [context(note)])


def build_operator_note(view: InstructionView, leads: str, lang: str) -> Message:
    """The operator channel's one-line note that an instruction was issued, and to whom."""
    text = t(
        "instruction.operator_note",
        lang,
        user=view.issued_by,
        org=escape(view.org_name),
        title=escape(view.title),
        due=view.due_date.isoformat(),
        leads=leads,
    )
    return Message.of(text, [section(text)])


def build_acknowledged(original_blocks: list[dict], user: str, lang: str) -> Message:
    """The DM after acknowledgement: its buttons replaced by who acknowledged."""
    kept = [block for block in original_blocks if block.get("type") != "actions"]
    note = t("instruction.acknowledged", lang, user=user)
    return Message(text=note, blocks=kept + [context(note).to_dict()])


def build_reminder(view: InstructionView, lang: str) -> Message:
    """The reminder DM the day before the due date, with the Acknowledge button again."""
    intro = t("instruction.reminder.intro", lang, due=view.due_date.isoformat())
    blocks = [header(t("instruction.reminder.title", lang)), section(intro)]
    blocks += _instruction_blocks(view, lang)[1:] + [_ack_button(view, lang)]
    return Message.of(f"{t('instruction.reminder.title', lang)}: {escape(view.title)}", blocks)


def build_reminder_no_leads(view: InstructionView, lang: str) -> Message:
    """For the operator channel: an instruction due tomorrow whose organization has no lead."""
    text = t(
        "instruction.reminder.no_leads",
        lang,
        org=escape(view.org_name),
        title=escape(view.title),
        due=view.due_date.isoformat(),
    )
    return Message.of(text, [section(text)])


def build_open_list(views: list[InstructionView], today: date, lang: str) -> Message:
    """The `/compute instructions` reply: open instructions by due date (at most 20 shown)."""
    title = t("instruction.list.title", lang)
    if not views:
        text = t("instruction.list.empty", lang)
        return Message.of(text, [header(title), section(text)])
    blocks = [header(title)]
    for view in views[:LIST_MAX]:
        due = view.due_date.isoformat()
        if view.due_date < today:
            due += f" ({t('instruction.list.overdue', lang)})"
        line = t(
            "instruction.list.line",
            lang,
            title=escape(view.title),
            org=escape(view.org_name),
            due=due,
            user=view.issued_by,
        )
        blocks += [section(line), divider()]
    if len(views) > LIST_MAX:
        blocks.append(context(t("instruction.list.more", lang, count=len(views) - LIST_MAX)))
    return Message.of(f"{title}: {len(views)}", blocks)
