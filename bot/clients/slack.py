"""Kiban's door to Slack's Web API: a `WebClient` with the SDK's retry handlers, a short-lived
cache of users' locale and zone, the `Notice` services return, and the calls the outbox
(`bot.services.delivery`) sends with: posts carrying a key, two-step uploads, and the lookups
that tell whether a call whose answer was lost reached Slack.

Retries: the SDK's `RateLimitErrorRetryHandler` honours `Retry-After` on HTTP 429 and its
`ServerErrorRetryHandler` retries 5xx (slack_sdk docs, "RetryHandler"), except for posts and
shares: a 5xx does not prove nothing was posted, so the outbox retries those after looking.
Transport faults are retried only when the connection was never made (refused, DNS): a read
timeout or a dropped connection after sending does not mean `chat.postMessage` failed, and
retrying it blindly posts twice (SLACK.md, "Web API behaviour").

Failures: a call Slack refused (`SlackApiError`) and one that failed in transit (no answer:
URLError, a timeout, a reset connection, any other `OSError`, `http.client.HTTPException` or
`httpx.HTTPError`, or the SDK refusing to send) are raised to the caller (`TRANSPORT_ERRORS`);
`user_info` logs them without the token and answers None, so language and zone fall back to
the defaults.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.client import HTTPException
from urllib.error import URLError

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.blocks.common import Message
from bot.i18n import lang_of

log = logging.getLogger(__name__)

USER_CACHE_SECONDS = 3600
METADATA_TYPE = "kiban_outbox"  # message metadata naming the outbox row a post came from

# Failures in transit: Slack gave no answer (SlackApiError, an answer, is caught before these).
TRANSPORT_ERRORS = (OSError, HTTPException, SlackClientError, httpx.HTTPError)


class ConnectFailureRetryHandler(ConnectionErrorRetryHandler):
    """Retries a request only when the connection was never established (so it cannot have
    been processed): connection refused, or the host name did not resolve."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if response is not None or not isinstance(error, URLError):
            return False
        return isinstance(error.reason, ConnectionRefusedError | socket.gaierror)


class SafeServerErrorRetryHandler(ServerErrorRetryHandler):
    """Retries HTTP 5xx, except for calls that would post twice if the first was carried out
    (`chat.postMessage`, `files.completeUploadExternal`): the outbox retries those itself,
    after looking for the message (`bot.services.delivery`)."""

    NOT_REPEATED = ("chat.postMessage", "files.completeUploadExternal")

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if request.url.rstrip("/").rsplit("/", 1)[-1] in self.NOT_REPEATED:
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


def make_web_client(token: str, base_url: str, *, timeout: float = 10) -> WebClient:
    """A WebClient for `base_url` (Slack's, or the sandbox's) with Kiban's retry handlers;
    `timeout` in seconds per request."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ConnectFailureRetryHandler(max_retry_count=2),
            SafeServerErrorRetryHandler(max_retry_count=2),
        ],
    )


@dataclass
class Notice:
    """A message a service decided to send, rendered in the recipient's language at delivery.

    `channel` is a channel id, a user id for a DM, or user ids joined by commas for a group
    DM among them. `lang` is fixed for channels; None means
    "the recipient user's own Slack locale". With `ts`, the message at (`channel`, `ts`) is
    updated in place (`chat.update`) instead of posting a new one; with `files`, they are
    uploaded there with the message's text as their comment. With `quiet_hours`, a DM (a user
    id `channel`, no `ts`, no `files`) that would reach its recipient during their quiet hours,
    weekend or holiday is held back until their next business morning
    (`bot.services.delivery.deliver`), and dropped if still unsent at `expires_at` (a reminder
    for an event already under way).
    """

    channel: str
    render: Callable[[str], Message]
    lang: str | None = None
    kind: str = ""
    ts: str | None = None
    files: list[tuple[str, bytes | str]] = field(default_factory=list)  # shared with the text
    thread_ts: str | None = None  # post as a reply in that thread
    quiet_hours: bool = False
    expires_at: datetime | None = None  # a DM held for quiet hours is dropped if not sent by then
    ref: str | None = None  # what the notice is about (e.g. "intro:5"), for its sender's use
    report_failure: bool = True  # False: the sender tells the operators itself, better
    # A message longer than Slack allows: `parts(lang)` gives it in order, the first for the
    # channel (what `render` gives), the others as replies in its thread.
    parts: Callable[[str], list[Message]] | None = None
    # A better render that is slow to make (an LLM's): computed after the notice was sent
    # (after the ack) and sent as an update in place. Not stored: should the process stop
    # first, the notice as rendered stands.
    refine: Callable[[str], Message] | None = None


class DeliveryFailure(str):
    """A notice that was not delivered. It reads as `kind → channel: code`, as it is logged and
    printed; it also carries the `notice`, the `code` (Slack's error code, or the network
    error), and `transport`: True when the request failed in transit, with no answer from
    Slack, so a post may still have been made."""

    notice: Notice
    code: str
    transport: bool

    def __new__(cls, notice: Notice, code: str, *, transport: bool = False) -> DeliveryFailure:
        failure = super().__new__(cls, f"{notice.kind} → {notice.channel}: {code}")
        failure.notice, failure.code, failure.transport = notice, code, transport
        return failure


class SlackGateway:
    """What services use to talk to Slack."""

    def __init__(self, client: WebClient, *, default_lang: str = "ja", operator_channel: str = ""):
        self.client = client
        self.default_lang = default_lang
        self.operator_channel = operator_channel
        self._users: dict[str, tuple[float, dict]] = {}
        self._lock = threading.Lock()

    # --- users ---------------------------------------------------------------------------
    def user_info(self, user_id: str, *, refresh: bool = False) -> dict | None:
        """`users.info` (with locale) for a user, cached for an hour; None when Slack says no or
        cannot be reached (logged; not cached, so a later call asks again)."""
        with self._lock:
            cached = self._users.get(user_id)
        if cached and not refresh and time.monotonic() - cached[0] < USER_CACHE_SECONDS:
            return cached[1]
        try:
            user = self.client.users_info(user=user_id, include_locale=True)["user"]
        except SlackApiError as error:
            log.warning("users.info %s failed: %s", user_id, error.response.get("error"))
            return None
        except TRANSPORT_ERRORS as error:
            log.warning("users.info %s failed: %s", user_id, self.describe(error))
            return None
        with self._lock:
            self._users[user_id] = (time.monotonic(), user)
        return user

    def cached_user(self, user_id: str) -> dict | None:
        """The user's `users.info` if already cached (no network call), else None."""
        with self._lock:
            cached = self._users.get(user_id)
        return cached[1] if cached else None

    def known_lang(self, user_id: str) -> str | None:
        """The user's language if already cached (no network call), else None."""
        user = self.cached_user(user_id)
        return lang_of(user.get("locale"), self.default_lang) if user else None

    def user_lang(self, user_id: str, fallback: str | None = None) -> str:
        """The user's language from their Slack locale; `fallback` (or the default) if unknown."""
        user = self.user_info(user_id)
        if user and user.get("locale"):
            return lang_of(user["locale"], self.default_lang)
        return fallback or self.default_lang

    # --- messages ------------------------------------------------------------------------
    def post(
        self,
        channel: str,
        message: Message,
        thread_ts: str | None = None,
        *,
        key: str | None = None,
    ) -> str | None:
        """`chat.postMessage` (in `thread_ts`'s thread when given); returns the message ts.
        `channel` may be several user ids joined by commas: the group DM among them and the
        bot is opened first (`conversations.open`, at most 8 users; scope `mpim:write`). With
        `key`, the message carries it as metadata (`event_type` "kiban_outbox"), so
        `find_posted` can tell whether a post whose answer was lost reached Slack.
        Raises SlackApiError, or one of TRANSPORT_ERRORS (the post may have been made)."""
        if "," in channel:
            channel = self.client.conversations_open(users=channel)["channel"]["id"]
        metadata = {"event_type": METADATA_TYPE, "event_payload": {"key": key}} if key else None
        response = self.client.chat_postMessage(
            channel=channel,
            text=message.text,
            blocks=message.blocks or None,
            thread_ts=thread_ts,
            metadata=metadata,
        )
        return response.get("ts")

    def find_posted(
        self, channel: str, key: str, *, oldest: float, thread_ts: str | None = None
    ) -> str | None:
        """The ts of the bot's message carrying `key` (see `post`) posted in `channel` (or in
        `thread_ts`'s thread) since `oldest` (Unix seconds), or None: `conversations.history`
        / `conversations.replies` with `include_all_metadata` (scopes `*:history`). Looks at
        the newest 200 messages. Raises SlackApiError, or one of TRANSPORT_ERRORS."""
        channel = self._conversation_id(channel)
        window = dict(channel=channel, oldest=f"{oldest:.6f}", limit=200, include_all_metadata=True)
        if thread_ts:
            response = self.client.conversations_replies(ts=thread_ts, **window)
        else:
            response = self.client.conversations_history(**window)
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == METADATA_TYPE and (
                (metadata.get("event_payload") or {}).get("key") == key
            ):
                return message.get("ts")
        return None

    def upload(
        self,
        *,
        channel: str,
        files: list[tuple[str, bytes | str]],
        comment: str,
        thread_ts: str | None = None,
        file_ids: list[str] | None = None,
        on_prepared: Callable[[list[str]], None] | None = None,
    ) -> list[str]:
        """Share files (name, content) in a channel, or in a user's DM when `channel` is a user
        id, with `comment`, in two steps (Slack's external upload, as `files_upload_v2` does):
        each file prepared (files.getUploadURLExternal, then its bytes POSTed: nobody sees it
        yet), then all shared at once (files.completeUploadExternal). `on_prepared(ids)` is
        called between the two, so a caller can record them; `file_ids`: files prepared by an
        earlier attempt, shared without uploading again. Returns the file ids.
        Raises SlackApiError, or one of TRANSPORT_ERRORS (the files may have been shared)."""
        conversation = self._conversation_id(channel)
        if not file_ids:
            file_ids = [self._prepare(name, content) for name, content in files]
            if on_prepared:
                on_prepared(file_ids)
        self.client.files_completeUploadExternal(
            files=[
                {"id": fid, "title": name} for fid, (name, _c) in zip(file_ids, files, strict=True)
            ],
            channel_id=conversation,
            initial_comment=comment,
            thread_ts=thread_ts,
        )
        return file_ids

    def _prepare(self, name: str, content: bytes | str) -> str:
        data = content.encode() if isinstance(content, str) else content
        answer = self.client.files_getUploadURLExternal(filename=name, length=len(data))
        response = httpx.post(answer["upload_url"], content=data, timeout=self.client.timeout)
        response.raise_for_status()
        return answer["file_id"]

    def shared_in(self, channel: str, file_ids: list[str]) -> bool:
        """Whether files prepared by `upload` were shared in `channel` (files.info of the
        first: its `channels`, `groups`, `ims` and `shares`). Raises SlackApiError, or one of
        TRANSPORT_ERRORS."""
        conversation = self._conversation_id(channel)
        info = self.client.files_info(file=file_ids[0])["file"]
        places = {*(info.get("channels") or []), *(info.get("groups") or [])}
        places |= set(info.get("ims") or [])
        for shares in (info.get("shares") or {}).values():
            places |= set(shares)
        return conversation in places

    def _conversation_id(self, channel: str) -> str:
        """A conversation id for `channel`: a user id's DM, or users' group DM, is opened."""
        if channel[:1] in "UW" or "," in channel:
            return self.client.conversations_open(users=channel)["channel"]["id"]
        return channel

    def describe(self, error: BaseException) -> str:
        """A failure in transit in one line, e.g. `network error: URLError: [Errno 111]
        Connection refused`, the token blanked should it ever appear in the message."""
        detail = error.reason if isinstance(error, URLError) else error
        text = f"network error: {type(error).__name__}: {detail}".strip().removesuffix(":")
        token = getattr(self.client, "token", None)
        return text.replace(token, "xox…") if token else text
