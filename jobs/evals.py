"""Evaluation jobs: publishing approved results whose embargo time has come.

Each submission moves approved → published by a conditional update, so two processes running
the job at once publish it once.
"""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps
from bot.services import evals
from jobs.delivery import transaction


def run_eval_publication(*, deps: Deps, now: datetime) -> int:
    """Publish approved results whose embargo has passed (a post in the results channel and a
    DM to each submitter). Returns the number of messages handled."""
    with transaction(deps, now) as work:
        session = work.session
        notices = evals.publish_due(session=session, settings=deps.settings, now=now)
        work.send(notices)
    return len(notices)
