"""Monthly usage plans typed in a modal: one month and its planned GPU-hours per line.

Each line is ``MONTH: GPU-HOURS`` (also ``＝``, ``=``, ``：`` or, without any of those, the
last space separates the number): ``2026-04: 1,200``, ``2026年5月：１２００``, ``R8.6 900``.
Months and numbers go through :func:`~bot.parsing.months.parse_month` and
:func:`~bot.parsing.numbers.parse_gpu_hours`, so the same spellings are accepted and refused
as everywhere else. Blank lines are ignored.
"""

from __future__ import annotations

import re

from bot.errors import UserError
from bot.parsing.months import format_month, parse_month
from bot.parsing.numbers import parse_gpu_hours, plain_number
from bot.parsing.text import normalize_input

MAX_LINES = 120  # ten years of months: more is a paste error
_SEPARATOR = re.compile(r"[:=]")


def parse_plan_lines(text: str | None) -> dict[str, float]:
    """Read plan lines into ``{"YYYY-MM": GPU-hours}`` (in the order given).

    Raises:
        UserError: (``line`` = 1-based line number) for a line without a number, a month or
            number the parsers refuse, a month listed twice, or more than 120 lines.
    """
    plans: dict[str, float] = {}
    lines = (text or "").splitlines()
    if len(lines) > MAX_LINES:
        raise UserError(
            f"At most {MAX_LINES} lines (one month each).",
            f"1行に1か月、{MAX_LINES}行までです。",
        )
    for number, raw in enumerate(lines, start=1):
        line = normalize_input(raw)
        if not line:
            continue
        month_text, number_text = _split(line)
        try:
            if not number_text:
                raise UserError(
                    "write the month, a colon and the GPU-hours, e.g. 2026-04: 1200",
                    "月・コロン・GPU時間の順に書いてください（例: 2026-04: 1200）",
                )
            month = format_month(parse_month(month_text))
            hours = parse_gpu_hours(number_text)
        except UserError as error:
            raise UserError(
                f"Line {number}: {error.en}", f"{number}行目: {error.ja}", line=number
            ) from None
        if month in plans:
            raise UserError(
                f"Line {number}: {month} is listed twice.",
                f"{number}行目: {month} が2回書かれています。",
                line=number,
            )
        plans[month] = hours
    return plans


def _split(line: str) -> tuple[str, str]:
    if match := _SEPARATOR.search(line):
        return line[: match.start()].strip(), line[match.end() :].strip()
    month, space, hours = line.rpartition(" ")
    return (month.strip(), hours.strip()) if space else (line, "")


def format_plan_lines(plans: dict[str, float]) -> str:
    """The text `parse_plan_lines` reads back: ``2026-04: 1200`` per line, months in order."""
    return "\n".join(f"{month}: {plain_number(hours)}" for month, hours in sorted(plans.items()))
