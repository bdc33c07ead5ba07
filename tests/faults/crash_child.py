"""A Kiban process for the crash tests: runs one job against a database and a sandbox, and is
killed (SIGKILL) by the test while it sends.

    python -m tests.faults.crash_child DATABASE_URL API_URL JOB NOW_ISO [SETTINGS_JSON]
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

from bot.app import create_app
from bot.settings import Settings
from jobs.compute import run_condition_alerts, run_weekly_digest
from jobs.delivery import run_outbox
from storage.db import make_engine, make_session_factory

JOBS = {
    "condition_alerts": run_condition_alerts,
    "weekly_digest": run_weekly_digest,
    "outbox": run_outbox,
}


def deps_for(database_url: str, api_url: str, now: datetime, extra: dict):
    settings = Settings(
        _env_file=None,
        slack_bot_token="xoxb-sandbox",
        slack_signing_secret="s" * 32,
        slack_api_url=api_url,
        database_url=database_url,
        slack_timeout=30,
        **extra,
    )
    factory = make_session_factory(make_engine(database_url))
    return create_app(settings, factory, clock=lambda: now)[1]


def main(argv: list[str]) -> None:
    database_url, api_url, job, when = argv[:4]
    extra = json.loads(argv[4]) if len(argv) > 4 else {}
    now = datetime.fromisoformat(when)
    print("ready", flush=True)
    JOBS[job](deps=deps_for(database_url, api_url, now, extra), now=now)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
