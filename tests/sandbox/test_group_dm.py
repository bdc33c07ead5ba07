"""Group DMs (mpims): conversations.open with 2–8 users, posting, and clicking as a member."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk.errors import SlackApiError

from bot.sandbox import DriverError, Sandbox, Workspace
from bot.scenario import model
from bot.scenario.runner import _Player
from tests.sandbox.conftest import SECRET, TOKEN

NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]
USERS = [f"U0{n.upper()}" for n in NAMES]
TRIO = "mpim:U0ALICE,U0BOB,U0CAROL"


@pytest.fixture
def sb(tmp_path) -> Iterator[Sandbox]:
    """A sandbox with ten people (the shared fixture has three) and room for bursts of posts."""
    users = [{"id": uid, "name": name} for uid, name in zip(USERS, NAMES, strict=True)]
    sandbox = Sandbox(
        workspace=Workspace.from_dict({"users": users}),
        signing_secret=SECRET,
        bot_token=TOKEN,
        journal_path=tmp_path / "journal.jsonl",
        post_burst=20,
    )
    yield sandbox.start()
    sandbox.stop()


def error(call) -> str:
    with pytest.raises(SlackApiError) as exc:
        call()
    return exc.value.response["error"]


def vote_blocks(label: str) -> list[dict]:
    return [
        {"type": "section", "block_id": "q", "text": {"type": "mrkdwn", "text": label}},
        {
            "type": "actions",
            "block_id": "a",
            "elements": [
                {
                    "type": "button",
                    "action_id": "vote",
                    "text": {"type": "plain_text", "text": "Vote"},
                    "value": label,
                }
            ],
        },
    ]


def register(app, clicks: list[dict]) -> None:
    @app.action("vote")
    def vote(ack, body, client):
        ack()
        clicks.append(body)
        client.chat_update(
            channel=body["container"]["channel_id"],
            ts=body["container"]["message_ts"],
            text="voted",
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "Voted"}}],
        )
        client.chat_postMessage(
            channel=body["channel"]["id"], text=f"<@{body['user']['id']}> voted"
        )


def test_open_is_stable_and_checked(sb, client):
    first = client.conversations_open(users="U0ALICE,U0BOB,U0CAROL")["channel"]["id"]
    again = client.conversations_open(users="U0CAROL, U0ALICE,U0BOB")
    assert first.startswith("G") and again["channel"]["id"] == first and again["already_open"]
    # the same people give the same id in another run
    other = Workspace.from_dict({"users": [{"id": u, "name": u} for u in USERS]})
    assert other.open_group_dm(["U0BOB", "U0CAROL", "U0ALICE"])[0].id == first
    assert client.conversations_open(users="U0ALICE,U0BOB")["channel"]["id"] != first
    assert client.conversations_open(users="U0BOB")["channel"]["id"] == "D0BOB"
    assert client.conversations_open(channel=first)["channel"]["id"] == first
    assert client.conversations_open(users=",".join(USERS[:8]))["channel"]["id"].startswith("G")
    assert error(lambda: client.conversations_open(users=",".join(USERS[:9]))) == "too_many_users"
    assert error(lambda: client.conversations_open(users="U0ALICE,U0NOBODY")) == "user_not_found"
    assert sb.failures == [
        "conversations.open: too_many_users",
        "conversations.open: user_not_found",
    ]


def test_post_update_upload_and_render(sb, client):
    gid = client.conversations_open(users="U0CAROL,U0ALICE,U0BOB")["channel"]["id"]
    posted = client.chat_postMessage(channel=gid, text="Lunch <@U0BOB>?")
    assert posted["channel"] == gid
    client.chat_update(channel=gid, ts=posted["ts"], text="Lunch at noon, <@U0BOB>?")
    client.files_upload_v2(channel=gid, content=b"a,b\n", filename="menu.csv", title="Menu")
    entries = sb.conversation(TRIO)
    assert [(e.kind, e.channel_id) for e in entries] == [("message", gid), ("file", gid)]
    assert sb.render(TRIO) == "Lunch at noon, @bob? (edited)\n\n[file: Menu (menu.csv)]"
    assert sb.render("mpim:carol,bob,alice") == sb.render(gid) == sb.render(TRIO)
    assert TRIO in sb.conversations()
    posts = [r for r in sb.journal.records if r.get("method") == "chat.postMessage"]
    assert posts[0]["request"]["channel"] == gid
    assert error(lambda: client.chat_postEphemeral(channel=gid, user="U0DAVE", text="psst")) == (
        "user_not_in_channel"
    )
    assert sb.failures == ["chat.postEphemeral: user_not_in_channel"]


def test_click_in_group_dm_members_only(sb, serve, client):
    clicks: list[dict] = []
    serve(lambda app: register(app, clicks))
    d = sb.driver()
    trio = client.conversations_open(users="U0ALICE,U0BOB,U0CAROL")["channel"]["id"]
    pair = client.conversations_open(users="U0ALICE,U0DAVE")["channel"]["id"]
    client.chat_postMessage(channel=trio, text="Vote", blocks=vote_blocks("trio"))
    client.chat_postMessage(channel=pair, text="Vote", blocks=vote_blocks("pair"))

    d.click("U0BOB", "Vote", "group")  # bob is only in the trio
    d.click("U0ALICE", "Vote", "group")  # the latest: the pair's
    assert [c["actions"][0]["value"] for c in clicks] == ["trio", "pair"]
    body = clicks[0]
    assert body["channel"] == {"id": trio, "name": "mpdm-alice--bob--carol-1"}
    assert body["container"]["channel_id"] == trio and body["message"]["text"] == "Vote"
    assert sb.render(TRIO) == "Voted (edited)\n\n@bob voted"
    assert sb.render("mpim:U0ALICE,U0DAVE") == "Voted (edited)\n\n@alice voted"

    for ref in (TRIO, "mpim:bob,carol,alice"):  # the full name, or members in any order
        client.chat_postMessage(channel=trio, text="Vote", blocks=vote_blocks(ref))
        d.click("U0CAROL", "Vote", ref)
    with pytest.raises(DriverError, match="not a member"):
        d.click("U0DAVE", "Vote", TRIO)
    with pytest.raises(DriverError, match="not a member"):
        d.click("U0DAVE", "Vote", trio)
    with pytest.raises(DriverError, match="in no group DM"):
        d.click("U0ERIN", "Vote", "group")
    with pytest.raises(DriverError, match="no group DM"):
        d.click("U0ALICE", "Vote", "mpim:U0ALICE,U0ERIN")
    assert len(clicks) == 4
    assert [f for f in sb.failures if not f.startswith("driver: ")] == []


def test_scenario_steps_name_group_dms(sb, client):
    gid = client.conversations_open(users="U0ALICE,U0BOB,U0CAROL")["channel"]["id"]
    client.chat_postMessage(channel=gid, text="hello all")
    step = model.ClickStep.model_validate({"user": "U0BOB", "click": "Vote", "in": "group"})
    assert step.in_ == "group"
    player = _Player(None, None, None, sb.driver(), sb, None, None, None, None)  # type: ignore[arg-type]
    for name in (TRIO, "mpim:carol,alice,bob"):
        expect = model.Expectation.model_validate({"in": name, "contains": "hello all"})
        assert player._check(expect) is None


def test_member_uploads_into_group_dm(sb, serve, client):
    events: list[dict] = []
    serve(lambda app: app.event("message")(lambda event: events.append(event)))
    gid = client.conversations_open(users="U0ALICE,U0BOB,U0CAROL")["channel"]["id"]
    sb.driver().upload("U0BOB", "menu.csv", b"a,b\n", TRIO, comment="menu")
    (event,) = events
    assert (event["channel"], event["channel_type"], event["user"]) == (gid, "mpim", "U0BOB")
    assert sb.render(TRIO) == "menu\n[file: menu.csv (menu.csv)]"
    with pytest.raises(DriverError, match="not a member"):
        sb.driver().upload("U0DAVE", "menu.csv", b"a,b\n", gid)
