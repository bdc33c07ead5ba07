"""`/data`: search, request, requests, admin, pipeline, help. Bolt calls only the first
listener matching a command, so this one dispatches to the directory and request handlers."""

from __future__ import annotations

from bot.blocks.common import escape, from_slack_text
from bot.i18n import t
from bot.parsing.text import normalize_input
from bot.services import data_pipeline, data_requests
from handlers import data_directory
from handlers.common import deps_of, lang_for, reply
from handlers.data_requests import open_request_modal
from handlers.errors import guarded


def register(app) -> None:
    app.command("/data")(guarded(handle_data_command))


def handle_data_command(ack, command, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = command["user_id"]
    # split on any whitespace (a Japanese IME types U+3000), subcommand full-width folded
    words = from_slack_text(command.get("text")).split(maxsplit=1)
    sub = normalize_input(words[0]).lower() if words else "help"
    rest = words[1].strip() if len(words) > 1 else ""
    if sub == "request":  # a modal: views.open before any other Slack call
        open_request_modal(deps, user, command["trigger_id"], respond)
        return
    lang = lang_for(deps, user)
    if sub == "search":
        data_directory.search(deps, user, lang, rest, respond)
    elif sub == "admin":
        data_directory.admin(deps, user, lang, rest, respond)
    elif sub == "requests":
        reply(
            deps,
            user,
            lang,
            respond,
            data_requests.history,
            org_code=rest or None,
            settings=deps.settings,
        )
    elif sub == "pipeline":
        reply(deps, user, lang, respond, data_pipeline.pipeline_reply, settings=deps.settings)
    else:
        help_text = t("data.help", lang)
        if sub != "help":
            help_text = t("data.unknown_subcommand", lang, sub=escape(sub)) + "\n" + help_text
        respond(text=help_text)
