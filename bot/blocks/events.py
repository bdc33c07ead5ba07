"""Block Kit for programme events (issue #6, groundwork): the announcement with its purpose,
time as Slack `<!date^…>` tokens (each reader sees their own zone; the fallback gives the
programme's zone, JST by default), place, capacity and live counts, and the buttons
**Going**, **Maybe**, **Can't go**, **Add to calendar**. Pure: no I/O. Shared channels are
rendered in the programme's default language (`lang`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.blocks.common import Message, context, date_token, escape, header, long_sections, section
from bot.i18n import t


class Ids:
    GOING = "event.going"
    MAYBE = "event.maybe"
    CANT = "event.cant"
    CALENDAR = "event.calendar"


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


def when(view: EventView, zone: ZoneInfo, lang: str) -> str:
    """`<!date^…>` start and end tokens, the fallback text in `zone` with its abbreviation.
    The end always carries its date: whether it is "the same day" depends on each reader's
    zone (an evening in Tokyo ends after midnight in Los Angeles), which a token cannot know."""
    start, end = view.starts_at.astimezone(zone), view.ends_at.astimezone(zone)
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
    blocks = [header(title)]
    if view.purpose:
        blocks += long_sections(t("event.purpose", lang, text=escape(view.purpose)))
    blocks += [section("\n".join(lines)), context(counts_line(view, lang))]
    if not view.cancelled:
        value = EventValue(event_id=view.id).model_dump_json()
        blocks.append(
            ActionsBlock(
                block_id="event_rsvp",
                elements=[
                    ButtonElement(
                        action_id=Ids.GOING,
                        text=t("event.going", lang),
                        value=value,
                        style="primary",
                    ),
                    ButtonElement(action_id=Ids.MAYBE, text=t("event.maybe", lang), value=value),
                    ButtonElement(action_id=Ids.CANT, text=t("event.cant", lang), value=value),
                    ButtonElement(
                        action_id=Ids.CALENDAR, text=t("event.calendar", lang), value=value
                    ),
                ],
            )
        )
    return Message.of(f"{title} — {when(view, zone, lang)}", blocks)
