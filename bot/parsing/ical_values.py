"""Values shared by `bot.parsing.ical_events` and `bot.parsing.ical_rules`: a date or time as
an aware UTC instant, and an event's texts as the bilingual refusals (UserError) name them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.i18n import t


def _instant(value: date | datetime, zone: ZoneInfo | str) -> datetime:
    """Aware UTC: an all-day date at midnight in `zone`, a floating time read in `zone`."""
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0), tzinfo=zone)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _text(component, name: str) -> str:
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value is not None else ""


def _title(component) -> str:
    """The event as messages name it: its SUMMARY, else its UID."""
    return _cut(_text(component, "SUMMARY") or _text(component, "UID") or "?")


def _shown(value) -> str:
    if isinstance(value, datetime):
        zone = f" {value.tzname()}" if value.tzinfo is not None else ""
        return f"{value:%Y-%m-%d %H:%M}{zone}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cut(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(value) -> str:
    return _cut(str(value) if value is not None else "", 200)


def _error(key: str, **params) -> UserError:
    return UserError(t(key, "en", **params), t(key, "ja", **params))
