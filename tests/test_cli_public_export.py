"""`kiban export public --out DIR [--base-url URL]`: feed.xml and index.html written, with only
what was published publicly; a base URL that is not http(s) is a bilingual error, exit 2."""

from __future__ import annotations

import feedparser
import pytest

from bot.cli import main
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from tests.render.test_public_feed import announcement, secret_announcement


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray .env
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    monkeypatch.setenv("PUBLIC_FEED_TITLE", "Kiban public")
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        session.add(announcement(title={"ja": "公開のお知らせ", "en": "Public notice"}))
        session.add(secret_announcement("awaiting", status="awaiting_approval", published_at=None))
    engine.dispose()
    return tmp_path


def test_export_public_writes_both_files(env, capsys):
    out = env / "site"
    code = main(["export", "public", "--out", str(out), "--base-url", "https://k.example/pub"])
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {out / 'feed.xml'}",
        f"wrote {out / 'index.html'}",
    ]
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.bozo == 0 and feed.feed.title == "Kiban public"
    [entry] = feed.entries
    assert entry.title == "公開のお知らせ / Public notice"
    assert entry.id == "https://k.example/pub/index.html#announcement-1"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Public notice" in index and "SECRET" not in index


def test_the_configured_base_url_by_default(env, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://news.example/kiban/")
    assert main(["export", "public", "--out", str(env)]) == 0
    feed = feedparser.parse((env / "feed.xml").read_bytes())
    assert feed.feed.id == "https://news.example/kiban/"


def test_a_bad_base_url_is_a_bilingual_error(env, capsys):
    out = env / "nowhere"
    assert main(["export", "public", "--out", str(out), "--base-url", "ftp://x.example/"]) == 2
    err = capsys.readouterr().err
    assert "http(s) のアドレスではありません" in err and "is not an http(s) address" in err
    assert "Traceback" not in err and not out.exists()


@pytest.mark.parametrize(
    "export", [["public"], ["progress", "2026-03"], ["compute", "2026-03"], ["evals"]]
)
@pytest.mark.parametrize("database", ["missing.sqlite3", "empty.sqlite3"])
def test_an_export_never_reads_a_new_empty_database(
    tmp_path, monkeypatch, capsys, export, database
):
    """A wrong DATABASE_URL (or cron running in another folder with the relative default) must
    not publish an empty feed over the real one: refused, nothing created, no folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.sqlite3").touch()  # a file that is not a Kiban database
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / database}")
    assert main(["export", *export, "--out", "site"]) == 2
    err = capsys.readouterr().err
    assert "holds no Kiban data" in err and "Kiban のデータがありません" in err
    assert not (tmp_path / "site").exists() and not (tmp_path / "missing.sqlite3").exists()
    assert (tmp_path / "empty.sqlite3").read_bytes() == b""  # left as it was
