"""The sandbox's Web API error: an `ok: false` answer with Slack's error code."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An `ok: false` answer; `extra` is merged into the body."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra
