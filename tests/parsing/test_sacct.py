"""Tests for bot.parsing.sacct: real sacct fixtures (hand-checked numbers) and edge cases."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.sacct import JobUsage, SacctResult, parse_elapsed, parse_sacct

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "slurm"
WITH_HEADER = FIXTURES / "habrok_gpu_parsable2_with_header.txt"
SNOWMAN = FIXTURES / "hb-jobinfo_sacct_snowman-delim_gpu.txt"
TOKYO = ZoneInfo("Asia/Tokyo")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")  # Hábrók is in Groningen
FIELDS = (
    "JobID JobName User Partition NodeList NNodes NCPUs NTasks State Submit Start End "
    "Timelimit Elapsed TotalCPU CPUTime UserCPU SystemCPU ReqMem MaxRSS MaxVMSize ReqTRES "
    "AllocTRES TRESUsageInMax TRESUsageInTot TRESUsageOutTot MaxDiskRead MaxDiskWrite "
    "MaxRSSNode MaxRSSTask MaxVMSizeNode MaxVMSizeTask MaxDiskReadNode MaxDiskReadTask "
    "MaxDiskWriteNode MaxDiskWriteTask Comment"
).split()

# Hand-computed from the fixture's Elapsed and AllocTRES (seconds × GPUs):
#   7965768  15:28:22   = 55,702 s × 1 (v100)        line 10
#   7946767  11:23:23   = 41,003 s × 1 (v100)        line 13
#   7939708  00:00:04   =      4 s × 1 (a100)        line 16
#   8150389  2-21:09:16 = 248,956 s × 2 (a100)       line 210
#   8069225  08:45:49   = 31,549 s × 1 (v100)        line 229
#   7971484  00:03:53   =    233 s × 4 (a100)        line 232
#   7961058  00:40:15   =  2,415 s × 2 (a100)        line 236
# total 631,932 GPU-seconds = 175.536666… GPU-hours, all in April 2024.
EXPECTED_JOBS = [
    ("7965768", 1, "v100", 55_702, 10),
    ("7946767", 1, "v100", 41_003, 13),
    ("7939708", 1, "a100", 4, 16),
    ("8150389", 2, "a100", 248_956, 210),
    ("8069225", 1, "v100", 31_549, 229),
    ("7971484", 4, "a100", 233, 232),
    ("7961058", 2, "a100", 2_415, 236),
]
EXPECTED_BY_MONTH = {"2024-04": 631_932 / 3600}


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def sacct(*rows: str, header: str = "JobID|State|Start|End|ElapsedRaw|AllocTRES") -> str:
    return "\n".join((header, *rows)) + "\n"


# --- real fixtures ------------------------------------------------------------------------


def test_fixture_with_header_numbers() -> None:
    result = parse_sacct(read(WITH_HEADER), tz=AMSTERDAM)
    assert result.rows_read == 242
    assert result.jobs_read == 100
    assert result.gpu_jobs == 7
    got = [(u.job_id, u.gpus, u.gpu_type, u.gpu_hours, u.line, u.month) for u in result.usages]
    want = [
        (j, g, t, pytest.approx(s * g / 3600), line, "2024-04")
        for j, g, t, s, line in EXPECTED_JOBS
    ]
    assert got == want
    by_month = result.gpu_hours_by_month()
    assert list(by_month) == ["2024-04"]
    assert by_month["2024-04"] == pytest.approx(175.536667, abs=1e-6)
    assert by_month["2024-04"] == pytest.approx(EXPECTED_BY_MONTH["2024-04"])


def test_fixture_first_gpu_job() -> None:
    first = parse_sacct(read(WITH_HEADER), tz=TOKYO).usages[0]
    assert first == JobUsage(
        "7965768", "2024-04", pytest.approx(15.472778, abs=1e-6), 1, "v100", 10
    )


def test_fixture_running_gpu_jobs_are_skipped_with_their_lines() -> None:
    result = parse_sacct(read(WITH_HEADER), tz=AMSTERDAM)
    assert [s.line for s in result.skipped] == [223, 226]
    for skipped in result.skipped:
        assert "still running" in skipped.error.en
        assert "実行中" in skipped.error.ja
        assert skipped.error.line == skipped.line and skipped.error.field == "End"
    assert "8298012" in result.skipped[0].error.en


def test_snowman_fixture_matches_header_fixture() -> None:
    with_header = parse_sacct(read(WITH_HEADER), tz=AMSTERDAM)
    snowman = parse_sacct(read(SNOWMAN), tz=AMSTERDAM, fields=FIELDS)
    explicit = parse_sacct(read(SNOWMAN), tz=AMSTERDAM, fields=FIELDS, delimiter="☃")
    assert snowman.usages == explicit.usages
    assert [(s.line, s.error.en) for s in snowman.skipped] == [
        (s.line, s.error.en) for s in explicit.skipped
    ]
    assert snowman.gpu_hours_by_month() == with_header.gpu_hours_by_month()
    assert (snowman.rows_read, snowman.jobs_read, snowman.gpu_jobs) == (242, 100, 7)
    # Same jobs and numbers; lines are one less (no header line).
    shifted = [dataclasses.replace(u, line=u.line + 1) for u in snowman.usages]
    assert shifted == with_header.usages
    assert [s.line for s in snowman.skipped] == [222, 225]


def test_fixture_header_matches_field_list() -> None:
    assert read(WITH_HEADER).splitlines()[0].split("|") == FIELDS


def test_snowman_without_fields_is_a_user_error() -> None:
    with pytest.raises(UserError) as info:
        parse_sacct(read(SNOWMAN), tz=TOKYO)
    assert "--noheader" in info.value.en and "--noheader" in info.value.ja
    assert info.value.line == 1


def test_fixture_totals_do_not_depend_on_zone_when_mid_month() -> None:
    tokyo = parse_sacct(read(WITH_HEADER), tz=TOKYO).gpu_hours_by_month()
    assert tokyo == pytest.approx(EXPECTED_BY_MONTH)


# --- GPUs from AllocTRES ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tres", "gpus", "gpu_type"),
    [
        ("billing=8,cpu=8,gres/gpu=2,mem=10G,node=1", 2, None),
        ("cpu=8,gres/gpu:h100=4,mem=10G", 4, "h100"),  # typed only
        ("cpu=8,gres/gpu:a100=2,gres/gpu:h100=1", 3, None),  # two types: summed, no type
        ("cpu=8,gres/gpu:a100=2,gres/gpu=2,mem=1G", 2, "a100"),  # both: untyped wins
        ("gres/gpu=3,gres/gpu:a100=2", 3, "a100"),  # untyped wins even if they differ
        ("gres/gpu:nvidia_h100_80gb_hbm3=8,node=1", 8, "nvidia_h100_80gb_hbm3"),
    ],
)
def test_gpus_from_tres(tres: str, gpus: int, gpu_type: str | None) -> None:
    text = sacct(f"100|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|{tres}")
    (usage,) = parse_sacct(text, tz=TOKYO).usages
    assert (usage.gpus, usage.gpu_type, usage.gpu_hours) == (gpus, gpu_type, float(gpus))


@pytest.mark.parametrize(
    "tres",
    [
        "",
        "billing=8,cpu=8,mem=10G,node=1",
        "cpu=1,gres/gpumem=80G,gres/gpuutil=90",
        "cpu=1,gres/gpu=0",
        "gres/shard=2",
    ],
)
def test_rows_without_gpus_are_not_gpu_jobs(tres: str) -> None:
    text = sacct(f"100|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|{tres}")
    result = parse_sacct(text, tz=TOKYO)
    assert (result.jobs_read, result.gpu_jobs, result.usages, result.skipped) == (1, 0, [], [])


# --- months ---------------------------------------------------------------------------------


def test_month_boundary_split_in_tokyo() -> None:
    text = sacct("200|COMPLETED|2026-03-31T23:00:00|2026-04-01T01:00:00|7200|gres/gpu=2")
    result = parse_sacct(text, tz=TOKYO)
    assert [(u.month, u.gpu_hours) for u in result.usages] == [
        ("2026-03", pytest.approx(2.0)),
        ("2026-04", pytest.approx(2.0)),
    ]
    assert result.gpu_hours_by_month() == pytest.approx({"2026-03": 2.0, "2026-04": 2.0})
    assert result.gpu_jobs == 1


def test_elapsed_differing_from_wall_span_is_split_proportionally() -> None:
    # 24 h between Start and End (12 h in each month), but only 12 h elapsed (suspended).
    text = sacct("201|COMPLETED|2026-03-31T12:00:00|2026-04-01T12:00:00|43200|gres/gpu=1")
    assert parse_sacct(text, tz=TOKYO).gpu_hours_by_month() == pytest.approx(
        {"2026-03": 6.0, "2026-04": 6.0}
    )


def test_multi_month_job() -> None:
    # 2026-01-31T00:00 → 2026-03-01T00:00: 1 day in Jan, 28 days in Feb.
    text = sacct("202|TIMEOUT|2026-01-31T00:00:00|2026-03-01T00:00:00|2505600|gres/gpu=1")
    assert parse_sacct(text, tz=TOKYO).gpu_hours_by_month() == pytest.approx(
        {"2026-01": 24.0, "2026-02": 672.0}
    )


def test_months_follow_dst_in_zone() -> None:
    # Amsterdam: 2026-03-29 02:00 → 03:00 (CEST). 01:00 → 04:00 local is 2 real hours.
    text = sacct("203|COMPLETED|2026-03-29T01:00:00|2026-03-29T04:00:00||gres/gpu=1")
    (usage,) = parse_sacct(text, tz=AMSTERDAM).usages
    assert usage.gpu_hours == pytest.approx(2.0)


# --- rows that are ignored or skipped ----------------------------------------------------------


def test_steps_ignored_arrays_and_het_jobs_counted() -> None:
    text = sacct(
        "300|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
        "300.batch|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
        "300.extern|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
        "300.0|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
        "5908801_3|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
        "777+0|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
        "777+1|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=2",
        "777+0.batch|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
    )
    result = parse_sacct(text, tz=TOKYO)
    assert [u.job_id for u in result.usages] == ["300", "5908801_3", "777+0", "777+1"]
    assert (result.rows_read, result.jobs_read, result.gpu_jobs) == (8, 4, 4)
    assert result.gpu_hours_by_month() == pytest.approx({"2026-03": 5.0})


def test_never_started_job_is_ignored() -> None:
    text = sacct(
        "400|CANCELLED by 1|None|2026-03-10T11:00:00|0|gres/gpu=1",
        "401|PENDING|Unknown|Unknown|0|gres/gpu=4",
    )
    result = parse_sacct(text, tz=TOKYO)
    assert (result.jobs_read, result.gpu_jobs, result.usages, result.skipped) == (2, 0, [], [])


def test_running_job_is_skipped_with_its_line() -> None:
    text = sacct(
        "500|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
        "501|RUNNING|2026-03-10T10:00:00|Unknown|3600|gres/gpu=1",
    )
    result = parse_sacct(text, tz=TOKYO)
    assert [u.job_id for u in result.usages] == ["500"]
    (skipped,) = result.skipped
    assert skipped.line == 3 and skipped.error.line == 3
    assert "501" in skipped.error.en and "still running" in skipped.error.en


@pytest.mark.parametrize(
    ("row", "fragment", "column"),
    [
        ("600|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600", "has 5 columns", None),
        ("600|COMPLETED|2026-03-10|2026-03-10T11:00:00|3600|gres/gpu=1", "sacct time", "Start"),
        (
            "600|COMPLETED|2026-03-10T10:00:00|2026-02-30T11:00:00|3600|gres/gpu=1",
            "sacct time",
            "End",
        ),
        (
            "600|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|1h|gres/gpu=1",
            "whole number",
            "ElapsedRaw",
        ),
        (
            "600|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=two",
            "whole",
            "AllocTRES",
        ),
        (
            "600|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|cpu=8,gres/gpu",
            "name=value",
            "AllocTRES",
        ),
        ("600|COMPLETED|2026-03-10T12:00:00|2026-03-10T11:00:00|3600|gres/gpu=1", "before", "End"),
        ("600|COMPLETED|None|2026-03-10T11:00:00|3600|gres/gpu=1", "elapsed time", "Start"),
        ("abc|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1", "JobID", "JobID"),
    ],
)
def test_bad_row_is_skipped_with_its_line_and_parsing_continues(
    row: str, fragment: str, column: str | None
) -> None:
    good = "601|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1"
    result = parse_sacct(sacct(good, row, good.replace("601", "602")), tz=TOKYO)
    assert [u.job_id for u in result.usages] == ["601", "602"]
    (skipped,) = result.skipped
    assert skipped.line == 3 and skipped.error.line == 3
    assert fragment in skipped.error.en and skipped.error.ja
    assert skipped.error.field == column


def test_bad_elapsed_text_is_skipped() -> None:
    header = "JobID|Start|End|Elapsed|AllocTRES"
    text = sacct(
        "700|2026-03-10T10:00:00|2026-03-10T11:00:00|1:00:00:00|gres/gpu=1",
        "701|2026-03-10T10:00:00|2026-03-10T11:00:00|01:00:00|gres/gpu=1",
        header=header,
    )
    result = parse_sacct(text, tz=TOKYO)
    assert [s.line for s in result.skipped] == [2]
    assert result.skipped[0].error.field == "Elapsed"
    assert result.gpu_hours_by_month() == pytest.approx({"2026-03": 1.0})


def test_duplicate_row_is_counted_once() -> None:
    row = "800|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1"
    result = parse_sacct(sacct(row, row), tz=TOKYO)
    assert result.gpu_hours_by_month() == pytest.approx({"2026-03": 1.0})
    assert [s.line for s in result.skipped] == [3]
    assert "line 2" in result.skipped[0].error.en


# --- elapsed --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1-04:33:44", 102_824),
        ("03:34:13", 12_853),
        ("00:00:04", 4),
        ("10-00:00:27", 864_027),
        ("05:07", 307),
        ("23:08.358", 1_388),
        ("100:00:00", 360_000),
    ],
)
def test_parse_elapsed(text: str, seconds: int) -> None:
    assert parse_elapsed(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "1:2", "00:60:00", "1-24:00:00", "1h", "-01:00:00", "1-05:07", "INVALID"]
)
def test_parse_elapsed_rejects(text: str) -> None:
    with pytest.raises(UserError):
        parse_elapsed(text)


def test_elapsed_text_used_when_no_elapsed_raw() -> None:
    header = "JobID|Start|End|Elapsed|AllocTRES"
    text = sacct(
        "900|2026-03-10T10:00:00|2026-03-11T14:33:44|1-04:33:44|gres/gpu:v100=1", header=header
    )
    (usage,) = parse_sacct(text, tz=TOKYO).usages
    assert usage.gpu_hours == pytest.approx(102_824 / 3600)


def test_start_and_elapsed_without_end_column() -> None:
    header = "JobID|Start|ElapsedRaw|AllocTRES"
    text = sacct("901|2026-03-31T23:00:00|7200|gres/gpu=2", header=header)
    assert parse_sacct(text, tz=TOKYO).gpu_hours_by_month() == pytest.approx(
        {"2026-03": 2.0, "2026-04": 2.0}
    )


# --- file shapes ----------------------------------------------------------------------------


def test_parsable_with_trailing_delimiter_and_header() -> None:
    text = (
        "JobID|Start|End|ElapsedRaw|AllocTRES|\n"
        "1|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=3|\n"
    )
    assert parse_sacct(text, tz=TOKYO).gpu_hours_by_month() == pytest.approx({"2026-03": 3.0})


def test_custom_delimiter_detected_from_header() -> None:
    text = (
        "JobID☃Start☃End☃ElapsedRaw☃AllocTRES☃\n"
        "1☃2026-03-10T10:00:00☃2026-03-10T11:00:00☃3600☃gres/gpu=3☃\n"
    )
    assert parse_sacct(text, tz=TOKYO).gpu_hours_by_month() == pytest.approx({"2026-03": 3.0})


def test_crlf_bom_and_blank_lines() -> None:
    text = (
        "\ufeffJobID|Start|End|ElapsedRaw|AllocTRES\r\n\r\n"
        "1|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1\r\n"
        "2|bad|2026-03-10T11:00:00|3600|gres/gpu=1\r\n"
    )
    result = parse_sacct(text, tz=TOKYO)
    assert result.rows_read == 2
    assert [u.line for u in result.usages] == [3]
    assert [s.line for s in result.skipped] == [4]


def test_header_only_file_has_no_gpu_jobs() -> None:
    header = read(WITH_HEADER).splitlines()[0] + "\n"
    result = parse_sacct(header, tz=TOKYO)
    assert result == SacctResult([], [], 0, 0, 0)
    assert result.gpu_hours_by_month() == {}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("\n  \n", "empty"),
        ("JobID\x00|Start\x00\x01\x02", "binary"),
        ("hello world\nthis is not sacct\n", "--noheader"),
        ("JobID|JobName|State\n1|x|COMPLETED\n", "AllocTRES"),
        ("JobID|AllocTRES|Elapsed\n1|gres/gpu=1|01:00:00\n", "Start / End"),
        ("JobID|AllocTRES|Start|End\n1,2,3\n4,5,6\n", "No row"),
        (
            "JobID           Start                 End  AllocTRES\n"
            "------------ ------------------- ------------------- ----------\n"
            "1             2026-03-10T10:00:00 2026-03-10T11:00:00 gres/gpu=1\n",
            "--parsable2",
        ),
    ],
)
def test_whole_file_problems_raise(text: str, fragment: str) -> None:
    with pytest.raises(UserError) as info:
        parse_sacct(text, tz=TOKYO)
    assert fragment in info.value.en
    assert info.value.ja


def test_no_header_with_fields_but_unknown_delimiter() -> None:
    with pytest.raises(UserError) as info:
        parse_sacct(
            "1;2026-03-10T10:00:00;x\n",
            tz=TOKYO,
            fields=["JobID", "Start", "End", "ElapsedRaw", "AllocTRES"],
        )
    assert "delimiter" in info.value.en


def test_multi_character_delimiter_rejected() -> None:
    with pytest.raises(UserError):
        parse_sacct(read(SNOWMAN), tz=TOKYO, fields=FIELDS, delimiter="||")


# --- fuzzing --------------------------------------------------------------------------------

_HEADER = "JobID|State|Start|End|Elapsed|ElapsedRaw|AllocTRES"
_cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "None",
            "Unknown",
            "2026-03-31T23:00:00",
            "2026-04-01T01:00:00",
            "9999-12-31T23:59:59",
            "0001-01-01T00:00:00",
            "1-04:33:44",
            "00:00:04",
            "99:99",
            "3600",
            "-1",
            "gres/gpu=2",
            "gres/gpu:a100=1,gres/gpu=1",
            "gres/gpu=x",
            "123",
            "123.batch",
            "5908801_3",
            "1+0",
            "|",
            "☃",
        ]
    ),
)
_row = st.lists(_cell, min_size=5, max_size=9).map("|".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_row, max_size=6), st.sampled_from(["UTC", "Asia/Tokyo", "Europe/Amsterdam"]))
def test_random_rows_give_result_or_user_error(rows: list[str], zone: str) -> None:
    try:
        result = parse_sacct("\n".join([_HEADER, *rows]), tz=ZoneInfo(zone))
    except UserError as exc:
        assert exc.en and exc.ja
        return
    assert isinstance(result, SacctResult)
    assert all(u.gpu_hours >= 0 and u.gpus > 0 for u in result.usages)
    assert all(isinstance(s.error, UserError) and s.line >= 2 for s in result.skipped)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.none() | st.just(["JobID", "Start", "End", "AllocTRES"]))
def test_random_text_gives_result_or_user_error(text: str, fields: list[str] | None) -> None:
    try:
        result = parse_sacct(text, tz=ZoneInfo("Asia/Tokyo"), fields=fields)
    except UserError as exc:
        assert exc.en and exc.ja
    else:
        assert isinstance(result, SacctResult)


@pytest.mark.parametrize(
    "row",
    [
        "1|COMPLETED|0001-01-01T00:00:00|0001-01-01T01:00:00|3600|gres/gpu=1",
        "1|COMPLETED|9999-12-31T23:00:00|9999-12-31T23:59:59|3599|gres/gpu=1",
        "1|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|999999999999|gres/gpu=1",
        "1|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=" + "9" * 5000,
    ],
)
def test_absurd_values_are_skipped_not_crashing(row: str) -> None:
    for zone in ("Asia/Tokyo", "America/Los_Angeles", "UTC"):
        result = parse_sacct(sacct(row), tz=ZoneInfo(zone))
        assert [s.line for s in result.skipped] == [2] and result.usages == []


def test_absurd_elapsed_without_end_column() -> None:
    text = sacct(
        "1|2026-03-10T10:00:00|999999999999|gres/gpu=1", header="JobID|Start|ElapsedRaw|AllocTRES"
    )
    assert [s.line for s in parse_sacct(text, tz=TOKYO).skipped] == [2]


@pytest.mark.parametrize(
    ("header", "row"),
    [
        ("JobID|End|ElapsedRaw|AllocTRES", "1|2026-03-10T11:00:00||gres/gpu=1"),
        ("JobID|Start|Elapsed|AllocTRES", "1|2026-03-10T10:00:00||gres/gpu=1"),
    ],
)
def test_empty_elapsed_without_start_or_end_column_is_skipped(header: str, row: str) -> None:
    result = parse_sacct(sacct(row, header=header), tz=TOKYO)
    assert [s.line for s in result.skipped] == [2]
    assert "no elapsed time" in result.skipped[0].error.en


def test_end_and_elapsed_without_start_column() -> None:
    text = sacct("1|2026-04-01T01:00:00|7200|gres/gpu=2", header="JobID|End|ElapsedRaw|AllocTRES")
    assert parse_sacct(text, tz=TOKYO).gpu_hours_by_month() == pytest.approx(
        {"2026-03": 2.0, "2026-04": 2.0}
    )


def test_empty_end_is_a_bad_time_not_running() -> None:
    result = parse_sacct(sacct("1|COMPLETED|2026-03-10T10:00:00||3600|gres/gpu=1"), tz=TOKYO)
    (skipped,) = result.skipped
    assert skipped.error.field == "End" and "sacct time" in skipped.error.en


# --- duplicates: the same run exported twice, requeued runs ---------------------------------


def test_same_run_with_later_end_replaces_earlier_row() -> None:
    # A re-export of the same run (same JobID and Start): the later End is the newer figure.
    text = sacct(
        "810|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
        "811|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
        "810|COMPLETED|2026-03-10T10:00:00|2026-03-10T12:00:00|7200|gres/gpu=1",
    )
    result = parse_sacct(text, tz=TOKYO)
    assert [(u.job_id, u.line, u.gpu_hours) for u in result.usages] == [
        ("811", 3, pytest.approx(1.0)),
        ("810", 4, pytest.approx(2.0)),
    ]
    assert result.gpu_jobs == 2
    (skipped,) = result.skipped
    assert skipped.line == 2 and "line 4" in skipped.error.en and "4行目" in skipped.error.ja
    assert "later End" in skipped.error.en


def test_same_run_with_earlier_end_after_it_is_skipped() -> None:
    text = sacct(
        "812|COMPLETED|2026-03-10T10:00:00|2026-03-10T12:00:00|7200|gres/gpu=1",
        "812|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
    )
    result = parse_sacct(text, tz=TOKYO)
    assert [(u.line, u.gpu_hours) for u in result.usages] == [(2, pytest.approx(2.0))]
    (skipped,) = result.skipped
    assert skipped.line == 3 and "line 2" in skipped.error.en


def test_same_job_id_with_different_start_is_another_run() -> None:
    # A requeued job (sacct --duplicates): each run held its GPUs, so both count.
    text = sacct(
        "813|REQUEUED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
        "813|COMPLETED|2026-03-10T12:00:00|2026-03-10T14:00:00|7200|gres/gpu=1",
    )
    result = parse_sacct(text, tz=TOKYO)
    assert [u.line for u in result.usages] == [2, 3]
    assert result.gpu_hours_by_month() == pytest.approx({"2026-03": 3.0})
    assert (result.gpu_jobs, result.skipped) == (2, [])


# --- negative numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "tres", "column"),
    [
        ("3600", "gres/gpu=-2", "AllocTRES"),
        ("3600", "cpu=1,gres/gpu:a100=-1", "AllocTRES"),
        ("-5", "gres/gpu=1", "ElapsedRaw"),
    ],
)
def test_negative_counts_must_be_zero_or_more(elapsed: str, tres: str, column: str) -> None:
    text = sacct(f"820|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|{elapsed}|{tres}")
    (skipped,) = parse_sacct(text, tz=TOKYO).skipped
    assert "must be 0 or more" in skipped.error.en and "0以上" in skipped.error.ja
    assert "whole number" not in skipped.error.en
    assert skipped.error.field == column


# --- other delimiters, CSV files and tables ---------------------------------------------------

_ROW = ("830", "alice", "2026-03-10T10:00:00", "2026-03-10T11:00:00", "01:00:00")
_NAMES = ("JobID", "User", "Start", "End", "Elapsed", "AllocTRES")


@pytest.mark.parametrize("delim", [",", ";", "\t", "☃"])
def test_other_single_character_delimiters_parse(delim: str) -> None:
    # sacct --parsable2 --delimiter=, (or ; or a tab): AllocTRES last, its commas rejoined.
    text = delim.join(_NAMES) + "\n" + delim.join((*_ROW, "billing=8,cpu=8,gres/gpu=2")) + "\n"
    result = parse_sacct(text, tz=TOKYO)
    assert result.skipped == []
    assert [(u.job_id, u.gpus) for u in result.usages] == [("830", 2)]
    assert result.gpu_hours_by_month() == pytest.approx({"2026-03": 2.0})


def test_comma_delimiter_with_trailing_delimiter() -> None:
    text = (
        "JobID,Start,End,ElapsedRaw,AllocTRES,\n"
        "831,2026-03-10T10:00:00,2026-03-10T11:00:00,3600,cpu=1,gres/gpu:a100=3,\n"
    )
    (usage,) = parse_sacct(text, tz=TOKYO).usages
    assert (usage.gpus, usage.gpu_type, usage.gpu_hours) == (3, "a100", pytest.approx(3.0))


def test_comma_delimiter_with_tres_not_last_is_skipped_with_a_hint() -> None:
    text = (
        "JobID,AllocTRES,Start,End,ElapsedRaw\n"
        "832,cpu=1,gres/gpu=2,2026-03-10T10:00:00,2026-03-10T11:00:00,3600\n"
        "833,gres/gpu=1,2026-03-10T10:00:00,2026-03-10T11:00:00,3600\n"
    )
    result = parse_sacct(text, tz=TOKYO)
    assert [u.job_id for u in result.usages] == ["833"]
    (skipped,) = result.skipped
    assert skipped.line == 2 and "--delimiter=," in skipped.error.en
    assert "--delimiter=," in skipped.error.ja


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # csv.QUOTE_ALL
        (
            '"JobID","User","Start","End","Elapsed","AllocTRES"\n'
            '"830","alice","2026-03-10T10:00:00","2026-03-10T11:00:00","01:00:00",'
            '"billing=1,gres/gpu=1"\n',
            1,
        ),
        # minimal quoting (pandas, Excel): plain header, the AllocTRES list quoted
        (
            "JobID,User,Start,End,Elapsed,AllocTRES\n"
            "830,alice,2026-03-10T10:00:00,2026-03-10T11:00:00,01:00:00,gres/gpu=1\n"
            '831,alice,2026-03-10T10:00:00,2026-03-10T11:00:00,01:00:00,"cpu=1,gres/gpu=1"\n',
            3,
        ),
        # the same with ; (Excel in European locales)
        (
            "JobID;Start;End;ElapsedRaw;AllocTRES\n"
            '"830";"2026-03-10T10:00:00";"2026-03-10T11:00:00";"3600";"gres/gpu=1"\n',
            2,
        ),
        ("JobID, User, Start, End, Elapsed, AllocTRES\n830, alice, x, y, z, gres/gpu=1\n", 1),
        ("JobID | Start | End | ElapsedRaw | AllocTRES\n830 | x | y | 3600 | gres/gpu=1\n", 1),
        ("JobID\tStart  End\tAllocTRES\n", 1),
        ("JobID    Start    End    ElapsedRaw    AllocTRES\n1 x y 3600 gres/gpu=1\n", 1),
    ],
)
def test_csv_files_and_tables_are_refused(text: str, line: int) -> None:
    for fields in (None, ["JobID", "Start", "End", "ElapsedRaw", "AllocTRES"]):
        with pytest.raises(UserError) as info:
            parse_sacct(text, tz=TOKYO, fields=fields)
        assert "CSV" in info.value.en and "CSV" in info.value.ja
        assert "--parsable2" in info.value.en and "--parsable2" in info.value.ja
        assert info.value.line == line


@pytest.mark.parametrize(
    "first_line",
    [
        "sacct -a -X --parsable2",
        "Job report for March",
        "1|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1",
        "JobID|Start|End|ElapsedRaw|Alloc TRES",
    ],
)
def test_unrecognised_first_line_without_fields_always_raises(first_line: str) -> None:
    row = "1|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1"
    with pytest.raises(UserError) as info:
        parse_sacct(f"{first_line}\n{row}\n", tz=TOKYO)
    assert "header" in info.value.en and "ヘッダー" in info.value.ja
    assert info.value.line == 1


def test_fields_with_a_header_line_are_refused() -> None:
    text = sacct("840|COMPLETED|2026-03-10T10:00:00|2026-03-10T11:00:00|3600|gres/gpu=1")
    for fields in (
        ["JobID", "State", "Start", "End", "ElapsedRaw", "AllocTRES"],
        ["JobID", "Start", "End", "AllocTRES"],
    ):
        with pytest.raises(UserError) as info:
            parse_sacct(text, tz=TOKYO, fields=fields)
        assert "already has a header line" in info.value.en
        assert "--fields" in info.value.en and "--fields" in info.value.ja
        assert info.value.line == 1


def test_given_delimiter_not_matching_the_header_is_refused() -> None:
    text = (
        "JobID,Start,End,ElapsedRaw,AllocTRES\n1,2026-03-10T10:00:00,2026-03-10T11:00:00,3600,x\n"
    )
    with pytest.raises(UserError) as info:
        parse_sacct(text, tz=TOKYO, delimiter="|")
    assert "“,”" in info.value.en and "「,」" in info.value.ja
    assert parse_sacct(text, tz=TOKYO, delimiter=",").rows_read == 1
