"""Block Kit for `/event import`: the "Import a calendar" modal (an `.ics` file, where to
announce, the zone for times without one) and its parser, and the operator's result DM.
Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import Message, escape, section
from bot.blocks.compute import FormErrors
from bot.blocks.event_forms import ZONES
from bot.errors import UserError
from bot.i18n import t

FILE_TYPES = ["ics"]
LISTED_MAX = 20  # titles listed per outcome in the result DM


class Ids:
    SUBMIT = "event.import.submit"
    FILE = "file"
    CHANNEL = "channel"
    ZONE = "timezone"


class ImportMeta(BaseModel):
    lang: str = "ja"


@dataclass(frozen=True)
class ImportInput:
    file: dict  # Slack's file object
    channel: str | None
    default_zone: str


@dataclass(frozen=True)
class ImportOutcome:
    """Titles (with their local start) per outcome of an import."""

    created: list[str]
    updated: list[str]
    unchanged: list[str]
    started: list[str]  # already started: not imported


def build_import_modal(default_zone: str, lang: str) -> View:
    zones = [default_zone] + [z for z in ZONES if z != default_zone]
    zone_block = forms.select(Ids.ZONE, t("event.import.zone", lang), [])
    zone_block.element.options = [forms.option(z, z) for z in zones]
    zone_block.element.initial_option = zone_block.element.options[0]
    return forms.modal(
        Ids.SUBMIT,
        title=t("event.import.title", lang),
        submit=t("event.import.submit", lang),
        close=t("event.modal.close", lang),
        metadata=ImportMeta(lang=lang).model_dump_json(),
        blocks=[
            section(t("event.import.intro", lang)),
            forms.upload(Ids.FILE, t("event.import.file", lang), FILE_TYPES),
            forms.conversation(
                Ids.CHANNEL,
                t("event.field.channel", lang),
                optional=True,
                hint=t("event.import.channel_hint", lang),
            ),
            zone_block,
        ],
    )


def parse_import_submission(view: dict) -> ImportInput:
    """Raises FormErrors when there is not exactly one file."""
    values = forms.values_of(view)
    files = forms.uploaded(values, Ids.FILE)
    if len(files) != 1:
        error = UserError(t("event.import.one_file", "en"), t("event.import.one_file", "ja"))
        raise FormErrors({Ids.FILE: error})
    return ImportInput(
        file=files[0],
        channel=forms.picked_conversation(values, Ids.CHANNEL),
        default_zone=forms.chosen(values, Ids.ZONE) or "Asia/Tokyo",
    )


def build_import_result(outcome: ImportOutcome, channel: str | None, lang: str) -> Message:
    """The operator's DM: how many events were created, updated, unchanged or skipped."""
    lines = [t("event.import.done", lang)]
    for key, titles in (
        ("created", outcome.created),
        ("updated", outcome.updated),
        ("unchanged", outcome.unchanged),
        ("started", outcome.started),
    ):
        if not titles:
            continue
        lines.append(t(f"event.import.{key}", lang, count=len(titles)))
        lines += [f"• {escape(title)}" for title in titles[:LISTED_MAX]]
        if len(titles) > LISTED_MAX:
            lines.append(t("event.list.more", lang, count=len(titles) - LISTED_MAX))
    if channel and outcome.created:
        lines.append(t("event.import.announced", lang, channel=channel))
    return Message.of(lines[0], [section("\n".join(lines))])
