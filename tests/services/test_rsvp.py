"""RSVP rules (issue #6 groundwork): one row per person however often they click, capacity
and the waitlist in arrival order, promotion when a seat frees, the deadline's edge, and two
people racing for the last seat on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.errors import UserError
from bot.services import rsvp
from storage.events import Event, Rsvp, RsvpAnswer

NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
GOING, MAYBE, CANT = RsvpAnswer.GOING, RsvpAnswer.MAYBE, RsvpAnswer.CANT


@pytest.fixture
def event(session_factory):
    def make(capacity=None, deadline=NOW + timedelta(days=5)):
        with session_factory.begin() as session:
            row = Event(
                title="勉強会",
                starts_at=NOW + timedelta(days=7),
                ends_at=NOW + timedelta(days=7, hours=2),
                capacity=capacity,
                rsvp_deadline=deadline,
                created_by="U0SATO",
            )
            session.add(row)
            session.flush()
            return row.id

    return make


def answer(factory, event_id, user, choice, now=NOW):
    with factory.begin() as session:
        return rsvp.answer(session=session, event_id=event_id, user_id=user, choice=choice, now=now)


def rows(factory, event_id):
    with factory() as session:
        found = session.exec(select(Rsvp).where(Rsvp.event_id == event_id).order_by(Rsvp.id))
        return [(r.user_id, r.answer, r.waitlisted) for r in found]


def test_clicking_twice_or_changing_the_answer_keeps_one_row(session_factory, event):
    event_id = event()
    answer(session_factory, event_id, "U1", GOING)
    answer(session_factory, event_id, "U1", GOING)
    answer(session_factory, event_id, "U1", MAYBE)
    assert rows(session_factory, event_id) == [("U1", "maybe", False)]


def test_a_full_event_waitlists_in_order_and_a_freed_seat_promotes_the_first(
    session_factory, event
):
    event_id = event(capacity=2)
    for user in ("U1", "U2"):
        assert answer(session_factory, event_id, user, GOING).waitlist_position is None
    assert answer(session_factory, event_id, "U3", GOING).waitlist_position == 1
    assert answer(session_factory, event_id, "U4", GOING).waitlist_position == 2
    freed = answer(session_factory, event_id, "U1", CANT)
    assert freed.promoted == "U3"
    assert rows(session_factory, event_id) == [
        ("U1", "cant", False),
        ("U2", "going", False),
        ("U3", "going", False),
        ("U4", "going", True),
    ]
    assert answer(session_factory, event_id, "U4", GOING).waitlist_position == 1  # moved up
    assert answer(session_factory, event_id, "U4", MAYBE).promoted is None  # held no seat


def test_the_deadline_is_exclusive_and_without_one_answers_close_at_the_start(
    session_factory, event
):
    event_id = event(deadline=NOW + timedelta(hours=1))
    answer(session_factory, event_id, "U1", GOING, now=NOW + timedelta(minutes=59, seconds=59))
    with pytest.raises(UserError, match="closed"):
        answer(session_factory, event_id, "U1", CANT, now=NOW + timedelta(hours=1))
    assert rows(session_factory, event_id) == [("U1", "going", False)]
    open_until_start = event(deadline=None)
    with pytest.raises(UserError, match="closed"):
        answer(session_factory, open_until_start, "U2", GOING, now=NOW + timedelta(days=7))


def test_two_people_racing_for_the_last_seat_get_one_seat_and_one_waitlist_place(
    session_factory, event
):
    event_id = event(capacity=1)
    barrier, results = threading.Barrier(2), {}

    def click(user):
        barrier.wait()
        results[user] = answer(session_factory, event_id, user, GOING).waitlist_position

    threads = [threading.Thread(target=click, args=(u,)) for u in ("U1", "U2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values(), key=str) == [1, None]
    seated = [r for r in rows(session_factory, event_id) if not r[2]]
    assert len(seated) == 1 and len(rows(session_factory, event_id)) == 2


def test_leaving_the_line_and_rejoining_goes_to_its_back_even_in_the_same_instant(
    session_factory, event
):
    # found by a tester: every click at the same instant, so a queue by time fell back to row
    # ids and a person who left and rejoined kept (or a returning guest took) the first place
    event_id = event(capacity=2)
    for user in ("ALICE", "OLIVER", "KENJI", "YUKI"):
        answer(session_factory, event_id, user, GOING)
    answer(session_factory, event_id, "KENJI", CANT)
    assert answer(session_factory, event_id, "KENJI", GOING).waitlist_position == 2
    assert answer(session_factory, event_id, "ALICE", CANT).promoted == "YUKI"
    assert answer(session_factory, event_id, "ALICE", GOING).waitlist_position == 2
    assert answer(session_factory, event_id, "OLIVER", CANT).promoted == "KENJI"
