"""`/event`: create, list, import, stats, help; the event modal's submission; the RSVP,
Add to calendar, Edit and Cancel buttons. Bolt calls only the first listener matching a
command, so this one dispatches to the import and stats handlers."""

from __future__ import annotations

from bot.blocks import event_forms as forms
from bot.blocks import events as blocks
from bot.blocks.common import Message, escape, from_slack_text
from bot.clients.slack import Notice
from bot.i18n import t
from bot.parsing.text import normalize_input
from bot.services import events
from handlers import event_import, event_stats
from handlers.common import (
    deliver,
    deps_of,
    lang_for,
    load_actor,
    open_for_actor,
    reply,
    submit_modal,
    transaction,
)
from handlers.errors import guarded
from handlers.event_announce import announce
from storage.events import RsvpAnswer

CHOICES = {
    blocks.Ids.GOING: RsvpAnswer.GOING,
    blocks.Ids.MAYBE: RsvpAnswer.MAYBE,
    blocks.Ids.CANT: RsvpAnswer.CANT,
}


def register(app) -> None:
    app.command("/event")(guarded(handle_event_command))
    app.view(forms.Ids.SUBMIT)(guarded(handle_event_submission))
    for action_id in CHOICES:
        app.action(action_id)(guarded(handle_rsvp_button))
    app.action(blocks.Ids.CALENDAR)(guarded(handle_calendar_button))
    app.action(blocks.Ids.EDIT)(guarded(handle_edit_button))
    app.action(blocks.Ids.CANCEL)(guarded(handle_cancel_button))
    event_import.register(app)


def handle_event_command(ack, command, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = command["user_id"]
    # split on any whitespace (a Japanese IME types U+3000), subcommand full-width folded
    words = from_slack_text(command.get("text")).split(maxsplit=1)
    sub = normalize_input(words[0]).lower() if words else "list"
    rest = words[1].strip() if len(words) > 1 else ""
    if sub == "create":  # modals: views.open before any other Slack call
        _open_event_modal(deps, user, command["trigger_id"], respond, None)
        return
    if sub == "import":
        event_import.open_import_modal(deps, user, command["trigger_id"], respond)
        return
    lang = lang_for(deps, user)
    if sub == "list":
        reply(
            deps,
            user,
            lang,
            respond,
            events.upcoming,
            settings=deps.settings,
            now=deps.now(),
            month=rest or None,
        )
    elif sub == "stats":
        event_stats.stats(deps, user, lang, rest, respond)
    else:
        help_text = t("event.help", lang)
        if sub != "help":
            help_text = t("event.unknown_subcommand", lang, sub=escape(sub)) + "\n" + help_text
        respond(text=help_text)


def _open_event_modal(deps, user: str, trigger_id: str, respond, event_id: int | None) -> None:
    guess = deps.slack.known_lang(user) or deps.settings.default_language

    def build(session, actor):
        form = events.event_form(
            session=session, actor=actor, settings=deps.settings, event_id=event_id
        )
        return lambda lang: forms.build_event_modal(form, lang)

    open_for_actor(deps, user, trigger_id, respond, guess, build)


def handle_event_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    lang = forms.meta_of(view).lang
    user = body["user"]["id"]
    saved = []

    def store(session, data):
        result = events.save(
            session=session,
            actor=load_actor(deps, session, user, lang),
            data=data,
            settings=deps.settings,
            now=deps.now(),
            source_ref=f"view:{view['id']}",
        )
        saved.append(result)
        return result.notices

    submit_modal(
        deps,
        ack,
        lang,
        forms.Ids.TITLE,
        lambda: forms.parse_event_submission(view),
        store,
        view=view,
    )
    if saved and saved[0].event_id is not None:
        _confirm(deps, user, saved[0])


def _confirm(deps, user: str, saved: events.Saved) -> None:
    """Post the announcement (when due) and tell the operator where it is, or why not."""
    code = announce(deps, saved.event_id) if saved.announce else None
    with deps.session_factory.begin() as session:
        channel, posted = events.announced_in(session, saved.event_id)
    if saved.announce:
        key = "event.announce_failed" if code else "event.announced"
    else:
        key = "event.updated" if posted else "event.saved"

    def render(lang: str) -> Message:
        text = t(key, lang, channel=channel or "", code=code or "")
        if saved.over_capacity:
            going, capacity = saved.over_capacity
            text += "\n" + t("event.over_capacity", lang, going=going, capacity=capacity)
        return Message(text)

    deliver(deps, [Notice(channel=user, render=render, kind="event_saved")])


def _event_id(action: dict) -> int:
    return blocks.EventValue.model_validate_json(action["value"]).event_id


def handle_rsvp_button(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    with transaction(deps, flush=False) as work:
        answered = events.answer(
            session=work.session,
            actor=load_actor(deps, work.session, user, lang_for(deps, user)),
            event_id=_event_id(action),
            choice=CHOICES[action["action_id"]],
            settings=deps.settings,
            now=deps.now(),
        )
        work.send(answered.notices)
    respond(
        text=answered.text(lang_for(deps, user)),
        response_type="ephemeral",
        replace_original=False,
    )
    work.flush()


def handle_calendar_button(ack, body, action, context) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    with transaction(deps) as work:
        session = work.session
        notices = events.calendar_file(
            session=session,
            actor=load_actor(deps, session, user, lang_for(deps, user)),
            event_id=_event_id(action),
        )
        work.send(notices)


def handle_edit_button(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    _open_event_modal(deps, body["user"]["id"], body["trigger_id"], respond, _event_id(action))


def handle_cancel_button(ack, body, action, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    with transaction(deps) as work:
        session = work.session
        notices = events.cancel(
            session=session,
            actor=load_actor(deps, session, user, lang_for(deps, user)),
            event_id=_event_id(action),
            settings=deps.settings,
            now=deps.now(),
        )
        work.send(notices)
