"""Small pieces every handler uses: the deps from Bolt's context, the reader's language, the
actor, and delivering a service's notices after its transaction committed (quiet-hours DMs
held for the recipient's morning)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import httpx
from slack_sdk.errors import SlackApiError

from bot.blocks.common import from_slack_text
from bot.blocks.compute import FormErrors
from bot.clients.http import download_within
from bot.clients.slack import Notice
from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import t
from bot.parsing import limits
from bot.services import delivery
from bot.services.members import Actor, resolve_actor


def deps_of(context) -> Deps:
    return context["deps"]


def lang_for(deps: Deps, user_id: str) -> str:
    """The user's language from their Slack locale (users.info, cached)."""
    return deps.slack.user_lang(user_id, deps.settings.default_language)


def load_actor(deps: Deps, session, user_id: str, lang: str) -> Actor:
    return resolve_actor(session, user_id, lang)


def reply(deps: Deps, user: str, lang: str, respond, service, **kwargs) -> None:
    """Answer ephemerally with the Message `service(session=…, actor=…, **kwargs)` builds, in
    one transaction (status, alert history, open instructions)."""
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, lang)
        message = service(session=session, actor=actor, **kwargs)
    respond(text=message.text, blocks=message.blocks)


def transaction(deps: Deps, *, flush: bool = True):
    """A unit of work (`bot.services.delivery.unit_of_work`): `with transaction(deps) as work:`
    change things in `work.session`, queue what that causes with `work.send(notices)`; the
    notices are stored in the same transaction and sent after it commits (`work.failures`),
    or when `work.flush()` is called (`flush=False`)."""
    return delivery.unit_of_work(
        session_factory=deps.session_factory,
        gateway=deps.slack,
        settings=deps.settings,
        now=deps.now(),
        flush=flush,
    )


def deliver(deps: Deps, notices: list[Notice]) -> list[str]:
    """Send notices decided outside any change, through the outbox (`bot.services.delivery`);
    failures are logged (and returned), never shown as a stack trace."""
    return delivery.deliver(
        session_factory=deps.session_factory,
        gateway=deps.slack,
        settings=deps.settings,
        notices=notices,
        now=deps.now(),
    )


def open_modal(deps: Deps, user: str, trigger_id: str, respond, build, guess: str) -> None:
    """Open a modal built by `build(lang)` in the language we already know (`guess`), then
    check the user's Slack locale and re-render when it differs.

    `views.open` must be the first Slack call: the trigger_id lives 3 s and is single use
    (SLACK.md). An expired trigger gets a "please run the command again" reply.
    """
    try:
        opened = deps.slack.client.views_open(trigger_id=trigger_id, view=build(guess))
    except SlackApiError as error:
        if error.response.get("error") not in ("expired_trigger_id", "exchanged_trigger_id"):
            raise
        respond(text=t("error.expired_trigger", lang_for(deps, user)))
        return
    lang = lang_for(deps, user)
    if lang != guess:
        view = opened["view"]
        deps.slack.client.views_update(view_id=view["id"], hash=view["hash"], view=build(lang))


def open_for_actor(deps: Deps, user: str, trigger_id: str, respond, guess: str, build) -> None:
    """Check the actor may open a modal, then open it: `build(session, actor)` returns the
    view builder `lang → View`, or raises UserError (an ephemeral refusal, via `guarded`)."""
    with deps.session_factory.begin() as session:
        builder = build(session, load_actor(deps, session, user, guess))
    open_modal(deps, user, trigger_id, respond, builder, guess)


def clicked_at(body: dict) -> dict:
    """Where a clicked button's message is: `{"channel", "ts"}` (None each when the click
    came from a view), to update that message in place."""
    container = body.get("container") or {}
    return {"channel": container.get("channel_id"), "ts": container.get("message_ts")}


def clicked_message(body: dict) -> dict:
    """Where a clicked button lives, as service keyword arguments: `channel`, `ts` and the
    message's `blocks_shown` (so the service can update it in place). A forged payload
    without them reads as nothing shown: the service's own checks then refuse it."""
    return {**clicked_at(body), "blocks_shown": (body.get("message") or {}).get("blocks") or []}


def submit_modal(
    deps: Deps,
    ack,
    lang: str,
    default_field: str,
    parse,
    store,
    *,
    view: dict | None = None,
    done=None,
) -> list:
    """The shape of every modal submission: `parse()` reads the view (raises `FormErrors`),
    `store(session, data)` validates against the database and stores, returning notices
    (raises UserError, whose `field` names the block). Inline errors can only come in the ack,
    so both run before it: local work of milliseconds, or a download bounded well inside
    Slack's 3 seconds (evaluation files); the notices are queued in the store's transaction
    and sent after the ack. Returns the delivery
    failures ([] also when the submission was refused). With the submitted `view`, an error
    on a field this modal does not have goes on `default_field` (Slack shows nothing for an
    unknown block id: the submit button would seem dead). `done()`, called after the store,
    may return a View that replaces the modal (a confirmation instead of a DM)."""
    try:
        data = parse()
    except FormErrors as errors:
        ack(response_action="errors", errors=_plain(deps, errors.for_slack(lang)))
        return []
    try:
        with transaction(deps, flush=False) as work:
            work.send(store(work.session, data))
    except UserError as error:
        field = error.field or default_field
        if view is not None and field not in _input_ids(view):
            field = default_field
        ack(response_action="errors", errors=_plain(deps, {field: error.message(lang)}))
        return []
    confirmation = done() if done else None
    if confirmation is not None:
        ack(response_action="update", view=confirmation)
    else:
        ack()
    return work.flush()


def _input_ids(view: dict) -> set[str]:
    return {b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"}


DOWNLOAD_SECONDS = 2.0  # leaves time to parse, store and ack within Slack's 3 seconds
T = TypeVar("T")


# the upload kind of each path, by the catalog key it names for a file too large (until every
# caller passes `kind=`)
_KIND_OF_TOO_LARGE = {
    "eval.error.too_large": limits.EVAL_RESULTS,
    "eventimport.too_large": limits.CALENDAR,
    "review.error.csv_too_large": limits.APPLICANTS,
}


def read_upload(
    deps: Deps,
    file: dict,
    field: str,
    *,
    max_bytes: int,
    too_large: str,
    read: Callable[[bytes], T],
    kind: limits.UploadKind | None = None,
) -> T:
    """Download a modal's uploaded file (a `file_input`'s file object) and `read` it, before
    the ack: bounded in size and time, no retries, and checked before `read` sees a byte
    (`bot.parsing.limits`: a file Slack says is over `max_bytes` is not downloaded; compressed,
    spreadsheet and other binary files are refused, never inflated). `kind` says what the path
    accepts (named in every refusal); without it, the kind `too_large` (the path's catalog key
    for a file too large) stands for. Raises FormErrors on `field`: the `upload.*` refusals,
    `error.download` when the download fails, or the UserError `read` raises (a broken file)."""
    kind = kind or _KIND_OF_TOO_LARGE.get(too_large, limits.TEXT)
    name = str(file.get("name") or "")
    try:
        limits.check_declared(file, kind, max_bytes)  # Slack says the size: skip the download
        content = download_within(
            file["url_private_download"],
            token=deps.settings.slack_bot_token.get_secret_value(),
            max_bytes=max_bytes,
            seconds=DOWNLOAD_SECONDS,
        )
        limits.check_content(content, name, kind, max_bytes)
        return read(content)
    except UserError as error:
        raise FormErrors({field: error}) from None
    except httpx.HTTPError:
        download = UserError(t("error.download", "en"), t("error.download", "ja"))
        raise FormErrors({field: download}) from None


_MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")


def _plain(deps: Deps, errors: dict[str, str]) -> dict[str, str]:
    """Inline modal errors are plain text: Slack shows `<@U123>` there literally, so user
    mentions become `@name`, and the entities of text escaped for mrkdwn (`&lt;` for a typed
    `<`) are shown as the characters they stand for. Only names already cached are used: this
    runs before the ack, where a `users.info` call could miss Slack's 3 seconds (an unknown
    user shows as `@U123`)."""

    def name(match: re.Match) -> str:
        user = deps.slack.cached_user(match[1]) or {}
        return "@" + (user.get("name") or match[1])

    return {field: from_slack_text(_MENTION.sub(name, text)) for field, text in errors.items()}
