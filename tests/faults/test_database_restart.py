"""PostgreSQL going away and coming back (issue #10). The test cannot restart the machine's
server, so it does to one database what a restart does to its clients: every connection is
cut (`pg_terminate_backend`) and new ones are refused (`ALLOW_CONNECTIONS false`) for a
while. Kiban answers people with a clear error meanwhile, and afterwards answers again (the
pool's pre-ping replaces dead connections); an outbox fan-out cut in the middle delivers
every message exactly once once the database is back.

PostgreSQL only; marked `slow`, run by `.ci/run`.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import select

from bot.blocks.common import Message
from bot.clients.slack import Notice
from bot.scenario.harness import Harness
from bot.services.delivery import send
from bot.services.outbox import enqueue
from storage.outbox import LEASE, OutboxMessage
from tests.conftest import (
    APRIL_FIRST,
    POSTGRES,
    SETTINGS,
    SETUP_YAML,
    WORKSPACE,
    _fresh_postgres_database,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(POSTGRES is None, reason="KIBAN_TEST_POSTGRES_URL not set or not reachable"),
]


@pytest.fixture
def h():
    url, drop = _fresh_postgres_database()
    try:
        with Harness(
            workspace=WORKSPACE, settings=SETTINGS, start=APRIL_FIRST, database_url=url
        ) as harness:
            harness.admin_import(SETUP_YAML)
            harness.url = url
            yield harness
    finally:
        drop()


@contextmanager
def database_down(url: str):
    """Cut every connection to the database and refuse new ones until the block ends."""
    name = make_url(url).database
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
        yield
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


def test_people_get_a_clear_error_while_it_is_down_and_answers_after(h):
    assert "Alpha AI" in _status(h)
    with database_down(h.url):
        ack = h.driver.command("U0ALICE", "/compute status")
        assert ack.status == 200
        shown = h.sandbox.render("ephemeral:U0ALICE")
        assert "Something went wrong" in shown and "Traceback" not in shown
    h.sandbox.state.entries.clear()
    assert "Alpha AI" in _status(h)  # the dead connections were replaced


def _status(h) -> str:
    h.driver.command("U0ALICE", "/compute status")
    return h.sandbox.render("ephemeral:U0ALICE")


def test_a_fan_out_cut_by_the_database_delivers_each_message_once_after(h):
    users = ["U0ALICE", "U0YUKI", "U0KENJI", "U0HANA", "U0GUEST"] * 4
    with h.session_factory.begin() as session:  # queued by a job, for the outbox to send
        enqueue(
            session,
            [
                Notice(channel=user, render=lambda lang, n=n: Message(f"alert {n}"), kind="alert")
                for n, user in enumerate(users)
            ],
            now=h.clock.now(),
            default_lang="ja",
        )
    h.sandbox.faults.add("chat.postMessage", "timeout", delay=0.05)  # slow, not failing
    sender = threading.Thread(
        target=send,
        kwargs=dict(
            session_factory=h.session_factory,
            gateway=h.deps.slack,
            settings=h.settings,
            now=h.clock.now(),
        ),
    )
    sender.start()
    deadline = time.monotonic() + 30
    while len(_posted(h)) < 5:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    with database_down(h.url):
        sender.join(timeout=60)  # it goes on through the rows, failing to claim them
        assert not sender.is_alive()
    cut_at = len(_posted(h))
    assert 5 <= cut_at < len(users)
    h.sandbox.faults.clear()

    report = send(
        session_factory=h.session_factory,
        gateway=h.deps.slack,
        settings=h.settings,
        now=h.clock.now() + LEASE + timedelta(minutes=1),
    )
    assert report.failures == []
    with h.session_factory() as session:
        rows = list(session.exec(select(OutboxMessage)))
    assert len(rows) == len(users) and all(row.sent_at for row in rows)
    keys = [
        ((e.raw.get("metadata") or {}).get("event_payload") or {}).get("key") for e in _posted(h)
    ]
    assert sorted(keys) == sorted(row.key for row in rows)  # each exactly once


def _posted(h) -> list:
    return [e for e in h.sandbox.state.entries if e.kind == "message" and e.user == "U0KIBAN"]
