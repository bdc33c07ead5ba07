"""Tests for bot.parsing.detect.detect_format."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.detect import MAX_BYTES, detect_format

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("focus/finops_FOCUS-1.0_focus_sample.TRIMMED.csv", "focus"),
        ("focus/synthetic_gpu.csv", "focus"),
        ("csv/usage_sample.csv", "csv"),
        ("csv/usage_bom_crlf_reordered.csv", "csv"),
        ("slurm/habrok_gpu_parsable2_with_header.txt", "sacct"),
    ],
)
def test_fixtures(path, expected):
    assert detect_format((FIXTURES / path).read_bytes()) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"JobID|Start|End|ElapsedRaw|AllocTRES\n1|x|y|1|gres/gpu=1\n", "sacct"),
        (b"JobID|Start|End|AllocTRES|\n", "sacct"),  # --parsable (trailing delimiter)
        ("JobID☃Start☃End☃AllocTRES\n".encode(), "sacct"),  # --delimiter=☃
        (b"jobid;start;end;alloctres\n", "sacct"),
        (b'"JobID","Start","AllocTRES"\n', "sacct"),  # the sacct parser explains
        (b"JobID    Start   AllocTRES\n-----  ----- ------\n", "sacct"),  # fixed-width table
        (b"\n\r\nChargePeriodStart,ChargePeriodEnd,ConsumedQuantity\n", "focus"),
        (b'"consumedquantity","CHARGEPERIODSTART"\r\n', "focus"),
        ("\ufeffChargePeriodStart,ConsumedQuantity\n".encode(), "focus"),
        (b"organization,month,provider,gpu_type,gpu_hours\n", "csv"),
        (b"gpu_hours , Organization\n", "csv"),  # incomplete: the CSV parser names the rest
        ("\ufefforganization,month,provider,gpu_type,gpu_hours\r\n".encode(), "csv"),
    ],
)
def test_first_lines(data, expected):
    assert detect_format(data) == expected


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty"),
        (b"\r\n \n\t\n", "empty"),
        ("\ufeff".encode(), "empty"),
        (b"\x00\x01\x02\x03PK", "not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
        ("組織,月,GPU時間\n".encode("shift_jis"), "Shift_JIS"),
        (b"name,value\n", "not a header line"),
        (b"7965768|job|user424|gpu|2|gres/gpu=1\n", "not a header line"),  # --noheader sacct
        (b"ChargePeriodStart,BilledCost\n", "not a header line"),
        (b"organization\n", "not a header line"),
    ],
)
def test_refused(data, needle):
    with pytest.raises(UserError) as info:
        detect_format(data)
    assert needle in info.value.en
    assert "Accepted formats" in info.value.en and "受け付ける形式" in info.value.ja
    assert "sacct" in info.value.en and "FOCUS" in info.value.en
    assert "organization,month,provider,gpu_type,gpu_hours" in info.value.ja


def test_size_limit_names_the_limit():
    assert MAX_BYTES == 20 * 1024 * 1024
    header = b"organization,month,provider,gpu_type,gpu_hours\n"
    assert detect_format(header, max_bytes=len(header)) == "csv"
    with pytest.raises(UserError) as info:
        detect_format(header + b"x", max_bytes=len(header))
    assert f"limit is {len(header)} bytes" in info.value.en
    assert f"{len(header)} バイト" in info.value.ja
    big = header + b"A,2026-03,AWS,H100,1\n" * (MAX_BYTES // 21)
    with pytest.raises(UserError) as info:
        detect_format(big)
    assert "the limit is 20 MB" in info.value.en and "20 MB" in info.value.ja


def test_line_number_of_an_unknown_header():
    with pytest.raises(UserError) as info:
        detect_format(b"\n\nhello\n")
    assert info.value.line == 3


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_random_bytes_give_a_format_or_user_error(data):
    try:
        assert detect_format(data) in ("sacct", "focus", "csv")
    except UserError:
        pass
