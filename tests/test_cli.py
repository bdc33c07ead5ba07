"""The `kiban` command: help for every subcommand, setup import, sacct import, db upgrade, and
clear bilingual errors with exit status 2 for bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

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
        ("TIMEZONE", "", "TIMEZONE"),
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
