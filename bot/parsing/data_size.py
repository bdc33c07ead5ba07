"""Approximate data sizes as people write them: `500 GB`, `2TB`, `10B tokens`, `100億トークン`,
`1.2M images`, `30万件`, `1,000 hours`, `1000時間`.

`parse_size(text)` returns `(value, unit)`: unit is one of `bytes`, `tokens`, `items`,
`hours`, and value is in that unit (bytes for GB/TB…; decimal prefixes, 1 GB = 10⁹ bytes).
Multipliers: K/M/B/T (thousand, million, billion, trillion; `B` only before a non-byte unit,
as in `10B tokens`), Japanese 千/万/億/兆. Full-width text is folded (NFKC) first.

Raises UserError (field `size`) for text that is not a number with a known unit (naming the
units it accepts), for 0, and for more than 10¹⁸ of a unit (a typo, not a dataset). Sizes in different units are not compared (`comparable`).
"""

from __future__ import annotations

import re

from bot.errors import UserError
from bot.parsing.text import normalize_input

UNITS = ("bytes", "tokens", "items", "hours")
MAX_VALUE = 1e18  # an exabyte, a quintillion tokens: anything larger is a typo

_BYTES = {
    "kb": 1e3,
    "mb": 1e6,
    "gb": 1e9,
    "tb": 1e12,
    "pb": 1e15,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
    "pib": 2**50,
    "キロバイト": 1e3,
    "メガバイト": 1e6,
    "ギガバイト": 1e9,
    "テラバイト": 1e12,
    "ペタバイト": 1e15,
}
_WORDS = {
    "tokens": ("tokens", "token", "トークン"),
    "items": (
        "items",
        "item",
        "records",
        "record",
        "documents",
        "document",
        "docs",
        "images",
        "image",
        "files",
        "file",
        "rows",
        "row",
        "samples",
        "sample",
        "pages",
        "page",
        "件",
        "枚",
        "文書",
        "点",
        "行",
        "ページ",
        "ファイル",
        "レコード",
    ),
    "hours": ("hours", "hour", "hrs", "hr", "h", "時間"),
}
_MULTIPLIERS = {
    "k": 1e3,
    "m": 1e6,
    "b": 1e9,
    "t": 1e12,
    "千": 1e3,
    "万": 1e4,
    "億": 1e8,
    "兆": 1e12,
}
_PATTERN = re.compile(r"^(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<rest>\S.*)$")


def parse_size(text: str) -> tuple[float, str] | None:
    """`(value, unit)` for `text`, None for empty text. Raises UserError (field `size`)."""
    folded = normalize_input(text).casefold()
    if not folded:
        return None
    match = _PATTERN.match(folded)
    found = _unit(match["rest"].strip().rstrip(".")) if match else None
    if found is not None:
        factor, unit = found
        return _in_range(text, (float(match["number"].replace(",", "")) * factor, unit))
    raise UserError(
        f"“{text}” is not a size Kiban can read. Write a number and a unit, e.g. 500 GB, "
        "2 TB, 10B tokens, 1.2M images, 30万件, 1,000 hours.",
        f"「{text}」はサイズとして読み取れません。数値と単位で入力してください"
        "（例: 500 GB、2 TB、10B tokens、100億トークン、30万件、1,000時間）。",
        field="size",
    )


def _unit(rest: str) -> tuple[float, str] | None:
    """(factor, unit) for what follows the number: a unit as is (`tb`, `tokens`), or a
    multiplier then a non-byte unit (`b tokens`, `億トークン`, `m images`); None otherwise.
    Trying the whole word first keeps `tokens` from reading as t(rillion) + `okens`."""
    if rest in _BYTES:
        return _BYTES[rest], "bytes"
    for kind, words in _WORDS.items():
        if rest in words:
            return 1.0, kind
        if rest[:1] in _MULTIPLIERS and rest[1:].strip() in words:
            return _MULTIPLIERS[rest[:1]], kind
    return None


def _in_range(text: str, size: tuple[float, str]) -> tuple[float, str]:
    if size[0] <= 0:
        raise UserError(
            f"“{text}”: the size must be more than 0.",
            f"「{text}」: 0より大きい量を入力してください。",
            field="size",
        )
    if size[0] > MAX_VALUE:
        raise UserError(
            f"“{text}” is larger than any dataset Kiban expects (at most 10¹⁸ of a unit, "
            "e.g. 1,000 PB or 1,000,000T tokens); check the unit.",
            f"「{text}」は想定を超える量です（単位あたり最大 10¹⁸、例: 1,000 PB）。単位を確認してください。",
            field="size",
        )
    return size


def comparable(a: tuple[float, str] | None, b: tuple[float, str] | None) -> bool:
    return a is not None and b is not None and a[1] == b[1]


def format_size(value: float, unit: str, lang: str) -> str:
    """A short display: `2 TB`, `10B tokens` / `100億トークン`, `1.2M items`, `1,000 h`."""
    if unit == "bytes":
        for name, size in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
            if value >= size:
                return f"{_short(value / size)} {name}"
        return f"{_short(value)} B"
    word = {"tokens": ("tokens", "トークン"), "items": ("items", "件"), "hours": ("hours", "時間")}[
        unit
    ]
    if lang == "ja":
        for name, size in (("兆", 1e12), ("億", 1e8), ("万", 1e4)):
            if value >= size:
                return f"{_short(value / size)}{name}{word[1]}"
        return f"{_short(value)}{word[1]}"
    for name, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if value >= size and unit != "hours":
            return f"{_short(value / size)}{name} {word[0]}"
    return f"{value:,.0f} {word[0]}" if value >= 100 else f"{_short(value)} {word[0]}"


def _short(number: float) -> str:
    return f"{number:,.1f}".rstrip("0").rstrip(".")
