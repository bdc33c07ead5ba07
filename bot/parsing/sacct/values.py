"""Single sacct values: whole numbers, ``Elapsed`` durations, times and GPUs from ``AllocTRES``."""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

from bot.errors import UserError

# sacct's time shape, its year within _YEARS (1970–2999)
_TIME_RE = re.compile(
    r"(?:19[7-9][0-9]|2[0-9]{3})-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}", re.ASCII
)
_ELAPSED_HMS_RE = re.compile(
    r"(?:(?P<d>[0-9]{1,5})-)?(?P<h>[0-9]{1,6}):(?P<m>[0-9]{2}):(?P<s>[0-9]{2})", re.ASCII
)
_ELAPSED_MS_RE = re.compile(r"(?P<m>[0-9]{1,7}):(?P<s>[0-9]{2})(?:\.(?P<f>[0-9]{1,6}))?", re.ASCII)
_INT_RE = re.compile(r"[0-9]{1,12}", re.ASCII)
_NEGATIVE_RE = re.compile(r"-\s*[0-9]+(?:\.[0-9]*)?", re.ASCII)
# A TRES list of name=value entries, each name with a non-blank character (what parse_gpus
# checks entry by entry); matches in linear time.
_TRES_RE = re.compile(r"\s*[^,=\s][^,=]*=[^,]*(?:,\s*[^,=\s][^,=]*=[^,]*)*")
_YEARS = (1970, 2999)  # plausible sacct years; keeps time arithmetic far from overflow
_time_fullmatch = _TIME_RE.fullmatch
_fromisoformat = datetime.datetime.fromisoformat


def parse_count(value: str, entry: str, column: str, en_what: str, ja_what: str) -> int:
    """A whole number ≥ 0 from a sacct column, else a UserError naming ``entry``."""
    if _INT_RE.fullmatch(value):
        return int(value)
    if _NEGATIVE_RE.fullmatch(value):
        raise UserError(
            f"{column} “{entry[:80]}”: {en_what} must be 0 or more.",
            f"{column} の「{entry[:80]}」: {ja_what}は0以上である必要があります。",
            field=column,
        )
    raise UserError(
        f"{column} “{entry[:80]}”: {en_what} must be a whole number.",
        f"{column} の「{entry[:80]}」: {ja_what}は整数である必要があります。",
        field=column,
    )


def parse_elapsed(text: str) -> int:
    """Parse sacct's ``Elapsed`` into whole seconds.

    Accepts ``[D-]HH:MM:SS`` (``1-04:33:44``, ``03:34:13``), ``MM:SS`` and ``MM:SS.mmm``
    (fractions are dropped, as in ``ElapsedRaw``).

    Raises:
        UserError: (``field="Elapsed"``) for any other text or minutes/seconds ≥ 60.
    """
    text = text.strip()
    if m := _ELAPSED_HMS_RE.fullmatch(text):
        days, hours = int(m["d"] or 0), int(m["h"])
        minutes, seconds = int(m["m"]), int(m["s"])
        if minutes < 60 and seconds < 60 and (m["d"] is None or hours < 24):
            return ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    elif m := _ELAPSED_MS_RE.fullmatch(text):
        minutes, seconds = int(m["m"]), int(m["s"])
        if seconds < 60:
            return minutes * 60 + seconds
    raise UserError(
        f"Elapsed “{text[:40]}” is not a Slurm duration like 1-04:33:44, 03:34:13 or 05:07.",
        f"Elapsed「{text[:40]}」はSlurmの経過時間（1-04:33:44、03:34:13、05:07 など）として"
        "読み取れません。",
        field="Elapsed",
    )


def fast_time(value: str) -> datetime.datetime | None:
    """What :func:`parse_time` returns for ``value``, or None where it would raise."""
    if _time_fullmatch(value):  # the exact shape and a year in _YEARS
        try:
            return _fromisoformat(value)
        except ValueError:  # no such day or time (2026-02-30, 24:00:00)
            pass
    return None


def parse_time(value: str, column: str) -> datetime.datetime:
    parsed = fast_time(value)
    if parsed is not None:
        return parsed
    raise UserError(
        f"{column} “{value[:40]}” is not a sacct time like 2026-03-31T23:00:00.",
        f"{column}「{value[:40]}」はsacctの日時（2026-03-31T23:00:00 など）として読み取れません。",
        field=column,
    )


@lru_cache(maxsize=4096)  # a cluster's jobs share few TRES lists
def parse_gpus(tres: str) -> tuple[int, str | None]:
    """GPUs and GPU type from an AllocTRES value such as
    ``billing=8,cpu=8,gres/gpu:v100=1,gres/gpu=1,mem=10G,node=1``."""
    tres = tres.strip()
    entries = tres.split(",") if tres else []
    if _TRES_RE.fullmatch(tres):  # well formed: only the GPU entries need a closer look
        entries = [e for e in entries if "gres/gpu" in e]
    untyped: int | None = None
    typed: dict[str, int] = {}
    for entry in entries:
        key, sep, value = entry.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise UserError(
                f"AllocTRES “{tres[:80]}” is not a list of name=value pairs.",
                f"AllocTRES「{tres[:80]}」は name=value の並びではありません。",
                field="AllocTRES",
            )
        if key != "gres/gpu" and not key.startswith("gres/gpu:"):
            continue
        count = parse_count(value, entry.strip(), "AllocTRES", "the GPU count", "GPU数")
        if key == "gres/gpu":
            untyped = (untyped or 0) + count
        else:
            gpu_type = key[len("gres/gpu:") :]
            typed[gpu_type] = typed.get(gpu_type, 0) + count
    gpus = untyped if untyped is not None else sum(typed.values())
    gpu_type = next(iter(typed)) if len(typed) == 1 else None
    return gpus, gpu_type
