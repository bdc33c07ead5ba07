"""Render messages and views as text, the way a person reads them in Slack.

- mrkdwn stays as written, but `<@U123>` → `@name`, `<#C123>` → `#name`,
  `<!date^1712345678^{date_short}|fallback>` → the fallback, `<url|label>` → `label (url)`,
  `<!here>` → `@here`; then `&lt; &gt; &amp;` are decoded, so text the bot escaped
  (`&lt;!channel&gt;`) shows as the literal, inert `<!channel>`.
- Blocks: header `# text`, section text and fields, context, rich text, images `[image: alt]`,
  divider `---`, buttons `[Button text]`, inputs `Label: value`, selects with their options,
  file inputs `<file_input = name.json>` (the attached files' names).
- A view: its title (`== Title ==`), its blocks, then `[Submit text]`.
"""

from __future__ import annotations

import re
from typing import Any

from .workspace import Workspace

_TOKEN = re.compile(r"<([^<>]*)>")


def mrkdwn(text: str, ws: Workspace) -> str:
    """Resolve Slack's `<…>` tokens and decode the three HTML entities, once."""

    def token(m: re.Match) -> str:
        inner = m.group(1)
        body, _, label = inner.partition("|")
        if body.startswith("@"):
            user = ws.user(body[1:])
            return "@" + (user.name if user else (label or body[1:]))
        if body.startswith("#"):
            ch = ws.channel(body[1:])
            return "#" + (ch.name if ch else (label or body[1:]))
        if body.startswith("!date^"):
            return label or body
        if body.startswith("!subteam^"):
            return label or "@group"
        if body.startswith("!"):
            return "@" + body[1:]
        if label:
            return f"{label} ({body})"
        return body

    out = _TOKEN.sub(token, text)
    return out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def text_obj(obj: Any, ws: Workspace) -> str:
    """The visible text of a text object (mrkdwn resolved, plain_text as is)."""
    if not isinstance(obj, dict):
        return "" if obj is None else str(obj)
    text = obj.get("text", "")
    return mrkdwn(text, ws) if obj.get("type") == "mrkdwn" else text


def _option_text(opt: dict, ws: Workspace) -> str:
    return text_obj(opt.get("text"), ws)


def element(el: dict, ws: Workspace, value: str | None = None) -> str:
    """One interactive element: `[Button]`, `<select: a | b>`, an input's current value."""
    etype = el.get("type")
    if etype == "button":
        return f"[{text_obj(el.get('text'), ws)}]"
    if etype == "image":
        return f"[image: {el.get('alt_text', '')}]"
    if etype in ("static_select", "multi_static_select", "overflow", "checkboxes", "radio_buttons"):
        opts = list(el.get("options") or [])
        for g in el.get("option_groups") or []:
            opts += g.get("options", [])
        listed = " | ".join(_option_text(o, ws) for o in opts)
        shown = f" = {value}" if value not in (None, "") else ""
        return f"<{etype}{shown}: {listed}>"
    if etype == "file_input":
        return f"<file_input = {value}>" if value not in (None, "") else "<file_input>"
    if value not in (None, ""):
        return str(value)
    if el.get("placeholder"):
        return f"({text_obj(el['placeholder'], ws)})"
    return f"<{etype}>"


def rich_text(el: dict, ws: Workspace) -> str:
    """Flatten a rich_text block or element to text."""
    etype = el.get("type")
    if etype == "text":
        return el.get("text", "")
    if etype == "link":
        return (
            f"{el.get('text') or el.get('url')} ({el.get('url')})"
            if el.get("text")
            else el.get("url", "")
        )
    if etype == "user":
        u = ws.user(el.get("user_id", ""))
        return "@" + (u.name if u else el.get("user_id", ""))
    if etype == "channel":
        c = ws.channel(el.get("channel_id", ""))
        return "#" + (c.name if c else el.get("channel_id", ""))
    if etype == "emoji":
        return f":{el.get('name')}:"
    if etype == "date":
        return el.get("fallback", "")
    if etype == "broadcast":
        return "@" + el.get("range", "")
    parts = [rich_text(c, ws) for c in el.get("elements", [])]
    if etype == "rich_text_list":
        return "\n".join(f"- {p}" for p in parts)
    if etype == "rich_text_preformatted":
        return "```" + "".join(parts) + "```"
    if etype == "rich_text_quote":
        return "> " + "".join(parts)
    sep = "\n" if etype == "rich_text" else ""
    return sep.join(parts)


def blocks(
    items: list[dict],
    ws: Workspace,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> str:
    """Render a list of blocks; `values` / `errors` map an input block_id to the value shown
    and to the error message shown under it (`  ! message`)."""
    values, errors = values or {}, errors or {}
    lines: list[str] = []
    for b in items or []:
        t = b.get("type")
        if t == "header":
            lines.append(f"# {text_obj(b.get('text'), ws)}")
        elif t == "section":
            parts = []
            if b.get("text"):
                parts.append(text_obj(b["text"], ws))
            for f in b.get("fields") or []:
                parts.append(text_obj(f, ws))
            if isinstance(b.get("accessory"), dict):
                parts.append(element(b["accessory"], ws))
            lines.append("\n".join(parts))
        elif t == "divider":
            lines.append("---")
        elif t == "context":
            lines.append(
                " · ".join(
                    element(e, ws) if e.get("type") == "image" else text_obj(e, ws)
                    for e in b.get("elements", [])
                )
            )
        elif t == "actions":
            lines.append(" ".join(element(e, ws) for e in b.get("elements", [])))
        elif t == "image":
            title = text_obj(b.get("title"), ws) if b.get("title") else ""
            lines.append(f"[image: {b.get('alt_text', '')}]" + (f" {title}" if title else ""))
        elif t == "input":
            label = text_obj(b.get("label"), ws)
            val = values.get(b.get("block_id", ""))
            lines.append(f"{label}: {element(b.get('element') or {}, ws, val)}")
            if b.get("block_id") in errors:
                lines.append(f"  ! {errors[b['block_id']]}")
        elif t == "rich_text":
            lines.append(rich_text(b, ws))
        else:
            lines.append(f"<{t} block>")
    return "\n".join(lines)


def message(msg: dict, ws: Workspace) -> str:
    """A message: its blocks when it has any, else its `text`; files as `[file: title]`."""
    out = blocks(msg["blocks"], ws) if msg.get("blocks") else mrkdwn(msg.get("text") or "", ws)
    for f in msg.get("files") or []:
        out += (
            "\n" if out else ""
        ) + f"[file: {f.get('title') or f.get('name')} ({f.get('name')})]"
    return out


def view(
    v: dict,
    ws: Workspace,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> str:
    """A view: `== Title ==`, its blocks, then `[Submit]` (Home views have no title)."""
    lines = []
    if v.get("title"):
        lines.append(f"== {text_obj(v['title'], ws)} ==")
    body = blocks(v.get("blocks") or [], ws, values, errors)
    if body:
        lines.append(body)
    if v.get("submit"):
        lines.append(f"[{text_obj(v['submit'], ws)}]")
    return "\n".join(lines)
