"""Block Kit validation, stricter than Slack, never looser.

Two passes over every message's `blocks` and every view:

1. A round trip through `slack_sdk.models` (`Block.parse` each block, `View(**view)`), then
   `.to_dict()`; an unknown block type (parse gives None) or a `SlackObjectFormationError` is
   invalid.
2. The limits of SLACK.md's Block Kit table that `slack_sdk` does not check (and the ones it
   does, again, so the json-pointer is precise; these run first and, when they find nothing,
   the slack_sdk pass runs). Lengths count code points.

Errors are strings in Slack's format `"<reason> [json-pointer:/blocks/3/text/text]"`.
Slack answers `invalid_blocks` for messages and `invalid_arguments` for views, with each error
also in `response_metadata.messages` as `"[ERROR] <reason> [json-pointer:...]"`.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
LIMITS = {  # SLACK.md "Block Kit limits"
    "section_text": 3000,
    "section_fields": 10,
    "field_text": 2000,
    "header_text": 150,
    "button_text": 75,
    "button_value": 2000,
    "id": 255,
    "select_options": 100,
    "option_text": 75,
    "option_value": 150,
    "choice_options": 10,
    "overflow_options": 5,
    "actions_elements": 25,
    "context_elements": 10,
    "view_text": 24,
    "private_metadata": 3000,
    "input_max_length": 3000,
}
TEXT_TYPES = ("plain_text", "mrkdwn")
SELECT_WITH_OPTIONS = ("static_select", "multi_static_select")
CHOICE_ELEMENTS = ("checkboxes", "radio_buttons")

_sdk_logger = logging.getLogger("slack_sdk.models")


def error_response(errors: list[str], *, view: bool = False) -> dict[str, Any]:
    """Slack's `ok: false` body for Block Kit errors (`invalid_arguments` for views)."""
    return {
        "ok": False,
        "error": "invalid_arguments" if view else "invalid_blocks",
        "errors": errors,
        "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]},
    }


def validate_blocks(
    blocks: Any, *, limit: int = MAX_MESSAGE_BLOCKS, base: str = "/blocks"
) -> list[str]:
    """Errors for a `blocks` list (message: ≤50 blocks; modal / Home: pass `limit=100`)."""
    errors: list[str] = []
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{base}]"]
    if len(blocks) > limit:
        errors.append(f"must provide no more than {limit} items [json-pointer:{base}]")
    seen_ids: set[str] = set()
    for i, block in enumerate(blocks):
        path = f"{base}/{i}"
        if not isinstance(block, dict):
            errors.append(f"must be an object [json-pointer:{path}]")
            continue
        bid = block.get("block_id")
        if bid is not None:
            if bid in seen_ids:
                errors.append(f"block_id '{bid}' is not unique [json-pointer:{path}/block_id]")
            seen_ids.add(bid)
        own = _check_block(block, path)
        # slack_sdk's checks second: ours give the precise json-pointer when both catch it
        errors.extend(own or _sdk_check_block(block, path))
    return errors


def validate_view(view: Any, *, base: str = "/view") -> list[str]:
    """Errors for a modal or Home view object (blocks ≤100, title/submit/close ≤24, ...)."""
    if not isinstance(view, dict):
        return [f"must be an object [json-pointer:{base}]"]
    errors: list[str] = []
    vtype = view.get("type")
    if vtype not in ("modal", "home"):
        errors.append(f"must be one of modal, home [json-pointer:{base}/type]")
    blocks = view.get("blocks", [])
    errors.extend(validate_blocks(blocks, limit=MAX_VIEW_BLOCKS, base=f"{base}/blocks"))
    if vtype == "modal":
        if not view.get("title"):
            errors.append(f"title is required for modals [json-pointer:{base}/title]")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and not view.get("submit"):
            errors.append(
                f"submit is required when a modal has input blocks [json-pointer:{base}/submit]"
            )
    for key in ("title", "submit", "close"):
        if view.get(key) is not None:
            errors.extend(_text(view[key], f"{base}/{key}", LIMITS["view_text"], plain_only=True))
    pm = view.get("private_metadata")
    if pm is not None and _len(pm) > LIMITS["private_metadata"]:
        errors.append(_too_long(LIMITS["private_metadata"], f"{base}/private_metadata"))
    for key in ("callback_id", "external_id"):
        if view.get(key) is not None and _len(view[key]) > LIMITS["id"]:
            errors.append(_too_long(LIMITS["id"], f"{base}/{key}"))
    if not errors:
        try:
            kwargs = {k: v for k, v in view.items() if k != "state"}
            View(**kwargs).to_dict()
        except (SlackObjectFormationError, TypeError, ValueError, KeyError) as exc:
            errors.append(f"{exc} [json-pointer:{base}]")
    return errors


# helpers ---------------------------------------------------------------------------------


def _len(value: Any) -> int:
    return len(value) if isinstance(value, str) else len(str(value))


def _too_long(limit: int, path: str) -> str:
    return f"must be less than {limit + 1} characters [json-pointer:{path}]"


def _sdk_check_block(block: dict, path: str) -> list[str]:
    previous = _sdk_logger.level
    _sdk_logger.setLevel(logging.ERROR)  # Block.parse warns on unknown types; we report it
    try:
        parsed = Block.parse(block)
        if parsed is None:
            return [f"unsupported block type '{block.get('type')}' [json-pointer:{path}/type]"]
        parsed.to_dict()
    except (SlackObjectFormationError, TypeError, ValueError, KeyError, AttributeError) as exc:
        return [f"{exc} [json-pointer:{path}]"]
    finally:
        _sdk_logger.setLevel(previous)
    return []


def _text(obj: Any, path: str, limit: int | None, *, plain_only: bool = False) -> list[str]:
    """Errors for a text object: type plain_text/mrkdwn, non-empty text, within `limit`."""
    if not isinstance(obj, dict):
        return [f"must be a text object [json-pointer:{path}]"]
    allowed = ("plain_text",) if plain_only else TEXT_TYPES
    if obj.get("type") not in allowed:
        return [f"must be one of {', '.join(allowed)} [json-pointer:{path}/type]"]
    text = obj.get("text")
    if not isinstance(text, str) or text == "":
        return [f"must be a non-empty string [json-pointer:{path}/text]"]
    if limit is not None and len(text) > limit:
        return [_too_long(limit, f"{path}/text")]
    return []


def _id(obj: dict, key: str, path: str) -> list[str]:
    value = obj.get(key)
    if value is not None and _len(value) > LIMITS["id"]:
        return [_too_long(LIMITS["id"], f"{path}/{key}")]
    return []


def _check_block(block: dict, path: str) -> list[str]:
    errors = _id(block, "block_id", path)
    btype = block.get("type")
    if btype == "section":
        if block.get("text") is not None:
            errors += _text(block["text"], f"{path}/text", LIMITS["section_text"])
        fields = block.get("fields")
        if fields is not None:
            if len(fields) > LIMITS["section_fields"]:
                errors.append(
                    f"must provide no more than {LIMITS['section_fields']} items "
                    f"[json-pointer:{path}/fields]"
                )
            for j, f in enumerate(fields):
                errors += _text(f, f"{path}/fields/{j}", LIMITS["field_text"])
        if block.get("text") is None and not fields:
            errors.append(f"must provide text or fields [json-pointer:{path}]")
        if isinstance(block.get("accessory"), dict):
            errors += _check_element(block["accessory"], f"{path}/accessory")
    elif btype == "header":
        errors += _text(block.get("text"), f"{path}/text", LIMITS["header_text"], plain_only=True)
    elif btype == "actions":
        elements = block.get("elements") or []
        if len(elements) > LIMITS["actions_elements"]:
            errors.append(
                f"must provide no more than {LIMITS['actions_elements']} items "
                f"[json-pointer:{path}/elements]"
            )
        seen: set[str] = set()
        for j, el in enumerate(elements):
            epath = f"{path}/elements/{j}"
            if not isinstance(el, dict):
                errors.append(f"must be an object [json-pointer:{epath}]")
                continue
            aid = el.get("action_id")
            if aid is not None:
                if aid in seen:
                    errors.append(
                        f"action_id '{aid}' is not unique in this block "
                        f"[json-pointer:{epath}/action_id]"
                    )
                seen.add(aid)
            errors += _check_element(el, epath)
    elif btype == "context":
        elements = block.get("elements") or []
        if len(elements) > LIMITS["context_elements"]:
            errors.append(
                f"must provide no more than {LIMITS['context_elements']} items "
                f"[json-pointer:{path}/elements]"
            )
        for j, el in enumerate(elements):
            if isinstance(el, dict) and el.get("type") != "image":
                errors += _text(el, f"{path}/elements/{j}", None)
    elif btype == "input":
        errors += _text(block.get("label"), f"{path}/label", 2000, plain_only=True)
        if block.get("hint") is not None:
            errors += _text(block["hint"], f"{path}/hint", 2000, plain_only=True)
        if isinstance(block.get("element"), dict):
            errors += _check_element(block["element"], f"{path}/element")
        else:
            errors.append(f"must provide an element [json-pointer:{path}/element]")
    return errors


def validate_options_response(body: Any) -> list[str]:
    """Errors for the app's answer to a `block_suggestion` (an options load): exactly one of
    `options` (≤100) or `option_groups` (≤100, label ≤75, each ≤100 options); option text
    plain_text ≤75, value ≤150 (Block Kit reference, "Options load URL" and option objects)."""
    if not isinstance(body, dict) or ("options" in body) == ("option_groups" in body):
        return ["must provide exactly one of options, option_groups [json-pointer:/]"]
    limit = LIMITS["select_options"]
    if "options" in body:
        if not isinstance(body["options"], list):
            return ["must be an array [json-pointer:/options]"]
        return _options(body["options"], "/options", limit, plain_only=True)
    groups = body["option_groups"]
    if not isinstance(groups, list):
        return ["must be an array [json-pointer:/option_groups]"]
    errors = []
    if len(groups) > limit:
        errors.append(f"must provide no more than {limit} items [json-pointer:/option_groups]")
    for g, group in enumerate(groups):
        path = f"/option_groups/{g}"
        if not isinstance(group, dict) or not isinstance(group.get("options"), list):
            errors.append(f"must be an object with options [json-pointer:{path}]")
            continue
        errors += _text(group.get("label"), f"{path}/label", LIMITS["option_text"], plain_only=True)
        errors += _options(group["options"], f"{path}/options", limit, plain_only=True)
    return errors


def _options(options: list, path: str, limit: int, *, plain_only: bool = False) -> list[str]:
    errors = []
    if len(options) > limit:
        errors.append(f"must provide no more than {limit} items [json-pointer:{path}]")
    for k, opt in enumerate(options):
        opath = f"{path}/{k}"
        if not isinstance(opt, dict):
            errors.append(f"must be an object [json-pointer:{opath}]")
            continue
        errors += _text(
            opt.get("text"), f"{opath}/text", LIMITS["option_text"], plain_only=plain_only
        )
        value = opt.get("value")
        if value is not None and _len(value) > LIMITS["option_value"]:
            errors.append(_too_long(LIMITS["option_value"], f"{opath}/value"))
    return errors


def _check_element(el: dict, path: str) -> list[str]:
    errors = _id(el, "action_id", path)
    etype = el.get("type")
    if etype == "button":
        errors += _text(el.get("text"), f"{path}/text", LIMITS["button_text"], plain_only=True)
        value = el.get("value")
        if value is not None and _len(value) > LIMITS["button_value"]:
            errors.append(_too_long(LIMITS["button_value"], f"{path}/value"))
    elif etype in SELECT_WITH_OPTIONS:
        if el.get("options") is not None:
            errors += _options(el["options"], f"{path}/options", LIMITS["select_options"])
        groups = el.get("option_groups") or []
        total = sum(len(g.get("options", [])) for g in groups if isinstance(g, dict))
        if total > LIMITS["select_options"]:
            errors.append(
                f"must provide no more than {LIMITS['select_options']} options "
                f"[json-pointer:{path}/option_groups]"
            )
        for g, group in enumerate(groups):
            if isinstance(group, dict):
                errors += _options(
                    group.get("options", []), f"{path}/option_groups/{g}/options", 100
                )
    elif etype in CHOICE_ELEMENTS:
        errors += _options(el.get("options") or [], f"{path}/options", LIMITS["choice_options"])
    elif etype == "overflow":
        errors += _options(el.get("options") or [], f"{path}/options", LIMITS["overflow_options"])
    elif etype == "plain_text_input":
        mx = el.get("max_length")
        if mx is not None and not (isinstance(mx, int) and 1 <= mx <= LIMITS["input_max_length"]):
            errors.append(f"must be between 1 and 3000 [json-pointer:{path}/max_length]")
        mn = el.get("min_length")
        if mn is not None and not (isinstance(mn, int) and 0 <= mn <= 3000):
            errors.append(f"must be between 0 and 3000 [json-pointer:{path}/min_length]")
    if el.get("placeholder") is not None:
        errors += _text(el["placeholder"], f"{path}/placeholder", 150, plain_only=True)
    return errors
