"""Conversation state of the sandbox: entries (messages, views, files), modal stacks, triggers,
response URLs and failures. One `State` per sandbox, guarded by one re-entrant lock because the
HTTP server is multi-threaded and the driver runs in the caller's thread.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

TRIGGER_TTL = 3.0  # SLACK.md: trigger_id valid 3 s, once
RESPONSE_URL_USES = 5  # SLACK.md: response_url at most 5 uses within 30 min
RESPONSE_URL_TTL = 30 * 60.0
ACK_DEADLINE = 3.0  # SLACK.md: acknowledge within 3 s
MODAL_STACK_MAX = 3  # SLACK.md: views.push stack 3


@dataclass
class AckResult:
    """The bot's HTTP answer to one driver request; `elapsed` in seconds, `late` when > 3 s."""

    status: int
    body: str
    json: dict | None
    elapsed: float
    late: bool


@dataclass
class Entry:
    """One thing a person sees in a conversation.

    `conversation`: "#name", "dm:USER", "mpim:U1,U2,…" (a group DM, member ids sorted),
    "ephemeral:USER", "modal:USER" or "home:USER".
    `kind`: "message", "ephemeral", "view", "errors", "file" or "home".
    `user`: the author's id (the bot user for what the app posts). `raw` is the stored object
    in Slack's shape (message, view or file). `rendered` is its text as a person reads it.
    """

    conversation: str
    ts: str
    kind: str
    user: str
    text: str = ""
    blocks: list[dict] | None = None
    view: dict | None = None
    raw: dict = field(default_factory=dict)
    rendered: str = ""
    edited: bool = False
    deleted: bool = False
    channel_id: str = ""  # the Slack channel id (C…/D…/G…) the entry lives in, when a message


@dataclass
class ViewRecord:
    """A modal or Home view as Slack stores it, plus what the user has typed into it."""

    view: dict  # Slack's view object (id, hash, blocks, state, ...)
    user: str
    typed: dict[str, dict[str, dict]] = field(default_factory=dict)  # block_id→action_id→value
    open: bool = True
    errors: dict[str, str] = field(default_factory=dict)  # block_id → message shown under it


@dataclass
class ResponseUrl:
    """A response_url issued with a command or action, and its uses (SLACK.md: 5 in 30 min)."""

    token: str
    user: str
    conversation: str  # where in_channel responses go
    channel_id: str  # the channel id of that conversation
    message_ts: str | None  # the message replace_original / delete_original acts on
    message_conversation: str | None
    issued: float
    uses: list[float] = field(default_factory=list)


@dataclass
class Trigger:
    """A trigger_id issued by the driver: valid 3 s, once (SLACK.md)."""

    id: str
    user: str
    issued: float
    used: bool = False


class State:
    """All mutable sandbox state; every method is safe to call from any thread."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.entries: list[Entry] = []
        self.order: list[str] = []  # conversation names in first-seen order
        self.views: dict[str, ViewRecord] = {}
        self.stacks: dict[str, list[str]] = {}  # user → modal view ids, root first
        self.homes: dict[str, str] = {}  # user → home view id
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.files: dict[str, dict] = {}  # file_id → {"meta": {...}, "data": bytes | None}
        self.failures: list[str] = []
        self._last_ts = 0.0
        self.inflight = 0
        self.last_activity = time.monotonic()

    # time stamps and ids -------------------------------------------------------------
    def next_ts(self) -> str:
        """A unique, increasing message ts ("1712345678.000123")."""
        with self.lock:
            now = max(time.time(), self._last_ts + 0.000001)
            self._last_ts = now
            return f"{now:.6f}"

    @staticmethod
    def new_id(prefix: str, n: int = 10) -> str:
        """A random Slack-style id such as "V0A1B2C3D4E"."""
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return prefix + "".join(secrets.choice(alphabet) for _ in range(n))

    # entries -------------------------------------------------------------------------
    def add_entry(self, entry: Entry) -> Entry:
        """Append an entry and remember its conversation's first appearance."""
        with self.lock:
            self.entries.append(entry)
            if entry.conversation not in self.order:
                self.order.append(entry.conversation)
            return entry

    def conversation(self, name: str) -> list[Entry]:
        """Entries of one conversation, oldest first, without deleted ones."""
        with self.lock:
            return [e for e in self.entries if e.conversation == name and not e.deleted]

    def find_message(self, conversation: str, ts: str) -> Entry | None:
        """The live message entry with this ts in this conversation, or None."""
        with self.lock:
            for e in self.entries:
                if (
                    e.conversation == conversation
                    and e.ts == ts
                    and not e.deleted
                    and e.kind in ("message", "ephemeral", "file")
                ):
                    return e
            return None

    def fail(self, message: str) -> None:
        """Record one failure (a readable string)."""
        with self.lock:
            self.failures.append(message)

    # triggers and response urls ------------------------------------------------------
    def issue_trigger(self, user: str) -> str:
        """A fresh trigger_id for `user`, valid 3 s, single use."""
        tid = f"{int(time.time())}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"
        with self.lock:
            self.triggers[tid] = Trigger(tid, user, time.monotonic())
        return tid

    def use_trigger(self, tid: str | None) -> tuple[str | None, str | None]:
        """Exchange a trigger_id: (user, None) or (None, Slack error code)."""
        with self.lock:
            if not tid:
                return None, "invalid_trigger_id"
            trig = self.triggers.get(tid)
            if trig is None:
                return None, "invalid_trigger_id"
            if trig.used:
                return None, "exchanged_trigger_id"
            if time.monotonic() - trig.issued > TRIGGER_TTL:
                return None, "expired_trigger_id"
            trig.used = True
            return trig.user, None

    def issue_response_url(
        self,
        user: str,
        conversation: str,
        channel_id: str,
        message_ts: str | None = None,
        message_conversation: str | None = None,
    ) -> ResponseUrl:
        """Register a response_url token (the caller builds the URL)."""
        rec = ResponseUrl(
            token=secrets.token_hex(12),
            user=user,
            conversation=conversation,
            channel_id=channel_id,
            message_ts=message_ts,
            message_conversation=message_conversation,
            issued=time.monotonic(),
        )
        with self.lock:
            self.response_urls[rec.token] = rec
        return rec

    # activity tracking for settle() -----------------------------------------------------
    def begin_request(self) -> None:
        """Mark an incoming HTTP request (used by the driver's default settle)."""
        with self.lock:
            self.inflight += 1
            self.last_activity = time.monotonic()

    def end_request(self) -> None:
        """Mark the end of an incoming HTTP request."""
        with self.lock:
            self.inflight -= 1
            self.last_activity = time.monotonic()

    def touch(self) -> None:
        """Mark activity now (the driver calls this after each action)."""
        with self.lock:
            self.last_activity = time.monotonic()
