"""`/announce` (operators): compose (the modal), `list`, `edit N`, `cancel N`, `help`; the modal's
submission; **Approve** and **Cancel** on the announcement's card in the operator channel (and
Cancel in the list). The rules, the four-eyes rule among them, are the service's
(`bot.services.announcements`); publication is the `announcements` job's."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.blocks import announcements as blocks
from bot.blocks.common import escape, from_slack_text
from bot.clients.slack import TRANSPORT_ERRORS
from bot.i18n import t
from bot.parsing.text import normalize_input
from bot.services import announcements
from bot.services.members import user_error
from handlers.common import (
    clicked_at,
    deps_of,
    lang_for,
    load_actor,
    open_for_actor,
    reply,
    submit_modal,
    transaction,
)
from handlers.errors import guarded

log = logging.getLogger(__name__)


def register(app) -> None:
    app.command("/announce")(guarded(handle_announce_command))
    app.view(blocks.Ids.SUBMIT)(guarded(handle_submission))
    app.action(blocks.Ids.APPROVE)(guarded(handle_approve))
    app.action(blocks.Ids.CANCEL)(guarded(handle_cancel))


def _number(text: str) -> int:
    """`12` or `#12` → 12; raises UserError otherwise."""
    digits = normalize_input(text).removeprefix("#")
    if not digits.isdigit():
        raise user_error("announce.error.number", text=escape(text))
    return int(digits)


def handle_announce_command(ack, command, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = command["user_id"]
    words = from_slack_text(command.get("text")).split()
    sub = normalize_input(words[0]).lower() if words else "new"
    arg = words[1] if len(words) > 1 else ""
    if sub in ("new", "compose"):
        open_compose(deps, user, command["trigger_id"], respond)
    elif sub == "edit":
        open_edit(deps, user, command["trigger_id"], respond, _number(arg))
    elif sub == "list":
        reply(
            deps,
            user,
            lang_for(deps, user),
            respond,
            announcements.list_message,
            settings=deps.settings,
            now=deps.now(),
        )
    elif sub == "cancel":
        cancel(deps, user, _number(arg), respond, None)
    else:
        lang = lang_for(deps, user)
        text = t("announce.help", lang)
        if sub != "help":
            text = t("announce.unknown_subcommand", lang, sub=escape(sub)) + "\n" + text
        respond(text=text)


def open_compose(deps, user: str, trigger_id: str, respond) -> None:
    """The empty modal (operators; anyone else gets the refusal, and nothing opens)."""
    guess = deps.slack.known_lang(user) or deps.settings.default_language
    tz = deps.settings.tz

    def build(session, actor):
        day, clock = announcements.compose_form(actor=actor, settings=deps.settings, now=deps.now())
        return lambda lang: blocks.build_modal(lang, tz, day=day, clock=clock)

    open_for_actor(deps, user, trigger_id, respond, guess, build)


def open_edit(deps, user: str, trigger_id: str, respond, announcement_id: int) -> None:
    """The modal prefilled with the author's own waiting announcement."""
    guess = deps.slack.known_lang(user) or deps.settings.default_language
    tz = deps.settings.tz

    def build(session, actor):
        card = announcements.edit_form(
            session=session, actor=actor, announcement_id=announcement_id
        )
        local = card.publish_at.astimezone(tz)
        return lambda lang: blocks.build_modal(
            lang, tz, day=local.date(), clock=local.time(), current=card
        )

    open_for_actor(deps, user, trigger_id, respond, guess, build)


def handle_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    meta = blocks.meta_of(view)
    user = body["user"]["id"]
    stored = {}

    def store(session, data):
        card, notices = announcements.submit(
            session=session,
            actor=load_actor(deps, session, user, meta.lang),
            meta=meta,
            data=data,
            settings=deps.settings,
            now=deps.now(),
            source_ref=f"view:{view['id']}",
        )
        stored["card"] = card
        stored["new_cards"] = [n for n in notices if n.kind == "announcement_card" and not n.ts]
        return [n for n in notices if n not in stored["new_cards"]]

    submit_modal(
        deps,
        ack,
        meta.lang,
        blocks.Ids.TITLE["ja"],
        lambda: blocks.parse_submission(view)[1],
        store,
        view=view,
        done=lambda: blocks.done_view(stored["card"], deps.settings.tz, meta.lang),
    )
    for notice in stored.get("new_cards", []):
        post_card(deps, stored["card"].id, notice)


def post_card(deps, announcement_id: int, notice) -> None:
    """Post a new card and remember where, so approval, edits, cancelling and publication
    update that one card in place (a card Slack refused is logged; the list still shows it)."""
    try:
        ts = deps.slack.post(notice.channel, notice.render(notice.lang))
    except (SlackApiError, *TRANSPORT_ERRORS) as error:
        log.error(
            "could not post announcement %s's card to %s: %s",
            announcement_id,
            notice.channel,
            error,
        )
        return
    if ts:
        with deps.session_factory.begin() as session:
            announcements.card_posted(
                session, announcement_id=announcement_id, channel=notice.channel, ts=ts
            )


def _value(action: dict) -> blocks.ButtonValue:
    return blocks.ButtonValue.model_validate_json(action["value"])


def _card_place(body: dict) -> dict:
    """Where the clicked card is, to update it in place; nothing for an ephemeral list."""
    if (body.get("container") or {}).get("is_ephemeral"):
        return {"channel": None, "ts": None}
    return clicked_at(body)


def handle_approve(ack, body, action, context) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    value = _value(action)
    with transaction(deps) as work:
        session = work.session
        notices = announcements.approve(
            session=session,
            actor=load_actor(deps, session, user, lang_for(deps, user)),
            announcement_id=value.announcement_id,
            revision=value.revision,
            settings=deps.settings,
            now=deps.now(),
            **_card_place(body),
        )
        work.send(notices)


def handle_cancel(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    cancel(deps, body["user"]["id"], _value(action).announcement_id, respond, body)


def cancel(deps, user: str, announcement_id: int, respond, body: dict | None) -> None:
    """Cancel from the command or a button; the card is updated in place when clicked there,
    otherwise the person gets the confirmation."""
    lang = lang_for(deps, user)
    place = _card_place(body) if body else {"channel": None, "ts": None}
    with transaction(deps, flush=False) as work:
        notices, card = announcements.cancel(
            session=work.session,
            actor=load_actor(deps, work.session, user, lang),
            announcement_id=announcement_id,
            settings=deps.settings,
            now=deps.now(),
            **place,
        )
        work.send(notices)
    if not place["ts"]:
        respond(text=t("announce.cancelled", lang, id=card.id))
    work.flush()
