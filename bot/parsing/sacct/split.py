"""Splitting a job's [Start, End) over calendar months in the cluster's time zone."""

from __future__ import annotations

import datetime
from functools import lru_cache

_UTC = datetime.UTC
_HOUR = datetime.timedelta(hours=1)


@lru_cache(maxsize=4096)
def _month_start(year: int, month: int, tz: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime(year, month, 1, tzinfo=tz).astimezone(_UTC)


@lru_cache(maxsize=4096)
def _whole_month(year: int, month: int, tz: datetime.tzinfo) -> list[tuple[str, float]] | None:
    """``[("YYYY-MM", 1.0)]``, the split of any job within this month, if ``tz`` keeps one UTC
    offset (checked hourly) within two days of both ends of the month: every local time in
    the month then maps to UTC within the month's bounds (UTC offsets differ by 26 hours at
    most). Else None: the month needs the general case."""
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    for y, m in ((year, month), (next_year, next_month)):
        edge = datetime.datetime(y, m, 1)
        if len({tz.utcoffset(edge + h * _HOUR) for h in range(-48, 49)}) > 1:
            return None
    return [(f"{year:04d}-{month:02d}", 1.0)]


def split_by_month(
    start: datetime.datetime, end: datetime.datetime, tz: datetime.tzinfo
) -> list[tuple[str, float]]:
    """Shares (summing to 1) of [start, end) per ``YYYY-MM`` month in ``tz``; start/end naive,
    local in ``tz``."""
    year, month = start.year, start.month
    if year == end.year and month == end.month:
        # Within one month whose bounds no offset change comes near, the whole job is in it
        # (_split gives exactly 1.0 too, at the cost of four time zone conversions).
        whole = _whole_month(year, month, tz)
        if whole is not None:
            return list(whole)
    return _split(start, end, tz)


def _split(
    start: datetime.datetime, end: datetime.datetime, tz: datetime.tzinfo
) -> list[tuple[str, float]]:
    """The general case of :func:`split_by_month`: through UTC, month by month."""
    year, month = start.year, start.month
    start_utc = start.replace(tzinfo=tz).astimezone(_UTC)
    end_utc = end.replace(tzinfo=tz).astimezone(_UTC)
    if end_utc <= start_utc:
        return [(f"{start.year:04d}-{start.month:02d}", 1.0)]
    total = (end_utc - start_utc).total_seconds()
    shares: list[tuple[str, float]] = []
    while True:
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        lo = max(start_utc, _month_start(year, month, tz))
        hi = min(end_utc, _month_start(next_year, next_month, tz))
        if hi > lo:
            shares.append((f"{year:04d}-{month:02d}", (hi - lo).total_seconds() / total))
        if (next_year, next_month) > (end.year, end.month):
            return shares
        year, month = next_year, next_month
