"""The whole file's shape: binary check, header and delimiter detection, refusing CSV files and
tables, and the required columns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NoReturn

from bot.errors import UserError

from .messages import csv_error, file_error

# Field names used to recognise a header line (lower case). A header must consist only of
# name-like tokens and contain at least one of these.
_KNOWN_FIELDS = frozenset(
    """jobid jobidraw jobname user uid group gid account partition qos cluster state exitcode
    submit eligible start end elapsed elapsedraw timelimit timelimitraw alloctres reqtres
    alloccpus ncpus nnodes ntasks nodelist reqmem maxrss totalcpu cputime cputimeraw comment
    workdir reservation priority""".split()
)
_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_CSV_DELIMITERS = ",;\t"  # delimiters of CSV files, where fields may be quoted
_QUOTES = "\"'"


def looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:4096]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n\f")
    return controls + sample.count("\ufffd") > max(8, len(sample) // 100)


def split_header(line: str, delimiter: str | None) -> tuple[list[str], str, bool] | None:
    """(names, delimiter, trailing) if ``line`` is a sacct header line, else None."""
    if delimiter is None:
        others = {c for c in line if not c.isascii() or not c.isalnum()}
        if len(others) > 1:
            return None
        delimiter = others.pop() if others else "|"
    parts = line.split(delimiter)
    trailing = len(parts) > 1 and parts[-1] == ""
    names = parts[:-1] if trailing else parts
    if not names or not all(_NAME_RE.fullmatch(n) for n in names):
        return None
    if not any(n.lower() in _KNOWN_FIELDS for n in names):
        return None
    return names, delimiter, trailing


def csv_quoted(raw: str, delim: str) -> bool:
    """True if a row has a CSV-quoted value (``"cpu=1,gres/gpu=1"``); sacct never quotes."""
    return (
        delim in _CSV_DELIMITERS
        and '"' in raw
        and any(cell.strip().startswith('"') for cell in raw.split(delim))
    )


def refuse_file(error: UserError, rest: Iterable[tuple[int, str]], delim: str | None) -> NoReturn:
    """Raise ``error`` about the whole file, after reading the ``rest`` of its (numbered,
    non-blank) lines: a binary file (``rest`` raises on a NUL) or, with a CSV ``delim``, a
    quoted value is reported instead, as those are what the file is checked for first."""
    quoted = None
    for line_no, raw in rest:
        if quoted is None and delim is not None and csv_quoted(raw, delim):
            quoted = line_no
    if quoted is not None:
        raise csv_error(quoted, "has quoted values", "に引用符で囲まれた値があります")
    raise error


def looks_like_table_header(line: str) -> bool:
    """True if ``line`` is field names in a form sacct --parsable2 never prints: quoted
    (``"JobID","Start"``), padded (``JobID, Start`` or ``JobID | Start``) or aligned with
    runs of spaces (``JobID   Start``)."""
    candidates = {c for c in line if not (c.isascii() and c.isalnum()) and c not in _QUOTES}
    for delim in [*(c for c in candidates if not c.isspace()), None]:
        parts = [p.strip().strip(_QUOTES).strip() for p in line.split(delim)]
        if parts and parts[-1] == "":
            parts.pop()
        if (
            len(parts) >= 2
            and all(_NAME_RE.fullmatch(p) for p in parts)
            and sum(p.lower() in _KNOWN_FIELDS for p in parts) >= 2
        ):
            return True
    return False


def guess_no_header_delimiter(line: str, n_fields: int) -> str | None:
    def fits(c: str) -> bool:
        count = line.count(c)
        return count == n_fields - 1 or (count == n_fields and line.endswith(c))

    if fits("|"):
        return "|"
    candidates = {c for c in line if not (c.isascii() and c.isalnum()) and fits(c)}
    return candidates.pop() if len(candidates) == 1 else None


def check_columns(index: dict[str, int]) -> None:
    missing_en: list[str] = []
    for name in ("JobID", "AllocTRES"):
        if name.lower() not in index:
            missing_en.append(name)
    has_elapsed = "elapsedraw" in index or "elapsed" in index
    have = sum(("start" in index, "end" in index, has_elapsed))
    if have < 2:
        lacking = [
            n
            for n, ok in (
                ("Start", "start" in index),
                ("End", "end" in index),
                ("ElapsedRaw or Elapsed", has_elapsed),
            )
            if not ok
        ]
        missing_en.append(
            " / ".join(lacking) + " (two of Start, End and ElapsedRaw/Elapsed are needed)"
        )
    if missing_en:
        listed = "; ".join(missing_en)
        raise file_error(
            f"The sacct output lacks required columns: {listed}.",
            f"sacctの出力に必要な列がありません: {listed}。",
        )
