"""Monthly plan lines typed in a modal (`2026-04: 1200` per line)."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from bot.parsing.plans import format_plan_lines, parse_plan_lines


def test_spellings_of_months_numbers_and_separators():
    text = "2026-04: 1,200\n2026年5月：１２００\n\n R8.6 900 \nMarch 2026 = 5\n2026/07:0"
    assert parse_plan_lines(text) == {
        "2026-04": 1200.0,
        "2026-05": 1200.0,
        "2026-06": 900.0,
        "2026-03": 5.0,
        "2026-07": 0.0,
    }
    assert parse_plan_lines("") == {} and parse_plan_lines(None) == {}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("2026-04", 1, "colon"),
        ("2026-04: 1\n2026-04: 2", 2, "twice"),
        ("2026-04: 1\n04/2026: 3", 2, "year first"),
        ("2026-04: -5", 1, "0 or more"),
        ("2026-04: 1,20", 1, "ambiguous"),
        ("2026-04: 1.200", 1, "1200"),
        ("2026-04: 99999999", 1, "10,000,000"),
    ],
)
def test_bad_lines_name_their_line_in_both_languages(text, line, words):
    with pytest.raises(UserError) as error:
        parse_plan_lines(text)
    assert error.value.line == line
    assert error.value.en.startswith(f"Line {line}:") and words in error.value.en
    assert error.value.ja.startswith(f"{line}行目")


def test_too_many_lines_are_refused():
    with pytest.raises(UserError, match="At most 120"):
        parse_plan_lines("\n".join(f"2026-01: {n}" for n in range(121)))


def test_format_reads_back():
    plans = {"2026-05": 1500.5, "2026-04": 1200.0}
    assert format_plan_lines(plans) == "2026-04: 1200\n2026-05: 1500.5"
    assert parse_plan_lines(format_plan_lines(plans)) == plans


@pytest.mark.parametrize("value", [2_000_000.0, 1_234_567.0, 1666.6667, 0.125, 9_999_999.99, 0.0])
def test_prefilled_numbers_read_back_exactly(value):
    """The edit modal showed %g: `2e+06` was refused and 1666.6667 came back as 1666.67."""
    from bot.parsing.numbers import parse_gpu_hours, plain_number

    assert "e" not in plain_number(value)
    assert parse_gpu_hours(plain_number(value)) == value
    assert parse_plan_lines(format_plan_lines({"2026-04": value})) == {"2026-04": value}
