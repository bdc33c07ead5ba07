"""external_select / multi_external_select: the driver types, the bot's options handler answers
a signed `block_suggestion`, the offered option is picked (Slack's options load flow)."""

from __future__ import annotations

import pytest

from bot.sandbox import DriverError

ITEMS = [(f"Item {i:03d}", f"item-{i:03d}") for i in range(150)]


def option(text: str, value: str) -> dict:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def external(
    block_id: str, label: str, el_type: str = "external_select", optional=False, **extra
) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "optional": optional,
        "element": {"type": el_type, "action_id": block_id, **extra},
    }


def modal() -> dict:
    return {
        "type": "modal",
        "callback_id": "pick",
        "title": {"type": "plain_text", "text": "Pick"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            external("project", "Project"),
            external(
                "tags",
                "Tags",
                "multi_external_select",
                min_query_length=1,
                initial_options=[option(*ITEMS[0])],
            ),
            external("everything", "Everything", optional=True),
        ],
    }


def matching(query: str) -> list[dict]:
    q = query.lower()
    return [option(t, v) for t, v in ITEMS if q in t.lower() or q in v]


def register(app, seen: dict) -> None:
    @app.command("/pick")
    def pick(ack, body, client):
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=modal())

    @app.options("project")
    def project(ack, body):
        seen.setdefault("project", []).append(body)
        ack(options=matching(body["value"])[:100])

    @app.options("tags")
    def tags(ack, body):
        seen.setdefault("tags", []).append(body["value"])
        found = matching(body["value"])
        ack(
            option_groups=[
                {"label": {"type": "plain_text", "text": "Even"}, "options": found[::2][:50]},
                {"label": {"type": "plain_text", "text": "Odd"}, "options": found[1::2][:50]},
            ]
        )

    @app.options("everything")
    def everything(ack, body):
        if body["value"] == "long":
            ack(options=[option("x" * 76, "v" * 151)])
        else:
            ack(options=[option(t, v) for t, v in ITEMS])  # all 150, whatever was typed

    @app.view("pick")
    def submitted(ack, view):
        seen["state"] = view["state"]["values"]
        ack()


@pytest.fixture
def seen(sb, serve) -> dict:
    got: dict = {}
    serve(lambda app: register(app, got))
    sb.driver().command("U0ALICE", "/pick")
    return got


def test_fill_sends_block_suggestion_and_picks(sb, seen):
    d = sb.driver()
    view_id = sb.conversation("modal:U0ALICE")[-1].view["id"]
    d.fill("U0ALICE", {"Project": "Item 042", "Tags": ["Item 000", "Item 007", "item-009"]})

    body = seen["project"][0]
    assert body["type"] == "block_suggestion" and body["value"] == "Item 042"
    assert (body["action_id"], body["block_id"]) == ("project", "project")
    assert body["container"] == {"type": "view", "view_id": view_id}
    assert body["user"]["id"] == "U0ALICE" and body["team"]["id"] == "T0KIBAN"
    assert body["api_app_id"] == "A0KIBAN" and body["token"] and body["action_ts"]
    assert body["view"]["id"] == view_id and "project" in body["view"]["state"]["values"]
    # the initial option is picked without a request; each other value is typed on its own
    assert seen["tags"] == ["Item 007", "item-009"]
    kinds = [r.get("kind") for r in sb.journal.records if r["direction"] == "slack->bot"]
    assert kinds.count("block_suggestion") == 3

    state = seen["state"]
    assert state["project"]["project"] == {
        "type": "external_select",
        "selected_option": option("Item 042", "item-042"),
    }
    assert state["tags"]["tags"] == {
        "type": "multi_external_select",
        "selected_options": [
            option("Item 000", "item-000"),
            option("Item 007", "item-007"),
            option("Item 009", "item-009"),
        ],
    }
    assert state["everything"]["everything"] == {
        "type": "external_select",
        "selected_option": None,
    }
    assert sb.failures == []


def test_suggest_lists_offered_options(sb, seen):
    d = sb.driver()
    assert [o["value"] for o in d.suggest("U0ALICE", "Project", "Item 01")] == [
        f"item-01{i}" for i in range(10)
    ]
    assert len(d.suggest("U0ALICE", "Project", "Ite")) == 100
    assert [o["value"] for o in d.suggest("U0ALICE", "Tags", "4")][:2] == ["item-004", "item-024"]
    assert [b["value"] for b in seen["project"]] == ["Item 01", "Ite"]
    assert sb.failures == []


def test_short_query_and_no_match_are_driver_errors(sb, seen):
    d = sb.driver()
    with pytest.raises(DriverError, match="min_query_length 3"):
        d.fill("U0ALICE", {"Project": "It"}, submit=False)
    with pytest.raises(DriverError, match="min_query_length 3"):
        d.suggest("U0ALICE", "Project", "It")
    assert "project" not in seen  # nothing was sent
    with pytest.raises(DriverError, match="offered: 'Item 100', 'Item 101'"):
        d.fill("U0ALICE", {"Project": "Item 1"}, submit=False)
    with pytest.raises(DriverError, match="offered: nothing"):
        d.fill("U0ALICE", {"Project": "Nothing like it"}, submit=False)


def test_options_slack_would_reject_are_flagged(sb, seen):
    d = sb.driver()
    with pytest.raises(DriverError, match="refused"):
        d.fill("U0ALICE", {"Everything": "Item 001"}, submit=False)
    assert (
        "block_suggestion 'everything': must provide no more than 100 items [json-pointer:/options]"
    ) in sb.failures
    assert len(d.suggest("U0ALICE", "Everything", "any")) == 150  # listed, and flagged again
    with pytest.raises(DriverError):
        d.fill("U0ALICE", {"Everything": "long"}, submit=False)
    assert any(
        "must be less than 76 characters [json-pointer:/options/0/text/text]" in f
        and "must be less than 151 characters [json-pointer:/options/0/value]" in f
        for f in sb.failures
    )
