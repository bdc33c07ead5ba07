"""Delivery for jobs: notices go through the outbox like a handler's, and the `outbox` job
sends what is still due (held for quiet hours, waiting for a retry, left by a crash).

The job runs every minute and claims no slot: each row is claimed on its own
(`storage.outbox.claim`), so two processes running it send each message once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clients.slack import Notice
from bot.deps import Deps
from bot.services import delivery
from storage import outbox

PURGE_AFTER = timedelta(days=30)  # how long sent rows stay, to answer "was it sent?"


def transaction(deps: Deps, now: datetime):
    """A unit of work decided at `now` (see `handlers.common.transaction`)."""
    return delivery.unit_of_work(
        session_factory=deps.session_factory, gateway=deps.slack, settings=deps.settings, now=now
    )


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


def run_outbox(*, deps: Deps, now: datetime) -> int:
    """Send the outbox rows due at `now` (aware). Returns how many were sent."""
    return delivery.send_due(
        session_factory=deps.session_factory, gateway=deps.slack, settings=deps.settings, now=now
    )


def run_outbox_purge(*, deps: Deps, now: datetime) -> int:
    """Delete outbox rows sent or given up more than `PURGE_AFTER` before `now`; how many."""
    with deps.session_factory.begin() as session:
        return outbox.purge(session, before=now - PURGE_AFTER)
