"""The weekly digest's Block Kit, pure: Slack's limits (50 blocks a message, 3000 characters a
section with the "…" counted, 150 a header), splitting into a first message and its thread's
continuation at section boundaries whatever the language, inert links, both languages."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.blocks import digests as blocks
from bot.blocks.common import ELLIPSIS, SECTION_TEXT_MAX, section
from bot.blocks.events import EventView
from bot.sandbox.blockkit import validate_blocks

JST = ZoneInfo("Asia/Tokyo")


def _texts(message) -> list[str]:
    out = []
    for block in message.blocks:
        if block["type"] in ("section", "header"):
            out.append(block["text"]["text"])
        elif block["type"] == "context":
            out += [e["text"] for e in block["elements"]]
    return out


def _figures(*names: str) -> blocks.CommunityDigest:
    return blocks.CommunityDigest(
        as_of="2026-04-06",
        compute=blocks.ComputeFigures(
            month="2026-04",
            as_of="2026-04-06",
            lines=[blocks.DigestLine(org_name=n, used=300, planned=1200) for n in names],
            last_month="2026-03",
            missing=[],
        ),
        activity=blocks.Activity(),
    )


def _trends(count: int) -> list[blocks.TrendLine]:
    themes = blocks.TREND_THEMES
    return [
        blocks.TrendLine(f"Item {n}", f"https://news.example/{n}", themes[n % len(themes)])
        for n in range(count)
    ]


# --- Slack's limits ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_line_over_3000_characters_is_cut_at_3000_with_the_ellipsis_inside(lang):
    [message] = blocks.build_community_digest(_figures("長" * 4000, "Short AI"), lang)
    texts = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    [long] = [text for text in texts if "長長長" in text]
    assert len(long) == SECTION_TEXT_MAX and long.endswith(ELLIPSIS)
    assert any("*Short AI*" in text for text in texts)  # the next organization is still shown
    assert validate_blocks(message.blocks) == []


def test_a_cut_never_leaves_a_combining_mark_without_its_base_nor_halves_an_entity():
    name = "x" + "e\u0301" * 2000  # é as e + combining acute; the 3000th is a mark
    [message] = blocks.build_community_digest(_figures(name), "en")
    [long] = [t for t in _texts(message) if "e\u0301e\u0301" in t]
    assert len(long) <= SECTION_TEXT_MAX and long.endswith(ELLIPSIS)
    kept = long[2:-1]  # after the "*x" opening the name, before the "…"
    assert kept == "e\u0301" * (len(kept) // 2)  # whole é only: no mark cut from its base
    assert unicodedata.normalize("NFC", kept) == "é" * (len(kept) // 2)
    assert len(long) == SECTION_TEXT_MAX - 1  # backed off by one rather than split é
    for cut in blocks.line_sections(["*" + "&amp;" * 700 + "*"]):
        text = cut.to_dict()["text"]["text"]
        assert len(text) <= SECTION_TEXT_MAX and text.endswith("&amp;" + ELLIPSIS)


def test_line_sections_pack_at_most_20_lines_and_3000_characters():
    short = blocks.line_sections([f"line {n}" for n in range(45)])
    assert [len(b.to_dict()["text"]["text"].split("\n")) for b in short] == [20, 20, 5]
    wide = blocks.line_sections(["x" * 1400] * 5)
    assert [len(b.to_dict()["text"]["text"]) for b in wide] == [2801, 2801, 1400]


def test_the_header_stays_within_150_characters():
    [message] = blocks.build_community_digest(_figures("Alpha AI"), "en")
    assert message.blocks[0]["type"] == "header"
    assert message.blocks[0]["text"]["text"] == "Weekly digest (2026-04-06)"
    [long] = blocks.compose("x" * 400, [[section("body")]], "en")
    assert len(long.blocks[0]["text"]["text"]) == 150
    assert len(long.text) <= 3000  # the fallback text: the title only


# --- splitting into a thread -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_sixty_trend_items_make_a_first_message_and_one_continuation(lang):
    data = _figures("Alpha AI")
    data = blocks.CommunityDigest(
        as_of=data.as_of, compute=data.compute, activity=blocks.Activity(trends=_trends(60))
    )
    first, second = blocks.build_community_digest(data, lang)
    assert len(first.blocks) == 50 and len(second.blocks) <= 50
    assert validate_blocks(first.blocks) == [] and validate_blocks(second.blocks) == []
    label = second.blocks[0]["elements"][0]["text"]
    if lang == "en":
        assert label == "Weekly digest (2026-04-06): continued (2/2)" == second.text
    else:
        assert label == "週次ダイジェスト（2026-04-06）: 続き（2/2）" == second.text
    # every item once, in theme order, across the two messages
    shown = [t for m in (first, second) for t in _texts(m) if t.startswith("<https://")]
    assert len(shown) == 60 and len(set(shown)) == 60
    assert first.text == (
        "Weekly digest (2026-04-06)" if lang == "en" else "週次ダイジェスト（2026-04-06）"
    )


def test_the_split_is_the_same_in_both_languages():
    data = blocks.CommunityDigest(
        as_of="2026-04-06",
        compute=_figures(*[f"Org {n}" for n in range(50)]).compute,
        activity=blocks.Activity(trends=_trends(120)),
    )
    en, ja = (blocks.build_community_digest(data, lang) for lang in ("en", "ja"))
    assert [len(m.blocks) for m in en] == [len(m.blocks) for m in ja]
    assert len(en) == 3  # 100 trend items shown, then how many more
    assert "20 more item(s) collected this week." in _texts(en[-1])[-1]


def test_a_section_that_fits_in_a_message_is_not_cut_across_two():
    small = [section(f"a{n}") for n in range(30)]
    other = [section(f"b{n}") for n in range(30)]
    first, second = blocks.compose("Title", [small, other], "en")
    assert [b["text"]["text"] for b in first.blocks[1:]] == [f"a{n}" for n in range(30)]
    assert [b["text"]["text"] for b in second.blocks[1:]] == [f"b{n}" for n in range(30)]
    huge = [section(f"c{n}") for n in range(120)]  # longer than any message: flows on
    parts = blocks.compose("Title", [huge], "en")
    assert [len(m.blocks) for m in parts] == [50, 50, 23]  # header + 49, then label + 49
    assert all(validate_blocks(m.blocks) == [] for m in parts)


def test_dividers_separate_sections_but_never_open_or_close_a_message():
    parts = blocks.compose("T", [[section(f"s{n}-{i}") for i in range(7)] for n in range(20)], "en")
    for message in parts:
        assert message.blocks[-1]["type"] != "divider"
        assert message.blocks[1]["type"] != "divider"
        assert len(message.blocks) <= 50
    body = [b for m in parts for b in m.blocks if b["type"] == "section"]
    assert len(body) == 140


def test_the_operators_figures_without_charts_continue_in_the_thread_instead_of_being_cut():
    orgs = [
        blocks.OrgFigures(
            code=f"O{n:02d}",
            name=f"Org {n:02d}",
            allocations=[blocks.AllocationFigures("ABCI (H100)", 100.0, 90.0, 1200.0, "on_track")],
        )
        for n in range(60)
    ]
    figures = dict(through="2026-03", as_of="2026-04-06", orgs=orgs, charts_missing=[])
    parts = blocks.build_operator_digest_posts(**figures, lang="en")
    assert len(parts) == 2 and all(validate_blocks(m.blocks) == [] for m in parts)
    shown = "\n".join(t for m in parts for t in _texts(m))
    assert all(f"*Org {n:02d}* (O{n:02d})" in shown for n in range(60))
    assert parts[0].text == "Weekly compute digest for the secretariat"  # short fallback
    # as the charts' comment, the text carries every organization
    comment = blocks.build_operator_digest(**figures, lang="ja").text
    assert all(f"*Org {n:02d}*（O{n:02d}）" in comment for n in range(60))


# --- content -----------------------------------------------------------------------------------


def test_trend_links_stay_inert_and_well_formed():
    line = blocks.TrendLine(
        "<!channel> & <https://evil.example|click>", "https://x.example/a b|c>d?q=1&r=2", "other"
    )
    link = blocks.trend_link(line)
    assert link == (
        "<https://x.example/a%20b%7Cc%3Ed?q=1&amp;r=2|&lt;!channel&gt; &amp; "
        "&lt;https://evil.example|click&gt;>"
    )
    assert blocks.trend_link(blocks.TrendLine("Run", "javascript:alert(1)", "other")) == "Run"
    assert blocks.trend_link(blocks.TrendLine("", "https://y.example", "other")) == (
        "<https://y.example|https://y.example>"
    )
    long = blocks.trend_link(blocks.TrendLine("長" * 500, "https://z.example", "other"))
    assert long.endswith(ELLIPSIS + ">") and len(long) < 260  # the label is cut, not the link


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_community_sees_no_operator_matter_even_when_it_is_in_the_data(lang):
    view = EventView(
        id=1,
        title="Closed meeting",
        purpose="",
        starts_at=datetime(2026, 4, 9, 1, tzinfo=UTC),
        ends_at=datetime(2026, 4, 9, 2, tzinfo=UTC),
        location="https://zoom.example/secret",
        capacity=None,
        counts={"going": 1},
    )
    activity = blocks.Activity(
        upcoming=[blocks.DigestEvent(view=view, zone=JST, invited=("Alpha AI",))],
        past=[blocks.PastEvent("Hackathon", "2026-04-03", 2, 1, surveys=2, mean_rating=4.5)],
        alerts=[blocks.OpenAlert("Alpha AI", None, "overuse", 2, "2026-04-04")],
        reviews=[blocks.RoundProgress("Round", "selection", "scoring", 1, 2, datetime.now(tz=UTC))],
    )
    community = blocks.activity_sections(activity, lang, operator=False)
    text = "\n".join(
        b.to_dict()["text"]["text"] for s in community for b in s if b.type == "section"
    )
    assert "Closed meeting" in text and "Hackathon" in text
    for hidden in ("Alpha AI", "4.5", "Round", "zoom.example"):
        assert hidden not in text
    operators = blocks.activity_sections(activity, lang, operator=True)
    text = "\n".join(
        b.to_dict()["text"]["text"] for s in operators for b in s if b.type == "section"
    )
    for shown in ("Alpha AI", "4.5", "Round"):
        assert shown in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_section_is_left_out_when_empty_and_a_quiet_week_says_so(lang):
    empty = blocks.CommunityDigest(
        as_of="2026-04-06",
        compute=blocks.ComputeStatus(month="2026-03", as_of="2026-04-06", statuses=[]),
        activity=blocks.Activity(),
    )
    [message] = blocks.build_community_digest(empty, lang)
    assert [b["type"] for b in message.blocks] == ["header", "section"]
    quiet = "A quiet week" if lang == "en" else "静かな一週間でした"
    assert quiet in message.blocks[1]["text"]["text"]
    assert blocks.build_operator_activity(blocks.Activity(), "2026-04-06", lang) == []
