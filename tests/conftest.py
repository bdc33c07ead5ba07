"""Shared fixtures: databases (SQLite always; PostgreSQL when KIBAN_TEST_POSTGRES_URL is set and
reachable), the standard test workspace and programme setup, and the sandbox + bot harness."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.scenario.harness import Harness
from storage.db import make_engine, make_session_factory, normalize_url
from storage.migrate import upgrade

FIXTURES = Path(__file__).parent / "fixtures"
SETUP_YAML = (FIXTURES / "setup.yaml").read_text(encoding="utf-8")

WORKSPACE = {
    "users": [
        {"id": "U0SATO", "name": "sato", "tz": "Asia/Tokyo", "locale": "ja-JP"},
        {"id": "U0ALICE", "name": "alice", "tz": "America/Los_Angeles", "locale": "en-US"},
        {"id": "U0YUKI", "name": "yuki", "tz": "Asia/Tokyo", "locale": "ja-JP"},
        {"id": "U0KENJI", "name": "kenji", "tz": "Asia/Tokyo", "locale": "ja-JP"},
        {"id": "U0HANA", "name": "hana", "tz": "Asia/Tokyo", "locale": "ja-JP"},
        {"id": "U0GUEST", "name": "guest", "tz": "Europe/London", "locale": "en-GB"},
        {"id": "U0GAKU", "name": "gaku", "tz": "Asia/Tokyo", "locale": "ja-JP"},
    ],
    "channels": [
        {"id": "C0DIGEST", "name": "community-digest"},
        {"id": "C0OPS", "name": "secretariat", "private": True},
        {"id": "C0ORGA", "name": "orga-private", "private": True},
        {"id": "C0ORGB", "name": "orgb-private", "private": True},
        {"id": "C0ORGC", "name": "orgc-private", "private": True},
        {"id": "C0EVALS", "name": "eval-results", "private": True},
    ],
}
SETTINGS = {
    "operator_channel": "C0OPS",
    "digest_channel": "C0DIGEST",
    "eval_results_channel": "C0EVALS",
}
# 2026-04-01 09:30 JST
APRIL_FIRST = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)


def _postgres_server_url() -> str | None:
    url = os.environ.get("KIBAN_TEST_POSTGRES_URL")
    if not url:
        return None
    try:
        engine = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
        with engine.connect():
            pass
    except Exception:  # noqa: BLE001 (any failure to connect means "not reachable")
        return None
    return normalize_url(url)


POSTGRES = _postgres_server_url()


def _fresh_postgres_database() -> tuple[str, callable]:
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    name = f"kiban_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                POSTGRES is None, reason="KIBAN_TEST_POSTGRES_URL not set or not reachable"
            ),
        ),
    ]
)
def database_url(request, tmp_path) -> str:
    """A migrated, empty database: SQLite file, and PostgreSQL when configured."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kiban.sqlite3'}"
        upgrade(url)
        yield url
        return
    url, drop = _fresh_postgres_database()
    upgrade(url)
    yield url
    drop()


@pytest.fixture
def session_factory(database_url):
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def harness(tmp_path):
    """Sandbox + real bot with the standard workspace and setup loaded; clock at 2026-04-01
    09:30 JST. `harness.journal()` reads the journal as a list of dicts."""
    journal_path = tmp_path / "journal.jsonl"
    with Harness(
        workspace=WORKSPACE, settings=SETTINGS, start=APRIL_FIRST, journal_path=journal_path
    ) as h:
        h.admin_import(SETUP_YAML)
        h.journal = lambda: [
            json.loads(line) for line in journal_path.read_text(encoding="utf-8").splitlines()
        ]
        h.expected_failures = []  # a test that provokes a Slack error on purpose lists it here
        yield h
        unexpected = [f for f in h.sandbox.failures if f not in h.expected_failures]
        assert unexpected == [], unexpected
