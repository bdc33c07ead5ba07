"""Reading and displaying GPU-hour amounts typed by people.

:func:`parse_gpu_hours` accepts a plain non-negative decimal number of GPU-hours, with
optional thousands separators, and rejects everything else with a bilingual
:class:`~bot.errors.UserError` (``field="gpu_hours"``). Full-width input (``１，２００．５``)
is folded to ASCII with Unicode NFKC first. Grouping is checked by Babel's
``parse_decimal(..., strict=True)`` in the ``en`` locale (comma groups of three, period as the
decimal mark — the convention used in Japan), so ``1,20`` and ``1.200,5`` are rejected as
ambiguous instead of being guessed. ``1.200`` is read as 1.2 (period = decimal mark).

:func:`format_gpu_hours` is the display counterpart (``1,200`` / ``1,200.5``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from bot.errors import UserError
from bot.parsing.text import normalize_input

__all__ = ["MAX_GPU_HOURS", "parse_gpu_hours", "format_gpu_hours"]

MAX_GPU_HOURS = 10_000_000
"""Largest amount accepted, in GPU-hours (inclusive): far above any single report, so a
larger value is almost certainly a typo (e.g. GPU-seconds, or a pasted ID)."""

_NUMBER_CHARS = re.compile(r"[0-9][0-9,.]*|\.[0-9][0-9,.]*")  # shape check before Babel
_FIELD = "gpu_hours"
_EXAMPLE = "1200 or 1,200.5"


def _error(en: str, ja: str) -> UserError:
    return UserError(en, ja, field=_FIELD)


def parse_gpu_hours(text: str) -> float:
    """Parse an amount of GPU-hours typed by a person.

    Args:
        text: e.g. ``"1200"``, ``"1,200.5"``, ``"１，２００．５"``, ``" 0.5 "``.

    Returns:
        The amount in GPU-hours as a float, ``0 <= value <= MAX_GPU_HOURS`` (10,000,000).

    Raises:
        UserError: (``field="gpu_hours"``) when the text is empty; negative (``-5``: "must
            be 0 or more"); not a plain number (``NaN``, ``Infinity``, ``1e5``, ``1200h``,
            ``約1200``, ``1 200``, ``+5``); has thousands separators in the wrong places
            (``1,20``) or uses a comma as the decimal mark (``1.200,5``) — the message says
            to write e.g. ``1200.5`` or ``1,200.5``; or is more than 10,000,000.
    """
    if not isinstance(text, str):
        raise TypeError("parse_gpu_hours expects a str")
    shown = text.strip()
    normal = normalize_input(text)
    if not normal:
        raise _error(
            f"Please enter the GPU-hours, e.g. {_EXAMPLE}.",
            "GPU時間を入力してください（例: 1200、1,200.5）。",
        )
    if len(normal) > 40:
        raise _error(
            f"That is too long for an amount of GPU-hours. Write a number like {_EXAMPLE}.",
            "GPU時間としては長すぎます。1200 や 1,200.5 のように数値で入力してください。",
        )
    negative = normal.startswith("-")
    body = normal[1:].strip() if negative else normal
    if not _NUMBER_CHARS.fullmatch(body):
        raise _error(
            f"“{shown}” is not a number of GPU-hours. Write only digits, e.g. {_EXAMPLE} "
            "(no units, words, spaces or exponents).",
            f"「{shown}」はGPU時間の数値として読み取れません。1200 や 1,200.5 のように"
            "数字だけで入力してください（単位・文字・空白・指数表記は使えません）。",
        )
    try:
        value = parse_decimal(body, locale="en", strict=True)
    except NumberFormatError as exc:
        hint_en = hint_ja = ""
        if exc.suggestions:
            hint_en = " Did you mean " + " or ".join(f"“{s}”" for s in exc.suggestions) + "?"
            hint_ja = "（" + " または ".join(f"「{s}」" for s in exc.suggestions) + " ですか？）"
        raise _error(
            f"“{shown}” is ambiguous: use a period for decimals and commas only between groups "
            f"of three digits, e.g. 1200.5 or 1,200.5.{hint_en}",
            f"「{shown}」は曖昧です。小数点はピリオド、カンマは3桁区切りにだけ使ってください"
            f"（例: 1200.5、1,200.5）。{hint_ja}",
        ) from None
    if not value.is_finite():  # cannot happen after the shape check; kept as a guard
        raise _error(
            f"“{shown}” is not a finite number.", f"「{shown}」は有限の数値ではありません。"
        )
    if negative and value != 0:
        raise _error(
            f"GPU-hours must be 0 or more (got “{shown}”).",
            f"GPU時間は0以上で入力してください（「{shown}」が入力されました）。",
        )
    if value > MAX_GPU_HOURS:
        raise _error(
            f"“{shown}” is more than the maximum of {MAX_GPU_HOURS:,} GPU-hours; "
            "please check the amount (GPU-hours, not GPU-seconds).",
            f"「{shown}」は上限の {MAX_GPU_HOURS:,} GPU時間を超えています。"
            "値（単位は秒ではなくGPU時間）を確認してください。",
        )
    return float(value)


def format_gpu_hours(value: float, lang: str) -> str:
    """Format GPU-hours for display: thousands separators, at most one decimal.

    ``1200.0`` → ``"1,200"``, ``1200.5`` → ``"1,200.5"``, ``1200.25`` → ``"1,200.2"``
    (Babel's ``format_decimal`` with pattern ``#,##0.#``, half-even rounding).

    Args:
        value: GPU-hours (a finite number).
        lang: ``"ja"`` (``ja_JP``) or anything else (``en_US``); both group with commas.

    Raises:
        ValueError: if ``value`` is NaN or infinite (a programming error, not user input).
    """
    dec = Decimal(str(value))
    if not dec.is_finite():
        raise ValueError(f"cannot format non-finite GPU-hours {value!r}")
    if dec == 0:
        dec = Decimal(0)  # avoid "-0"
    locale = "ja_JP" if lang == "ja" else "en_US"
    text = format_decimal(dec, format="#,##0.#", locale=locale)
    return "0" if text in ("-0", "-0.0") else text
