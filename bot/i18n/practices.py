"""Messages of issue #9 (practices)."""

CATALOG: dict[str, dict[str, str]] = {}
