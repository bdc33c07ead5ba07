"""Errors about the whole sacct file, each ending with how to export it properly."""

from __future__ import annotations

from bot.errors import UserError

_HOW_TO = (
    "Export it with e.g. `sacct -a -X --parsable2 --format=JobID,Start,End,ElapsedRaw,AllocTRES`.",
    "例えば `sacct -a -X --parsable2 --format=JobID,Start,End,ElapsedRaw,AllocTRES` で"
    "出力してください。",
)


def file_error(en: str, ja: str, *, line: int | None = None) -> UserError:
    return UserError(f"{en} {_HOW_TO[0]}", f"{ja}{_HOW_TO[1]}", line=line)


def csv_error(line_no: int, what_en: str, what_ja: str) -> UserError:
    return file_error(
        f"This looks like a CSV file or a formatted table, not sacct --parsable2 output: line "
        f"{line_no} {what_en}. sacct --parsable2 separates fields by one character (“|” by "
        "default) and never quotes them.",
        f"これはCSVファイルか整形された表のようで、sacct --parsable2 の出力ではありません"
        f"（{line_no}行目{what_ja}）。sacct --parsable2 は項目を1文字（既定は「|」）で区切り、"
        "引用符で囲みません。",
        line=line_no,
    )
