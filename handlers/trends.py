"""`/trend add|list|help`, the message shortcut **Add to trend report** and its modal, and the
operators' theme menu (issue #8).

Everything slow happens after the ack: the page title is fetched once the item is stored and
the person answered (`complete_item`; a failed fetch leaves the URL as the title and is never
shown as an error), then the LLM is asked for a theme and a summary when one is configured.
The shortcut opens its modal first (the trigger_id lives 3 s) and stores on submission.
"""

from __future__ import annotations

import logging

from bot.blocks import trends as blocks
from bot.blocks.common import Message, escape, from_slack_text
from bot.clients.fetch import FetchError, fetch, page_title
from bot.clients.slack import Notice
from bot.i18n import t
from bot.parsing.months import parse_month
from bot.parsing.text import normalize_input
from bot.parsing.urls import message_link
from bot.services import trend_report, trends
from bot.services.members import user_error
from bot.settings import Settings
from handlers.common import (
    deliver,
    deps_of,
    lang_for,
    load_actor,
    open_for_actor,
    reply,
    submit_modal,
)
from handlers.errors import guarded
from jobs.trend_report import redraft, share
from storage.trends import TrendItem

log = logging.getLogger(__name__)

TITLE_BYTES = 512 * 1024  # a page's title is in its first few kilobytes
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


def register(app) -> None:
    app.command("/trend")(guarded(handle_trend_command))
    app.shortcut(blocks.Ids.SHORTCUT)(guarded(handle_add_shortcut))
    app.view(blocks.Ids.SUBMIT)(guarded(handle_add_submission))
    app.action(blocks.Ids.THEME)(guarded(handle_theme_select))


def handle_trend_command(ack, command, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = command["user_id"]
    text = from_slack_text(command.get("text")).strip()
    words = text.split(maxsplit=1)
    sub = normalize_input(words[0]).lower() if words else "help"
    rest = words[1].strip() if len(words) > 1 else ""
    lang = lang_for(deps, user)
    if sub.startswith(("http://", "https://", "<http")):  # `/trend URL [note]`: an add
        sub, rest = "add", text
    if sub == "add":
        add_from_command(deps, user, lang, rest, respond)
    elif sub == "list":
        reply(
            deps,
            user,
            lang,
            respond,
            trends.list_items,
            settings=deps.settings,
            now=deps.now(),
            month=rest or None,
        )
    elif sub == "draft":
        draft_on_demand(deps, user, lang, rest, respond)
    else:
        help_text = t("trend.help", lang)
        if sub != "help":
            help_text = t("trend.unknown_subcommand", lang, sub=escape(sub)) + "\n" + help_text
        respond(text=help_text)


def draft_on_demand(deps, user: str, lang: str, month: str, respond) -> None:
    """`/trend draft [YYYY-MM]` (operators): draft (or redraft) a month's report now, after
    the ack, into the operator channel; default the previous month."""
    with deps.session_factory() as session:
        load_actor(deps, session, user, lang).require_operator()
    now = deps.now()
    target = (
        parse_month(month).strftime("%Y-%m")
        if month
        else trend_report.month_to_draft(now, deps.settings)
    )
    respond(text=t("trend.drafting", lang, month=target))
    share(deps, redraft(deps, target, now, actor_id=user), now)


def split_link(text: str) -> tuple[str, str]:
    """(the link, the note) of `URL note` or `<URL|label> note` (decoded text)."""
    text = text.strip()
    if text.startswith("<") and ">" in text:
        end = text.index(">") + 1
        return text[:end], text[end:].strip()
    words = text.split(maxsplit=1)
    return (words[0], words[1].strip()) if len(words) > 1 else (text, "")


def add_from_command(deps, user: str, lang: str, text: str, respond) -> None:
    """`/trend add URL [note]`: store, answer, then fetch the title (after the ack)."""
    url, note = split_link(text)
    if not url:
        raise user_error("trend.error.no_url")
    with deps.session_factory.begin() as session:
        item, merged = trends.add_item(
            session,
            actor=load_actor(deps, session, user, lang),
            url=url,
            note=note,
            source="command",
            now=deps.now(),
            settings=deps.settings,
        )
        answer = trends.added_text(item, merged, bool(note.strip()), lang)
        item_id = item.id
    respond(text=answer, response_type="ephemeral")
    complete_item(deps, item_id, ask_llm=not merged)


# --- after the ack ---------------------------------------------------------------------------


def fetch_title(url: str, settings: Settings) -> str | None:
    """The page's title, or None when it cannot be had (logged, never raised): bounded by the
    fetch timeout and the first `TITLE_BYTES`, public addresses only."""
    try:
        page = fetch(
            url,
            timeout=settings.trend_fetch_timeout_seconds,
            max_bytes=TITLE_BYTES,
            truncate=True,
            public_only=True,
            accept=HTML_ACCEPT,
        )
    except FetchError as error:
        log.info("no title for %s: %s", url[:200], error)
        return None
    return page_title(page.content, page.content_type)


def complete_item(deps, item_id: int, *, ask_llm: bool) -> None:
    """After the ack: fetch and store the title if the item has none, then (new items, with an
    LLM configured) the LLM's theme and summary. Never raises: the person already has their
    answer, and the item stays as stored."""
    try:
        with deps.session_factory() as session:
            item = session.get(TrendItem, item_id)
            if item is None:
                return
            wanted, url = trends.needs_title(item), item.original_url
        if wanted:
            title = fetch_title(url, deps.settings)
            with deps.session_factory.begin() as session:
                trends.set_title(session, item_id=item_id, title=title)
        if ask_llm or wanted:
            trends.refine_with_llm(deps.session_factory, deps.llm, [item_id])
    except Exception:  # noqa: BLE001 (after the answer: log, never bother the person)
        log.exception("completing trend item %s failed", item_id)


# --- the message shortcut ----------------------------------------------------------------------


def handle_add_shortcut(ack, body, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    message = body.get("message") or {}
    url = message_link(message)
    if url is None:
        _tell(deps, body, respond, lambda lang: Message(t("trend.error.no_link", lang)))
        return
    channel = (body.get("channel") or {}).get("id")
    meta = blocks.AddMeta(channel=channel, ts=message.get("ts") or body.get("message_ts"))
    guess = deps.slack.known_lang(user) or deps.settings.default_language

    def build(session, actor):
        trends.require_collector(actor)
        return lambda lang: blocks.build_add_modal(url, lang, meta)

    open_for_actor(deps, user, body["trigger_id"], respond, guess, build)


def _tell(deps, body: dict, respond, render) -> None:
    """An ephemeral answer through the shortcut's response_url, else a DM."""
    user = body["user"]["id"]
    if body.get("response_url"):
        respond(text=render(lang_for(deps, user)).text, response_type="ephemeral")
        return
    deliver(deps, [Notice(channel=user, render=render, kind="trend_no_link")])


def handle_add_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    lang = blocks.meta_of(view).lang
    user = body["user"]["id"]
    stored: list[tuple[int, str, bool]] = []

    def store(session, data: blocks.AddInput):
        item, merged = trends.add_item(
            session,
            actor=load_actor(deps, session, user, lang),
            url=data.url,
            note=data.note,
            source="shortcut",
            now=deps.now(),
            settings=deps.settings,
        )
        stored.append((item.id, trends.added_text(item, merged, bool(data.note), lang), merged))
        return []

    submit_modal(
        deps,
        ack,
        lang,
        blocks.Ids.URL,
        lambda: blocks.parse_add_submission(view),
        store,
        view=view,
        done=lambda: blocks.build_added_view(stored[0][1], lang) if stored else None,
    )
    if stored:
        item_id, _, merged = stored[0]
        complete_item(deps, item_id, ask_llm=not merged)


# --- the operators' theme menu -------------------------------------------------------------------


def handle_theme_select(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    try:
        item_id, theme = blocks.parse_theme_value(action["selected_option"]["value"])
    except (KeyError, TypeError, ValueError):
        raise user_error("trend.error.bad_theme") from None
    lang = lang_for(deps, user)
    with deps.session_factory.begin() as session:
        message = trends.set_theme(
            session,
            actor=load_actor(deps, session, user, lang),
            item_id=item_id,
            theme=theme,
            now=deps.now(),
        )
    respond(text=message.text, response_type="ephemeral", replace_original=False)
