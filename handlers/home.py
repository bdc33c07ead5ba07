"""Issue #8 listeners: `home` (being built)."""

from __future__ import annotations


def register(app) -> None:
    """Nothing registered yet."""
