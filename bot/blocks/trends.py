"""Block Kit for collecting trend items (issue #8): the `/trend list` reply (operators get a
theme menu per item), the **Add to trend report** modal of the message shortcut and its
confirmation, and the feed reports to the operator channel. Pure: no I/O.

Notes are stored one contribution per line, `[U123] text` (who added it, then what they
wrote); a line from a feed has no prefix. They are shown escaped, the prefix as a mention.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from pydantic import BaseModel
from slack_sdk.models.blocks import Option, PlainTextObject, StaticSelectElement
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import (
    SECTION_TEXT_MAX,
    Message,
    context,
    escape,
    header,
    link_target,
    section,
    truncate,
)
from bot.blocks.compute import FormErrors
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.text import check_chars
from bot.parsing.urls import normalize_url
from storage.trends import TrendTheme

LIST_MAX = 40  # header, hint, 40 items, "more": within Slack's 50 blocks per message
NOTE_MAX = 1000  # one person's note
NOTE_SHOWN = 300  # of all notes, in a list
THEMES = tuple(TrendTheme)
NOTE_LINE = re.compile(r"^\[([UW][A-Z0-9]+)\](?: (.*))?$")


class Ids:
    SHORTCUT = "trend.add_from_message"  # the message shortcut's callback id
    SUBMIT = "trend.add_submit"  # the modal's callback id
    DONE = "trend.added"  # the confirmation view
    THEME = "trend.theme"  # the operators' theme menu (action id)
    URL = "url"
    NOTE = "note"


class AddMeta(BaseModel):
    """The modal's private_metadata: language and the message the link came from."""

    lang: str = "ja"
    channel: str | None = None
    ts: str | None = None


@dataclass(frozen=True)
class AddInput:
    url: str
    note: str


@dataclass(frozen=True)
class ItemView:
    """A trend item as a list shows it."""

    id: int
    url: str  # the link as given (the address people open)
    title: str
    theme: str
    theme_by: str
    source: str
    feed: str
    added_by: str | None
    note: str
    month: str
    summary: dict = field(default_factory=dict)


def theme_label(theme: str, lang: str) -> str:
    """The theme's name in `lang` ("Other" for an unknown one)."""
    key = theme if theme in {th.value for th in THEMES} else TrendTheme.OTHER.value
    return t(f"trend.theme.{key}", lang)


def link(url: str, label: str | None = None) -> str:
    """A mrkdwn link to `url` showing `label` (escaped; the URL itself when None)."""
    target = link_target(url)
    shown = escape(label or url)
    return f"<{target}|{shown}>"


def note_text(note: str) -> str:
    """The stored notes as mrkdwn: each line escaped, its `[U123]` prefix a mention."""
    lines = []
    for line in (note or "").splitlines():
        found = NOTE_LINE.match(line)
        if found:
            text = escape(found[2] or "")
            lines.append(f"<@{found[1]}> {text}".rstrip())
        elif line.strip():
            lines.append(escape(line))
    return "\n".join(lines)


def note_line(user_id: str | None, note: str) -> str:
    """One stored contribution: `[U123] note` (the note on one line)."""
    text = " ".join(note.split())
    return f"[{user_id}] {text}".rstrip() if user_id else text


def _source(item: ItemView, lang: str) -> str:
    if item.source == "feed":
        return t("trend.source.feed", lang, feed=escape(truncate(item.feed, 80)))
    if item.added_by:
        return t("trend.list.added_by", lang, who=f"<@{item.added_by}>")
    return t(f"trend.source.{item.source}", lang) if item.source in ("command", "shortcut") else ""


def item_text(item: ItemView, lang: str, *, operator: bool) -> str:
    """An item's section: its link (title, else the URL), its theme (members; operators see
    it in the menu, and here who decided it) and who added it, the summary in `lang` when the
    LLM wrote one, then the notes; within 3000 characters."""
    facts = [_source(item, lang)]
    if not operator:
        facts.insert(0, theme_label(item.theme, lang))
    elif item.theme_by in ("llm", "rules", "operator"):  # the menu shows the theme itself
        facts.append(t(f"trend.theme_by.{item.theme_by}", lang))
    lines = [f"*{link(item.url, item.title or item.url)}*", " · ".join(f for f in facts if f)]
    summary = (item.summary or {}).get(lang)
    if summary:
        lines.append(escape(summary))
    notes = truncate(note_text(item.note), NOTE_SHOWN)
    text = "\n".join([*lines, notes] if notes else lines)
    if len(text) > SECTION_TEXT_MAX:  # a very long link: leave the notes out, never cut it
        text = "\n".join(lines)
    if len(text) > SECTION_TEXT_MAX:
        text = "\n".join([f"*{link(item.url, truncate(item.title or 'link', 200))}*", *lines[1:]])
    return text


def theme_menu(item: ItemView, lang: str) -> StaticSelectElement:
    options = [
        Option(
            text=PlainTextObject(text=theme_label(th.value, lang)), value=f"{item.id}:{th.value}"
        )
        for th in THEMES
    ]
    current = next((o for o in options if o.value == f"{item.id}:{item.theme}"), None)
    return StaticSelectElement(
        action_id=Ids.THEME,
        placeholder=t("trend.list.theme_placeholder", lang),
        options=options,
        initial_option=current,
    )


def parse_theme_value(value: str) -> tuple[int, str]:
    """(item id, theme) of a theme menu's option value; ValueError when malformed."""
    item_id, _, theme = (value or "").partition(":")
    return int(item_id), theme


def build_list(
    items: list[ItemView], *, month: str, lang: str, operator: bool, mine: bool
) -> Message:
    """`/trend list`: the month's items (at most `LIST_MAX`, then how many more), each with a
    theme menu for operators."""
    key = "trend.list.header_mine" if mine else "trend.list.header"
    title = t(key, lang, month=month, count=len(items))
    if not items:
        return Message.of(title, [section(t("trend.list.empty", lang, month=month))])
    blocks = [header(title)]
    if operator:
        blocks.append(context(t("trend.list.operator_hint", lang)))
    for item in items[:LIST_MAX]:
        accessory = theme_menu(item, lang) if operator else None
        blocks.append(
            section(
                item_text(item, lang, operator=operator),
                block_id=f"trend_item_{item.id}",
                accessory=accessory,
            )
        )
    if len(items) > LIST_MAX:
        blocks.append(context(t("trend.list.more", lang, count=len(items) - LIST_MAX)))
    return Message.of(title, blocks)


# --- the shortcut's modal -----------------------------------------------------------------------


def build_add_modal(url: str, lang: str, meta: AddMeta) -> View:
    """**Add to trend report**, prefilled with the message's link (callback `trend.add_submit`)."""
    blocks = [
        forms.text(Ids.URL, t("trend.modal.url", lang), max_length=2000, initial=url),
        forms.text(
            Ids.NOTE,
            t("trend.modal.note", lang),
            multiline=True,
            max_length=NOTE_MAX,
            optional=True,
            hint=t("trend.modal.note_hint", lang),
        ),
    ]
    if meta.channel and meta.channel[:1] in ("C", "G"):
        blocks.append(context(t("trend.modal.from", lang, channel=meta.channel)))
    return forms.modal(
        Ids.SUBMIT,
        title=t("trend.modal.title", lang),
        submit=t("trend.modal.submit", lang),
        close=t("trend.modal.close", lang),
        metadata=AddMeta(**{**meta.model_dump(), "lang": lang}).model_dump_json(),
        blocks=blocks,
    )


def meta_of(view: dict) -> AddMeta:
    try:
        return AddMeta.model_validate(json.loads(view.get("private_metadata") or "{}"))
    except (ValueError, TypeError):
        return AddMeta()


def check_note(note: str) -> str:
    """The note, stripped. Raises UserError for a character no column stores or a note over
    `NOTE_MAX` characters."""
    note = (note or "").strip()
    bad = check_chars(None, note)
    if bad is not None:
        raise bad
    if len(note) > NOTE_MAX:
        raise UserError(
            t("trend.error.note_too_long", "en", limit=NOTE_MAX),
            t("trend.error.note_too_long", "ja", limit=NOTE_MAX),
        )
    return note


def parse_add_submission(view: dict) -> AddInput:
    """The link and note typed; raises FormErrors under the field that is wrong."""
    values = forms.values_of(view)
    url, note = forms.typed(values, Ids.URL), forms.typed(values, Ids.NOTE)
    errors: dict[str, UserError] = {}
    try:
        normalize_url(url)
    except UserError as error:
        errors[Ids.URL] = error
    try:
        note = check_note(note)
    except UserError as error:
        errors[Ids.NOTE] = error
    if errors:
        raise FormErrors(errors)
    return AddInput(url=url, note=note)


def build_added_view(text: str, lang: str) -> View:
    """What the modal turns into once the link is stored: the reply, and Close."""
    return View(
        type="modal",
        callback_id=Ids.DONE,
        title=t("trend.modal.title", lang),
        close=t("trend.modal.done", lang),
        blocks=[section(text)],
    )


# --- feeds ---------------------------------------------------------------------------------------


def build_feed_failed(feed: str, error: str, lang: str) -> Message:
    text = t(
        "trend.feed.failed", lang, feed=f"`{escape(truncate(feed, 200))}`", error=escape(error)
    )
    return Message.of(text, [section(text)])


def build_feed_recovered(feed: str, lang: str) -> Message:
    text = t("trend.feed.recovered", lang, feed=f"`{escape(truncate(feed, 200))}`")
    return Message.of(text, [section(text)])
