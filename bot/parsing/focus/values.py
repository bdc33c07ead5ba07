"""Single FOCUS values: missing cells, numbers, date/times and time units; a bad value raises
:class:`RowError`."""

from __future__ import annotations

import datetime
import math
import re

from bot.parsing.months import MAX_YEAR, MIN_YEAR

UNIT_HOURS: dict[str, float] = {
    **dict.fromkeys(("hour", "hours", "hr", "hrs"), 1.0),
    **dict.fromkeys(("minute", "minutes", "min", "mins"), 1 / 60),
    **dict.fromkeys(("second", "seconds", "sec", "secs"), 1 / 3600),
}
"""Accepted ``ConsumedUnit`` names (lower case) → hours per unit."""

_NULLS = frozenset({"", "null"})
_NUMBER_RE = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?")
_DATETIME_RE = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?P<hm>[0-9]{2}:[0-9]{2})(?P<s>:[0-9]{2}(?:\.[0-9]{1,9})?)?"
    r"(?P<zone>Z|[+-][0-9]{2}:?[0-9]{2})?)?",
    re.ASCII,
)
_UNIT_RE = re.compile(r"(?:(?P<qty>[1-9][0-9]{0,5})\s+)?(?P<name>[A-Za-z]+)", re.ASCII)


class RowError(Exception):
    def __init__(self, en: str, ja: str, column: str | None):
        super().__init__(en)
        self.en, self.ja, self.column = en, ja, column


def cell_value(row: dict[str, str], column: str) -> str | None:
    raw = row.get(column)
    if raw is None:
        return None
    value = raw.strip()
    return None if value.lower() in _NULLS else value


def required_value(row: dict[str, str], column: str) -> str:
    value = cell_value(row, column)
    if value is None:
        raise RowError(
            f"{column} is empty (or NULL); a GPU row needs it.",
            f"{column} が空（またはNULL）です。GPUの行には必要です。",
            column,
        )
    return value


def parse_number(text: str, column: str) -> float:
    if _NUMBER_RE.fullmatch(text):
        value = float(text)
        if math.isfinite(value):
            return value
    raise RowError(
        f"{column} “{text[:40]}” is not a number (FOCUS numbers are like 2 or 0.25: no "
        "thousands separators, units or currency symbols).",
        f"{column}「{text[:40]}」は数値ではありません（FOCUSの数値は 2 や 0.25 の形で、"
        "桁区切り・単位・通貨記号は付きません）。",
        column,
    )


def parse_datetime(text: str, column: str) -> datetime.datetime:
    m = _DATETIME_RE.fullmatch(text)
    parsed: datetime.datetime | None = None
    if m:
        seconds = (m["s"] or ":00")[:10]  # at most 6 fractional digits for fromisoformat
        iso = m["date"] + (f"T{m['hm']}{seconds}" if m["hm"] else "T00:00:00")
        zone = m["zone"] or "+00:00"
        if zone == "Z":
            zone = "+00:00"
        elif ":" not in zone:
            zone = zone[:3] + ":" + zone[3:]
        try:
            parsed = datetime.datetime.fromisoformat(iso + zone)
        except ValueError:
            parsed = None
    if parsed is None:
        raise RowError(
            f"{column} “{text[:40]}” is not a date and time like 2024-09-18T22:00:00Z.",
            f"{column}「{text[:40]}」は 2024-09-18T22:00:00Z のような日時ではありません。",
            column,
        )
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise RowError(
            f"{column} “{text[:40]}” is outside the years {MIN_YEAR}–{MAX_YEAR}.",
            f"{column}「{text[:40]}」は{MIN_YEAR}年から{MAX_YEAR}年の範囲外です。",
            column,
        )
    return parsed.astimezone(datetime.UTC)


def parse_unit_hours(text: str) -> float:
    m = _UNIT_RE.fullmatch(text)
    factor = UNIT_HOURS.get(m["name"].lower()) if m else None
    if m is None or factor is None:
        raise RowError(
            f"ConsumedUnit “{text[:40]}” is not a time unit; GPU rows must be in Hours, "
            "Minutes or Seconds (instance or GPU time).",
            f"ConsumedUnit「{text[:40]}」は時間の単位ではありません。GPUの行は Hours・"
            "Minutes・Seconds（インスタンスまたはGPUの時間）である必要があります。",
            "ConsumedUnit",
        )
    return factor * int(m["qty"] or 1)
