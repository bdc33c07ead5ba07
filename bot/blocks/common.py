"""Shared Block Kit pieces: mrkdwn escaping, truncation, date tokens and small builders.

Limits are Slack's (https://api.slack.com/reference/block-kit/blocks; see SLACK.md): section
text 3000, header 150, button text 75, option text 75 — counted in code points.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
ELLIPSIS = "…"


def escape(text: str | None) -> str:
    """Escape user text for mrkdwn (`&`, `<`, `>`), once, at render time, so mentions and links
    stay inert and readers see exactly what was typed
    (https://api.slack.com/reference/surfaces/formatting#escaping).

    `text` must be the text as typed: modal inputs arrive so; message and slash-command text
    arrives entity-encoded and goes through `from_slack_text` first.
    """
    if not text:
        return ""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def from_slack_text(text: str | None) -> str:
    """Decode the three entities Slack encodes in message and slash-command text (`&amp;`,
    `&lt;`, `&gt;`), giving the text as typed; also the inverse of `escape` (mrkdwn shown
    where text is plain). Modal input values are not encoded: do not pass them here."""
    if not text:
        return ""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


_SLACK_TOKEN = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


def plain_from_message(text: str | None) -> str:
    """A message's text (mrkdwn as Slack delivers it) as a person would retype it: links
    `<url|label>` become `label (url)` (or the url), mentions `<@U…>` `@…` (a member id
    would name someone in a text meant to be shared, even anonymously), channels
    `<#C…|name>` `#name`, `<!here>` `@here`; entities decoded last, so an escaped `&lt;` typed
    by the author stays a character (https://api.slack.com/reference/surfaces/formatting)."""

    def token(match: re.Match) -> str:
        target, label = match[1], match[2]
        if target.startswith("@"):
            return "@…"
        if target.startswith("#"):
            return f"#{label}" if label else target
        if target.startswith("!"):  # <!here>, <!subteam^S…|@team>
            name = label or target[1:].split("^")[0]
            return name if name.startswith("@") else f"@{name}"
        return f"{label} ({target})" if label and label != target else target

    return from_slack_text(_SLACK_TOKEN.sub(token, text or ""))


def link_target(url: str) -> str:
    """`url` as the target of a mrkdwn link `<target|label>`: characters that would end or
    split the token (`<`, `>`, `|`, spaces, quotes) percent-encoded, `&` escaped as `&amp;`
    (https://api.slack.com/reference/surfaces/formatting#linking-urls). `from_slack_text`
    gives the address back."""
    return quote(url.strip(), safe="!#$%&'()*+,/:;=?@[]~-._").replace("&", "&amp;")


def truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` code points, counting the "…" appended.

    Never leaves a combining mark, variation selector or zero-width joiner without its base.
    """
    if len(text) <= limit:
        return text
    cut = limit - len(ELLIPSIS)
    while cut > 0 and _joins_previous(text[cut]):
        cut -= 1
    # an escaped entity must not be cut in half
    amp = text.rfind("&", max(0, cut - 5), cut)
    if amp != -1 and ";" not in text[amp:cut]:
        cut = amp
    return text[:cut] + ELLIPSIS


def truncate_mrkdwn(text: str, limit: int) -> str:
    """`truncate` for mrkdwn: also never cuts inside a `<…>` link or mention (escaped text has
    no bare `<`, so one without its `>` is a token cut in half: the cut moves before it)."""
    if len(text) <= limit:
        return text
    cut = truncate(text, limit)[: -len(ELLIPSIS)]
    opened = cut.rfind("<")
    if opened != -1 and ">" not in cut[opened:]:
        cut = cut[:opened]
    return cut + ELLIPSIS


def _joins_previous(char: str) -> bool:
    return (
        bool(unicodedata.combining(char))
        or char in "\u200d\ufe0e\ufe0f"
        or ("\U0001f3fb" <= char <= "\U0001f3ff")
    )


def date_token(moment: datetime, fmt: str, fallback: str) -> str:
    """Slack's `<!date^…>` token: each reader sees `moment` in their own zone.

    `fmt` is Slack's format (`{date_short} {time}`); `fallback` is shown where tokens are not
    rendered (https://api.slack.com/reference/surfaces/formatting#date-formatting).
    """
    return f"<!date^{int(moment.timestamp())}^{fmt}|{fallback}>"


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=truncate(text, HEADER_TEXT_MAX), emoji=True))


def section(text: str, **kwargs) -> SectionBlock:
    """A mrkdwn section; `text` must already be escaped where it holds user text."""
    return SectionBlock(text=MarkdownTextObject(text=truncate(text, SECTION_TEXT_MAX)), **kwargs)


def long_sections(text: str, limit: int = SECTION_TEXT_MAX) -> list[SectionBlock]:
    """Sections holding all of `text` (already escaped), each within Slack's 3000-character
    limit: cut at a line break or space where possible, never inside an entity or a
    grapheme, so nothing a user wrote is lost to the limit."""
    chunks = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        amp = text.rfind("&", max(0, cut - 5), cut)
        if amp != -1 and ";" not in text[amp:cut]:
            cut = amp
        while cut > 1 and _joins_previous(text[cut]):
            cut -= 1
        chunks.append(text[:cut])
        text = text[cut:].lstrip("\n ")
    chunks.append(text)
    return [SectionBlock(text=MarkdownTextObject(text=chunk)) for chunk in chunks if chunk]


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=truncate(text, SECTION_TEXT_MAX))])


def divider() -> DividerBlock:
    return DividerBlock()


@dataclass
class Message:
    """A message ready for `chat.postMessage`: fallback `text` plus `blocks` (as dicts)."""

    text: str
    blocks: list[dict] = field(default_factory=list)

    @classmethod
    def of(cls, text: str, blocks: list[Block]) -> Message:
        """Serialise blocks (slack_sdk validates them on `to_dict()`)."""
        return cls(text=truncate(text, 3000), blocks=[block.to_dict() for block in blocks])
