"""The `kiban` command: help for every subcommand, setup import, sacct import, db upgrade,
clear bilingual errors with exit status 2 for bad input and paths it cannot read or write, and
imports that store their data and say what Slack did not get when Slack is out of reach."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from sqlmodel import Session, select

from bot.cli import main
from bot.sandbox import Sandbox, Workspace
from bot.settings import Settings
from storage.alerts import AlertRecord
from storage.db import make_engine
from tests.conftest import WORKSPACE

FIXTURES = Path(__file__).parent / "fixtures"
SACCT = FIXTURES / "slurm" / "habrok_gpu_parsable2_with_header.txt"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'k.sqlite3'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    return tmp_path


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["serve"],
        ["demo"],
        ["db"],
        ["db", "upgrade"],
        ["import"],
        ["import", "sacct"],
        ["admin"],
        ["admin", "import"],
    ],
)
def test_every_subcommand_has_help(argv):
    result = subprocess.run(
        [sys.executable, "-m", "bot", *argv, "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "usage: kiban" in result.stdout


def test_setup_import_twice_then_sacct_import(env, capsys):
    assert main(["db", "upgrade"]) == 0
    assert main(["admin", "import", str(FIXTURES / "setup.yaml")]) == 0
    assert "organization created: 4" in capsys.readouterr().out
    assert main(["admin", "import", str(FIXTURES / "setup.yaml")]) == 0
    out = capsys.readouterr().out
    assert "created" not in out and "updated" not in out and "plan unchanged: 13" in out
    assert main(["import", "sacct", str(SACCT), "--org", "ORGC"]) == 0
    out = capsys.readouterr().out
    assert "GPU jobs: 7" in out and "2024-04: 139.9 GPU-hours" in out and "line 223" in out
    # the V100 jobs are not this A100 allocation's
    assert "not counted: 3 job(s) on v100, not A100 (lines 10, 13, 229)" in out
    assert main(["import", "sacct", str(SACCT), "--org", "ORGC"]) == 0
    assert "(duplicate)" in capsys.readouterr().out


def test_headerless_sacct_needs_fields(env, capsys):
    main(["admin", "import", str(FIXTURES / "setup.yaml")])
    snowman = FIXTURES / "slurm" / "hb-jobinfo_sacct_snowman-delim_gpu.txt"
    assert main(["import", "sacct", str(snowman), "--org", "ORGC"]) == 2
    assert "--noheader" in capsys.readouterr().err
    fields = SACCT.read_text().splitlines()[0].replace("|", ",")
    assert main(["import", "sacct", str(snowman), "--org", "ORGC", "--fields", fields]) == 0
    assert "139.9" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["admin", "import", "missing.yaml"], "missing.yaml"),
        (["import", "sacct", str(SACCT), "--org", "NOPE"], "NOPE"),
    ],
)
def test_bad_input_is_a_bilingual_error_not_a_trace(env, capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and " / " in err and "Traceback" not in err


def test_bad_setup_file_reports_lines(env, capsys):
    bad = env / "bad.yaml"
    bad.write_text("organizations:\n  - code: X\n    name: Y\n    kind: bank\n", encoding="utf-8")
    assert main(["admin", "import", str(bad)]) == 2
    assert "line 4: organizations[1].kind" in capsys.readouterr().err
    binary = env / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["admin", "import", str(binary)]) == 2
    assert "UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("TIMEZONE", "JST", "TIMEZONE"),
        ("DATABASE_URL", "notaurl", "not a database URL"),
        ("DATABASE_URL", "mysql://x/y", "not supported"),
        ("DATABASE_URL", "sqlite:////nonexistent/dir/k.sqlite3", "cannot open the database"),
        ("DEFAULT_LANGUAGE", "fr", "DEFAULT_LANGUAGE"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("PORT", "99999", "PORT"),
        ("OVERUSE_THRESHOLD_PERCENT", "-1", "OVERUSE_THRESHOLD_PERCENT"),
    ],
)
def test_bad_settings_are_named_not_a_traceback(env, capsys, monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_export_compute_writes_markdown_and_csv(env, capsys):
    main(["admin", "import", str(FIXTURES / "setup.yaml")])
    main(["import", "sacct", str(SACCT), "--org", "ORGC"])
    assert main(["export", "compute", "2024-04", "--out", str(env / "out"), "--lang", "en"]) == 0
    markdown = (env / "out" / "kiban-compute-2024-04.md").read_text(encoding="utf-8")
    csv_text = (env / "out" / "kiban-compute-2024-04.csv").read_bytes().decode("utf-8-sig")
    assert "北星データ" in markdown and "Habrok (A100)" in markdown
    assert "139.91" in csv_text and "ORGC" in csv_text
    assert main(["export", "compute", "2024-13"]) == 2


def test_import_focus_and_csv(env, capsys):
    main(["admin", "import", str(FIXTURES / "setup.yaml")])
    focus = FIXTURES / "focus" / "synthetic_gpu.csv"
    assert main(["import", "focus", str(focus), "--org", "ORGB"]) == 2
    assert "--sub-account" in capsys.readouterr().err
    assert (
        main(["import", "focus", str(focus), "--org", "ORGB", "--sub-account", "111122223333"]) == 0
    )
    out = capsys.readouterr()
    assert "ORGB · AWS (H100) · 2026-03: 16.00 GPU-hours (created)" in out.out
    assert "SLACK_BOT_TOKEN is not set" in out.err
    usage = env / "usage.csv"
    usage.write_text(
        "organization,month,provider,gpu_type,gpu_hours\nORGA,2026-02,ABCI,H100,700\n",
        encoding="utf-8",
    )
    assert main(["import", "csv", str(usage)]) == 0
    assert "ORGA · ABCI (H100) · 2026-02: 700.00 GPU-hours (created)" in capsys.readouterr().out


# Wednesday 8 April 2026, 12:00 in Tokyo and 20:00 (Tuesday) in Los Angeles: no quiet hours
NOON = datetime(2026, 4, 8, 3, 0, tzinfo=UTC)
OVER_PLAN_CSV = "organization,month,provider,gpu_type,gpu_hours\nORGA,2026-03,ABCI,H100,1500\n"


def _alert_keys(env) -> list[str]:
    engine = make_engine(f"sqlite:///{env / 'k.sqlite3'}")
    with Session(engine) as session:
        return [r.key for r in session.exec(select(AlertRecord))]


@pytest.fixture
def slack_env(env, monkeypatch):
    """A token, an operator channel, a fixed business-day noon and no retry pauses."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-sandbox")
    monkeypatch.setenv("OPERATOR_CHANNEL", "C0OPS")
    monkeypatch.setattr("bot.deps.utc_now", lambda: NOON)
    monkeypatch.setattr(BackoffRetryIntervalCalculator, "calculate_sleep_duration", lambda *a: 0)
    assert main(["admin", "import", str(FIXTURES / "setup.yaml")]) == 0
    (env / "orga-march.csv").write_text(OVER_PLAN_CSV, encoding="utf-8")
    return env


def test_import_with_slack_out_of_reach_keeps_its_notices_in_the_outbox(
    slack_env, capsys, monkeypatch
):
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")  # nothing listens there
    capsys.readouterr()
    assert main(["import", "csv", str(slack_env / "orga-march.csv")]) == 0
    out = capsys.readouterr()
    assert "ORGA · ABCI (H100) · 2026-03: 1,500.00 GPU-hours (created)" in out.out
    assert "Traceback" not in out.err and "xoxb-sandbox" not in out.err
    assert "kept in the outbox" in out.err and "送信キューに保存しました" in out.err
    # the first message tried failed in transit; the rest were not tried (Slack out of reach)
    assert "import_summary → C0ORGA: network error: URLError" in out.err
    assert "alert → U0ALICE: not tried: Slack out of reach" in out.err
    assert "alert_copy → C0OPS: not tried" in out.err
    assert _alert_keys(slack_env) == ["ORGA:1:2026-03:5"]  # raised once, and queued
    assert main(["outbox"]) == 0
    listed = capsys.readouterr().out
    assert listed.count("待機 waiting") == 3 and "alert → U0ALICE" in listed
    assert "next try" in listed and "JST" in listed
    assert "1 failed attempt(s)" in listed and "not tried yet" in listed
    # the data is stored: the same file again changes nothing
    assert main(["import", "csv", str(slack_env / "orga-march.csv"), "--no-notify"]) == 0
    assert "(duplicate)" in capsys.readouterr().out

    # Slack is back: the outbox sends each waiting notice once (kiban serve's job, or now)
    with Sandbox(workspace=Workspace.from_dict(WORKSPACE), signing_secret="s") as sandbox:
        monkeypatch.setenv("SLACK_API_URL", sandbox.api_url)
        assert main(["outbox", "send"]) == 0
        assert "sent: 3;" in capsys.readouterr().out
        assert len(sandbox.conversation("dm:U0ALICE")) == 1
        assert len(sandbox.conversation("#secretariat")) == 1
        assert main(["import", "csv", str(slack_env / "orga-march.csv")]) == 0
        assert main(["outbox", "send"]) == 0
        assert len(sandbox.conversation("dm:U0ALICE")) == 1  # not twice
        assert sandbox.failures == []
    assert main(["outbox"]) == 0
    assert "the outbox is empty" in capsys.readouterr().out


def test_an_alert_that_reached_someone_stays_recorded(slack_env, capsys, monkeypatch):
    workspace = {
        **WORKSPACE,
        "channels": [
            {**c, "bot_member": False} if c["id"] == "C0OPS" else c for c in WORKSPACE["channels"]
        ],
    }
    with Sandbox(workspace=Workspace.from_dict(workspace), signing_secret="s") as sandbox:
        monkeypatch.setenv("SLACK_API_URL", sandbox.api_url)
        capsys.readouterr()
        assert main(["import", "csv", str(slack_env / "orga-march.csv")]) == 0
        err = capsys.readouterr().err
        assert len(sandbox.conversation("dm:U0ALICE")) == 1
    assert "alert_copy → C0OPS: not_in_channel" in err and "Traceback" not in err
    assert "Slack refused some notices" in err and "受け付けなかった" in err
    assert _alert_keys(slack_env) == ["ORGA:1:2026-03:5"]  # its button works; never sent twice


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "compute", "2024-04", "--out", "a-file"],
        ["export", "compute", "2024-04", "--out", "a-file/sub"],
        ["export", "compute", "2024-04", "--out", "/proc/x"],
        ["export", "evals", "--out", "a-file"],
        ["demo", "--out", "a-file"],
        ["import", "csv", "."],
        ["import", "sacct", ".", "--org", "ORGC"],
        ["admin", "import", "."],
    ],
)
def test_a_path_that_cannot_be_read_or_written_is_a_bilingual_error(env, capsys, argv):
    main(["admin", "import", str(FIXTURES / "setup.yaml")])
    (env / "a-file").write_text("in the way", encoding="utf-8")
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert " / " in err and "Traceback" not in err
    assert "フォルダ" in err or "読めません" in err
    assert (env / "a-file").read_text(encoding="utf-8") == "in the way"


def test_export_that_cannot_write_leaves_no_half(env, capsys, monkeypatch):
    main(["admin", "import", str(FIXTURES / "setup.yaml")])

    def refuse(self, data):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_bytes", refuse)
    assert main(["export", "compute", "2024-04", "--out", str(env / "out")]) == 2
    err = capsys.readouterr().err
    assert "kiban-compute-2024-04.csv に書き込めません: Permission denied" in err
    assert "Cannot write" in err and "Traceback" not in err
    assert list((env / "out").iterdir()) == []  # the Markdown written first is removed


def test_an_empty_setting_means_its_default(monkeypatch):
    """`SLACK_TIMEOUT=` left empty in a .env is the default, not an invalid value."""
    for name in ("SLACK_TIMEOUT", "TIMEZONE", "OVERUSE_THRESHOLD_PERCENT", "DEFAULT_LANGUAGE"):
        monkeypatch.setenv(name, "")
    settings = Settings(_env_file=None)
    assert settings.slack_timeout == 10 and settings.timezone == "Asia/Tokyo"
    assert settings.default_language == "ja"
