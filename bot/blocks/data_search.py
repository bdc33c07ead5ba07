"""Block Kit for `/data search`: usage, no match, and the ranked results (never a contact),
each with a "Request introduction" button. Pure: no I/O. Limits (SLACK.md): 50 blocks per
message, section text 3000, a field 2000, button text 75."""

from __future__ import annotations

from slack_sdk.models.blocks import ButtonElement, MarkdownTextObject, SectionBlock

from bot.blocks.common import (
    SECTION_TEXT_MAX,
    Message,
    context,
    divider,
    escape,
    header,
    section,
    truncate,
)
from bot.blocks.data_directory import FIELD_TEXT_MAX, KINDS, Ids, IntroValue
from bot.i18n import t
from bot.parsing.data_size import format_size
from bot.services import data_vocab
from storage.data_holders import DataHolder

SEARCH_SHOWN_MAX = 10  # results of /data search: 3 blocks each + 3 ≤ 50 blocks

# --- results -----------------------------------------------------------------------------


def build_usage(lang: str) -> Message:
    """`/data search` without words: how to search."""
    text = t("directory.search.usage", lang)
    return Message.of(text, [section(text)])


def build_no_match(words: str, lang: str) -> Message:
    """No holder matches `words` (as typed): say so, with words to try."""
    text = t("directory.search.none", lang, words=escape(words))
    return Message.of(text, [section(text)])


def _size(holder: DataHolder, lang: str) -> str:
    if holder.size_value is not None and holder.size_unit:
        return format_size(holder.size_value, holder.size_unit, lang)
    return escape(holder.size_text) or "—"


def _result(holder: DataHolder, lang: str, can_request: bool) -> list:
    """One holder's blocks in search results: what it holds and on what terms, never whom to
    contact (contact_user / contact_email are not read here)."""
    head = f"*{escape(holder.name)}*"
    if holder.organization:
        head += f" · {escape(holder.organization)}"
    text = head
    if holder.description:
        text += "\n" + truncate(escape(holder.description), SECTION_TEXT_MAX - len(head) - 1)
    button = ButtonElement(
        action_id=Ids.REQUEST_INTRO,
        text=t("directory.search.request_button", lang),
        value=IntroValue(holder_id=holder.id).model_dump_json(),
    )
    fields = [
        *(
            (
                t(f"directory.field.{kind}", lang),
                data_vocab.labels(kind, getattr(holder, kind), lang),
            )
            for kind in KINDS
        ),
        (t("directory.field.size_short", lang), _size(holder, lang)),
        (t("directory.field.licence", lang), escape(holder.licence) or "—"),
        (t("directory.field.access", lang), escape(holder.access_conditions) or "—"),
    ]
    return [
        section(text, accessory=button if can_request else None),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=truncate(f"*{label}*\n{value}", FIELD_TEXT_MAX))
                for label, value in fields
            ]
        ),
        divider(),
    ]


def build_search_results(
    ranked: list[DataHolder], words: str, lang: str, can_request: bool = True
) -> Message:
    """The `/data search WORDS` reply: the best 10 of `ranked` (best first), each with name,
    organization, description, domains, modalities, languages (labels in `lang`), size,
    licence, access conditions and, for a reader who may request (`can_request`: a member
    of a developer organization), "Request introduction"; how many more matched."""
    title = t("directory.search.title", lang, words=words)  # plain_text: shown as typed
    blocks: list = [header(title), context(t("directory.search.count", lang, count=len(ranked)))]
    for holder in ranked[:SEARCH_SHOWN_MAX]:
        blocks += _result(holder, lang, can_request)
    if len(ranked) > SEARCH_SHOWN_MAX:
        more = t("directory.search.more", lang, shown=SEARCH_SHOWN_MAX, total=len(ranked))
        blocks.append(context(more))
    return Message.of(t("directory.search.title", lang, words=escape(words)), blocks)
