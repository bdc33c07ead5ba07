"""The Slack gateway: rate limits are waited out (nothing lost, nothing twice), a post that may
have reached Slack is never retried, and one failing notice does not stop the others."""

from __future__ import annotations

import socket
from http.client import RemoteDisconnected
from urllib.error import URLError

from bot.blocks.common import Message
from bot.clients.slack import ConnectFailureRetryHandler, Notice, SlackGateway, make_web_client
from bot.sandbox import Sandbox, Workspace
from tests.conftest import WORKSPACE


def _gateway(sandbox):
    return SlackGateway(make_web_client("xoxb-sandbox", sandbox.api_url), default_lang="en")


def _notice(channel, n):
    return Notice(channel=channel, render=lambda lang: Message(text=f"post {n}"), lang="en")


def test_a_burst_over_the_rate_limit_is_delivered_once_each(tmp_path):
    with Sandbox(workspace=Workspace.from_dict(WORKSPACE), signing_secret="s") as sandbox:
        failures = _gateway(sandbox).deliver([_notice("C0DIGEST", n) for n in range(7)])
        assert failures == []
        texts = [entry.text for entry in sandbox.conversation("#community-digest")]
        assert texts == [f"post {n}" for n in range(7)]  # in order, none twice
        limited = [r for r in sandbox.journal.records if r.get("response", {}).get("status") == 429]
        assert limited  # the burst did hit the limit and was waited out
        assert sandbox.failures == []


def test_one_failing_notice_does_not_stop_the_others():
    workspace = {
        **WORKSPACE,
        "channels": [
            *WORKSPACE["channels"],
            {"id": "C0OUT", "name": "outside", "bot_member": False},
        ],
    }
    with Sandbox(workspace=Workspace.from_dict(workspace), signing_secret="s") as sandbox:
        failures = _gateway(sandbox).deliver([_notice("C0OUT", 1), _notice("C0OPS", 2)])
        assert len(failures) == 1 and "not_in_channel" in failures[0]
        assert [e.text for e in sandbox.conversation("#secretariat")] == ["post 2"]


def test_only_connections_never_made_are_retried():
    handler = ConnectFailureRetryHandler()

    def can(error):
        return handler._can_retry(state=None, request=None, response=None, error=error)

    assert can(URLError(ConnectionRefusedError()))
    assert can(URLError(socket.gaierror()))
    assert not can(TimeoutError())  # the request may have been processed
    assert not can(RemoteDisconnected())
    assert not can(URLError(ConnectionResetError()))
