"""Placeholder: the survey projects' missing-report reminder (issue #9)."""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps


def run_progress_reminder(*, deps: Deps, now: datetime) -> int:
    return 0
