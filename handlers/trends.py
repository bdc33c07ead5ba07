"""Issue #8 listeners: `trends` (being built)."""

from __future__ import annotations


def register(app) -> None:
    """Nothing registered yet."""
