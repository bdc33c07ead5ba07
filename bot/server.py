"""`kiban serve`: the bot with its scheduler, over Socket Mode or HTTP.

Socket Mode when `SLACK_APP_TOKEN` is set (no public URL needed); otherwise HTTP on `PORT`,
`POST /slack/events`, served by waitress (a production WSGI server) through Bolt's WSGI adapter.
"""

from __future__ import annotations

import json
import logging

import waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from bot.app import create_app
from bot.errors import UserError
from bot.settings import Settings
from jobs.leader import Leadership
from jobs.scheduler import build_scheduler
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


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
    return waitress.create_server(wsgi_app(app), host=host, port=port, threads=8, ident="kiban")


def serve(settings: Settings) -> None:
    """Upgrade the database, start the scheduler and serve until interrupted.

    Raises UserError when the Slack token or signing secret is missing or Slack rejects them.
    """
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
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    try:
        app, deps = create_app(settings, factory)
    except (BoltError, SlackApiError) as error:
        raise UserError(
            f"Slack did not accept the bot token: {error}",
            f"Slack がボットトークンを受け付けませんでした: {error}",
        ) from None
    except OSError as error:  # urllib's URLError: Slack unreachable
        raise UserError(
            f"Cannot reach Slack at {settings.slack_api_url}: {error}",
            f"Slack（{settings.slack_api_url}）に接続できません: {error}",
        ) from None
    scheduler = build_scheduler(deps)
    scheduler.start(paused=True)  # jobs run only while this process leads (jobs.leader)
    leadership = Leadership(engine, on_elected=scheduler.resume, on_lost=scheduler.pause)
    leadership.start()
    try:
        if settings.slack_app_token and settings.slack_app_token.get_secret_value():
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("serving over Socket Mode")
            SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
        else:
            server = make_http_server(app, "0.0.0.0", settings.port)
            log.info("serving HTTP on port %s, path %s", settings.port, EVENTS_PATH)
            server.run()
    finally:
        leadership.stop()
        scheduler.shutdown(wait=False)
