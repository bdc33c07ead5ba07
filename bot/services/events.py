"""Programme events (issue #6): creating, editing and cancelling an event, its channel
announcement with live counts, the RSVP buttons' effects, the calendar file, and `/event list`.

Only operators create, edit or cancel events. Everyone in the workspace may answer an
announcement and list upcoming events. Times are aware UTC; an event is held in its own IANA
zone (`Event.timezone`, default the programme's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlmodel import Session

from bot.blocks import event_forms as forms
from bot.blocks import events as blocks
from bot.blocks.common import Message, date_token, escape
from bot.clients.slack import Notice
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.ical_events import CalendarEvent, write_event
from bot.parsing.months import parse_month
from bot.services import rsvp as rsvp_service
from bot.services.members import Actor, user_error
from bot.settings import Settings
from storage import events as store
from storage import members as member_store
from storage.db import advisory_lock, insert_once
from storage.events import Event, RsvpAnswer

MAX_EVENT_LENGTH = timedelta(days=14)  # an event that started this long ago may still run


def event_view(session: Session, event: Event) -> blocks.EventView:
    """The event as messages show it, with its current counts."""
    return blocks.EventView(
        id=event.id,
        title=event.title,
        purpose=event.purpose,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        location=event.location,
        capacity=event.capacity,
        counts=store.counts(session, event.id),
        cancelled=event.cancelled,
        all_day=event.all_day,
        hosts=tuple(event.host_ids),
    )


def event_zone(event: Event) -> ZoneInfo:
    """The zone the event is held in (validated when stored)."""
    return ZoneInfo(event.timezone)


def announcement_update(session: Session, event: Event, settings: Settings) -> list[Notice]:
    """The notice re-rendering the event's announcement in place (counts, time, place, or its
    cancellation); [] when it was never posted. Rendered in the programme's language, the
    fallback text in the event's zone."""
    if not (event.channel and event.message_ts):
        return []
    view = event_view(session, event)
    zone = event_zone(event)
    return [
        Notice(
            channel=event.channel,
            ts=event.message_ts,
            render=lambda lang: blocks.build_announcement(view, zone, lang),
            lang=settings.default_language,
            kind="event_announcement",
        )
    ]


# --- creating, editing, cancelling ------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    """A stored submission: the event's id, the notices to deliver, and whether the event
    still has to be announced in its channel (the handler posts it and records its ts)."""

    event_id: int | None
    notices: list[Notice]
    announce: bool = False
    over_capacity: tuple[int, int] | None = None  # (going, new capacity) after an edit


def event_form(
    *, session: Session, actor: Actor, settings: Settings, event_id: int | None = None
) -> forms.EventForm:
    """What the create (or edit) modal offers. Raises UserError unless the actor is an
    operator, or when the event to edit is unknown or cancelled."""
    actor.require_operator()
    event = _editable(session, event_id) if event_id is not None else None
    orgs = [(org.id, org.name) for org in member_store.participant_orgs(session)]
    return forms.EventForm(orgs=orgs, default_zone=settings.timezone, event=event)


def _editable(session: Session, event_id: int) -> Event:
    event = store.get_event(session, event_id)
    if event is None or event.cancelled:
        raise user_error("rsvp.error.gone")
    return event


def save(
    *,
    session: Session,
    actor: Actor,
    data: forms.EventInput,
    settings: Settings,
    now: datetime,
    source_ref: str | None = None,
) -> Saved:
    """Create the event (`data.event_id` None) or change it. `source_ref` (`view:V123`)
    makes a retried creation store nothing.

    Creating: the start must be in the future. Changing: the announcement is re-rendered; when
    the time or place changed everyone who answered gets a DM with the new details; a larger
    capacity promotes people from the waitlist (each told by DM).

    Raises UserError (with `field`, the modal block) for a non-operator, a start in the past,
    a host or invited organization that is unknown, or an event that is gone.
    """
    actor.require_operator()
    values = dict(
        title=data.title,
        description=data.description,
        purpose=data.purpose,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        timezone=data.timezone,
        location=data.location,
        capacity=data.capacity,
        rsvp_deadline=data.rsvp_deadline,
        hosts=",".join(dict.fromkeys(data.hosts)),
        invited_orgs=",".join(str(o) for o in sorted(set(data.invited_org_ids))),
    )
    for org_id in data.invited_org_ids:
        if member_store.get_org(session, org_id) is None:
            raise user_error("event.error.unknown_org").at(forms.Ids.INVITED)
    if data.event_id is None:
        if data.starts_at <= now:
            raise user_error("event.error.start_past").at(forms.Ids.START_DATE)
        event = insert_once(
            session,
            Event(**values, channel=data.channel, created_by=actor.user_id, source_uid=source_ref),
        )
        if event is None:
            return Saved(None, [])
        return Saved(event.id, [], announce=bool(event.channel))
    advisory_lock(session, f"event:{data.event_id}")
    event = _editable(session, data.event_id)
    before = (event.starts_at, event.ends_at, event.location, event.timezone)
    old_capacity = event.capacity
    if data.starts_at != event.starts_at and data.starts_at <= now:
        raise user_error("event.error.start_past").at(forms.Ids.START_DATE)
    for name, value in values.items():
        setattr(event, name, value)
    announce = False
    if not event.message_ts and data.channel:
        event.channel, announce = data.channel, True
    session.flush()
    notices = []
    for user_id in rsvp_service.fill_seats(session, event, now):
        notices.append(_promoted_notice(session, event, user_id))
    changed = before != (event.starts_at, event.ends_at, event.location, event.timezone)
    if changed:
        view, zone = event_view(session, event), event_zone(event)
        old = blocks.EventView(**{**view.__dict__, "starts_at": before[0], "ends_at": before[1]})
        was = (old, ZoneInfo(before[3]), before[2])  # the old time reads in the old zone
        for rsvp in store.rsvps(session, event.id):
            notices.append(
                Notice(
                    channel=rsvp.user_id,
                    render=lambda lang: blocks.build_change_dm(was, view, zone, lang),
                    kind="event_change",
                )
            )
    going = store.seats_taken(session, event.id)
    lowered = event.capacity is not None and event.capacity != old_capacity
    over = (going, event.capacity) if lowered and going > event.capacity else None
    notices += announcement_update(session, event, settings)
    return Saved(event.id, notices, announce, over)


def record_announcement(*, session: Session, event_id: int, channel: str, ts: str) -> None:
    """Remember where the event was announced, to update its counts in place."""
    event = store.get_event(session, event_id)
    if event is not None:
        event.channel, event.message_ts = channel, ts


def announced_in(session: Session, event_id: int) -> tuple[str | None, bool]:
    """(the event's channel, whether its announcement is posted there)."""
    event = store.get_event(session, event_id)
    return (event.channel, bool(event.message_ts)) if event else (None, False)


def announcement(session: Session, event_id: int) -> tuple[str, Callable] | None:
    """(channel, render(lang) → Message) of the event's announcement to post, or None."""
    event = store.get_event(session, event_id)
    if event is None or not event.channel:
        return None
    view, zone = event_view(session, event), event_zone(event)
    return event.channel, lambda lang: blocks.build_announcement(view, zone, lang)


def cancel(
    *, session: Session, actor: Actor, event_id: int, settings: Settings, now: datetime
) -> list[Notice]:
    """Cancel the event: everyone who answered gets a DM, the announcement loses its buttons.
    Raises UserError for a non-operator, or when the event is unknown or already cancelled
    (a second click, or another operator first)."""
    actor.require_operator()
    advisory_lock(session, f"event:{event_id}")
    event = _editable(session, event_id)
    event.cancelled = True
    session.flush()
    view, zone = event_view(session, event), event_zone(event)
    notices = [
        Notice(
            channel=rsvp.user_id,
            render=lambda lang: blocks.build_cancel_dm(view, zone, lang),
            kind="event_cancel",
        )
        for rsvp in store.rsvps(session, event.id)
    ]
    notices.append(
        Notice(
            channel=actor.user_id,
            render=lambda lang: Message(t("event.cancelled_done", lang, title=escape(view.title))),
            kind="event_cancelled",
        )
    )
    return notices + announcement_update(session, event, settings)


# --- answering --------------------------------------------------------------------------------


def require_invited(actor: Actor, event: Event) -> None:
    """Who may answer, check in or list an event: operators and its hosts always; otherwise
    members of an organization (the programme's people), and when the event names invited
    organizations, members of one of them. Raises UserError: how to be added for someone in
    no organization, or who the event is for."""
    if actor.is_operator or actor.user_id in event.host_ids:
        return
    if not actor.orgs:
        raise user_error("error.no_org")
    invited = event.invited_org_ids
    if invited and not any(actor.belongs_to(org_id) for org_id in invited):
        raise user_error("event.error.not_invited", title=escape(event.title))


def invited(actor: Actor, event: Event) -> bool:
    try:
        require_invited(actor, event)
    except UserError:
        return False
    return True


@dataclass(frozen=True)
class Answered:
    """The clicker's ephemeral reply (`text(lang)`) and the notices: the announcement updated
    in place, and a DM to whoever was promoted from the waitlist."""

    text: Callable[[str], str]
    notices: list[Notice]


def answer(
    *,
    session: Session,
    actor: Actor,
    event_id: int,
    choice: RsvpAnswer,
    settings: Settings,
    now: datetime,
) -> Answered:
    """Record an RSVP button (see `bot.services.rsvp.answer` for the rules). Raises UserError
    for someone not invited (`require_invited`), an event that is gone, or after its RSVP
    deadline (the reply says when it closed: a date token, falling back to the event's zone)."""
    event = store.get_event(session, event_id)
    if event is not None and not event.cancelled:
        require_invited(actor, event)
    zone = event_zone(event) if event else settings.tz
    try:
        result = rsvp_service.answer(
            session=session, event_id=event_id, user_id=actor.user_id, choice=choice, now=now
        )
    except UserError as error:
        if event is not None and not event.cancelled:
            closes = (event.rsvp_deadline or event.starts_at).astimezone(zone)
            closed = date_token(closes, "{date_short_pretty} {time}", _local(closes))
            raise user_error(
                "event.error.closed", title=escape(event.title), closed=closed
            ) from error
        raise
    title = escape(event.title)  # replies are mrkdwn: typed text stays inert
    if result.waitlist_position is not None:

        def text(lang: str) -> str:
            return t("event.reply.waitlisted", lang, title=title, position=result.waitlist_position)
    else:

        def text(lang: str) -> str:
            return t(f"event.reply.{result.answer}", lang, title=title)

    notices = announcement_update(session, event, settings)
    if result.promoted:
        notices.append(_promoted_notice(session, event, result.promoted))
    return Answered(text, notices)


def _promoted_notice(session: Session, event: Event, user_id: str) -> Notice:
    view, zone = event_view(session, event), event_zone(event)
    return Notice(
        channel=user_id,
        render=lambda lang: blocks.build_promoted_dm(view, zone, lang),
        kind="event_promoted",
    )


def _local(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} {moment.tzname()}"


def calendar_file(*, session: Session, actor: Actor, event_id: int) -> list[Notice]:
    """A DM to the actor with the event as an `.ics` file (times in the event's zone, with
    its VTIMEZONE). Raises UserError for an unknown or cancelled event, or someone not
    invited (`require_invited`)."""
    event = _editable(session, event_id)
    require_invited(actor, event)
    user_id = actor.user_id
    content = write_event(
        CalendarEvent(
            uid=f"kiban-event-{event.id}@kiban",
            title=event.title,
            start=event.starts_at,
            end=event.ends_at,
            timezone=event.timezone,
            all_day=event.all_day,
            description="\n\n".join(filter(None, (event.purpose, event.description))),
            location=event.location,
        )
    )
    title = escape(event.title)
    return [
        Notice(
            channel=user_id,
            render=lambda lang: Message(t("event.calendar_dm", lang, title=title)),
            kind="event_calendar",
            files=[(f"event-{event.id}.ics", content)],
        )
    ]


# --- listing ----------------------------------------------------------------------------------


def month_bounds(text: str, settings: Settings) -> tuple[datetime, datetime]:
    """[start, end) of the month `text` names (`2026-05`, `2026年5月`, `R8.5`) in the
    programme's zone. Raises the month parser's bilingual UserError."""
    first = parse_month(text)
    start = datetime.combine(first, time(), tzinfo=settings.tz)
    return start, datetime.combine(first + relativedelta(months=1), time(), tzinfo=settings.tz)


def upcoming(
    *, session: Session, actor: Actor, settings: Settings, now: datetime, month: str | None = None
) -> Message:
    """`/event list`: events not yet ended (not cancelled), soonest first, each with the
    actor's own answer (and waitlist place), RSVP buttons, and Edit / Cancel for operators.
    Only events the actor is invited to (`require_invited`; someone in no organization is told
    how to be added). At most `blocks.LIST_MAX` events are shown, then how many more; `month`
    (`YYYY-MM` in the programme's zone) lists that month's events instead of every upcoming one."""
    if not (actor.is_operator or actor.orgs):
        raise user_error("error.no_org")
    start, end = now - MAX_EVENT_LENGTH, None
    if month:
        start, end = month_bounds(month, settings)
    items = []
    for event in store.events_between(session, start, end):
        if (event.ends_at <= now and not month) or not invited(actor, event):
            continue
        rsvp = store.get_rsvp(session, event.id, actor.user_id)
        place = None
        if rsvp is not None and rsvp.waitlisted:
            place = next(
                i
                for i, r in enumerate(store.waitlist(session, event.id), start=1)
                if r.user_id == actor.user_id
            )
        items.append(
            blocks.ListedEvent(
                view=event_view(session, event),
                zone=event_zone(event),
                answer=rsvp.answer if rsvp else None,
                waitlist_position=place,
                channel=event.channel if event.message_ts else None,
            )
        )
    return blocks.build_list(items, actor.lang, operator=actor.is_operator)
