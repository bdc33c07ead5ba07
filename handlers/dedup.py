"""Global middleware that lets each Slack request act at most once.

Bolt has already checked the signature and the timestamp (within 5 minutes, past or future)
when these run, so only requests Slack really signed get here:

- Events API deliveries (`event_callback` with an `event_id`) are taken in the database
  (`storage.slack_events`) before any listener runs, in their own committed transaction. A
  second delivery of the same `event_id` (a Slack retry with `X-Slack-Retry-Num`, a
  redelivery after a restart, a replay, on any replica) is acknowledged (HTTP 200) and
  skipped. At most once: the row is written when processing starts, so a retry whose
  original never arrived is processed once, and one whose original did arrive (even if its
  listener then failed: the user got the error reply) is not processed again.
- Any other signed HTTP request (slash commands, interactions) seen before with the same
  `X-Slack-Signature` (an exact replay of its timestamp and body) is acknowledged with an
  empty HTTP 200 and nothing runs: the original already did whatever it asked, and an empty
  ack shows the person nothing, should Slack itself ever resend identical bytes (it does not:
  each request carries a new `trigger_id` or `action_ts`). Signatures are remembered in
  memory for the 5 minutes in which Bolt would accept the timestamp, per process. A replay sent to another replica is
  still stopped by the per-operation idempotency (view ids as `source_ref`, conditional
  updates) and, for views, by Slack's single-use `trigger_id`.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections.abc import Callable

from slack_bolt import BoltResponse

from handlers.common import deps_of
from storage import slack_events

log = logging.getLogger(__name__)

# Slack's and Bolt's window: a timestamp more than 5 minutes from now is refused anyway.
SIGNATURE_WINDOW_SECONDS = 5 * 60


def register(app) -> None:
    """Install both middlewares on `app` (after the one that puts `deps` in the context)."""
    guard = ReplayGuard()

    @app.middleware
    def _refuse_replayed_requests(req, body, next):  # noqa: A002 (Bolt's name)
        if req.mode == "socket_mode" or body.get("type") == "event_callback":
            return next()
        signature = (req.headers.get("x-slack-signature") or [""])[0]
        timestamp = (req.headers.get("x-slack-request-timestamp") or ["0"])[0]
        if signature and not guard.first_time(signature, int(timestamp)):
            log.warning("skipped a replayed request (same signature within 5 minutes)")
            return BoltResponse(status=200, body="")
        return next()

    @app.middleware
    def _skip_duplicate_events(req, body, context, next):  # noqa: A002 (Bolt's name)
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id:
            return next()
        deps = deps_of(context)
        with deps.session_factory.begin() as session:
            first = slack_events.take(session, event_id=str(event_id), now=deps.now())
        if first:
            return next()
        retry = (req.headers.get("x-slack-retry-num") or ["-"])[0]
        log.info("event %s was delivered before (retry %s); skipped", event_id, retry)
        return BoltResponse(status=200, body="")


class ReplayGuard:
    """Signatures seen in the last `SIGNATURE_WINDOW_SECONDS` (per process, thread-safe)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._seen: set[str] = set()
        self._expiry: list[tuple[float, str]] = []  # heap of (forget after, signature)
        self._lock = threading.Lock()

    def first_time(self, signature: str, timestamp: int) -> bool:
        """True the first time `signature` (of a request sent at Unix `timestamp`) is seen."""
        with self._lock:
            now = self._clock()
            while self._expiry and self._expiry[0][0] < now:
                self._seen.discard(heapq.heappop(self._expiry)[1])
            if signature in self._seen:
                return False
            self._seen.add(signature)
            forget = max(now, timestamp) + SIGNATURE_WINDOW_SECONDS + 1
            heapq.heappush(self._expiry, (forget, signature))
            return True
