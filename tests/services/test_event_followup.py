"""What follows an RSVP, as rules (issue #6): each follow-up's window (skipped once passed,
keyed on the start instant), who is reminded and whether the day-before reminder may wait
for the recipient's morning, non-responders of invited organizations, check-in's window,
walk-ins and a racing double click, the survey's one answer per person and its window, the
summary's figures, and every message within Slack's limits. Real SQLite (and PostgreSQL when
configured)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.blocks import event_followup as blocks
from bot.blocks.compute import FormErrors
from bot.blocks.events import EventView
from bot.errors import UserError
from bot.sandbox.blockkit import validate_blocks, validate_view
from bot.services import event_followup as service
from bot.services.admin import import_setup
from bot.services.members import Actor
from bot.settings import Settings
from storage.events import Event, EventSurvey, Rsvp
from storage.members import Organization, OrgKind, get_org_by_code
from tests import event_rows as rows
from tests.conftest import SETUP_YAML

JST = ZoneInfo("Asia/Tokyo")
LA = ZoneInfo("America/Los_Angeles")
SETTINGS = Settings(_env_file=None, operator_channel="C0OPS")
START = datetime(2026, 4, 3, 10, 0, tzinfo=JST).astimezone(UTC)  # a Friday
END = START + timedelta(hours=2)


@pytest.fixture
def programme(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
    return session_factory


def event_view(**fields) -> EventView:
    values = dict(
        id=1,
        title="勉強会",
        purpose="",
        starts_at=START,
        ends_at=END,
        location="",
        capacity=None,
        counts={},
    )
    return EventView(**(values | fields))


def add_event(factory, start=START, **fields) -> int:
    values = dict(
        title="勉強会 <第1回>",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        created_by="U0SATO",
        channel="C0DIGEST",
        message_ts="1.000100",
    )
    values.update(fields)
    with factory.begin() as session:
        event = Event(**values)
        session.add(event)
        session.flush()
        return event.id


def add_rsvp(factory, event_id, user, answer="going", waitlisted=False, checked_in=None):
    with factory.begin() as session:
        rows.add_rsvp(
            session,
            event_id,
            user,
            answer,
            answered_at=START - timedelta(days=3),
            waitlisted=waitlisted,
            checked_in_at=checked_in,
        )


def due_kinds(factory, now, settings=SETTINGS) -> list[tuple[str, str]]:
    with factory.begin() as session:
        return [
            (f.kind.value, f.slot) for f in service.due(session=session, settings=settings, now=now)
        ]


# --- windows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "kinds"),
    [
        (timedelta(hours=-24, minutes=-1), []),
        (timedelta(hours=-24), ["remind_day"]),
        (timedelta(hours=-23, minutes=-1), ["remind_day"]),
        (timedelta(hours=-23), []),  # passed: skipped, not sent late
        (timedelta(hours=-5), []),
        (timedelta(hours=-1), ["remind_hour"]),
        (timedelta(minutes=-1), ["remind_hour"]),
        (timedelta(0), ["start"]),
        (timedelta(minutes=59), ["start"]),
        (timedelta(hours=1), []),
        (timedelta(hours=2), ["survey"]),  # the end
        (timedelta(hours=25, minutes=59), ["survey"]),
        (timedelta(hours=26), []),
        (timedelta(hours=50), ["summary"]),  # 48 h after the end
        (timedelta(days=9, hours=1, minutes=59), ["summary"]),
        (timedelta(days=9, hours=2), []),
    ],
)
def test_each_follow_up_has_its_window(session_factory, offset, kinds):
    event_id = add_event(session_factory)
    found = due_kinds(session_factory, START + offset)
    assert [kind for kind, _ in found] == kinds
    for _kind, slot in found:
        assert slot.startswith(f"{event_id}")


def test_reminder_slots_carry_the_start_so_a_moved_event_is_reminded_again(session_factory):
    event_id = add_event(session_factory)
    assert due_kinds(session_factory, START - timedelta(hours=1)) == [
        ("remind_hour", f"{event_id}@2026-04-03T01:00Z")
    ]
    with session_factory.begin() as session:
        event = session.get(Event, event_id)
        event.starts_at += timedelta(minutes=30)
        event.ends_at += timedelta(minutes=30)
    assert due_kinds(session_factory, START - timedelta(minutes=30)) == [
        ("remind_hour", f"{event_id}@2026-04-03T01:30Z")
    ]
    assert due_kinds(session_factory, END + timedelta(hours=1)) == [("survey", str(event_id))]


def test_cancelled_events_and_missing_settings_give_nothing(session_factory):
    cancelled = add_event(session_factory, cancelled=True)
    assert due_kinds(session_factory, START) == []
    with session_factory.begin() as session:
        followup = service.Followup(service.Kind.START, cancelled, "event_start", "x")
        assert (
            service.notices_for(
                followup, session=session, settings=SETTINGS, now=START, zone_of=lambda _u: JST
            )
            == []
        )
    add_event(session_factory, rsvp_deadline=START - timedelta(days=1))
    no_channel = Settings(_env_file=None)
    assert due_kinds(session_factory, END + timedelta(hours=48), no_channel) == []  # no summary
    before_deadline = START - timedelta(days=3)
    assert due_kinds(session_factory, before_deadline) == []  # the reminder is off by default
    switched_on = Settings(_env_file=None, event_nonresponder_reminder=True)
    assert [k for k, _ in due_kinds(session_factory, before_deadline, switched_on)] == [
        "nonresponders"
    ]


# --- reminders -----------------------------------------------------------------------------


def notices(factory, kind, event_id, now, zone_of=lambda _u: JST, settings=SETTINGS):
    with factory.begin() as session:
        followup = service.Followup(kind, event_id, f"event_{kind.value}", "slot")
        return service.notices_for(
            followup, session=session, settings=settings, now=now, zone_of=zone_of
        )


def test_only_confirmed_going_are_reminded_in_their_zone(session_factory):
    event_id = add_event(session_factory)
    add_rsvp(session_factory, event_id, "U1")
    add_rsvp(session_factory, event_id, "U2", waitlisted=True)
    add_rsvp(session_factory, event_id, "U3", answer="maybe")
    add_rsvp(session_factory, event_id, "U4", answer="cant")
    zones = {"U1": LA}
    hour = notices(
        session_factory, service.Kind.HOUR, event_id, START - timedelta(hours=1), zones.get
    )
    assert [(n.channel, n.quiet_hours) for n in hour] == [("U1", False)]
    text = str(hour[0].render("en").blocks)
    assert "2026-04-02 18:00 PDT" in text and "&lt;第1回&gt;" in text
    start = notices(session_factory, service.Kind.START, event_id, START, zones.get)
    assert [(n.channel, n.thread_ts) for n in start] == [("U1", None), ("C0DIGEST", "1.000100")]


def test_the_day_reminder_waits_for_the_morning_only_when_that_is_before_the_hour_reminder(
    session_factory,
):
    # a Saturday 10:00 JST event, reminded Friday 10:00 JST: Tokyo is at work, Los Angeles at
    # Thursday 18:00 (not quiet either)
    event_id = add_event(session_factory, start=datetime(2026, 4, 4, 10, 0, tzinfo=JST))
    for user in ("UJST", "ULA", "ULON"):
        add_rsvp(session_factory, event_id, user)
    zones = {"UJST": JST, "ULA": LA, "ULON": ZoneInfo("Europe/London")}.get
    now = datetime(2026, 4, 3, 10, 0, tzinfo=JST)
    quiet = {
        n.channel: n.quiet_hours
        for n in notices(session_factory, service.Kind.DAY, event_id, now, zones)
    }
    # London is at 02:00 Friday: its morning (08:00, 16:00 JST) is before Saturday 09:00 JST
    assert quiet == {"UJST": True, "ULA": True, "ULON": True}
    # the Saturday event's reminder from a Los Angeles Friday night: her next business morning
    # is Monday, after the event, so it goes at once
    late = datetime(2026, 4, 4, 16, 0, tzinfo=JST)  # Saturday 00:00 PDT
    event_late = add_event(session_factory, start=late + timedelta(hours=24), title="土曜")
    add_rsvp(session_factory, event_late, "ULA")
    [notice] = notices(session_factory, service.Kind.DAY, event_late, late, zones)
    assert notice.quiet_hours is False


# --- non-responders ----------------------------------------------------------------------------


def test_non_responders_are_invited_members_without_an_answer(programme):
    with programme() as session:
        orga, orgb, sec = (get_org_by_code(session, c).id for c in ("ORGA", "ORGB", "SEC"))
    everyone = add_event(programme, hosts="U0HANA")
    some = add_event(programme, invited_orgs=f"{orga},{orgb}", title="AB")
    secretariat = add_event(programme, invited_orgs=str(sec), title="SEC")
    add_rsvp(programme, everyone, "U0YUKI", answer="cant")
    add_rsvp(programme, some, "U0ALICE", waitlisted=True)
    with programme() as session:
        get = session.get
        assert service.nonresponders(session, get(Event, everyone)) == ["U0ALICE", "U0KENJI"]
        assert service.nonresponders(session, get(Event, some)) == ["U0KENJI", "U0YUKI"]
        assert service.nonresponders(session, get(Event, secretariat)) == ["U0SATO"]


def test_the_non_responder_message_stays_within_limits_with_many_mentions():
    view = event_view(title="Big")
    users = [f"U{n:08d}" for n in range(400)]
    message = blocks.build_nonresponders(view, START, users, JST, "ja")
    assert validate_blocks(message.blocks) == []
    assert all(f"<@{u}>" in str(message.blocks) for u in users)


# --- check-in --------------------------------------------------------------------------------


def member(user: str) -> Actor:
    """Someone in a developer organization (check-in is for the programme's people)."""
    org = Organization(id=999, code="ORGX", name="X", kind=OrgKind.DEVELOPER.value)
    return Actor(user_id=user, lang="ja", orgs=[org], roles={999: "member"})


def check_in(factory, event_id, user, now):
    with factory.begin() as session:
        return service.check_in(
            session=session, actor=member(user), event_id=event_id, now=now, zone=JST
        )


def test_check_in_window_edges(session_factory):
    event_id = add_event(session_factory)
    add_rsvp(session_factory, event_id, "U1")
    with pytest.raises(UserError, match="opens at") as early:
        check_in(session_factory, event_id, "U1", START - timedelta(minutes=15, seconds=1))
    assert "2026-04-03 09:45 JST" in early.value.en and "開始15分前" in early.value.ja
    assert check_in(session_factory, event_id, "U1", START - timedelta(minutes=15)).already is False
    with pytest.raises(UserError, match="check-in is closed"):
        check_in(session_factory, event_id, "U2", END)
    assert check_in(session_factory, event_id, "U2", END - timedelta(seconds=1)).walk_in is True
    with session_factory.begin() as session:
        session.get(Event, event_id).cancelled = True
    with pytest.raises(UserError, match="cancelled"):
        check_in(session_factory, event_id, "U3", START)


def test_two_racing_walk_in_clicks_make_one_checked_in_row(session_factory):
    event_id = add_event(session_factory)
    barrier, results = threading.Barrier(2), []

    def click():
        barrier.wait()
        results.append(check_in(session_factory, event_id, "U9", START))

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted((r.walk_in, r.already) for r in results) == [(False, True), (True, False)]
    with session_factory() as session:
        [row] = session.exec(select(Rsvp).where(Rsvp.event_id == event_id)).all()
    assert (row.answer, row.checked_in_at) == ("going", START)


# --- the survey ------------------------------------------------------------------------------


def record(factory, event_id, user, rating, now=END + timedelta(hours=1), **texts):
    with factory.begin() as session:
        return service.record_survey(
            session=session,
            event_id=event_id,
            user_id=user,
            data=blocks.SurveyInput(rating, **texts),
            now=now,
            zone_of=lambda _u: JST,
            channel="D1",
            ts="1.1",
            lang="en",
        )


def test_one_answer_per_person_a_resubmission_updates_it(session_factory):
    event_id = add_event(session_factory)
    add_rsvp(session_factory, event_id, "U1", checked_in=START)
    [update] = record(session_factory, event_id, "U1", 3, useful="slides")
    assert (update.channel, update.ts, update.lang) == ("D1", "1.1", "en")
    assert "rating 3/5" in str(update.render("en").blocks)
    record(session_factory, event_id, "U1", 5, change="longer")
    with session_factory() as session:
        [row] = session.exec(select(EventSurvey)).all()
        form = service.survey_form(session=session, event_id=event_id, user_id="U1", now=END)
    assert (row.rating, row.useful, row.change) == (5, "", "longer")
    assert form.previous == blocks.SurveyInput(5, "", "longer")


def test_the_survey_is_for_attendees_between_the_end_and_the_summary(session_factory):
    event_id = add_event(session_factory)
    add_rsvp(session_factory, event_id, "U1")  # going, not checked in: an attendee
    add_rsvp(session_factory, event_id, "U2", answer="maybe", checked_in=START)  # came anyway
    add_rsvp(session_factory, event_id, "U3", waitlisted=True)
    add_rsvp(session_factory, event_id, "U4", answer="cant")
    for user, refused in (("U3", True), ("U4", True), ("U5", True), ("U2", False)):
        if refused:
            with pytest.raises(UserError, match="took part") as error:
                record(session_factory, event_id, user, 4)
            assert error.value.field == blocks.Ids.RATING
        else:
            record(session_factory, event_id, user, 4)
    with pytest.raises(UserError, match="opens when the event ends"):
        record(session_factory, event_id, "U1", 4, now=END - timedelta(seconds=1))
    with pytest.raises(UserError, match="has closed"):
        record(session_factory, event_id, "U1", 4, now=END + timedelta(hours=48))
    record(session_factory, event_id, "U1", 2, now=END + timedelta(hours=47, minutes=59))
    with session_factory() as session:
        event = session.get(Event, event_id)
        assert service.survey_recipients(session, event) == ["U1", "U2"]
        result = service.summary(session, event)
    assert (result.asked, result.checked_in, sorted(result.ratings)) == (2, 1, [2, 4])


def test_the_parser_requires_a_rating_from_one_to_five():
    def view(rating=None, useful=""):
        values = {"useful": {"value": {"type": "plain_text_input", "value": useful}}}
        if rating is not None:
            values["rating"] = {"value": {"selected_option": {"value": rating}}}
        meta = blocks.SurveyMeta(event_id=3, lang="en").model_dump_json()
        return {"private_metadata": meta, "state": {"values": values}}

    for bad in (None, "0", "6", "x"):
        with pytest.raises(FormErrors) as errors:
            blocks.parse_survey_submission(view(bad))
        assert set(errors.value.errors) == {blocks.Ids.RATING}
    with pytest.raises(FormErrors) as errors:
        blocks.parse_survey_submission(view("3", "x" * 3001))
    assert set(errors.value.errors) == {blocks.Ids.USEFUL}
    meta, data = blocks.parse_survey_submission(view("3", "  good  "))
    assert (meta.event_id, data) == (3, blocks.SurveyInput(3, "good", ""))


# --- messages within Slack's limits ---------------------------------------------------------------


def test_the_summary_quotes_escaped_comments_within_fifty_blocks():
    view = event_view(title="勉強会 <b>")
    many = ["長いコメント & <@U1>\n二行目 " * 80 for _ in range(200)]
    summary = blocks.SurveySummary(view, 70, 40, [5, 4, 4, 1], many, ["<!channel>"])
    message = blocks.build_summary(summary, JST, "en")
    assert validate_blocks(message.blocks) == [] and len(message.blocks) <= 50
    raw = str(message.blocks)
    assert "Mean rating: *3.5* / 5" in raw and "4 ★★★★☆  2" in raw
    assert "&lt;@U1&gt;" in raw and "<@U1>" not in raw and "more comment(s)" in raw
    assert "> 長いコメント" in raw
    empty = blocks.build_summary(blocks.SurveySummary(view, 3, 0, [], [], []), JST, "ja")
    assert "回答はありませんでした" in str(empty.blocks)


def test_every_message_and_the_modal_pass_slack_validation():
    view = event_view(location="https://zoom.example/j/1 <x>", capacity=10)
    messages = [
        blocks.build_reminder(view, "day", LA, "en"),
        blocks.build_reminder(view, "hour", JST, "ja"),
        blocks.build_start_dm(view, JST, "ja"),
        blocks.build_start_thread(view, "en"),
        blocks.build_survey_dm(view, END + timedelta(hours=48), JST, "ja"),
        blocks.build_survey_dm(view, END, JST, "en", answered=4),
        blocks.build_check_in_reply(blocks.CheckInView("勉強会", START, walk_in=True), JST, "en"),
    ]
    for message in messages:
        assert validate_blocks(message.blocks) == [] and message.text
    form = blocks.SurveyForm(1, "勉強会", blocks.SurveyInput(4, "a", "b"))
    for lang in ("en", "ja"):
        modal = blocks.build_survey_modal(form, lang, "D1", "1.1").to_dict()
        assert validate_view(modal) == []
        rating = next(b for b in modal["blocks"] if b.get("block_id") == blocks.Ids.RATING)
        assert rating["element"]["initial_option"]["value"] == "4"
