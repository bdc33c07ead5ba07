"""The floor of `bench/ack.py`: a bare Bolt app on Kiban's own server stack whose listeners
only `ack()`, for the same request kinds (`/compute`, the report modal's submission, the Home's
Acknowledge button). What it costs is what Bolt, the signature check and the HTTP server cost.

    .venv/bin/python -m bench.floor --port P --secret S --api-url URL [--workers N]

Served like `kiban serve`: waitress through `bot.server.make_http_server` with one worker, or
gunicorn through `bot.server.make_gunicorn_server` (N processes on one port, SO_REUSEPORT, so a
second floor on the same port joins). Logs "serving HTTP on port …" once per serving process
when it is ready. `--api-url` is the sandbox's Web API (Bolt checks the token with auth.test).
"""

from __future__ import annotations

import argparse
import logging
import os

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks.compute import Ids as ComputeIds
from bot.blocks.home import Ids as HomeIds
from bot.server import EVENTS_PATH, make_gunicorn_server, make_http_server, wsgi_app

log = logging.getLogger("bench.floor")


def floor_app(secret: str, api_url: str) -> App:
    """A Bolt app whose listeners for the benchmarked requests only acknowledge them."""
    app = App(client=WebClient(token="xoxb-sandbox", base_url=api_url), signing_secret=secret)

    def just_ack(ack):
        ack()

    app.command("/compute")(just_ack)
    app.view(ComputeIds.REPORT_SUBMIT)(just_ack)
    app.action(HomeIds.INSTRUCTION_ACK)(just_ack)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level="INFO", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.workers == 1:
        server = make_http_server(floor_app(args.secret, args.api_url), "127.0.0.1", args.port)
        log.info("serving HTTP on port %s, path %s", args.port, EVENTS_PATH)
        server.run()
        return

    def build():
        app = floor_app(args.secret, args.api_url)
        log.info(
            "serving HTTP on port %s, path %s (worker %s)", args.port, EVENTS_PATH, os.getpid()
        )
        return wsgi_app(app)

    make_gunicorn_server(build, "127.0.0.1", args.port, args.workers).run()


if __name__ == "__main__":
    main()
