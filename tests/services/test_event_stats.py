"""Event participation statistics (issue #6): the figures per organization and per event, month
boundaries in the programme's zone, `/event stats` (operators; a bad month), and the event
section of the monthly report."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from bot.errors import UserError
from bot.services import event_stats
from bot.services.admin import import_setup
from bot.services.members import resolve_actor
from bot.settings import Settings
from handlers import event_stats as handler
from storage.events import EventSurvey
from storage.members import get_org_by_code, upsert_member
from tests.conftest import SETUP_YAML
from tests.event_rows import add_event, add_rsvp

SETTINGS = Settings(_env_file=None, operator_channel="C0OPS")
NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)  # 2026-05-10 12:00 JST


def jst(*args) -> datetime:
    """A JST wall-clock time as aware UTC."""
    return datetime(*args, tzinfo=SETTINGS.tz).astimezone(UTC)


def event(session, title, starts_at, *, capacity=None, cancelled=False) -> int:
    return add_event(
        session, title=title, starts_at=starts_at, capacity=capacity, cancelled=cancelled
    )


def rsvp(session, event_id, user, answer="going", *, waitlisted=False, checked_in=False):
    add_rsvp(
        session,
        event_id,
        user,
        answer,
        answered_at=jst(2026, 4, 1, 10),
        waitlisted=waitlisted,
        checked_in_at=jst(2026, 4, 10, 14) if checked_in else None,
    )


def survey(session, event_id, user, rating):
    session.add(
        EventSurvey(event_id=event_id, user_id=user, rating=rating, answered_at=jst(2026, 4, 11))
    )


@pytest.fixture
def programme(session_factory):
    """The test workspace, with U0KENJI also in ORGA (two organizations), and five events:

    - Kickoff, 2026-04-10 14:00 JST, capacity 2: Alice and Kenji going and checked in, Yuki
      waitlisted, the guest (no organization) maybe; surveys 5 and 4.
    - Late night, 2026-04-30 23:30 JST (April), no limit: Hana going, Alice can't.
    - Cancelled, 2026-04-15: Alice going and checked in (not counted).
    - May day, 2026-05-01 00:00 JST (May): Yuki and Sato (secretariat) going.
    - Later, 2026-05-20 (after NOW): Hana going (answered, but not went).
    """
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
        upsert_member(
            session,
            slack_user_id="U0KENJI",
            org_id=get_org_by_code(session, "ORGA").id,
            role="member",
        )
        kickoff = event(session, "Kickoff <!channel> | A", jst(2026, 4, 10, 14), capacity=2)
        rsvp(session, kickoff, "U0ALICE", checked_in=True)
        rsvp(session, kickoff, "U0KENJI", checked_in=True)
        rsvp(session, kickoff, "U0YUKI", waitlisted=True)
        rsvp(session, kickoff, "U0GUEST", "maybe")
        survey(session, kickoff, "U0ALICE", 5)
        survey(session, kickoff, "U0KENJI", 4)
        late = event(session, "Late night", jst(2026, 4, 30, 23, 30))
        rsvp(session, late, "U0HANA")
        rsvp(session, late, "U0ALICE", "cant")
        cancelled = event(session, "Cancelled", jst(2026, 4, 15, 10), cancelled=True)
        rsvp(session, cancelled, "U0ALICE", checked_in=True)
        survey(session, cancelled, "U0ALICE", 1)
        may = event(session, "May day", jst(2026, 5, 1, 0, 0))
        rsvp(session, may, "U0YUKI")
        rsvp(session, may, "U0SATO")
        later = event(session, "Later", jst(2026, 5, 20, 10))
        rsvp(session, later, "U0HANA")
    return session_factory


def figures(row) -> tuple:
    return (row.members, row.people, row.events, row.answered, row.went, row.checked_in)


def stats(factory, month):
    with factory() as session:
        return event_stats.participation(session, SETTINGS, month=month, now=NOW)


def test_april_counts_per_organization_and_in_total(programme):
    result = stats(programme, "2026-04")
    rows = {row.code: figures(row) for row in result.orgs}
    # members, people who answered, events, answered, went, checked in
    assert rows == {
        "ORGA": (2, 2, 2, 3, 2, 2),  # Alice twice, Kenji (also ORGB)
        "ORGB": (2, 2, 1, 2, 1, 1),  # Kenji went, Yuki waitlisted
        "ORGC": (1, 1, 1, 1, 1, 0),
        None: (None, 1, 1, 1, 0, 0),  # the guest, in no organization
    }  # the secretariat answered nothing in April: not listed
    assert [row.code for row in result.orgs] == ["ORGA", "ORGB", "ORGC", None]
    assert result.orgs[0].name == "Alpha AI"
    # the total counts each answer once: 6 answers by 5 people at 2 events
    assert figures(result.total) == (5, 5, 2, 6, 3, 2)


def test_april_per_event_rows(programme):
    result = stats(programme, "2026-04")
    kickoff, late = result.events
    assert (kickoff.title, str(kickoff.starts_on), kickoff.going, kickoff.capacity) == (
        "Kickoff <!channel> | A",
        "2026-04-10",
        2,
        2,
    )
    assert (kickoff.waitlisted, kickoff.checked_in, kickoff.surveys, kickoff.mean_rating) == (
        1,
        2,
        2,
        4.5,
    )
    # 23:30 JST on the 30th is 14:30 UTC: still April in the programme's zone
    assert (late.title, str(late.starts_on), late.capacity, late.mean_rating) == (
        "Late night",
        "2026-04-30",
        None,
        None,
    )
    assert (late.going, late.checked_in, late.surveys, late.started) == (1, 0, 0, True)


def test_may_starts_at_midnight_jst_and_shows_the_secretariat_when_it_answered(programme):
    result = stats(programme, "2026-05")
    assert [e.title for e in result.events] == ["May day", "Later"]  # 2026-04-30 15:00 UTC
    assert [e.started for e in result.events] == [True, False]
    rows = {row.code: figures(row) for row in result.orgs}
    assert rows["SEC"] == (1, 1, 1, 1, 1, 0)
    assert rows["ORGB"] == (2, 1, 1, 1, 1, 0)
    assert rows["ORGC"] == (1, 1, 1, 1, 0, 0)  # answered an event not started yet: not went
    assert rows["ORGA"] == (2, 0, 0, 0, 0, 0)  # listed with zeros
    assert None not in rows
    assert figures(result.total)[2:] == (2, 3, 2, 0)


def test_without_a_month_the_last_12_months_up_to_now(programme):
    result = stats(programme, None)
    assert [e.title for e in result.events] == ["Kickoff <!channel> | A", "Late night", "May day"]
    assert (result.start, result.end) == (datetime(2025, 5, 10, 3, 0, tzinfo=UTC), NOW)
    assert result.total.answered == 8 and result.total.went == 5


def test_an_empty_month(programme):
    result = stats(programme, "2026-03")
    assert result.events == [] and figures(result.total)[1:] == (0, 0, 0, 0, 0)
    with programme() as session:
        reply = event_stats.stats_reply(
            session=session,
            actor=resolve_actor(session, "U0SATO", "en"),
            settings=SETTINGS,
            now=NOW,
            month="2026-03",
        )
    assert "No event started in this period." in json.dumps(reply.blocks)


def reply_for(factory, user, month, lang="en"):
    with factory() as session:
        return event_stats.stats_reply(
            session=session,
            actor=resolve_actor(session, user, lang),
            settings=SETTINGS,
            now=NOW,
            month=month,
        )


def test_the_operator_reply(programme):
    reply = reply_for(programme, "U0SATO", "２０２６年４月")
    text = json.dumps(reply.blocks, ensure_ascii=False)
    assert reply.blocks[0]["text"]["text"] == "Event participation: 2026-04"
    assert "*Total*: 2 event(s) · 5 person(s) answered · answered 6 · went 3 · checked in 2" in text
    assert (
        "• *Alpha AI*: 2 of 2 member(s) answered · 2 event(s) · answered 3 · went 2 · checked in 2"
        in text
    )
    assert "• *No organization*: 1 person(s) answered" in text
    assert (
        "• *Kickoff &lt;!channel&gt; | A* · 2026-04-10 · going 2/2 (+1 waitlisted) · "
        "checked in 2 · survey 2 answer(s), mean rating 4.5/5" in text
    )
    assert "going 1/no limit · checked in 0 · survey 0 answer(s), no rating" in text
    assert "<!channel>" not in text
    ja = json.dumps(reply_for(programme, "U0SATO", "2026-05", "ja").blocks, ensure_ascii=False)
    assert "（未開始）" in ja and "イベント参加状況: 2026-05" in ja
    last12 = reply_for(programme, "U0SATO", None).blocks[0]["text"]["text"]
    assert last12 == "Event participation: last 12 months (2025-05-10 – 2026-05-10)"


def test_many_events_stay_within_slacks_limits(programme):
    with programme.begin() as session:
        for day in range(60):
            event(session, "&<>" * 66, jst(2026, 6, 1, 10) + timedelta(hours=day * 7))
    reply = reply_for(programme, "U0SATO", "2026-06")
    assert len(reply.blocks) <= 50
    texts = [b["text"]["text"] for b in reply.blocks if b["type"] == "section"]
    assert all(len(text) <= 3000 for text in texts)
    assert sum(text.count("&amp;&lt;&gt;" * 66) for text in texts) == event_stats.SHOWN_EVENTS
    assert "20 more event(s) not shown." in json.dumps(reply.blocks)


def test_only_operators_see_the_statistics(programme):
    with pytest.raises(UserError) as refused:
        reply_for(programme, "U0ALICE", "2026-04")
    assert "operator" in refused.value.en.lower()


@pytest.mark.parametrize("typed", ["2026-13", "04/2026", "next month"])
def test_a_month_that_cannot_be_read_is_explained_in_both_languages(programme, typed):
    with pytest.raises(UserError) as bad:
        reply_for(programme, "U0SATO", typed)
    assert typed in bad.value.en and typed in bad.value.ja
    assert "Usage: `/event stats [YYYY-MM]`" in bad.value.en
    assert "使い方: `/event stats [YYYY-MM]`" in bad.value.ja


def test_the_handler_answers_ephemerally(programme):
    answers = []
    deps = SimpleNamespace(settings=SETTINGS, session_factory=programme, now=lambda: NOW)
    handler.stats(deps, "U0SATO", "en", " 2026-04 ", lambda **kw: answers.append(kw))
    assert answers[0]["blocks"][0]["text"]["text"] == "Event participation: 2026-04"


def test_the_monthly_report_has_the_event_section(programme):
    from bot.services.compute_export import export_month

    with programme() as session:
        files = export_month(
            session=session, actor=None, settings=SETTINGS, month="2026-04", lang="en", now=NOW
        )
    md = files.markdown
    section = md[md.index("## Event participation (2026-04)") :]
    assert md.index("## Data introduction pipeline") < md.index("## Event participation")
    assert "| Alpha AI | 2 | 2 | 2 | 3 | 2 | 2 |" in section
    assert "| No organization | – | 1 | 1 | 1 | 0 | 0 |" in section
    assert "| Total | 5 | 5 | 2 | 6 | 3 | 2 |" in section
    assert "| Late night | 2026-04-30 | 1 / no limit | 0 | 0 | – |" in section
    assert "Kickoff" in section and "<!channel>" not in section
    assert "Cancelled" not in section and "May day" not in section
