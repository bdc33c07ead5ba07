"""Reading a sacct file lazily: its lines as text, for :func:`~.parse.read_sacct`."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import BinaryIO

from bot.errors import UserError

_BOM = b"\xef\xbb\xbf"


def utf8_file_lines(path: str) -> Iterator[str]:
    """The lines of a UTF-8 text file (a BOM removed), each with its ``\\n``, read as they are
    iterated over: the whole file is never in memory. The file is opened now, and closed when
    the lines are exhausted or dropped.

    Raises:
        UserError: when the file cannot be opened, or (while iterating) for bytes that are not
            UTF-8, naming the byte as reading the whole file with ``utf-8-sig`` would.
    """
    try:
        file = open(path, "rb")  # noqa: SIM115 (closed by _decoded)
    except OSError as error:
        raise UserError(
            f"Cannot read {path}: {error.strerror}.", f"{path} を読めません: {error.strerror}。"
        ) from None
    return _decoded(file, path)


def _decoded(file: BinaryIO, path: str) -> Iterator[str]:
    offset = 0  # bytes before this line, after the BOM
    with file:
        first = file.readline()  # b"" only for an empty file (a line read has its b"\n")
        head = [first.removeprefix(_BOM)] if first else []  # a lone BOM still gives a line ""
        for raw in itertools.chain(head, file):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                byte = offset + error.start
                raise UserError(
                    f"{path} is not UTF-8 text (byte {byte}).",
                    f"{path} は UTF-8 のテキストではありません（{byte} バイト目）。",
                ) from None
            offset += len(raw)
            yield line
