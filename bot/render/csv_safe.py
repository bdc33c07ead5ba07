"""CSV files that are safe to open in a spreadsheet (Excel, LibreOffice Calc, Google Sheets).

**Formula injection.** Following OWASP's "CSV Injection" guidance, a text cell that a
spreadsheet would read as a formula — one starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return — gets a single quote ``'`` in front, which makes the spreadsheet treat it as
text. As a precaution beyond the OWASP list this module also neutralises:

* a line feed or NUL first (OWASP ASVS 1.2.10 lists NUL);
* those characters after leading whitespace (ASCII spaces or the ideographic space U+3000),
  since some importers trim cells before interpreting them;
* the full-width forms ``＝ ＋ － ＠`` (U+FF1D, U+FF0B, U+FF0D, U+FF20), which Japanese
  Excel may convert to their ASCII forms.

Only strings are neutralised: :func:`write_csv` writes ``int`` / ``float`` / ``Decimal``
values as numbers (``-5.0`` stays a negative number). Strings are always quoted
(``csv.QUOTE_NONNUMERIC``), so a separator inside a note (``,`` or the ``;`` some locales
use) can never start a new cell, and embedded newlines stay inside their cell (RFC 4180).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

__all__ = ["DANGEROUS_FIRST", "neutralise", "write_csv"]

DANGEROUS_FIRST = frozenset("=+-@\t\r\n\0\uff1d\uff0b\uff0d\uff20")
"""Characters that make a spreadsheet read a cell as a formula when they come first."""

_LEADING_SPACE = " \u3000"
_BOM = "\ufeff"


def neutralise(cell: str | None) -> str:
    """The text of a cell, with ``'`` prefixed if a spreadsheet would read it as a formula.

    ``"=1+1"`` → ``"'=1+1"``, ``"  @SUM(A1)"`` → ``"'  @SUM(A1)"``, ``"-5"`` → ``"'-5"`` (a
    *string* ``"-5"`` came from a person; write numbers as numbers instead), ``"計画"`` →
    ``"計画"``, ``None`` → ``""``. Idempotent: an already neutralised cell starts with ``'``.
    """
    if cell is None:
        return ""
    text = str(cell)
    stripped = text.lstrip(_LEADING_SPACE)
    if stripped and stripped[0] in DANGEROUS_FIRST:
        return "'" + text
    # a cell of only spaces followed by nothing is harmless; so is "'…" (already text)
    return text


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):  # bool is an int: keep it out of the numeric branch
        return neutralise(str(value))
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, date):  # date and datetime: ISO text, starts with a digit
        return value.isoformat()
    return neutralise(str(value))


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file: UTF-8 with a byte-order mark (so Excel reads Japanese), CRLF line ends.

    Args:
        header: column names (neutralised like any string).
        rows: each a sequence of cells: ``int`` / ``float`` / ``Decimal`` are written as
            numbers, ``None`` as an empty cell, ``date`` as ``YYYY-MM-DD``, anything else as
            neutralised text (see :func:`neutralise`). Rows may be shorter than the header.

    Returns:
        The file's bytes, starting with ``b"\\xef\\xbb\\xbf"``.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return (_BOM + buffer.getvalue()).encode("utf-8")
