"""Tests for bot.parsing.focus: the real FinOps Foundation sample, synthetic GPU rows, the SKU
table, bad rows and whole-file errors."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.focus import (
    FocusResult,
    FocusUsage,
    SkuRule,
    load_sku_table,
    parse_focus,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "focus"
SAMPLE = FIXTURES / "finops_FOCUS-1.0_focus_sample.TRIMMED.csv"
SYNTHETIC = FIXTURES / "synthetic_gpu.csv"
TOKYO = ZoneInfo("Asia/Tokyo")
UTC = ZoneInfo("UTC")
ORACLE_ACCOUNT = "ocid6.tenancy.oc6..aaaaaaaa2fs7w19bi9iupcjqv8zayogd78eziinl2hu7rkdvmuhsavhbmkma"

COLUMNS = [
    "BilledCost",
    "BillingCurrency",
    "ChargeCategory",
    "ChargeDescription",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "ConsumedQuantity",
    "ConsumedUnit",
    "ProviderName",
    "SkuId",
    "SubAccountId",
]
P5 = "$98.32 per On Demand Linux p5.48xlarge Instance Hour"


def row(**overrides: str) -> dict[str, str]:
    base = {
        "BilledCost": "196.64",
        "BillingCurrency": "USD",
        "ChargeCategory": "Usage",
        "ChargeDescription": P5,
        "ChargePeriodEnd": "2026-03-10T02:00:00Z",
        "ChargePeriodStart": "2026-03-10T00:00:00Z",
        "ConsumedQuantity": "2",
        "ConsumedUnit": "Hrs",
        "ProviderName": "AWS",
        "SkuId": "SKU1",
        "SubAccountId": "111122223333",
    }
    return base | overrides


def focus_csv(*rows: dict[str, str], columns: list[str] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: v for k, v in r.items() if k in columns})
    return out.getvalue()


def rule(gpu_type: str = "X", per_unit: float = 1, *, sku: str | None = None, desc=None):
    return SkuRule(gpu_type, per_unit, sku, re.compile(desc, re.I) if desc else None)


# --- the real FinOps Foundation sample ---------------------------------------------------------


def test_real_sample_has_no_gpu_rows_with_the_default_table():
    result = parse_focus(SAMPLE.read_text(encoding="utf-8"), tz=TOKYO)
    assert result.rows_read == 9
    assert result.usages == []
    assert result.skipped == []
    assert result.gpu_rows == 0
    assert result.gpu_hours_by() == {}


def test_real_sample_rule_on_a_real_sku_reports_its_non_time_unit():
    # Oracle "Standard - E3 - Memory" (SkuId B92307) is billed in GB Hours: matched, but
    # not a time unit, so both rows (lines 5 and 7) are skipped with the unit named.
    table = load_sku_table("- sku_id: 'B92307'\n  gpu_type: E3\n  gpus_per_unit: 1\n")
    result = parse_focus(SAMPLE.read_text(encoding="utf-8"), tz=TOKYO, sku_table=table)
    assert result.rows_read == 9
    assert result.usages == []
    assert [s.line for s in result.skipped] == [5, 7]
    assert all("GB Hours" in s.error.en and "GB Hours" in s.error.ja for s in result.skipped)
    assert {s.error.field for s in result.skipped} == {"ConsumedUnit"}
    assert [s.error.line for s in result.skipped] == [5, 7]


def test_real_sample_computed_figures_when_its_unit_is_hours():
    # The real rows with only ConsumedUnit changed from "GB Hours" to "Hours": 8 units × 1
    # GPU per unit on each of lines 5 and 7 → 16 GPU-hours, both in 2024-09 (Tokyo).
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.count('8.000000000000000,"GB Hours"') == 2
    text = text.replace('8.000000000000000,"GB Hours"', '8.000000000000000,"Hours"')
    table = load_sku_table(
        "- description: 'standard - e3 - memory'\n  gpu_type: E3\n  gpus_per_unit: 1\n"
    )
    result = parse_focus(text, tz=TOKYO, sku_table=table)
    assert result.skipped == []
    assert result.gpu_rows == 2
    assert result.usages == [
        FocusUsage(ORACLE_ACCOUNT, "Oracle", "E3", "2024-09", 8.0, 0.012, "USD", 5),
        FocusUsage(ORACLE_ACCOUNT, "Oracle", "E3", "2024-09", 8.0, 0.012, "USD", 7),
    ]
    assert result.gpu_hours_by() == {(ORACLE_ACCOUNT, "E3", "2024-09"): 16.0}


def test_real_sample_month_depends_on_the_zone():
    # Line 3 (AWS load balancer, 0.00200749 LCU-Hours, 2024-09-30 22:00–23:00 UTC) is
    # 2024-10-01 07:00–08:00 in Tokyo. With its unit read as hours and 8 "GPUs" per unit:
    # (ConsumedUnit is the "LCU-Hours" after ConsumedQuantity; PricingUnit is left as it is.)
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace('0.002007490000000,"LCU-Hours"', '0.002007490000000,"Hours"')
    table = [rule("LB", 8, sku="2ETY8Y426S4237JU")]
    tokyo = parse_focus(text, tz=TOKYO, sku_table=table)
    utc = parse_focus(text, tz=UTC, sku_table=table)
    assert tokyo.gpu_hours_by() == {("43883916739", "LB", "2024-10"): pytest.approx(0.01605992)}
    assert utc.gpu_hours_by() == {("43883916739", "LB", "2024-09"): pytest.approx(0.01605992)}
    assert tokyo.usages[0].line == 3
    assert tokyo.usages[0].billed_cost == pytest.approx(0.0000160599)


# --- synthetic GPU rows -------------------------------------------------------------------------


def test_synthetic_fixture():
    result = parse_focus(SYNTHETIC.read_text(encoding="utf-8"), tz=TOKYO)
    assert result.rows_read == 5
    assert result.gpu_rows == 4
    assert result.skipped == []
    assert result.gpu_hours_by() == {
        ("/subscriptions/00000000-0000-0000-0000-000000000000", "H100", "2026-03"): 192.0,
        ("111122223333", "A100", "2026-03"): 8.0,
        ("111122223333", "A100", "2026-04"): 8.0,
        ("111122223333", "H100", "2026-03"): 16.0,
        ("example-project", "A100", "2026-03"): pytest.approx(2.0),
    }
    azure = [u for u in result.usages if u.provider == "Microsoft"]
    assert azure == [
        FocusUsage(
            "/subscriptions/00000000-0000-0000-0000-000000000000",
            "Microsoft",
            "H100",
            "2026-03",
            192.0,
            None,
            None,
            5,
        )
    ]


def test_p5_two_instance_hours_is_16_h100_gpu_hours():
    result = parse_focus(focus_csv(row()), tz=TOKYO)
    assert result.usages == [
        FocusUsage("111122223333", "AWS", "H100", "2026-03", 16.0, 196.64, "USD", 2)
    ]
    assert result.gpu_rows == 1 and result.rows_read == 1


def test_period_across_a_tokyo_month_boundary_is_split_by_overlap():
    # 2026-03-31 14:30Z – 16:00Z = 23:30 (March) – 01:00 (April) in Tokyo: 1/3 and 2/3.
    text = focus_csv(
        row(
            ChargePeriodStart="2026-03-31 14:30:00",
            ChargePeriodEnd="2026-03-31 16:00:00",
            ConsumedQuantity="1.5",
            BilledCost="30",
        )
    )
    result = parse_focus(text, tz=TOKYO)
    assert [(u.month, u.gpu_hours, u.billed_cost) for u in result.usages] == [
        ("2026-03", pytest.approx(4.0), pytest.approx(10.0)),
        ("2026-04", pytest.approx(8.0), pytest.approx(20.0)),
    ]
    assert result.gpu_rows == 1
    # in UTC the same period is all March
    assert parse_focus(text, tz=UTC).gpu_hours_by() == {
        ("111122223333", "H100", "2026-03"): pytest.approx(12.0)
    }


def test_monthly_period_spanning_three_tokyo_months():
    # A whole UTC month (March 2026) is 09:00 March 1 to 09:00 April 1 in Tokyo.
    text = focus_csv(
        row(
            ChargePeriodStart="2026-02-28T15:00:00Z",
            ChargePeriodEnd="2026-04-01T00:00:00Z",
            ConsumedQuantity="1",
            ConsumedUnit="Hours",
        )
    )
    months = {u.month: u.gpu_hours for u in parse_focus(text, tz=TOKYO).usages}
    total_h = 31 * 24 + 9
    assert months == {
        "2026-03": pytest.approx(8 * (31 * 24) / total_h),
        "2026-04": pytest.approx(8 * 9 / total_h),
    }


@pytest.mark.parametrize(
    ("unit", "quantity", "expected"),
    [
        ("Seconds", "7200", 16.0),
        ("seconds", "3600", 8.0),
        ("Minutes", "90", 12.0),
        ("Hours", "1", 8.0),
        ("hour", "0.5", 4.0),
        ("Hrs", "3", 24.0),
        ("10 Hours", "1", 80.0),
    ],
)
def test_time_units(unit, quantity, expected):
    text = focus_csv(row(ConsumedUnit=unit, ConsumedQuantity=quantity))
    assert parse_focus(text, tz=TOKYO).usages[0].gpu_hours == pytest.approx(expected)


def test_zero_length_period_goes_to_its_start_month():
    text = focus_csv(
        row(ChargePeriodStart="2026-03-31T15:00:00Z", ChargePeriodEnd="2026-03-31T15:00:00Z")
    )
    assert [(u.month, u.gpu_hours) for u in parse_focus(text, tz=TOKYO).usages] == [
        ("2026-04", 16.0)
    ]


def test_datetime_forms():
    for start, end in [
        ("2026-03-10T00:00:00Z", "2026-03-10T02:00:00Z"),
        ("2026-03-10 00:00:00", "2026-03-10 02:00:00"),
        ("2026-03-10T00:00Z", "2026-03-10T02:00:00.000Z"),
        ("2026-03-10T09:00:00+09:00", "2026-03-10T02:00:00+0000"),
        ("2026-03-10", "2026-03-10T02:00:00Z"),
    ]:
        result = parse_focus(focus_csv(row(ChargePeriodStart=start, ChargePeriodEnd=end)), tz=UTC)
        assert result.skipped == [], (start, end)
        assert result.usages[0].month == "2026-03"


def test_non_gpu_and_non_usage_rows_are_not_counted_nor_skipped():
    text = focus_csv(
        row(ChargeDescription="S3 storage", ConsumedUnit="GB-Mo", ChargePeriodStart="junk"),
        row(ChargeCategory="Purchase"),
        row(ChargeCategory="Credit", ConsumedQuantity="-2"),
        row(ChargeCategory="Tax"),
    )
    result = parse_focus(text, tz=TOKYO)
    assert (result.rows_read, result.gpu_rows, result.usages, result.skipped) == (4, 0, [], [])


def test_without_charge_category_column_every_gpu_row_counts():
    columns = [c for c in COLUMNS if c != "ChargeCategory"]
    result = parse_focus(focus_csv(row(), columns=columns), tz=TOKYO)
    assert result.gpu_rows == 1


def test_correction_rows_are_skipped_with_the_reason():
    columns = [*COLUMNS, "ChargeClass"]
    result = parse_focus(focus_csv(row(ChargeClass="Correction"), columns=columns), tz=TOKYO)
    assert result.usages == []
    assert [(s.line, s.error.field) for s in result.skipped] == [(2, "ChargeClass")]


def test_nulls_are_missing_never_zero():
    text = focus_csv(
        row(BilledCost="NULL", BillingCurrency="NULL"),
        row(BilledCost="", BillingCurrency=""),
        row(ConsumedQuantity="NULL"),
        row(ConsumedQuantity=""),
        row(SubAccountId="NULL"),
        row(ConsumedUnit="null"),
        row(ChargePeriodEnd="NULL"),
        row(ChargeCategory="NULL"),
    )
    result = parse_focus(text, tz=TOKYO)
    assert [(u.line, u.billed_cost, u.currency) for u in result.usages] == [
        (2, None, None),
        (3, None, None),
    ]
    assert [(s.line, s.error.field) for s in result.skipped] == [
        (4, "ConsumedQuantity"),
        (5, "ConsumedQuantity"),
        (6, "SubAccountId"),
        (7, "ConsumedUnit"),
        (8, "ChargePeriodEnd"),
        (9, "ChargeCategory"),
    ]


def test_bad_rows_are_skipped_with_their_lines_and_parsing_goes_on():
    header = ",".join(COLUMNS)
    good = ",".join(f'"{v}"' for v in row().values())
    lines = [
        header,
        good,  # 2
        good.replace('"Hrs"', '"GB-Hours"'),  # 3 unit
        good.replace('"2026-03-10T00:00:00Z"', '"10/03/2026 00:00"'),  # 4 datetime
        good.replace('"2"', '"1,000"'),  # 5 number
        good.replace('"2"', '"-2"'),  # 6 negative quantity
        good.replace('"2026-03-10T02:00:00Z"', '"2026-03-09T23:00:00Z"'),  # 7 end < start
        good + ',"extra"',  # 8 column count
        good.replace('"196.64"', '"$196.64"'),  # 9 bad cost
        good.replace('"2026-03-10T00:00:00Z"', '"2025-01-01T00:00:00Z"'),  # 10 > 1 year
        good.replace('"2026-03-10T00:00:00Z"', '"1999-12-31T00:00:00Z"'),  # 11 year
        good.replace('"2"', '"NaN"'),  # 12
        good,  # 13
    ]
    result = parse_focus("\n".join(lines) + "\n", tz=TOKYO)
    assert [u.line for u in result.usages] == [2, 13]
    assert [(s.line, s.error.field) for s in result.skipped] == [
        (3, "ConsumedUnit"),
        (4, "ChargePeriodStart"),
        (5, "ConsumedQuantity"),
        (6, "ConsumedQuantity"),
        (7, "ChargePeriodEnd"),
        (8, None),
        (9, "BilledCost"),
        (10, "ChargePeriodEnd"),
        (11, "ChargePeriodStart"),
        (12, "ConsumedQuantity"),
    ]
    assert all(s.error.line == s.line and s.error.en and s.error.ja for s in result.skipped)
    assert "GB-Hours" in result.skipped[0].error.en
    assert "must be 0 or more" in result.skipped[3].error.en
    assert result.rows_read == 12 and result.gpu_rows == 2


def test_line_numbers_count_quoted_newlines_and_blank_lines():
    header = ",".join(COLUMNS)
    good = ",".join(f'"{v}"' for v in row().values())
    multiline = good.replace(P5, "p5.48xlarge\nInstance Hour\nsecond line")
    text = "\r\n".join([header, multiline, "", good.replace('"Hrs"', '"Bytes"'), good]) + "\r\n"
    result = parse_focus(text, tz=TOKYO)
    assert [u.line for u in result.usages] == [2, 7]
    assert [s.line for s in result.skipped] == [6]
    assert result.rows_read == 3


def test_bom_and_case_insensitive_header():
    text = "\ufeff" + focus_csv(row()).replace("ChargePeriodStart", "chargeperiodstart", 1)
    assert parse_focus(text, tz=TOKYO).gpu_rows == 1


# --- whole-file errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "empty"),
        ("\n \n", "empty"),
        ("\x00\x01\x02binary", "binary"),
        ("hello,world\n1,2\n", "not a FOCUS header"),
        ("ChargePeriodStart;ChargePeriodEnd;ConsumedQuantity\n", "semicolons"),
        ("ChargePeriodStart\tChargePeriodEnd\tConsumedQuantity\n", "tabs"),
    ],
)
def test_whole_file_errors(text, needle):
    with pytest.raises(UserError) as info:
        parse_focus(text, tz=TOKYO)
    assert needle in info.value.en
    assert info.value.ja


def test_missing_columns_are_named():
    columns = [c for c in COLUMNS if c not in ("ConsumedUnit", "SkuId", "ChargeDescription")]
    with pytest.raises(UserError) as info:
        parse_focus(focus_csv(row(), columns=columns), tz=TOKYO)
    assert "ConsumedUnit" in info.value.en and "SkuId or ChargeDescription" in info.value.en
    assert "ConsumedUnit" in info.value.ja
    assert info.value.line == 1


def test_column_named_twice():
    with pytest.raises(UserError, match="twice"):
        parse_focus(focus_csv(row(), columns=[*COLUMNS, "SkuId"]), tz=TOKYO)


def test_sku_id_only_or_description_only_is_enough():
    no_desc = [c for c in COLUMNS if c != "ChargeDescription"]
    table = [rule("H100", 8, sku="SKU1")]
    result = parse_focus(focus_csv(row(), columns=no_desc), tz=TOKYO, sku_table=table)
    assert result.gpu_hours_by() == {("111122223333", "H100", "2026-03"): 16.0}
    no_sku = [c for c in COLUMNS if c != "SkuId"]
    assert parse_focus(focus_csv(row(), columns=no_sku), tz=TOKYO).gpu_rows == 1


# --- the SKU table ------------------------------------------------------------------------------


def test_bundled_table():
    rules = load_sku_table()
    by_text = {
        "$1 per On Demand Linux p4d.24xlarge Instance Hour": ("A100", 8),
        "$1 per On Demand Linux p4de.24xlarge Instance Hour": ("A100", 8),
        "$1 per On Demand Linux p5.48xlarge Instance Hour": ("H100", 8),
        "$1 per On Demand Linux p5e.48xlarge Instance Hour": ("H200", 8),
        "$1 per On Demand Linux p5en.48xlarge Instance Hour": ("H200", 8),
        "a2-highgpu-1g": ("A100", 1),
        "a2-highgpu-2g": ("A100", 2),
        "a2-highgpu-4g": ("A100", 4),
        "A2-HIGHGPU-8G": ("A100", 8),
        "a3-highgpu-8g in Tokyo": ("H100", 8),
        "Standard_ND96asr_v4": ("A100", 8),
        "ND96asr A100 v4 - Japan East": ("A100", 8),
        "Standard_ND96isr_H100_v5": ("H100", 8),
        "ND96isr H100 v5": ("H100", 8),
    }
    for text, expected in by_text.items():
        match = next(r for r in rules if r.matches(None, text))
        assert (match.gpu_type, match.gpus_per_unit) == expected, text
    for text in ["p5.4xlarge", "g5.48xlarge", "a2-ultragpu-1g", "ND96amsr A100 v4", "p3.16xlarge"]:
        assert not any(r.matches(None, text) for r in rules), text
    assert load_sku_table() is not load_sku_table()  # callers get their own list


def test_first_matching_rule_wins_and_sku_id_is_exact():
    table = load_sku_table(
        "- sku_id: 'SKU1'\n  gpu_type: A\n  gpus_per_unit: 2\n"
        "- description: 'p5'\n  gpu_type: B\n  gpus_per_unit: 1\n"
    )
    assert parse_focus(focus_csv(row()), tz=TOKYO, sku_table=table).usages[0].gpu_type == "A"
    other = focus_csv(row(SkuId="sku1"))
    assert parse_focus(other, tz=TOKYO, sku_table=table).usages[0].gpu_type == "B"


@pytest.mark.parametrize(
    ("yaml_text", "line", "needle"),
    [
        ("", None, "non-empty list"),
        ("[]", 1, "non-empty list"),
        ("gpu_type: H100\n", 1, "non-empty list"),
        ("- gpu_type: H100\n  gpus_per_unit: 8\n", 1, "exactly one"),
        (
            "- gpu_type: H100\n  gpus_per_unit: 8\n  sku_id: 'a'\n  description: 'b'\n",
            1,
            "exactly one",
        ),
        ("- gpu_type: H100\n  sku_id: 'a'\n", 1, "gpus_per_unit"),
        ("- gpu_type: H100\n  sku_id: 'a'\n  gpus_per_unit: 0\n", 3, "gpus_per_unit"),
        ("- gpu_type: H100\n  sku_id: 'a'\n  gpus_per_unit: yes\n", 3, "gpus_per_unit"),
        ("- gpu_type: H100\n  sku_id: 'a'\n  gpus_per_unit: .nan\n", 3, "gpus_per_unit"),
        ("- gpu_type: ''\n  sku_id: 'a'\n  gpus_per_unit: 8\n", 1, "gpu_type"),
        ("- gpu_type: H100\n  sku_id: 1099985\n  gpus_per_unit: 8\n", 2, "quotes"),
        ("- gpu_type: H100\n  description: '('\n  gpus_per_unit: 8\n", 2, "regular expression"),
        ("- gpu_type: H100\n  gpus_per_units: 8\n  sku_id: 'a'\n", 2, "unknown key"),
        ("- gpu_type: H100\n  gpu_type: A100\n", 2, "twice"),
        ("- gpu_type: [H100\n", 2, "not valid YAML"),
        ("- just a string\n", 1, "mapping"),
    ],
)
def test_bad_sku_tables(yaml_text, line, needle):
    with pytest.raises(UserError) as info:
        load_sku_table(yaml_text)
    assert needle in info.value.en
    assert info.value.line == line
    assert info.value.field == "sku_table"
    assert info.value.ja


# --- never another exception --------------------------------------------------------------------

_HEADER = ",".join(COLUMNS) + "\n"
_cells = st.sampled_from(
    ["", "NULL", "2", "-1", "1e400", "Hrs", "Seconds", "10 Hours", P5, "a2-highgpu-8g",
     "2026-03-31T15:00:00Z", "2026-03-31 14:00:00", "9999-12-31T23:59:59Z", "2026-02-30",
     '"', "\n", "Usage", "x" * 50]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_gives_a_result_or_user_error(text):
    try:
        assert isinstance(parse_focus(text, tz=TOKYO), FocusResult)
    except UserError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_cells, min_size=9, max_size=12), max_size=6))
def test_random_rows_after_a_valid_header_never_crash(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    result = parse_focus(_HEADER + out.getvalue(), tz=TOKYO)
    assert result.rows_read >= len(result.skipped)
    assert all(u.gpu_hours >= 0 for u in result.usages)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_sku_tables_give_rules_or_user_error(text):
    try:
        rules = load_sku_table(text)
    except UserError:
        return
    assert rules and all(isinstance(r, SkuRule) for r in rules)
