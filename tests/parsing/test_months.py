"""Tests for bot.parsing.months: accepted forms, era boundaries, rejections, fuzzing."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.months import format_month, parse_month

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03", D(2026, 3, 1)),
        ("2026-3", D(2026, 3, 1)),
        ("2026/03", D(2026, 3, 1)),
        ("2026.03", D(2026, 3, 1)),
        ("  2026-03 ", D(2026, 3, 1)),
        ("\u30002026-03\u3000", D(2026, 3, 1)),  # ideographic spaces
        ("2026年3月", D(2026, 3, 1)),
        ("2026 年 03 月", D(2026, 3, 1)),
        ("２０２６年３月", D(2026, 3, 1)),
        ("２０２６－０３", D(2026, 3, 1)),
        ("２０２６／３", D(2026, 3, 1)),
        ("2026\u22123", D(2026, 3, 1)),  # minus sign pasted as hyphen
        ("R8.3", D(2026, 3, 1)),
        ("R8/3", D(2026, 3, 1)),
        ("r8.3", D(2026, 3, 1)),
        ("Ｒ８．３", D(2026, 3, 1)),
        ("R08.03", D(2026, 3, 1)),
        ("令和8年3月", D(2026, 3, 1)),
        ("令和８年３月", D(2026, 3, 1)),
        ("㋿8年3月", D(2026, 3, 1)),
        ("令和元年5月", D(2019, 5, 1)),
        ("R1.5", D(2019, 5, 1)),
        ("R元.5", D(2019, 5, 1)),
        ("H31.4", D(2019, 4, 1)),
        ("平成31年4月", D(2019, 4, 1)),
        ("平成12年1月", D(2000, 1, 1)),
        ("March 2026", D(2026, 3, 1)),
        ("mar 2026", D(2026, 3, 1)),
        ("Sept 2026", D(2026, 9, 1)),
        ("2000-01", D(2000, 1, 1)),
        ("2100-12", D(2100, 12, 1)),
    ],
)
def test_accepted(text: str, expected: datetime.date) -> None:
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "enter a month"),
        ("   ", "enter a month"),
        ("03/2026", "year first"),
        ("3-2026", "year first"),
        ("26-03", "four digits"),
        ("2026-03-01", "looks like a date"),
        ("2026年3月1日", "looks like a date"),
        ("202603", "not a month"),
        ("2026-00", "1 to 12"),
        ("2026-13", "1 to 12"),
        ("R8.13", "1 to 12"),
        ("1999-12", "2000 to 2100"),
        ("2101-01", "2000 to 2100"),
        ("H11.12", "2000 to 2100"),  # 1999
        ("S64.1", "2000 to 2100"),  # in Showa, but 1989
        ("H31.5", "Heisei"),  # Heisei ended 2019-04-30
        ("平成32年1月", "Heisei"),
        ("R1.4", "Reiwa"),  # Reiwa began 2019-05-01
        ("令和元年4月", "Reiwa"),
        ("R0.5", "starts at 1"),
        ("March", "not a month"),
        ("Marchy 2026", "not a month"),
        ("next month", "not a month"),
        ("X8.3", "not a month"),
        ("٢٠٢٦-٠٣", "not a month"),  # Arabic-Indic digits are not folded by NFKC
    ],
)
def test_rejected(text: str, fragment: str) -> None:
    with pytest.raises(UserError) as info:
        parse_month(text)
    assert info.value.field == "month"
    assert fragment in info.value.en
    assert info.value.ja  # always a Japanese message too


def test_fuzzy_dateutil_trap_is_not_taken() -> None:
    # dateutil fuzzy reads this as 2001-07-03; we read the era properly.
    assert parse_month("令和7年3月") == D(2025, 3, 1)


def test_format_month() -> None:
    assert format_month(D(2026, 3, 1)) == "2026-03"
    assert format_month(D(2026, 12, 31)) == "2026-12"
    assert format_month(parse_month("R8.3")) == "2026-03"


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)))
def test_round_trip(d: datetime.date) -> None:
    assert parse_month(format_month(d)) == d.replace(day=1)


@given(st.text(max_size=30))
def test_random_text_gives_date_or_user_error(text: str) -> None:
    try:
        result = parse_month(text)
    except UserError as exc:
        assert exc.field == "month" and exc.en and exc.ja
    else:
        assert isinstance(result, datetime.date) and result.day == 1
        assert 2000 <= result.year <= 2100


@given(st.text(alphabet="0123456789０１２３４５６７８９-/.年月元令和平成RHS ", max_size=14))
def test_month_like_text_gives_date_or_user_error(text: str) -> None:
    try:
        result = parse_month(text)
    except UserError:
        pass
    else:
        assert result.day == 1 and 2000 <= result.year <= 2100
