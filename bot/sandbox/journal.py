"""The sandbox journal: one JSON line per request/response, both ways.

Each record: `at` (ISO 8601 UTC), `direction` ("bot->slack" for Web API and response_url
calls, "slack->bot" for what the driver sends), `method` (Web API method) or `kind`
(request type), `elapsed_ms`, `request` (parsed body; tokens redacted), `response`
(`status` + `body`), and `failure` when the exchange was one. Records are also kept in memory
(`Journal.records`). Writes are serialised by a lock: the server is multi-threaded.

Driver records keep the signed request's headers and raw body (`request.raw`), so a test can
check the signature; the raw body only holds the sandbox's fake verification token.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_SECRET_KEYS = {"token", "authorization", "bot_access_token"}


def redact(value: Any) -> Any:
    """A copy of `value` with token-like fields replaced by "[redacted]"."""
    if isinstance(value, dict):
        return {
            k: ("[redacted]" if k.lower() in _SECRET_KEYS and v else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


class Journal:
    """Thread-safe JSONL journal (file optional) with an in-memory copy."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else None
        self.records: list[dict] = []
        self._lock = threading.Lock()
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text("")

    def write(
        self,
        *,
        direction: str,
        request: Any,
        response: dict,
        elapsed_ms: float,
        method: str | None = None,
        kind: str | None = None,
        failure: str | None = None,
        redact_request: bool = True,
    ) -> dict:
        """Append one record and return it."""
        record: dict[str, Any] = {
            "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "direction": direction,
        }
        if method:
            record["method"] = method
        if kind:
            record["kind"] = kind
        record["elapsed_ms"] = round(elapsed_ms, 1)
        record["request"] = redact(request) if redact_request else request
        record["response"] = response
        if failure:
            record["failure"] = failure
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock:
            self.records.append(record)
            if self.path:
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(line + "\n")
        return record
