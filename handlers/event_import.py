"""`/event import` (operators): the "Import a calendar" modal and its submission. The file is
downloaded and read before the ack, so a broken file is an inline error and nothing is
stored; new events are announced after the commit."""

from __future__ import annotations

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

MAX_BYTES = 2 * 1024 * 1024  # a year of a busy calendar is far smaller


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
            too_large="event.import.too_large",
            read=lambda content: event_import.read_calendar(
                content, now=now, default_zone=data.default_zone
            ),
        )
        return data, calendar

    def store(session, parsed):
        data, calendar = parsed
        outcome, new_ids, notices = event_import.import_calendar(
            session=session,
            actor=load_actor(deps, session, user, lang),
            calendar=calendar,
            channel=data.channel,
            settings=deps.settings,
            now=now,
        )
        done.append((outcome, new_ids, data.channel))
        return notices

    submit_modal(deps, ack, lang, blocks.Ids.FILE, parse, store)
    if not done:
        return
    outcome, new_ids, channel = done[0]
    failures = [failure for event_id in new_ids if (failure := announce(deps, event_id))]
    deliver(
        deps,
        [
            Notice(
                channel=user,
                render=lambda lang: blocks.build_import_result(
                    outcome, None if failures else channel, lang
                ),
                kind="event_import",
            )
        ],
    )
