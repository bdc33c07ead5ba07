"""Tests for bot.parsing.numbers: GPU-hour amounts typed by people, and their display."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.numbers import MAX_GPU_HOURS, format_gpu_hours, parse_gpu_hours


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1200", 1200.0),
        ("1,200", 1200.0),
        ("1,200.5", 1200.5),
        ("1200.5", 1200.5),
        ("0", 0.0),
        ("0.25", 0.25),
        ("  42 ", 42.0),
        ("１２００", 1200.0),
        ("１，２００．５", 1200.5),
        ("\u30001200\u3000", 1200.0),
        ("1,234,567.89", 1234567.89),
        ("10000000", 10_000_000.0),
        ("10,000,000.0", 10_000_000.0),
        ("0.125", 0.125),  # leading zero: cannot be a thousands group
        ("1.25", 1.25),
        ("1.2500", 1.25),  # four digits after the period: not a thousands group
        ("1200.500", 1200.5),  # four digits before the period
        ("1,200.500", 1200.5),  # the comma fixes the convention
        ("1.20", 1.2),
        ("-0", 0.0),
    ],
)
def test_accepted(text: str, expected: float) -> None:
    assert parse_gpu_hours(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "enter the GPU-hours"),
        ("   ", "enter the GPU-hours"),
        ("-5", "must be 0 or more"),
        ("−5", "must be 0 or more"),  # U+2212 minus
        ("－５", "must be 0 or more"),  # full-width
        ("1,20", "ambiguous"),
        ("1.200", "ambiguous"),  # European thousands? 1200, not 1.2
        ("12.500", "ambiguous"),
        ("999.999", "ambiguous"),
        ("１．２００", "ambiguous"),
        ("1,200,00", "ambiguous"),
        ("1.200,5", "ambiguous"),
        ("12,34,567", "ambiguous"),
        ("1..2", "ambiguous"),
        ("NaN", "not a number"),
        ("nan", "not a number"),
        ("Infinity", "not a number"),
        ("inf", "not a number"),
        ("1e5", "not a number"),
        ("1E5", "not a number"),
        ("1200h", "not a number"),
        ("１２００ｈ", "not a number"),
        ("約1200", "not a number"),
        ("1200 GPU-hours", "not a number"),
        ("1 200", "not a number"),
        ("+5", "not a number"),
        ("1_000", "not a number"),
        ("٣", "not a number"),
        ("10000000.01", "maximum"),
        ("12,345,678", "maximum"),
    ],
)
def test_rejected(text: str, fragment: str) -> None:
    with pytest.raises(UserError) as info:
        parse_gpu_hours(text)
    assert info.value.field == "gpu_hours"
    assert fragment in info.value.en
    assert info.value.ja


def test_ambiguous_message_says_how_to_write_it() -> None:
    with pytest.raises(UserError) as info:
        parse_gpu_hours("1.200,5")
    assert "1,200.5" in info.value.en and "1,200.5" in info.value.ja
    assert "period" in info.value.en and "ピリオド" in info.value.ja


@pytest.mark.parametrize(
    ("text", "thousands", "decimals"),
    [
        ("1.200", "1200", ["1.2", "1.20"]),
        ("12.500", "12500", ["12.5", "12.50"]),
        ("1.250", "1250", ["1.25"]),
        ("1.000", "1000", ["1", "1.00"]),
        ("999.999", "999999", ["999.9990"]),
    ],
)
def test_period_thousands_message_gives_both_unambiguous_forms(
    text: str, thousands: str, decimals: list[str]
) -> None:
    with pytest.raises(UserError) as info:
        parse_gpu_hours(text)
    for message in (info.value.en, info.value.ja):
        assert thousands in message
        assert all(d in message for d in decimals)
    # Each suggested form is accepted and means what the message says.
    assert parse_gpu_hours(thousands) == float(thousands)
    assert {parse_gpu_hours(d) for d in decimals} == {float(text)}


@pytest.mark.parametrize("text", ["1,200,00", "1,20", "1,2345", "1,20.5", "1,200.5,5", "1,2,3"])
def test_short_or_long_last_comma_group_does_not_echo_babel_guess(text: str) -> None:
    # Babel suggests "120,000" for "1,200,00": 100x off if 1200.00 was meant.
    with pytest.raises(UserError) as info:
        parse_gpu_hours(text)
    assert "Did you mean" not in info.value.en and "ですか" not in info.value.ja
    assert "groups of three" in info.value.en and "1,200.00" in info.value.en
    assert "3桁" in info.value.ja and "1,200.00" in info.value.ja
    assert "120,000" not in info.value.en


@pytest.mark.parametrize(("text", "suggestion"), [("12,34,567", "1,234,567"), ("1,,200", "1,200")])
def test_babel_suggestion_echoed_when_last_group_has_three_digits(
    text: str, suggestion: str
) -> None:
    with pytest.raises(UserError) as info:
        parse_gpu_hours(text)
    assert f"Did you mean “{suggestion}”" in info.value.en
    assert f"「{suggestion}」" in info.value.ja


@pytest.mark.parametrize(
    ("value", "en"),
    [
        (1200.0, "1,200"),
        (1200.5, "1,200.5"),
        (1200.25, "1,200.25"),
        (1200.04, "1,200.04"),  # a small revision stays visible (was "1,200")
        (1200.125, "1,200.12"),  # at most two decimals (half-even)
        (1234567.891, "1,234,567.89"),
        (0.01, "0.01"),
        (0.0051, "0.01"),
        (0.005, "< 0.01"),  # positive but would round to 0
        (0.0001, "< 0.01"),
        (1e-300, "< 0.01"),
        (-0.0001, "0"),
        (0.0, "0"),
        (-0.0, "0"),
        (0.5, "0.5"),
        (10_000_000.0, "10,000,000"),
    ],
)
def test_format(value: float, en: str) -> None:
    assert format_gpu_hours(value, "en") == en
    assert format_gpu_hours(value, "ja") == en  # ja_JP groups the same way


def test_format_rejects_non_finite() -> None:
    with pytest.raises(ValueError):
        format_gpu_hours(math.nan, "en")


@given(st.decimals(min_value=0, max_value=MAX_GPU_HOURS, places=2, allow_nan=False))
def test_format_then_parse_round_trips(value) -> None:
    assert parse_gpu_hours(format_gpu_hours(float(value), "ja")) == pytest.approx(float(value))


@given(st.text(max_size=30))
def test_random_text_gives_number_or_user_error(text: str) -> None:
    try:
        value = parse_gpu_hours(text)
    except UserError as exc:
        assert exc.field == "gpu_hours" and exc.en and exc.ja
    else:
        assert isinstance(value, float) and 0 <= value <= MAX_GPU_HOURS


@given(st.text(alphabet="0123456789,.-+ eE１２，．", max_size=20))
def test_number_like_text_gives_number_or_user_error(text: str) -> None:
    try:
        value = parse_gpu_hours(text)
    except UserError:
        pass
    else:
        assert 0 <= value <= MAX_GPU_HOURS
