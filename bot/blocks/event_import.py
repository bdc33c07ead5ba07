"""Block Kit for `/event import`: the "Import a calendar" modal (an `.ics` file, where to
announce, the zone for times without one) and its parser, and the operator's result DM (what
was created, updated, cancelled or left out, and which announcements Slack refused, with how
to fix them). Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import Message, escape, section, truncate
from bot.blocks.compute import FormErrors
from bot.blocks.event_forms import zone_select
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.ical_events import HORIZON_DAYS

FILE_TYPES = ["ics"]
LISTED_MAX = 20  # titles listed per outcome in the result DM
LABEL_MAX = 120  # a listed title with its date: 20 of them stay within a section's 3000


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
class NotAnnounced:
    """An event Slack refused to announce: its label, the channel, Slack's error code."""

    label: str
    channel: str
    code: str


@dataclass(frozen=True)
class ImportOutcome:
    """Labels (title and local start) per outcome of an import, in the result DM's order."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)  # imported before, cancelled now
    unchanged: list[str] = field(default_factory=list)
    kept_cancelled: list[str] = field(default_factory=list)  # cancelled in Kiban: left so
    started: list[str] = field(default_factory=list)  # already started: not imported
    cancelled_skipped: list[str] = field(default_factory=list)  # cancelled: not imported
    past: list[str] = field(default_factory=list)  # already ended: not imported
    later: list[str] = field(default_factory=list)  # repeating, no date before the horizon
    announced: list[str] = field(default_factory=list)  # filled after announcing
    not_announced: list[NotAnnounced] = field(default_factory=list)


def build_import_modal(default_zone: str, lang: str) -> View:
    zone_block = zone_select(Ids.ZONE, t("eventimport.zone", lang), default_zone, default_zone)
    return forms.modal(
        Ids.SUBMIT,
        title=t("eventimport.title", lang),
        submit=t("eventimport.submit", lang),
        close=t("event.modal.close", lang),
        metadata=ImportMeta(lang=lang).model_dump_json(),
        blocks=[
            section(t("eventimport.intro", lang)),
            forms.upload(Ids.FILE, t("eventimport.file", lang), FILE_TYPES),
            forms.conversation(
                Ids.CHANNEL,
                t("event.field.channel", lang),
                optional=True,
                hint=t("eventimport.channel_hint", lang),
            ),
            zone_block,
        ],
    )


def parse_import_submission(view: dict) -> ImportInput:
    """Raises FormErrors when there is not exactly one file."""
    values = forms.values_of(view)
    files = forms.uploaded(values, Ids.FILE)
    if len(files) != 1:
        error = UserError(t("eventimport.one_file", "en"), t("eventimport.one_file", "ja"))
        raise FormErrors({Ids.FILE: error})
    return ImportInput(
        file=files[0],
        channel=forms.picked_conversation(values, Ids.CHANNEL),
        default_zone=forms.chosen(values, Ids.ZONE) or "Asia/Tokyo",
    )


def build_import_result(outcome: ImportOutcome, channel: str | None, lang: str) -> Message:
    """The operator's DM: how many events were created, updated, cancelled, unchanged or left
    out (each listed), where new events were announced, and which announcements Slack refused
    (the channel, Slack's code) with how to announce them. One section per outcome, each
    within Slack's limits."""
    parts = []
    for key, labels in (
        ("created", outcome.created),
        ("updated", outcome.updated),
        ("cancelled", outcome.cancelled),
        ("unchanged", outcome.unchanged),
        ("kept_cancelled", outcome.kept_cancelled),
        ("started", outcome.started),
        ("cancelled_skipped", outcome.cancelled_skipped),
        ("past", outcome.past),
        ("later", outcome.later),
    ):
        if labels:
            head = t(f"eventimport.{key}", lang, count=len(labels), days=HORIZON_DAYS)
            parts.append(_listed(head, [f"• {_shown(label)}" for label in labels], lang))
    if channel and outcome.announced:
        parts.append(
            t("eventimport.announced", lang, channel=channel, count=len(outcome.announced))
        )
    if outcome.not_announced:
        head = t("eventimport.not_announced", lang, count=len(outcome.not_announced))
        items = [
            t(
                "eventimport.not_announced_item",
                lang,
                title=_shown(item.label),
                channel=item.channel,
                code=escape(item.code),
            )
            for item in outcome.not_announced
        ]
        parts.append(_listed(head, items, lang))
        parts.append(t("eventimport.not_announced_fix", lang))
    first = t("eventimport.done" if parts else "eventimport.nothing", lang)
    return Message.of(first, [section(text) for text in [first, *parts]])


def _listed(head: str, items: list[str], lang: str) -> str:
    lines = [head, *items[:LISTED_MAX]]
    if len(items) > LISTED_MAX:
        lines.append(t("event.list.more", lang, count=len(items) - LISTED_MAX))
    return "\n".join(lines)


def _shown(label: str) -> str:
    return escape(truncate(label, LABEL_MAX))
