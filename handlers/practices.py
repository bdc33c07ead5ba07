"""`/practice add|search|list|queue|help`, the message shortcut **Add to best practices** and
its modal, and the operators' **Approve** / **Edit** / **Reject** on the queue post (or on
the `/practice queue` list) with the edit and reject modals (issue #9).

Modals open first (the trigger_id lives 3 s): the only work before `views.open` is reading
the person's memberships. A queue post clicked in the operator channel is updated in place;
a click in the ephemeral `/practice queue` list gets an ephemeral answer instead (an
ephemeral message cannot be updated with `chat.update`).
"""

from __future__ import annotations

from pydantic import ValidationError

from bot.blocks import practices as blocks
from bot.blocks.common import escape, from_slack_text, plain_from_message, truncate
from bot.blocks.compute import FormErrors
from bot.i18n import t
from bot.parsing.text import normalize_input
from bot.parsing.urls import message_link
from bot.services import practices
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


def register(app) -> None:
    app.command("/practice")(guarded(handle_practice_command))
    app.shortcut(blocks.Ids.SHORTCUT)(guarded(handle_add_shortcut))
    app.view(blocks.Ids.SUBMIT)(guarded(handle_add_submission))
    app.action(blocks.Ids.APPROVE)(guarded(handle_approve))
    app.action(blocks.Ids.EDIT)(guarded(handle_edit_button))
    app.view(blocks.Ids.EDIT_SUBMIT)(guarded(handle_edit_submission))
    app.action(blocks.Ids.REJECT)(guarded(handle_reject_button))
    app.view(blocks.Ids.REJECT_SUBMIT)(guarded(handle_reject_submission))


def handle_practice_command(ack, command, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = command["user_id"]
    words = from_slack_text(command.get("text")).strip().split(maxsplit=1)
    sub = normalize_input(words[0]).lower() if words else "help"
    rest = words[1].strip() if len(words) > 1 else ""
    if sub == "add":  # the modal first: nothing slow before views.open
        open_add_modal(deps, user, command["trigger_id"], respond)
        return
    lang = lang_for(deps, user)
    if sub == "search":
        reply(deps, user, lang, respond, practices.search, words=rest)
    elif sub == "list":
        reply(deps, user, lang, respond, practices.list_practices, area=rest or None)
    elif sub == "queue":
        reply(deps, user, lang, respond, practices.queue)
    else:
        help_text = t("practice.help", lang)
        if sub != "help":
            help_text = t("practice.unknown_subcommand", lang, sub=escape(sub)) + "\n" + help_text
        respond(text=help_text)


# --- adding ---------------------------------------------------------------------------------------


def open_add_modal(deps, user: str, trigger_id: str, respond, **prefill) -> None:
    """The add modal, once the person may submit, with their organizations to choose from
    and, from the shortcut, the message's text and link."""
    guess = deps.slack.known_lang(user) or deps.settings.default_language

    def build(session, actor):
        form = practices.add_form(session=session, actor=actor, **prefill)
        return lambda lang: blocks.build_add_modal(form, lang)

    open_for_actor(deps, user, trigger_id, respond, guess, build)


def handle_add_shortcut(ack, body, context, respond) -> None:
    ack()
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id")
    # the message's own link only: a permalink would name its author in an anonymous entry
    source = message_link(message) or ""
    open_add_modal(
        deps_of(context),
        body["user"]["id"],
        body["trigger_id"],
        respond,
        body=truncate(plain_from_message(message.get("text")).strip(), blocks.BODY_MAX),
        source=source,
        origin="shortcut",
        channel=channel,
    )


def handle_add_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    meta = blocks.add_meta(view)
    user = body["user"]["id"]
    submit_modal(
        deps,
        ack,
        meta.lang,
        blocks.Ids.TITLE,
        lambda: blocks.parse_add_submission(view),
        lambda session, data: practices.submit(
            session=session,
            actor=load_actor(deps, session, user, meta.lang),
            data=data,
            settings=deps.settings,
            now=deps.now(),
            source_ref=f"view:{view['id']}",
            origin=meta.origin,
        ),
        view=view,
    )


# --- reviewing ------------------------------------------------------------------------------------


def _value(action: dict) -> blocks.ReviewValue:
    try:
        return blocks.ReviewValue.model_validate_json(action.get("value") or "")
    except ValidationError:
        raise user_error("practice.error.gone") from None


def _where(body: dict) -> dict:
    """The clicked queue post (`channel`, `ts`), or {} for an ephemeral list or a view."""
    container = body.get("container") or {}
    if container.get("type") != "message" or container.get("is_ephemeral"):
        return {}
    return clicked_at(body)


def handle_approve(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    value, where = _value(action), _where(body)
    lang = lang_for(deps, user)
    with transaction(deps) as work:
        session = work.session
        decision = practices.approve(
            session=session,
            actor=load_actor(deps, session, user, lang),
            practice_id=value.practice_id,
            revision=value.revision,
            settings=deps.settings,
            now=deps.now(),
            where=where,
        )
        work.send(decision.notices)
    if not where:
        respond(text=decision.answer, response_type="ephemeral", replace_original=False)


def _open_review_modal(body, action, context, respond, build_view) -> None:
    deps = deps_of(context)
    user = body["user"]["id"]
    value = _value(action)
    meta = blocks.ReviewMeta(**value.model_dump(), **_where(body))

    def build(session, actor):
        entry = practices.review_form(
            session=session, actor=actor, practice_id=meta.practice_id, revision=meta.revision
        )
        return lambda lang: build_view(entry, meta, lang)

    guess = deps.slack.known_lang(user) or value.lang
    open_for_actor(deps, user, body["trigger_id"], respond, guess, build)


def handle_edit_button(ack, body, action, context, respond) -> None:
    ack()
    _open_review_modal(body, action, context, respond, blocks.build_edit_modal)


def handle_reject_button(ack, body, action, context, respond) -> None:
    ack()
    _open_review_modal(body, action, context, respond, blocks.build_reject_modal)


def _submit_review(ack, body, view, context, field: str, parse, service) -> None:
    """An edit or reject modal: `parse()` the view, `service(session, actor, meta, data)`
    decides; with no queue post to update, the modal shows the answer."""
    deps = deps_of(context)
    meta = blocks.review_meta(view)
    lang = meta.lang if meta else deps.settings.default_language
    answers: list[str] = []

    def parsed():
        if meta is None:
            raise FormErrors({field: user_error("practice.error.gone")})
        return parse(view)

    def store(session, data):
        decision = service(session, load_actor(deps, session, body["user"]["id"], lang), meta, data)
        answers.append(decision.answer)
        return decision.notices

    submit_modal(
        deps,
        ack,
        lang,
        field,
        parsed,
        store,
        view=view,
        done=lambda: blocks.build_done_view(answers[0], lang) if answers and not meta.ts else None,
    )


def handle_edit_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    _submit_review(
        ack,
        body,
        view,
        context,
        blocks.Ids.TITLE,
        blocks.parse_edit_submission,
        lambda session, actor, meta, data: practices.edit(
            session=session,
            actor=actor,
            meta=meta,
            data=data,
            settings=deps.settings,
            now=deps.now(),
        ),
    )


def handle_reject_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    _submit_review(
        ack,
        body,
        view,
        context,
        blocks.Ids.REASON,
        blocks.parse_reject_submission,
        lambda session, actor, meta, reason: practices.reject(
            session=session,
            actor=actor,
            meta=meta,
            reason=reason,
            settings=deps.settings,
            now=deps.now(),
        ),
    )
