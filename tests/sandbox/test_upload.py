"""A person uploads a file to the app (`Driver.upload`): a `file_share` message event."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.sandbox import DriverError
from tests.sandbox.conftest import SECRET, TOKEN

CSV = b"month,gpu_hours\n2026-03,900\n"


def download(url: str, token: str | None = TOKEN) -> bytes:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as resp:
        return resp.read()


def register(app, seen: list[dict]) -> None:
    @app.event({"type": "message", "subtype": "file_share"})
    def on_file(event, client):
        seen.append(event)
        f = event["files"][0]
        data = download(f["url_private_download"])
        client.chat_postMessage(
            channel=event["channel"], text=f"Got {f['name']}: {len(data)} bytes"
        )


def test_upload_in_dm_downloaded_and_answered(sb, serve, client):
    seen: list[dict] = []
    serve(lambda app: register(app, seen))
    ack = sb.driver().upload("U0ALICE", "usage.csv", CSV, comment="March usage")
    assert ack.status == 200 and not ack.late

    dm = sb.conversation("dm:U0ALICE")
    assert [e.kind for e in dm] == ["file", "message"]
    assert dm[0].user == "U0ALICE" and dm[0].channel_id == "D0ALICE"
    assert dm[0].rendered == "March usage\n[file: usage.csv (usage.csv)]"
    assert dm[1].rendered == f"Got usage.csv: {len(CSV)} bytes"

    (event,) = seen
    assert {k: event[k] for k in ("type", "subtype", "channel", "channel_type", "user")} == {
        "type": "message",
        "subtype": "file_share",
        "channel": "D0ALICE",
        "channel_type": "im",
        "user": "U0ALICE",
    }
    assert event["text"] == "March usage" and event["upload"] is False
    assert event["ts"] == event["event_ts"] == dm[0].ts
    f = event["files"][0]
    assert f["id"].startswith("F") and f["user"] == "U0ALICE" and f["size"] == len(CSV)
    assert (f["name"], f["title"], f["mimetype"], f["filetype"]) == (
        "usage.csv",
        "usage.csv",
        "text/csv",
        "csv",
    )
    assert dm[0].raw["files"] == [f]
    assert client.files_info(file=f["id"])["file"] == f
    assert download(f["url_private"]) == CSV
    assert sb.failures == []


def test_download_refused_without_the_bot_token(sb, serve):
    serve(lambda app: register(app, []))
    sb.driver().upload("U0BOB", "notes.txt", b"hello")
    f = sb.conversation("dm:U0BOB")[0].raw["files"][0]
    assert (f["mimetype"], f["filetype"]) == ("text/plain", "text")
    for token in ("xoxb-not-the-bot", None):
        with pytest.raises(urllib.error.HTTPError) as exc:
            download(f["url_private_download"], token)
        assert exc.value.code == 403


def test_upload_journal_records_the_signed_event(sb, serve):
    serve(lambda app: register(app, []))
    d = sb.driver()
    d.upload("U0ALICE", "a.csv", CSV)
    d.upload("U0ALICE", "b.csv", CSV)
    recs = [r for r in sb.journal.records if r["direction"] == "slack->bot"]
    assert [r["kind"] for r in recs] == ["event_callback", "event_callback"]
    bodies = [r["request"]["body"] for r in recs]
    assert bodies[0]["type"] == "event_callback" and bodies[0]["event"]["subtype"] == "file_share"
    assert bodies[0]["event_id"] != bodies[1]["event_id"]
    assert bodies[0]["team_id"] == sb.team_id and bodies[0]["api_app_id"] == sb.app_id
    assert bodies[0]["authorizations"][0]["user_id"] == sb.bot_user_id
    assert isinstance(bodies[0]["event_time"], int)
    headers = recs[0]["request"]["headers"]
    assert headers["Content-Type"] == "application/json"
    assert SignatureVerifier(SECRET).is_valid(
        body=recs[0]["request"]["raw"],
        timestamp=headers["X-Slack-Request-Timestamp"],
        signature=headers["X-Slack-Signature"],
    )
    api = [r for r in sb.journal.records if r["direction"] == "bot->slack"]
    assert [r["method"] for r in api].count("chat.postMessage") == 2


def test_upload_in_channels(sb, serve):
    seen: list[dict] = []
    serve(lambda app: register(app, seen))
    d = sb.driver()
    d.upload("U0BOB", "r.csv", CSV, conversation="#general", comment="for all")
    d.upload("U0BOB", "s.csv", CSV, conversation="#secretariat")
    assert [(e["channel"], e["channel_type"]) for e in seen] == [
        ("C0GEN", "channel"),
        ("C0OPS", "group"),
    ]
    general = sb.conversation("#general")
    assert general[0].kind == "file" and general[0].user == "U0BOB"
    assert general[1].rendered == f"Got r.csv: {len(CSV)} bytes"
    assert sb.failures == []


def test_upload_unknown_user_or_conversation(sb, serve):
    serve(lambda app: register(app, []))
    d = sb.driver()
    with pytest.raises(DriverError, match="no user"):
        d.upload("U0NOBODY", "a.csv", CSV)
    with pytest.raises(DriverError, match="unknown conversation"):
        d.upload("U0ALICE", "a.csv", CSV, conversation="#nowhere")
    with pytest.raises(DriverError, match="unknown conversation"):
        d.upload("U0ALICE", "a.csv", CSV, conversation="dm:U0BOB")
    with pytest.raises(DriverError, match="not in #x"):
        d.upload("U0ALICE", "a.csv", CSV, conversation="#x")
    assert len(sb.failures) == 4
    assert not [r for r in sb.journal.records if r["direction"] == "slack->bot"]
    assert sb.state.files == {}
