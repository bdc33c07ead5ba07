"""The progress export's files: every field, advice and mark per project, Markdown that shows
people's text as itself, and a CSV a spreadsheet cannot run formulas from."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.render.progress_export import (
    CSV_COLUMNS,
    AdviceRow,
    ProjectRow,
    ReportRow,
    build_export,
    file_names,
)

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 4, 10, 3, 0, tzinfo=UTC)
REPORT = ReportRow(
    revision=3,
    reporter="U0GAKU",
    submitted_at=datetime(2026, 4, 2, 1, 15, tzinfo=UTC),
    plan="# not a heading\n| not | a table |",
    progress='=HYPERLINK("http://x")',
    issues="<script>alert(1)</script>",
    improvement_plan="+1 more\n    indented code?",
    results="＝SUM(A1)",
    help_needed="  @admin please",
)
PROJECTS = [
    ProjectRow(
        org_code="SURVA",
        org_name="Survey *A*",
        report=REPORT,
        advice=[
            AdviceRow(
                author="U0SATO",
                given_at=datetime(2026, 4, 3, 0, 0, tzinfo=UTC),
                revision=2,
                text="-5 is a number?",
            )
        ],
        marked_by="U0SATO",
        marked_at=datetime(2026, 4, 4, 0, 0, tzinfo=UTC),
    ),
    ProjectRow(org_code="SURVB", org_name="Survey B"),
]


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_markdown_has_every_field_advice_and_mark_escaped():
    markdown, _ = build_export("2026-03", PROJECTS, "en", NOW, JST)
    assert markdown.startswith("# Survey projects' progress reports — 2026-03\n")
    assert "Generated: 2026-04-10 12:00 JST" in markdown
    assert "Reported: 1 of 2 survey projects." in markdown
    assert "## Survey \\*A\\* (SURVA)" in markdown
    assert "Revision 3, reported by U0GAKU on 2026-04-02 10:15 JST." in markdown
    for heading in (
        "Plan for the period",
        "Progress",
        "Issues encountered",
        "Improvement plan",
        "Results to share",
        "Help needed from the secretariat",
        "Advice",
    ):
        assert f"### {heading}\n" in markdown
    assert "> \\# not a heading\n> \\| not \\| a table \\|" in markdown
    assert "&lt;script&gt;" in markdown and "<script>" not in markdown
    assert "> \\+1 more\n> indented code?" in markdown
    assert "U0SATO, 2026-04-03 09:00 JST (on revision 2):\n\n> \\-5 is a number?" in markdown
    assert "Marked for dissemination by U0SATO on 2026-04-04 09:00 JST." in markdown
    survey_b = markdown.split("## Survey B (SURVB)")[1]
    assert "Not reported for this month." in survey_b
    assert "No advice given." in survey_b and "Not marked for dissemination." in survey_b


def test_csv_one_row_per_project_formula_safe():
    _, data = build_export("2026-03", PROJECTS, "en", NOW, JST)
    header, first, second = _csv_rows(data)
    assert len(header) == len(CSV_COLUMNS) and header[:3] == [
        "Organization code",
        "Organization",
        "Month",
    ]
    cell = dict(zip(header, first, strict=True))
    assert cell["Status"] == "reported" and cell["Revision"] == "3"
    assert cell["Progress"] == '\'=HYPERLINK("http://x")'
    assert cell["Results to share"] == "'＝SUM(A1)"
    assert cell["Help needed from the secretariat"] == "'  @admin please"
    assert cell["Plan for the period"] == "# not a heading\n| not | a table |"  # kept whole
    assert cell["Advice given"] == "1"
    assert cell["Advice"] == "2026-04-03 09:00 JST U0SATO: -5 is a number?"
    assert cell["For dissemination"] == "yes" and cell["Marked at"] == "2026-04-04 09:00 JST"
    other = dict(zip(header, second, strict=True))
    assert other["Status"] == "not reported" and other["Revision"] == ""
    assert other["Advice given"] == "0" and other["For dissemination"] == "no"


def test_japanese_headers_and_names():
    markdown, data = build_export("2026-03", PROJECTS, "ja", NOW, JST)
    assert "報告済み: 調査事業 2 件中 1 件。" in markdown and "### 共有できる成果" in markdown
    assert _csv_rows(data)[0][3:5] == ["状況", "版"]
    assert file_names("2026-03") == ("progress-2026-03.md", "progress-2026-03.csv")


def test_no_projects_is_said_not_an_empty_file():
    markdown, data = build_export("2026-03", [], "en", NOW, JST)
    assert "No survey project is registered." in markdown
    assert len(_csv_rows(data)) == 1
