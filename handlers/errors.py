"""The one error handler, applied to every listener with `guarded(...)` at registration.

A UserError becomes an ephemeral reply (or, in a modal not yet acknowledged, an inline error)
in the user's language; anything else is logged with its stack and the user gets a short
apology, never a trace.

Why a wrapper and not Bolt's `app.error`: when a listener raises after `ack()`, Bolt's thread
runner resets the acknowledgement to None (slack_bolt/listener/thread_runner.py), so the HTTP
answer races with the error and Slack can see a missing ack (a 404 after 3 s). Catching inside
the listener keeps the ack intact.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.errors import UserError
from bot.i18n import t
from handlers.common import deps_of, lang_for

log = logging.getLogger(__name__)


def guarded(listener):
    """Wrap a Bolt listener so every exception it raises reaches `report_error`.

    Bolt injects arguments by the listener's positional parameter names, so the wrapper
    declares the union Kiban's listeners use and passes each listener only its own.
    """
    from slack_bolt.util.utils import get_arg_names_of_callable

    wanted = get_arg_names_of_callable(listener)

    def wrapper(ack, body, context, respond, command, view, action, event):
        given = dict(
            ack=ack,
            body=body,
            context=context,
            respond=respond,
            command=command,
            view=view,
            action=action,
            event=event,
        )
        try:
            return listener(**{name: given[name] for name in wanted})
        except Exception as error:  # noqa: BLE001 (this is the one error handler)
            report_error(error, ack=ack, body=body or {}, context=context, respond=respond)

    wrapper.__name__ = listener.__name__
    wrapper.__qualname__ = listener.__qualname__
    wrapper.__doc__ = listener.__doc__
    return wrapper


def _user_of(body: dict) -> str | None:
    user = body.get("user_id") or body.get("user") or (body.get("event") or {}).get("user")
    return user.get("id") if isinstance(user, dict) else user


def report_error(error: Exception, *, ack, body: dict, context, respond) -> None:
    """Tell the user what went wrong, in their language; log anything unexpected."""
    deps = deps_of(context)
    user = _user_of(body)
    lang = lang_for(deps, user) if user else deps.settings.default_language
    if isinstance(error, UserError):
        text = error.message(lang)
    else:
        log.exception("listener failed: %s", error)
        text = t("error.generic", lang)
    if ack.response is None and body.get("type") == "view_submission":
        first_input = next(
            (b["block_id"] for b in body["view"]["blocks"] if b.get("type") == "input"), None
        )
        if first_input:  # keep the modal open with what the user typed
            ack(response_action="errors", errors={first_input: text})
            return
    if ack.response is None:
        ack()
    if not user:
        return
    if body.get("response_url"):
        respond(text=text, response_type="ephemeral", replace_original=False)
        return
    try:
        deps.slack.client.chat_postMessage(channel=user, text=text)
    except SlackApiError as slack_error:
        log.error("could not tell %s about an error: %s", user, slack_error.response.get("error"))
