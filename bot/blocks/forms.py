"""Building and reading modals: the input blocks Kiban's forms use, each with the one action id
`value`, and the reading of a submitted view's state. Pure: no I/O.

Limits from Slack's Block Kit reference: a static select holds at most 100 options, an option's
text at most 75 characters, a plain-text input at most 3000 characters.
"""

from __future__ import annotations

from datetime import date, time

from slack_sdk.models.blocks import (
    ConversationFilter,
    ConversationSelectElement,
    DatePickerElement,
    ExternalDataMultiSelectElement,
    ExternalDataSelectElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    StaticMultiSelectElement,
    StaticSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
)
from slack_sdk.models.blocks.block_elements import FileInputElement
from slack_sdk.models.views import View

from bot.parsing.text import blank

INPUT = "value"  # the action id of every form element
OPTIONS_MAX = 100
OPTION_TEXT_MAX = 75
TEXT_MAX = 3000


def option(text: str, value: str) -> Option:
    return Option(text=PlainTextObject(text=text[:OPTION_TEXT_MAX]), value=value)


def select(
    block_id: str, label: str, options: list[Option], *, initial: str | None = None
) -> InputBlock:
    """A static select (first 100 options) preselecting the option whose value is `initial`
    (a single option is preselected anyway)."""
    options = options[:OPTIONS_MAX]
    chosen_ = next((o for o in options if o.value == initial), None)
    if chosen_ is None and len(options) == 1:
        chosen_ = options[0]
    return InputBlock(
        block_id=block_id,
        label=label,
        element=StaticSelectElement(action_id=INPUT, options=options, initial_option=chosen_),
    )


def multi_select(
    block_id: str,
    label: str,
    options: list[Option],
    *,
    initial: list[str] = (),
    optional: bool = False,
) -> InputBlock:
    """A static multi select (first 100 options), preselecting the options whose value is in
    `initial`."""
    options = options[:OPTIONS_MAX]
    chosen_ = [o for o in options if o.value in set(initial)]
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        element=StaticMultiSelectElement(
            action_id=INPUT, options=options, initial_options=chosen_ or None
        ),
    )


def external(
    block_id: str,
    label: str,
    action_id: str,
    *,
    initial: list[Option] = (),
    multi: bool = False,
    optional: bool = False,
    min_query_length: int = 1,
) -> InputBlock:
    """An external select (options from the app's options listener for `action_id`, searched
    as the user types, so any number of choices works: Slack's static select stops at 100).
    The action id is the listener's, not `INPUT`: read it with `picked_external`."""
    if multi:
        element = ExternalDataMultiSelectElement(
            action_id=action_id,
            initial_options=list(initial) or None,
            min_query_length=min_query_length,
        )
    else:
        element = ExternalDataSelectElement(
            action_id=action_id,
            initial_option=initial[0] if initial else None,
            min_query_length=min_query_length,
        )
    return InputBlock(block_id=block_id, label=label, optional=optional, element=element)


def radio(block_id: str, label: str, options: list[Option]) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        element=RadioButtonsElement(action_id=INPUT, options=options),
    )


def text(
    block_id: str,
    label: str,
    *,
    multiline: bool = False,
    max_length: int | None = None,
    initial: str | None = None,
    optional: bool = False,
    hint: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        hint=hint,
        optional=optional,
        element=PlainTextInputElement(
            action_id=INPUT,
            multiline=multiline,
            max_length=max_length,
            initial_value=initial or None,
        ),
    )


def day(block_id: str, label: str, *, initial: date | None = None, optional=False) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        element=DatePickerElement(
            action_id=INPUT, initial_date=initial.isoformat() if initial else None
        ),
    )


def upload(block_id: str, label: str, filetypes: list[str]) -> InputBlock:
    """A file input for one file (`filetypes` is only a hint to Slack's client)."""
    return InputBlock(
        block_id=block_id,
        label=label,
        element=FileInputElement(action_id=INPUT, filetypes=filetypes, max_files=1),
    )


def clock(block_id: str, label: str, *, initial: time | None = None) -> InputBlock:
    """A time picker (`HH:MM`, read as a wall time in a zone the form names)."""
    return InputBlock(
        block_id=block_id,
        label=label,
        element=TimePickerElement(
            action_id=INPUT, initial_time=f"{initial:%H:%M}" if initial else None
        ),
    )


def whole_number(
    block_id: str,
    label: str,
    *,
    initial: int | None = None,
    minimum: int = 1,
    maximum: int | None = None,
    optional=False,
) -> InputBlock:
    """A number input for whole numbers (Slack checks the bounds in the client; the parser
    checks them again)."""
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        element=NumberInputElement(
            action_id=INPUT,
            is_decimal_allowed=False,
            min_value=str(minimum),
            max_value=str(maximum) if maximum is not None else None,
            initial_value=str(initial) if initial is not None else None,
        ),
    )


def users(block_id: str, label: str, *, initial: list[str] = (), optional=False) -> InputBlock:
    """A multi user select (any number of the workspace's people)."""
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        element=UserMultiSelectElement(action_id=INPUT, initial_users=list(initial) or None),
    )


def conversation(block_id: str, label: str, *, optional=False, hint: str | None = None):
    """A conversation select limited to public and private channels."""
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        hint=hint,
        element=ConversationSelectElement(
            action_id=INPUT,
            filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
        ),
    )


def modal(
    callback_id: str, *, title: str, submit: str, close: str, metadata: str, blocks: list
) -> View:
    return View(
        type="modal",
        callback_id=callback_id,
        title=title,
        submit=submit,
        close=close,
        private_metadata=metadata,
        blocks=blocks,
    )


# --- reading a submitted view -----------------------------------------------------------------


def values_of(view: dict) -> dict:
    """The submitted view's `state.values`."""
    return view.get("state", {}).get("values", {})


def state(values: dict, block_id: str) -> dict:
    """The state of the block's element ({} when absent)."""
    return values.get(block_id, {}).get(INPUT, {}) or {}


def typed(values: dict, block_id: str) -> str:
    """What was typed in a text input, stripped ("" when empty, or when it shows nothing: only
    spaces and invisible characters such as U+200B, so a required field cannot be filled so)."""
    text = (state(values, block_id).get("value") or "").strip()
    return "" if blank(text) else text


def chosen(values: dict, block_id: str) -> str | None:
    """The value of the selected option of a select or radio group, or None."""
    selected = state(values, block_id).get("selected_option")
    return selected["value"] if selected else None


def chosen_many(values: dict, block_id: str) -> list[str]:
    """The values of a multi select's selected options, in order ([] when none)."""
    return [o["value"] for o in state(values, block_id).get("selected_options") or []]


def picked_external(values: dict, block_id: str) -> list[str]:
    """The values picked in an external select or multi external select (whatever its action
    id), in order ([] when none)."""
    element = next(iter((values.get(block_id) or {}).values()), None) or {}
    if element.get("selected_option"):
        return [element["selected_option"]["value"]]
    return [o["value"] for o in element.get("selected_options") or []]


def picked_date(values: dict, block_id: str) -> date | None:
    """The date picked in a date picker, or None (also for a malformed one)."""
    raw = state(values, block_id).get("selected_date")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def picked_time(values: dict, block_id: str) -> time | None:
    """The time picked in a time picker, or None (also for a malformed one)."""
    raw = state(values, block_id).get("selected_time")
    try:
        return time.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def picked_users(values: dict, block_id: str) -> list[str]:
    """The user ids of a multi user select, in order ([] when none)."""
    return list(state(values, block_id).get("selected_users") or [])


def picked_conversation(values: dict, block_id: str) -> str | None:
    """The channel id of a conversation select, or None."""
    return state(values, block_id).get("selected_conversation") or None


def uploaded(values: dict, block_id: str) -> list[dict]:
    """The file objects of a file input ([] when none)."""
    return list(state(values, block_id).get("files") or [])
