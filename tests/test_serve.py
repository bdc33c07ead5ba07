"""`kiban serve` in HTTP mode, as a real process, answering the sandbox's signed requests; and
its refusal to start without credentials."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time

from bot.sandbox import Sandbox, Workspace
from tests.conftest import WORKSPACE


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, proc, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("kiban serve did not listen in time")


def test_serve_answers_slash_commands_over_http(tmp_path):
    secret = "serve-test-secret"
    with Sandbox(workspace=Workspace.from_dict(WORKSPACE), signing_secret=secret) as sandbox:
        port = _free_port()
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-sandbox",
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_APP_TOKEN": "",
            "SLACK_API_URL": sandbox.api_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}",
            "PORT": str(port),
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_for(port, proc)
            sandbox.bot_url = f"http://127.0.0.1:{port}/slack/events"
            ack = sandbox.driver().command("U0ALICE", "/compute help")
            assert ack.status == 200 and not ack.late
            assert "/compute report" in sandbox.render("ephemeral:U0ALICE")
            assert sandbox.failures == []
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_serve_starts_while_slack_is_out_of_reach(tmp_path):
    """A restart during a Slack outage must leave a process serving (and sending the outbox
    once Slack is back): it warns and serves; Slack's own checks (`ssl_check`) answer."""
    port = _free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-sandbox",
        "SLACK_SIGNING_SECRET": "s" * 32,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": f"http://127.0.0.1:{_free_port()}/api/",  # nothing listens there
        "DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}",
        "PORT": str(port),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(port, proc)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(
            "POST",
            "/slack/events",
            body="ssl_check=1&token=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert conn.getresponse().status == 200
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=10)
    assert "serving anyway" in err and "Traceback" not in err


def test_serve_on_a_port_another_program_holds_says_so(tmp_path):
    with socket.socket() as other:
        other.bind(("0.0.0.0", 0))
        other.listen()
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-sandbox",
            "SLACK_SIGNING_SECRET": "s" * 32,
            "SLACK_APP_TOKEN": "",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}",
            "PORT": str(other.getsockname()[1]),
        }
        result = run_kiban(["serve"], env, tmp_path)
    assert result.returncode == 2
    assert "another program" in result.stderr and "他のプログラム" in result.stderr
    assert "Traceback" not in result.stderr


def run_kiban(argv: list[str], env: dict, cwd) -> subprocess.CompletedProcess:
    """`python -m bot ARGV` to its end (at most a minute), output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_serve_without_credentials_explains_what_to_set(tmp_path):
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "",
        "SLACK_SIGNING_SECRET": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}",
    }
    result = run_kiban(["serve"], env, tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr and "kiban demo" in result.stderr
    assert "Traceback" not in result.stderr


def test_socket_mode_keeps_trying_while_slack_is_out_of_reach(caplog):
    from urllib.error import URLError

    from tenacity import wait_none

    from bot.server import _until_connected

    calls = []

    def start():
        calls.append(1)
        if len(calls) < 3:
            raise URLError(ConnectionRefusedError(111, "Connection refused"))

    _until_connected(start, wait=wait_none())
    assert len(calls) == 3
    assert caplog.text.count("Socket Mode cannot reach Slack (URLError)") == 2
