"""A modal `file_input`: the driver attaches local files as the person; the bot downloads them."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.sandbox import DriverError, render, store
from tests.sandbox.conftest import TOKEN

USAGE = json.dumps({"month": "2026-03", "gpu_hours": 900}).encode()
CSV = b"month,gpu_hours\n2026-03,900\n"


def modal(max_files: int = 1) -> dict:
    return {
        "type": "modal",
        "callback_id": "attach",
        "title": {"type": "plain_text", "text": "Usage"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "usage",
                "label": {"type": "plain_text", "text": "Usage file"},
                "element": {
                    "type": "file_input",
                    "action_id": "f",
                    "filetypes": ["json", "csv"],
                    "max_files": max_files,
                },
            }
        ],
    }


def register(app, seen: list[tuple[dict, list[bytes]]], max_files: int = 1) -> None:
    @app.command("/attach")
    def attach(ack, body, client):
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=modal(max_files))

    @app.view("attach")
    def submitted(ack, view):
        state = view["state"]["values"]["usage"]["f"]
        got = [
            httpx.get(
                f["url_private_download"], headers={"Authorization": f"Bearer {TOKEN}"}
            ).content
            for f in state["files"]
        ]
        seen.append((state, got))
        if any(f["filetype"] == "csv" for f in state["files"]):
            ack(response_action="errors", errors={"usage": "Send the JSON export, please."})
        else:
            ack()


@pytest.fixture
def usage_file(tmp_path):
    path = tmp_path / "usage.json"
    path.write_bytes(USAGE)
    return path


def test_file_object_in_view_submission_downloadable_with_the_bot_token(sb, serve, usage_file):
    seen: list = []
    serve(lambda app: register(app, seen))
    d = sb.driver()
    d.command("U0ALICE", "/attach")
    ack = d.fill("U0ALICE", {"Usage file": str(usage_file)})
    assert ack is not None and ack.status == 200

    ((state, got),) = seen
    assert state["type"] == "file_input"
    (f,) = state["files"]
    assert got == [USAGE]
    assert f["id"].startswith("F") and f["user"] == "U0ALICE" and f["size"] == len(USAGE)
    assert (f["name"], f["title"], f["mimetype"], f["filetype"]) == (
        "usage.json",
        "usage.json",
        "application/json",
        "json",
    )
    assert f["url_private_download"].startswith(sb.base_url)
    assert sb.state.files[f["id"]]["data"] == USAGE
    assert sb.render("modal:U0ALICE").endswith("(modal closed)")
    assert sb.failures == []

    # as Slack: no token, or another token, gets no bytes
    assert httpx.get(f["url_private_download"]).status_code == 403
    assert httpx.get(f["url_private"]).status_code == 403
    other = httpx.get(f["url_private"], headers={"Authorization": "Bearer xoxb-not-the-bot"})
    assert other.status_code == 403


def test_transcript_shows_the_file_name(sb, serve, tmp_path, usage_file):
    seen: list = []
    serve(lambda app: register(app, seen))
    d = sb.driver()
    d.command("U0BOB", "/attach")
    assert "Usage file: <file_input>" in sb.render("modal:U0BOB")  # nothing attached yet
    csv = tmp_path / "usage.csv"
    csv.write_bytes(CSV)
    d.fill("U0BOB", {"Usage file": str(csv)})  # the bot answers with an inline error
    assert d.modal_errors("U0BOB") == {"Usage file": "Send the JSON export, please."}
    last = sb.conversation("modal:U0BOB")[-1].rendered
    assert "Usage file: <file_input = usage.csv>\n  ! Send the JSON export, please." in last
    d.fill("U0BOB", {"Usage file": str(usage_file)}, submit=False)
    rec = store.top_modal(sb, "U0BOB")
    assert "Usage file: <file_input = usage.json>" in render.view(
        rec.view, sb.workspace, store.shown_values(sb, rec)
    )
    assert sb.failures == []


def test_relative_paths_resolve_from_the_cwd_or_base_dir(sb, serve, tmp_path, monkeypatch):
    seen: list = []
    serve(lambda app: register(app, seen, max_files=2))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.json").write_bytes(b"{}")
    (tmp_path / "data" / "b.json").write_bytes(b"[]")
    d = sb.driver()
    d.command("U0CAROL", "/attach")
    monkeypatch.chdir(tmp_path)
    d.fill("U0CAROL", {"Usage file": "data/a.json"})
    d.command("U0CAROL", "/attach")
    d.fill("U0CAROL", {"Usage file": ["a.json", "b.json"]}, base_dir=tmp_path / "data")
    assert [[f["name"] for f in state["files"]] for state, _ in seen] == [
        ["a.json"],
        ["a.json", "b.json"],
    ]
    assert [got for _, got in seen] == [[b"{}"], [b"{}", b"[]"]]
    assert sb.failures == []


def test_refused_like_slacks_client(sb, serve, tmp_path, usage_file):
    seen: list = []
    serve(lambda app: register(app, seen))
    (tmp_path / "notes.txt").write_bytes(b"hello")
    d = sb.driver()
    d.command("U0ALICE", "/attach")
    with pytest.raises(DriverError, match=r"'notes.txt' is not an accepted file type"):
        d.fill("U0ALICE", {"Usage file": str(tmp_path / "notes.txt")})
    with pytest.raises(DriverError, match="at most 1"):
        d.fill("U0ALICE", {"Usage file": [str(usage_file), str(usage_file)]})
    with pytest.raises(DriverError, match="cannot read"):
        d.fill("U0ALICE", {"Usage file": str(tmp_path / "missing.json")})
    assert sb.state.files == {}  # nothing refused was uploaded
    assert len(sb.failures) == 3 and all(f.startswith("driver: ") for f in sb.failures)
    assert d.fill("U0ALICE", {}) is None  # required and empty: the client does not send it
    assert d.modal_errors("U0ALICE") == {"Usage file": "This field is required."}
    assert seen == []
