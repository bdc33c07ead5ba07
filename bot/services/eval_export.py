"""Every published evaluation result as one spreadsheet-safe CSV (`kiban export evals`).

One row per score of a published submission (every task, metric and filter, not only the
headline ones), ordered by organization code, publication time, submission and the order the
scores were read. Submissions not published (in review, approved under embargo, rejected,
changes requested) are never included.

Columns (:data:`COLUMNS`): organization code and name, model, revision, parameters_b
(billions, empty when not given), model_type, published_at (ISO 8601 in JST,
`2026-03-04T10:00:00+09:00`), benchmark (the standard-suite benchmark the score counts for,
empty when none), task, metric, filter (empty when none), value and stderr (numbers as read;
empty when missing, never 0), n_shot, headline (`true` / `false`), task_version, and
override_reason (set when an operator approved a run the validator rejected).

Text cells go through `bot.render.csv_safe` (a cell that would start a formula gets a `'`);
UTF-8 with a BOM, CRLF line ends.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.render.csv_safe import write_csv
from storage.evals import EvalScoreRow, EvalStatus, EvalSubmission
from storage.members import Organization

JST = ZoneInfo("Asia/Tokyo")
FILE_NAME = "kiban-evals.csv"
COLUMNS = (
    "organization_code",
    "organization",
    "model",
    "revision",
    "parameters_b",
    "model_type",
    "published_at",
    "benchmark",
    "task",
    "metric",
    "filter",
    "value",
    "stderr",
    "n_shot",
    "headline",
    "task_version",
    "override_reason",
)


def export_evals(session: Session) -> tuple[str, bytes]:
    """The CSV of every published score: (file name `kiban-evals.csv`, file bytes)."""
    query = (
        select(EvalScoreRow, EvalSubmission, Organization)
        .join(EvalSubmission, EvalSubmission.id == EvalScoreRow.submission_id)
        .join(Organization, Organization.id == EvalSubmission.organization_id)
        .where(
            EvalSubmission.status == EvalStatus.PUBLISHED.value,
            EvalSubmission.published_at.is_not(None),
        )
        .order_by(
            Organization.code, EvalSubmission.published_at, EvalSubmission.id, EvalScoreRow.id
        )
    )
    rows = [
        (
            org.code,
            org.name,
            submission.model_name,
            submission.model_revision,
            submission.parameters_b,
            submission.model_type,
            submission.published_at.astimezone(JST).isoformat(),
            score.benchmark,
            score.task,
            score.metric,
            score.filter,
            score.value,
            score.stderr,
            score.n_shot,
            "true" if score.headline else "false",
            score.version,
            submission.override_reason,
        )
        for score, submission, org in session.exec(query)
    ]
    return FILE_NAME, write_csv(COLUMNS, rows)
