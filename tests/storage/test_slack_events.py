"""`storage.slack_events.take`: one delivery per event_id; old rows cleaned on insert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from storage.slack_events import KEEP, SlackEvent, take

NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)


def test_an_event_id_is_taken_once(session_factory):
    with session_factory.begin() as session:
        assert take(session, event_id="Ev1", now=NOW) is True
        assert take(session, event_id="Ev1", now=NOW) is False  # same transaction: savepoint
        assert take(session, event_id="Ev2", now=NOW) is True
    with session_factory.begin() as session:  # a later transaction (another process)
        assert take(session, event_id="Ev1", now=NOW + timedelta(minutes=5)) is False
        assert take(session, event_id="Ev3", now=NOW) is True


def test_rows_older_than_two_days_are_deleted_when_one_is_taken(session_factory):
    with session_factory.begin() as session:
        take(session, event_id="EvOld", now=NOW)
        take(session, event_id="EvRecent", now=NOW + KEEP)
    with session_factory.begin() as session:
        take(session, event_id="EvNew", now=NOW + KEEP + timedelta(seconds=1))
    with session_factory() as session:
        kept = session.exec(select(SlackEvent.event_id).order_by(SlackEvent.event_id)).all()
    assert kept == ["EvNew", "EvRecent"]
