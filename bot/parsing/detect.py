"""Which of the accepted usage formats an uploaded file is, from its first line.

:func:`detect_format` looks only at the first non-blank line (after checking size, that the
file is UTF-8 text and not binary) and returns the name of the parser to use:

* ``"focus"``: a CSV header line (quoted or not) with both ``ChargePeriodStart`` and
  ``ConsumedQuantity`` (FOCUS cost-and-usage export; :mod:`bot.parsing.focus`).
* ``"csv"``: a CSV header line with at least two of ``organization``, ``month``, ``provider``,
  ``gpu_type``, ``gpu_hours`` (:mod:`bot.parsing.usage_csv`, which then names any missing or
  extra column).
* ``"sacct"``: a sacct header line, i.e. sacct field names (``JobID``, ``AllocTRES`` …)
  separated by ``|`` or one other single character (:mod:`bot.parsing.sacct`). Also a line of
  sacct field names in a form sacct ``--parsable2`` never prints (quoted, padded, the
  fixed-width table): the sacct parser then explains how to export properly.

Names are compared case-insensitively. Anything else raises :class:`~bot.errors.UserError`
listing the accepted formats; so do empty input, binary or non-UTF-8 data (e.g. a Shift_JIS
CSV saved by Excel: the message says to save as "CSV UTF-8"), and data larger than
``max_bytes``. Compressed files and archives (gzip, zip, …), spreadsheets (xlsx, xls, ods)
and UTF-16 text are refused first by :func:`bot.parsing.limits.refuse_packed`, naming the step
that makes them readable (nothing is ever decompressed). A sacct file without its header line (``--noheader``) is not recognised: the
first line alone does not show it is sacct output.
"""

from __future__ import annotations

import csv
from typing import Literal

from bot.errors import UserError
from bot.parsing import limits
from bot.parsing.sacct.header import looks_binary, looks_like_table_header, split_header
from bot.parsing.usage_csv import COLUMNS

__all__ = ["MAX_BYTES", "Format", "detect_format"]

MAX_BYTES = 20 * 1024 * 1024
"""Default largest upload accepted, in bytes (20 MB)."""

Format = Literal["sacct", "focus", "csv"]

_ACCEPTED_EN = (
    "Accepted formats: sacct --parsable2 output with its header line (e.g. "
    "JobID|Start|End|ElapsedRaw|AllocTRES); a FOCUS cost-and-usage export (CSV with "
    "ChargePeriodStart, ConsumedQuantity …); or a CSV with the header "
    "organization,month,provider,gpu_type,gpu_hours."
)
_ACCEPTED_JA = (
    "受け付ける形式: ヘッダー行付きの sacct --parsable2 の出力（例: "
    "JobID|Start|End|ElapsedRaw|AllocTRES）、FOCUS のコスト・使用量エクスポート"
    "（ChargePeriodStart、ConsumedQuantity などを含むCSV）、またはヘッダー行が "
    "organization,month,provider,gpu_type,gpu_hours のCSV。"
)


def _error(en: str, ja: str, *, line: int | None = None) -> UserError:
    return UserError(f"{en} {_ACCEPTED_EN}", f"{ja}{_ACCEPTED_JA}", line=line)


def _size(n: int, lang: str = "en") -> str:
    if n < 1024:
        return f"{n} バイト" if lang == "ja" else f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{n / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def detect_format(data: bytes, *, max_bytes: int = MAX_BYTES) -> Format:
    """Tell which parser an uploaded file needs, from its first non-blank line.

    Args:
        data: the file's bytes (UTF-8, a BOM allowed).
        max_bytes: largest size accepted (default 20 MB).

    Returns:
        ``"sacct"``, ``"focus"`` or ``"csv"``.

    Raises:
        UserError: when the data is larger than ``max_bytes`` (the message names the limit),
            compressed, a spreadsheet, UTF-16, empty, not UTF-8 text, binary, or its first line is none of the accepted headers
            (the message lists the accepted formats).
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("detect_format expects the file's bytes")
    data = bytes(data)
    if len(data) > max_bytes:
        raise UserError(
            f"The file is {_size(len(data))}; the limit is {_size(max_bytes)}. Split it (e.g. "
            "by month) and upload the parts.",
            f"ファイルのサイズは{_size(len(data), 'ja')}で、上限の{_size(max_bytes, 'ja')}を"
            "超えています。"
            "月ごとなどに分けてアップロードしてください。",
        )
    limits.refuse_packed(data, "", limits.USAGE)  # gzip, zip, xlsx, UTF-16: never inflated
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _error(
            "The file is not UTF-8 text (it is binary, or in another encoding such as "
            "Shift_JIS; in Excel, save it as “CSV UTF-8”).",
            "ファイルがUTF-8のテキストではありません（バイナリか、Shift_JISなど別の文字コード"
            "です。Excelでは「CSV UTF-8」で保存してください）。",
        ) from None
    if looks_binary(text):
        raise _error(
            "The file is not text (it looks binary).",
            "ファイルがテキストではありません（バイナリのようです）。",
        )
    line_no, first = next(
        ((i, ln.strip()) for i, ln in enumerate(text.splitlines(), start=1) if ln.strip()),
        (0, ""),
    )
    if not first:
        raise _error("The file is empty.", "ファイルが空です。")

    names = [n.strip().lower() for n in next(csv.reader([first]), [])]
    if "chargeperiodstart" in names and "consumedquantity" in names:
        return "focus"
    if sum(c in names for c in COLUMNS) >= 2:
        return "csv"
    if split_header(first, None) is not None or looks_like_table_header(first):
        return "sacct"
    shown = first[:80] + ("…" if len(first) > 80 else "")
    raise _error(
        f"Line {line_no} (“{shown}”) is not a header line of an accepted format.",
        f"{line_no}行目（「{shown}」）は、受け付ける形式のヘッダー行ではありません。",
        line=line_no,
    )


def looks_like_eval_results(data: bytes, filename: str) -> bool:
    """Whether a file sent to Kiban is evaluation results rather than usage: a JSON file, or a
    CSV whose header starts `task,metric,value` (see `bot.parsing.evals`). Never a compressed,
    spreadsheet or other binary file, whatever its name (`detect_format` then refuses it)."""
    if limits.binary_format(data, filename) is not None:
        return False
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (
        filename.lower().endswith(".json")
        or head.startswith((b"{", b"["))
        or head.replace(b" ", b"").startswith(b"task,metric,value")
    )
