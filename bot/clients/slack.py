"""Kiban's door to Slack's Web API: a `WebClient` with the SDK's retry handlers, a short-lived
cache of users' locale and zone, and delivery of notices (messages services decided to send).

Retries: the SDK's `RateLimitErrorRetryHandler` honours `Retry-After` on HTTP 429 and its
`ServerErrorRetryHandler` retries 5xx (slack_sdk docs, "RetryHandler"). Transport faults are
retried only when the connection was never made (refused, DNS): a read timeout or a dropped
connection after sending does not mean `chat.postMessage` failed, and retrying it blindly
posts twice (SLACK.md, "Web API behaviour").

Failures: a call Slack refused (`SlackApiError`) and one that failed in transit (no answer:
URLError, a timeout, a reset connection, any other `OSError` or `http.client.HTTPException`,
or the SDK refusing to send) are both logged without the token. `user_info` then answers
None, so language and zone fall back to the defaults; `deliver` returns the notice among its
failures and goes on with the others. Neither is retried beyond the handlers above: a transit
failure after the request left may have been processed.
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

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.blocks.common import Message
from bot.i18n import lang_of, t

log = logging.getLogger(__name__)

USER_CACHE_SECONDS = 3600

# Failures in transit: Slack gave no answer (SlackApiError, an answer, is caught before these).
TRANSPORT_ERRORS = (OSError, HTTPException, SlackClientError)


class ConnectFailureRetryHandler(ConnectionErrorRetryHandler):
    """Retries a request only when the connection was never established (so it cannot have
    been processed): connection refused, or the host name did not resolve."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if response is not None or not isinstance(error, URLError):
            return False
        return isinstance(error.reason, ConnectionRefusedError | socket.gaierror)


def make_web_client(token: str, base_url: str) -> WebClient:
    """A WebClient for `base_url` (Slack's, or the sandbox's) with Kiban's retry handlers."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=10,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ConnectFailureRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
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
    for an event already under way); this gateway's own `deliver` ignores both.
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
            log.warning("users.info %s failed: %s", user_id, self._describe(error))
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
    def post(self, channel: str, message: Message, thread_ts: str | None = None) -> str | None:
        """`chat.postMessage` (in `thread_ts`'s thread when given); returns the message ts.
        `channel` may be several user ids joined by commas: the group DM among them and the
        bot is opened first (`conversations.open`, at most 8 users; scope `mpim:write`).
        Raises SlackApiError, or one of TRANSPORT_ERRORS (the post may have been made)."""
        if "," in channel:
            channel = self.client.conversations_open(users=channel)["channel"]["id"]
        response = self.client.chat_postMessage(
            channel=channel, text=message.text, blocks=message.blocks or None, thread_ts=thread_ts
        )
        return response.get("ts")

    def upload(self, *, channel: str, files: list[tuple[str, bytes | str]], comment: str) -> None:
        """Share files in a channel, or in a user's DM when `channel` is a user id, with Slack's
        two-step upload (files.getUploadURLExternal + files.completeUploadExternal, via
        `files_upload_v2`). Raises SlackApiError, or one of TRANSPORT_ERRORS."""
        if channel[:1] in "UW":
            channel = self.client.conversations_open(users=channel)["channel"]["id"]
        self.client.files_upload_v2(
            channel=channel,
            initial_comment=comment,
            file_uploads=[
                {"filename": name, "content": content, "title": name} for name, content in files
            ],
        )

    def deliver(self, notices: list[Notice]) -> list[DeliveryFailure]:
        """Post each notice; one failure (Slack's refusal, or a failure in transit) does not stop
        the others. Returns the failures, which are also logged and, when they concern another
        channel, reported to the operator channel so someone in Slack can fix them (e.g. invite
        the bot)."""
        failures: list[DeliveryFailure] = []
        for notice in notices:
            lang = notice.lang or self.user_lang(notice.channel)
            try:
                message = notice.render(lang)
                if notice.files:
                    self.upload(channel=notice.channel, files=notice.files, comment=message.text)
                elif notice.ts:
                    self.client.chat_update(
                        channel=notice.channel,
                        ts=notice.ts,
                        text=message.text,
                        blocks=message.blocks,
                    )
                else:
                    self.post(notice.channel, message, notice.thread_ts)
            except SlackApiError as error:
                failures.append(DeliveryFailure(notice, str(error.response.get("error"))))
            except TRANSPORT_ERRORS as error:
                failures.append(DeliveryFailure(notice, self._describe(error), transport=True))
            else:
                continue
            log.error("could not post %s to %s: %s", notice.kind, notice.channel, failures[-1].code)
        failed_where = [
            (f.notice.channel, f.code)
            for f in failures
            if f.notice.channel != self.operator_channel and f.notice.report_failure
        ]
        if failed_where and self.operator_channel:
            self._report_failures(failed_where)
        return failures

    def _report_failures(self, failed_where: list[tuple[str, str]]) -> None:
        lang = self.default_lang
        lines = [
            t("delivery.failed_line", lang, where=_where(channel), code=code)
            + (" " + t("delivery.invite", lang) if code == "not_in_channel" else "")
            for channel, code in failed_where
        ]
        text = t("delivery.failed", lang) + "\n" + "\n".join(lines)
        try:
            self.post(self.operator_channel, Message(text=text))
        except SlackApiError as error:
            log.error("could not report delivery failures: %s", error.response.get("error"))
        except TRANSPORT_ERRORS as error:
            log.error("could not report delivery failures: %s", self._describe(error))

    def _describe(self, error: BaseException) -> str:
        """A failure in transit in one line, e.g. `network error: URLError: [Errno 111]
        Connection refused`, the token blanked should it ever appear in the message."""
        detail = error.reason if isinstance(error, URLError) else error
        text = f"network error: {type(error).__name__}: {detail}".strip().removesuffix(":")
        token = getattr(self.client, "token", None)
        return text.replace(token, "xox…") if token else text


def _where(channel: str) -> str:
    if "," in channel:  # a group DM
        return ", ".join(f"<@{user}>" for user in channel.split(","))
    return f"<@{channel}>" if channel[:1] in "UW" else f"<#{channel}>"
