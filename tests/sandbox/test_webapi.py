"""Web API methods called through slack_sdk.WebClient: shapes, errors and limits."""

from __future__ import annotations

import time
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from tests.sandbox.conftest import TOKEN


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def error_of(call) -> SlackApiError:
    with pytest.raises(SlackApiError) as exc:
        call()
    return exc.value


def test_auth(sb, client):
    r = client.auth_test()
    assert (r["user_id"], r["team_id"], r["bot_id"]) == ("U0KIBAN", "T0KIBAN", "B0KIBAN")
    assert (
        error_of(WebClient(token="xoxb-wrong", base_url=sb.api_url).auth_test).response["error"]
        == "invalid_auth"
    )
    assert error_of(WebClient(base_url=sb.api_url).auth_test).response["error"] == "not_authed"
    assert error_of(lambda: client.api_call("chat.fly")).response["error"] == "unknown_method"


def test_post_message_targets(sb, client):
    r = client.chat_postMessage(channel="U0ALICE", text="hi")
    assert r["channel"] == "D0ALICE" and r["message"]["text"] == "hi"
    client.chat_postMessage(channel="D0ALICE", text="again")
    client.chat_postMessage(channel="C0OPS", text="ops")
    assert [e.text for e in sb.conversation("dm:U0ALICE")] == ["hi", "again"]
    assert sb.render("#secretariat") == "ops"
    assert (
        error_of(lambda: client.chat_postMessage(channel="C0X", text="x")).response["error"]
        == "not_in_channel"
    )
    assert (
        error_of(lambda: client.chat_postMessage(channel="C0NOPE", text="x")).response["error"]
        == "channel_not_found"
    )
    assert client.conversations_open(users="U0BOB")["channel"]["id"] == "D0BOB"
    r = client.chat_postEphemeral(channel="C0GEN", user="U0BOB", text="psst")
    assert r["message_ts"] and sb.render("ephemeral:U0BOB") == "psst"
    assert sb.failures == [
        "chat.postMessage: not_in_channel",
        "chat.postMessage: channel_not_found",
    ]


def test_invalid_blocks_json_pointer(sb, client):
    blocks = [
        section("ok"),
        {"type": "header", "text": {"type": "mrkdwn", "text": "H"}},
        section("x" * 3001),
    ]
    err = error_of(lambda: client.chat_postMessage(channel="C0GEN", text="t", blocks=blocks))
    body = err.response.data
    assert body["error"] == "invalid_blocks"
    assert any(e.endswith("[json-pointer:/blocks/1/text/type]") for e in body["errors"])
    assert any(e.endswith("[json-pointer:/blocks/2/text/text]") for e in body["errors"])
    assert body["response_metadata"]["messages"][0].startswith("[ERROR] ")
    assert sb.conversation("#general") == []
    unknown = error_of(
        lambda: client.chat_postMessage(channel="C0GEN", text="t", blocks=[{"type": "bogus"}])
    ).response
    assert "[json-pointer:/blocks/0/type]" in unknown["errors"][0]


def test_more_block_rules(client):
    def errs(blocks):
        return error_of(
            lambda: client.chat_postMessage(channel="C0GEN", text="t", blocks=blocks)
        ).response["errors"]

    btn = {"type": "button", "text": {"type": "plain_text", "text": "B" * 76}, "action_id": "a"}
    assert "/blocks/0/elements/0/text/text" in errs([{"type": "actions", "elements": [btn]}])[0]
    dup = {"type": "button", "text": {"type": "plain_text", "text": "B"}, "action_id": "a"}
    assert "not unique" in errs([{"type": "actions", "elements": [dup, dup]}])[0]
    same_id = [dict(section("a"), block_id="b"), dict(section("b"), block_id="b")]
    assert "/blocks/1/block_id" in errs(same_id)[0]
    opts = [{"text": {"type": "plain_text", "text": str(i)}, "value": str(i)} for i in range(11)]
    cb = {
        "type": "actions",
        "elements": [{"type": "checkboxes", "action_id": "c", "options": opts}],
    }
    assert any("/blocks/0/elements/0/options" in e for e in errs([cb]))
    fields = [{"type": "mrkdwn", "text": "f"}] * 11
    assert any("/blocks/0/fields" in e for e in errs([{"type": "section", "fields": fields}]))


def test_51_blocks_rejected_50_accepted(sb, client):
    err = error_of(
        lambda: client.chat_postMessage(
            channel="C0GEN", text="t", blocks=[section(str(i)) for i in range(51)]
        )
    )
    assert err.response["errors"] == ["must provide no more than 50 items [json-pointer:/blocks]"]
    client.chat_postMessage(channel="C0GEN", text="t", blocks=[section(str(i)) for i in range(50)])


def test_missing_text_fallback_is_a_failure_but_posts(sb, client):
    client.chat_postMessage(channel="C0GEN", blocks=[section("only blocks")])
    assert sb.render("#general") == "only blocks"
    assert any("missing_text_fallback" in f for f in sb.failures)


def test_rate_limit_429_and_retry_handler(sb, client):
    for i in range(5):
        client.chat_postMessage(channel="C0GEN", text=str(i))
    err = error_of(lambda: client.chat_postMessage(channel="C0GEN", text="6"))
    assert err.response.status_code == 429
    assert err.response.headers["retry-after"] == "1"
    assert err.response["error"] == "ratelimited"
    patient = WebClient(
        token=TOKEN,
        base_url=sb.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    assert patient.chat_postMessage(channel="C0GEN", text="7")["ok"]
    assert sb.failures == []  # ratelimited is not a failure


def test_chat_update_errors(sb, client):
    ts = client.chat_postMessage(channel="C0GEN", text="v1")["ts"]
    r = client.chat_update(channel="C0GEN", ts=ts, text="v2")
    assert r["ts"] == ts and sb.render("#general") == "v2 (edited)"
    assert (
        error_of(lambda: client.chat_update(channel="C0GEN", ts="1.2", text="x")).response["error"]
        == "message_not_found"
    )
    theirs = sb.say("U0BOB", "#general", "mine")
    assert (
        error_of(lambda: client.chat_update(channel="C0GEN", ts=theirs.ts, text="x")).response[
            "error"
        ]
        == "cant_update_message"
    )
    assert any(r.get("method") == "chat.update" for r in sb.journal.records)


def modal(title="T", blocks=None, **kw):
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": blocks or [section("body")],
        **kw,
    }


def test_trigger_expired_and_reused(sb, client):
    tid = sb.state.issue_trigger("U0ALICE")
    r = client.views_open(trigger_id=tid, view=modal())
    assert r["view"]["id"].startswith("V") and r["view"]["state"] == {"values": {}}
    assert (
        error_of(lambda: client.views_open(trigger_id=tid, view=modal())).response["error"]
        == "exchanged_trigger_id"
    )
    assert (
        error_of(lambda: client.views_open(trigger_id="nope", view=modal())).response["error"]
        == "invalid_trigger_id"
    )
    old = sb.state.issue_trigger("U0ALICE")
    time.sleep(3.1)
    assert (
        error_of(lambda: client.views_open(trigger_id=old, view=modal())).response["error"]
        == "expired_trigger_id"
    )


def test_views_update_push_hash(sb, client):
    v = client.views_open(
        trigger_id=sb.state.issue_trigger("U0ALICE"), view=modal(external_id="ext-1")
    )["view"]
    v2 = client.views_update(
        view_id=v["id"], hash=v["hash"], view=modal("T2", external_id="ext-1")
    )["view"]
    assert v2["id"] == v["id"] and v2["hash"] != v["hash"]
    assert (
        error_of(
            lambda: client.views_update(view_id=v["id"], hash=v["hash"], view=modal())
        ).response["error"]
        == "hash_conflict"
    )
    client.views_update(external_id="ext-1", view=modal("T3", external_id="ext-1"))
    for _ in range(2):
        client.views_push(trigger_id=sb.state.issue_trigger("U0ALICE"), view=modal("P"))
    assert (
        error_of(
            lambda: client.views_push(trigger_id=sb.state.issue_trigger("U0ALICE"), view=modal("P"))
        ).response["error"]
        == "push_limit_reached"
    )
    bad = error_of(
        lambda: client.views_open(
            trigger_id=sb.state.issue_trigger("U0ALICE"), view=modal("x" * 25)
        )
    ).response
    assert bad["error"] == "invalid_arguments" and "/view/title/text" in bad["errors"][0]
    inputs = [
        {
            "type": "input",
            "label": {"type": "plain_text", "text": "L"},
            "element": {"type": "plain_text_input", "action_id": "a"},
        }
    ]
    nosubmit = error_of(
        lambda: client.views_open(
            trigger_id=sb.state.issue_trigger("U0ALICE"), view=modal(blocks=inputs)
        )
    ).response
    assert "submit is required" in nosubmit["errors"][0]
    kinds = [e.kind for e in sb.conversation("modal:U0ALICE")]
    assert kinds == ["view"] * 5


def test_users(sb, client):
    u = client.users_info(user="U0ALICE", include_locale=True)["user"]
    assert u["tz"] == "America/Los_Angeles" and u["locale"] == "en-US"
    assert u["tz_offset"] in (-8 * 3600, -7 * 3600) and u["profile"]["display_name"] == "alice"
    assert "locale" not in client.users_info(user="U0BOB")["user"]
    assert client.users_info(user="U0BOB", include_locale=True)["user"]["locale"] == "ja-JP"
    assert error_of(lambda: client.users_info(user="U0NOPE")).response["error"] == "user_not_found"
    ids, cursor = [], None
    while True:
        page = client.users_list(limit=2, cursor=cursor)
        ids += [m["id"] for m in page["members"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert ids == ["U0ALICE", "U0BOB", "U0CAROL"]


def test_files_upload_v2_round_trip(sb, client):
    r = client.files_upload_v2(
        channel="C0GEN",
        content="a,b\n1,2\n",
        filename="r.csv",
        title="Report",
        initial_comment="Here it is",
    )
    f = r["file"]
    assert f["title"] == "Report"
    entry = sb.conversation("#general")[0]
    assert entry.kind == "file" and "[file: Report (r.csv)]" in entry.rendered
    info = client.files_info(file=f["id"])["file"]
    req = urllib.request.Request(
        info["url_private_download"], headers={"Authorization": f"Bearer {TOKEN}"}
    )
    with urllib.request.urlopen(req) as resp:
        assert resp.read() == b"a,b\n1,2\n"
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(info["url_private_download"])
    assert sb.failures == []
