"""Messages of issue #9 (progress)."""

CATALOG: dict[str, dict[str, str]] = {}
