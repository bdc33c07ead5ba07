"""The pieces every CSV format Kiban reads shares (usage CSV, evaluation scores CSV): records
with their line numbers, header names, and the column index with its checks.

Messages are bilingual `UserError`s with the 1-based line; each format adds its own hint.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from bot.errors import UserError


def records(text: str, *, strict: bool) -> Iterator[tuple[int, list[str]]]:
    """(start line, cells) of every CSV record that is not blank (`csv` module, so quoted
    fields may span lines). Raises UserError (with `line`) when the csv module cannot read a
    record."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=strict)
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UserError(
                f"The file cannot be read as CSV near line {reader.line_num} ({exc}).",
                f"{reader.line_num}行目付近をCSVとして読み取れません（{exc}）。",
                line=reader.line_num,
            ) from None
        start, last = last + 1, reader.line_num
        if any(c.strip() for c in cells):
            yield start, cells


def header_names(cells: list[str]) -> list[str]:
    """Header cells as column names: trimmed, without a BOM, lower-case."""
    return [c.strip().removeprefix("\ufeff").strip().lower() for c in cells]


def column_index(
    cells: list[str], line: int, *, columns: tuple[str, ...], required: tuple[str, ...]
) -> dict[str, int]:
    """Column name → position. Unnamed columns (a trailing comma) are left out.

    Raises:
        UserError: (`line`) for a column named twice, a required column missing, or a column
            not in `columns`, naming them.
    """
    index: dict[str, int] = {}
    for i, name in enumerate(header_names(cells)):
        if not name:
            continue
        if name in index:
            raise UserError(
                f"Column “{cells[i].strip()[:40]}” appears twice in the header (line {line}).",
                f"ヘッダー行（{line}行目）に列「{cells[i].strip()[:40]}」が2回あります。",
                line=line,
            )
        index[name] = i
    extra = [cells[i].strip()[:40] for n, i in index.items() if n not in columns]
    missing = [c for c in required if c not in index]
    if not (extra or missing):
        return index
    parts_en, parts_ja = [], []
    if missing:
        parts_en.append("missing the column(s) " + ", ".join(missing))
        parts_ja.append("列 " + "、".join(missing) + " がありません")
    if extra:
        shown = ", ".join(f"“{e}”" for e in extra[:10])
        parts_en.append(f"has column(s) not in this format: {shown} (remove them)")
        parts_ja.append(
            "この形式にない列 " + "、".join(f"「{e}」" for e in extra[:10]) + " があります"
            "（削除してください）"
        )
    raise UserError(
        f"The header (line {line}) is " + "; it ".join(parts_en) + ".",
        f"ヘッダー行（{line}行目）に" + "。また、".join(parts_ja) + "。",
        line=line,
    )
