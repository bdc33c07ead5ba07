"""Block Kit for programme events (issue #6, groundwork): the announcement with its purpose,
time as Slack `<!date^…>` tokens (each reader sees their own zone; the fallback gives the
programme's zone, JST by default), place, capacity and live counts, and the buttons
**Going**, **Maybe**, **Can't go**, **Add to calendar**. Pure: no I/O. Shared channels are
rendered in the programme's default language (`lang`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ConfirmObject

from bot.blocks.common import (
    Message,
    context,
    date_token,
    divider,
    escape,
    header,
    long_sections,
    section,
)
from bot.i18n import t

LIST_MAX = 10  # ≤ 4 blocks per event + header and footer: within Slack's 50 per message


class Ids:
    GOING = "event.going"
    MAYBE = "event.maybe"
    CANT = "event.cant"
    CALENDAR = "event.calendar"
    EDIT = "event.edit"
    CANCEL = "event.cancel"


class EventValue(BaseModel):
    event_id: int


@dataclass(frozen=True)
class EventView:
    id: int
    title: str
    purpose: str
    starts_at: datetime  # aware UTC
    ends_at: datetime  # aware UTC
    location: str
    capacity: int | None
    counts: dict[str, int]  # going, maybe, cant, waitlisted
    cancelled: bool = False
    all_day: bool = False  # whole days in the event's zone
    hosts: tuple[str, ...] = ()  # Slack user ids


def when(view: EventView, zone: ZoneInfo, lang: str) -> str:
    """`<!date^…>` start and end tokens, the fallback text in `zone` with its abbreviation.
    The end always carries its date: whether it is "the same day" depends on each reader's
    zone (an evening in Tokyo ends after midnight in Los Angeles), which a token cannot know.
    An all-day event shows plain dates, no token: its days are the event's own (a token would
    show a Tokyo day as the day before in Los Angeles)."""
    start, end = view.starts_at.astimezone(zone), view.ends_at.astimezone(zone)
    if view.all_day:
        last = (end - timedelta(days=1)).date()
        days = f"{start:%Y-%m-%d}" + (f" – {last:%Y-%m-%d}" if last > start.date() else "")
        return t("event.when_days", lang, days=days)
    pretty = "{date_short_pretty} {time}"
    return t(
        "event.when",
        lang,
        start=date_token(view.starts_at, pretty, f"{start:%Y-%m-%d %H:%M} {start.tzname()}"),
        end=date_token(view.ends_at, pretty, f"{end:%Y-%m-%d %H:%M} {end.tzname()}"),
    )


def counts_line(view: EventView, lang: str) -> str:
    """`Going 12 / 30 · Maybe 3 · Can't go 2 · Waitlist 4` (no "/ N" without a capacity)."""
    going = str(view.counts.get("going", 0))
    if view.capacity is not None:
        going += f" / {view.capacity}"
    line = t(
        "event.counts",
        lang,
        going=going,
        maybe=view.counts.get("maybe", 0),
        cant=view.counts.get("cant", 0),
    )
    if view.counts.get("waitlisted"):
        line += t("event.counts_waitlist", lang, count=view.counts["waitlisted"])
    return line


def build_announcement(view: EventView, zone: ZoneInfo, lang: str) -> Message:
    """The channel announcement; a cancelled event keeps its text, loses its buttons."""
    title = t("event.cancelled_title", lang, title=view.title) if view.cancelled else view.title
    lines = [when(view, zone, lang)]
    if view.location:
        lines.append(t("event.where", lang, place=escape(view.location)))
    if view.hosts:
        lines.append(t("event.hosts", lang, hosts=", ".join(f"<@{h}>" for h in view.hosts)))
    blocks = [header(title)]
    if view.purpose:
        blocks += long_sections(t("event.purpose", lang, text=escape(view.purpose)))
    blocks += [section("\n".join(lines)), context(counts_line(view, lang))]
    if not view.cancelled:
        blocks.append(ActionsBlock(block_id="event_rsvp", elements=rsvp_buttons(view.id, lang)))
    # the notification text is mrkdwn too: typed text stays inert there as well
    return Message.of(f"{escape(title)} — {when(view, zone, lang)}", blocks)


def rsvp_buttons(event_id: int, lang: str) -> list[ButtonElement]:
    """**Going**, **Maybe**, **Can't go**, **Add to calendar**."""
    value = EventValue(event_id=event_id).model_dump_json()
    return [
        ButtonElement(
            action_id=Ids.GOING, text=t("event.going", lang), value=value, style="primary"
        ),
        ButtonElement(action_id=Ids.MAYBE, text=t("event.maybe", lang), value=value),
        ButtonElement(action_id=Ids.CANT, text=t("event.cant", lang), value=value),
        ButtonElement(action_id=Ids.CALENDAR, text=t("event.calendar", lang), value=value),
    ]


def _facts(view: EventView, zone: ZoneInfo, lang: str, location: str | None = None) -> str:
    lines = [when(view, zone, lang)]
    place = view.location if location is None else location
    if place:
        lines.append(t("event.where", lang, place=escape(place)))
    return "\n".join(lines)


def build_change_dm(
    was: tuple[EventView, ZoneInfo, str], new: EventView, zone: ZoneInfo, lang: str
) -> Message:
    """To everyone who answered, when the time or place changed: before (`was`: the old view,
    its zone and place) and after."""
    old, old_zone, old_location = was
    text = t(
        "event.changed",
        lang,
        title=escape(new.title),
        before=_facts(old, old_zone, lang, old_location),
        after=_facts(new, zone, lang),
    )
    return Message.of(t("event.changed_short", lang, title=escape(new.title)), [section(text)])


def build_cancel_dm(view: EventView, zone: ZoneInfo, lang: str) -> Message:
    """To everyone who answered, when the event is cancelled."""
    text = t("event.cancelled_dm", lang, title=escape(view.title), facts=_facts(view, zone, lang))
    return Message.of(t("event.cancelled_title", lang, title=escape(view.title)), [section(text)])


def build_promoted_dm(view: EventView, zone: ZoneInfo, lang: str) -> Message:
    """To the first on the waitlist, when a seat freed up: they are going now."""
    text = t("event.promoted", lang, title=escape(view.title), facts=_facts(view, zone, lang))
    return Message.of(t("event.promoted_short", lang, title=escape(view.title)), [section(text)])


@dataclass(frozen=True)
class ListedEvent:
    view: EventView
    zone: ZoneInfo
    answer: str | None  # the reader's own answer
    waitlist_position: int | None
    channel: str | None  # where it was announced


def your_answer(item: ListedEvent, lang: str) -> str:
    if item.waitlist_position is not None:
        return t("event.yours.waitlisted", lang, position=item.waitlist_position)
    return t(f"event.yours.{item.answer or 'none'}", lang)


def build_list(items: list[ListedEvent], lang: str, *, operator: bool) -> Message:
    """`/event list`: upcoming events soonest first with the reader's own answer and the RSVP
    buttons; operators also get **Edit** and **Cancel** (with a confirmation). At most
    LIST_MAX events, then how many more."""
    if not items:
        text = t("event.list.empty", lang) + (
            "\n" + t("event.list.create", lang) if operator else ""
        )
        return Message(text)
    blocks = [header(t("event.list.title", lang))]
    for item in items[:LIST_MAX]:
        lines = [f"*{escape(item.view.title)}*", _facts(item.view, item.zone, lang)]
        lines.append(counts_line(item.view, lang) + " · " + your_answer(item, lang))
        if item.channel:
            lines.append(t("event.list.announced", lang, channel=item.channel))
        blocks.append(section("\n".join(lines)))
        buttons = rsvp_buttons(item.view.id, lang)
        if operator:
            value = EventValue(event_id=item.view.id).model_dump_json()
            buttons += [
                ButtonElement(action_id=Ids.EDIT, text=t("event.edit", lang), value=value),
                ButtonElement(
                    action_id=Ids.CANCEL,
                    text=t("event.cancel_event", lang),
                    value=value,
                    style="danger",
                    confirm=ConfirmObject(
                        title=t("event.cancel_confirm.title", lang),
                        text=t("event.cancel_confirm.text", lang, title=item.view.title[:200]),
                        confirm=t("event.cancel_confirm.yes", lang),
                        deny=t("event.cancel_confirm.no", lang),
                    ),
                ),
            ]
        blocks.append(ActionsBlock(block_id=f"event_{item.view.id}", elements=buttons))
    if len(items) > LIST_MAX:
        blocks.append(context(t("event.list.more", lang, count=len(items) - LIST_MAX)))
    blocks.append(divider())
    return Message.of(t("event.list.title", lang), blocks)
