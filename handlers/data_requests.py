"""Data-introduction requests and introductions: the request modal (from `/data request`, a
search result's **Request introduction**, or **Add details**), the operators' Review button
and modal, the contact's Accept / Decline / Not now (and the operator's record buttons for
an email contact), the decline modal, and the follow-up's stage buttons."""

from __future__ import annotations

import re

from bot.blocks import data_requests as blocks
from bot.blocks import data_review as review_blocks
from bot.blocks import introductions as intro_blocks
from bot.blocks.data_directory import Ids as DirectoryIds
from bot.blocks.data_directory import IntroValue as DirectoryIntroValue
from bot.services import data_requests, introductions
from handlers.common import (
    clicked_at,
    deps_of,
    load_actor,
    open_for_actor,
    submit_modal,
    transaction,
)
from handlers.errors import guarded
from storage.data_requests import Answer, Stage


def register(app) -> None:
    app.action(DirectoryIds.REQUEST_INTRO)(guarded(handle_request_intro_button))
    app.action(blocks.Ids.ADD_DETAILS)(guarded(handle_add_details_button))
    app.view(blocks.Ids.SUBMIT)(guarded(handle_request_submission))
    app.action(blocks.Ids.REVIEW)(guarded(handle_review_button))
    app.view(blocks.Ids.REVIEW_SUBMIT)(guarded(handle_review_submission))
    app.action(intro_blocks.Ids.ACCEPT)(guarded(handle_accept))
    app.action(intro_blocks.Ids.NOT_NOW)(guarded(handle_not_now))
    app.action(intro_blocks.Ids.DECLINE)(guarded(handle_decline_button))
    app.view(intro_blocks.Ids.DECLINE_SUBMIT)(guarded(handle_decline_submission))
    app.action(re.compile(rf"^{re.escape(intro_blocks.Ids.STAGE)}:\w+$"))(guarded(handle_stage))


# --- the request modal ----------------------------------------------------------------------


def open_request_modal(
    deps, user: str, trigger_id: str, respond, *, holder_id=None, request_id=None
) -> None:
    """The request modal, prefilled with a preferred holder or the request to complete."""
    guess = deps.slack.known_lang(user) or deps.settings.default_language

    def build(session, actor):
        form = data_requests.request_form(
            session=session, actor=actor, holder_id=holder_id, request_id=request_id
        )
        return lambda lang: blocks.build_request_modal(form, lang)

    open_for_actor(deps, user, trigger_id, respond, guess, build)


def handle_request_intro_button(ack, body, action, context, respond) -> None:
    ack()
    value = DirectoryIntroValue.model_validate_json(action["value"])
    open_request_modal(
        deps_of(context),
        body["user"]["id"],
        body["trigger_id"],
        respond,
        holder_id=value.holder_id,
    )


def handle_add_details_button(ack, body, action, context, respond) -> None:
    ack()
    meta = blocks.ReviewMeta.model_validate_json(action["value"])
    open_request_modal(
        deps_of(context),
        body["user"]["id"],
        body["trigger_id"],
        respond,
        request_id=meta.request_id,
    )


def handle_request_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    lang = blocks.request_meta(view).lang
    submit_modal(
        deps,
        ack,
        lang,
        blocks.Ids.DATA,
        lambda: blocks.parse_request_submission(
            view, deps.now().astimezone(deps.settings.tz).date()
        ),
        lambda session, data: data_requests.submit(
            session=session,
            actor=load_actor(deps, session, body["user"]["id"], lang),
            data=data,
            settings=deps.settings,
            now=deps.now(),
            source_ref=f"view:{view['id']}",
            llm=deps.llm,
        ),
        view=view,
    )


# --- review ---------------------------------------------------------------------------------


def handle_review_button(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    meta = blocks.ReviewMeta.model_validate_json(action["value"]).model_copy(
        update=clicked_at(body)
    )

    def build(session, actor):
        view, suggested = data_requests.review_form(
            session=session, actor=actor, request_id=meta.request_id, settings=deps.settings
        )
        seen = meta.model_copy(update={"status": view.status})  # decide only on what was seen
        return lambda lang: review_blocks.build_review_modal(view, suggested, seen, lang)

    open_for_actor(
        deps, user, body["trigger_id"], respond, deps.slack.known_lang(user) or meta.lang, build
    )


def handle_review_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    lang = review_blocks.review_meta(view).lang
    failures = submit_modal(
        deps,
        ack,
        lang,
        blocks.Ids.DECISION,
        lambda: review_blocks.parse_review_submission(view),
        lambda session, data: data_requests.review(
            session=session,
            actor=load_actor(deps, session, body["user"]["id"], lang),
            data=data,
            settings=deps.settings,
            now=deps.now(),
        ),
        view=view,
    )
    if failures:  # asks Slack refused are not the holder's silence: mark them, tell operators
        with transaction(deps) as work:
            session = work.session
            notices = introductions.asks_undelivered(
                session=session, failures=failures, settings=deps.settings, now=deps.now()
            )
            work.send(notices)


# --- answers and stages ---------------------------------------------------------------------


def handle_accept(ack, body, action, context, respond) -> None:
    ack()
    _answer(deps_of(context), body, action, respond, Answer.ACCEPTED)


def handle_not_now(ack, body, action, context, respond) -> None:
    ack()
    _answer(deps_of(context), body, action, respond, Answer.NOT_NOW)


def _answer(deps, body, action, respond, answer: Answer, reason: str | None = None) -> None:
    meta = intro_blocks.IntroMeta.model_validate_json(action["value"])
    _act(
        deps,
        body["user"]["id"],
        meta.lang,
        lambda session, actor: introductions.answer(
            session=session,
            actor=actor,
            intro_id=meta.intro_id,
            answer=answer,
            reason=reason,
            settings=deps.settings,
            now=deps.now(),
            where=clicked_at(body),
        ),
    )


def handle_decline_button(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    where = clicked_at(body)
    meta = intro_blocks.IntroMeta.model_validate_json(action["value"]).model_copy(update=where)

    def build(session, actor):
        holder = introductions.answer_form(session=session, actor=actor, intro_id=meta.intro_id)
        return lambda lang: intro_blocks.build_decline_modal(holder, meta, lang)

    open_for_actor(
        deps, user, body["trigger_id"], respond, deps.slack.known_lang(user) or meta.lang, build
    )


def handle_decline_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    meta = intro_blocks.decline_meta(view)
    submit_modal(
        deps,
        ack,
        meta.lang,
        intro_blocks.Ids.REASON,
        lambda: intro_blocks.parse_decline_submission(view),
        lambda session, reason: introductions.answer(
            session=session,
            actor=load_actor(deps, session, body["user"]["id"], meta.lang),
            intro_id=meta.intro_id,
            answer=Answer.DECLINED,
            reason=reason,
            settings=deps.settings,
            now=deps.now(),
            where={"channel": meta.channel, "ts": meta.ts},
        ),
        view=view,
    )


def handle_stage(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    meta = intro_blocks.IntroMeta.model_validate_json(action["value"])
    stage = Stage(action["action_id"].rsplit(":", 1)[1])
    _act(
        deps,
        body["user"]["id"],
        meta.lang,
        lambda session, actor: introductions.set_stage(
            session=session,
            actor=actor,
            intro_id=meta.intro_id,
            stage=stage,
            settings=deps.settings,
            now=deps.now(),
            where=clicked_at(body),
        ),
    )


# --- shared ---------------------------------------------------------------------------------


def _act(deps, user: str, guess: str, service) -> None:
    """Run `service(session, actor)` in one transaction, then deliver its notices. A
    UserError reaches the user as an ephemeral reply (`guarded`)."""
    with transaction(deps) as work:
        session = work.session
        notices = service(session, load_actor(deps, session, user, guess))
        work.send(notices)
