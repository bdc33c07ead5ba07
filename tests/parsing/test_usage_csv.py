"""Tests for bot.parsing.usage_csv: the plain organization,month,provider,gpu_type,gpu_hours
CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.usage_csv import CsvResult, CsvUsage, parse_usage_csv

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "csv"
HEADER = "organization,month,provider,gpu_type,gpu_hours\n"


def test_sample_fixture():
    result = parse_usage_csv((FIXTURES / "usage_sample.csv").read_text(encoding="utf-8"))
    assert result.usages == [
        CsvUsage("Example AI", "2026-03", "AWS", "H100", 1200.5, 2),
        CsvUsage("Example AI", "2026-03", "Google Cloud", "A100", 80.0, 3),
        CsvUsage("Sakura Labs", "2026-03", "Azure", "H100", 0.5, 4),
    ]
    assert result.skipped == [] and result.rows_read == 3


def test_bom_crlf_and_column_order():
    data = (FIXTURES / "usage_bom_crlf_reordered.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    for text in (data.decode("utf-8"), data.decode("utf-8-sig")):
        result = parse_usage_csv(text)
        assert result.usages == [CsvUsage("Example AI", "2026-04", "AWS", "H100", 12.0, 2)]


def test_bad_rows_are_skipped_with_lines():
    text = HEADER + (
        "A,2026-03,AWS,H100,10\n"  # 2 ok
        "A,03/2026,AWS,H100,10\n"  # 3 month first
        "A,2026-04,AWS,H100,1.200\n"  # 4 ambiguous number
        "A,2026-04,AWS,H100,-5\n"  # 5 negative
        ",2026-04,AWS,H100,5\n"  # 6 no organization
        "A,2026-04,,H100,5\n"  # 7 no provider
        "A,2026-04,AWS,,5\n"  # 8 no gpu type
        "A,2026-04,AWS,H100\n"  # 9 too few columns
        "A,2026-04,AWS,H100,5,6\n"  # 10 too many
        '"A\nB",2026-05,AWS,H100,7\n'  # 11-12 quoted newline: ok, starts on line 11
        "A,2026-05,AWS,H100,x\n"  # 13 not a number
        "\n"  # 14 blank
        "A,2026-06,AWS,H100,1\n"  # 15 ok
    )
    result = parse_usage_csv(text)
    assert [(u.line, u.month, u.gpu_hours) for u in result.usages] == [
        (2, "2026-03", 10.0),
        (11, "2026-05", 7.0),
        (15, "2026-06", 1.0),
    ]
    assert result.usages[1].organization == "A B"  # whitespace (the newline) collapsed
    assert [(s.line, s.error.field) for s in result.skipped] == [
        (3, "month"),
        (4, "gpu_hours"),
        (5, "gpu_hours"),
        (6, "organization"),
        (7, "provider"),
        (8, "gpu_type"),
        (9, None),
        (10, None),
        (13, "gpu_hours"),
    ]
    assert all(s.error.line == s.line and s.error.en and s.error.ja for s in result.skipped)
    assert "year first" in result.skipped[0].error.en
    assert result.rows_read == 12


def test_duplicates_name_the_earlier_line_and_are_never_summed():
    text = HEADER + (
        "Example AI,2026-03,AWS,H100,10\n"
        "Example AI,2026-04,AWS,H100,10\n"
        "example ai,2026/3,aws,h100,99\n"  # same key, other spelling
        "Ｅｘａｍｐｌｅ  AI,R8.3,AWS,H100,5\n"  # full-width, two spaces, era month
        "Example AI,2026-03,AWS,A100,10\n"  # other GPU type: not a duplicate
    )
    result = parse_usage_csv(text)
    assert [(u.line, u.gpu_hours) for u in result.usages] == [(2, 10.0), (3, 10.0), (6, 10.0)]
    assert [s.line for s in result.skipped] == [4, 5]
    for skipped in result.skipped:
        assert "line 2" in skipped.error.en and "2行目" in skipped.error.ja


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "empty"),
        ("\r\n\r\n", "empty"),
        ("\x00\x00binary", "binary"),
        ("Example AI,2026-03,AWS,H100,10\n", "not a header"),
        ("# usage\n" + HEADER, "comment"),
        ("organization;month;provider;gpu_type;gpu_hours\n", "semicolons"),
        ("organization\tmonth\tprovider\tgpu_type\tgpu_hours\n", "tabs"),
        ("organization,month,provider,gpu_hours\n", "missing the column(s) gpu_type"),
        (HEADER.strip() + ",notes\n", "“notes”"),
        (HEADER.strip() + ",Month\n", "twice"),
        ("organization,month,gpu_hours,cost,region\n", "missing the column(s) provider, gpu_type"),
    ],
)
def test_whole_file_errors(text, needle):
    with pytest.raises(UserError) as info:
        parse_usage_csv(text)
    assert needle in info.value.en
    if needle != "binary":
        assert "organization,month,provider,gpu_type,gpu_hours" in info.value.en
    assert info.value.ja


def test_extra_and_missing_both_named():
    with pytest.raises(UserError) as info:
        parse_usage_csv("organization,month,gpu_hours,cost,region\n")
    assert "“cost”, “region”" in info.value.en
    assert "「cost」" in info.value.ja and "provider" in info.value.ja


def test_header_case_and_spaces():
    text = " Organization , MONTH ,Provider,GPU_Type,gpu_hours\nA,2026-03,AWS,H100,1\n"
    assert parse_usage_csv(text).usages == [CsvUsage("A", "2026-03", "AWS", "H100", 1.0, 2)]


def test_trailing_unnamed_columns_from_spreadsheets():
    text = (
        HEADER.strip()
        + ",,\nA,2026-03,AWS,H100,1,,\nB,2026-03,AWS,H100,2\nC,2026-03,AWS,H100,3,,x\n"
    )
    result = parse_usage_csv(text)
    assert [u.organization for u in result.usages] == ["A", "B"]
    assert [s.line for s in result.skipped] == [4]
    assert "no name" in result.skipped[0].error.en


def test_hash_row_after_the_header_is_data():
    result = parse_usage_csv(HEADER + "#1 Lab,2026-03,AWS,H100,4\n")
    assert result.usages == [CsvUsage("#1 Lab", "2026-03", "AWS", "H100", 4.0, 2)]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_gives_a_result_or_user_error(text):
    try:
        assert isinstance(parse_usage_csv(text), CsvResult)
    except UserError:
        pass


_cell = st.sampled_from(
    ["", "A", "Ｂ", "2026-03", "R8.3", "13/2026", "1,200.5", "1.200", "-1", "1e5", '"', "\n",
     "AWS", "H100", "x" * 250]
)  # fmt: skip
_text = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_cell | _text, min_size=4, max_size=6), max_size=8))
def test_random_rows_after_the_header_never_crash(rows):
    text = HEADER + "\n".join(",".join(r) for r in rows)
    result = parse_usage_csv(text)
    assert len(result.usages) + len(result.skipped) == result.rows_read
    keys = [(u.organization.casefold(), u.month, u.provider.casefold(), u.gpu_type.casefold())
            for u in result.usages]  # fmt: skip
    assert len(keys) == len(set(keys))
