"""The Slack gateway: rate limits are waited out (nothing lost, nothing twice), a post that may
have reached Slack is never retried, and one failing notice, refused by Slack or lost in
transit, does not stop the others."""

from __future__ import annotations

import socket
from http.client import RemoteDisconnected
from urllib.error import URLError

import pytest

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


class UnreachableClient:
    """A WebClient whose calls fail in transit: `users_info` always when `users_down`, and
    `chat_postMessage` for the channels in `down` (the operator channel's report included)."""

    token = "xoxb-secret-token"

    def __init__(self, error, *, users_down=True, down=("C0B",)):
        self.error = error
        self.users_down = users_down
        self.down = set(down)
        self.posts: list[tuple[str, str]] = []

    def users_info(self, user, include_locale=True):
        if self.users_down:
            raise self.error
        return {"user": {"id": user, "locale": "en-US", "tz": "Europe/London"}}

    def chat_postMessage(self, channel, text, blocks=None, thread_ts=None):
        if channel in self.down:
            raise self.error
        self.posts.append((channel, text))
        return {"ok": True, "ts": f"{len(self.posts)}.000"}


TRANSIT_ERRORS = [
    URLError(ConnectionRefusedError(111, "Connection refused")),
    URLError(socket.gaierror(-3, "Temporary failure in name resolution")),
    TimeoutError("The read operation timed out"),
    ConnectionResetError(104, "Connection reset by peer"),
    RemoteDisconnected("Remote end closed connection without response"),
]


@pytest.mark.parametrize("error", TRANSIT_ERRORS, ids=lambda e: type(e).__name__)
def test_users_info_out_of_reach_falls_back_to_defaults(error, caplog):
    gateway = SlackGateway(UnreachableClient(error), default_lang="ja")
    assert gateway.user_info("U0ALICE") is None
    assert gateway.user_lang("U0ALICE") == "ja"
    assert gateway.user_lang("U0ALICE", "en") == "en"
    assert "users.info U0ALICE failed: network error" in caplog.text
    assert "xoxb-secret-token" not in caplog.text


@pytest.mark.parametrize("error", TRANSIT_ERRORS, ids=lambda e: type(e).__name__)
def test_a_notice_lost_in_transit_does_not_stop_the_others(error, caplog):
    client = UnreachableClient(error, down={"C0B"})
    gateway = SlackGateway(client, default_lang="en", operator_channel="C0OPS")
    notices = [_notice("C0A", 1), _notice("C0B", 2), _notice("C0C", 3)]
    failures = gateway.deliver(notices)
    assert len(failures) == 1
    (failure,) = failures
    assert failure.notice is notices[1] and failure.transport
    assert failure.startswith(" → C0B: network error: " + type(error).__name__)
    assert client.posts[:2] == [("C0A", "post 1"), ("C0C", "post 3")]
    (report,) = client.posts[2:]  # the operator channel hears of it
    assert report[0] == "C0OPS" and "<#C0B>" in report[1] and type(error).__name__ in report[1]
    assert "xoxb-secret-token" not in caplog.text


def test_a_notice_to_a_user_out_of_reach_everywhere_is_a_failure_not_an_exception():
    """users.info and the post both fail in transit, and so does the report to operators."""
    error = TimeoutError("timed out")
    client = UnreachableClient(error, down={"U0ALICE", "C0OPS"})
    gateway = SlackGateway(client, default_lang="ja", operator_channel="C0OPS")
    dm = Notice(channel="U0ALICE", render=lambda lang: Message(text=f"[{lang}]"), kind="alert")
    failures = gateway.deliver([dm, _notice("C0A", 2)])
    assert failures == ["alert → U0ALICE: network error: TimeoutError: timed out"]
    assert client.posts == [("C0A", "post 2")]  # the report to C0OPS failed quietly


def test_the_token_never_reaches_the_log(caplog):
    error = URLError("could not send with xoxb-secret-token")
    client = UnreachableClient(error, down={"C0A"})
    failures = SlackGateway(client, default_lang="en").deliver([_notice("C0A", 1)])
    assert "xoxb-secret-token" not in failures[0] and "xoxb-secret-token" not in caplog.text
