"""Fuzzing the usage files: sacct output, FOCUS exports (and the SKU table), the plain usage
CSV and the upload format detection. A problem with the whole file is a bilingual UserError;
a bad row is a skipped row whose reason is bilingual too; nothing else escapes."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.detect import detect_format, looks_like_eval_results
from bot.parsing.focus import load_sku_table, parse_focus
from bot.parsing.sacct import parse_elapsed, parse_sacct, read_sacct, utf8_file_lines
from bot.parsing.usage_csv import parse_usage_csv

from .common import FAST, FIXTURES, SLOW, awkward_text, check_bilingual, mutations, outcome

TOKYO = ZoneInfo("Asia/Tokyo")
SACCT = (FIXTURES / "slurm" / "habrok_gpu_parsable2_with_header.txt").read_text()
SACCT_SAMPLE = "\n".join(SACCT.splitlines()[:12])
FOCUS = (FIXTURES / "focus" / "synthetic_gpu.csv").read_text()
USAGE = (FIXTURES / "csv" / "usage_sample.csv").read_text()
SKU_TABLE = (FIXTURES.parent.parent / "bot" / "parsing" / "focus" / "sku_table.yaml").read_text()

SACCT_HEADER = "JobID|Start|End|Elapsed|ElapsedRaw|AllocTRES"
SACCT_ROW = st.from_regex(
    r"\A[0-9_.+a-z]{0,12}\|[0-9T:-]{0,22}\|[0-9A-Za-z:T-]{0,22}\|[0-9:.-]{0,14}\|-?[0-9]{0,25}"
    r"\|(gres/gpu(:[a-z0-9]{1,5})?=-?[0-9]{0,25},?|[a-z]{1,5}=[0-9A-Z]{0,5},?){0,4}\Z"
)


def _check_rows(result) -> None:
    for row in result.skipped:
        check_bilingual(row.error)
    for usage in result.usages:
        assert math.isfinite(usage.gpu_hours) and usage.gpu_hours >= 0


@SLOW
@given(st.one_of(awkward_text, mutations(SACCT_SAMPLE)))
def test_parse_sacct_any_text(text):
    result = outcome(parse_sacct, text, tz=TOKYO)
    if not isinstance(result, UserError):
        _check_rows(result)


@FAST
@given(st.lists(SACCT_ROW, min_size=1, max_size=6))
@example(["1|2026-03-01T00:00:00|2026-03-02T00:00:00|24:00:00|" + "9" * 5000 + "|gres/gpu=1"])
@example(["1|2026-03-01T00:00:00|2026-03-02T00:00:00|24:00:00|86400|gres/gpu=" + "9" * 5000])
def test_parse_sacct_near_valid_rows(rows):
    result = outcome(parse_sacct, "\n".join([SACCT_HEADER, *rows]), tz=TOKYO)
    if not isinstance(result, UserError):
        _check_rows(result)


@FAST
@given(
    awkward_text,
    st.one_of(st.none(), st.lists(st.text(max_size=12), max_size=8)),
    st.one_of(st.none(), st.text(max_size=2)),
)
def test_read_sacct_with_fields_and_delimiter(text, fields, delimiter):
    rows = outcome(
        read_sacct, text.splitlines(keepends=True), tz=TOKYO, fields=fields, delimiter=delimiter
    )
    if not isinstance(rows, UserError):
        try:
            for item in rows:
                if hasattr(item, "error"):
                    check_bilingual(item.error)
        except UserError as error:  # raised while iterating, as documented
            check_bilingual(error)


@SLOW
@given(
    st.one_of(
        st.binary(max_size=300),
        mutations(SACCT_SAMPLE).map(lambda s: s.encode("utf-8", "surrogatepass")),
        mutations(SACCT_SAMPLE).map(lambda s: b"\xef\xbb\xbf" + s.encode("utf-16-le", "replace")),
    )
)
def test_sacct_file_bytes_read_lazily(data):
    """`kiban import sacct FILE`: the file's lines decoded as they are read, then the rows."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sacct.txt"
        path.write_bytes(data)

        def read_all():
            return list(read_sacct(utf8_file_lines(str(path)), tz=TOKYO))

        rows = outcome(read_all)
    if not isinstance(rows, UserError):
        for item in rows:
            if hasattr(item, "error"):
                check_bilingual(item.error)


@FAST
@given(
    st.one_of(
        awkward_text,
        st.from_regex(r"\A([0-9]{0,8}-)?[0-9]{0,9}(:[0-9]{0,3}){0,3}(\.[0-9]{0,9})?\Z"),
    )
)
def test_parse_elapsed(text):
    result = outcome(parse_elapsed, text)
    if not isinstance(result, UserError):
        assert isinstance(result, int) and result >= 0


@SLOW
@given(st.one_of(awkward_text, mutations(FOCUS)))
@example(FOCUS.replace("2026-03-10T02:00:00Z", "9999-12-31T23:59:59Z"))
@example(FOCUS.replace(",2,Hrs,", ",1e999,Hrs,"))
@example(FOCUS.replace(",2,Hrs,", ",1e308,Hrs,"))
def test_parse_focus_any_text(text):
    result = outcome(parse_focus, text, tz=TOKYO)
    if not isinstance(result, UserError):
        _check_rows(result)


@SLOW
@given(st.one_of(awkward_text, mutations(SKU_TABLE)))
@example("- {gpu_type: H100, gpus_per_unit: 1, description: '('}")
@example("- {gpu_type: H100, gpus_per_unit: .inf, sku_id: X}")
@example("- {gpu_type: H100, gpus_per_unit: 1, sku_id: X, when: 2026-02-30}")
@example("- {gpu_type: H100, gpus_per_unit: 1, description: '" + "(" * 1000 + "'}")
def test_load_sku_table(text):
    result = outcome(load_sku_table, text)
    if not isinstance(result, UserError):
        assert result and all(rule.gpus_per_unit > 0 for rule in result)


RULE = "- {{gpu_type: H100, gpus_per_unit: {per_unit}, {match}}}"


@pytest.mark.parametrize(
    ("table", "says_en", "says_ja"),
    [  # found by the fuzzer (or by reading the code it pointed at): each escaped as a bare
        # RecursionError, OverflowError or ValueError
        (
            RULE.format(per_unit=1, match="description: '" + "(" * 1000 + "'"),
            "is not a valid regular expression",
            "正しい正規表現ではありません",
        ),
        (
            RULE.format(per_unit=1, match="description: 'a{4294967296}'"),
            "the repetition number is too large",
            "正しい正規表現ではありません",
        ),
        (
            RULE.format(per_unit="9" * 5000, match="sku_id: X"),
            "cannot read the value of “gpus_per_unit”",
            "値を読み取れません",
        ),
        (
            RULE.format(per_unit="9" * 400, match="sku_id: X"),
            "gpus_per_unit, a number greater than 0",
            "0より大きい数",
        ),
        (
            RULE.format(per_unit=1, match="sku_id: X, note: !!timestamp 2026-02-30"),
            "cannot read the value of “note”",
            "値を読み取れません",
        ),
    ],
    ids=["regex-too-deep", "regex-repeat-too-large", "int-too-long", "int-past-float", "no-date"],
)
def test_sku_tables_that_crashed_the_loader_are_refused(table, says_en, says_ja):
    with pytest.raises(UserError) as refused:
        load_sku_table(table)
    assert says_en in refused.value.en and says_ja in refused.value.ja
    assert refused.value.line == 1 and refused.value.field == "sku_table"


@FAST
@given(st.one_of(awkward_text, mutations(USAGE)))
@example(USAGE.replace('"1,200.5"', "9" * 5000))
def test_parse_usage_csv(text):
    result = outcome(parse_usage_csv, text)
    if not isinstance(result, UserError):
        for row in result.skipped:
            check_bilingual(row.error)


@FAST
@given(
    st.one_of(
        st.binary(max_size=300),
        mutations(USAGE).map(lambda s: s.encode("utf-8", "surrogatepass")),
        mutations(SACCT_SAMPLE).map(lambda s: s.encode("utf-8", "surrogatepass")),
    ),
    st.text(max_size=20),
)
def test_detect_format_any_bytes(data, filename):
    result = outcome(detect_format, data)
    assert isinstance(result, UserError) or result in ("sacct", "focus", "csv")
    assert isinstance(looks_like_eval_results(data, filename), bool)
