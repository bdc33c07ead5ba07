"""Reading and writing calendar months ("report for which month?").

People type a month in many ways; this module accepts a fixed, documented set of them and
rejects everything else with a bilingual :class:`~bot.errors.UserError` (``field="month"``).
It never guesses: ``dateutil``'s parser is deliberately *not* used, because it reads
``01/02/2025`` month-first and with ``fuzzy=True`` turns ``令和7年3月1日`` into 2001-07-03
(see ``/work/shared/design/SLACK.md``, "Scheduling and storage pitfalls").

Accepted forms (after Unicode NFKC normalisation, so full-width ``２０２６－０３`` and the era
ligatures ``㋿`` / ``㍻`` / ``㍼`` work too; leading/trailing spaces are ignored):

* ISO-like, year first: ``2026-03``, ``2026-3``, ``2026/03``, ``2026.03``
* Japanese: ``2026年3月`` (spaces around 年/月 allowed)
* Japanese era: ``R8.3``, ``R8/3``, ``R8-3``, ``R8年3月``, ``令和8年3月``, ``令和元年5月``,
  ``H31.4``, ``平成31年4月``, ``S64.1``, ``昭和64年1月`` (letters case-insensitive)
* English month names: ``March 2026``, ``Mar 2026`` (names from Babel's ``en`` locale data)

Rejected on purpose:

* month first (``03/2026``, ``3-2026``): unambiguous in theory, but it is the order of US/EU
  *dates*, and accepting it invites ``03/04/2026``; the error says to write ``2026-03``.
* two-digit years (``26-03``), full dates (``2026-03-01``), ``YYYYMM`` (``202603``).
* month 0 or 13+, years outside 2000–2100, and an era month outside its era
  (``H31.5``: Heisei ended 2019-04-30; ``R1.4``: Reiwa began 2019-05-01).

Era table: a small table below rather than the ``japanera`` package. ``japanera`` (2.1.3)
parses these forms, but needs a different format string for ``元年`` and digit years, returns a
list of candidate eras (it also knows pre-modern eras), validates the *first day* of the month
(so it rejects ``平成元年1月``, which is partly Heisei), and pulls in two dependencies; the modern
era boundaries are three fixed dates set by law.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from babel.dates import get_month_names

from bot.errors import UserError
from bot.parsing.text import normalize_input

__all__ = ["MIN_YEAR", "MAX_YEAR", "parse_month", "format_month"]

MIN_YEAR = 2000
"""Earliest accepted year (inclusive)."""
MAX_YEAR = 2100
"""Latest accepted year (inclusive)."""


@dataclass(frozen=True)
class _Era:
    kanji: str
    letter: str
    english: str
    first_day: datetime.date  # first day of the era (inclusive)
    last_day: datetime.date | None  # last day of the era (inclusive); None = current era

    @property
    def gregorian_offset(self) -> int:
        """Add to the era year to get the Gregorian year (元年 = era year 1)."""
        return self.first_day.year - 1


# Sources:
# * 令和: 元号を改める政令 (平成31年政令第143号), in force 2019-05-01 (Cabinet Office / e-Gov).
# * 平成: 元号を改める政令 (昭和64年政令第1号), in force 1989-01-08; so 平成 ends 2019-04-30.
# * 昭和: 改元の詔書 of 1926-12-25 (大正15年); 昭和 ends 1989-01-07.
_ERAS: tuple[_Era, ...] = (
    _Era("令和", "R", "Reiwa", datetime.date(2019, 5, 1), None),
    _Era("平成", "H", "Heisei", datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
    _Era("昭和", "S", "Showa", datetime.date(1926, 12, 25), datetime.date(1989, 1, 7)),
)
_ERA_BY_KEY = {e.kanji: e for e in _ERAS} | {e.letter: e for e in _ERAS}

# Dash-like characters NFKC leaves alone but people paste as a hyphen.

_ISO_RE = re.compile(r"(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})", re.ASCII)
_JA_RE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月", re.ASCII)
_ERA_KEYS = "|".join(re.escape(k) for k in _ERA_BY_KEY)
_ERA_RE = re.compile(
    rf"(?P<era>{_ERA_KEYS})\s*(?P<y>\d{{1,3}}|元)\s*"
    r"(?:年\s*(?P<m1>\d{1,2})\s*月|[-/.]\s*(?P<m2>\d{1,2}))",
    re.IGNORECASE | re.ASCII,
)
_MONTH_FIRST_RE = re.compile(r"\d{1,2}\s*[-/.]\s*\d{4}", re.ASCII)
_FULL_DATE_RE = re.compile(
    r"\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?", re.ASCII
)
_SHORT_YEAR_RE = re.compile(r"\d{2}\s*[-/.]\s*\d{1,2}", re.ASCII)
_ENGLISH_RE = re.compile(r"(?P<name>[A-Za-z]+)\.?,?\s+(?P<y>\d{4})", re.ASCII)


def _english_month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale="en").items():
            names[name.lower()] = number
    names["sept"] = 9  # common British abbreviation; CLDR's is "Sep"
    return names


_ENGLISH_MONTHS = _english_month_names()

_FORMATS_EN = "2026-03, 2026/03, 2026年3月, R8.3, 令和8年3月 or March 2026"
_FORMATS_JA = "2026-03、2026/03、2026年3月、R8.3、令和8年3月、March 2026"


def _error(en: str, ja: str) -> UserError:
    return UserError(en, ja, field="month")


def _month_date(year: int, month: int, shown: str) -> datetime.date:
    if not 1 <= month <= 12:
        raise _error(
            f"“{shown}”: the month must be from 1 to 12 (got {month}).",
            f"「{shown}」: 月は1から12で指定してください（{month} が指定されました）。",
        )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _error(
            f"“{shown}”: the year must be from {MIN_YEAR} to {MAX_YEAR} (got {year}).",
            f"「{shown}」: 年は{MIN_YEAR}年から{MAX_YEAR}年の範囲で指定してください"
            f"（{year}年が指定されました）。",
        )
    return datetime.date(year, month, 1)


def _era_month(era: _Era, era_year_text: str, month: int, shown: str) -> datetime.date:
    era_year = 1 if era_year_text == "元" else int(era_year_text)
    if era_year < 1:
        raise _error(
            f"“{shown}”: an era year starts at 1 (元年).",
            f"「{shown}」: 和暦の年は1（元年）以上で指定してください。",
        )
    if not 1 <= month <= 12:
        return _month_date(MIN_YEAR, month, shown)  # raises the month error
    year = era.gregorian_offset + era_year
    first = datetime.date(year, month, 1)
    last = (datetime.date(year + month // 12, month % 12 + 1, 1)) - datetime.timedelta(days=1)
    if last < era.first_day or (era.last_day is not None and first > era.last_day):
        end_en = f" to {era.last_day.isoformat()}" if era.last_day else " onwards"
        end_ja = f"から{era.last_day.isoformat()}まで" if era.last_day else "以降"
        raise _error(
            f"“{shown}” is not in the {era.english} era ({era.kanji}), which runs from "
            f"{era.first_day.isoformat()}{end_en}.",
            f"「{shown}」は{era.kanji}の期間（{era.first_day.isoformat()}{end_ja}）に"
            f"含まれません。",
        )
    return _month_date(year, month, shown)


def parse_month(text: str) -> datetime.date:
    """Parse a month typed by a person into the first day of that month.

    Args:
        text: e.g. ``"2026-03"``, ``"２０２６年３月"``, ``"R8.3"``, ``"令和元年5月"``,
            ``"March 2026"`` (see the module docstring for the full list).

    Returns:
        ``datetime.date(year, month, 1)`` with ``2000 <= year <= 2100``.

    Raises:
        UserError: (``field="month"``) when the text is empty, in an unknown or ambiguous
            format (month-first ``03/2026``, two-digit year, a full date), has month 0 or
            13+, a year outside 2000–2100, or an era month outside that era (``H31.5``,
            ``R1.4``). Era boundaries: 令和 from 2019-05-01, 平成 1989-01-08 to 2019-04-30,
            昭和 1926-12-25 to 1989-01-07 (元号を改める政令).
    """
    if not isinstance(text, str):
        raise TypeError("parse_month expects a str")
    shown = text.strip()
    normal = normalize_input(text)
    if not normal:
        raise _error(
            f"Please enter a month, e.g. {_FORMATS_EN}.",
            f"月を入力してください（例: {_FORMATS_JA}）。",
        )
    if len(normal) > 40:
        raise _error(
            f"That is too long for a month. Write it like {_FORMATS_EN}.",
            f"月としては長すぎます。{_FORMATS_JA} のように入力してください。",
        )

    if m := _ISO_RE.fullmatch(normal):
        return _month_date(int(m["y"]), int(m["m"]), shown)
    if m := _JA_RE.fullmatch(normal):
        return _month_date(int(m["y"]), int(m["m"]), shown)
    if m := _ERA_RE.fullmatch(normal):
        key = m["era"] if m["era"] in _ERA_BY_KEY else m["era"].upper()
        return _era_month(_ERA_BY_KEY[key], m["y"], int(m["m1"] or m["m2"]), shown)
    if m := _ENGLISH_RE.fullmatch(normal):
        number = _ENGLISH_MONTHS.get(m["name"].lower())
        if number is not None:
            return _month_date(int(m["y"]), number, shown)

    if _MONTH_FIRST_RE.fullmatch(normal):
        raise _error(
            f"“{shown}”: write the year first, e.g. 2026-03 (month-first order is not "
            f"accepted because it is easily confused with dates).",
            f"「{shown}」: 年を先に書いてください（例: 2026-03）。月が先の書き方は日付と"
            f"紛らわしいため受け付けていません。",
        )
    if _FULL_DATE_RE.fullmatch(normal):
        raise _error(
            f"“{shown}” looks like a date; give only the month, e.g. 2026-03.",
            f"「{shown}」は日付のようです。月だけを入力してください（例: 2026-03）。",
        )
    if _SHORT_YEAR_RE.fullmatch(normal):
        raise _error(
            f"“{shown}”: write the year with four digits, e.g. 2026-03.",
            f"「{shown}」: 年は4桁で書いてください（例: 2026-03）。",
        )
    raise _error(
        f"“{shown}” is not a month I can read. Write it like {_FORMATS_EN}.",
        f"「{shown}」は月として読み取れません。{_FORMATS_JA} のように入力してください。",
    )


def format_month(d: datetime.date) -> str:
    """Format a month as ``"YYYY-MM"`` (the day is ignored), e.g. ``2026-03``."""
    return f"{d.year:04d}-{d.month:02d}"
