"""Block Kit of the best-practice library (issue #9): modals Slack accepts (prefills within
limits, anonymous preselected), reading and checking submissions, links, escaping of typed
text, Slack's limits on long entries and long lists, and anonymity on every builder."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.blocks import practices as blocks
from bot.blocks.compute import FormErrors
from bot.blocks.practices import AddForm, PracticeEntry, ReviewMeta
from bot.errors import UserError

TZ = ZoneInfo("Asia/Tokyo")
ORG_NAMES = ("Alpha AI", "みらい言語研究所")
WHEN = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)


def entry(**changes) -> PracticeEntry:
    base = PracticeEntry(
        id=7,
        title="Red <!channel> *teaming*",
        body="Run it & log it <@U0BOSS>",
        area="safety_evaluation",
        source_url="https://x.example.org/a?b=1&c=2",
        org_name=None,
        status="pending",
        revision=1,
    )
    return dataclasses.replace(base, **changes)


def texts(message) -> str:
    return json.dumps(message.blocks if hasattr(message, "blocks") else message, ensure_ascii=False)


def view_json(view) -> str:
    return json.dumps(view.to_dict(), ensure_ascii=False)


def submitted(values: dict) -> dict:
    """A submitted view's state: {block id: value} (a str for text, ("select", v) for a
    select)."""
    state = {}
    for block_id, value in values.items():
        if isinstance(value, tuple):
            state[block_id] = {"value": {"selected_option": {"value": value[1]}}}
        else:
            state[block_id] = {"value": {"value": value}}
    return {"state": {"values": state}}


GOOD = {"title": "Ledger", "body": "Track sources", "area": ("s", "data_governance")}


# --- modals -----------------------------------------------------------------------------------------


def test_the_add_modal_preselects_anonymous_and_keeps_prefills_within_limits():
    form = AddForm(
        orgs=[(3, "みらい言語研究所")],
        body="x" * 5000,
        source="https://x.example.org/a",
        origin="shortcut",
        channel="C1",
    )
    view = blocks.build_add_modal(form, "en").to_dict()
    by_id = {b.get("block_id"): b for b in view["blocks"]}
    assert len(by_id["body"]["element"]["initial_value"]) == blocks.BODY_MAX
    assert by_id["source"]["element"]["initial_value"] == "https://x.example.org/a"
    org = by_id["org"]["element"]
    assert org["initial_option"]["value"] == "anonymous"
    assert [o["value"] for o in org["options"]] == ["anonymous", "3"]
    assert [o["text"]["text"] for o in by_id["area"]["element"]["options"]] == [
        "Data governance",
        "Safety evaluation",
        "Security",
        "Licensing and copyright",
        "Privacy",
        "Compute operations",
        "Other",
    ]
    assert json.loads(view["private_metadata"]) == {"lang": "en", "origin": "shortcut"}
    assert blocks.add_meta({"private_metadata": "garbage"}).lang == "ja"


def test_links_are_checked_like_trend_links_and_kept_as_given():
    assert blocks.check_link("") is None
    assert blocks.check_link("<http://X.example.org/a/?utm_source=s&id=3|x>") == (
        "http://X.example.org/a/?id=3"
    )
    with pytest.raises(UserError, match="not a web link"):
        blocks.check_link("ftp://example.org/x")
    with pytest.raises(UserError, match="user name or password"):
        blocks.check_link("https://me:secret@example.org/x")
    with pytest.raises(UserError, match="longer than"):
        blocks.check_link("https://example.org/" + "a" * 2100)


def test_reading_a_submission():
    data = blocks.parse_add_submission(submitted({**GOOD, "org": ("s", "anonymous"), "source": ""}))
    assert (data.title, data.area, data.org_id, data.source_url) == (
        "Ledger",
        "data_governance",
        None,
        None,
    )
    assert blocks.parse_add_submission(submitted({**GOOD, "org": ("s", "12")})).org_id == 12
    with pytest.raises(FormErrors) as wrong:
        blocks.parse_add_submission(
            submitted(
                {
                    "title": "x" * 201,
                    "body": "bad\x00",
                    "area": ("s", "astrology"),
                    "source": "javascript:alert(1)",
                    "org": ("s", "ORGB"),
                }
            )
        )
    errors = wrong.value.for_slack("en")
    assert set(errors) == {"title", "body", "area", "source", "org"}
    assert "200 characters" in errors["title"] and "U+0000" in errors["body"]
    with pytest.raises(FormErrors) as empty:
        blocks.parse_edit_submission(submitted({"title": " ", "body": "", "area": ("s", "other")}))
    assert set(empty.value.errors) == {"title", "body"}
    with pytest.raises(FormErrors):
        blocks.parse_reject_submission(submitted({"reason": "r" * 1001}))
    assert blocks.parse_reject_submission(submitted({"reason": " why "})) == "why"


def test_review_modals_carry_the_revision_and_the_post():
    meta = ReviewMeta(practice_id=7, revision=3, channel="C0OPS", ts="1.2")
    for build in (blocks.build_edit_modal, blocks.build_reject_modal):
        view = build(entry(), meta, "ja").to_dict()
        assert blocks.review_meta(view) == meta.model_copy(update={"lang": "ja"})
    assert blocks.review_meta({"private_metadata": "{}"}) is None


# --- escaping and limits ------------------------------------------------------------------------------


def test_typed_text_is_escaped_everywhere():
    shown = entry(status="approved", reviewed_by="U0SATO", reviewed_at=WHEN)
    for message in (
        blocks.build_queue_post(entry(), TZ, "en"),
        blocks.build_queue_post(shown, TZ, "en"),
        blocks.build_search_results([shown], 1, "red", "en"),
        blocks.build_list([shown], None, "en"),
        blocks.build_digest([shown], "2026 Q2", "en"),
        blocks.build_receipt(entry(), "en"),
        blocks.build_decision_dm(shown, "en"),
    ):
        dumped = texts(message)
        assert "<!channel>" not in dumped and "<@U0BOSS>" not in dumped, message
    line = blocks.practice_lines([shown], "en")
    assert line == (
        "• *Red &lt;!channel&gt; *teaming** (Safety evaluation · Anonymous) "
        "<https://x.example.org/a?b=1&amp;c=2|source>"
    )


def test_long_entries_and_lists_stay_within_slacks_limits():
    long = entry(
        title="T" * 200, body="word " * 2000, source_url="https://x.example.org/" + "p" * 1900
    )
    post = blocks.build_queue_post(long, TZ, "ja")
    assert all(len(b["text"]["text"]) <= 3000 for b in post.blocks if b["type"] == "section")
    assert "word " * 500 in "".join(
        b["text"]["text"] + " " for b in post.blocks if b["type"] == "section"
    )
    many = [
        entry(id=n, title=f"Entry {n:03d}", area=("security", "privacy")[n % 2])
        for n in range(3000)
    ]
    for message in (blocks.build_list(many, None, "en"), blocks.build_digest(many, "Q", "en")):
        assert len(message.blocks) <= 50
        assert all(len(b["text"]["text"]) <= 3000 for b in message.blocks if b["type"] == "section")
        listed = texts(message).count("Entry ")
        more = int(texts(message).split("…and ")[1].split(" more")[0])
        assert listed + more == 3000
    queue = blocks.build_queue_list([long] * 10, 25, "en")
    assert len(queue.blocks) <= 50 and "15 more" in texts(queue)


# --- anonymity ------------------------------------------------------------------------------------------


def test_an_anonymous_entry_shows_no_organization_on_any_builder():
    assert {f.name for f in dataclasses.fields(PracticeEntry)}.isdisjoint(
        {"submitted_by", "submitter"}
    )
    anon = entry()
    decided = entry(status="rejected", reviewed_by="U0SATO", reviewed_at=WHEN, reject_reason="dup")
    attributed = entry(id=8, title="Other", org_name="Alpha AI")
    meta = ReviewMeta(practice_id=7, revision=1)
    for lang in ("ja", "en"):
        surfaces = {
            "queue post": texts(blocks.build_queue_post(anon, TZ, lang)),
            "decided post": texts(blocks.build_queue_post(decided, TZ, lang)),
            "queue list": texts(blocks.build_queue_list([anon], 1, lang)),
            "edit modal": view_json(blocks.build_edit_modal(anon, meta, lang)),
            "reject modal": view_json(blocks.build_reject_modal(anon, meta, lang)),
            "receipt": texts(blocks.build_receipt(anon, lang)),
            "decision": texts(blocks.build_decision_dm(decided, lang)),
            "search": texts(blocks.build_search_results([anon], 1, "x", lang)),
            "list": texts(blocks.build_list([anon], None, lang)),
            "digest": texts(blocks.build_digest([anon], "Q", lang)),
            "lines": blocks.practice_lines([anon], lang),
        }
        for name, shown in surfaces.items():
            assert not any(org in shown for org in ORG_NAMES), (lang, name)
        for name in ("queue post", "queue list", "edit modal", "search", "list", "digest", "lines"):
            assert blocks.org_label(None, lang) in surfaces[name], (lang, name)
        # the attributed one shows its organization, next to the anonymous one
        assert "Alpha AI" in blocks.practice_lines([anon, attributed], lang)
