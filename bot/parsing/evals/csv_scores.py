"""Evaluation scores from a plain CSV file, for results made by other tools.

The file is what a person makes in a spreadsheet::

    task,metric,value,stderr,n_shot
    gsm8k,exact_match,0.7726,0.0115,5
    jsquad,char_f1,N/A,,

Rules:

* **Header required**: the first non-blank line names ``task``, ``metric``, ``value`` and
  optionally ``stderr`` and ``n_shot``, in any order (case-insensitive, spaces ignored). A
  missing required column, a column named twice or any other column is refused.
* **CSV** as read by Python's :mod:`csv` module (commas, ``"`` quoting); UTF-8 BOM, CRLF and
  blank lines are fine.
* **Values**: ``task`` and ``metric`` non-empty (at most 200 characters, NFKC-normalised);
  ``value`` and ``stderr`` numbers with a dot for decimals (``0.7726``, ``1e-3``; full-width
  digits are accepted); empty, ``N/A``, ``NaN``, ``null`` are missing (None), never 0;
  ``n_shot`` a whole number 0 or more, or empty. A row may leave off trailing optional cells.
* **Errors**: any bad row raises :class:`~bot.errors.UserError` with ``line`` (the 1-based
  line where the row starts) and ``field`` (the column); a (task, metric) pair given twice is
  refused naming both lines. Scores are not half-read: the whole file is refused.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator

from bot.errors import UserError
from bot.parsing import csv_table
from bot.parsing.text import normalize_input

from .model import EvalRun, EvalScore
from .values import MISSING_TEXT, NUMBER_TEXT

__all__ = ["COLUMNS", "REQUIRED", "looks_like_header", "parse_scores_csv"]

COLUMNS = ("task", "metric", "value", "stderr", "n_shot")
"""All columns of the CSV format, in the documented order."""
REQUIRED = ("task", "metric", "value")
"""The columns every file must have."""
MAX_TEXT = 200

_HEADER_HINT = "task,metric,value,stderr,n_shot"


def looks_like_header(line: str) -> bool:
    """True if ``line`` (the first non-blank line) names task, metric and value."""
    try:
        cells = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return False
    return set(REQUIRED) <= set(csv_table.header_names(cells))


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    return csv_table.records(text, strict=True)


def _header(cells: list[str], line: int) -> dict[str, int]:
    try:
        return csv_table.column_index(cells, line, columns=COLUMNS, required=REQUIRED)
    except UserError as error:
        raise UserError(
            f"{error.en} Use {_HEADER_HINT} (stderr and n_shot may be left out).",
            f"{error.ja}{_HEADER_HINT} にしてください（stderr と n_shot は省略できます）。",
            line=error.line,
        ) from None


def _text(raw: str, column: str, line: int) -> str:
    value = normalize_input(raw)
    if not value:
        raise UserError(
            f"Line {line}: {column} is empty.",
            f"{line}行目: {column} が空です。",
            field=column,
            line=line,
        )
    if len(value) > MAX_TEXT:
        raise UserError(
            f"Line {line}: {column} is longer than {MAX_TEXT} characters.",
            f"{line}行目: {column} が{MAX_TEXT}文字を超えています。",
            field=column,
            line=line,
        )
    return value


def _number(raw: str, column: str, line: int) -> float | None:
    text = normalize_input(raw)
    if text.casefold() in MISSING_TEXT:
        return None
    if NUMBER_TEXT.fullmatch(text):
        number = float(text)
        return number if math.isfinite(number) else None
    hint_en, hint_ja = "", ""
    if text.endswith("%"):
        hint_en, hint_ja = " Write it without “%”.", "「%」を付けずに書いてください。"
    elif "," in text:
        hint_en, hint_ja = " Use a dot for decimals.", "小数点には「.」を使ってください。"
    raise UserError(
        f"Line {line}: {column} “{text[:40]}” is not a number.{hint_en}",
        f"{line}行目: {column} の「{text[:40]}」は数値ではありません。{hint_ja}",
        field=column,
        line=line,
    )


def _n_shot(raw: str, line: int) -> int | None:
    text = normalize_input(raw)
    if text.casefold() in MISSING_TEXT:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 6:
        return int(text)
    raise UserError(
        f"Line {line}: n_shot “{text[:40]}” is not a whole number 0 or more.",
        f"{line}行目: n_shot の「{text[:40]}」は0以上の整数ではありません。",
        field="n_shot",
        line=line,
    )


def parse_scores_csv(text: str) -> EvalRun:
    """Read the scores CSV (see the module docstring) into an :class:`EvalRun` with
    ``format="csv"`` and no run metadata.

    Raises:
        UserError: a missing or bad header, or any bad row (with ``line``).
    """
    records = _records(text.removeprefix("\ufeff"))
    first = next(records, None)
    if first is None:
        raise UserError("The file is empty.", "ファイルが空です。")
    header_line, header_cells = first
    index = _header(header_cells, header_line)
    width = len(header_cells)
    needed = max(index[c] for c in REQUIRED) + 1  # optional trailing cells may be left off
    scores: list[EvalScore] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in records:
        if len(cells) > width or len(cells) < needed:
            raise UserError(
                f"Line {line} has {len(cells)} columns; the header has {width}.",
                f"{line}行目の列数は{len(cells)}で、ヘッダーの列数{width}と一致しません。",
                line=line,
            )
        named = set(index.values())
        stray = next((i for i, c in enumerate(cells) if i not in named and c.strip()), None)
        if stray is not None:
            raise UserError(
                f"Line {line}: column {stray + 1} has a value but no name in the header.",
                f"{line}行目: {stray + 1}列目に値がありますが、ヘッダーに列名がありません。",
                line=line,
            )

        def cell(name: str, cells: list[str] = cells) -> str:
            i = index.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        task = _text(cell("task"), "task", line)
        metric = _text(cell("metric"), "metric", line)
        key = (task.casefold(), metric.casefold())
        if key in seen:
            raise UserError(
                f"Line {line} repeats task {task}, metric {metric} of line {seen[key]}; "
                "which value counts would be a guess. Keep one of them.",
                f"{line}行目は{seen[key]}行目と同じタスク {task}・指標 {metric} です。"
                "どちらの値を使うか決められないため、片方だけにしてください。",
                line=line,
            )
        seen[key] = line
        scores.append(
            EvalScore(
                task=task,
                metric=metric,
                filter=None,
                value=_number(cell("value"), "value", line),
                stderr=_number(cell("stderr"), "stderr", line),
                n_shot=_n_shot(cell("n_shot"), line),
                version=None,
                higher_is_better=None,
                is_group=False,
                n_samples=None,
            )
        )
    return EvalRun(
        format="csv",
        model_name=None,
        model_args=None,
        date=None,
        harness_version=None,
        limit=None,
        scores=scores,
    )
