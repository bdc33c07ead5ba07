"""Placeholder: the quarterly best-practice digest (issue #9)."""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps


def run_practice_digest(*, deps: Deps, now: datetime) -> int:
    return 0
