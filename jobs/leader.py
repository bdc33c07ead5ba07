"""Scheduler leadership: with several `kiban serve` processes on one PostgreSQL database,
exactly one runs the scheduled jobs (issue #10).

The leader holds a session-level advisory lock (`pg_try_advisory_lock`) on a connection of
its own for as long as it lives. When the process dies, PostgreSQL closes the connection and
frees the lock at once; a follower tries every `interval` seconds and so takes over within
that bound. The leader checks its connection at the same pace: if the database restarted
(the lock went with the connection), it stops running jobs and competes again.

SQLite is one file on one host: its process is always the leader. Job slots stay claimed in
the database (`storage.jobs.claim`) as before, so even an overlap during a takeover cannot
post twice.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from storage.db import advisory_key

log = logging.getLogger(__name__)

LOCK_NAME = "kiban:scheduler-leader"
INTERVAL_SECONDS = 5.0


class Leadership:
    """Compete for leadership in a background thread; `on_elected()` runs when this process
    becomes the leader, `on_lost()` when it stops being one (its connection broke)."""

    def __init__(
        self,
        engine: Engine,
        *,
        on_elected: Callable[[], None],
        on_lost: Callable[[], None],
        interval: float = INTERVAL_SECONDS,
    ) -> None:
        self.engine = engine
        self.on_elected = on_elected
        self.on_lost = on_lost
        self.interval = interval
        self.is_leader = False
        self._connection: Connection | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Try once now (so a single process leads from its first second), then keep trying."""
        self.step()
        self._thread = threading.Thread(target=self._run, name="kiban-leader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop competing and give leadership up (the lock is freed with the connection)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 1)
        self._release()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.step()

    def step(self) -> None:
        """One round: a follower tries to take the lock; a leader checks it still has it."""
        if self.engine.dialect.name != "postgresql":
            if not self.is_leader:
                self._elected()
            return
        try:
            if self.is_leader:
                self._connection.execute(text("SELECT 1"))
            else:
                self._try_acquire()
        except SQLAlchemyError as error:
            log.warning("scheduler leadership: database unavailable (%s)", type(error).__name__)
            self._release()
            if self.is_leader:
                self.is_leader = False
                log.warning(
                    "lost scheduler leadership (pid %s): jobs paused until elected again",
                    os.getpid(),
                )
                self.on_lost()

    def _try_acquire(self) -> None:
        if self._connection is None:
            self._connection = self.engine.connect()
        got = self._connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": advisory_key(LOCK_NAME)}
        ).scalar()
        self._connection.commit()  # the lock is the session's, not the transaction's
        if got:
            self._elected()

    def _elected(self) -> None:
        self.is_leader = True
        log.info("this process (pid %s) is the scheduler leader: running the jobs", os.getpid())
        self.on_elected()

    def _release(self) -> None:
        if self._connection is not None:
            try:  # invalidate, not close: a pooled connection would keep the session's lock
                self._connection.invalidate()
                self._connection.close()
            except SQLAlchemyError:
                pass  # the connection is gone already: so is the lock
            self._connection = None
