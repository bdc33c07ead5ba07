"""The checks every uploaded file passes before a parser reads it: size, then type.

One mechanism for every path a file reaches Kiban by (a file sent in a DM, a modal's file
input), so a hostile file gets the same clear, bilingual refusal everywhere:

* **Size.** :func:`check_declared` refuses a file whose Slack file object says ``size`` is over
  the path's limit, before any byte is downloaded; :func:`check_content` checks the bytes again
  (the download itself stops past the limit: :mod:`bot.clients.http`). The message names the
  file, its size and the limit (:func:`size_text`: ``"14.2 MB"``, ``"512 KB"``, ``"900 bytes"``).
* **Type.** Every path reads text only (CSV, sacct output, JSON, iCalendar), so
  :func:`check_content` refuses, by content (magic numbers) and by extension, compressed
  files and archives (gzip, zip, bzip2, xz, zstd, 7z, rar, tar), spreadsheets and documents
  (xlsx, xls, ods, numbers, docx, pdf), images, Parquet, and anything else binary (a NUL
  byte, or more than 1 % control characters in the first 64 KB). Compressed files are never
  inflated, so a decompression bomb (10 KB of gzip that would inflate to 1 GB) costs a look at
  its first bytes. Each message names what the path accepts (:class:`UploadKind`).
* **Encodings** are the parsers' business (each documents what it reads: UTF-8 everywhere,
  Shift_JIS for applicant CSVs and calendars, UTF-16 with a byte-order mark for calendars);
  a UTF-16 file (byte-order mark) on a path that does not read it is refused here with
  "save it as UTF-8", rather than as binary.

Every refusal is a :class:`~bot.errors.UserError` (catalog keys ``upload.*``).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import PurePosixPath

from bot.blocks.common import escape
from bot.errors import UserError
from bot.i18n import t

__all__ = [
    "APPLICANTS",
    "CALENDAR",
    "EVAL_RESULTS",
    "TEXT",
    "USAGE",
    "UploadKind",
    "binary_format",
    "check_content",
    "check_declared",
    "refuse_packed",
    "size_text",
    "too_large",
]

SNIFF_BYTES = 64 * 1024
"""How much of a file the binary check looks at (its start)."""


@dataclass(frozen=True)
class UploadKind:
    """What one upload path accepts: `accepts` is the catalog key of the sentence naming the
    formats (shown with every refusal); `utf16` whether its parser reads UTF-16 (with a BOM)."""

    accepts: str
    utf16: bool = False


USAGE = UploadKind("upload.accepts.usage")
"""A file sent to Kiban in a DM (sacct, FOCUS, usage CSV; evaluation results are offered
`/eval submit`)."""
EVAL_RESULTS = UploadKind("upload.accepts.eval")
CALENDAR = UploadKind("upload.accepts.calendar", utf16=True)
APPLICANTS = UploadKind("upload.accepts.applicants")
TEXT = UploadKind("upload.accepts.text")
"""Any text file: for a path not (yet) naming its kind."""

# (magic bytes at offset 0, what it is, catalog key of the refusal)
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x1f\x8b", "gzip", "upload.compressed"),
    (b"BZh", "bzip2", "upload.compressed"),
    (b"\xfd7zXZ\x00", "xz", "upload.compressed"),
    (b"\x28\xb5\x2f\xfd", "zstd", "upload.compressed"),
    (b"7z\xbc\xaf\x27\x1c", "7z", "upload.compressed"),
    (b"Rar!\x1a\x07", "RAR", "upload.compressed"),
    (b"\x04\x22\x4d\x18", "LZ4", "upload.compressed"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel 97-2003 / Word", "upload.spreadsheet"),
    (b"%PDF-", "PDF", "upload.not_text"),
    (b"\x89PNG\r\n\x1a\n", "PNG", "upload.not_text"),
    (b"\xff\xd8\xff", "JPEG", "upload.not_text"),
    (b"GIF8", "GIF", "upload.not_text"),
    (b"PAR1", "Parquet", "upload.not_text"),
    (b"SQLite format 3\x00", "SQLite", "upload.not_text"),
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# a zip's first entry names what it holds (its file name starts at offset 30)
_ZIP_CONTENT = (
    (b"xl/", "Excel .xlsx", "upload.spreadsheet"),
    (b"word/", "Word .docx", "upload.not_text"),
    (b"ppt/", "PowerPoint .pptx", "upload.not_text"),
    (b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet", "ODS", "upload.spreadsheet"),
    (b"mimetypeapplication/vnd.oasis", "OpenDocument", "upload.not_text"),
    (b"Index/Document.iwa", "Numbers", "upload.spreadsheet"),
    (b"[Content_Types].xml", "Office Open XML", "upload.spreadsheet"),
)
_EXTENSIONS = {
    **dict.fromkeys(
        ("gz", "tgz", "zip", "bz2", "xz", "zst", "7z", "rar", "tar", "lz4"),
        "upload.compressed",
    ),
    **dict.fromkeys(("xlsx", "xlsm", "xls", "ods", "numbers"), "upload.spreadsheet"),
    **dict.fromkeys(
        ("pdf", "docx", "doc", "pptx", "png", "jpg", "jpeg", "gif", "parquet", "exe", "sqlite"),
        "upload.not_text",
    ),
}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # UTF-32's LE BOM starts like UTF-16's
_CONTROLS = frozenset(range(32)) - {9, 10, 12, 13}  # tab, LF, FF, CR are text


def size_text(n: int, lang: str = "en") -> str:
    """`n` bytes for people: ``"900 bytes"`` / ``"900 バイト"``, ``"512 KB"``, ``"14.2 MB"``
    (binary units, one decimal, ``.0`` dropped)."""
    if n < 1024:
        return f"{n:,} バイト" if lang == "ja" else f"{n:,} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:,.1f}".removesuffix(".0") + " KB"
    return f"{n / (1024 * 1024):,.1f}".removesuffix(".0") + " MB"


def _name(name: str, lang: str) -> str:
    if not name:
        return "ファイル" if lang == "ja" else "The file"
    shown = escape(name[:80] + ("…" if len(name) > 80 else ""))
    return f"「{shown}」" if lang == "ja" else f"“{shown}”"


def _refusal(key: str, kind: UploadKind, name: str, **params: object) -> UserError:
    def text(lang: str) -> str:
        values = {k: v(lang) if callable(v) else v for k, v in params.items()}
        return t(key, lang, name=_name(name, lang), accepts=t(kind.accepts, lang), **values)

    return UserError(text("en"), text("ja"))


def too_large(kind: UploadKind, limit: int, size: int | None = None, name: str = "") -> UserError:
    """The refusal of a file over `limit` bytes, naming its `size` when known (Slack's file
    object, or the bytes read), else saying only that it is over the limit."""
    if size is None:
        return _refusal("upload.too_large_unknown", kind, name, limit=lambda g: size_text(limit, g))
    return _refusal(
        "upload.too_large",
        kind,
        name,
        size=lambda g: size_text(size, g),
        limit=lambda g: size_text(limit, g),
    )


def check_declared(file: dict, kind: UploadKind, limit: int) -> None:
    """Refuse, before downloading it, a file whose Slack file object (`size`, `name`) says it
    is larger than `limit` bytes. Raises UserError (:func:`too_large`)."""
    size = file.get("size")
    if isinstance(size, int) and size > limit:
        raise too_large(kind, limit, size, str(file.get("name") or ""))


def binary_format(data: bytes, name: str = "") -> tuple[str, str] | None:
    """(what the file is, catalog key of its refusal) when `data` (or, failing that, the
    extension of `name`) shows a compressed file, an archive, a spreadsheet or another binary
    format; None for anything else (which may still be binary: see :func:`check_content`)."""
    head = bytes(data[:512])
    for magic, what, key in _MAGIC:
        if head.startswith(magic):
            return what, key
    if head.startswith(_ZIP):
        for marker, what, key in _ZIP_CONTENT:
            if marker in data[:4096]:
                return what, key
        return "zip", "upload.compressed"
    if head[257:262] == b"ustar":
        return "tar", "upload.compressed"
    suffix = PurePosixPath(name.lower()).suffix.lstrip(".")
    if suffix in _EXTENSIONS:
        return f".{suffix}", _EXTENSIONS[suffix]
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    controls = sum(sample.count(c) for c in _CONTROLS)
    return controls > max(8, len(sample) // 100)


def refuse_packed(data: bytes, name: str, kind: UploadKind) -> None:
    """Refuse what a person may well send meaning "my data" but that needs one more step
    first, with that step: a compressed file or archive ("extract it"), a spreadsheet ("save
    as CSV UTF-8"), UTF-16 text on a path that does not read it ("save as UTF-8"). Looks at the
    first bytes and the extension of `name` only; nothing is decompressed.

    Raises:
        UserError: bilingual, naming the file, what it is and what `kind` accepts.
    """
    found = binary_format(data, name)
    if found is not None and found[1] != "upload.not_text":
        what, key = found
        raise _refusal(key, kind, name, format=what)
    if data.startswith(_UTF16_BOMS) and not kind.utf16:
        raise _refusal("upload.utf16", kind, name)


def check_content(data: bytes, name: str, kind: UploadKind, limit: int) -> None:
    """Refuse `data` (the file called `name`; "" when unknown) that is over `limit` bytes,
    packed (:func:`refuse_packed`), in another binary format (PDF, an image, …), or binary (a
    NUL byte, or over 1 % control characters in its first :data:`SNIFF_BYTES`; a UTF-16 file
    on a path that reads UTF-16 is left to its parser).

    Raises:
        UserError: bilingual, naming the file, what it looks like and what `kind` accepts.
    """
    if len(data) > limit:
        raise too_large(kind, limit, len(data), name)
    refuse_packed(data, name, kind)
    found = binary_format(data, name)
    if found is not None:
        raise _refusal(found[1], kind, name, format=found[0])
    if data.startswith(_UTF16_BOMS):
        return  # the parser decodes it (and refuses what is not text)
    if _looks_binary(data):
        raise _refusal("upload.binary", kind, name)
