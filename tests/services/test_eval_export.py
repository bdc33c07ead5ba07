"""The CSV of published evaluation results (`kiban export evals`): one row per score of
published submissions only, JST times, missing values empty (never 0), formula-like text
neutralised, and the command line writes the file."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.services.admin import import_setup
from bot.services.eval_export import COLUMNS, export_evals
from storage import members as member_store
from storage.db import make_engine, make_session_factory
from storage.evals import EvalScoreRow, EvalStatus, EvalSubmission, add_submission
from tests.conftest import SETUP_YAML

FIXTURES = Path(__file__).parents[1] / "fixtures"
MARCH_5 = datetime(2026, 3, 5, 1, 0, tzinfo=UTC)  # 10:00 JST


def _submit(session, code, model, status=EvalStatus.PUBLISHED, published_at=MARCH_5):
    org = member_store.get_org_by_code(session, code)
    submission = EvalSubmission(
        organization_id=org.id,
        submitted_by="U0TEST",
        submitted_at=MARCH_5,
        model_name=model,
        model_revision="@SUM(A1)",
        parameters_b=None if code == "ORGB" else 7.5,
        model_type="chat",
        file_name="results.json",
        file_format="lm_eval",
        file_sha256="0" * 64,
        report_json="{}",
        status=status.value,
        published_at=published_at,
    )
    scores = [
        EvalScoreRow(
            task="jmmlu",
            metric="acc",
            filter="none",
            value=0.61,
            stderr=0.012,
            n_shot=5,
            higher_is_better=True,
            is_group=True,
            benchmark="JMMLU",
            headline=True,
        ),
        EvalScoreRow(task="jmmlu_sub", metric="acc_norm", value=None, n_shot=5),
        EvalScoreRow(task="=cmd|' /C calc'!A0", metric="-1+1", value=-0.5),
    ]
    return add_submission(session, submission, scores)


def _fill(factory) -> None:
    with factory.begin() as session:
        _submit(session, "ORGB", "mirai-13b")
        _submit(session, "ORGA", '=HYPERLINK("http://x")')
        _submit(session, "ORGC", "secret-model", EvalStatus.APPROVED, None)
        _submit(session, "ORGC", "secret-model", EvalStatus.REJECTED)


def _rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def loaded(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
    _fill(session_factory)
    return session_factory


def test_one_row_per_published_score_and_nothing_else(loaded):
    with loaded() as session:
        name, data = export_evals(session)
    rows = _rows(data)
    assert name == "kiban-evals.csv" and list(rows[0]) == list(COLUMNS)
    assert len(rows) == 6  # 2 published submissions × 3 scores; ORGA first (code order)
    assert [r["organization_code"] for r in rows] == ["ORGA"] * 3 + ["ORGB"] * 3
    assert "secret-model" not in data.decode("utf-8-sig")
    headline = rows[3]
    assert headline == {
        "organization_code": "ORGB",
        "organization": "みらい言語研究所",
        "model": "mirai-13b",
        "revision": "'@SUM(A1)",
        "parameters_b": "",
        "model_type": "chat",
        "published_at": "2026-03-05T10:00:00+09:00",
        "benchmark": "JMMLU",
        "task": "jmmlu",
        "metric": "acc",
        "filter": "none",
        "value": "0.61",
        "stderr": "0.012",
        "n_shot": "5",
        "headline": "true",
        "task_version": "",
        "override_reason": "",
    }
    missing = rows[4]
    assert missing["value"] == "" and missing["benchmark"] == "" and missing["filter"] == ""
    assert missing["headline"] == "false" and rows[0]["parameters_b"] == "7.5"


def test_formula_like_text_is_neutralised_numbers_stay_numbers(loaded):
    with loaded() as session:
        _, data = export_evals(session)
    rows = _rows(data)
    assert rows[0]["model"] == '\'=HYPERLINK("http://x")'
    assert rows[2]["task"] == "'=cmd|' /C calc'!A0" and rows[2]["metric"] == "'-1+1"
    assert rows[2]["value"] == "-0.5"  # a number, written unquoted
    text = data.decode("utf-8-sig")
    assert ",-0.5," in text and '"\'=HYPERLINK(""http://x"")"' in text


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'k.sqlite3'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    return tmp_path


def test_the_command_line_writes_the_file(env, capsys):
    assert main(["admin", "import", str(FIXTURES / "setup.yaml")]) == 0
    engine = make_engine(f"sqlite:///{env / 'k.sqlite3'}")
    _fill(make_session_factory(engine))
    engine.dispose()
    capsys.readouterr()
    assert main(["export", "evals", "--out", str(env / "out")]) == 0
    written = env / "out" / "kiban-evals.csv"
    assert f"wrote {written}" in capsys.readouterr().out
    rows = _rows(written.read_bytes())
    assert len(rows) == 6 and {r["model"] for r in rows} == {
        "mirai-13b",
        '\'=HYPERLINK("http://x")',
    }


def test_the_command_line_with_nothing_published_writes_the_header(env):
    assert main(["db", "upgrade"]) == 0  # a database set up, nothing in it yet
    assert main(["export", "evals", "--out", str(env)]) == 0
    assert _rows((env / "kiban-evals.csv").read_bytes()) == []
    assert (
        (env / "kiban-evals.csv").read_bytes().decode("utf-8-sig").startswith('"organization_code"')
    )


def test_export_evals_has_help():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "bot", "export", "evals", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "--out" in result.stdout
