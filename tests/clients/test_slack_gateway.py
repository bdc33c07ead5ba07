"""The Slack gateway and the outbox's use of it: rate limits are waited out (nothing lost,
nothing twice), a post that may have reached Slack is never retried blindly (it waits, marked
uncertain, for the outbox to look first), and one failing notice, refused by Slack or lost in
transit, does not stop the others."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from http.client import RemoteDisconnected
from urllib.error import URLError

import pytest
from sqlmodel import select

from bot.blocks.common import Message
from bot.clients.slack import ConnectFailureRetryHandler, Notice, SlackGateway, make_web_client
from bot.sandbox import Sandbox, Workspace
from bot.services.delivery import unit_of_work
from bot.settings import Settings
from storage.outbox import OutboxMessage
from tests.conftest import WORKSPACE


def _gateway(sandbox):
    return SlackGateway(make_web_client("xoxb-sandbox", sandbox.api_url), default_lang="en")


def _notice(channel, n):
    return Notice(channel=channel, render=lambda lang: Message(text=f"post {n}"), lang="en")


def _send(session_factory, gateway, notices, operator_channel=""):
    """Queue `notices` in the outbox and send them (`bot.services.delivery`)."""
    settings = Settings(_env_file=None, operator_channel=operator_channel, default_language="en")
    now = datetime(2026, 4, 1, 1, tzinfo=UTC)
    with unit_of_work(
        session_factory=session_factory, gateway=gateway, settings=settings, now=now
    ) as work:
        work.send(notices)
    return work.report


def _rows(session_factory) -> list[OutboxMessage]:
    with session_factory() as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_burst_over_the_rate_limit_is_delivered_once_each(session_factory):
    with Sandbox(workspace=Workspace.from_dict(WORKSPACE), signing_secret="s") as sandbox:
        notices = [_notice("C0DIGEST", n) for n in range(7)]
        assert _send(session_factory, _gateway(sandbox), notices).failures == []
        texts = [entry.text for entry in sandbox.conversation("#community-digest")]
        assert texts == [f"post {n}" for n in range(7)]  # in order, none twice
        limited = [r for r in sandbox.journal.records if r.get("response", {}).get("status") == 429]
        assert limited  # the burst did hit the limit and was waited out
        assert sandbox.failures == []


def test_one_failing_notice_does_not_stop_the_others(session_factory):
    workspace = {
        **WORKSPACE,
        "channels": [
            *WORKSPACE["channels"],
            {"id": "C0OUT", "name": "outside", "bot_member": False},
        ],
    }
    with Sandbox(workspace=Workspace.from_dict(workspace), signing_secret="s") as sandbox:
        report = _send(
            session_factory, _gateway(sandbox), [_notice("C0OUT", 1), _notice("C0OPS", 2)]
        )
        assert len(report.failures) == 1 and "not_in_channel" in report.failures[0]
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

    def chat_postMessage(self, channel, text, blocks=None, thread_ts=None, metadata=None):
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
def test_a_notice_lost_in_transit_waits_with_the_ones_after_it(error, caplog, session_factory):
    """Slack out of reach: the run stops at the first failure in transit (the others would
    each time out), and every notice not sent waits for the next run; none is a failure."""
    client = UnreachableClient(error, down={"C0B"})
    gateway = SlackGateway(client, default_lang="en", operator_channel="C0OPS")
    notices = [_notice("C0A", 1), _notice("C0B", 2), _notice("C0C", 3)]
    report = _send(session_factory, gateway, notices, operator_channel="C0OPS")
    assert (report.sent, report.waiting, report.failures) == (1, 2, [])
    assert client.posts == [("C0A", "post 1")]
    _sent, lost, untried = _rows(session_factory)
    assert lost.uncertain and lost.sent_at is None and lost.failed_at is None
    assert lost.last_error.startswith("network error: " + type(error).__name__)
    assert (untried.attempts, untried.last_error, untried.sent_at) == (0, None, None)
    assert "xoxb-secret-token" not in caplog.text


def test_a_notice_to_a_user_out_of_reach_everywhere_waits_and_raises_nothing(session_factory):
    """users.info and the post both fail in transit: the DM waits for a retry."""
    error = TimeoutError("timed out")
    client = UnreachableClient(error, down={"U0ALICE", "C0OPS"})
    gateway = SlackGateway(client, default_lang="ja", operator_channel="C0OPS")
    dm = Notice(channel="U0ALICE", render=lambda lang: Message(text=f"[{lang}]"), kind="alert")
    report = _send(session_factory, gateway, [_notice("C0A", 2), dm], operator_channel="C0OPS")
    assert (report.sent, report.waiting, report.failures) == (1, 1, [])
    assert client.posts == [("C0A", "post 2")]
    assert _rows(session_factory)[1].last_error == "network error: TimeoutError: timed out"


def test_the_token_never_reaches_the_log_nor_the_database(caplog, session_factory):
    error = URLError("could not send with xoxb-secret-token")
    client = UnreachableClient(error, down={"C0A"})
    _send(session_factory, SlackGateway(client, default_lang="en"), [_notice("C0A", 1)])
    assert "xoxb-secret-token" not in caplog.text
    assert "xoxb-secret-token" not in _rows(session_factory)[0].last_error
