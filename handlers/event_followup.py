"""What follows an RSVP (issue #6): the Check in button (in the start DM and the announcement's
thread), the Answer the survey button (opens the modal) and the survey's submission. Replies
to a click are ephemeral, in the clicker's language; refusals (a UserError) go the same way
through `guarded`, and as inline errors in the modal."""

from __future__ import annotations

from bot.blocks import event_followup as blocks
from bot.services import event_followup
from bot.services.delivery import recipient_zone
from handlers.common import (
    clicked_at,
    deps_of,
    lang_for,
    load_actor,
    open_modal,
    submit_modal,
)
from handlers.errors import guarded


def register(app) -> None:
    app.action(blocks.Ids.CHECK_IN)(guarded(handle_check_in_action))
    app.action(blocks.Ids.SURVEY)(guarded(handle_survey_action))
    app.view(blocks.Ids.SURVEY_SUBMIT)(guarded(handle_survey_submission))


def handle_check_in_action(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    value = blocks.EventRef.model_validate_json(action["value"])
    zone = recipient_zone(deps.slack, user, deps.settings)
    with deps.session_factory.begin() as session:
        result = event_followup.check_in(
            session=session,
            actor=load_actor(deps, session, user, lang_for(deps, user)),
            event_id=value.event_id,
            now=deps.now(),
            zone=zone,
        )
    message = blocks.build_check_in_reply(result, zone, lang_for(deps, user))
    respond(
        text=message.text,
        blocks=message.blocks,
        response_type="ephemeral",
        replace_original=False,
    )


def handle_survey_action(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    value = blocks.EventRef.model_validate_json(action["value"])
    # views.open must be the first Slack call (the trigger_id lives 3 s)
    guess = deps.slack.known_lang(user) or deps.settings.default_language
    with deps.session_factory.begin() as session:
        form = event_followup.survey_form(
            session=session, event_id=value.event_id, user_id=user, now=deps.now()
        )
    where = clicked_at(body)
    open_modal(
        deps,
        user,
        body["trigger_id"],
        respond,
        lambda lang: blocks.build_survey_modal(form, lang, where["channel"], where["ts"]),
        guess,
    )


def handle_survey_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    user = body["user"]["id"]
    meta = blocks.meta_of(view)
    submit_modal(
        deps,
        ack,
        meta.lang,
        blocks.Ids.RATING,
        lambda: blocks.parse_survey_submission(view)[1],
        lambda session, data: event_followup.record_survey(
            session=session,
            event_id=meta.event_id,
            user_id=user,
            data=data,
            now=deps.now(),
            zone_of=lambda u: recipient_zone(deps.slack, u, deps.settings),
            channel=meta.channel,
            ts=meta.ts,
            lang=meta.lang,
        ),
        view=view,
    )
