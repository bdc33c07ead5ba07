"""`kiban export review ROUND`: the five files of a round (by number or exact name), and an
unknown round as a bilingual error with exit status 2 and no folder created."""

from __future__ import annotations

import pytest

from bot.cli import main
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from tests.render.test_review_export import make_round


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray .env
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        make_round(session)
    engine.dispose()
    return tmp_path


NAMES = ["scores.csv", "aggregation.csv", "decisions.csv", "audit.csv", "minutes.md"]


def test_export_review_writes_the_five_files(env, capsys):
    out = env / "out"
    assert main(["export", "review", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == [f"wrote {out / f'review-1-{name}'}" for name in NAMES]
    for name in NAMES:
        assert (out / f"review-1-{name}").stat().st_size > 0
    minutes = (out / "review-1-minutes.md").read_text(encoding="utf-8")
    assert minutes.startswith("# 審査委員会 議事録: 2026 selection")  # DEFAULT_LANGUAGE ja


def test_export_review_by_name_in_english(env, capsys):
    out = env / "en"
    assert main(["export", "review", "2026 selection", "--out", str(out), "--lang", "en"]) == 0
    minutes = (out / "review-1-minutes.md").read_text(encoding="utf-8")
    assert minutes.startswith("# Review committee minutes: 2026 selection")
    aggregation = (out / "review-1-aggregation.csv").read_bytes().decode("utf-8-sig")
    assert '"Alpha | Labs",3,4.50,0.50,0.90' in aggregation


@pytest.mark.parametrize("ref", ["2", "no such round"])
def test_unknown_round_is_a_bilingual_error(env, capsys, ref):
    out = env / "nowhere"
    assert main(["export", "review", ref, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"審査 {ref} は見つかりません" in captured.err
    assert f"There is no review round {ref}" in captured.err
    assert "1: 2026 selection" in captured.err and "Traceback" not in captured.err
    assert not out.exists()
