"""Block Kit for usage files sent to Kiban in Slack: the preview with Import / Cancel, and the
message it becomes once decided."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel
from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.blocks.common import Message, context, escape, header, section
from bot.blocks.compute import hours
from bot.i18n import t

SKIPPED_SHOWN = 10


class Ids(StrEnum):
    IMPORT = "compute.upload.import"
    CANCEL = "compute.upload.cancel"


class PendingRef(BaseModel):
    """The buttons' value: which pending import."""

    pending_id: int


@dataclass(frozen=True)
class PreviewLine:
    allocation: str
    month: str
    before: float | None  # the current figure it replaces, if any
    after: float
    status: str  # created | revised | unchanged | duplicate


@dataclass(frozen=True)
class Preview:
    pending_id: int
    filename: str
    file_format: str
    org_name: str
    rows_read: int
    lines: list[PreviewLine]
    skipped: list[tuple[int, str, str]]  # (line, en, ja)
    notes: list[tuple[str, str]]  # other remarks (en, ja), e.g. jobs of another GPU type


def build_preview(preview: Preview, lang: str) -> Message:
    """What the file holds and what Import would change; nothing is stored yet."""
    title = t("upload.preview.title", lang, filename=preview.filename)
    blocks = [
        header(title),
        section(
            t(
                "upload.preview.intro",
                lang,
                format=t(f"compute.source.{preview.file_format}", lang),
                org=escape(preview.org_name),
                rows=f"{preview.rows_read:,}",
            )
        ),
    ]
    changes = []
    for line in preview.lines:
        key = (
            "upload.line.replaces"
            if line.before is not None and line.status == "revised"
            else (
                "upload.line.same"
                if line.status in ("unchanged", "duplicate")
                else "upload.line.new"
            )
        )
        changes.append(
            t(
                key,
                lang,
                allocation=escape(line.allocation),
                month=line.month,
                after=hours(line.after, lang),
                before=hours(line.before, lang),
            )
        )
    blocks.append(section("\n".join(changes) if changes else t("upload.preview.nothing", lang)))
    remarks = [en if lang == "en" else ja for en, ja in preview.notes]
    remarks += [
        t("upload.skipped", lang, line=line, reason=escape(en if lang == "en" else ja))
        for line, en, ja in preview.skipped[:SKIPPED_SHOWN]
    ]
    if len(preview.skipped) > SKIPPED_SHOWN:
        remarks.append(t("upload.more_skipped", lang, count=len(preview.skipped) - SKIPPED_SHOWN))
    if remarks:
        blocks.append(context("\n".join(remarks)))
    value = PendingRef(pending_id=preview.pending_id).model_dump_json()
    buttons = [ButtonElement(action_id=Ids.CANCEL, text=t("upload.cancel", lang), value=value)]
    if any(line.status in ("created", "revised") for line in preview.lines):
        buttons.insert(
            0,
            ButtonElement(
                action_id=Ids.IMPORT, text=t("upload.import", lang), value=value, style="primary"
            ),
        )
    blocks.append(ActionsBlock(block_id="upload", elements=buttons))
    return Message.of(title, blocks)


def build_decided(shown: list[dict], text: str) -> Message:
    """The preview once decided: its buttons replaced by what happened."""
    kept = [block for block in shown if block.get("type") != "actions"]
    return Message(text=text, blocks=kept + [context(text).to_dict()])
