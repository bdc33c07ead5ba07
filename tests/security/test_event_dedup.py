"""Events API deliveries run their listener once per `event_id`: Slack retries
(`X-Slack-Retry-Num`), exact replays and redeliveries after a restart (a new app on the same
database) are acknowledged and skipped. SQLite, and PostgreSQL when configured."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from bot.scenario.harness import Harness
from storage.slack_events import SlackEvent
from tests.conftest import APRIL_FIRST, SETTINGS, SETUP_YAML, WORKSPACE


@pytest.fixture
def start(database_url):
    """Start a harness (the sandbox + a fresh bot) on the one test database."""
    opened = []

    def open_one() -> Harness:
        h = Harness(
            workspace=WORKSPACE, settings=SETTINGS, start=APRIL_FIRST, database_url=database_url
        ).__enter__()
        opened.append(h)
        return h

    def close(h: Harness) -> None:
        opened.remove(h)
        h.__exit__(None, None, None)

    open_one.close = close
    yield open_one
    for h in reversed(opened):
        h.__exit__(None, None, None)


def publishes(h) -> int:
    """How many times the Home listener ran (each run publishes the Home tab once)."""
    return sum(1 for r in h.sandbox.journal.records if r.get("method") == "views.publish")


def last_event(h) -> dict:
    return [r for r in h.sandbox.journal.records if r.get("kind") == "event_callback"][-1]


def event_ids(h) -> list[str]:
    with h.session_factory() as session:
        return sorted(session.exec(select(SlackEvent.event_id)).all())


def test_the_same_event_delivered_again_runs_once(start):
    h = start()
    h.admin_import(SETUP_YAML)
    h.driver.open_home("U0ALICE")
    assert publishes(h) == 1
    original = last_event(h)
    body = original["request"]["raw"]

    retry = h.driver.send_raw(
        body, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    replay = h.driver.resend(original)
    h.settle()
    assert (retry.status, replay.status) == (200, 200)
    assert publishes(h) == 1
    assert event_ids(h) == [json.loads(body)["event_id"]]

    h.driver.open_home("U0ALICE")  # a new event_id: runs
    assert publishes(h) == 2 and len(event_ids(h)) == 2
    assert h.sandbox.failures == []


def test_a_retry_whose_original_never_arrived_runs_once(start):
    h = start()
    h.admin_import(SETUP_YAML)
    h.driver.open_home("U0ALICE")
    body = json.loads(last_event(h)["request"]["raw"])
    body["event_id"] = "Ev0LOSTORIGINAL"  # Slack sent it, the network lost it
    retry = json.dumps(body)
    for n in ("1", "2"):
        assert h.driver.send_raw(retry, headers={"X-Slack-Retry-Num": n}).status == 200
        h.settle()
    assert publishes(h) == 2  # the first visit, and the retry once


def test_a_redelivery_after_a_restart_runs_once(start):
    first = start()
    first.admin_import(SETUP_YAML)
    first.driver.open_home("U0ALICE")
    body = last_event(first)["request"]["raw"]
    start.close(first)

    again = start()  # a new process: new app, new sandbox, the same database
    ack = again.driver.send_raw(body, headers={"X-Slack-Retry-Num": "1"})
    again.settle()
    assert ack.status == 200
    assert publishes(again) == 0
    again.driver.open_home("U0ALICE")
    assert publishes(again) == 1
