"""Operations on conversations and views shared by the Web API and the driver.

Messages become `Entry`s (kind "message", "ephemeral" or "file"); every view change (open,
update, push, close, errors) adds an Entry to `modal:USER` (kind "view" / "errors") or
`home:USER` (kind "home"), so a transcript shows the modal's history. Views are stored in
Slack's shape (`id` "V…", `hash`, `root_view_id`, `previous_view_id`, `state`, ...), with
block_ids / action_ids filled in where the bot left them out, as Slack does.

Functions take the `Sandbox` (for its state, workspace and ids) and lock its state.
"""

from __future__ import annotations

import copy
import secrets
import time
from typing import TYPE_CHECKING, Any

from . import forms, render
from .state import Entry, ViewRecord

if TYPE_CHECKING:
    from .sandbox import Sandbox


def _short_id() -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(5))


def normalize_blocks(blocks: list[dict] | None) -> list[dict] | None:
    """A deep copy with missing `block_id`s and element `action_id`s filled in (as Slack)."""
    if blocks is None:
        return None
    out = copy.deepcopy(blocks)
    for b in out:
        b.setdefault("block_id", _short_id())
        els = list(b.get("elements") or []) if b.get("type") == "actions" else []
        for key in ("element", "accessory"):
            if isinstance(b.get(key), dict):
                els.append(b[key])
        for el in els:
            if isinstance(el, dict) and el.get("type") != "image":
                el.setdefault("action_id", _short_id())
    return out


# messages --------------------------------------------------------------------------------


def add_message(
    sb: Sandbox,
    conversation: str,
    *,
    text: str | None,
    blocks: list[dict] | None,
    kind: str = "message",
    extra: dict | None = None,
    channel_id: str | None = None,
    user: str | None = None,
) -> Entry:
    """Store a message by the app's bot user (or by the person `user`) and return its Entry.

    `channel_id` defaults to the id behind `conversation` ("#name" → C…, "dm:U…" → D…,
    "mpim:U1,U2" → the group DM's G…).
    """
    ts = sb.state.next_ts()
    msg: dict[str, Any] = {"type": "message", "user": user or sb.bot_user_id}
    if user is None:
        msg.update(bot_id=sb.bot_id, app_id=sb.app_id)
    msg.update(team=sb.team_id, ts=ts, text=text or "")
    if blocks is not None:
        msg["blocks"] = normalize_blocks(blocks)
    msg.update(extra or {})
    entry = Entry(
        conversation=conversation,
        ts=ts,
        kind=kind,
        user=user or sb.bot_user_id,
        text=text or "",
        blocks=msg.get("blocks"),
        raw=msg,
        rendered=render.message(msg, sb.workspace),
        channel_id=channel_id or _channel_id(sb, conversation),
    )
    return sb.state.add_entry(entry)


def _channel_id(sb: Sandbox, conversation: str) -> str:
    if conversation.startswith("#"):
        ch = sb.workspace.channel_by_name(conversation)
        return ch.id if ch else ""
    if conversation.startswith("mpim:"):
        group = sb.workspace.group_dm(conversation)
        return group.id if group else ""
    user = sb.workspace.user(conversation.split(":", 1)[-1])
    return user.dm_id if user else ""


def replace_message(sb: Sandbox, entry: Entry, *, text: str | None, blocks: list | None) -> Entry:
    """Replace a message's content in place (same ts), as chat.update / replace_original."""
    with sb.state.lock:
        if text is not None:
            entry.text = text
            entry.raw["text"] = text
        if blocks is not None:
            entry.raw["blocks"] = normalize_blocks(blocks)
            entry.blocks = entry.raw["blocks"]
        entry.raw["edited"] = {"user": sb.bot_user_id, "ts": sb.state.next_ts()}
        entry.edited = True
        entry.rendered = render.message(entry.raw, sb.workspace)
        return entry


# views -----------------------------------------------------------------------------------


def build_view(
    sb: Sandbox, view_in: dict, *, old: dict | None = None, previous_view_id: str | None = None
) -> dict:
    """A view object in Slack's shape; `old` keeps id, root and previous ids on update."""
    vid = old["id"] if old else sb.state.new_id("V")
    return {
        "id": vid,
        "team_id": sb.team_id,
        "type": view_in.get("type"),
        "blocks": normalize_blocks(view_in.get("blocks") or []),
        "private_metadata": view_in.get("private_metadata", ""),
        "callback_id": view_in.get("callback_id", ""),
        "state": {"values": {}},
        "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
        "title": view_in.get("title"),
        "clear_on_close": bool(view_in.get("clear_on_close", False)),
        "notify_on_close": bool(view_in.get("notify_on_close", False)),
        "close": view_in.get("close"),
        "submit": view_in.get("submit"),
        "previous_view_id": old["previous_view_id"] if old else previous_view_id,
        "root_view_id": old["root_view_id"] if old else vid,
        "app_id": sb.app_id,
        "external_id": view_in.get("external_id", ""),
        "app_installed_team_id": sb.team_id,
        "bot_id": sb.bot_id,
    }


def with_state(sb: Sandbox, rec: ViewRecord) -> dict:
    """The view as sent in payloads: `state.values` from typed values, else initial values."""
    view = copy.deepcopy(rec.view)
    values: dict[str, dict] = {}
    for b in forms.input_blocks(view):
        el = b.get("element") or {}
        bid, aid = b["block_id"], el.get("action_id")
        typed = rec.typed.get(bid, {}).get(aid)
        values.setdefault(bid, {})[aid] = typed if typed else forms.initial_state(el)
    view["state"] = {"values": values}
    return view


def shown_values(sb: Sandbox, rec: ViewRecord) -> dict[str, str]:
    """block_id → the value a person sees in each input of the view."""
    state = with_state(sb, rec)["state"]["values"]
    return {
        bid: forms.display(next(iter(acts.values()), None), sb.workspace)
        for bid, acts in state.items()
    }


def view_entry(sb: Sandbox, rec: ViewRecord, note: str = "", kind: str | None = None) -> Entry:
    """Add an Entry showing the view now (to `modal:USER` or `home:USER`)."""
    is_home = rec.view.get("type") == "home"
    conv = f"{'home' if is_home else 'modal'}:{rec.user}"
    text = render.view(rec.view, sb.workspace, shown_values(sb, rec), rec.errors)
    if note:
        text = f"({note})\n{text}"
    entry = Entry(
        conversation=conv,
        ts=sb.state.next_ts(),
        kind=kind or ("home" if is_home else "view"),
        user=sb.bot_user_id,
        text=text,
        blocks=rec.view.get("blocks"),
        view=copy.deepcopy(rec.view),
        raw=copy.deepcopy(rec.view),
        rendered=text,
    )
    return sb.state.add_entry(entry)


def open_modal(sb: Sandbox, user: str, view_in: dict) -> ViewRecord:
    """views.open: a new stack with this view as root."""
    with sb.state.lock:
        for vid in sb.state.stacks.get(user, []):
            sb.state.views[vid].open = False
        rec = ViewRecord(view=build_view(sb, view_in), user=user)
        sb.state.views[rec.view["id"]] = rec
        sb.state.stacks[user] = [rec.view["id"]]
        view_entry(sb, rec, "modal opened")
        return rec


def push_modal(sb: Sandbox, user: str, view_in: dict) -> ViewRecord:
    """views.push / response_action push: a view on top of the user's stack."""
    with sb.state.lock:
        stack = sb.state.stacks.setdefault(user, [])
        prev = stack[-1] if stack else None
        rec = ViewRecord(view=build_view(sb, view_in, previous_view_id=prev), user=user)
        if prev:
            rec.view["root_view_id"] = sb.state.views[prev].view["root_view_id"]
        sb.state.views[rec.view["id"]] = rec
        stack.append(rec.view["id"])
        view_entry(sb, rec, "view pushed")
        return rec


def update_view(sb: Sandbox, rec: ViewRecord, view_in: dict, note: str = "view updated") -> None:
    """views.update / response_action update: new content, same id, new hash.

    Typed values are kept for inputs whose block_id and action_id are unchanged (as Slack).
    """
    with sb.state.lock:
        rec.view = build_view(sb, view_in, old=rec.view)
        view_entry(sb, rec, note)


def top_modal(sb: Sandbox, user: str) -> ViewRecord | None:
    """The view on top of the user's modal stack, or None when no modal is open."""
    with sb.state.lock:
        stack = sb.state.stacks.get(user) or []
        return sb.state.views[stack[-1]] if stack else None


def close_top(sb: Sandbox, user: str, *, clear: bool = False) -> None:
    """Close the top view (Slack's empty ack) or, with `clear`, the whole stack."""
    with sb.state.lock:
        stack = sb.state.stacks.get(user) or []
        if not stack:
            return
        closing = list(stack) if clear else [stack[-1]]
        for vid in closing:
            sb.state.views[vid].open = False
            stack.remove(vid)
        if stack:
            view_entry(sb, sb.state.views[stack[-1]], "back to the previous view")
        else:
            sb.state.add_entry(
                Entry(
                    conversation=f"modal:{user}",
                    ts=sb.state.next_ts(),
                    kind="view",
                    user=user,
                    text="modal closed",
                    rendered="(modal closed)",
                )
            )


def publish_home(sb: Sandbox, user: str, view_in: dict) -> ViewRecord:
    """views.publish: replace the user's App Home view."""
    with sb.state.lock:
        old_id = sb.state.homes.get(user)
        old = sb.state.views[old_id].view if old_id else None
        rec = ViewRecord(view=build_view(sb, view_in, old=old), user=user)
        sb.state.views[rec.view["id"]] = rec
        sb.state.homes[user] = rec.view["id"]
        view_entry(sb, rec)
        return rec
