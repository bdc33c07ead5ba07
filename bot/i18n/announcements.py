"""Messages of issue #9 (announcements)."""

CATALOG: dict[str, dict[str, str]] = {}
