"""Scheduler leadership (issue #10): with two processes on one PostgreSQL database exactly one
runs the jobs, and another takes over within the retry interval when the leader dies — also
when it is killed with SIGKILL (its connection closes, PostgreSQL frees the lock) — or when
its connection to the database breaks. SQLite: the one process leads."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from jobs.leader import Leadership
from storage.db import make_engine

INTERVAL = 0.2
BOUND = 3.0  # seconds: a takeover must happen well within this (a few intervals)
ROOT = Path(__file__).resolve().parents[2]


class Events:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def leadership(self, engine) -> Leadership:
        return Leadership(
            engine,
            on_elected=lambda: self.seen.append("elected"),
            on_lost=lambda: self.seen.append("lost"),
            interval=INTERVAL,
        )


def wait_for(condition, bound: float = BOUND) -> float:
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > bound:
            raise AssertionError(f"not within {bound} s")
        time.sleep(0.02)
    return time.monotonic() - began


def postgres_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("leadership between processes needs PostgreSQL")


def test_with_sqlite_the_one_process_leads_at_once(tmp_path):
    events = Events()
    leader = events.leadership(make_engine(f"sqlite:///{tmp_path / 'k.sqlite3'}"))
    leader.start()
    try:
        assert leader.is_leader and events.seen == ["elected"]
        time.sleep(INTERVAL * 3)
        assert events.seen == ["elected"]  # elected once, not at every round
    finally:
        leader.stop()


def test_exactly_one_of_two_leads_and_the_other_takes_over(database_url):
    postgres_only(database_url)
    first, second = Events(), Events()
    a = first.leadership(make_engine(database_url))
    b = second.leadership(make_engine(database_url))
    a.start()
    b.start()
    try:
        time.sleep(INTERVAL * 4)
        assert (a.is_leader, b.is_leader) == (True, False)
        assert second.seen == []
        a.stop()  # the leader goes away
        wait_for(lambda: b.is_leader)
        assert second.seen == ["elected"] and first.seen == ["elected"]
    finally:
        a.stop()
        b.stop()


def test_a_leader_killed_with_sigkill_is_replaced_within_the_bound(database_url):
    postgres_only(database_url)
    script = (
        "import sys, time\n"
        "from jobs.leader import Leadership\n"
        "from storage.db import make_engine\n"
        "l = Leadership(make_engine(sys.argv[1]), on_elected=lambda: print('elected', flush=True),"
        " on_lost=lambda: None, interval=0.2)\n"
        "l.start()\n"
        "time.sleep(600)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, database_url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    events = Events()
    follower = events.leadership(make_engine(database_url))
    try:
        assert child.stdout.readline().strip() == "elected"
        follower.start()
        time.sleep(INTERVAL * 3)
        assert not follower.is_leader
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        took = wait_for(lambda: follower.is_leader)
        assert took < BOUND and events.seen == ["elected"]
    finally:
        child.kill()
        follower.stop()


def test_a_leader_whose_connection_breaks_pauses_and_competes_again(database_url):
    postgres_only(database_url)
    events = Events()
    engine = make_engine(database_url)
    leader = events.leadership(engine)
    leader.start()
    try:
        assert leader.is_leader
        with engine.connect() as admin:  # the database drops the leader's session
            admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
                )
            )
            admin.commit()
        wait_for(lambda: events.seen[-2:] == ["lost", "elected"])
        assert leader.is_leader
    finally:
        leader.stop()
