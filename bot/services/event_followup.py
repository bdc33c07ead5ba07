"""What follows an RSVP (issue #6): reminders, the start, check-in, the survey and its summary,
and the non-responder reminder. Times are aware UTC throughout.

Follow-ups of an event, each with a window `[opens, closes)`; the `event_reminders` job
(every 5 minutes) sends a follow-up once, on its first run inside the window, and never after
it (a follow-up whose window has passed is skipped, not sent late):

| kind            | to                                      | opens            | closes                |
|-----------------|-----------------------------------------|------------------|-----------------------|
| `remind_day`    | DM, confirmed going (not waitlisted)    | start − 24 h     | opens + 1 h           |
| `remind_hour`   | DM, confirmed going                     | start − 1 h      | start                 |
| `start`         | DM with the link and Check in, confirmed going; the announcement's thread with Check in | start | start + 1 h (or the end) |
| `survey`        | DM, attendees                           | end              | end + 24 h            |
| `summary`       | `settings.operator_channel`             | end + 48 h       | opens + 7 days        |
| `nonresponders` | the announcement's thread (opt-in)      | deadline − 2 days | opens + 1 h          |

"Attendees" are people who checked in or answered going (not waitlisted). Each follow-up is
claimed once per event (`storage.jobs.claim`, job `event_<kind>`, slot `<event id>@<instant>`):
the reminders and the start carry the start instant, the non-responder reminder the deadline,
so an event whose time (or deadline) changed gets them again for the new time; the survey and
the summary are once per event. Cancelled events get nothing.

Quiet hours: the day-before reminder and the survey may wait for the recipient's business
morning (`Notice(quiet_hours=True)`) — the survey only if that morning leaves 12 hours before
it closes, else it goes at once (a Friday-night event's survey would otherwise arrive on
Monday, after it closed); the hour-before reminder and the start DM never do (they
are time-critical). A day-before reminder whose recipient's next business morning is not
before the hour-before reminder goes at once instead: the event itself falls in their off
hours (a midnight event, a weekend one across the Pacific), so a reminder then is expected,
and a held one would arrive with, or after, the next. A held reminder is already rendered:
should the event be cancelled during the night it was held, it still goes (the announcement
says the event is cancelled). A held DM expires (`Notice.expires_at`): a day-before reminder
still unsent when the hour-before one is due, or a survey when it closes, is never sent (the
bot was down, or a scenario jumped past it).

Check-in is open from 15 minutes before the start until the end. A person with no RSVP who
checks in is a walk-in: attendance is a fact, so a `going` RSVP is created, checked in. A
person who answered maybe or can't go, or is waitlisted, keeps that answer; their check-in is
recorded all the same and makes them an attendee. Clicking again says when they checked in.

The survey is open from the end until the summary goes (end + 48 h): one answer per person,
a new submission replaces it. The summary then goes to the operators once (answers out of
attendees, mean rating, distribution, comments quoted without names); answers after that are
refused politely, so the summary is final. An event with no attendee gets no summary.

The non-responder reminder (only with `settings.event_nonresponder_reminder`) mentions the
members of the invited organizations (every organization but the secretariat when none is
named) who have not answered at all, hosts excepted, in the announcement's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.blocks import event_followup as blocks
from bot.blocks.common import escape
from bot.clients.slack import Notice
from bot.services import delivery
from bot.services.events import event_view, event_zone, require_invited
from bot.services.members import Actor, user_error
from bot.settings import Settings
from storage import events as store
from storage import members as member_store
from storage.db import advisory_lock, insert_once
from storage.events import Event, EventSurvey, Rsvp, RsvpAnswer

DAY_BEFORE = timedelta(hours=24)
HOUR_BEFORE = timedelta(hours=1)
GRACE = timedelta(hours=1)  # how late a reminder, start notice or thread reminder may still go
CHECK_IN_OPENS = timedelta(minutes=15)  # before the start
SURVEY_GRACE = timedelta(hours=24)
SUMMARY_AFTER = timedelta(hours=48)  # after the end; the survey closes then
SURVEY_TIME_TO_ANSWER = timedelta(hours=12)  # a held survey DM must leave this long to answer
SUMMARY_GRACE = timedelta(days=7)
NONRESPONDERS_BEFORE = timedelta(days=2)  # before the RSVP deadline
LOOKBACK = timedelta(days=30)  # events starting this long ago are still looked at (summaries)
HORIZON = timedelta(days=366)  # events starting this far ahead (their RSVP deadline may be near)

ZoneOf = Callable[[str], ZoneInfo]


class Kind(StrEnum):
    DAY = "remind_day"
    HOUR = "remind_hour"
    START = "start"
    SURVEY = "survey"
    SUMMARY = "summary"
    NONRESPONDERS = "nonresponders"


@dataclass(frozen=True)
class Followup:
    """One follow-up due: its `kind`, the event, and the claim it goes through (`job` ≤ 64
    characters, `slot` ≤ 64: `<event id>@<instant, UTC, to the minute>` or `<event id>`)."""

    kind: Kind
    event_id: int
    job: str
    slot: str


def windows(
    event: Event, settings: Settings
) -> list[tuple[Kind, datetime, datetime, datetime | None]]:
    """The event's follow-ups as `(kind, opens, closes, keyed)`: the window `[opens, closes)`
    (aware UTC) and the instant its claim is keyed on (None: once per event). The summary is
    left out without `settings.operator_channel`; the non-responder reminder unless it is
    switched on and the event has an RSVP deadline and a posted announcement."""
    start, end = event.starts_at, event.ends_at
    day = start - DAY_BEFORE
    found = [
        (Kind.DAY, day, min(day + GRACE, start - HOUR_BEFORE), start),
        (Kind.HOUR, start - HOUR_BEFORE, start, start),
        (Kind.START, start, min(start + GRACE, end), start),
        (Kind.SURVEY, end, end + SURVEY_GRACE, None),
    ]
    if settings.operator_channel:
        found.append((Kind.SUMMARY, end + SUMMARY_AFTER, end + SUMMARY_AFTER + SUMMARY_GRACE, None))
    deadline = event.rsvp_deadline
    if settings.event_nonresponder_reminder and deadline and event.channel and event.message_ts:
        opens = deadline - NONRESPONDERS_BEFORE
        found.append((Kind.NONRESPONDERS, opens, min(opens + GRACE, deadline), deadline))
    return found


def due(*, session: Session, settings: Settings, now: datetime) -> list[Followup]:
    """The follow-ups whose window holds `now` (aware), for events not cancelled starting from
    30 days before `now` to a year after, earliest event first. Claiming them is the caller's:
    a follow-up already sent is still listed."""
    found = []
    for event in store.events_between(session, now - LOOKBACK, now + HORIZON):
        for kind, opens, closes, keyed in windows(event, settings):
            if opens <= now < closes:
                slot = (
                    f"{event.id}@{keyed.astimezone(UTC):%Y-%m-%dT%H:%MZ}"
                    if keyed
                    else str(event.id)
                )
                found.append(Followup(kind, event.id, f"event_{kind.value}", slot))
    return found


def notices_for(
    followup: Followup, *, session: Session, settings: Settings, now: datetime, zone_of: ZoneOf
) -> list[Notice]:
    """The notices of one follow-up decided at `now` (aware), for the caller to deliver once
    claimed; [] for an event gone or cancelled, or when there is nobody to tell.
    `zone_of(user_id)` is the recipient's own zone (the fallback text of times in DMs, and
    whether the day-before reminder may wait for their morning); it is called while building
    only for the day-before reminder, otherwise when the notice is rendered."""
    event = store.get_event(session, followup.event_id)
    if event is None or event.cancelled:
        return []
    view = event_view(session, event)
    ref = f"event:{event.id}"
    going = [r.user_id for r in store.attendees(session, event.id)]
    if followup.kind == Kind.DAY:
        notices = []
        for user in going:
            zone = zone_of(user)
            notices.append(
                Notice(
                    channel=user,
                    render=lambda lang, zone=zone: blocks.build_reminder(view, "day", zone, lang),
                    kind="event_reminder_day",
                    quiet_hours=_may_wait(now, zone, settings, event.starts_at - HOUR_BEFORE),
                    expires_at=event.starts_at - HOUR_BEFORE,  # the next reminder takes over
                    ref=ref,
                )
            )
        return notices
    if followup.kind == Kind.HOUR:
        return [
            Notice(
                channel=user,
                render=lambda lang, user=user: blocks.build_reminder(
                    view, "hour", zone_of(user), lang
                ),
                kind="event_reminder_hour",
                ref=ref,
            )
            for user in going
        ]
    if followup.kind == Kind.START:
        return _start(event, view, going, settings, zone_of)
    if followup.kind == Kind.SURVEY:
        closes = event.ends_at + SUMMARY_AFTER
        notices = []
        for user in survey_recipients(session, event):
            zone = zone_of(user)
            notices.append(
                Notice(
                    channel=user,
                    render=lambda lang, zone=zone: blocks.build_survey_dm(view, closes, zone, lang),
                    kind="event_survey",
                    quiet_hours=_may_wait(now, zone, settings, closes - SURVEY_TIME_TO_ANSWER),
                    expires_at=closes,
                    ref=ref,
                )
            )
        return notices
    if followup.kind == Kind.SUMMARY:
        result = summary(session, event)
        if not result.asked or not settings.operator_channel:
            return []
        zone = event_zone(event)
        return [
            Notice(
                channel=settings.operator_channel,
                render=lambda lang: blocks.build_summary(result, zone, lang),
                lang=settings.default_language,
                kind="event_survey_summary",
                ref=ref,
            )
        ]
    if followup.kind == Kind.NONRESPONDERS:
        users = nonresponders(session, event)
        if not (users and event.channel and event.message_ts and event.rsvp_deadline):
            return []
        zone, deadline = event_zone(event), event.rsvp_deadline
        return [
            Notice(
                channel=event.channel,
                thread_ts=event.message_ts,
                render=lambda lang: blocks.build_nonresponders(view, deadline, users, zone, lang),
                lang=settings.default_language,
                kind="event_nonresponders",
                ref=ref,
            )
        ]
    raise ValueError(f"unknown follow-up {followup.kind!r}")


def _may_wait(now: datetime, zone: ZoneInfo, settings: Settings, until: datetime) -> bool:
    """Whether a DM may wait for the recipient's business morning (quiet hours, weekends,
    holidays): only if that morning comes before `until`. A DM that would arrive too late to
    be of use (after the next reminder, or when the survey has closed) goes at once instead."""
    return delivery.send_time(now, zone, settings) < until


def _start(
    event: Event, view, going: list[str], settings: Settings, zone_of: ZoneOf
) -> list[Notice]:
    ref = f"event:{event.id}"
    notices = [
        Notice(
            channel=user,
            render=lambda lang, user=user: blocks.build_start_dm(view, zone_of(user), lang),
            kind="event_start",
            ref=ref,
        )
        for user in going
    ]
    if event.channel and event.message_ts:
        notices.append(
            Notice(
                channel=event.channel,
                thread_ts=event.message_ts,
                render=lambda lang: blocks.build_start_thread(view, lang),
                lang=settings.default_language,
                kind="event_start_thread",
                ref=ref,
            )
        )
    return notices


# --- who -------------------------------------------------------------------------------------


def _attended(rsvp: Rsvp) -> bool:
    confirmed = rsvp.answer == RsvpAnswer.GOING.value and not rsvp.waitlisted
    return confirmed or rsvp.checked_in_at is not None


def survey_recipients(session: Session, event: Event) -> list[str]:
    """The attendees' user ids (checked in, or confirmed going), in answer order."""
    return [r.user_id for r in store.rsvps(session, event.id) if _attended(r)]


def nonresponders(session: Session, event: Event) -> list[str]:
    """Members (any role) of the invited organizations — every organization but the
    secretariat when `event.invited_org_ids` is empty — with no RSVP at all, hosts excepted;
    user ids, sorted."""
    org_ids = event.invited_org_ids or [org.id for org in member_store.participant_orgs(session)]
    members = {
        m.slack_user_id for org_id in org_ids for m in member_store.org_members(session, org_id)
    }
    answered = {r.user_id for r in store.rsvps(session, event.id)}
    return sorted(members - answered - set(event.host_ids))


def summary(session: Session, event: Event) -> blocks.SurveySummary:
    """The survey's results now: attendees asked, how many checked in, every rating and the
    non-empty comments, in answer order."""
    rows = store.rsvps(session, event.id)
    answers = store.surveys(session, event.id)
    return blocks.SurveySummary(
        view=event_view(session, event),
        asked=sum(1 for r in rows if _attended(r)),
        checked_in=sum(1 for r in rows if r.checked_in_at is not None),
        ratings=[a.rating for a in answers],
        useful=[a.useful for a in answers if a.useful.strip()],
        change=[a.change for a in answers if a.change.strip()],
    )


# --- check-in ----------------------------------------------------------------------------------


def check_in(
    *, session: Session, actor: Actor, event_id: int, now: datetime, zone: ZoneInfo
) -> blocks.CheckInView:
    """Check `user_id` in to the event at `now` (aware), from 15 minutes before the start
    until the end (exclusive). Returns when they are checked in: now, or earlier (`already`).
    A person with no RSVP is a walk-in: a `going` RSVP is created, checked in (`walk_in`); a
    racing second click finds it. Other answers are kept as they are, the check-in recorded.

    Takes the event's lock, as RSVPs do. Raises UserError (bilingual; times as date tokens
    falling back in `zone`, the person's own) for someone not invited
    (`bot.services.events.require_invited`), an unknown or cancelled event, before the
    check-in opens, or once the event has ended.
    """
    advisory_lock(session, f"event:{event_id}")
    event = store.get_event(session, event_id)
    if event is None or event.cancelled:
        raise user_error("eventfu.error.gone")
    require_invited(actor, event)
    user_id = actor.user_id
    title = escape(event.title)
    opens = event.starts_at - CHECK_IN_OPENS
    if now < opens:
        raise user_error("eventfu.error.too_early", title=title, opens=blocks.moment(opens, zone))
    if now >= event.ends_at:
        raise user_error(
            "eventfu.error.over", title=title, ended=blocks.moment(event.ends_at, zone)
        )
    rsvp = store.get_rsvp(session, event_id, user_id)
    if rsvp is None:
        walk_in = Rsvp(
            event_id=event_id,
            user_id=user_id,
            answer=RsvpAnswer.GOING.value,
            answered_at=now,
            checked_in_at=now,
        )
        if insert_once(session, walk_in) is not None:
            return blocks.CheckInView(title=event.title, at=now, walk_in=True)
        rsvp = store.get_rsvp(session, event_id, user_id)  # a racing click created it
    if rsvp.checked_in_at is not None:
        return blocks.CheckInView(title=event.title, at=rsvp.checked_in_at, already=True)
    rsvp.checked_in_at = now
    session.flush()
    return blocks.CheckInView(title=event.title, at=now)


# --- the survey ------------------------------------------------------------------------------


def _survey_event(session: Session, event_id: int, user_id: str, now: datetime) -> Event:
    """The event whose survey `user_id` may answer at `now`; raises UserError (field: the
    rating) otherwise."""
    event = store.get_event(session, event_id)
    if event is None or event.cancelled:
        raise user_error("eventfu.error.gone").at(blocks.Ids.RATING)
    if now < event.ends_at:
        raise user_error("eventfu.error.survey_not_open").at(blocks.Ids.RATING)
    if now >= event.ends_at + SUMMARY_AFTER:
        raise user_error("eventfu.error.survey_closed").at(blocks.Ids.RATING)
    rsvp = store.get_rsvp(session, event_id, user_id)
    if rsvp is None or not _attended(rsvp):
        raise user_error("eventfu.error.not_attendee").at(blocks.Ids.RATING)
    return event


def _answer_of(session: Session, event_id: int, user_id: str) -> EventSurvey | None:
    return next((a for a in store.surveys(session, event_id) if a.user_id == user_id), None)


def survey_form(
    *, session: Session, event_id: int, user_id: str, now: datetime
) -> blocks.SurveyForm:
    """What the survey modal shows `user_id` at `now` (aware): the event's title and their
    earlier answer, if any.

    Raises UserError for an unknown or cancelled event, before the end, once the survey has
    closed (end + 48 h), or for someone who did not attend (checked in or confirmed going).
    """
    event = _survey_event(session, event_id, user_id, now)
    previous = _answer_of(session, event_id, user_id)
    return blocks.SurveyForm(
        event_id=event.id,
        title=event.title,
        previous=(
            blocks.SurveyInput(previous.rating, previous.useful, previous.change)
            if previous
            else None
        ),
    )


def record_survey(
    *,
    session: Session,
    event_id: int,
    user_id: str,
    data: blocks.SurveyInput,
    now: datetime,
    zone_of: ZoneOf,
    channel: str | None = None,
    ts: str | None = None,
    lang: str | None = None,
) -> list[Notice]:
    """Store `user_id`'s survey answer at `now` (aware): one row per event and person
    (`insert_once`; a resubmission, or a racing double submit, updates it). Returns the
    in-place update of their survey DM at (`channel`, `ts`) thanking them, when given, in
    `lang` (None: their Slack locale); `zone_of(user_id)` gives the fallback zone of its
    closing time, at render.

    Raises UserError (field: the rating) as `survey_form` does.
    """
    event = _survey_event(session, event_id, user_id, now)
    values = dict(rating=data.rating, useful=data.useful, change=data.change, answered_at=now)
    row = insert_once(session, EventSurvey(event_id=event_id, user_id=user_id, **values))
    if row is None:
        row = _answer_of(session, event_id, user_id)
        for name, value in values.items():
            setattr(row, name, value)
        session.flush()
    if not (channel and ts):
        return []
    view = event_view(session, event)
    closes = event.ends_at + SUMMARY_AFTER
    return [
        Notice(
            channel=channel,
            ts=ts,
            render=lambda lang: blocks.build_survey_dm(
                view, closes, zone_of(user_id), lang, answered=data.rating
            ),
            lang=lang,
            kind="event_survey_answered",
            ref=f"event:{event.id}",
        )
    ]
