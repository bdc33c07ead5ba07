"""Reading and displaying GPU-hour amounts typed by people.

:func:`parse_gpu_hours` accepts a plain non-negative decimal number of GPU-hours, with
optional thousands separators, and rejects everything else with a bilingual
:class:`~bot.errors.UserError` (``field="gpu_hours"``). Full-width input (``１，２００．５``)
is folded to ASCII with Unicode NFKC first. Grouping is checked by Babel's
``parse_decimal(..., strict=True)`` in the ``en`` locale (comma groups of three, period as the
decimal mark — the convention used in Japan), so ``1,20`` and ``1.200,5`` are rejected as
ambiguous instead of being guessed.

**European-style thousands.** An input whose only separator is one period followed by
exactly three digits, with one to three digits before it and no leading zero (``1.200``,
``12.500``, ``999.999``; pattern ``[1-9][0-9]{0,2}[.][0-9]{3}``), is refused as ambiguous:
written with a period as the thousands separator it means 1200, and reading it as 1.2 would
be a silent 1000× error. The message says to write ``1200`` or ``1.2`` / ``1.20``. Unaffected:
``0.125`` (a group never starts with 0), ``1.25``, ``1.2500`` (not three digits after the
period), ``1200.500`` (four digits before it), ``1,200.500`` (the comma fixes the convention).

**Hints.** When Babel rejects the grouping it may suggest a reading (``12,34,567`` → "Did you
mean “1,234,567”?"), which is echoed. Not, however, when the last comma group (the digits
after the last comma, up to a period) is not three digits long (``1,200,00``, ``1,20``,
``1,2345``): the suggestion there is a guess that can be 100× off (``1,200,00`` → ``120,000``
when ``1200.00`` was meant), so the message instead explains that commas group thousands in
threes and the decimal mark is a period, e.g. ``1,200.00``.

:func:`format_gpu_hours` is the display counterpart (``1,200`` / ``1,200.5`` / ``1,200.04``;
``< 0.01`` for a positive amount too small to show).
"""

from __future__ import annotations

import re
from decimal import Decimal, localcontext

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from bot.errors import UserError
from bot.parsing.text import normalize_input

__all__ = ["MAX_GPU_HOURS", "parse_gpu_hours", "format_gpu_hours", "plain_number"]

MAX_GPU_HOURS = 10_000_000
"""Largest amount accepted, in GPU-hours (inclusive): far above any single report, so a
larger value is almost certainly a typo (e.g. GPU-seconds, or a pasted ID)."""

_NUMBER_CHARS = re.compile(r"[0-9][0-9,.]*|\.[0-9][0-9,.]*")  # shape check before Babel
_FIELD = "gpu_hours"
_EXAMPLE = "1200 or 1,200.5"
_PERIOD_THOUSANDS = re.compile(r"(?P<int>[1-9][0-9]{0,2})\.(?P<frac>[0-9]{3})")
_SMALLEST_SHOWN = "< 0.01"


def _error(en: str, ja: str) -> UserError:
    return UserError(en, ja, field=_FIELD)


def _period_thousands_error(shown: str, int_part: str, frac: str) -> UserError:
    """The error for ``1.200``-shaped input: say how to write either reading unambiguously."""
    thousands = int_part + frac
    decimals = frac.rstrip("0")
    if len(decimals) == 3:  # 999.999: a fourth decimal makes it unambiguous
        readings = [f"{int_part}.{frac}0"]
    else:
        readings = [f"{int_part}.{decimals}" if decimals else int_part]
        if len(decimals) < 2:
            readings.append(f"{int_part}.{decimals.ljust(2, '0')}")
    decimal = f"{int_part}.{frac}".rstrip("0").rstrip(".")
    return _error(
        f"“{shown}” is ambiguous: with the period as a decimal mark it is {decimal}, but "
        f"written European-style (period between thousands) it means {thousands}. Write "
        f"{thousands} if you mean {thousands} GPU-hours, or "
        + " or ".join(readings)
        + f" if you mean {decimal}.",
        f"「{shown}」は曖昧です（ピリオドを小数点とすると {decimal}、3桁区切りとすると "
        f"{thousands} と読めます）。{thousands} GPU時間なら「{thousands}」、{decimal} なら"
        + "または".join(f"「{r}」" for r in readings)
        + "と入力してください。",
    )


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
            to write e.g. ``1200.5`` or ``1,200.5``; could be a period used as a thousands
            separator (``1.200``, ``12.500``: see the module docstring); or is more than
            10,000,000.
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
    if m := _PERIOD_THOUSANDS.fullmatch(body):
        raise _period_thousands_error(shown, m["int"], m["frac"])
    try:
        # Babel's strict check re-formats the number in the current decimal context: with
        # its default 28 digits, a longer number (``1,000,…,000``, ``1,000.000…01``) raised
        # InvalidOperation or was refused as misgrouped. 100 digits hold any 40-character one.
        with localcontext(prec=100):
            value = parse_decimal(body, locale="en", strict=True)
    except NumberFormatError as exc:
        last_group = body.rpartition(",")[2].partition(".")[0] if "," in body else None
        if last_group is not None and len(last_group) != 3:
            # Babel's suggestion would be a guess (1,200,00 → 120,000 when 1200.00 was meant).
            raise _error(
                f"“{shown}” is ambiguous: commas only group thousands, in groups of three "
                "digits, and the decimal mark is a period — e.g. 1,200.00 or 1,200.5 "
                "(or 1200.5 without commas).",
                f"「{shown}」は曖昧です。カンマは3桁ごとの区切りにだけ使い、小数点はピリオドで"
                "書いてください（例: 1,200.00、1,200.5、1200.5）。",
            ) from None
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
    """Format GPU-hours for display: thousands separators, at most two decimals.

    ``1200.0`` → ``"1,200"``, ``1200.5`` → ``"1,200.5"``, ``1200.04`` → ``"1,200.04"``,
    ``1200.125`` → ``"1,200.12"`` (Babel's ``format_decimal`` with pattern ``#,##0.##``,
    half-even rounding). Two decimals so that a small revision (1200 → 1200.04) is visible.
    A positive amount that would round to zero (0 < value ≤ 0.005) is shown as ``"< 0.01"``
    rather than ``"0"``; that text is for display only (:func:`parse_gpu_hours` rejects it).
    Zero, ``-0.0`` and tiny negatives show ``"0"``.

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
    text = format_decimal(dec, format="#,##0.##", locale=locale)
    if text in ("0", "-0"):
        return _SMALLEST_SHOWN if dec > 0 else "0"
    return text


def plain_number(value: float) -> str:
    """`value` written so `parse_gpu_hours` reads back exactly the same float: every digit
    Python keeps, no exponent, no grouping (`2000000`, `1666.6667`, `0.125`). For prefilled
    inputs, where `%g` showed `2e+06` (refused) and rounded `1666.6667` to `1666.67`."""
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
