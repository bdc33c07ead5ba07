"""Approximate data sizes: every unit and multiplier, full-width input, and the inputs that
must be refused (no unit, no number, zero, absurdly large, two units)."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from bot.parsing.data_size import format_size, parse_size


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("500 GB", 5e11, "bytes"),
        ("2TB", 2e12, "bytes"),
        ("5 tb", 5e12, "bytes"),
        ("2 kb", 2e3, "bytes"),
        ("1 GiB", 2**30, "bytes"),
        ("５００ＧＢ", 5e11, "bytes"),
        # a unit that starts with a multiplier letter is the unit, not t(rillion) + "okens"
        ("1000 tokens", 1e3, "tokens"),
        ("12 token", 12, "tokens"),
        ("10B tokens", 1e10, "tokens"),
        ("1.5B tokens", 1.5e9, "tokens"),
        ("2 m tokens", 2e6, "tokens"),
        ("100億トークン", 1e10, "tokens"),
        ("1.2M images", 1.2e6, "items"),
        ("30万件", 3e5, "items"),
        ("1,000 hours", 1e3, "hours"),
        ("１，０００時間", 1e3, "hours"),
        ("5k hours", 5e3, "hours"),
        ("1 h", 1, "hours"),
    ],
)
def test_sizes_are_read_with_their_unit(text, value, unit):
    assert parse_size(text) == pytest.approx((value, unit))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("lots", "not a size"),
        ("500", "not a size"),  # no unit
        ("-5 GB", "not a size"),
        ("1e9 tokens", "not a size"),
        ("10 GB tokens", "not a size"),
        ("0 GB", "more than 0"),
        ("0.0 tokens", "more than 0"),
        ("99999999999999999999999 PB", "larger than any dataset"),
    ],
)
def test_bad_sizes_are_refused_in_both_languages(text, says):
    with pytest.raises(UserError) as refused:
        parse_size(text)
    assert says in refused.value.en and refused.value.ja and refused.value.field == "size"


def test_empty_means_not_given_and_display_round_trips():
    assert parse_size("  ") is None
    assert format_size(*parse_size("1000 PB"), "en") == "1,000 PB"
    assert format_size(*parse_size("100億トークン"), "en") == "10B tokens"
    assert format_size(*parse_size("10B tokens"), "ja") == "100億トークン"
    assert format_size(*parse_size("12,000 hours"), "ja") == "1.2万時間"
