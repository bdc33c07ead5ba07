"""bot.parsing.sacct read lazily: rows come as the input is read, skipped rows are bounded,
whole-file errors keep their order, and the shortcuts give the same figures as the long way."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.sacct import (
    MAX_SKIPPED,
    Run,
    SkipLog,
    SkippedRow,
    parse_sacct,
    read_sacct,
    utf8_file_lines,
)
from bot.parsing.sacct.split import _split, split_by_month

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "slurm"
WITH_HEADER = FIXTURE / "habrok_gpu_parsable2_with_header.txt"
TOKYO = ZoneInfo("Asia/Tokyo")
HEADER = "JobID|State|Start|End|ElapsedRaw|AllocTRES\n"


def job_lines(n: int, pulled: list[int]) -> Iterator[str]:
    """A header and `n` one-GPU-hour jobs, counting in `pulled` the lines read so far."""
    yield HEADER
    pulled[0] += 1
    for i in range(n):
        pulled[0] += 1
        yield f"{1000 + i}|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1\n"


def test_first_job_comes_before_the_input_is_read():
    pulled = [0]
    rows = read_sacct(job_lines(100_000, pulled), tz=TOKYO)
    first = next(iter(rows))
    assert isinstance(first, Run) and first.job_id == "1000" and first.line == 2
    assert first.hours == [("2026-03", 1.0)]
    assert pulled[0] < 200  # the header and a read-ahead of 4096 characters, not 100,000 rows
    rest = sum(1 for _ in rows)
    assert rest == 99_999 and pulled[0] == 100_001
    assert (rows.counts.rows_read, rows.counts.gpu_jobs) == (100_000, 100_000)


def test_lines_and_text_read_the_same(tmp_path):
    text = WITH_HEADER.read_text(encoding="utf-8")
    whole = parse_sacct(text, tz=TOKYO)
    with WITH_HEADER.open(encoding="utf-8", newline="\n") as file:
        items = list(read_sacct(file, tz=TOKYO))
    runs = [i for i in items if isinstance(i, Run)]
    assert [(u.job_id, u.line) for u in whole.usages] == [(r.job_id, r.line) for r in runs]
    skipped = sorted(i.line for i in items if isinstance(i, SkippedRow))
    assert skipped == [s.line for s in whole.skipped]
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + WITH_HEADER.read_bytes())
    assert "".join(utf8_file_lines(str(bom))) == text


def test_non_utf8_byte_is_named_as_for_the_whole_file(tmp_path):
    data = b"\xef\xbb\xbf" + HEADER.encode() + b"1|COMPLETED|x\xff|y|1|gres/gpu=1\n"
    path = tmp_path / "latin1.txt"
    path.write_bytes(data)
    with pytest.raises(UnicodeDecodeError) as whole:
        data.decode("utf-8-sig")
    with pytest.raises(UserError) as info:
        list(utf8_file_lines(str(path)))
    assert f"(byte {whole.value.start})" in info.value.en
    with pytest.raises(UserError, match="Cannot read"):
        utf8_file_lines(str(tmp_path / "missing.txt"))


def test_more_bad_rows_than_kept_are_counted():
    extra = 250
    bad = [f"{i}|COMPLETED|not a time|x|3600|gres/gpu=1" for i in range(MAX_SKIPPED + extra)]
    good = "9|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1"
    result = parse_sacct(HEADER + "\n".join([*bad, good]) + "\n", tz=TOKYO)
    assert len(result.skipped) == MAX_SKIPPED and result.skipped_more == extra
    assert [s.line for s in result.skipped] == list(range(2, MAX_SKIPPED + 2))
    assert result.gpu_hours_by_month() == {"2026-03": 1.0}


def test_skip_log_keeps_the_lowest_lines_whatever_the_order():
    log = SkipLog(limit=3)
    for line in [9, 4, 8, 2, 7, 1, 6, 3, 5]:
        log.add(SkippedRow(line, UserError("x", "x")))
    assert [s.line for s in log.rows] == [1, 2, 3] and (log.total, log.more) == (9, 6)


def test_replaced_row_is_announced_with_its_replacement():
    text = HEADER + (
        "5|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1\n"
        "6|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1\n"
        "5|COMPLETED|2026-03-10T10:00:00|2026-03-10T12:00:00|7200|gres/gpu=1\n"
    )
    items = list(read_sacct(text, tz=TOKYO))
    assert [(type(i).__name__, i.line) for i in items] == [
        ("Run", 2),
        ("Run", 3),
        ("Run", 4),
        ("SkippedRow", 2),
    ]
    assert items[2].replaces == 2 and items[0].replaces is None


def test_a_nul_far_into_the_file_stops_the_reading():
    good = "1|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1\n"
    rows = iter(read_sacct(HEADER + good * 2000 + "2|x\x00|y\n", tz=TOKYO))
    assert isinstance(next(rows), Run)  # rows come before the NUL is reached
    with pytest.raises(UserError, match="binary"):
        list(rows)


def test_no_row_with_the_header_columns_raises_at_the_end():
    rows = read_sacct("JobID|Start|End|AllocTRES\n" + "1|a|b\n" * 3, tz=TOKYO)
    with pytest.raises(UserError, match="No row has the expected 4 columns"):
        list(rows)


def test_a_late_nul_still_outranks_a_header_problem():
    # The whole text was checked for binary content first; reading lazily keeps that order.
    text = "JobID|State\n" + "1|COMPLETED\n" * 2000 + "\x00\n"
    with pytest.raises(UserError, match="binary"):
        read_sacct(text, tz=TOKYO)
    with pytest.raises(UserError, match="AllocTRES"):
        read_sacct(text.replace("\x00", "2|COMPLETED"), tz=TOKYO)


def test_a_late_quoted_row_outranks_fields_given_with_a_header():
    text = "JobID,Start,End,ElapsedRaw,AllocTRES\n" + "1,a,b,3,gres/gpu=1\n" * 2000
    text += '2,"a",b,3,gres/gpu=1\n'
    fields = ["JobID", "Start", "End", "ElapsedRaw", "AllocTRES"]
    with pytest.raises(UserError, match="CSV") as info:
        read_sacct(text, tz=TOKYO, fields=fields)
    assert info.value.line == 2002


# Zones with DST, some changing at midnight or by a whole day, and months around the changes.
_ZONES = ["Europe/Amsterdam", "America/Santiago", "America/Havana", "Pacific/Apia", "Asia/Tokyo"]
_times = st.datetimes(
    min_value=datetime.datetime(2010, 1, 1), max_value=datetime.datetime(2013, 12, 31)
).map(lambda t: t.replace(microsecond=0))


@settings(max_examples=500, deadline=None)
@given(_times, st.integers(0, 40 * 86400), st.sampled_from(_ZONES))
def test_month_shortcut_matches_the_general_split(start, seconds, zone):
    end = start + datetime.timedelta(seconds=seconds)
    tz = ZoneInfo(zone)
    assert split_by_month(start, end, tz) == _split(start, end, tz)


@pytest.mark.parametrize("zone", ["America/Santiago", "America/Havana", "Pacific/Apia"])
def test_month_shortcut_on_every_hour_of_a_dst_year(zone):
    # Santiago and Havana change at midnight; Apia skipped 2011-12-30 altogether.
    tz = ZoneInfo(zone)
    hours = (datetime.datetime(2011, 1, 1) + datetime.timedelta(hours=h) for h in range(8784))
    for start, end in itertools.pairwise(hours):
        assert split_by_month(start, end, tz) == _split(start, end, tz)
