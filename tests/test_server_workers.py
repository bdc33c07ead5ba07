"""`kiban serve --workers 2` (gunicorn, PostgreSQL) as a real process: both workers answer the
sandbox's signed requests and one process in all leads the scheduler; `--workers` > 1 is
refused on SQLite with a bilingual message."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.sandbox import Sandbox, Workspace
from tests.conftest import POSTGRES, WORKSPACE, _fresh_postgres_database
from tests.test_serve import _free_port, run_kiban

SECRET = "workers-test-secret"
READY = re.compile(r"serving HTTP on port \d+, path /slack/events \(worker (\d+) of 2\)")
ANSWERED = re.compile(r'"POST /slack/events HTTP/1\.[01]" 200 \S+ worker <(\d+)>')


def _env(database_url: str, api_url: str, port: int, log_level: str = "DEBUG") -> dict:
    return {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-sandbox",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "LOG_LEVEL": log_level,
    }


def _wait_for_lines(path, pattern: re.Pattern, count: int, proc, limit: float = 60.0) -> set:
    """The distinct first groups of `pattern` in the file once there are `count` of them."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = set(pattern.findall(path.read_text(errors="replace")))
        if len(found) >= count:
            return found
        assert proc.poll() is None, path.read_text(errors="replace")[-3000:]
        time.sleep(0.2)
    raise AssertionError(f"not {count} of {pattern.pattern} in time:\n{path.read_text()[-3000:]}")


@pytest.mark.skipif(POSTGRES is None, reason="KIBAN_TEST_POSTGRES_URL not set or not reachable")
def test_two_workers_answer_signed_requests_and_one_leads(tmp_path):
    database_url, drop = _fresh_postgres_database()
    log = tmp_path / "serve.log"
    port = _free_port()
    try:
        with (
            Sandbox(workspace=Workspace.from_dict(WORKSPACE), signing_secret=SECRET) as sandbox,
            log.open("w") as out,
        ):
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve", "--workers", "2"],
                env=_env(database_url, sandbox.api_url, port),
                cwd=tmp_path,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            try:
                workers = _wait_for_lines(log, READY, 2, proc)
                sandbox.bot_url = f"http://127.0.0.1:{port}/slack/events"
                driver = sandbox.driver(settle=lambda: None)
                # each request is a new connection: the kernel spreads them over both sockets
                with ThreadPoolExecutor(4) as pool:
                    acks = list(
                        pool.map(lambda _: driver.command("U0ALICE", "/compute help"), range(24))
                    )
                assert all(a.status == 200 and not a.late for a in acks)
                answered = _wait_for_lines(log, ANSWERED, 2, proc, limit=10)
                assert answered == workers
                deadline = time.monotonic() + 15
                while len(sandbox.conversation("ephemeral:U0ALICE")) < 24:
                    assert time.monotonic() < deadline, sandbox.failures
                    time.sleep(0.1)
                assert sandbox.failures == []
                text = log.read_text(errors="replace")
                assert (
                    len(re.findall(r"this process \(pid \d+\) is the scheduler leader", text)) == 1
                )
                assert "Traceback" not in text
            finally:
                proc.terminate()
                proc.wait(timeout=30)
        assert proc.returncode == 0, log.read_text()[-3000:]
    finally:
        drop()


def test_workers_on_sqlite_are_refused_in_both_languages(tmp_path):
    env = _env(f"sqlite:///{tmp_path / 'k.sqlite3'}", "http://127.0.0.1:9/api/", 3000, "INFO")
    result = run_kiban(["serve", "--workers", "2"], env, tmp_path)
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr and "SQLite は 1 プロセス" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "k.sqlite3").exists()  # refused before anything was opened
