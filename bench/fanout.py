"""Benchmark: 1,000 alert DMs through the outbox against Slack's rate limits (issue #10).

The sandbox limits chat.postMessage per channel (1/s, burst 5) and, here, for the whole
workspace (`--rate` posts/s, `--burst`; Slack documents "several hundred messages per minute"
for a workspace without a figure). 1,000 DMs are queued in one unit of work (rendered in both
languages, as an alert job does), then sent as `kiban serve` would: right after the commit,
and then by the outbox job whenever rows wait (here: as soon as the earliest is due). Every
HTTP 429 is honoured (the SDK waits `Retry-After` up to three times per call; beyond, the row
waits for its `due_at`).

Prints the time to queue, the time to send, the floor the limits allow
((N − burst) / rate), their ratio, the 429s seen, and checks that every row was sent once.

    .venv/bin/python -m bench.fanout [--messages 1000] [--rate 20] [--burst 50]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from bot.blocks.common import Message
from bot.clients.slack import Notice, SlackGateway, make_web_client
from bot.sandbox import Sandbox, Workspace
from bot.services.delivery import send, unit_of_work
from bot.settings import Settings
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.outbox import OutboxMessage


def _alert(user: str, n: int) -> Notice:
    def render(lang: str) -> Message:
        text = (
            f"ORG{n:04d}: 3月の使用量が計画を 24% 上回りました"
            if lang == "ja"
            else f"ORG{n:04d}: March use is 24% over plan"
        )
        return Message(
            text=text,
            blocks=[
                {"type": "section", "text": {"type": "mrkdwn", "text": f":warning: {text}"}},
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "alert_ack",
                            "text": {"type": "plain_text", "text": "Acknowledge"},
                            "value": str(n),
                        }
                    ],
                },
            ],
        )

    return Notice(channel=user, render=render, kind="alert")


def run(messages: int, rate: float, burst: int) -> dict:
    users = [f"U{n:07d}" for n in range(messages)]
    workspace = Workspace.from_dict(
        {
            "users": [
                {"id": u, "name": f"user{n}", "locale": "ja-JP" if n % 2 else "en-US"}
                for n, u in enumerate(users)
            ],
            "channels": [{"id": "C0OPS", "name": "secretariat"}],
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'fanout.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        with Sandbox(
            workspace=workspace,
            signing_secret="s",
            workspace_post_rate=rate,
            workspace_post_burst=burst,
        ) as sandbox:
            settings = Settings(_env_file=None, operator_channel="C0OPS")
            gateway = SlackGateway(
                make_web_client("xoxb-sandbox", sandbox.api_url), operator_channel="C0OPS"
            )
            started = time.perf_counter()
            now = datetime.now(UTC)
            with unit_of_work(
                session_factory=factory, gateway=gateway, settings=settings, now=now, flush=False
            ) as work:
                work.send([_alert(user, n) for n, user in enumerate(users)])
            queued = time.perf_counter()
            work.flush()
            rounds = 1
            while True:  # the outbox job, run as soon as a waiting row is due
                with factory() as session:
                    waiting = session.exec(
                        select(OutboxMessage.due_at).where(OutboxMessage.sent_at.is_(None))
                    ).all()
                if not waiting:
                    break
                time.sleep(max(0.05, (min(waiting) - datetime.now(UTC)).total_seconds()))
                send(
                    session_factory=factory,
                    gateway=gateway,
                    settings=settings,
                    now=datetime.now(UTC),
                )
                rounds += 1
            done = time.perf_counter()
            posts = [r for r in sandbox.journal.records if r.get("method") == "chat.postMessage"]
            with factory() as session:
                rows = session.exec(select(OutboxMessage)).all()
            keys = [
                ((e.raw.get("metadata") or {}).get("event_payload") or {}).get("key")
                for e in sandbox.state.entries
                if e.kind == "message"
            ]
        engine.dispose()
    floor = max(0.0, (messages - burst) / rate)
    sending = done - queued
    return {
        "messages": messages,
        "queue_s": queued - started,
        "send_s": sending,
        "floor_s": floor,
        "ratio": sending / floor if floor else float("nan"),
        "http_429": sum(1 for r in posts if r["response"]["status"] == 429),
        "job_rounds": rounds,
        "all_sent_once": sorted(keys) == sorted(row.key for row in rows)
        and all(row.sent_at for row in rows),
    }


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
        return value

    return parse


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=_positive(int), default=1000)
    parser.add_argument(
        "--rate", type=_positive(float), default=20.0, help="workspace posts per second"
    )
    parser.add_argument("--burst", type=_positive(int), default=50)
    args = parser.parse_args(argv)
    result = run(args.messages, args.rate, args.burst)
    print(
        f"{result['messages']} DMs at {args.rate:g}/s (burst {args.burst}): queued in "
        f"{result['queue_s']:.1f} s, sent in {result['send_s']:.1f} s; the limits allow "
        f"{result['floor_s']:.1f} s (ratio {result['ratio']:.2f}); {result['http_429']} HTTP 429"
        f" honoured, {result['job_rounds']} outbox round(s); every row sent once: "
        f"{result['all_sent_once']}"
    )
    return result


if __name__ == "__main__":
    main()
