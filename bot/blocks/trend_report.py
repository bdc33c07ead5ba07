"""Block Kit for the monthly trend report (issue #8): the draft in the operator channel with
**Edit** per section, **Regenerate** and **Approve and publish**; the section edit modal; the
published post; the Markdown file. Pure: no I/O.

Sections are stored as Slack mrkdwn (typed text escaped, links as `<url|title>`); the
Markdown file turns them into Markdown links and plain characters.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import BaseModel
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ConfirmObject
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import (
    Message,
    context,
    escape,
    from_slack_text,
    header,
    link_target,
    section,
)
from bot.blocks.compute import FormErrors
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.text import check_chars

SECTION_ORDER = ("international", "use_cases", "economic", "other", "figures")
TEXT_MAX = 2900
_LINK = re.compile(r"<(https?://[^|>\s]+)\|([^>]*)>")
_ESCAPED_LINK = re.compile(r"&lt;(https?://[^|>\s]+?)\|(.*?)&gt;")


class Ids:
    EDIT = "trend.report.edit"
    REGENERATE = "trend.report.regenerate"
    APPROVE = "trend.report.approve"
    EDIT_SUBMIT = "trend.report.edit.submit"
    JA = "text_ja"
    EN = "text_en"


class ReportValue(BaseModel):
    report_id: int
    section: str = ""


class EditMeta(BaseModel):
    lang: str = "ja"
    report_id: int
    section: str


def section_title(key: str, lang: str) -> str:
    return t(f"trendreport.section.{key}", lang)


def draft_message(
    report_id: int,
    month: str,
    sections: dict,
    revision: int,
    count: int,
    why: str,
    by: tuple[str, str] | None,
    lang: str,
) -> Message:
    """The draft for the operators: each section in `lang` with its Edit button."""
    title = t("trendreport.draft.title", lang, month=month, revision=revision)
    how = t(f"trendreport.draft.why.{why}", lang)
    blocks = [header(title), context(t("trendreport.draft.intro", lang, count=count) + " " + how)]
    if by:
        blocks.append(context(t(f"trendreport.draft.by.{by[0]}", lang, user=by[1])))
    for key in SECTION_ORDER:
        text = (sections.get(key) or {}).get(lang) or t("trendreport.none", lang)
        edit = ButtonElement(
            text=t("trendreport.edit", lang),
            action_id=Ids.EDIT,
            value=ReportValue(report_id=report_id, section=key).model_dump_json(),
        )
        blocks.append(section(f"*{section_title(key, lang)}*\n{text}"[:3000], accessory=edit))
    value = ReportValue(report_id=report_id).model_dump_json()
    blocks.append(
        ActionsBlock(
            elements=[
                ButtonElement(
                    text=t("trendreport.regenerate", lang),
                    action_id=Ids.REGENERATE,
                    value=value,
                    confirm=ConfirmObject(
                        title=t("trendreport.regenerate_confirm.title", lang),
                        text=t("trendreport.regenerate_confirm.text", lang),
                        confirm=t("trendreport.regenerate", lang),
                        deny=t("trendreport.confirm.deny", lang),
                    ),
                ),
                ButtonElement(
                    text=t("trendreport.approve", lang),
                    action_id=Ids.APPROVE,
                    value=value,
                    style="primary",
                    confirm=ConfirmObject(
                        title=t("trendreport.confirm.title", lang),
                        text=t("trendreport.confirm.text", lang, month=month),
                        confirm=t("trendreport.approve", lang),
                        deny=t("trendreport.confirm.deny", lang),
                    ),
                ),
            ]
        )
    )
    blocks.append(context(t("trendreport.draft.both", lang)))
    return Message.of(title, blocks)


def published_message(month: str, sections: dict, lang: str) -> Message:
    title = t("trendreport.published.title", lang, month=month)
    blocks = [header(title)]
    for key in SECTION_ORDER:
        text = (sections.get(key) or {}).get(lang)
        if text:
            blocks.append(section(f"*{section_title(key, lang)}*\n{text}"[:3000]))
    blocks.append(context(t("trendreport.published.files", lang)))
    return Message.of(title, blocks)


def approved_message(
    month: str, user: str, channels: list[str], failed: list[str], lang: str
) -> Message:
    """The draft replaced by what happened: where the report went, and where Slack refused."""
    where = ", ".join(f"<#{c}>" for c in channels) or "—"
    text = t("trendreport.approved", lang, month=month, user=user, channels=where)
    if failed:
        refused = ", ".join(f"<#{c}>" for c in failed)
        text += "\n" + t("trendreport.approve_failed", lang, channels=refused)
    return Message(text)


def files_comment(month: str, lang: str) -> Message:
    return Message(t("trendreport.files", lang, month=month))


def markdown(month: str, sections: dict, lang: str) -> str:
    """The report as a Markdown file in `lang`: mrkdwn links become Markdown links."""
    out = [f"# {t('trendreport.published.title', lang, month=month)}", ""]
    for key in SECTION_ORDER:
        text = (sections.get(key) or {}).get(lang) or t("trendreport.none", lang)
        out += [f"## {section_title(key, lang)}", "", to_markdown(text), ""]
    return "\n".join(out)


def to_markdown(mrkdwn: str) -> str:
    """`<url|title>` → `[title](url)`, `*bold*` → `**bold**`, a line starting with "•" or
    "・" a Markdown list item. Entities stay (`&lt;`, `&amp;`: CommonMark shows them as the
    characters), so text someone typed, such as `<script>`, is never HTML in the file."""
    text = _LINK.sub(lambda m: f"[{_md_label(m[2])}]({m[1]})", mrkdwn)
    text = re.sub(r"(?m)^[•・]\s*", "- ", text)
    return re.sub(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])", r"**\1**", text)


def _md_label(label: str) -> str:
    return label.replace("[", "\\[").replace("]", "\\]")


def as_typed(mrkdwn: str) -> str:
    """A stored section as an operator edits it: entities as characters (links kept)."""
    return from_slack_text(mrkdwn)


def from_typed(text: str) -> str:
    """What an operator typed, stored as mrkdwn: escaped, but `<https://…|title>` links kept
    (made safe: a label that is another address shows the real one)."""
    return _ESCAPED_LINK.sub(
        lambda m: safe_link(from_slack_text(m[1]), as_typed(m[2])), escape(text.strip())
    )


_ADDRESS = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]*://|www\.)|\b[a-z0-9-]+(?:\.[a-z0-9-]+)+\b")


def safe_link(url: str, label: str) -> str:
    """A mrkdwn link whose label cannot pass for another address: a label that looks like an
    address other than the link's own host is replaced by the link itself (a disguised link
    such as `<https://evil.example|https://good.example>` shows evil.example)."""
    host = (urlsplit(url).hostname or "").lower()
    shown = label.strip() or url
    if _ADDRESS.search(shown) and host not in shown.lower():
        shown = url
    return f"<{link_target(url)}|{escape(shown)}>"


def build_edit_modal(report_id: int, month: str, key: str, sections: dict, lang: str) -> View:
    """ "Edit section": the section in Japanese and in English."""
    current = sections.get(key) or {}
    blocks = [
        context(t("trendreport.edit.intro", lang, month=month, section=section_title(key, lang)))
    ]
    for block_id, g in ((Ids.JA, "ja"), (Ids.EN, "en")):
        blocks.append(
            forms.text(
                block_id,
                t(f"trendreport.edit.{g}", lang),
                multiline=True,
                max_length=TEXT_MAX,
                initial=as_typed(current.get(g, "")),
                optional=True,
            )
        )
    return forms.modal(
        Ids.EDIT_SUBMIT,
        title=t("trendreport.edit.title", lang),
        submit=t("trendreport.edit.save", lang),
        close=t("trendreport.edit.close", lang),
        metadata=EditMeta(lang=lang, report_id=report_id, section=key).model_dump_json(),
        blocks=blocks,
    )


def parse_edit(view: dict) -> tuple[EditMeta, dict[str, str]]:
    """(meta, {"ja": mrkdwn, "en": mrkdwn}); raises FormErrors for text too long or with
    characters that cannot be stored."""
    meta = EditMeta.model_validate_json(view.get("private_metadata") or "{}")
    values = forms.values_of(view)
    texts, errors = {}, {}
    for block_id, g in ((Ids.JA, "ja"), (Ids.EN, "en")):
        typed = forms.typed(values, block_id)
        if len(typed) > TEXT_MAX:
            errors[block_id] = UserError(
                t("trendreport.error.too_long", "en", limit=TEXT_MAX),
                t("trendreport.error.too_long", "ja", limit=TEXT_MAX),
            )
        elif problem := check_chars(None, typed):
            errors[block_id] = problem
        texts[g] = from_typed(typed)
    if errors:
        raise FormErrors(errors)
    return meta, texts
