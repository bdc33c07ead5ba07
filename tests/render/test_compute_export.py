"""The ministry report: Markdown and CSV for 2 organizations × 2 allocations."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.i18n import t
from bot.render.compute_export import (
    CSV_COLUMNS,
    CSV_NORMALISED_COLUMNS,
    build_export,
    md_cell,
    md_quote,
)

from .conftest import NASTY

GENERATED = datetime(2026, 2, 3, 1, 30, tzinfo=UTC)  # 10:30 JST


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _table_rows(md: str) -> list[list[str]]:
    """Every Markdown table row split into cells on unescaped pipes."""
    rows = []
    for line in md.splitlines():
        if line.startswith("|"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def test_english_markdown_figures(programme):
    md, _ = build_export("2026-01", programme, "en", GENERATED)
    assert md.startswith("# Compute usage report: 2026-01\n")
    assert "Generated: 2026-02-03 10:30 JST" in md
    rows = _table_rows(md)
    assert ["Granted", "", "17,200"] in rows
    assert ["Planned", "2,700", "10,800"] in rows
    assert ["Actual", "3,100", "11,100.5"] in rows
    assert ["Variance (actual − planned)", "+400 (+14.8%)", "+300.5 (+2.8%)"] in rows
    assert "Allocations reported for 2026-01: 3 of 4." in md
    # per allocation, in input order, grouped by organization
    assert (
        md.index("## Alpha AI (ORGA)")
        < md.index("### AWS (H100)")
        < md.index("## ベータ研究所 (ORGB)")
    )
    assert ["Variance (actual − planned)", "+400 (+10.0%)"] in rows
    assert ["Actual to date", "1,500.5"] in rows
    assert ["Variance (actual − planned)", "-499.5 (-25.0%)"] in rows
    assert "Not reported: 2025-12" in md
    assert ["Variance (actual − planned)", "+1,200 (+30.0%)"] in rows
    assert ["Runs out", "2026-02-15"] in rows
    assert ["Forecast at period end", "7,900"] in rows
    assert ["Actual to date", "—"] in rows  # ORGB/GCP: nothing reported
    for word in ("Over plan", "Under plan", "Forecast to run out before period end"):
        assert ["Status", word] in rows
    assert ["Status", "No usage reported"] in rows
    assert "> Pretraining 7B model: 60% done.\n> Next: evaluation" in md
    assert md.count("> (none)") == 3 + 3 + 2


def test_japanese_markdown_words(programme):
    md, _ = build_export("2026-01", programme, "ja", GENERATED)
    assert md.startswith("# 計算資源の利用状況報告（2026-01）\n")
    assert "作成日時: 2026-02-03 10:30 JST" in md
    rows = _table_rows(md)
    assert ["実績", "3,100", "11,100.5"] in rows
    for word in ("計画超過", "計画未達", "期間終了前に割当を使い切る見込み", "利用実績の報告なし"):
        assert ["状況", word] in rows
    assert "未報告の月: 2025-12" in md
    assert "**進捗状況**\n\n> 順調です" in md
    assert "> （記載なし）" in md


def test_every_table_row_has_the_same_number_of_cells(programme):
    md, _ = build_export("2026-01", programme, "en", GENERATED)
    for row in _table_rows(md):
        assert len(row) in (2, 3)


def test_a_note_cannot_inject_markup(programme):
    md, _ = build_export("2026-01", programme, "en", GENERATED)
    assert NASTY not in md
    assert "<b>" not in md
    assert "> \\=1+1 \\| =cmd &lt;b&gt;" in md
    assert "> \\# not a heading\n> \\- not a list" in md


def test_a_note_in_a_table_cell_cannot_break_the_row(programme):
    programme[0] = replace(programme[0], org_name="Evil | =cmd <b>\n| x |", allocation="A|B")
    md, data = build_export("2026-01", programme, "en", GENERATED)
    assert "## Evil \\| =cmd &lt;b&gt; \\| x \\| (ORGA)" in md
    assert "### A\\|B" in md
    row = _csv(data)[1]
    assert row[1:3] == ["Evil | =cmd <b>\n| x |", "A|B"]  # no formula prefix: kept as is


def test_markdown_escaping_helpers():
    assert md_cell("a | b\nc") == "a \\| b c"
    assert md_cell("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert md_cell("*bold* _it_ [l](u) `c` $x$") == "\\*bold\\* \\_it\\_ \\[l\\](u) \\`c\\` \\$x\\$"
    assert md_cell("1. item") == "1\\. item"
    assert md_quote("a\n\n    code\n> q\n===", "none") == "> a\n>\n> code\n> &gt; q\n> \\==="
    assert md_quote("  ", "none") == "> none"


def test_csv_rows_and_total(programme):
    _, data = build_export("2026-01", programme, "en", GENERATED)
    rows = _csv(data)
    assert rows[0] == [
        "Organization code",
        "Organization",
        "Allocation",
        "Month",
        "Granted (GPU-hours)",
        "Planned to date (GPU-hours)",
        "Actual to date (GPU-hours)",
        "Variance (GPU-hours)",
        "Variance (%)",
        "Forecast at period end (GPU-hours)",
        "Status",
        "Runs out",
        "Progress",
        "Issues encountered",
        "Improvement plan",
    ]
    assert len(rows) == 1 + 4 + 1
    assert all(len(r) == len(CSV_COLUMNS) for r in rows)
    orga_abci, orga_aws, orgb_abci, orgb_gcp, total = rows[1:]
    assert orga_abci[:12] == [
        "ORGA", "Alpha AI", "ABCI (H100)", "2026-01",
        "6000", "4000", "4400", "400", "10", "6400", "Over plan", "",
    ]  # fmt: skip
    assert orga_aws[4:10] == ["3000", "2000", "1500.5", "-499.5", "-25", "2500"]
    assert orgb_abci[1] == "ベータ研究所"
    assert orgb_abci[10:13] == ["Forecast to run out before period end", "2026-02-15", "順調です"]
    assert orgb_gcp[4:12] == ["1200", "800", "", "", "", "", "No usage reported", ""]
    assert total[:10] == [
        "", "Programme total", "", "2026-01", "17200", "10800", "11100.5", "300.5", "2.8", "",
    ]  # fmt: skip


def test_csv_numbers_are_unquoted_and_text_is_neutralised(programme):
    _, data = build_export("2026-01", programme, "en", GENERATED)
    line = data.decode("utf-8-sig").split("\r\n")[2]  # ORGA / AWS
    assert ',3000,2000,1500.5,-499.5,-25,2500,"Under plan",' in line
    orga_abci = _csv(data)[1]
    assert orga_abci[13] == "'" + NASTY
    assert orga_abci[12] == "Pretraining 7B model: 60% done.\nNext: evaluation"
    assert orga_abci[14] == "# not a heading\n- not a list"  # not at the start of a cell


def test_csv_in_japanese(programme):
    _, data = build_export("2026-01", programme, "ja", GENERATED)
    rows = _csv(data)
    assert rows[0] == [t(f"export.{key}", "ja") for key in CSV_COLUMNS]
    assert rows[0][:2] == ["組織コード", "組織名"]
    assert [r[10] for r in rows[1:5]] == [
        "計画超過",
        "計画未達",
        "期間終了前に割当を使い切る見込み",
        "利用実績の報告なし",
    ]
    assert rows[5][1] == "プログラム合計"


def test_forecast_total_when_every_allocation_has_one(programme):
    _, data = build_export("2026-01", programme[:3], "en", GENERATED)
    assert _csv(data)[-1][9] == str(6400 + 2500 + 7900)


def test_no_series():
    md, data = build_export("2026-01", [], "en", GENERATED)
    assert "No organization has a compute allocation." in md
    rows = _csv(data)
    assert len(rows) == 2 and rows[1][1] == "Programme total" and rows[1][4] == "0"


def test_bad_arguments(programme):
    with pytest.raises(ValueError, match="YYYY-MM"):
        build_export("2026-1", programme, "en", GENERATED)
    with pytest.raises(ValueError, match="timezone-aware"):
        build_export("2026-01", programme, "en", datetime(2026, 2, 3))


# --- normalised GPU-hours ----------------------------------------------------------------------

FACTORS = [1.0, 1.0, 1.0, 0.5]  # the three H100 allocations count one to one, GCP's A100 half


def test_without_factors_nothing_is_normalised(programme):
    md, data = build_export("2026-01", programme, "en", GENERATED)
    assert (md, data) == build_export("2026-01", programme, "en", GENERATED, None)
    assert "normalised" not in md.lower()
    assert _csv(data)[0] == [t(f"export.{key}", "en") for key in CSV_COLUMNS]


def test_normalised_csv_columns_follow_the_raw_ones(programme):
    _, raw = build_export("2026-01", programme, "en", GENERATED)
    _, data = build_export("2026-01", programme, "en", GENERATED, FACTORS)
    rows, raw_rows = _csv(data), _csv(raw)
    assert rows[0] == [t(f"export.{key}", "en") for key in CSV_COLUMNS + CSV_NORMALISED_COLUMNS]
    assert rows[0][15:] == [
        "Normalisation factor",
        "Granted (normalised GPU-hours)",
        "Planned to date (normalised GPU-hours)",
        "Actual to date (normalised GPU-hours)",
        "Variance (normalised GPU-hours)",
        "Forecast at period end (normalised GPU-hours)",
    ]
    assert [r[: len(CSV_COLUMNS)] for r in rows[1:]] == raw_rows[1:]  # raw cells unchanged
    assert rows[1][15:] == ["1", "6000", "4000", "4400", "400", "6400"]  # ORGA · ABCI (H100)
    assert rows[4][15:] == ["0.5", "600", "400", "", "", ""]  # ORGB · GCP (A100), not reported
    # total: every allocation has a factor; no forecast total as GCP has none
    assert rows[5][15:] == ["", "16600", "10400", "11100.5", "700.5", ""]


def test_normalised_figures_beside_the_raw_ones_in_markdown(programme):
    md, _ = build_export("2026-01", programme, "en", GENERATED, FACTORS)
    assert "Normalised GPU-hours are GPU-hours multiplied by the factor" in md
    rows = _table_rows(md)
    assert ["Item", "Value", "Normalised (× 0.5)"] in rows
    assert ["Granted", "1,200", "600"] in rows and ["Planned to date", "800", "400"] in rows
    assert ["Variance (actual − planned)", "+400 (+10.0%)", "+400 (+10.0%)"] in rows
    # totals: in the month (2026-01) and to date
    assert ["Planned (normalised GPU-hours)", "2,600", "10,400"] in rows
    assert ["Actual (normalised GPU-hours)", "3,100", "11,100.5"] in rows
    assert {len(r) for r in rows if r[0] in ("Status", "Period")} == {3}  # every row complete


def test_only_allocations_with_a_factor_are_normalised(programme):
    md, data = build_export("2026-01", programme, "ja", GENERATED, [None, None, None, 0.5])
    rows = _csv(data)
    assert len(rows[0]) == len(CSV_COLUMNS) + len(CSV_NORMALISED_COLUMNS)
    assert rows[1][15:] == [""] * 6  # ORGA · ABCI (H100): no factor, empty cells
    assert rows[4][15:17] == ["0.5", "600"]
    assert rows[5][15:] == [""] * 6  # no normalised total when some allocation has no factor
    assert "係数のないGPU種別の割当があるため、正規化GPU時間の合計は表示しません。" in md
    tables = _table_rows(md)
    assert ["項目", "値", "正規化（係数 0.5）"] in tables
    assert tables.count(["項目", "値"]) == 3  # the three H100 allocations: raw only


def test_factors_must_match_the_series(programme):
    with pytest.raises(ValueError, match="3 factors for 4 series"):
        build_export("2026-01", programme, "en", GENERATED, [1.0, 1.0, 0.5])


def test_the_ministry_export_normalises_with_the_configured_factors(session_factory):
    from bot.services.admin import import_setup
    from bot.services.compute_export import export_month
    from bot.settings import Settings
    from tests.conftest import SETUP_YAML

    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)

    def export(**settings):
        with session_factory() as session:
            files = export_month(
                session=session,
                actor=None,
                settings=Settings(_env_file=None, **settings),
                month="2026-03",
                lang="en",
                now=datetime(2026, 4, 6, tzinfo=UTC),
            )
        return files.markdown, _csv(files.csv)

    md, rows = export()
    assert len(rows[0]) == len(CSV_COLUMNS) and "normalised" not in md.lower()
    md, rows = export(gpu_normalisation={"a100": 0.5})  # matched case-insensitively
    by_allocation = {(r[0], r[2]): r for r in rows[1:-1]}
    assert by_allocation[("ORGB", "ABCI (A100)")][15:18] == ["0.5", "1200", "100"]
    assert by_allocation[("ORGA", "ABCI (H100)")][15:] == [""] * 6  # H100 has no factor
    assert "| Planned to date | 200 | 100 |" in md
