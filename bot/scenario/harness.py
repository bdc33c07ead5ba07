"""The sandbox and the real bot together, in one process: what `kiban demo` and the end-to-end
tests run on. The bot serves HTTP (waitress, Bolt's WSGI adapter) on an ephemeral loopback port
with a fresh SQLite database in a temporary folder (or the `database_url` given); the sandbox
plays Slack. The bot's clock is simulated and moves only when told.
"""

from __future__ import annotations

import secrets
import tempfile
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bot.app import create_app
from bot.sandbox import Sandbox, Workspace
from bot.sandbox.server import start_in_thread, stop_in_thread
from bot.server import make_http_server
from bot.services.admin import import_setup
from bot.settings import Settings
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade


class ScenarioSettings(Settings):
    """Settings from the scenario alone: the environment and `.env` are ignored, so a demo
    plays the same on every machine."""

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, **_other_sources):
        return (init_settings,)


class SimClock:
    """The scenario's clock: moves only when a step says `at:` or a job fires."""

    def __init__(self, start: datetime):
        self.moment = start.astimezone(UTC)

    def now(self) -> datetime:
        return self.moment


class IdleTrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener executor, counting work in flight so the driver can wait until the bot
    has finished reacting to what a person did."""

    def __init__(self):
        super().__init__(max_workers=8, thread_name_prefix="kiban-listener")
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, fn, /, *args, **kwargs):
        with self._idle:
            self._pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)


class Harness:
    """Context manager: `with Harness(workspace={...}, settings={...}) as h:` gives
    `h.sandbox`, `h.driver`, `h.deps`, `h.settings`, `h.clock` and `h.session_factory`."""

    def __init__(
        self,
        *,
        workspace: dict,
        settings: dict | None = None,
        start: datetime | None = None,
        journal_path: Path | None = None,
        database_url: str | None = None,
    ):
        self._workspace = workspace
        self._settings = settings or {}
        self.clock = SimClock(start or datetime(2026, 4, 1, 0, 0, tzinfo=UTC))
        self._journal_path = journal_path
        self._database_url = database_url
        self._tmp: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> Harness:
        self._tmp = tempfile.TemporaryDirectory(prefix="kiban-")
        secret = secrets.token_hex(16)
        self.sandbox = Sandbox(
            workspace=Workspace.from_dict(self._workspace),
            signing_secret=secret,
            journal_path=self._journal_path,
        ).start()
        self.settings = ScenarioSettings(
            slack_bot_token="xoxb-sandbox",
            slack_signing_secret=secret,
            slack_api_url=self.sandbox.api_url,
            database_url=self._database_url
            or f"sqlite:///{Path(self._tmp.name) / 'kiban.sqlite3'}",
            **self._settings,
        )
        upgrade(self.settings.database_url)
        self.engine = make_engine(self.settings.database_url)
        self.session_factory = make_session_factory(self.engine)
        self.executor = IdleTrackingExecutor()
        self.app, self.deps = create_app(
            self.settings,
            self.session_factory,
            clock=self.clock.now,
            listener_executor=self.executor,
        )
        self.server = make_http_server(self.app, "127.0.0.1", 0)
        self.server_thread = start_in_thread(self.server, "kiban-http")
        self.sandbox.bot_url = f"http://127.0.0.1:{self.server.effective_port}/slack/events"
        self.driver = self.sandbox.driver(settle=self.settle)
        return self

    def settle(self) -> None:
        """Wait until the bot has finished reacting (no listener running)."""
        self.executor.wait_idle()

    def admin_import(self, text: str) -> Counter:
        """Load a setup file (the `kiban admin import` format) in one transaction."""
        with self.session_factory.begin() as session:
            return import_setup(session=session, text=text)

    def __exit__(self, *exc) -> None:
        self.settle()
        stop_in_thread(self.server, self.server_thread)
        self.executor.shutdown(wait=True)
        self.sandbox.stop()
        self.engine.dispose()
        self._tmp.cleanup()
