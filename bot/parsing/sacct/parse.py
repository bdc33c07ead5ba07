"""The entry points: :func:`read_sacct` checks the file's start, finds header, delimiter and
columns, and returns its rows to read lazily; :func:`parse_sacct` reads them all."""

from __future__ import annotations

import io
import itertools
import re
import zoneinfo
from collections.abc import Iterable, Iterator

from bot.errors import UserError

from .header import (
    check_columns,
    csv_quoted,
    guess_no_header_delimiter,
    looks_binary,
    looks_like_table_header,
    refuse_file,
    split_header,
)
from .messages import csv_error, file_error
from .model import JobUsage, SacctResult, SkipLog, SkippedRow
from .rows import SacctRows

_SAMPLE = 4096  # characters looked at for control characters (binary files)


def _binary_error() -> UserError:
    return file_error(
        "This file is not text (it looks binary); upload sacct's text output.",
        "このファイルはテキストではありません（バイナリのようです）。"
        "sacctのテキスト出力をアップロードしてください。",
    )


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(1-based line number, line without its line end) of the non-blank lines. Raises the
    binary-file error on a NUL character."""
    for line_no, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if line.strip():
            if "\x00" in line:
                raise _binary_error()
            yield line_no, line


def read_sacct(
    source: str | Iterable[str],
    *,
    tz: zoneinfo.ZoneInfo,
    fields: list[str] | None = None,
    delimiter: str | None = None,
) -> SacctRows:
    """Check sacct ``--parsable2``/``--parsable`` output and return its rows, read lazily.

    Args:
        source: the whole output as one str, or its lines as an iterable of str, e.g. a text
            file opened with ``newline="\\n"`` (lines end at ``\\n`` only, as in a str);
            header line included when sacct printed one. Only the first lines are read here.
        tz, fields, delimiter: as for :func:`parse_sacct`.

    Returns:
        A :class:`SacctRows`: iterating over it reads the rest of ``source`` and yields a
        ``Run`` (GPU-hours per month of one job run) or a :class:`SkippedRow` per row, in
        file order; its ``counts`` then hold the rows read.

    Raises:
        UserError: for problems with the whole input, as for :func:`parse_sacct`; those found
            further on (a NUL, CSV quoting, no row with the expected number of columns) are
            raised while iterating.
    """
    if isinstance(source, bytes | bytearray):
        raise TypeError("read_sacct expects str or lines of str, not bytes")
    if delimiter is not None and len(delimiter) != 1:
        raise UserError(
            f"The delimiter must be a single character (got “{delimiter[:10]}”).",
            f"区切り文字は1文字で指定してください（「{delimiter[:10]}」が指定されました）。",
        )
    lines = iter(io.StringIO(source)) if isinstance(source, str) else iter(source)
    head: list[str] = []  # the lines holding the first _SAMPLE characters
    size = 0
    for line in lines:
        head.append(line)
        size += len(line)
        if size >= _SAMPLE:
            break
    if looks_binary("".join(head)[:_SAMPLE]):
        raise _binary_error()
    if head:
        head[0] = head[0].removeprefix("\ufeff")
    data = _numbered(itertools.chain(head, lines))
    first_no, first = next(data, (0, ""))
    if not first_no:
        raise file_error("The sacct output is empty.", "sacctの出力が空です。")
    second = next(data, None)
    if second is not None:
        data = itertools.chain([second], data)

    header = split_header(first.strip(), delimiter)
    if header is None and second is not None and re.fullmatch(r"[-\s]+", second[1]):
        refuse_file(
            file_error(
                "This is sacct's fixed-width table; it cuts long values. Run sacct with "
                "--parsable2 instead.",
                "これはsacctの固定幅の表形式で、長い値が切り詰められます。"
                "--parsable2 を付けて実行してください。",
            ),
            data,
            None,
        )
    if header is None and delimiter is not None:
        other = split_header(first.strip(), None)
        if other is not None:
            refuse_file(
                file_error(
                    f"Line {first_no} is a sacct header separated by “{other[1]}”, but the "
                    f"delimiter “{delimiter}” was given. Leave out the delimiter, or give "
                    f"“{other[1]}”.",
                    f"{first_no}行目は「{other[1]}」区切りのsacctのヘッダー行ですが、区切り文字に"
                    f"「{delimiter}」が指定されました。区切り文字の指定を外すか、「{other[1]}」を"
                    "指定してください。",
                    line=first_no,
                ),
                data,
                None,
            )
    if header is None and looks_like_table_header(first.strip()):
        refuse_file(
            csv_error(
                first_no,
                "has field names with quotes, spaces or more than one kind of separator",
                "の項目名に引用符・空白・複数種類の区切り文字があります",
            ),
            data,
            None,
        )
    if header is not None:
        names, delim, trailing = header
        if fields is not None:
            refuse_file(
                UserError(
                    f"The file already has a header line (line {first_no}: "
                    f"{', '.join(names[:8])}{', …' if len(names) > 8 else ''}), which "
                    "names the columns; leave out the field list (--fields), or remove the "
                    "header line.",
                    f"このファイルには列名を示すヘッダー行（{first_no}行目）がすでにあります。"
                    "項目の一覧（--fields）の指定を外すか、ヘッダー行を削除してください。",
                    line=first_no,
                ),
                data,
                delim,
            )
    else:
        if fields is None:
            refuse_file(
                file_error(
                    f"Line {first_no} is not a sacct header line, so the columns are unknown. "
                    "Run sacct without --noheader, or give the field list used in --format.",
                    f"{first_no}行目がsacctのヘッダー行ではないため、列が分かりません。"
                    "--noheader を付けずに実行するか、--format に使った項目の一覧を指定して"
                    "ください。",
                    line=first_no,
                ),
                data,
                None,
            )
        names = [f.strip() for f in fields]
        guessed = delimiter or guess_no_header_delimiter(first, len(names))
        if guessed is None:
            refuse_file(
                file_error(
                    f"Cannot tell the delimiter: line {first_no} does not split into the "
                    f"{len(names)} given fields with “|” or any single character. Give the "
                    "--delimiter character.",
                    f"区切り文字が分かりません。{first_no}行目は指定された{len(names)}項目に"
                    "分割できません。--delimiter の文字を指定してください。",
                    line=first_no,
                ),
                data,
                None,
            )
        delim = guessed
        if csv_quoted(first, delim):
            refuse_file(
                csv_error(first_no, "has quoted values", "に引用符で囲まれた値があります"),
                data,
                None,
            )
        parts = first.split(delim)
        trailing = len(parts) == len(names) + 1 and parts[-1] == ""
        data = itertools.chain([(first_no, first)], data)

    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name.lower(), i)
    try:
        check_columns(index)
    except UserError as error:
        refuse_file(error, data, delim)
    header_line = first.strip() if header is not None else None
    return SacctRows(data, names, index, delim, trailing, header_line, tz)


def parse_sacct(
    text: str,
    *,
    tz: zoneinfo.ZoneInfo,
    fields: list[str] | None = None,
    delimiter: str | None = None,
) -> SacctResult:
    """Read sacct ``--parsable2``/``--parsable`` output into GPU-hours per job and month.

    Keeps every job's usage in memory; to read a large file, iterate over
    :func:`read_sacct` instead.

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
    rows = read_sacct(text, tz=tz, fields=fields, delimiter=delimiter)
    usages: list[JobUsage] = []
    skipped = SkipLog()
    for item in rows:
        if isinstance(item, SkippedRow):
            skipped.add(item)
            continue
        if item.replaces is not None:
            usages = [u for u in usages if u.line != item.replaces]
        usages += [
            JobUsage(item.job_id, month, hours, item.gpus, item.gpu_type, item.line)
            for month, hours in item.hours
        ]
    counts = rows.counts
    return SacctResult(
        usages, skipped.rows, counts.rows_read, counts.jobs_read, counts.gpu_jobs, skipped.more
    )
