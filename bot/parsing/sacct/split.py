"""Splitting a job's [Start, End) over calendar months in the cluster's time zone."""

from __future__ import annotations

import datetime

_UTC = datetime.UTC


def _month_start(year: int, month: int, tz: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime(year, month, 1, tzinfo=tz).astimezone(_UTC)


def split_by_month(
    start: datetime.datetime, end: datetime.datetime, tz: datetime.tzinfo
) -> list[tuple[str, float]]:
    """Shares (summing to 1) of [start, end) per ``YYYY-MM`` month in ``tz``; start/end naive,
    local in ``tz``."""
    start_utc = start.replace(tzinfo=tz).astimezone(_UTC)
    end_utc = end.replace(tzinfo=tz).astimezone(_UTC)
    if end_utc <= start_utc:
        return [(f"{start.year:04d}-{start.month:02d}", 1.0)]
    total = (end_utc - start_utc).total_seconds()
    shares: list[tuple[str, float]] = []
    year, month = start.year, start.month
    while True:
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        lo = max(start_utc, _month_start(year, month, tz))
        hi = min(end_utc, _month_start(next_year, next_month, tz))
        if hi > lo:
            shares.append((f"{year:04d}-{month:02d}", (hi - lo).total_seconds() / total))
        if (next_year, next_month) > (end.year, end.month):
            return shares
        year, month = next_year, next_month
