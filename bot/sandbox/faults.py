"""Fault injection: make the sandbox's Web API fail for a while, as Slack sometimes does.

`Sandbox.faults.add(...)` queues a fault for a method ("chat.postMessage", or "*" for every
method): answer HTTP 500/503 (`kind="error"`), rate limit with `Retry-After`
(`kind="ratelimited"`), or answer only after `delay` seconds, past the client's timeout
(`kind="timeout"`). With `after=True` the call is carried out first and only its answer is
lost or replaced: the message is posted, the client does not learn it (the case that makes
blind retries post twice). A fault lasts `count` calls, or `seconds`, or both (whichever ends
first); faults are checked in the order added.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass
class Fault:
    method: str
    kind: str  # "error", "ratelimited" or "timeout"
    status: int = 500
    retry_after: int = 1
    delay: float = 2.0
    after: bool = False
    count: int | None = None
    until: float | None = None  # time.monotonic() deadline
    hits: int = 0

    def answer(self) -> tuple[int, dict, dict[str, str]]:
        """The faulty answer (sleeps first for a timeout, then answers normally: None)."""
        if self.kind == "ratelimited":
            body = {"ok": False, "error": "ratelimited"}
            return 429, body, {"Retry-After": str(self.retry_after)}
        return self.status, {"ok": False, "error": "internal_error"}, {}


class Faults:
    """The queue of faults; every method is safe to call from any thread."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        method: str,
        kind: str,
        *,
        count: int | None = None,
        seconds: float | None = None,
        **options,
    ) -> Fault:
        """Queue a fault (module docstring); without `count` or `seconds` it lasts until
        `clear()`. Returns it (its `hits` count the calls it spoiled)."""
        if kind not in ("error", "ratelimited", "timeout"):
            raise ValueError(f"unknown fault kind {kind!r}")
        until = time.monotonic() + seconds if seconds is not None else None
        fault = Fault(method=method, kind=kind, count=count, until=until, **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str) -> Fault | None:
        """The fault that spoils this call of `method`, if any (counted)."""
        now = time.monotonic()
        with self._lock:
            self._faults = [
                f
                for f in self._faults
                if (f.count is None or f.hits < f.count) and (f.until is None or now < f.until)
            ]
            for fault in self._faults:
                if fault.method in (method, "*"):
                    fault.hits += 1
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
