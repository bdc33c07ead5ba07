"""Reading typed values out of decoded JSON, with errors that name the JSON path.

Every error is a bilingual :class:`~bot.errors.UserError` whose message starts with the path of
the offending value (``results.gsm8k["acc,none"]``) and whose ``field`` is that path."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime

from bot.errors import UserError

MISSING_TEXT = frozenset({"", "n/a", "na", "nan", "null", "none", "-"})
"""Strings that mean "no value" (compared case-insensitively, spaces stripped)."""

NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
"""A number written as text: ``0.7613``, ``-1``, ``1e-05``; no thousands separators."""

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_MAX_SHOWN = 80


def path_text(*parts: str | int) -> str:
    """A readable JSON path: ``path_text("results", "gsm8k", "acc,none")`` →
    ``results.gsm8k["acc,none"]``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        shown = part if len(part) <= _MAX_SHOWN else part[:_MAX_SHOWN] + "…"
        if _IDENT.fullmatch(shown):
            out += f".{shown}" if out else shown
        else:
            out += "[" + json.dumps(shown, ensure_ascii=False) + "]"
    return out or "(top level)"


def _kind(value: object) -> tuple[str, str]:
    if value is None:
        return "null", "null"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}", f"真偽値（{'true' if value else 'false'}）"
    if isinstance(value, int | float):
        return f"the number {value!r}", f"数値 {value!r}"
    if isinstance(value, str):
        shown = json.dumps(value[:40] + ("…" if len(value) > 40 else ""), ensure_ascii=False)
        return f"the text {shown}", f"文字列 {shown}"
    if isinstance(value, list):
        return "an array", "配列"
    return "an object", "オブジェクト"


def shape_error(path: str, expected_en: str, expected_ja: str, value: object) -> UserError:
    """``<path>: expected <…>, found <…>`` in both languages."""
    found_en, found_ja = _kind(value)
    return UserError(
        f"{path}: expected {expected_en}, found {found_en}.",
        f"{path} の値が正しくありません。{expected_ja}が必要ですが、{found_ja} が入っています。",
        field=path,
    )


def as_object(value: object, path: str) -> dict:
    """``value`` if it is a JSON object, else a shape error."""
    if not isinstance(value, dict):
        raise shape_error(path, "an object ({…})", "オブジェクト（{…}）", value)
    return value


def section(root: dict, key: str, path: str | None = None) -> dict:
    """``root[key]`` as an object; ``{}`` when absent or null."""
    value = root.get(key)
    if value is None:
        return {}
    return as_object(value, path or path_text(key))


def score_number(value: object, path: str) -> float | None:
    """A score or standard error: a JSON number or a number written as text (``"0.7613"``).

    Missing (None): ``null``, NaN, ±Infinity, and the texts in :data:`MISSING_TEXT`
    (``"N/A"``, ``""`` …). Anything else (true/false, an array, an object, other text) is a
    shape error."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise shape_error(path, "a number", "数値", value)
    if isinstance(value, int | float):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        text = value.strip()
        if text.casefold() in MISSING_TEXT:
            return None
        if NUMBER_TEXT.fullmatch(text):
            number = float(text)
            return number if math.isfinite(number) else None
    raise shape_error(path, "a number (or N/A)", "数値（または N/A）", value)


def opt_int(value: object, path: str) -> int | None:
    """A count that is 0 or more: a JSON integer (``5.0`` is accepted as 5); None for null."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise shape_error(path, "a whole number", "整数", value)
    if isinstance(value, float):
        if not value.is_integer():
            raise shape_error(path, "a whole number", "整数", value)
        value = int(value)
    if value < 0:
        raise shape_error(path, "a number 0 or more", "0以上の整数", value)
    return value


def opt_float(value: object, path: str) -> float | None:
    """A finite JSON number, or None for null."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise shape_error(path, "a number", "数値", value)
    return float(value)


def opt_bool(value: object, path: str) -> bool | None:
    """true/false, or None for null."""
    if value is None or isinstance(value, bool):
        return value
    raise shape_error(path, "true or false", "true または false", value)


def opt_text(value: object, path: str) -> str | None:
    """A non-blank string, stripped; None for null or blank."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise shape_error(path, "text", "文字列", value)
    return value.strip() or None


def version_text(value: object, path: str) -> str | None:
    """A task version as text: ``3.0`` → ``"3.0"``, ``1`` → ``"1"``, ``"1.0"`` → ``"1.0"``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise shape_error(path, "a version number", "バージョン番号", value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise shape_error(path, "a version number", "バージョン番号", value)
        return repr(value)
    if isinstance(value, str):
        return value.strip() or None
    raise shape_error(path, "a version number", "バージョン番号", value)


def args_text(value: object, path: str) -> str | None:
    """lm-eval ``model_args``: text as is; an object as ``key=value,key=value``."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return ",".join(f"{k}={v}" for k, v in value.items()) or None
    raise shape_error(path, "text or an object", "文字列またはオブジェクト", value)


def pretrained_name(model_args: str | None) -> str | None:
    """The ``pretrained=`` (or ``model=``, ``path=``) value of lm-eval ``model_args``."""
    if not model_args:
        return None
    parts = dict(part.split("=", 1) for part in model_args.split(",") if "=" in part)
    for key in ("pretrained", "model", "path"):
        name = parts.get(key, "").strip()
        if name:
            return name
    return None


def run_date(value: object, path: str) -> datetime | None:
    """lm-eval ``date``: epoch seconds (``1724622900.3``) or ISO 8601 text; aware UTC.

    A time without an offset is taken as UTC. Years must be 2000–2100."""
    if value is None:
        return None
    when: datetime | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value) and 946_684_800 <= value < 4_102_444_800:  # 2000 … 2100
            when = datetime.fromtimestamp(value, UTC)
    elif isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            when = None
        if when is not None:
            when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
            if not 2000 <= when.year < 2100:
                when = None
    if when is None:
        raise shape_error(
            path,
            "a date (epoch seconds or ISO 8601, years 2000–2100)",
            "日時（エポック秒または ISO 8601 形式、2000〜2100年）",
            value,
        )
    return when
