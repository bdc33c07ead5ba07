"""Collecting trend items (issue #8): who may add, normalised duplicates merged (notes
appended, first title kept), the month in the programme's zone, themes by keyword rules in
English and Japanese and by the LLM (one call per batch, never over an operator's choice),
operators changing a theme, `/trend list`, and feed entries stored (RSS, Atom, the Hugging
Face JSON) with old entries skipped."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.clients.fetch import feed_entries
from bot.errors import UserError
from bot.services import trend_feeds, trends
from bot.services.admin import import_setup
from bot.services.members import Actor, resolve_actor
from bot.settings import Settings
from storage.members import Role
from storage.trends import TrendItem, TrendTheme
from tests.conftest import SETUP_YAML

FIXTURES = Path(__file__).parent.parent / "fixtures" / "trends"
NOW = datetime(2026, 4, 10, 3, 0, tzinfo=UTC)  # 12:00 JST
SETTINGS = Settings(_env_file=None, operator_channel="C0OPS")


@pytest.fixture
def factory(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
    return session_factory


def actor(session, user: str, lang: str = "ja") -> Actor:
    return resolve_actor(session, user, lang)


def add(factory, user, url, note="", now=NOW, title=None, source="command"):
    with factory.begin() as session:
        item, merged = trends.add_item(
            session,
            actor=actor(session, user),
            url=url,
            note=note,
            source=source,
            now=now,
            settings=SETTINGS,
            title=title,
        )
        return item.id, merged


def items(factory) -> list[TrendItem]:
    with factory() as session:
        return list(session.exec(select(TrendItem).order_by(TrendItem.id)))


# --- adding ---------------------------------------------------------------------------------------


def test_a_member_adds_a_link_normalised_with_the_month_in_tokyo(factory):
    # 30 April 15:30 UTC is 1 May 00:30 in Tokyo: the May report
    late = datetime(2026, 4, 30, 15, 30, tzinfo=UTC)
    item_id, merged = add(
        factory, "U0KENJI", "<http://News.Example.org/a/?utm_source=x|news>", "注目", now=late
    )
    assert merged is False
    [item] = items(factory)
    assert item.id == item_id
    assert item.url == "https://news.example.org/a"
    assert item.original_url == "http://News.Example.org/a/?utm_source=x"
    assert (item.month, item.source, item.added_by) == ("2026-05", "command", "U0KENJI")
    assert item.note == "[U0KENJI] 注目" and item.title == ""


def test_a_duplicate_merges_notes_and_keeps_the_first_title(factory):
    first, _ = add(factory, "U0KENJI", "https://x.example.org/story", "first", title="First title")
    again, merged = add(
        factory,
        "U0ALICE",
        "http://X.example.org/story/?fbclid=1#top",
        "an <@U0SATO> note",
        title="Another title",
    )
    assert (again, merged) == (first, True)
    [item] = items(factory)
    assert item.title == "First title"
    assert item.note.splitlines() == ["[U0KENJI] first", "[U0ALICE] an <@U0SATO> note"]
    # the adder repeating the command adds nothing; a third person with no note is recorded
    add(factory, "U0KENJI", "https://x.example.org/story")
    add(factory, "U0KENJI", "https://x.example.org/story", "first")
    add(factory, "U0YUKI", "https://x.example.org/story")
    add(factory, "U0YUKI", "https://x.example.org/story")
    assert items(factory)[0].note.splitlines() == [
        "[U0KENJI] first",
        "[U0ALICE] an <@U0SATO> note",
        "[U0YUKI]",
    ]
    assert len(items(factory)) == 1


def test_operators_add_too_and_people_in_no_organization_are_refused(factory):
    add(factory, "U0SATO", "https://ops.example.org/a")
    with pytest.raises(UserError) as refused:
        add(factory, "U0GUEST", "https://ops.example.org/b")
    assert "/kiban member add" in refused.value.en
    with factory() as session:
        member = actor(session, "U0KENJI")
    reviewer = Actor(
        user_id="U0REV",
        lang="en",
        orgs=member.orgs,
        roles={org.id: Role.REVIEWER.value for org in member.orgs},
    )
    with pytest.raises(UserError, match="reviewer"):
        trends.require_collector(reviewer)
    assert len(items(factory)) == 1


def test_bad_links_and_notes_are_refused_and_nothing_is_stored(factory):
    with pytest.raises(UserError, match="not a web link"):
        add(factory, "U0KENJI", "ftp://x.example.org/file")
    with pytest.raises(UserError) as long_note:
        add(factory, "U0KENJI", "https://x.example.org/a", "x" * 1001)
    assert "1000" in long_note.value.ja
    with pytest.raises(UserError):
        add(factory, "U0KENJI", "https://x.example.org/a", "bad \u202e text")
    assert items(factory) == []


def test_set_title_keeps_the_first_and_reruns_the_rules(factory):
    item_id, _ = add(factory, "U0KENJI", "https://x.example.org/a")
    assert items(factory)[0].theme == TrendTheme.OTHER
    with factory.begin() as session:
        assert trends.set_title(session, item_id=item_id, title="GPT-5 sets a new benchmark")
    with factory.begin() as session:
        assert not trends.set_title(session, item_id=item_id, title="Later title")
    [item] = items(factory)
    assert (item.title, item.theme) == ("GPT-5 sets a new benchmark", "international")


def test_a_failed_fetch_leaves_the_url_as_title_and_a_later_one_may_replace_it(factory):
    item_id, _ = add(factory, "U0KENJI", "http://x.example.org/a?utm_source=y")
    with factory.begin() as session:
        trends.set_title(session, item_id=item_id, title=None)
    assert items(factory)[0].title == "http://x.example.org/a?utm_source=y"
    with factory.begin() as session:
        assert trends.set_title(session, item_id=item_id, title="Real title")
    assert items(factory)[0].title == "Real title"


# --- themes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "note", "url", "theme"),
    [
        ("OpenAI releases GPT-5 with 2T parameters", "", "", "international"),
        ("Qwen2.5 tops the leaderboard", "", "", "international"),
        ("海外の基盤モデル、パラメータ数を公開", "", "", "international"),
        ("", "", "https://arxiv.org/abs/2604.00001", "international"),
        ("Hospitals deploy LLMs: a healthcare use case", "", "", "use_cases"),
        ("自治体での生成AI活用事例", "", "", "use_cases"),
        ("New dataset for Japanese legal text", "", "", "use_cases"),
        ("AI could raise productivity and GDP", "", "", "economic"),
        ("生成AIで生産性が向上、雇用への影響は", "", "", "economic"),
        ("Generative AI and the jobs market", "", "", "economic"),
        ("A company picnic", "楽しかった", "https://x.example.org/picnic", "other"),
        ("Metadata standards", "", "", "other"),  # "meta" only as a word
        ("", "OpenAI の調査: 生産性が 40% 向上、経済効果は大きい", "", "economic"),
    ],
)
def test_classify_by_keywords(title, note, url, theme):
    assert trends.classify(title, note, url) == TrendTheme(theme)


class FakeLLM:
    def __init__(self, reply):
        self.reply = reply
        self.calls = []

    def complete_json(self, *, system, user):
        self.calls.append(user)
        return self.reply(user) if callable(self.reply) else self.reply


def test_the_llm_classifies_a_batch_in_one_call_and_never_overrides_an_operator(factory):
    ids = [add(factory, "U0KENJI", f"https://x.example.org/{n}")[0] for n in range(3)]
    with factory.begin() as session:
        trends.set_theme(
            session,
            actor=actor(session, "U0SATO"),
            item_id=ids[2],
            theme="economic",
            now=NOW,
        )
    llm = FakeLLM(
        lambda user: {
            "themes": {
                str(ids[0]): "use_cases",
                str(ids[1]): "not-a-theme",
                str(ids[2]): "international",
                "999": "economic",
            },
            "summaries": {
                str(ids[0]): {"ja": "要約", "en": "A summary"},
                str(ids[1]): "not an object",
            },
        }
    )
    changed = trends.refine_with_llm(factory, llm, ids)
    assert changed == 2 and len(llm.calls) == 1
    assert [i["id"] for i in llm.calls[0]["items"]] == ids
    first, second, third = items(factory)
    assert (first.theme, first.theme_by, first.summary) == (
        "use_cases",
        "llm",
        {"ja": "要約", "en": "A summary"},
    )
    assert (second.theme, second.theme_by) == ("other", "rules")
    assert (third.theme, third.theme_by) == ("economic", "operator")


def test_no_llm_or_a_failing_one_changes_nothing(factory):
    item_id, _ = add(factory, "U0KENJI", "https://x.example.org/a")
    assert trends.refine_with_llm(factory, None, [item_id]) == 0
    assert trends.refine_with_llm(factory, FakeLLM(None), [item_id]) == 0
    assert items(factory)[0].theme_by == "rules"


def test_large_batches_are_split(factory):
    class Item:
        def __init__(self, n):
            self.id, self.title, self.note, self.url = n, "t", "", f"https://x.example.org/{n}"

    llm = FakeLLM({"themes": {}})
    trends.classify_with_llm(llm, [Item(n) for n in range(1, 71)])
    assert [len(call["items"]) for call in llm.calls] == [30, 30, 10]


def test_only_operators_change_a_theme(factory):
    item_id, _ = add(factory, "U0KENJI", "https://x.example.org/a", title="x")
    with factory.begin() as session:
        with pytest.raises(UserError, match="operators"):
            trends.set_theme(
                session,
                actor=actor(session, "U0KENJI", "en"),
                item_id=item_id,
                theme="economic",
                now=NOW,
            )
        with pytest.raises(UserError):
            trends.set_theme(
                session, actor=actor(session, "U0SATO"), item_id=item_id, theme="x", now=NOW
            )
        with pytest.raises(UserError):
            trends.set_theme(
                session, actor=actor(session, "U0SATO"), item_id=999, theme="other", now=NOW
            )
        message = trends.set_theme(
            session, actor=actor(session, "U0SATO"), item_id=item_id, theme="economic", now=NOW
        )
    assert "経済・生産性への効果" in message.text
    assert (items(factory)[0].theme, items(factory)[0].theme_by) == ("economic", "operator")


# --- listing --------------------------------------------------------------------------------------


def test_operators_list_everything_with_menus_members_their_own(factory):
    add(factory, "U0KENJI", "https://x.example.org/a", "<!channel> look", title="A <b> title")
    add(factory, "U0ALICE", "https://x.example.org/b", title="B")
    add(factory, "U0YUKI", "https://x.example.org/b", "me too")
    add(factory, "U0ALICE", "https://x.example.org/c", now=datetime(2026, 3, 5, tzinfo=UTC))
    with factory() as session:
        ops = trends.list_items(
            session=session, actor=actor(session, "U0SATO"), settings=SETTINGS, now=NOW
        )
        kenji = trends.list_items(
            session=session, actor=actor(session, "U0KENJI"), settings=SETTINGS, now=NOW
        )
        yuki = trends.list_items(
            session=session, actor=actor(session, "U0YUKI", "en"), settings=SETTINGS, now=NOW
        )
        march = trends.list_items(
            session=session,
            actor=actor(session, "U0SATO"),
            settings=SETTINGS,
            now=NOW,
            month="2026年3月",
        )
    sections = [b for b in ops.blocks if b["type"] == "section"]
    assert len(sections) == 2 and "2026-04" in ops.text and "2 件" in ops.text
    assert all(b["accessory"]["type"] == "static_select" for b in sections)
    assert "&lt;!channel&gt; look" in sections[0]["text"]["text"]
    assert "A &lt;b&gt; title" in sections[0]["text"]["text"]
    assert "<@U0KENJI>" in sections[0]["text"]["text"]
    assert len([b for b in kenji.blocks if b["type"] == "section"]) == 1
    assert not any("accessory" in b for b in kenji.blocks)
    assert "Your trend items" in yuki.text and "<@U0YUKI> me too" in str(yuki.blocks)
    assert "2026-03" in march.text and "x.example.org/c" in str(march.blocks)
    with factory() as session:
        with pytest.raises(UserError):
            trends.list_items(
                session=session, actor=actor(session, "U0GUEST"), settings=SETTINGS, now=NOW
            )


# --- feeds ----------------------------------------------------------------------------------------


def test_rss_entries_are_stored_once_with_their_month_and_old_ones_skipped(factory):
    source = trend_feeds.Source(key="news", kind="feed", location="news")
    entries = feed_entries((FIXTURES / "news.rss").read_bytes())
    add(factory, "U0KENJI", "https://news.example.org/2026/04/productivity", "mine")
    with factory.begin() as session:
        stored = trend_feeds.store_entries(
            session, source=source, entries=entries, now=NOW, settings=SETTINGS
        )
    assert len(stored.added) == 1 and stored.notices == []
    mine, model = items(factory)
    assert mine.source == "command" and mine.note == "[U0KENJI] mine"
    assert model.url == "https://news.example.org/2026/04/open-model"
    assert (model.source, model.feed, model.added_by, model.month) == (
        "feed",
        "news",
        None,
        "2026-04",
    )
    assert model.theme == "international" and model.note == "A lab released weights of a 70B model."
    assert model.published_at == datetime(2026, 4, 15, 9, 0, tzinfo=UTC)
    with factory.begin() as session:  # the next run finds nothing new
        again = trend_feeds.store_entries(
            session, source=source, entries=entries, now=NOW, settings=SETTINGS
        )
    assert again.added == []


def test_an_entry_published_late_on_the_last_day_utc_belongs_to_the_next_month_in_tokyo(factory):
    source = trend_feeds.Source(key="news", kind="feed", location="news")
    entries = feed_entries((FIXTURES / "news.rss").read_bytes())
    may = datetime(2026, 5, 2, tzinfo=UTC)
    with factory.begin() as session:
        trend_feeds.store_entries(
            session, source=source, entries=entries, now=may, settings=SETTINGS
        )
    months = {item.url.rsplit("/", 1)[-1]: item.month for item in items(factory)}
    assert months == {"open-model": "2026-04", "productivity": "2026-05"}
    assert {i.theme for i in items(factory) if i.month == "2026-05"} == {"economic"}


def test_hugging_face_models_json():
    entries = trend_feeds.hf_entries((FIXTURES / "hf_models.json").read_bytes())
    assert [e.url for e in entries] == [
        "https://huggingface.co/example-lab/tiny-llm-7b",
        "https://huggingface.co/example-lab/old-bert",
        "https://huggingface.co/another/ja-embed",
    ]
    assert entries[0].published == datetime(2026, 4, 10, 8, 0, tzinfo=UTC)
    assert entries[0].summary == "text-generation · 123,456 downloads"
    assert entries[0].title == "example-lab/tiny-llm-7b"
    with pytest.raises(Exception, match="not a list"):
        trend_feeds.hf_entries(b'{"error": "rate limited"}')
    assert trend_feeds.hf_entries(b'[{"modelId": "../../etc"}, 5, {"id": "ok/model"}]')[0].url == (
        "https://huggingface.co/ok/model"
    )


def test_sources_from_settings():
    settings = Settings(
        _env_file=None,
        trend_feeds=["https://feeds.example.org/ai.rss", "tests/fixtures/trends/news.rss"],
        trend_arxiv_query='cat:cs.CL AND abs:"large language model"',
        trend_hf_models=True,
    )
    found = trend_feeds.sources(settings)
    assert [(s.kind, s.is_local) for s in found] == [
        ("feed", False),
        ("feed", True),
        ("arxiv", False),
        ("hf", False),
    ]
    arxiv = found[2].location
    assert arxiv.startswith("https://export.arxiv.org/api/query?search_query=cat%3Acs.CL")
    assert "sortBy=submittedDate" in arxiv and "max_results=20" in arxiv
    assert found[3].location == trend_feeds.HF_MODELS_URL
    assert trend_feeds.sources(Settings(_env_file=None)) == []


def test_a_long_list_stays_within_slack_limits():
    from bot.blocks import trends as blocks
    from bot.sandbox.blockkit import validate_blocks

    long_url = "https://x.example.org/" + "a" * 1990
    views = [
        blocks.ItemView(
            id=n,
            url=long_url if n % 2 else f"https://x.example.org/{n}",
            title="t" * 500,
            theme="economic",
            theme_by="rules",
            source="command",
            feed="",
            added_by="U0KENJI",
            note="[U0KENJI] " + "<&>" * 900,
            month="2026-04",
        )
        for n in range(1, 61)
    ]
    for operator in (True, False):
        message = blocks.build_list(
            views, month="2026-04", lang="ja", operator=operator, mine=False
        )
        assert len(message.blocks) <= 50
        assert validate_blocks(message.blocks) == []
        assert "ほか 20 件" in str(message.blocks)
