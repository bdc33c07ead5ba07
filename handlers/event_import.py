"""`/event import` (operators): the "Import a calendar" modal and its submission. The file is
downloaded and read before the ack (the reading is bounded: see `bot.parsing.ical_events`), so
a broken file is an inline error on the file field and nothing is stored; the import is one
transaction. After the commit the events due are announced (new ones, and ones imported
before but never announced), and the operator gets a DM of the outcome, naming each event
Slack refused to announce, where, Slack's error code, and how to fix it."""

from __future__ import annotations

from dataclasses import replace

from bot.blocks import event_import as blocks
from bot.clients.slack import Notice
from bot.services import event_import
from handlers.common import (
    deliver,
    deps_of,
    load_actor,
    open_for_actor,
    read_upload,
    submit_modal,
)
from handlers.errors import guarded
from handlers.event_announce import announce

MAX_BYTES = 2 * 1024 * 1024  # long descriptions; the count of events is bounded when read


def register(app) -> None:
    app.view(blocks.Ids.SUBMIT)(guarded(handle_import_submission))


def open_import_modal(deps, user: str, trigger_id: str, respond) -> None:
    guess = deps.slack.known_lang(user) or deps.settings.default_language

    def build(session, actor):
        actor.require_operator()
        return lambda lang: blocks.build_import_modal(deps.settings.timezone, lang)

    open_for_actor(deps, user, trigger_id, respond, guess, build)


def handle_import_submission(ack, body, view, context) -> None:
    deps = deps_of(context)
    lang = blocks.ImportMeta.model_validate_json(view.get("private_metadata") or "{}").lang
    user = body["user"]["id"]
    now = deps.now()
    done = []

    def parse():
        data = blocks.parse_import_submission(view)
        calendar = read_upload(
            deps,
            data.file,
            blocks.Ids.FILE,
            max_bytes=MAX_BYTES,
            too_large="eventimport.too_large",
            read=lambda content: event_import.read_calendar(
                content, now=now, default_zone=data.default_zone
            ),
        )
        return data, calendar

    def store(session, parsed):
        data, calendar = parsed
        outcome, to_announce, notices = event_import.import_calendar(
            session=session,
            actor=load_actor(deps, session, user, lang),
            calendar=calendar,
            channel=data.channel,
            settings=deps.settings,
            now=now,
        )
        done.append((outcome, to_announce, data.channel))
        return notices

    submit_modal(deps, ack, lang, blocks.Ids.FILE, parse, store, view=view)
    if not done:
        return
    outcome, to_announce, channel = done[0]
    announced, refused = [], []
    for item in to_announce:
        code = announce(deps, item.event_id)
        if code is None:
            announced.append(item.label)
        else:
            refused.append(blocks.NotAnnounced(item.label, item.channel, code))
    outcome = replace(outcome, announced=announced, not_announced=refused)
    deliver(
        deps,
        [
            Notice(
                channel=user,
                render=lambda lang: blocks.build_import_result(outcome, channel, lang),
                kind="event_import",
            )
        ],
    )
