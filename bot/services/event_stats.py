"""Event participation statistics (issue #6): per organization and per event, for
`/event stats [YYYY-MM]` (operators) and the monthly report (`bot.services.compute_export`).

What is counted, over the events that are not cancelled and that started in the period (a
month `YYYY-MM` in the programme's zone `settings.tz`, or the last 12 months up to now):

- **events**: in total, the number of those events; for an organization, the number of them
  that at least one of its members answered;
- **members** / **people**: the organization's registered members (whatever the period), and
  how many distinct ones answered at least once in the period (in total: everyone who
  answered);
- **answered**: RSVP rows with any answer (`going`, `maybe`, `cant`, waitlisted included);
- **went**: confirmed `going` answers (not waitlisted) for events that have started by `now`;
- **checked in**: RSVP rows with `checked_in_at` set.

A person counts for every organization they belong to, so the organizations' rows may add up
to more than the total (which counts each answer once). People in no organization are counted
under a "no organization" row (shown only when someone there answered). Every organization is
listed, zeros included, except the secretariat's kind, shown only when its members answered.

Per event: title, start date (programme zone), confirmed going against capacity, waitlisted,
checked in, and the survey (`EventSurvey`): number of answers and mean rating.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, select

from bot.blocks.common import Message, context, escape, header, long_sections, section
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.months import format_month, parse_month
from bot.render.event_stats import participation_markdown
from bot.services.members import Actor
from bot.settings import Settings
from bot.timeutil import month_start
from storage import events as event_store
from storage import members as member_store
from storage.events import Event, EventSurvey, Rsvp, RsvpAnswer
from storage.members import Member, OrgKind

SHOWN_EVENTS = 40
"""Events listed in the Slack reply (the rest are counted)."""
SHOWN_ORGS = 60
"""Organization rows listed in the Slack reply (the rest are counted)."""


@dataclass
class OrgParticipation:
    """One row: an organization (`code` set), people in no organization (`code` None) or the
    total. `members` is None where it means nothing (no organization)."""

    name: str
    code: str | None
    members: int | None
    people: int = 0
    events: int = 0
    answered: int = 0
    went: int = 0
    checked_in: int = 0


@dataclass
class EventParticipation:
    """One event's figures: `going` is confirmed (not waitlisted); `capacity` None is no
    limit; `mean_rating` None when nobody answered the survey."""

    id: int
    title: str
    starts_on: date
    started: bool
    going: int
    waitlisted: int
    capacity: int | None
    checked_in: int
    surveys: int
    mean_rating: float | None


@dataclass
class ParticipationStats:
    """Events starting in [start, end) (aware); `month` is the `YYYY-MM` asked for, or None
    for the last 12 months. `orgs` ends with the no-organization row when there is one."""

    start: datetime
    end: datetime
    month: str | None
    zone: str
    orgs: list[OrgParticipation] = field(default_factory=list)
    total: OrgParticipation = field(default_factory=lambda: OrgParticipation("", None, None))
    events: list[EventParticipation] = field(default_factory=list)


def period(settings: Settings, month: str | None, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) of `month` (`YYYY-MM`) in the programme's zone, or the 12 months up to
    `now` (`now` minus 12 calendar months, to `now`)."""
    if month is None:
        return now - relativedelta(months=12), now
    first = datetime.combine(month_start(month), time(0), tzinfo=settings.tz)
    return first, datetime.combine(
        month_start(month) + relativedelta(months=1), time(0), tzinfo=settings.tz
    )


def participation(
    session: Session, settings: Settings, *, month: str | None = None, now: datetime
) -> ParticipationStats:
    """The participation statistics of `month` (`YYYY-MM`, programme zone), or of the last 12
    months up to `now` when None (see the module docstring for what each figure means)."""
    start, end = period(settings, month, now)
    stats = ParticipationStats(start=start, end=end, month=month, zone=settings.timezone)
    events = event_store.events_between(session, start, end)
    started = {e.id: e.starts_at <= now for e in events}
    answers = _in_period(session, Rsvp, start, end)
    surveys = _in_period(session, EventSurvey, start, end)

    orgs = member_store.list_orgs(session)
    user_orgs: dict[str, list[int]] = defaultdict(list)
    org_size: dict[int, int] = defaultdict(int)
    for member in session.exec(select(Member)):
        user_orgs[member.slack_user_id].append(member.organization_id)
        org_size[member.organization_id] += 1

    buckets: dict[int | None, _Bucket] = defaultdict(_Bucket)
    total = _Bucket()
    for rsvp in answers:
        went = (
            rsvp.answer == RsvpAnswer.GOING.value and not rsvp.waitlisted and started[rsvp.event_id]
        )
        for key in user_orgs.get(rsvp.user_id) or [None]:
            buckets[key].add(rsvp, went)
        total.add(rsvp, went)

    for org in orgs:
        if org.kind == OrgKind.SECRETARIAT.value and org.id not in buckets:
            continue
        stats.orgs.append(buckets[org.id].row(org.name, org.code, org_size[org.id]))
    if None in buckets:
        stats.orgs.append(buckets[None].row("", None, None))
    stats.total = total.row("", None, len(user_orgs))
    stats.total.events = len(events)

    by_event: dict[int, list[Rsvp]] = defaultdict(list)
    for rsvp in answers:
        by_event[rsvp.event_id].append(rsvp)
    ratings: dict[int, list[int]] = defaultdict(list)
    for survey in surveys:
        ratings[survey.event_id].append(survey.rating)
    for event in events:
        rows = by_event[event.id]
        event_ratings = ratings[event.id]
        stats.events.append(
            EventParticipation(
                id=event.id,
                title=event.title,
                starts_on=event.starts_at.astimezone(settings.tz).date(),
                started=started[event.id],
                going=sum(r.answer == RsvpAnswer.GOING.value and not r.waitlisted for r in rows),
                waitlisted=sum(r.waitlisted for r in rows),
                capacity=event.capacity,
                checked_in=sum(r.checked_in_at is not None for r in rows),
                surveys=len(event_ratings),
                mean_rating=sum(event_ratings) / len(event_ratings) if event_ratings else None,
            )
        )
    return stats


def _in_period(session: Session, model, start: datetime, end: datetime) -> list:
    """Every `model` row (Rsvp or EventSurvey) of the non-cancelled events starting in
    [start, end), in one query."""
    query = (
        select(model)
        .join(Event, model.event_id == Event.id)
        .where(Event.starts_at >= start, Event.starts_at < end, Event.cancelled.is_(False))
        .order_by(model.id)
    )
    return list(session.exec(query))


@dataclass
class _Bucket:
    people: set[str] = field(default_factory=set)
    events: set[int] = field(default_factory=set)
    answered: int = 0
    went: int = 0
    checked_in: int = 0

    def add(self, rsvp: Rsvp, went: bool) -> None:
        self.people.add(rsvp.user_id)
        self.events.add(rsvp.event_id)
        self.answered += 1
        self.went += went
        self.checked_in += rsvp.checked_in_at is not None

    def row(self, name: str, code: str | None, members: int | None) -> OrgParticipation:
        return OrgParticipation(
            name=name,
            code=code,
            members=members,
            people=len(self.people),
            events=len(self.events),
            answered=self.answered,
            went=self.went,
            checked_in=self.checked_in,
        )


def report_markdown(
    session: Session, settings: Settings, *, month: str, lang: str, now: datetime
) -> str:
    """The monthly report's event section for `month` (`bot.render.event_stats`)."""
    return participation_markdown(
        participation(session, settings, month=month, now=now), month, lang
    )


# --- /event stats ------------------------------------------------------------------------


def stats_reply(
    *, session: Session, actor: Actor, settings: Settings, now: datetime, month: str | None
) -> Message:
    """`/event stats [MONTH]` (operators): the statistics as an ephemeral message. `month` is
    the text typed (`2026-04`, `2026年4月`, `R8.4`, …), None or blank for the last 12 months.

    Raises UserError for a non-operator, and (in both languages, with the usage) for a month
    that cannot be read.
    """
    actor.require_operator()
    chosen = None
    if month and month.strip():
        try:
            chosen = format_month(parse_month(month))
        except UserError as error:
            raise UserError(
                f"{error.en}\n{t('eventstats.usage', 'en')}",
                f"{error.ja}\n{t('eventstats.usage', 'ja')}",
                field="month",
            ) from error
    stats = participation(session, settings, month=chosen, now=now)
    return build_stats(stats, actor.lang)


def period_label(stats: ParticipationStats, lang: str, tz: ZoneInfo) -> str:
    """`2026-04`, or "last 12 months (2025-04-15 – 2026-04-15)" in the programme's zone."""
    if stats.month:
        return stats.month
    return t(
        "eventstats.last_12_months",
        lang,
        start=stats.start.astimezone(tz).date().isoformat(),
        end=stats.end.astimezone(tz).date().isoformat(),
    )


def build_stats(stats: ParticipationStats, lang: str) -> Message:
    """The Block Kit reply: definitions, one line per organization, the total, then the first
    `SHOWN_EVENTS` events (the rest counted). Within 50 blocks, 3000 characters a section."""
    tz = ZoneInfo(stats.zone)
    title = t("eventstats.title_period", lang, period=period_label(stats, lang, tz))
    blocks = [header(title)]
    if not stats.events:
        text = t("eventstats.empty", lang)
        return Message.of(f"{title}\n{text}", [*blocks, section(text)])
    blocks.append(context(t("eventstats.definitions", lang, zone=stats.zone)))
    total = t(
        "eventstats.total_line",
        lang,
        events=stats.total.events,
        people=stats.total.people,
        answered=stats.total.answered,
        went=stats.total.went,
        checked_in=stats.total.checked_in,
    )
    blocks.append(section(total))
    org_lines = [f"*{t('eventstats.by_org', lang)}*"]
    org_lines += [_org_line(row, lang) for row in stats.orgs[:SHOWN_ORGS]]
    if len(stats.orgs) > SHOWN_ORGS:
        org_lines.append(t("eventstats.more_orgs", lang, count=len(stats.orgs) - SHOWN_ORGS))
    blocks += long_sections("\n".join(org_lines))
    event_lines = [f"*{t('eventstats.by_event', lang)}*"]
    event_lines += [_event_line(e, lang) for e in stats.events[:SHOWN_EVENTS]]
    blocks += long_sections("\n".join(event_lines))
    hidden = len(stats.events) - SHOWN_EVENTS
    if hidden > 0:
        blocks.append(context(t("eventstats.more_events", lang, count=hidden)))
    # at most 3 + 5 + 17 + 1 blocks: 60 organization and 40 event lines of bounded length
    return Message.of(f"{title}\n{total}", blocks[:50])


def _org_line(row: OrgParticipation, lang: str) -> str:
    counts = dict(
        people=row.people,
        events=row.events,
        answered=row.answered,
        went=row.went,
        checked_in=row.checked_in,
    )
    if row.code is None:
        return t("eventstats.org_line_no_members", lang, org=t("eventstats.no_org", lang), **counts)
    return t("eventstats.org_line", lang, org=escape(row.name), members=row.members, **counts)


def _event_line(event: EventParticipation, lang: str) -> str:
    capacity = str(event.capacity) if event.capacity is not None else t("eventstats.no_limit", lang)
    if event.waitlisted:
        capacity += t("eventstats.waitlisted", lang, count=event.waitlisted)
    rating = (
        t("eventstats.rating", lang, rating=f"{event.mean_rating:.1f}")
        if event.mean_rating is not None
        else t("eventstats.no_rating", lang)
    )
    return t(
        "eventstats.event_line",
        lang,
        title=escape(event.title),
        date=event.starts_on.isoformat(),
        upcoming="" if event.started else t("eventstats.upcoming", lang),
        going=event.going,
        capacity=capacity,
        checked_in=event.checked_in,
        surveys=event.surveys,
        rating=rating,
    )
