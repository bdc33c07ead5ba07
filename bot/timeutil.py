"""Month and business-day arithmetic in the programme's time zone (dateutil, holidays).

Months are `YYYY-MM` strings. Business days are Monday–Friday that are not Japanese public
holidays (including substitute and citizens' holidays) per the `holidays` package's `Japan`
calendar, which follows the Cabinet Office's list (https://www8.cao.go.jp/chosei/shukujitsu/).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule


def month_of(moment: datetime, tz: ZoneInfo) -> str:
    """The `YYYY-MM` month that `moment` (aware) falls in, in zone `tz`."""
    return moment.astimezone(tz).strftime("%Y-%m")


def previous_month(moment: datetime, tz: ZoneInfo) -> str:
    """The month before the one `moment` falls in, in zone `tz` (`YYYY-MM`)."""
    first = moment.astimezone(tz).date().replace(day=1)
    return (first - relativedelta(months=1)).strftime("%Y-%m")


def month_start(month: str) -> date:
    """First day of a `YYYY-MM` month."""
    return date.fromisoformat(month + "-01")


def months_between(first: date, last: date) -> list[str]:
    """Every `YYYY-MM` month from the one holding `first` to the one holding `last`, inclusive."""
    if last < first:
        return []
    return [d.strftime("%Y-%m") for d in rrule(MONTHLY, dtstart=first.replace(day=1), until=last)]


@lru_cache(maxsize=32)
def _japan_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Japan(years=year)


def is_business_day(day: date) -> bool:
    """Monday–Friday and not a Japanese public holiday."""
    return day.weekday() < 5 and day not in _japan_holidays(day.year)


def nth_business_day(year: int, month: int, n: int) -> date:
    """The `n`-th business day (1-based) of a month.

    Raises:
        ValueError: when the month has fewer than `n` business days.
    """
    day = date(year, month, 1)
    count = 0
    while day.month == month:
        if is_business_day(day):
            count += 1
            if count == n:
                return day
        day += relativedelta(days=1)
    raise ValueError(f"{year}-{month:02d} has fewer than {n} business days")
