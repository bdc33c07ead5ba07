"""Files sent to Kiban in a DM: usage files get a preview with Import / Cancel buttons;
evaluation results get `/eval submit` offered as the next step."""

from __future__ import annotations

from bot.blocks import compute_uploads as blocks
from bot.blocks import evals as eval_blocks
from bot.blocks.common import Message
from bot.clients.http import download
from bot.errors import UserError
from bot.parsing import limits
from bot.parsing.detect import looks_like_eval_results
from bot.services import compute_uploads
from handlers.common import clicked_message, deps_of, lang_for, load_actor, transaction
from handlers.errors import guarded


def register(app) -> None:
    app.event({"type": "message", "subtype": "file_share"})(guarded(handle_file_share_event))
    app.event("message")(handle_other_message_event)
    app.action(blocks.Ids.IMPORT)(guarded(handle_upload_import_action))
    app.action(blocks.Ids.CANCEL)(guarded(handle_upload_cancel_action))


def handle_file_share_event(body, event, context) -> None:
    deps = deps_of(context)
    if event.get("channel_type") != "im" or event.get("bot_id"):
        return  # only files sent to Kiban itself, by people
    user = event["user"]
    lang = lang_for(deps, user)
    for shared in event.get("files") or []:
        try:  # one refused file is answered on its own; the others are still read
            _receive(deps, body, event, shared, user, lang)
        except UserError as error:
            deps.slack.post(event["channel"], Message(error.message(lang)))


def _receive(deps, body, event, shared: dict, user: str, lang: str) -> None:
    """One file sent to Kiban in a DM: its preview (or the `/eval submit` offer) in the DM.
    Raises UserError for a file too large (before downloading it) or unreadable."""
    limit = deps.settings.max_upload_bytes
    limits.check_declared(shared, limits.USAGE, limit)
    content = download(
        shared["url_private_download"],
        token=deps.settings.slack_bot_token.get_secret_value(),
        max_bytes=limit,
    )
    if looks_like_eval_results(content, shared.get("name") or ""):
        deps.slack.post(event["channel"], eval_blocks.build_dm_offer(lang))
        return
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, lang)
        preview = compute_uploads.receive_upload(
            session=session,
            actor=actor,
            filename=shared.get("name") or "upload",
            content=content,
            settings=deps.settings,
            now=deps.now(),
            delivery=f"{body.get('event_id')}:{shared.get('id')}",
        )
    if preview is not None:  # None: Slack delivered this event again; already previewed
        deps.slack.post(event["channel"], blocks.build_preview(preview, lang))


def handle_other_message_event() -> None:
    """Other DMs to Kiban need no answer (acknowledged by Bolt)."""


def handle_upload_import_action(ack, body, action, context) -> None:
    ack()
    _decide(body, action, context, do_import=True)


def handle_upload_cancel_action(ack, body, action, context) -> None:
    ack()
    _decide(body, action, context, do_import=False)


def _decide(body, action, context, *, do_import: bool) -> None:
    deps = deps_of(context)
    user = body["user"]["id"]
    ref = blocks.PendingRef.model_validate_json(action["value"])
    with transaction(deps) as work:
        session = work.session
        actor = load_actor(deps, session, user, lang_for(deps, user))
        notices = compute_uploads.decide_upload(
            session=session,
            actor=actor,
            pending_id=ref.pending_id,
            do_import=do_import,
            **clicked_message(body),
            settings=deps.settings,
            now=deps.now(),
        )
        work.send(notices)
