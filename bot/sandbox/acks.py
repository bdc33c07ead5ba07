"""How Slack applies the bot's acks to what the person sees (slash command, view_submission)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import blockkit, forms, store
from .state import MODAL_STACK_MAX, AckResult, ViewRecord

if TYPE_CHECKING:
    from .sandbox import Sandbox


def show_command_ack(sb: Sandbox, user: str, ack: AckResult, conv: str, cid: str, cmd: str) -> None:
    """Show a slash command's JSON ack: ephemeral to `user`, or in the channel with
    `response_type: in_channel`; its blocks are validated like a message's."""
    data = ack.json if ack.json is not None else {"text": ack.body}
    blocks = data.get("blocks")
    if blocks is not None:
        errors = blockkit.validate_blocks(blocks)
        if errors:
            sb.state.fail(f"{cmd} ack: invalid_blocks ({'; '.join(errors)})")
            return
    if not (data.get("text") or blocks):
        return
    if data.get("response_type") == "in_channel":
        store.add_message(sb, conv, text=data.get("text"), blocks=blocks)
    else:
        store.add_message(
            sb,
            f"ephemeral:{user}",
            text=data.get("text"),
            blocks=blocks,
            kind="ephemeral",
            channel_id=cid,
        )


def apply_submission_ack(sb: Sandbox, user: str, rec: ViewRecord, ack: AckResult) -> None:
    """Apply a view_submission ack as Slack does: empty → close the top view; response_action
    errors (only input block_ids count) / update / push (stack max 3) / clear."""
    if not ack.body.strip():
        store.close_top(sb, user)
        return
    if ack.json is None:
        sb.state.fail(f"view_submission: ack body is not JSON: {ack.body[:200]!r}")
        return
    action = ack.json.get("response_action")
    if action is None:
        store.close_top(sb, user)
    elif action == "errors":
        errors = ack.json.get("errors") or {}
        inputs = {b["block_id"] for b in forms.input_blocks(rec.view)}
        for bid in errors:
            if bid not in inputs:
                sb.state.fail(
                    f"view_submission: response_action errors keyed by {bid!r}, which is not "
                    "an input block of the view (Slack shows nothing); "
                    f"inputs: {sorted(inputs)}"
                )
        rec.errors = {k: str(v) for k, v in errors.items() if k in inputs}
        store.view_entry(sb, rec, "submission refused", kind="errors")
    elif action in ("update", "push"):
        view = ack.json.get("view")
        errors = blockkit.validate_view(view)
        if errors:
            sb.state.fail(f"view_submission {action}: invalid_arguments ({'; '.join(errors)})")
            return
        if action == "update":
            rec.typed, rec.errors = {}, {}
            store.update_view(sb, rec, view, "view updated by submission")
        elif len(sb.state.stacks.get(user) or []) >= MODAL_STACK_MAX:
            sb.state.fail("view_submission push: push_limit_reached")
        else:
            store.push_modal(sb, user, view)
    elif action == "clear":
        store.close_top(sb, user, clear=True)
    else:
        sb.state.fail(f"view_submission: unknown response_action {action!r}")
