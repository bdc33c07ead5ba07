"""The entry point :func:`parse_sacct`: checks the file, finds header, delimiter and columns,
then reads the rows."""

from __future__ import annotations

import re
import zoneinfo

from bot.errors import UserError

from .header import (
    check_columns,
    guess_no_header_delimiter,
    looks_binary,
    looks_like_table_header,
    refuse_csv_quoting,
    split_header,
)
from .messages import csv_error, file_error
from .model import SacctResult
from .rows import read_rows


def parse_sacct(
    text: str,
    *,
    tz: zoneinfo.ZoneInfo,
    fields: list[str] | None = None,
    delimiter: str | None = None,
) -> SacctResult:
    """Read sacct ``--parsable2``/``--parsable`` output into GPU-hours per job and month.

    Args:
        text: the whole output, header line included when sacct printed one.
        tz: the cluster's time zone; sacct's zone-less times are read as local times there,
            and months are calendar months there (e.g. ``ZoneInfo("Asia/Tokyo")``).
        fields: the ``--format`` field list, needed only when the text has no header line
            (``--noheader``); must be None when the text has a header line.
        delimiter: the ``--delimiter`` character; default: detected from the header, else
            ``|``.

    Returns:
        A :class:`SacctResult`; ``usages`` in GPU-hours, see the module docstring for the
        rules and ``SacctResult.gpu_hours_by_month()`` for monthly totals.

    Raises:
        UserError: for problems with the whole input: empty, binary, sacct's fixed-width
            (non-parsable) output, a CSV file or formatted table, no header and no ``fields``,
            both a header and ``fields``, a delimiter that cannot be determined or that does
            not match the header, missing required columns, or no row with the expected
            number of columns. Problems with single rows do not raise; they are in
            ``skipped``.
    """
    if not isinstance(text, str):
        raise TypeError("parse_sacct expects the file's text as str")
    if delimiter is not None and len(delimiter) != 1:
        raise UserError(
            f"The delimiter must be a single character (got “{delimiter[:10]}”).",
            f"区切り文字は1文字で指定してください（「{delimiter[:10]}」が指定されました）。",
        )
    if looks_binary(text):
        raise file_error(
            "This file is not text (it looks binary); upload sacct's text output.",
            "このファイルはテキストではありません（バイナリのようです）。"
            "sacctのテキスト出力をアップロードしてください。",
        )
    lines = [ln.rstrip("\r") for ln in text.removeprefix("\ufeff").split("\n")]
    numbered = [(i, ln) for i, ln in enumerate(lines, start=1) if ln.strip()]
    if not numbered:
        raise file_error("The sacct output is empty.", "sacctの出力が空です。")

    first_no, first = numbered[0]
    header = split_header(first.strip(), delimiter)
    if header is None and len(numbered) > 1 and re.fullmatch(r"[-\s]+", numbered[1][1]):
        raise file_error(
            "This is sacct's fixed-width table; it cuts long values. Run sacct with "
            "--parsable2 instead.",
            "これはsacctの固定幅の表形式で、長い値が切り詰められます。"
            "--parsable2 を付けて実行してください。",
        )
    if header is None and delimiter is not None:
        other = split_header(first.strip(), None)
        if other is not None:
            raise file_error(
                f"Line {first_no} is a sacct header separated by “{other[1]}”, but the "
                f"delimiter “{delimiter}” was given. Leave out the delimiter, or give “{other[1]}”.",
                f"{first_no}行目は「{other[1]}」区切りのsacctのヘッダー行ですが、区切り文字に"
                f"「{delimiter}」が指定されました。区切り文字の指定を外すか、「{other[1]}」を"
                "指定してください。",
                line=first_no,
            )
    if header is None and looks_like_table_header(first.strip()):
        raise csv_error(
            first_no,
            "has field names with quotes, spaces or more than one kind of separator",
            "の項目名に引用符・空白・複数種類の区切り文字があります",
        )
    if header is not None:
        refuse_csv_quoting(numbered[1:], header[1])
        if fields is not None:
            raise UserError(
                f"The file already has a header line (line {first_no}: "
                f"{', '.join(header[0][:8])}{', …' if len(header[0]) > 8 else ''}), which "
                "names the columns; leave out the field list (--fields), or remove the header "
                "line.",
                f"このファイルには列名を示すヘッダー行（{first_no}行目）がすでにあります。"
                "項目の一覧（--fields）の指定を外すか、ヘッダー行を削除してください。",
                line=first_no,
            )
        names, delim, trailing = header
        data = numbered[1:]
    else:
        if fields is None:
            raise file_error(
                f"Line {first_no} is not a sacct header line, so the columns are unknown. Run "
                "sacct without --noheader, or give the field list used in --format.",
                f"{first_no}行目がsacctのヘッダー行ではないため、列が分かりません。"
                "--noheader を付けずに実行するか、--format に使った項目の一覧を指定して"
                "ください。",
                line=first_no,
            )
        names = [f.strip() for f in fields]
        guessed = delimiter or guess_no_header_delimiter(first, len(names))
        if guessed is None:
            raise file_error(
                f"Cannot tell the delimiter: line {first_no} does not split into the "
                f"{len(names)} given fields with “|” or any single character. Give the "
                "--delimiter character.",
                f"区切り文字が分かりません。{first_no}行目は指定された{len(names)}項目に"
                "分割できません。--delimiter の文字を指定してください。",
                line=first_no,
            )
        delim = guessed
        refuse_csv_quoting(numbered, delim)
        parts = first.split(delim)
        trailing = len(parts) == len(names) + 1 and parts[-1] == ""
        data = numbered

    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name.lower(), i)
    check_columns(index)
    return read_rows(data, names, index, delim, trailing, first.strip(), header is not None, tz)
