"""What a person types into modal inputs, in Slack's `view.state.values` shape.

`view.state.values[block_id][action_id]` per element type (SLACK.md "Payload shapes"):
plain_text_input / email / url `{"type", "value"}` (null when empty), number_input value as a
**string**, static/external select `selected_option` (null when none), multi selects
`selected_options` (for external selects, options the app's options handler offered for what
the person typed: see `typed_state`), datepicker `selected_date` ("YYYY-MM-DD"), timepicker
`selected_time` ("HH:MM"), datetimepicker `selected_date_time` (unix int), users_select
`selected_user`, conversations/channels selects `selected_conversation` / `selected_channel`,
checkboxes `selected_options`, radio_buttons `selected_option`, file_input `files` (file objects
of the files the person attached, stored by the sandbox as Slack stores them; [] when none).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from .workspace import Workspace

TEXT_INPUTS = ("plain_text_input", "email_text_input", "url_text_input", "number_input")
FILE_INPUT_MAX_FILES = 10  # Slack's default and maximum `max_files`
FILE_INPUT_MAX_BYTES = 10 * 1024 * 1024  # "There is a 10MB file size limit."

EXTERNAL_SELECTS = ("external_select", "multi_external_select")
MIN_QUERY_LENGTH = 3  # external_select `min_query_length`: "The default value is 3."

# (file name, bytes) → the stored file's object, in Slack's shape
Uploader = Callable[[str, bytes], dict]
# typed query → the options the app's options handler offered (a `block_suggestion` request)
Suggester = Callable[[str], list[dict]]


class FormError(ValueError):
    """The value cannot be entered into that element (as Slack's client would refuse it)."""


def input_blocks(view: dict) -> list[dict]:
    """The `input` blocks of a view, in order."""
    return [b for b in view.get("blocks") or [] if b.get("type") == "input"]


def label_of(block: dict) -> str:
    """The visible label text of an input block."""
    return (block.get("label") or {}).get("text", "")


def _options(el: dict) -> list[dict]:
    opts = list(el.get("options") or [])
    for g in el.get("option_groups") or []:
        opts += g.get("options") or []
    return opts


def _opt(option: dict) -> dict:
    """An option as Slack echoes it in state (text + value)."""
    out = {"text": dict(option.get("text") or {}), "value": option.get("value")}
    if option.get("description"):
        out["description"] = option["description"]
    return out


def _match(opts: list[dict], value: str) -> dict | None:
    """The first option whose text, else whose value, equals `value` (as Slack echoes it)."""
    for key in ("text", "value"):
        for o in opts:
            got = (o.get("text") or {}).get("text") if key == "text" else o.get("value")
            if got == value:
                return _opt(o)
    return None


def _listed(opts: list[dict], limit: int = 20) -> str:
    shown = ", ".join(repr((o.get("text") or {}).get("text")) for o in opts[:limit])
    more = f", … ({len(opts)} in all)" if len(opts) > limit else ""
    return shown + more if opts else "nothing"


def _find_option(el: dict, value: str) -> dict:
    opts = _options(el)
    found = _match(opts, value)
    if found is None:
        raise FormError(f"no option {value!r}; options: {_listed(opts)}")
    return found


def check_query(el: dict, query: str) -> None:
    """FormError when Slack's client would not send `query` typed into the external select `el`
    (shorter than `min_query_length`; block elements reference: "The default value is 3")."""
    minimum = el.get("min_query_length", MIN_QUERY_LENGTH)
    if len(query) < minimum:
        raise FormError(
            f"{query!r} is shorter than min_query_length {minimum}: Slack sends the app no "
            "suggestion request"
        )


def _external_option(el: dict, value: str, suggest: Suggester | None) -> dict:
    """An external select's option: an `initial_option(s)` equal to `value` as is, else the
    option `suggest(value)` offers with that text or value (see `check_query`)."""
    initial = [o for o in [el.get("initial_option"), *(el.get("initial_options") or [])] if o]
    found = _match(initial, value)
    if found is not None:
        return found
    check_query(el, value)
    if suggest is None:
        raise FormError("options come from the app's options handler, which is not reachable")
    offered = suggest(value)
    found = _match(offered, value)
    if found is None:
        raise FormError(f"the app offered no option {value!r} for it; offered: {_listed(offered)}")
    return found


def _user_id(value: str, ws: Workspace) -> str:
    u = ws.user(value) or ws.user_by_name(value)
    if not u:
        raise FormError(f"no user {value!r} in the workspace")
    return u.id


def _conv_id(value: str, ws: Workspace) -> str:
    c = ws.channel(value) or ws.channel_by_name(value)
    if c:
        return c.id
    u = ws.user_by_dm(value)
    if u:
        return value
    raise FormError(f"no channel {value!r} in the workspace")


def _as_list(value: Any) -> list:
    if value in (None, ""):
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def initial_state(el: dict) -> dict:
    """The state Slack sends for an element the user has not touched (its `initial_*`)."""
    t = el.get("type")
    s: dict[str, Any] = {"type": t}
    if t in TEXT_INPUTS:
        v = el.get("initial_value")
        s["value"] = str(v) if v not in (None, "") else None
    elif t in ("static_select", "external_select", "radio_buttons"):
        s["selected_option"] = _opt(el["initial_option"]) if el.get("initial_option") else None
    elif t in ("multi_static_select", "multi_external_select", "checkboxes"):
        s["selected_options"] = [_opt(o) for o in el.get("initial_options") or []]
    elif t == "datepicker":
        s["selected_date"] = el.get("initial_date")
    elif t == "timepicker":
        s["selected_time"] = el.get("initial_time")
    elif t == "datetimepicker":
        s["selected_date_time"] = el.get("initial_date_time")
    elif t == "users_select":
        s["selected_user"] = el.get("initial_user")
    elif t == "multi_users_select":
        s["selected_users"] = list(el.get("initial_users") or [])
    elif t == "conversations_select":
        s["selected_conversation"] = el.get("initial_conversation")
    elif t == "multi_conversations_select":
        s["selected_conversations"] = list(el.get("initial_conversations") or [])
    elif t == "channels_select":
        s["selected_channel"] = el.get("initial_channel")
    elif t == "multi_channels_select":
        s["selected_channels"] = list(el.get("initial_channels") or [])
    elif t == "rich_text_input":
        s["rich_text_value"] = el.get("initial_value")
    elif t == "file_input":
        s["files"] = []
    return s


def _file_ext(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _attach_files(
    el: dict, value: Any, upload: Uploader | None, base_dir: Path | str | None
) -> list[dict]:
    """Read the local files at `value` (a path or a list of paths; relative ones from
    `base_dir`, default the working directory), check them as Slack's client does (`filetypes`,
    `max_files`, 10 MB each), then store each with `upload`; their file objects."""
    paths = [Path(base_dir or ".") / Path(str(v)).expanduser() for v in _as_list(value)]
    limit = el.get("max_files") or FILE_INPUT_MAX_FILES
    if len(paths) > limit:
        raise FormError(f"{len(paths)} files chosen; this field takes at most {limit}")
    allowed = [str(f).lower().lstrip(".") for f in el.get("filetypes") or []]
    picked: list[tuple[str, bytes]] = []
    for path in paths:
        if allowed and _file_ext(path.name) not in allowed:
            raise FormError(
                f"{path.name!r} is not an accepted file type; accepted: {', '.join(allowed)}"
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FormError(f"cannot read {str(path)!r}: {exc.strerror}") from exc
        if len(data) > FILE_INPUT_MAX_BYTES:
            raise FormError(f"{path.name!r} is larger than Slack's 10 MB limit")
        picked.append((path.name, data))
    if picked and upload is None:
        raise FormError("files cannot be attached here")
    return [upload(name, data) for name, data in picked] if upload else []


def typed_state(
    el: dict,
    value: Any,
    ws: Workspace,
    *,
    upload: Uploader | None = None,
    suggest: Suggester | None = None,
    base_dir: Path | str | None = None,
) -> dict:
    """The state for `value` typed or chosen in `el`; raises FormError when impossible.

    Selects match `value` against option text, then option value; external selects against
    their initial option(s), else against what `suggest(value)` returns (the app's options for
    `value` typed; each value of a multi select is typed on its own); users by id or name;
    channels by id or name; `None` or "" clears. number_input checks what Slack's client checks
    (a number; an integer unless `is_decimal_allowed`; min/max). file_input takes a local path
    or a list of paths (relative to `base_dir`, default the working directory), checked against
    `filetypes` and `max_files`, and stored with `upload` (nothing is stored when refused).
    """
    t = el.get("type")
    s: dict[str, Any] = {"type": t}
    empty = value in (None, "")
    if t in TEXT_INPUTS:
        text = None if empty else str(value)
        if t == "number_input" and text is not None:
            try:
                num = float(text)
            except ValueError as exc:
                raise FormError(f"{text!r} is not a number") from exc
            if not el.get("is_decimal_allowed") and not num.is_integer():
                raise FormError(f"{text!r}: decimals are not allowed here")
            if el.get("min_value") is not None and num < float(el["min_value"]):
                raise FormError(f"{text!r} is below the minimum {el['min_value']}")
            if el.get("max_value") is not None and num > float(el["max_value"]):
                raise FormError(f"{text!r} is above the maximum {el['max_value']}")
        if t == "plain_text_input" and text is not None:
            if el.get("max_length") and len(text) > el["max_length"]:
                raise FormError(f"longer than max_length {el['max_length']}")
        s["value"] = text
    elif t == "external_select":
        s["selected_option"] = None if empty else _external_option(el, str(value), suggest)
    elif t == "multi_external_select":
        s["selected_options"] = [_external_option(el, str(v), suggest) for v in _as_list(value)]
    elif t in ("static_select", "radio_buttons"):
        s["selected_option"] = None if empty else _find_option(el, str(value))
    elif t in ("multi_static_select", "checkboxes"):
        s["selected_options"] = [_find_option(el, str(v)) for v in _as_list(value)]
    elif t == "datepicker":
        s["selected_date"] = None if empty else str(value)
    elif t == "timepicker":
        s["selected_time"] = None if empty else str(value)
    elif t == "datetimepicker":
        if isinstance(value, datetime):
            value = int(value.timestamp())
        s["selected_date_time"] = None if empty else int(value)
    elif t == "users_select":
        s["selected_user"] = None if empty else _user_id(str(value), ws)
    elif t == "multi_users_select":
        s["selected_users"] = [_user_id(str(v), ws) for v in _as_list(value)]
    elif t == "conversations_select":
        s["selected_conversation"] = None if empty else _conv_id(str(value), ws)
    elif t == "multi_conversations_select":
        s["selected_conversations"] = [_conv_id(str(v), ws) for v in _as_list(value)]
    elif t == "channels_select":
        s["selected_channel"] = None if empty else _conv_id(str(value), ws)
    elif t == "multi_channels_select":
        s["selected_channels"] = [_conv_id(str(v), ws) for v in _as_list(value)]
    elif t == "rich_text_input":
        s["rich_text_value"] = (
            None
            if empty
            else {
                "type": "rich_text",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [{"type": "text", "text": str(value)}],
                    }
                ],
            }
        )
    elif t == "file_input":
        s["files"] = _attach_files(el, value, upload, base_dir)
    else:
        raise FormError(f"the sandbox cannot fill a {t!r} element")
    return s


def is_empty(state: dict) -> bool:
    """True when nothing is entered (what makes a required input block fail on the client)."""
    vals = [v for k, v in state.items() if k != "type"]
    return all(v in (None, "", []) for v in vals)


def display(state: dict | None, ws: Workspace) -> str:
    """The entered value as a person sees it in the form."""
    if not state:
        return ""
    for key, v in state.items():
        if key == "type" or v in (None, "", []):
            continue
        if key == "selected_option":
            return (v.get("text") or {}).get("text", "")
        if key == "selected_options":
            return ", ".join((o.get("text") or {}).get("text", "") for o in v)
        if key == "selected_user":
            u = ws.user(v)
            return "@" + (u.name if u else v)
        if key == "selected_users":
            return ", ".join("@" + (ws.user(x).name if ws.user(x) else x) for x in v)
        if key in ("selected_channel", "selected_conversation"):
            c = ws.channel(v)
            return "#" + c.name if c else v
        if key == "files":
            return ", ".join(str(f.get("name") or f.get("id")) for f in v)
        if key == "rich_text_value":
            return " ".join(
                e.get("text", "") for s in v.get("elements", []) for e in s.get("elements", [])
            )
        if isinstance(v, list):
            return ", ".join(map(str, v))
        return str(v)
    return ""
