"""GPU-hours from a plain CSV file: one row per organization × month × provider × GPU type.

The file is what a person makes in a spreadsheet, e.g.::

    organization,month,provider,gpu_type,gpu_hours
    Example AI,2026-03,AWS,H100,"1,200.5"

Rules:

* **Header required**: the first non-blank line names the five columns ``organization``,
  ``month``, ``provider``, ``gpu_type``, ``gpu_hours``, in any order (names matched
  case-insensitively, surrounding spaces ignored). A missing column, a column named twice, or
  any other named column is a whole-file :class:`~bot.errors.UserError` naming them (extra
  columns are refused rather than ignored, so that nothing the sender meant is silently
  dropped). Columns with an empty name (trailing commas from a spreadsheet) are allowed, but
  a row with a value in one is a bad row.
* **CSV** as read by Python's :mod:`csv` module (``excel`` dialect: commas, ``"`` quoting, so
  ``"1,200.5"`` works). A UTF-8 BOM, CRLF line ends and blank lines are fine. A file separated
  by semicolons or tabs is refused with a message saying so.
* **No comment lines.** A line starting with ``#`` is data like any other (it will usually be a
  bad row); ``#`` before the header gets a message saying comments are not supported. Skipping
  them would silently drop a row whose organization starts with ``#``.
* **Values.** ``month`` by :func:`bot.parsing.months.parse_month` (stored as ``YYYY-MM``);
  ``gpu_hours`` by :func:`bot.parsing.numbers.parse_gpu_hours` (``1200``, ``1,200.5``,
  full-width digits; 0 to 10,000,000); ``organization``, ``provider``, ``gpu_type`` must be
  non-empty, at most 200 characters, and are NFKC-normalised with runs of spaces collapsed.
* **Duplicates.** Two rows with the same (organization, month, provider, gpu_type) —
  compared case-insensitively after normalisation — are never summed or overwritten: the
  first is counted, each later one is a :class:`SkippedRow` naming the first's line.
* **Errors.** A bad row (wrong number of columns, a bad value) becomes a :class:`SkippedRow`
  with the 1-based line number where it starts (also in ``error.line``; ``error.field`` names
  the column), and parsing goes on. Empty or binary files, no header, missing/extra/duplicate
  columns raise :class:`~bot.errors.UserError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.errors import UserError
from bot.parsing import csv_table
from bot.parsing.months import format_month, parse_month
from bot.parsing.numbers import parse_gpu_hours
from bot.parsing.sacct import SkippedRow
from bot.parsing.sacct.header import looks_binary
from bot.parsing.text import normalize_input

__all__ = ["COLUMNS", "CsvUsage", "CsvResult", "SkippedRow", "parse_usage_csv"]

COLUMNS = ("organization", "month", "provider", "gpu_type", "gpu_hours")
"""The columns of the plain CSV format, in the documented order."""
MAX_TEXT = 200
"""Longest organization / provider / GPU type accepted, in characters."""

_HEADER = ",".join(COLUMNS)
_SPACES = re.compile(r"\s+")
_NAMES_JA = {
    "organization": "組織（organization）",
    "provider": "プロバイダー（provider）",
    "gpu_type": "GPUの種類（gpu_type）",
}


@dataclass(frozen=True)
class CsvUsage:
    """One counted row: GPU-hours of an organization on one allocation in one month.

    Attributes:
        organization, provider, gpu_type: as written (normalised: NFKC, single spaces).
        month: ``"YYYY-MM"``.
        gpu_hours: GPU-hours, 0 to 10,000,000.
        line: 1-based line where the row starts.
    """

    organization: str
    month: str
    provider: str
    gpu_type: str
    gpu_hours: float
    line: int


@dataclass
class CsvResult:
    """What :func:`parse_usage_csv` read.

    Attributes:
        usages: counted rows, in file order.
        skipped: rows not counted (bad values, duplicates), in line order.
        rows_read: data rows read (not the header, not blank lines).
    """

    usages: list[CsvUsage] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    rows_read: int = 0


def _file_error(en: str, ja: str, *, line: int | None = None, hint: bool = True) -> UserError:
    if not hint:
        return UserError(en, ja, line=line)
    return UserError(
        f"{en} The first line must be the header {_HEADER}.",
        f"{ja}1行目はヘッダー行 {_HEADER} にしてください。",
        line=line,
    )


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(start line, cells) for each CSV record that is not blank."""
    try:
        yield from csv_table.records(text, strict=False)
    except UserError as error:
        raise _file_error(error.en, error.ja, line=error.line, hint=False) from None


def _header(cells: list[str], line: int) -> dict[str, int]:
    names = csv_table.header_names(cells)
    if names and names[0].startswith("#"):
        raise _file_error(
            f"Line {line} starts with “#”; comment lines are not supported.",
            f"{line}行目が「#」で始まっています。コメント行には対応していません。",
            line=line,
        )
    if not any(n in COLUMNS for n in names):
        if len(names) == 1:
            for sep, en, ja in ((";", "semicolons", "セミコロン"), ("\t", "tabs", "タブ")):
                if sep in names[0]:
                    raise _file_error(
                        f"Line {line} is separated by {en}; use commas.",
                        f"{line}行目は{ja}で区切られています。カンマで区切ってください。",
                        line=line,
                    )
        raise _file_error(
            f"Line {line} is not a header line.",
            f"{line}行目はヘッダー行ではありません。",
            line=line,
        )
    try:
        return csv_table.column_index(cells, line, columns=COLUMNS, required=COLUMNS)
    except UserError as error:
        raise _file_error(error.en, error.ja, line=error.line) from None


def _text(raw: str, column: str, line: int) -> str:
    value = _SPACES.sub(" ", normalize_input(raw))
    name_ja = _NAMES_JA[column]
    if not value:
        raise UserError(f"{column} is empty.", f"{name_ja}が空です。", field=column, line=line)
    if len(value) > MAX_TEXT:
        raise UserError(
            f"{column} is longer than {MAX_TEXT} characters.",
            f"{name_ja}が{MAX_TEXT}文字を超えています。",
            field=column,
            line=line,
        )
    return value


def _with_line(exc: UserError, line: int) -> UserError:
    return UserError(exc.en, exc.ja, field=exc.field, line=line)


def parse_usage_csv(text: str) -> CsvResult:
    """Read the plain usage CSV (see the module docstring for the rules).

    Args:
        text: the whole file's text.

    Returns:
        A :class:`CsvResult`.

    Raises:
        UserError: for an empty or binary file, a first line that is not the header (or is
            not comma-separated, or is a ``#`` comment), and missing, extra or duplicate
            columns. Bad rows and duplicates do not raise; they are in ``skipped``.
    """
    if not isinstance(text, str):
        raise TypeError("parse_usage_csv expects the file's text as str")
    text = text.removeprefix("\ufeff")
    if looks_binary(text):
        raise _file_error(
            "This file is not text (it looks binary).",
            "このファイルはテキストではありません（バイナリのようです）。",
            hint=False,
        )
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise _file_error("The file is empty.", "ファイルが空です。")
    header_line, header_cells = first
    index = _header(header_cells, header_line)
    width = len(header_cells)
    named = set(index.values())
    needed = max(named) + 1  # unnamed columns after the last named one may be absent

    result = CsvResult()
    seen: dict[tuple[str, str, str, str], int] = {}
    for line, cells in records:
        result.rows_read += 1
        if not needed <= len(cells) <= width:
            result.skipped.append(
                SkippedRow(
                    line,
                    UserError(
                        f"The row has {len(cells)} columns; the header has {width}.",
                        f"この行の列数は{len(cells)}で、ヘッダーの列数{width}と一致しません。",
                        line=line,
                    ),
                )
            )
            continue
        stray = next((i for i, c in enumerate(cells) if i not in named and c.strip()), None)
        if stray is not None:
            result.skipped.append(
                SkippedRow(
                    line,
                    UserError(
                        f"Column {stray + 1} has a value (“{cells[stray].strip()[:40]}”) but "
                        "no name in the header.",
                        f"{stray + 1}列目に値（「{cells[stray].strip()[:40]}」）がありますが、"
                        "ヘッダーに列名がありません。",
                        line=line,
                    ),
                )
            )
            continue
        try:
            organization = _text(cells[index["organization"]], "organization", line)
            provider = _text(cells[index["provider"]], "provider", line)
            gpu_type = _text(cells[index["gpu_type"]], "gpu_type", line)
            month = format_month(parse_month(cells[index["month"]]))
            gpu_hours = parse_gpu_hours(cells[index["gpu_hours"]])
        except UserError as exc:
            result.skipped.append(SkippedRow(line, _with_line(exc, line)))
            continue
        key = (organization.casefold(), month, provider.casefold(), gpu_type.casefold())
        if key in seen:
            first_line = seen[key]
            result.skipped.append(
                SkippedRow(
                    line,
                    UserError(
                        f"Duplicate of line {first_line} (same organization, month, provider "
                        f"and GPU type: {organization}, {month}, {provider}, {gpu_type}); "
                        f"only line {first_line} is counted. Remove one of them, or correct it.",
                        f"{first_line}行目と重複しています（組織・月・プロバイダー・GPUの種類が"
                        f"同じ: {organization}、{month}、{provider}、{gpu_type}）。"
                        f"{first_line}行目だけを集計しました。どちらかを削除するか修正して"
                        "ください。",
                        line=line,
                    ),
                )
            )
            continue
        seen[key] = line
        result.usages.append(CsvUsage(organization, month, provider, gpu_type, gpu_hours, line))
    return result
