"""Collecting trend items end to end (issue #8), through the sandbox and the real Bolt app:
`/trend add` (ack first, the ephemeral answer, the row, a duplicate merged, the page title
fetched after the ack through a fake HTTP transport), `/trend list` and the operators' theme
menu, the message shortcut **Add to trend report** and its modal, the feed job (a failing
feed reported once across runs, then reset), and the scenario `shortcut` step."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from bot.clients import fetch as fetching
from bot.sandbox.store import top_modal
from bot.scenario.model import ShortcutStep, load_scenario
from bot.scenario.runner import run_scenario
from jobs.trends import run_trend_feeds
from storage.trends import FeedState, TrendItem
from tests.conftest import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "trends"
PAGE = "<html><head><title>{title}</title></head><body>…</body></html>"


class FakeWeb:
    """An httpx transport standing in for the web: `pages` maps a URL (as requested) to
    (status, body, content type); `delay` seconds before answering; `requests` records each
    request with the monotonic time it arrived."""

    def __init__(self, pages: dict | None = None, delay: float = 0.0):
        self.pages = pages or {}
        self.delay = delay
        self.requests: list[tuple[str, float]] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append((str(request.url), time.monotonic()))
        if self.delay:
            time.sleep(self.delay)
        for url, (status, body, kind) in self.pages.items():
            if str(request.url).startswith(url):
                return httpx.Response(status, content=body, headers={"Content-Type": kind})
        return httpx.Response(404, text="not found")

    def page(self, url: str, title: str) -> None:
        self.pages[url] = (200, PAGE.format(title=title).encode(), "text/html; charset=utf-8")


@pytest.fixture
def web(monkeypatch) -> FakeWeb:
    fake = FakeWeb()
    monkeypatch.setattr(fetching, "TRANSPORT", httpx.MockTransport(fake))
    monkeypatch.setattr(fetching, "SLEEP", lambda seconds: None)
    return fake


def items(h) -> list[TrendItem]:
    with h.session_factory() as session:
        return list(session.exec(select(TrendItem).order_by(TrendItem.id)))


# --- /trend add -----------------------------------------------------------------------------------


def test_add_acks_first_answers_stores_and_fetches_the_title_after_the_ack(harness, web):
    web.page("http://news.example.org/a", "Llama 4 を公開、パラメータ数は 400B")
    web.delay = 1.0  # a slow site: the ack must not wait for it
    started = time.monotonic()
    ack = harness.driver.command(
        "U0KENJI",
        "/trend add <http://news.example.org/a/?utm_source=x&amp;id=3|news.example.org/a> 面白い",
    )
    assert ack.status == 200 and ack.elapsed < 1.0
    shown = harness.sandbox.render("ephemeral:U0KENJI")
    assert "2026-04 の動向調査に追加しました" in shown and "news.example.org/a" in shown
    [item] = items(harness)
    assert item.url == "https://news.example.org/a?id=3"
    assert item.original_url == "http://news.example.org/a/?utm_source=x&id=3"
    assert (item.source, item.added_by, item.month) == ("command", "U0KENJI", "2026-04")
    assert item.note == "[U0KENJI] 面白い"
    # the title came after the ack, from the address as given
    [(url, fetched_at)] = web.requests
    assert url == "http://news.example.org/a/?utm_source=x&id=3"
    assert fetched_at - started < 1.0 + ack.elapsed
    assert item.title == "Llama 4 を公開、パラメータ数は 400B"
    assert item.theme == "international"


def test_a_duplicate_is_merged_with_the_note_and_the_title_is_not_fetched_again(harness, web):
    web.page("https://x.example.org/story", "First title")
    harness.driver.command("U0KENJI", "/trend add https://x.example.org/story 最初")
    harness.driver.command(
        "U0ALICE", "/trend add <http://X.example.org/story/?fbclid=1|x> worth a look"
    )
    harness.driver.command("U0KENJI", "/trend add https://x.example.org/story")  # again: nothing
    assert "Merged: your note was added" in harness.sandbox.render("ephemeral:U0ALICE")
    assert "登録済みです" in harness.sandbox.render("ephemeral:U0KENJI")
    [item] = items(harness)
    assert item.title == "First title" and len(web.requests) == 1
    assert item.note.splitlines() == ["[U0KENJI] 最初", "[U0ALICE] worth a look"]


def test_a_failing_fetch_leaves_the_url_as_title_and_says_nothing(harness, web):
    harness.driver.command("U0YUKI", "/trend https://gone.example.org/page")  # 404
    [item] = items(harness)
    assert item.title == "https://gone.example.org/page"
    shown = harness.sandbox.render("ephemeral:U0YUKI")
    assert "追加しました" in shown and "エラー" not in shown


def test_bad_links_and_people_in_no_organization_get_clear_errors(harness, web):
    harness.driver.command("U0KENJI", "/trend add ftp://files.example.org/x")
    harness.driver.command("U0KENJI", "/trend add")
    harness.driver.command("U0ALICE", "/trend add not-a-link")
    harness.driver.command("U0GUEST", "/trend add https://x.example.org/a")
    kenji = harness.sandbox.render("ephemeral:U0KENJI")
    assert "登録できるウェブのリンクではありません" in kenji
    assert "リンクを指定してください" in kenji
    assert "is not a web link Kiban can collect" in harness.sandbox.render("ephemeral:U0ALICE")
    assert "/kiban member add" in harness.sandbox.render("ephemeral:U0GUEST")
    assert items(harness) == [] and web.requests == []


def test_help_and_unknown_subcommands(harness):
    harness.driver.command("U0ALICE", "/trend")
    harness.driver.command("U0ALICE", "/trend remove x")
    shown = harness.sandbox.render("ephemeral:U0ALICE")
    assert "/trend add URL [note]" in shown and "`/trend remove` is not a Kiban command" in shown


# --- /trend list and themes -------------------------------------------------------------------------


def test_an_operator_changes_a_theme_and_a_member_cannot(harness, web):
    web.page("https://x.example.org/a", "A company picnic")
    harness.driver.command("U0KENJI", "/trend add https://x.example.org/a")
    assert items(harness)[0].theme == "other"
    harness.driver.command("U0KENJI", "/trend list")
    mine = harness.sandbox.render("ephemeral:U0KENJI")
    assert "あなたの動向調査の登録 · 2026-04（1 件）" in mine and "A company picnic" in mine
    harness.driver.command("U0SATO", "/trend list")
    assert "動向調査の登録 · 2026-04（1 件）" in harness.sandbox.render("ephemeral:U0SATO")
    harness.driver.click("U0SATO", "経済・生産性への効果", "ephemeral")
    assert "テーマを *経済・生産性への効果* にしました" in harness.sandbox.render(
        "ephemeral:U0SATO"
    )
    [item] = items(harness)
    assert (item.theme, item.theme_by) == ("economic", "operator")
    # a member sending the menu's action anyway (a forged or stale client) is refused
    harness.driver.click("U0KENJI", "その他", "ephemeral:U0SATO")
    assert "事務局（オペレーター）のみ" in harness.sandbox.render("ephemeral:U0KENJI")
    assert items(harness)[0].theme == "economic"


# --- the message shortcut ---------------------------------------------------------------------------


def test_the_shortcut_opens_a_prefilled_modal_and_stores_the_link(harness, web):
    web.page("https://blog.example.org/post", "医療データの活用事例")
    harness.sandbox.say(
        "U0YUKI",
        "#community-digest",
        "見てください <https://blog.example.org/post/?utm_source=slack&amp;utm_medium=x|blog>",
    )
    harness.sandbox.say("U0YUKI", "#community-digest", "later message, no link")
    ack = harness.driver.shortcut(
        "U0KENJI", "trend.add_from_message", "#community-digest", message_text_contains="見て"
    )
    assert ack.status == 200 and ack.elapsed < 1.0
    modal = top_modal(harness.sandbox, "U0KENJI")
    assert modal is not None and modal.view["title"]["text"] == "動向調査に追加"
    url_block = next(b for b in modal.view["blocks"] if b.get("block_id") == "url")
    assert url_block["element"]["initial_value"] == (
        "https://blog.example.org/post/?utm_source=slack&utm_medium=x"
    )
    [request] = [r for r in harness.journal() if r.get("kind") == "message_action"]
    payload = request["request"]["body"]
    assert payload["callback_id"] == "trend.add_from_message"
    assert payload["channel"]["id"] == "C0DIGEST" and payload["message"]["user"] == "U0YUKI"
    harness.driver.fill("U0KENJI", {"メモ": "病院での事例"})
    assert "追加しました" in harness.sandbox.render("modal:U0KENJI")
    [item] = items(harness)
    assert (item.url, item.source, item.added_by) == (
        "https://blog.example.org/post",
        "shortcut",
        "U0KENJI",
    )
    assert item.note == "[U0KENJI] 病院での事例"
    assert item.title == "医療データの活用事例" and item.theme == "use_cases"


def test_the_shortcut_on_a_message_without_a_link_explains(harness, web):
    harness.sandbox.say("U0YUKI", "#community-digest", "おはようございます")
    harness.driver.shortcut("U0KENJI", "trend.add_from_message", "#community-digest")
    assert "リンクがありません" in harness.sandbox.render("ephemeral:U0KENJI")
    assert top_modal(harness.sandbox, "U0KENJI") is None


def test_the_shortcut_refuses_people_in_no_organization_and_bad_links_inline(harness, web):
    harness.sandbox.say("U0YUKI", "#community-digest", "<https://x.example.org/a>")
    harness.driver.shortcut("U0GUEST", "trend.add_from_message", "#community-digest")
    assert "/kiban member add" in harness.sandbox.render("ephemeral:U0GUEST")
    assert top_modal(harness.sandbox, "U0GUEST") is None
    harness.driver.shortcut("U0ALICE", "trend.add_from_message", "#community-digest")
    harness.driver.fill("U0ALICE", {"Link": "not a link"})
    assert "not a web link" in harness.driver.modal_errors("U0ALICE")["Link"]
    assert items(harness) == []
    harness.driver.fill("U0ALICE", {"Link": "https://x.example.org/a"})
    assert "Added to the trend report for 2026-04" in harness.sandbox.render("modal:U0ALICE")
    assert len(items(harness)) == 1


def test_no_shortcut_on_ephemeral_messages(harness):
    from bot.sandbox import DriverError

    with pytest.raises(DriverError):
        harness.driver.shortcut("U0KENJI", "trend.add_from_message", "ephemeral")
    with pytest.raises(DriverError):
        harness.driver.shortcut("U0KENJI", "trend.add_from_message", "#community-digest")
    harness.expected_failures += [f for f in harness.sandbox.failures if "driver:" in f]


# --- feeds ------------------------------------------------------------------------------------------


def feeds_deps(h, **settings):
    return dataclasses.replace(h.deps, settings=h.settings.model_copy(update=settings))


def test_a_failing_feed_is_reported_once_and_reset_after_it_works(harness, web, tmp_path):
    feed = tmp_path / "feed.rss"  # not there yet: the feed fails
    deps = feeds_deps(harness, trend_feeds=[str(feed), "https://down.example.org/rss"])
    web.pages["https://down.example.org/rss"] = (500, b"oops", "text/plain")
    day1 = datetime(2026, 4, 20, 0, 0, tzinfo=UTC)
    assert run_trend_feeds(deps=deps, now=day1) == 0
    assert len(web.requests) == 3  # 5xx retried, three tries in all
    assert run_trend_feeds(deps=deps, now=datetime(2026, 4, 21, tzinfo=UTC)) == 0
    ops = harness.sandbox.render("#secretariat")
    assert ops.count("読み込めませんでした") == 2  # one per feed, across two runs
    assert "HTTP 500" in ops and "feed.rss" in ops
    with harness.session_factory() as session:
        state = session.exec(select(FeedState).where(FeedState.feed == str(feed))).one()
    assert state.failure_reported and state.failing_since == day1
    feed.write_bytes((FIXTURES / "news.rss").read_bytes())
    assert run_trend_feeds(deps=deps, now=datetime(2026, 4, 22, tzinfo=UTC)) == 2
    ops = harness.sandbox.render("#secretariat")
    assert ops.count("復旧しました") == 1 and ops.count("読み込めませんでした") == 2
    with harness.session_factory() as session:
        state = session.exec(select(FeedState).where(FeedState.feed == str(feed))).one()
    assert (state.failure_reported, state.failing_since, state.last_error) == (False, None, "")
    assert state.last_fetched_at == datetime(2026, 4, 22, tzinfo=UTC)
    # failing again later is reported again
    feed.unlink()
    run_trend_feeds(deps=deps, now=datetime(2026, 4, 23, tzinfo=UTC))
    assert harness.sandbox.render("#secretariat").count("読み込めませんでした") == 3


class FakeLLM:
    def __init__(self):
        self.calls = []

    def complete_json(self, *, system, user):
        self.calls.append(user)
        ids = [item["id"] for item in user["items"]]
        return {
            "themes": {str(i): "use_cases" for i in ids},
            "summaries": {str(i): {"ja": "要約", "en": "Summary"} for i in ids},
        }


def test_arxiv_and_hugging_face_sources_with_the_llm(harness, web):
    web.pages["https://export.arxiv.org/api/query"] = (
        200,
        (FIXTURES / "arxiv.atom").read_bytes(),
        "application/atom+xml",
    )
    web.pages["https://huggingface.co/api/models"] = (
        200,
        (FIXTURES / "hf_models.json").read_bytes(),
        "application/json",
    )
    llm = FakeLLM()
    deps = dataclasses.replace(
        feeds_deps(harness, trend_arxiv_query="cat:cs.CL", trend_hf_models=True), llm=llm
    )
    assert run_trend_feeds(deps=deps, now=datetime(2026, 4, 20, tzinfo=UTC)) == 4
    urls = [u for u, _ in web.requests]
    assert "sortBy=submittedDate" in urls[0] and "max_results=20" in urls[0]
    assert urls[1] == "https://huggingface.co/api/models?sort=downloads&direction=-1&limit=20"
    found = items(harness)
    assert [i.url for i in found] == [
        "https://arxiv.org/abs/2604.00001v1",
        "https://arxiv.org/abs/2604.00002v2",
        "https://huggingface.co/example-lab/tiny-llm-7b",
        "https://huggingface.co/another/ja-embed",
    ]
    assert [i.month for i in found] == ["2026-04", "2026-04", "2026-04", "2026-03"]
    assert {i.feed for i in found} == {"arxiv:cat:cs.CL", "huggingface:models"}
    assert len(llm.calls) == 1 and {(i.theme, i.theme_by) for i in found} == {("use_cases", "llm")}
    assert found[0].summary == {"ja": "要約", "en": "Summary"}
    assert harness.sandbox.render("#secretariat") == ""


# --- the scenario step ------------------------------------------------------------------------------

SCENARIO = """name: Trend shortcut
start: 2026-04-06T10:00:00+09:00
workspace:
  users:
    - {id: U0SATO, name: sato, tz: Asia/Tokyo, locale: ja-JP}
    - {id: U0KENJI, name: kenji, tz: Asia/Tokyo, locale: ja-JP}
  channels:
    - {id: C0DIGEST, name: community-digest}
    - {id: C0OPS, name: secretariat, private: true}
settings: {operator_channel: C0OPS, digest_channel: C0DIGEST}
setup: SETUP
steps:
  - {user: U0SATO, command: "/event create"}
  - {user: U0SATO, fill: {"タイトル": "LLM 勉強会", "目的と期待される成果": "共有", "開始日": "2026-04-16", "開始時刻": "09:00", "終了時刻": "10:00", "場所またはリンク": "https://meet.example.org/study", "告知するチャンネル": "#community-digest"}, submit: true}
  - {user: U0KENJI, shortcut: "trend.add_from_message", in: "#community-digest", message: "LLM 勉強会"}
  - expect: {in: "modal:U0KENJI", contains: "動向調査に追加"}
  - {user: U0KENJI, fill: {"メモ": "勉強会の資料"}, submit: true}
  - expect: {in: "modal:U0KENJI", contains: "追加しました"}
"""


def test_the_scenario_shortcut_step(tmp_path, web):
    step = ShortcutStep.model_validate(
        {"user": "U0KENJI", "shortcut": "trend.add_from_message", "in": "#c", "message": "x"}
    )
    assert (step.in_, step.message) == ("#c", "x")
    path = tmp_path / "trend.yaml"
    path.write_text(SCENARIO.replace("SETUP", str(ALL_FIXTURES / "setup.yaml")), encoding="utf-8")
    assert isinstance(load_scenario(path).typed_steps()[2], ShortcutStep)
    report = run_scenario(path, out_dir=tmp_path / "out", echo=lambda line: None)
    assert report.ok, (report.failed, report.sandbox_failures)
    transcript = (tmp_path / "out" / "transcript.md").read_text(encoding="utf-8")
    assert "uses the shortcut trend.add_from_message" in transcript
    assert Path(tmp_path / "out" / "journal.jsonl").exists()
