"""Block Kit for creating and editing an event: the "Create an event" / "Edit event" modal and
its parser. Pure: no I/O.

Times are typed as a date and a wall time (time picker) in the event's **Time zone**, not with
a datetime picker: a datetime picker returns an instant in the *operator's* own zone, so "14:00
in London" could not be said from Tokyo. A wall time that does not exist (clocks go forward)
or exists twice (clocks go back) in that zone is refused rather than guessed. The RSVP
deadline is a date: answers close at the end of that day in the event's zone (or at the start,
if earlier). Limits from Slack's Block Kit reference: modal title ≤ 24 characters, 100 options
per static select.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from slack_sdk.models.blocks import InputBlock
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import context
from bot.blocks.compute import FormErrors
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.text import check_chars
from storage.events import Event

TITLE_MAX = 200
TEXT_MAX = 3000
LOCATION_MAX = 1000
CAPACITY_MAX = 100_000  # far above any venue; also keeps the number inside a database integer
# the zones the modal offers: the programme's first, then where the community's partners are
ZONES = (
    "Asia/Tokyo",
    "UTC",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Pacific/Honolulu",
)


class Ids:
    SUBMIT = "event.submit"
    TITLE = "title"
    DESCRIPTION = "description"
    PURPOSE = "purpose"
    START_DATE = "start_date"
    START_TIME = "start_time"
    END_DATE = "end_date"
    END_TIME = "end_time"
    ZONE = "timezone"
    LOCATION = "location"
    CAPACITY = "capacity"
    DEADLINE = "deadline"
    CHANNEL = "channel"
    HOSTS = "hosts"
    INVITED = "invited"


class EventMeta(BaseModel):
    """The modal's private_metadata: language, and the event being edited (None: creating)."""

    lang: str = "ja"
    event_id: int | None = None


@dataclass(frozen=True)
class EventForm:
    """What the modal offers: organizations to invite (id, name), the programme's zone, and
    the event being edited (None when creating)."""

    orgs: list[tuple[int, str]]
    default_zone: str
    event: Event | None = None


@dataclass(frozen=True)
class EventInput:
    """A parsed submission: instants aware UTC, `rsvp_deadline` None = at the start."""

    title: str
    description: str
    purpose: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    location: str
    capacity: int | None
    rsvp_deadline: datetime | None
    channel: str | None
    hosts: list[str] = field(default_factory=list)
    invited_org_ids: list[int] = field(default_factory=list)
    event_id: int | None = None


def _error(key: str, **params: object) -> UserError:
    return UserError(t(key, "en", **params), t(key, "ja", **params))


def zone_select(block_id: str, label: str, default_zone: str, current: str) -> InputBlock:
    """The time-zone select: the programme's zone first, then ZONES (and `current`, an
    imported event's zone, when not among them), `current` preselected."""
    zones = [current] if current not in ZONES and current != default_zone else []
    zones += [default_zone] + [z for z in ZONES if z != default_zone]
    return forms.select(block_id, label, [forms.option(z, z) for z in zones], initial=current)


def meta_of(view: dict) -> EventMeta:
    return EventMeta.model_validate_json(view.get("private_metadata") or "{}")


def build_event_modal(form: EventForm, lang: str) -> View:
    """ "Create an event" (or "Edit event", prefilled), callback id `event.submit`. When
    editing an event already announced, **Announce in** is left out (it stays where it is)."""
    event = form.event
    zone = ZoneInfo(event.timezone if event else form.default_zone)
    start = event.starts_at.astimezone(zone) if event else None
    end = event.ends_at.astimezone(zone) if event else None
    zone_block = zone_select(Ids.ZONE, t("event.field.zone", lang), form.default_zone, zone.key)
    deadline = None
    if event and event.rsvp_deadline and event.rsvp_deadline < event.starts_at:
        deadline = (event.rsvp_deadline.astimezone(zone) - timedelta(seconds=1)).date()
    blocks = [
        forms.text(
            Ids.TITLE,
            t("event.field.title", lang),
            max_length=TITLE_MAX,
            initial=event.title if event else None,
        ),
        forms.text(
            Ids.DESCRIPTION,
            t("event.field.description", lang),
            multiline=True,
            max_length=TEXT_MAX,
            optional=True,
            initial=event.description if event else None,
        ),
        forms.text(
            Ids.PURPOSE,
            t("event.field.purpose", lang),
            multiline=True,
            max_length=TEXT_MAX,
            optional=True,
            initial=event.purpose if event else None,
        ),
        forms.day(
            Ids.START_DATE, t("event.field.start_date", lang), initial=start and start.date()
        ),
        forms.clock(
            Ids.START_TIME, t("event.field.start_time", lang), initial=start and start.time()
        ),
        forms.day(
            Ids.END_DATE,
            t("event.field.end_date", lang),
            initial=end.date() if end and end.date() != start.date() else None,
            optional=True,
        ),
        forms.clock(Ids.END_TIME, t("event.field.end_time", lang), initial=end and end.time()),
        zone_block,
        forms.text(
            Ids.LOCATION,
            t("event.field.location", lang),
            max_length=LOCATION_MAX,
            initial=event.location if event else None,
        ),
        forms.whole_number(
            Ids.CAPACITY,
            t("event.field.capacity", lang),
            initial=event.capacity if event else None,
            maximum=CAPACITY_MAX,
            optional=True,
        ),
        forms.day(Ids.DEADLINE, t("event.field.deadline", lang), initial=deadline, optional=True),
    ]
    if not (event and event.message_ts):
        blocks.append(
            forms.conversation(
                Ids.CHANNEL,
                t("event.field.channel", lang),
                optional=True,
                hint=t("event.field.channel_hint", lang),
            )
        )
    blocks.append(
        forms.users(
            Ids.HOSTS,
            t("event.field.hosts", lang),
            initial=event.host_ids if event else [],
            optional=True,
        )
    )
    if form.orgs:
        blocks.append(
            forms.multi_select(
                Ids.INVITED,
                t("event.field.invited", lang),
                [forms.option(name, str(org_id)) for org_id, name in form.orgs],
                initial=[str(o) for o in event.invited_org_ids] if event else [],
                optional=True,
            )
        )
    blocks.append(context(t("event.modal.times_note", lang)))
    return forms.modal(
        Ids.SUBMIT,
        title=t("event.modal.edit_title" if event else "event.modal.title", lang),
        submit=t("event.modal.save" if event else "event.modal.create", lang),
        close=t("event.modal.close", lang),
        metadata=EventMeta(lang=lang, event_id=event.id if event else None).model_dump_json(),
        blocks=blocks,
    )


def wall_time(day: date, clock: time, zone: ZoneInfo) -> datetime | None:
    """`day` `clock` in `zone` as an aware instant; None when that wall time does not exist
    there or exists twice (a daylight-saving change)."""
    first = datetime.combine(day, clock, tzinfo=zone)
    # PEP 495: in a gap or an overlap, fold=0 and fold=1 give different offsets
    return first if first.utcoffset() == first.replace(fold=1).utcoffset() else None


def parse_event_submission(view: dict) -> EventInput:
    """Read a submitted event modal. Raises FormErrors (block_id → UserError) listing every
    field that is wrong at once: required text missing or too long, a time that does not
    exist in the zone, an end not after the start, a deadline after the start day."""
    meta = meta_of(view)
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    texts = {}
    for block_id, limit, required in (
        (Ids.TITLE, TITLE_MAX, True),
        (Ids.DESCRIPTION, TEXT_MAX, False),
        (Ids.PURPOSE, TEXT_MAX, False),
        (Ids.LOCATION, LOCATION_MAX, True),
    ):
        text = forms.typed(values, block_id)
        if required and not text:
            errors[block_id] = _error("event.error.required")
        elif len(text) > limit:
            errors[block_id] = _error("event.error.too_long", limit=f"{limit:,}")
        elif problem := check_chars(None, text):
            errors[block_id] = problem
        texts[block_id] = text
    zone_name = forms.chosen(values, Ids.ZONE) or "Asia/Tokyo"
    try:
        zone = ZoneInfo(zone_name)
    except (KeyError, ValueError):
        errors[Ids.ZONE] = _error("event.error.zone")
        zone = ZoneInfo("UTC")
    start_day = forms.picked_date(values, Ids.START_DATE)
    start_clock = forms.picked_time(values, Ids.START_TIME)
    end_day = forms.picked_date(values, Ids.END_DATE) or start_day
    end_clock = forms.picked_time(values, Ids.END_TIME)
    starts_at = ends_at = None
    for day_id, clock_id, day, clock in (
        (Ids.START_DATE, Ids.START_TIME, start_day, start_clock),
        (Ids.END_DATE, Ids.END_TIME, end_day, end_clock),
    ):
        if day is None:
            errors[day_id] = _error("event.error.pick_date")
        elif clock is None:
            errors[clock_id] = _error("event.error.pick_time")
        else:
            moment = wall_time(day, clock, zone)
            if moment is None:
                errors[clock_id] = _error(
                    "event.error.no_such_time", time=f"{day} {clock:%H:%M}", zone=zone.key
                )
            elif clock_id == Ids.START_TIME:
                starts_at = moment
            else:
                ends_at = moment
    if starts_at and ends_at and ends_at <= starts_at:
        errors[Ids.END_TIME] = _error("event.error.end_before_start")
    deadline = None
    deadline_day = forms.picked_date(values, Ids.DEADLINE)
    if deadline_day and start_day:
        if deadline_day > start_day:
            errors[Ids.DEADLINE] = _error("event.error.deadline_after_start")
        elif starts_at:
            closes = datetime.combine(deadline_day + timedelta(days=1), time(), tzinfo=zone)
            deadline = min(closes, starts_at)
    capacity = None
    raw_capacity = forms.state(values, Ids.CAPACITY).get("value")
    if raw_capacity not in (None, ""):
        try:
            capacity = int(str(raw_capacity).strip())
        except ValueError:
            capacity = 0
        if not 1 <= capacity <= CAPACITY_MAX:
            errors[Ids.CAPACITY] = _error("event.error.capacity", limit=f"{CAPACITY_MAX:,}")
    if errors:
        raise FormErrors(errors)
    utc = ZoneInfo("UTC")
    return EventInput(
        title=texts[Ids.TITLE],
        description=texts[Ids.DESCRIPTION],
        purpose=texts[Ids.PURPOSE],
        starts_at=starts_at.astimezone(utc),
        ends_at=ends_at.astimezone(utc),
        timezone=zone.key,
        location=texts[Ids.LOCATION],
        capacity=capacity,
        rsvp_deadline=deadline.astimezone(utc) if deadline else None,
        channel=forms.picked_conversation(values, Ids.CHANNEL),
        hosts=forms.picked_users(values, Ids.HOSTS),
        invited_org_ids=[int(v) for v in forms.chosen_many(values, Ids.INVITED)],
        event_id=meta.event_id,
    )
