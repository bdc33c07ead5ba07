"""Inputs at the edges of the sacct parser's fast paths (plain-digit JobID and ElapsedRaw,
times checked by shape and year, one-month jobs, the first line of a file): they read as the
general rules say, so a shortcut cannot accept or refuse anything the rules do not."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.parsing.sacct import parse_sacct, utf8_file_lines

TOKYO = ZoneInfo("Asia/Tokyo")
BERLIN = ZoneInfo("Europe/Berlin")
HEADER = "JobID|Start|End|ElapsedRaw|AllocTRES\n"
START, END = "2026-03-10T10:00:00", "2026-03-10T11:00:00"


def one(row: str, tz: ZoneInfo = TOKYO):
    return parse_sacct(HEADER + row + "\n", tz=tz)


@pytest.mark.parametrize("job_id", ["7", "5908801_3", "123+0", "12_[1-3]"])
def test_job_ids_that_count(job_id):
    result = one(f"{job_id}|{START}|{END}|3600|gres/gpu=2")
    assert [(u.job_id, u.gpu_hours) for u in result.usages] == [(job_id, 2.0)]


@pytest.mark.parametrize("job_id", ["١٢٣", "１２", "12a", "_1", "-1"])
def test_job_ids_that_are_not_ascii_jobids(job_id):
    result = one(f"{job_id}|{START}|{END}|3600|gres/gpu=2")
    assert not result.usages and result.jobs_read == 0
    assert [s.error.field for s in result.skipped] == ["JobID"]
    assert "is not a Slurm JobID" in result.skipped[0].error.en


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("١٢", "must be a whole number"),  # Unicode digits: str.isdigit() is not enough
        ("1234567890123", "must be a whole number"),  # 13 digits: more than [0-9]{1,12}
        ("-5", "must be 0 or more"),
        ("12.5", "must be a whole number"),
    ],
)
def test_elapsed_raw_that_is_refused(raw, message):
    result = one(f"1|{START}|{END}|{raw}|gres/gpu=1")
    assert [s.error.field for s in result.skipped] == ["ElapsedRaw"]
    assert message in result.skipped[0].error.en


def test_twelve_digit_elapsed_raw_is_a_number_then_too_long():
    result = one(f"1|{START}|{END}|999999999999|gres/gpu=1")
    assert "longer than ten years" in result.skipped[0].error.en


@pytest.mark.parametrize(
    "start",
    [
        "1969-12-31T23:00:00",  # before 1970
        "3000-01-01T00:00:00",  # after 2999
        "0001-01-01T00:00:00",
        "2026-02-30T10:00:00",  # right shape, no such day
        "2026-03-10 10:00:00",  # fromisoformat would take these; sacct never prints them
        "2026-03-10T10:00:00+09:00",
        "2026-03-10T10:00",
        "2026-W11-2T10:00:00",
        "２０２６-03-10T10:00:00",
    ],
)
def test_times_that_are_refused(start):
    result = one(f"1|{start}|{END}|3600|gres/gpu=1")
    assert [s.error.field for s in result.skipped] == ["Start"]
    assert "is not a sacct time" in result.skipped[0].error.en


@pytest.mark.parametrize("start", ["1970-01-01T00:00:00", "2999-12-31T10:00:00"])
def test_first_and_last_years_are_read(start):
    end = start[:11] + "11:00:00"
    result = one(f"1|{start}|{end}|3600|gres/gpu=1", tz=ZoneInfo("UTC"))
    assert [(u.month, u.gpu_hours) for u in result.usages] == [(start[:7], 1.0)]


def test_one_month_jobs_near_and_away_from_a_dst_change():
    text = HEADER + (
        "1|2026-03-10T10:00:00|2026-03-10T12:00:00|7200|gres/gpu=3\n"  # far from a change
        "2|2026-03-29T01:00:00|2026-03-29T04:00:00|7200|gres/gpu=3\n"  # over the change
        "3|2026-03-31T23:00:00|2026-04-01T01:00:00|7200|gres/gpu=3\n"  # two months
    )
    result = parse_sacct(text, tz=BERLIN)
    assert [(u.job_id, u.month, u.gpu_hours) for u in result.usages] == [
        ("1", "2026-03", 6.0),
        ("2", "2026-03", 6.0),
        ("3", "2026-03", 3.0),
        ("3", "2026-04", 3.0),
    ]


def test_comma_delimiter_with_trailing_delimiter_joins_tres():
    text = "JobID,Start,End,ElapsedRaw,AllocTRES,\n" + (
        f"1,{START},{END},3600,cpu=8,gres/gpu=2,node=1,\n"
        f"2,{START},{END},3600,gres/gpu=1,\n"
        f"3,{START},{END},3600,gres/gpu=1\n"  # the trailing delimiter is missing
    )
    result = parse_sacct(text, tz=TOKYO)
    assert [(u.job_id, u.gpus) for u in result.usages] == [("1", 2), ("2", 1)]
    assert [s.line for s in result.skipped] == [4]


def test_a_file_of_only_a_bom_is_one_empty_line(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf")
    assert list(utf8_file_lines(str(path))) == [""]
    path.write_bytes(b"")
    assert list(utf8_file_lines(str(path))) == []


def test_bad_byte_offsets_count_after_the_bom(tmp_path):
    path = tmp_path / "bad.txt"
    for data, byte in [
        (b"\xef\xbb\xbf\xff\n", 0),
        (b"\xff\n", 0),
        (b"\xef\xbb\xbfab\ncd\xff\n", 5),
        (b"ab\ncd\xff\n", 5),
    ]:
        path.write_bytes(data)
        with pytest.raises(Exception, match=rf"\(byte {byte}\)"):
            list(utf8_file_lines(str(path)))
