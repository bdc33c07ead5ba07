"""Shared pieces of the authorization matrix (issue #10): what the Bolt app listens to, the
rule for each listener, signed requests forged as any user, and the "refused and nothing
changed" check (every table's rows, every conversation but the refused user's own).

A case is `Case(id, key, user, send)`: `send(h, w)` forges one request as `user` against the
objects the domain modules (`authz_<domain>.py`) created in `w` (a dict) and returns the ack.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select as sa_select

from bot.i18n import t
from bot.sandbox.driver import VERIFICATION_TOKEN
from bot.sandbox.store import top_modal, with_state

OPERATOR, LEAD_A, LEAD_B, MEMBER_B, LEAD_C = "U0SATO", "U0ALICE", "U0YUKI", "U0KENJI", "U0HANA"
GUEST, GAKU = "U0GUEST", "U0GAKU"  # in no organization (Gaku: a data holder's contact)
NON_OPERATORS = (LEAD_A, LEAD_B, MEMBER_B, GUEST)
ROLE = {
    OPERATOR: "operator",
    LEAD_A: "lead-A",
    LEAD_B: "lead-B",
    MEMBER_B: "member-B",
    LEAD_C: "lead-C",
    GUEST: "no-org",
    GAKU: "no-org-2",
}

BOOKKEEPING = {"jobrun", "slack_event"}  # request dedup and job slots, not domain state
APOLOGY = tuple(t("error.generic", lang) for lang in ("en", "ja"))


@dataclass(frozen=True)
class Case:
    """One forged request that must be refused. `id` reads "domain.what-as-role"."""

    id: str
    key: str  # the listener key (see `listener_keys`)
    user: str
    send: Callable[[Any, dict], Any]
    options: bool = False  # a block_suggestion: refused = no option offered


# listeners ---------------------------------------------------------------------------------
_KINDS = {
    "command": ("command", "command"),
    "action": ("action", "constraints"),
    "view_submission": ("view", "callback_id"),
    "options": ("options", "constraints"),
    "shortcut": ("shortcut", "callback_id"),
    "event": ("event", None),
}


def _text(constraint: Any) -> str:
    if hasattr(constraint, "pattern"):
        return f"re:{constraint.pattern}"
    if isinstance(constraint, dict):
        return json.dumps(constraint, sort_keys=True)
    return str(getattr(constraint, "value", constraint))


def listener_keys(app) -> set[str]:
    """ "kind:constraint" for every listener of the Bolt app (kind: command, action, view,
    options, shortcut, event), read from the closures of slack_bolt's builtin matchers
    (slack_bolt/listener_matcher/builtins.py: `command.<locals>.func` closes over `command`,
    `action`/`options` over `constraints`, `view_submission`/`shortcut` over `callback_id`)."""
    keys = set()
    for listener in app._listeners:
        for matcher in listener.matchers:
            func = getattr(matcher, "func", None)
            if func is None:
                continue
            kind, var = _KINDS.get(func.__qualname__.split(".")[0], (None, None))
            if kind is None:
                continue
            cells = dict(
                zip(
                    func.__code__.co_freevars,
                    (c.cell_contents for c in func.__closure__ or ()),
                    strict=True,
                )
            )
            if kind == "event":
                value = cells.get("constraints") or cells.get("event_type")
            else:
                value = cells[var]
            keys.add(f"{kind}:{_text(value)}")
    return keys


# forging -----------------------------------------------------------------------------------
def _user_obj(h, user: str) -> dict:
    return {
        "id": user,
        "username": user.lower(),
        "name": user.lower(),
        "team_id": h.sandbox.team_id,
    }


def forge_click(
    h,
    user: str,
    action_id: str,
    value: str | None,
    *,
    block_id: str = "x",
    channel: str = "C0OPS",
    ts: str = "1.000001",
    selected: str | None = None,
    message: dict | None = None,
):
    """A signed `block_actions` Slack would send if `user` had this button (or, with
    `selected`, chose this static-select option) on `message` (as stored) in `channel`."""
    dm = h.sandbox.workspace.user(user).dm_id
    rurl = h.sandbox.state.issue_response_url(user, f"dm:{user}", dm)
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "action_ts": "1.2"}
    if selected is not None:
        action.update(type="static_select", selected_option={"value": selected})
    else:
        action.update(type="button", value=value)
    payload = {
        "type": "block_actions",
        "response_url": f"{h.sandbox.base_url}response/{rurl.token}",
        "user": _user_obj(h, user),
        "api_app_id": h.sandbox.app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": h.sandbox.state.issue_trigger(user),
        "team": {"id": h.sandbox.team_id},
        "container": {"type": "message", "message_ts": ts, "channel_id": channel},
        "channel": {"id": channel, "name": "x"},
        "actions": [action],
    }
    if message is not None:
        payload["message"] = message
    ack = h.driver._interaction("block_actions", payload)
    h.settle()
    return ack


def forge_view(h, user: str, view: dict):
    """A signed `view_submission` of `view` (with its state) as `user`."""
    payload = {
        "type": "view_submission",
        "team": {"id": h.sandbox.team_id},
        "user": _user_obj(h, user),
        "api_app_id": h.sandbox.app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": h.sandbox.state.issue_trigger(user),
        "view": view,
        "response_urls": [],
    }
    ack = h.driver._interaction("view_submission", payload)
    h.settle()
    return ack


def forge_options(h, user: str, action_id: str, query: str, view: dict | None = None):
    """A signed `block_suggestion` for the external select `action_id` as `user`."""
    payload = {
        "type": "block_suggestion",
        "user": _user_obj(h, user),
        "container": {"type": "view", "view_id": (view or {}).get("id", "VFORGED")},
        "api_app_id": h.sandbox.app_id,
        "token": VERIFICATION_TOKEN,
        "action_id": action_id,
        "block_id": "x",
        "value": query,
        "team": {"id": h.sandbox.team_id},
        "view": view or {"id": "VFORGED", "type": "modal", "blocks": [], "private_metadata": ""},
    }
    ack = h.driver._interaction("block_suggestion", payload)
    h.settle()
    return ack


def command(user: str, line: str) -> Callable[[Any, dict], Any]:
    """A case's `send`: the slash command typed by `user` in their DM with the app."""
    return lambda h, _w: h.driver.command(user, line)


def button(h, conversation: str, action_id: str, contains: str | None = None) -> dict:
    """The latest element with `action_id` in `conversation` (block_id added), optionally in
    an entry whose text contains `contains`: what a forged click reuses."""
    for entry in reversed(h.sandbox.conversation(conversation)):
        if contains and contains not in entry.rendered:
            continue
        for block in entry.blocks or (entry.view or {}).get("blocks") or []:
            elements = list(block.get("elements") or [])
            if isinstance(block.get("accessory"), dict):
                elements.append(block["accessory"])
            for el in elements:
                aid = el.get("action_id") or ""
                if aid == action_id or (action_id.endswith(":") and aid.startswith(action_id)):
                    return {
                        **el,
                        "block_id": block.get("block_id"),
                        "ts": entry.ts,
                        "channel": entry.channel_id,
                        "message": entry.raw if entry.kind == "message" else None,
                    }
    raise AssertionError(f"no {action_id!r} in {conversation}")


def modal(h, owner: str, values: dict | None = None) -> dict:
    """`owner`'s top modal as a submission would carry it (with `values` typed in, not sent):
    forged by someone else, it is a real view with real ids, valid for `owner`."""
    if values:
        h.driver.fill(owner, values, submit=False)
    return with_state(h.sandbox, top_modal(h.sandbox, owner))


def close_modals(h, user: str) -> None:
    """Forget `user`'s open modals (as if closed with ×)."""
    with h.sandbox.state.lock:
        h.sandbox.state.stacks[user] = []


def clicks(name: str, key: str, slot: str, users) -> list[Case]:
    """Cases: each of `users` clicks the button stored as `w[slot]` (see `button`)."""

    def send(user):
        def go(h, w):
            b = w[slot]
            value, selected = b.get("value"), None
            if b.get("type") == "static_select":
                value, selected = None, (b.get("options") or [{}])[0].get("value")
            return forge_click(
                h,
                user,
                b["action_id"],
                value,
                block_id=b["block_id"],
                channel=b["channel"] or "C0OPS",
                ts=b["ts"],
                selected=selected,
                message=b.get("message"),
            )

        return go

    return [Case(f"{name}-as-{ROLE[u]}", key, u, send(u)) for u in users]


def submits(name: str, key: str, slot: str, users) -> list[Case]:
    """Cases: each of `users` submits the real view stored as `w[slot]` (see `modal`)."""
    return [
        Case(f"{name}-as-{ROLE[u]}", key, u, lambda h, w, u=u: forge_view(h, u, w[slot]))
        for u in users
    ]


# the check ---------------------------------------------------------------------------------
def db_snapshot(h) -> dict[str, list[tuple]]:
    """Every row of every table (but `BOOKKEEPING`), as sorted tuples."""
    from storage.schema import metadata

    out = {}
    with h.engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            if name not in BOOKKEEPING:
                out[name] = sorted(
                    (tuple(map(repr, row)) for row in conn.execute(sa_select(table))), key=str
                )
    return out


def own_conversations(user: str) -> set[str]:
    return {f"ephemeral:{user}", f"dm:{user}", f"modal:{user}", f"home:{user}"}


def slack_snapshot(h, user: str) -> list[tuple]:
    """What everyone but `user` can see (every entry of every other conversation)."""
    mine = own_conversations(user)
    with h.sandbox.state.lock:
        return [
            (e.conversation, e.ts, e.kind, e.rendered, e.edited, e.deleted)
            for e in h.sandbox.state.entries
            if e.conversation not in mine
        ]


def user_entries(h, user: str) -> list:
    with h.sandbox.state.lock:
        return [e for e in h.sandbox.state.entries if e.conversation in own_conversations(user)]


def diff(before: dict, after: dict) -> dict:
    return {
        name: {
            "added": sorted(set(after[name]) - set(before[name]))[:3],
            "removed": sorted(set(before[name]) - set(after[name]))[:3],
        }
        for name in before
        if before[name] != after[name]
    }


def assert_refused(h, case: Case, w: dict) -> str:
    """Send `case`; assert the refusal and that nothing changed. Returns what the user saw."""
    db, seen, mine = db_snapshot(h), slack_snapshot(h, case.user), len(user_entries(h, case.user))
    modals_before = len(h.sandbox.conversation(f"modal:{case.user}"))
    ack = case.send(h, w)
    assert ack is None or ack.status == 200, (case.id, ack)
    changed = diff(db, db_snapshot(h))
    assert changed == {}, (case.id, changed)
    assert slack_snapshot(h, case.user) == seen, f"{case.id}: something changed for others"
    new = user_entries(h, case.user)[mine:]
    shown = [e.rendered for e in new]
    body = ack.body if ack is not None else ""
    assert not any(a in text for a in APOLOGY for text in [*shown, body]), (case.id, shown)
    if case.options:
        offered = (ack.json or {}) if ack is not None else {}
        assert not offered.get("options") and not offered.get("option_groups"), (case.id, body)
        return body
    assert len(h.sandbox.conversation(f"modal:{case.user}")) == modals_before, (
        f"{case.id}: a modal opened",
        shown,
    )
    errors = ((ack.json or {}).get("errors") if ack is not None else None) or {}
    refusal = [*errors.values(), *(text for e in new if e.kind != "view" for text in [e.rendered])]
    if ack is not None and ack.json and ack.json.get("text"):
        refusal.append(ack.json["text"])
    assert refusal, f"{case.id}: no refusal shown"
    return "\n".join(refusal)
