"""Placeholder: publishing scheduled announcements (issue #9)."""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps


def run_announcements(*, deps: Deps, now: datetime) -> int:
    return 0
