"""Fixtures: a started Sandbox and a helper serving a Bolt app over loopback HTTP (waitress)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.sandbox import Sandbox, Workspace
from bot.sandbox.server import start_in_thread, stop_in_thread

SECRET = "test-signing-secret"
TOKEN = "xoxb-sandbox"

WORKSPACE = {
    "users": [
        {"id": "U0ALICE", "name": "alice", "tz": "America/Los_Angeles", "locale": "en-US"},
        {"id": "U0BOB", "name": "bob"},
        {"id": "U0CAROL", "name": "carol"},
    ],
    "channels": [
        {"id": "C0OPS", "name": "secretariat", "private": True},
        {"id": "C0X", "name": "x", "bot_member": False},
        {"id": "C0GEN", "name": "general"},
    ],
}


@pytest.fixture
def sb(tmp_path) -> Iterator[Sandbox]:
    """A started sandbox with alice/bob/carol and three channels; journal in tmp_path."""
    sandbox = Sandbox(
        workspace=Workspace.from_dict(WORKSPACE),
        signing_secret=SECRET,
        bot_token=TOKEN,
        journal_path=tmp_path / "journal.jsonl",
    )
    sandbox.start()
    yield sandbox
    sandbox.stop()


@pytest.fixture
def client(sb: Sandbox) -> WebClient:
    """A WebClient pointed at the sandbox."""
    return WebClient(token=TOKEN, base_url=sb.api_url)


@pytest.fixture
def serve(sb: Sandbox) -> Iterator[Callable[..., App]]:
    """`serve(register, **app_kwargs) -> App`: build a Bolt app, register listeners, serve it
    over HTTP on 127.0.0.1 and point `sb.bot_url` at it."""
    servers = []

    def _serve(register: Callable[[App], None], **kwargs) -> App:
        app = App(
            signing_secret=SECRET,
            client=WebClient(token=TOKEN, base_url=sb.api_url),
            **kwargs,
        )
        register(app)
        server = waitress.create_server(SlackRequestHandler(app), host="127.0.0.1", port=0)
        servers.append((server, start_in_thread(server, "bolt-under-test")))
        sb.bot_url = f"http://127.0.0.1:{server.effective_port}/slack/events"
        return app

    yield _serve
    for server, thread in servers:
        stop_in_thread(server, thread)
