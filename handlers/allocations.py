"""Allocation management: the operators' `/compute admin` list, buttons and modal, and change
requests (`/compute request` by leads, the Review button and modal for operators,
`/compute requests` history). `handlers/compute.py` dispatches the subcommands here: Bolt
calls only the first listener matching `/compute`."""

from __future__ import annotations

import re

from bot.blocks import allocation_admin as admin_blocks
from bot.blocks import change_requests as change_blocks
from bot.services import allocation_admin, change_requests
from handlers.common import clicked_at, deps_of, load_actor, open_for_actor, reply, submit_modal
from handlers.errors import guarded


def register(app) -> None:
    app.action(re.compile(rf"^{re.escape(admin_blocks.Ids.EDIT)}:\d+$"))(
        guarded(handle_admin_button)
    )
    app.action(admin_blocks.Ids.NEW)(guarded(handle_admin_button))
    app.view(admin_blocks.Ids.SUBMIT)(guarded(handle_admin_submission))
    app.view(change_blocks.Ids.SUBMIT)(guarded(handle_request_submission))
    app.action(change_blocks.Ids.REVIEW)(guarded(handle_review_button))
    app.view(change_blocks.Ids.REVIEW_SUBMIT)(guarded(handle_review_submission))


# --- /compute admin -------------------------------------------------------------------------


def list_allocations(deps, user: str, lang: str, org_code: str | None, respond) -> None:
    """`/compute admin [ORG]`: the allocations with edit buttons (operators)."""
    reply(deps, user, lang, respond, allocation_admin.admin_list, org_code=org_code)


def handle_admin_button(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    meta = admin_blocks.AdminMeta.model_validate_json(action["value"])
    open_for_actor(
        deps, user, body["trigger_id"], respond, meta.lang, _admin_form(meta.allocation_id)
    )


def _admin_form(allocation_id: int | None):
    def build(session, actor):
        orgs, existing = allocation_admin.admin_form(
            session=session, actor=actor, allocation_id=allocation_id
        )
        return lambda lang: admin_blocks.build_admin_modal(orgs, existing, lang)

    return build


def handle_admin_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    lang = admin_blocks.meta_of(view).lang
    submit_modal(
        deps,
        ack,
        lang,
        admin_blocks.Ids.GRANTED,
        lambda: admin_blocks.parse_admin_submission(view)[1],
        lambda session, data: allocation_admin.save_allocation(
            session=session, actor=load_actor(deps, session, body["user"]["id"], lang), data=data
        ),
        view=view,
    )


# --- change requests ------------------------------------------------------------------------


def open_request_modal(deps, user: str, trigger_id: str, respond) -> None:
    """`/compute request`: the change request modal (organization leads)."""
    guess = deps.slack.known_lang(user) or deps.settings.default_language

    def build(session, actor):
        choices = change_requests.request_form(session=session, actor=actor)
        return lambda lang: change_blocks.build_request_modal(choices, lang)

    open_for_actor(deps, user, trigger_id, respond, guess, build)


def list_requests(deps, user: str, lang: str, org_code: str | None, respond) -> None:
    """`/compute requests [ORG]`: change request history."""
    reply(
        deps,
        user,
        lang,
        respond,
        change_requests.history,
        org_code=org_code,
        settings=deps.settings,
    )


def handle_request_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    lang = change_blocks.request_lang(view)
    submit_modal(
        deps,
        ack,
        lang,
        change_blocks.Ids.ALLOCATION,
        lambda: change_blocks.parse_request_submission(view),
        lambda session, data: change_requests.file_request(
            session=session,
            actor=load_actor(deps, session, body["user"]["id"], lang),
            data=data,
            settings=deps.settings,
            now=deps.now(),
            source_ref=f"view:{view['id']}",
        ),
        view=view,
    )


def handle_review_button(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    meta = change_blocks.ReviewMeta.model_validate_json(action["value"]).model_copy(
        update=clicked_at(body)
    )

    def build(session, actor):
        view = change_requests.review_form(
            session=session, actor=actor, request_id=meta.request_id, settings=deps.settings
        )
        return lambda lang: change_blocks.build_review_modal(view, meta, lang)

    guess = deps.slack.known_lang(user) or meta.lang
    open_for_actor(deps, user, body["trigger_id"], respond, guess, build)


def handle_review_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    lang = change_blocks.review_meta(view).lang
    submit_modal(
        deps,
        ack,
        lang,
        change_blocks.Ids.DECISION,
        lambda: change_blocks.parse_review_submission(view),
        lambda session, parsed: change_requests.decide(
            session=session,
            actor=load_actor(deps, session, body["user"]["id"], lang),
            meta=parsed[0],
            approve=parsed[1],
            reason=parsed[2],
            settings=deps.settings,
            now=deps.now(),
        ),
        view=view,
    )
