"""Building and reading modals: the input blocks Kiban's forms use, each with the one action id
`value`, and the reading of a submitted view's state. Pure: no I/O.

Limits from Slack's Block Kit reference: a static select holds at most 100 options, an option's
text at most 75 characters, a plain-text input at most 3000 characters.
"""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    DatePickerElement,
    ExternalDataMultiSelectElement,
    ExternalDataSelectElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

INPUT = "value"  # the action id of every form element
OPTIONS_MAX = 100
OPTION_TEXT_MAX = 75
TEXT_MAX = 3000


def option(text: str, value: str) -> Option:
    return Option(text=PlainTextObject(text=text[:OPTION_TEXT_MAX]), value=value)


def select(block_id: str, label: str, options: list[Option]) -> InputBlock:
    """A static select (first 100 options); a single option is preselected."""
    options = options[:OPTIONS_MAX]
    return InputBlock(
        block_id=block_id,
        label=label,
        element=StaticSelectElement(
            action_id=INPUT,
            options=options,
            initial_option=options[0] if len(options) == 1 else None,
        ),
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
    """What was typed in a text input, stripped ("" when empty)."""
    return (state(values, block_id).get("value") or "").strip()


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
