"""Delivery for jobs: notices go out through quiet hours like a handler's, and the
`deferred_messages` job posts what was held back once it is due.

The job runs every few minutes and claims no slot: each held-back message is claimed on its
own (`storage.deferred.claim`), so two processes running it post each message once.
"""

from __future__ import annotations

from datetime import datetime

from bot.clients.slack import Notice
from bot.deps import Deps
from bot.services import delivery


def deliver(deps: Deps, notices: list[Notice], now: datetime) -> list[str]:
    """Send a job's notices decided at `now` (aware), holding quiet-hours DMs for the
    recipient's next business morning. Returns the failures of what was sent now."""
    return delivery.deliver(
        session_factory=deps.session_factory,
        gateway=deps.slack,
        settings=deps.settings,
        notices=notices,
        now=now,
    )


def run_deferred_messages(*, deps: Deps, now: datetime) -> int:
    """Post the held-back messages due at `now` (aware). Returns how many were posted."""
    return delivery.send_due(session_factory=deps.session_factory, gateway=deps.slack, now=now)
