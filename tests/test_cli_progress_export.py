"""`kiban export progress MONTH`: the Markdown and CSV of the survey projects' reports, in the
language asked for, and a bad month as a bilingual error with exit status 2."""

from __future__ import annotations

import pytest

from bot.blocks import progress as blocks
from bot.cli import main
from bot.services import progress
from bot.services.admin import import_setup
from bot.services.members import resolve_actor
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from tests.conftest import SETUP_YAML
from tests.services.test_progress import NOW, SETTINGS, TEXTS, add_survey_projects


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray .env
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        import_setup(session=session, text=SETUP_YAML)
        ids = add_survey_projects(session)
        progress.submit_report(
            session=session,
            actor=resolve_actor(session, "U0GAKU", "ja"),
            data=blocks.ReportInput(org_id=ids["SURVA"], month="2026-03", texts=TEXTS),
            settings=SETTINGS,
            now=NOW,
        )
    engine.dispose()
    return tmp_path


def test_export_progress_writes_markdown_and_csv(env, capsys):
    out = env / "out"
    assert main(["export", "progress", "2026-03", "--out", str(out), "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {out / 'progress-2026-03.md'}",
        f"wrote {out / 'progress-2026-03.csv'}",
    ]
    markdown = (out / "progress-2026-03.md").read_text(encoding="utf-8")
    assert "## 生成AI利活用調査 (SURVA)" in markdown and "120 interviews done" in markdown
    assert "Reported: 1 of 2 survey projects." in markdown
    csv_text = (out / "progress-2026-03.csv").read_bytes().decode("utf-8-sig")
    assert csv_text.startswith('"Organization code"') and "Interim report" in csv_text


def test_export_progress_default_language_and_bad_months(env, capsys):
    assert main(["export", "progress", "2026年3月", "--out", str(env / "ja")]) == 0
    assert "調査事業の進捗報告" in (env / "ja" / "progress-2026-03.md").read_text(encoding="utf-8")
    assert main(["export", "progress", "2026-13", "--out", str(env / "bad")]) == 2
    assert main(["export", "progress", "2099-01", "--out", str(env / "later")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "2099-01" in err
