"""`kiban serve`: the bot with its scheduler, over Socket Mode or HTTP.

Socket Mode when `SLACK_APP_TOKEN` is set (no public URL needed); otherwise HTTP on `PORT`,
`POST /slack/events`, served through Bolt's WSGI adapter by waitress (one process, 8 threads),
or with `--workers N` (N > 1, PostgreSQL only) by gunicorn: N worker processes of 8 threads
each on one port, the socket bound with `SO_REUSEPORT` so that another `kiban serve --workers`
on the same host and port joins it (replicas behind one port). Each worker builds its own
engine, app and scheduler after the fork, and competes for scheduler leadership
(`jobs.leader`) like a replica: one process in all runs the jobs.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable

import waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.errors import SlackApiError
from tenacity import Retrying, retry_if_exception_type, wait_exponential

from bot.app import create_app
from bot.clients.slack import TRANSPORT_ERRORS, make_web_client
from bot.errors import UserError
from bot.settings import Settings
from jobs.leader import Leadership
from jobs.scheduler import build_scheduler
from storage.db import make_engine, make_session_factory, normalize_url
from storage.migrate import upgrade

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
THREADS = 8  # per process: waitress's threads, or each gunicorn worker's


def wsgi_app(app: App):
    """Bolt as a WSGI application answering `POST /slack/events` (404 elsewhere).

    Bolt verifies the signature and refuses a timestamp more than 5 minutes from now, but a
    timestamp that is not a number made it fail with HTTP 500 and a logged traceback; such a
    request is refused here with Bolt's own 401 instead.
    """
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ, start_response):
        stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        if stamp is not None and not (stamp.isascii() and stamp.isdigit()):
            body = json.dumps({"error": "invalid request"}).encode()
            start_response(
                "401 Unauthorized",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return bolt(environ, start_response)

    return application


def make_http_server(app: App, host: str, port: int):
    """A waitress server for the app (port 0 picks a free one: see `.effective_port`)."""
    return waitress.create_server(
        wsgi_app(app), host=host, port=port, threads=THREADS, ident="kiban"
    )


def make_gunicorn_server(
    build: Callable[[], Callable], host: str, port: int, workers: int, **hooks
):
    """A gunicorn application (call `.run()`; it serves until SIGTERM or SIGINT) of `workers`
    processes with `THREADS` threads each (the gthread worker) on `host:port`.

    `build()` is called in each worker after the fork and returns its WSGI application (so
    nothing made before the fork, such as a database engine, is shared). The socket is bound
    with `SO_REUSEPORT`: a second server on the same host and port joins instead of failing,
    and the kernel spreads connections over both. `hooks`: gunicorn server hooks (e.g.
    `worker_exit=f(server, worker)`). Errors to standard error; with `LOG_LEVEL=DEBUG` also
    an access log on standard output (request line, status, seconds, the worker's pid). No
    control socket (two servers on one host would share its path).
    """
    from gunicorn.app.base import BaseApplication

    debug = logging.getLogger().getEffectiveLevel() <= logging.DEBUG
    options = {
        "accesslog": "-" if debug else None,
        "access_log_format": '%(h)s "%(r)s" %(s)s %(L)ss worker %(p)s',
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": THREADS,
        "reuse_port": True,
        "proc_name": "kiban",
        "errorlog": "-",
        "loglevel": logging.getLevelName(logging.getLogger().getEffectiveLevel()).lower(),
        "control_socket_disable": True,  # gunicorn >= 25.1
        **hooks,
    }

    class _Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self):
            return build()

    return _Server()


def _check_credentials(settings: Settings) -> None:
    missing = [
        name
        for name, secret in (
            ("SLACK_BOT_TOKEN", settings.slack_bot_token),
            ("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
        )
        if not secret.get_secret_value()
    ]
    if missing:
        raise UserError(
            f"{' and '.join(missing)} must be set to serve (see .env.example and README,"
            " 'Connecting a real Slack workspace'). To try Kiban without Slack: kiban demo.",
            f"{'と'.join(missing)} を設定してください（.env.example と README の「Connecting a"
            " real Slack workspace」を参照）。Slack なしで試すには kiban demo を実行します。",
        )


def _socket_mode(settings: Settings) -> bool:
    return bool(settings.slack_app_token and settings.slack_app_token.get_secret_value())


def _check_workers(settings: Settings, workers: int) -> None:
    """Refuse `--workers` > 1 where it cannot work: on SQLite (one process writes the file,
    and each would run the jobs) and over Socket Mode (no HTTP port to share)."""
    if workers < 1:
        raise UserError(
            f"--workers must be 1 or more (got {workers}).",
            f"--workers には 1 以上を指定してください（指定値: {workers}）。",
        )
    if workers == 1:
        return
    if not normalize_url(settings.database_url).startswith("postgresql"):
        raise UserError(
            f"--workers {workers} needs PostgreSQL: SQLite is served by one process. Set"
            " DATABASE_URL to a PostgreSQL database, or serve with one worker (the default).",
            f"--workers {workers} には PostgreSQL が必要です（SQLite は 1 プロセスで提供します）。"
            "DATABASE_URL に PostgreSQL を設定するか、ワーカー 1 つ（既定）で起動してください。",
        )
    if _socket_mode(settings):
        raise UserError(
            f"--workers {workers} is for HTTP mode; over Socket Mode (SLACK_APP_TOKEN set)"
            " serve with one worker and run more replicas instead.",
            f"--workers {workers} は HTTP モード用です。Socket Mode（SLACK_APP_TOKEN 設定時）では"
            "ワーカー 1 つで起動し、レプリカを増やしてください。",
        )


def _check_slack(settings: Settings) -> None:
    """Check the bot token once (`auth.test`) before serving. A token Slack rejects is a
    UserError; Slack out of reach is not: the process serves anyway (requests need Slack,
    but the outbox keeps every message until Slack answers, and a worker restarted during an
    outage must not stop the others), with a warning."""
    client = make_web_client(
        settings.slack_bot_token.get_secret_value(),
        settings.slack_api_url,
        timeout=settings.slack_timeout,
    )
    try:
        client.auth_test()
    except SlackApiError as error:
        raise UserError(
            f"Slack did not accept the bot token: {error.response.get('error')}",
            f"Slack がボットトークンを受け付けませんでした: {error.response.get('error')}",
        ) from None
    except TRANSPORT_ERRORS as error:
        log.warning(
            "Slack cannot be reached at %s (%s); serving anyway: messages wait in the outbox"
            " until Slack answers / Slack に接続できませんが起動します（送信キューが再送します）",
            settings.slack_api_url,
            type(error).__name__,
        )


RECONNECT_WAIT = wait_exponential(multiplier=2, max=60)  # 2 s, 4 s, … at most a minute


def _until_connected(start: Callable[[], None], wait=RECONNECT_WAIT) -> None:
    """`start()` (Socket Mode's connection, then serving), tried again while Slack cannot be
    reached: every 2 s at first, then at most every minute (the scheduler, and so the
    outbox, run meanwhile)."""
    for attempt in Retrying(
        retry=retry_if_exception_type(TRANSPORT_ERRORS),
        wait=wait,
        before_sleep=lambda state: log.warning(
            "Socket Mode cannot reach Slack (%s); trying again",
            type(state.outcome.exception()).__name__,
        ),
    ):
        with attempt:
            start()


def _check_port(port: int) -> None:
    """Refuse a port another program holds (a replica of Kiban shares it: SO_REUSEPORT)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError as error:
            raise UserError(
                f"Port {port} cannot be used ({error.strerror}): another program is listening"
                " on it. Stop it, or set PORT to a free port.",
                f"ポート {port} を使えません（{error.strerror}）。他のプログラムが使用中です。"
                "停止するか、PORT に空いているポートを設定してください。",
            ) from None


class _Process:
    """One serving process's engine, Bolt app, scheduler and leadership bid (a replica, or
    one gunicorn worker). `close()` gives leadership up and stops the scheduler."""

    def __init__(self, settings: Settings) -> None:
        self.engine = make_engine(settings.database_url)
        factory = make_session_factory(self.engine)
        # the token was checked once before (`_check_slack`); Bolt does not ask Slack again
        self.app, self.deps = create_app(settings, factory, verify_token=False)
        self.scheduler = build_scheduler(self.deps)
        self.scheduler.start(paused=True)  # jobs run only while this process leads
        self.leadership = Leadership(
            self.engine, on_elected=self.scheduler.resume, on_lost=self.scheduler.pause
        )
        self.leadership.start()

    def close(self) -> None:
        self.leadership.stop()
        self.scheduler.shutdown(wait=False)
        self.engine.dispose()


def serve(settings: Settings, workers: int = 1) -> None:
    """Upgrade the database, start the scheduler and serve until interrupted.

    `workers` > 1: that many gunicorn worker processes on `PORT` (HTTP, PostgreSQL only).
    Raises UserError when the Slack token or signing secret is missing or Slack rejects the
    token, when `PORT` is held by another program, or when `workers` > 1 is asked on SQLite or
    over Socket Mode. Slack out of reach is not an error (`_check_slack`).
    """
    _check_credentials(settings)
    _check_workers(settings, workers)
    if not _socket_mode(settings):
        _check_port(settings.port)
    upgrade(settings.database_url)
    _check_slack(settings)
    if workers > 1:
        _serve_workers(settings, workers)
        return
    process = _Process(settings)
    try:
        if _socket_mode(settings):
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("serving over Socket Mode")
            handler = SocketModeHandler(process.app, settings.slack_app_token.get_secret_value())
            _until_connected(handler.start)
        else:
            server = make_http_server(process.app, "0.0.0.0", settings.port)
            log.info("serving HTTP on port %s, path %s", settings.port, EVENTS_PATH)
            server.run()
    finally:
        process.close()


def _serve_workers(settings: Settings, workers: int) -> None:
    current: list[_Process] = []  # this worker's, once built (after the fork)

    def build():
        process = _Process(settings)
        current.append(process)
        log.info(
            "serving HTTP on port %s, path %s (worker %s of %s)",
            settings.port,
            EVENTS_PATH,
            os.getpid(),
            workers,
        )
        return wsgi_app(process.app)

    def worker_exit(_server, _worker):
        for process in current:
            process.close()

    log.info("starting %s workers on port %s (SO_REUSEPORT)", workers, settings.port)
    make_gunicorn_server(build, "0.0.0.0", settings.port, workers, worker_exit=worker_exit).run()
