"""Block Kit for what follows an RSVP (issue #6): the reminder DMs (about a day and an hour
before), the start DM and the announcement thread's message with **Check in**, the replies to
Check in, the survey DM with **Answer the survey**, the survey modal and its parser, the
operators' summary, and the non-responder reminder. Pure: no I/O.

Times are Slack `<!date^…>` tokens (each reader sees their own zone) whose fallback text is
given in the zone the caller passes: the recipient's own for a DM, the event's for a channel.
Button values and private_metadata are small pydantic models (add fields, never rename).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    RadioButtonsElement,
)
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import (
    SECTION_TEXT_MAX,
    Message,
    context,
    date_token,
    escape,
    header,
    long_sections,
    section,
    truncate,
)
from bot.blocks.compute import FormErrors
from bot.blocks.events import EventView, when
from bot.errors import UserError
from bot.i18n import t

__all__ = ["FormErrors"]

TEXT_MAX = 3000  # each free-text answer (Slack's plain-text input limit; EventSurvey's column)
COMMENT_MAX = 1000  # a comment as quoted in the summary (escaped), the rest cut with "…"
MAX_BLOCKS = 50  # Slack's limit per message
RATINGS = (5, 4, 3, 2, 1)
PRETTY = "{date_short_pretty} {time}"


class Ids(StrEnum):
    CHECK_IN = "eventfu.check_in"
    SURVEY = "eventfu.survey"
    SURVEY_SUBMIT = "eventfu.survey.submit"
    RATING = "rating"
    USEFUL = "useful"
    CHANGE = "change"


class EventRef(BaseModel):
    """The value of Check in and Answer the survey."""

    event_id: int


class SurveyMeta(BaseModel):
    """The survey modal's private_metadata: the event, the language it was rendered in, and
    where the survey DM whose button opened it is (to mark it answered), when known."""

    event_id: int
    lang: str = "ja"
    channel: str | None = None
    ts: str | None = None


@dataclass(frozen=True)
class SurveyInput:
    """A well-formed survey answer: `rating` 1–5, the two comments ("" when left empty)."""

    rating: int
    useful: str = ""
    change: str = ""


@dataclass(frozen=True)
class SurveyForm:
    """What the survey modal shows: the event and the person's earlier answer, if any."""

    event_id: int
    title: str
    previous: SurveyInput | None = None


@dataclass(frozen=True)
class CheckInView:
    """The outcome of a Check in: when the person is checked in (aware UTC), whether it was
    already so before this click, and whether the click created their RSVP (a walk-in)."""

    title: str
    at: datetime
    already: bool = False
    walk_in: bool = False


@dataclass(frozen=True)
class SurveySummary:
    """The survey's results for the operators: how many were asked (attendees: checked in or
    confirmed going), how many checked in, every rating, and the non-empty comments (as typed)."""

    view: EventView
    asked: int
    checked_in: int
    ratings: list[int]
    useful: list[str]
    change: list[str]


def moment(at: datetime, zone: ZoneInfo) -> str:
    """A date token for `at` (aware) with its fallback in `zone`, e.g. `2026-04-10 00:00 JST`."""
    local = at.astimezone(zone)
    return date_token(at, PRETTY, f"{local:%Y-%m-%d %H:%M} {local.tzname()}")


def _when_where(view: EventView, zone: ZoneInfo, lang: str) -> str:
    lines = [when(view, zone, lang)]
    if view.location:
        lines.append(t("event.where", lang, place=escape(view.location)))
    return "\n".join(lines)


def _button(action_id: str, text: str, event_id: int, primary: bool = True) -> ButtonElement:
    return ButtonElement(
        action_id=action_id,
        text=text,
        value=EventRef(event_id=event_id).model_dump_json(),
        style="primary" if primary else None,
    )


def _check_in(view: EventView, lang: str) -> ActionsBlock:
    return ActionsBlock(
        block_id="event_check_in",
        elements=[_button(Ids.CHECK_IN, t("eventfu.check_in", lang), view.id)],
    )


# --- reminders and the start -------------------------------------------------------------------


def build_reminder(
    view: EventView, kind: Literal["day", "hour"], zone: ZoneInfo, lang: str
) -> Message:
    """The reminder DM about a day (`day`) or an hour (`hour`) before the start: title, time
    (tokens, fallback in the recipient's `zone`), place, and how to give the seat back."""
    headline = t(f"eventfu.reminder.{kind}", lang, title=escape(view.title))
    blocks = [
        section(headline),
        section(_when_where(view, zone, lang)),
        context(t("eventfu.reminder.going", lang)),
    ]
    return Message.of(f"{headline} {when(view, zone, lang)}", blocks)


def build_start_dm(view: EventView, zone: ZoneInfo, lang: str) -> Message:
    """The DM at the start: the link (the event's location, escaped) and **Check in**."""
    headline = t("eventfu.start.dm", lang, title=escape(view.title))
    lines = [when(view, zone, lang)]
    if view.location:
        lines.append(t("eventfu.start.link", lang, place=escape(view.location)))
    blocks = [
        section(headline),
        section("\n".join(lines)),
        _check_in(view, lang),
        context(t("eventfu.start.check_in_hint", lang)),
    ]
    return Message.of(headline, blocks)


def build_start_thread(view: EventView, lang: str) -> Message:
    """The reply in the announcement's thread at the start, with **Check in**, for people who
    did not get the DM (no RSVP, maybe, waitlisted)."""
    text = t("eventfu.start.thread", lang, title=escape(view.title))
    return Message.of(text, [section(text), _check_in(view, lang)])


def build_check_in_reply(result: CheckInView, zone: ZoneInfo, lang: str) -> Message:
    """The ephemeral answer to Check in: checked in now (and, for a walk-in, that they are now
    recorded as going), or already checked in at an earlier time. Times fall back in `zone`."""
    title, at = escape(result.title), moment(result.at, zone)
    if result.already:
        text = t("eventfu.checked_in.already", lang, title=title, time=at)
    else:
        text = t("eventfu.checked_in", lang, title=title, time=at)
        if result.walk_in:
            text += "\n" + t("eventfu.checked_in.walk_in", lang)
    return Message.of(text, [section(text)])


# --- the survey ------------------------------------------------------------------------------


def build_survey_dm(
    view: EventView,
    closes: datetime,
    zone: ZoneInfo,
    lang: str,
    answered: int | None = None,
) -> Message:
    """The survey DM after the event with **Answer the survey**, open until `closes` (aware;
    fallback in the recipient's `zone`). With `answered` (the rating given), it thanks them
    and the button becomes **Change my answer**."""
    text = t("eventfu.survey.dm", lang, title=escape(view.title))
    blocks = [section(text)]
    if answered is not None:
        blocks.append(section(t("eventfu.survey.answered", lang, rating=answered)))
    blocks.append(context(t("eventfu.survey.open_until", lang, closes=moment(closes, zone))))
    label = "eventfu.survey.button" if answered is None else "eventfu.survey.change_button"
    blocks.append(
        ActionsBlock(
            block_id="event_survey",
            elements=[_button(Ids.SURVEY, t(label, lang), view.id, primary=answered is None)],
        )
    )
    return Message.of(text, blocks)


def _rating_options(lang: str) -> list:
    return [forms.option(t(f"eventfu.survey.rating.{r}", lang), str(r)) for r in RATINGS]


def build_survey_modal(
    form: SurveyForm, lang: str, channel: str | None = None, ts: str | None = None
) -> View:
    """The survey modal (callback id `eventfu.survey.submit`): rating 1–5 (radio buttons,
    required), "What was useful" and "What would you change" (optional, multiline, ≤3000),
    prefilled with the person's earlier answer. `channel`/`ts`: the survey DM to mark answered."""
    options = _rating_options(lang)
    previous = form.previous
    initial = next((o for o in options if previous and o.value == str(previous.rating)), None)
    blocks = [
        section(t("eventfu.survey.modal.intro", lang, title=escape(form.title))),
        InputBlock(
            block_id=Ids.RATING,
            label=t("eventfu.survey.rating", lang),
            element=RadioButtonsElement(
                action_id=forms.INPUT, options=options, initial_option=initial
            ),
        ),
        forms.text(
            Ids.USEFUL,
            t("eventfu.survey.useful", lang),
            multiline=True,
            max_length=TEXT_MAX,
            initial=previous.useful if previous else None,
            optional=True,
        ),
        forms.text(
            Ids.CHANGE,
            t("eventfu.survey.change", lang),
            multiline=True,
            max_length=TEXT_MAX,
            initial=previous.change if previous else None,
            optional=True,
        ),
    ]
    meta = SurveyMeta(event_id=form.event_id, lang=lang, channel=channel, ts=ts)
    return forms.modal(
        Ids.SURVEY_SUBMIT,
        title=t("eventfu.survey.modal.title", lang),
        submit=t("eventfu.survey.modal.submit", lang),
        close=t("eventfu.survey.modal.close", lang),
        metadata=meta.model_dump_json(),
        blocks=blocks,
    )


def meta_of(view: dict) -> SurveyMeta:
    """The survey modal's metadata from a submitted view.

    Raises pydantic.ValidationError for metadata Kiban did not write (a forged view)."""
    return SurveyMeta.model_validate_json(view.get("private_metadata") or "{}")


def _error(key: str, **params: object) -> UserError:
    return UserError(t(key, "en", **params), t(key, "ja", **params))


def parse_survey_submission(view: dict) -> tuple[SurveyMeta, SurveyInput]:
    """Read a submitted survey modal.

    Returns the metadata and the answer. Raises:
        FormErrors: block_id → UserError for a missing or out-of-range rating and comments
            over 3000 characters, all at once.
    """
    meta = meta_of(view)
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    rating = forms.chosen(values, Ids.RATING)
    if rating not in {str(r) for r in RATINGS}:
        errors[Ids.RATING] = _error("eventfu.error.pick_rating")
    texts = {}
    for block_id in (Ids.USEFUL, Ids.CHANGE):
        text = forms.typed(values, block_id)
        if len(text) > TEXT_MAX:
            errors[block_id] = _error(
                "eventfu.error.too_long", limit=f"{TEXT_MAX:,}", count=f"{len(text):,}"
            )
        texts[block_id] = text
    if errors:
        raise FormErrors(errors)
    return meta, SurveyInput(rating=int(rating), useful=texts[Ids.USEFUL], change=texts[Ids.CHANGE])


# --- the operators' summary --------------------------------------------------------------------


def mean_rating(ratings: list[int]) -> str:
    """The mean to one decimal (`4.3`), "–" without ratings."""
    return f"{sum(ratings) / len(ratings):.1f}" if ratings else "–"


def distribution(ratings: list[int]) -> str:
    """One line per rating, 5 first: `5 ★★★★★ 3` (a count of 0 included)."""
    counted = Counter(ratings)
    return "\n".join(f"{r} {'★' * r}{'☆' * (5 - r)}  {counted[r]}" for r in RATINGS)


def _quoted(comment: str) -> str:
    body = truncate(escape(comment.strip()), COMMENT_MAX)
    return "> " + body.replace("\n", "\n> ")


def _comment_sections(label: str, comments: list[str], room: int) -> tuple[list, int]:
    """Sections quoting `comments` under `label`, packed within Slack's section limit, at most
    `room` blocks. Returns the sections and how many comments did not fit."""
    if not comments or room <= 0:
        return [], len(comments)
    chunks = [label]
    for index, comment in enumerate(comments):
        quoted = _quoted(comment)
        if len(chunks[-1]) + 2 + len(quoted) <= SECTION_TEXT_MAX:
            chunks[-1] += "\n" + quoted
        elif len(chunks) < room:
            chunks.append(quoted)
        else:
            return [section(c) for c in chunks], len(comments) - index
    return [section(c) for c in chunks], 0


def build_summary(summary: SurveySummary, zone: ZoneInfo, lang: str) -> Message:
    """The survey summary for the operator channel: answers out of attendees (and checked in),
    the mean rating, the distribution, and every comment quoted (escaped, each cut at 1,000
    characters, unnamed), within Slack's 50 blocks (the count of comments left out is said)."""
    view = summary.view
    counts = t(
        "eventfu.summary.counts",
        lang,
        answers=len(summary.ratings),
        asked=summary.asked,
        checked=summary.checked_in,
    )
    blocks = [header(t("eventfu.summary.title", lang, title=view.title))]
    blocks.append(section(when(view, zone, lang)))
    if summary.ratings:
        mean = t("eventfu.summary.mean", lang, mean=mean_rating(summary.ratings))
        blocks.append(section(f"{counts}\n{mean}"))
        blocks.append(section(distribution(summary.ratings)))
    else:
        blocks.append(section(f"{counts}\n{t('eventfu.summary.no_answers', lang)}"))
    cut = 0
    for key, comments in (
        ("eventfu.summary.useful", summary.useful),
        ("eventfu.summary.change", summary.change),
    ):
        room = MAX_BLOCKS - 2 - len(blocks)  # the cut note and the closing context
        sections, left = _comment_sections(t(key, lang), comments, room)
        blocks += sections
        cut += left
    if cut:
        blocks.append(context(t("eventfu.summary.cut", lang, count=cut)))
    blocks.append(context(t("eventfu.summary.final", lang)))
    title = t("eventfu.summary.title", lang, title=escape(view.title))
    return Message.of(f"{title} — {counts}", blocks)


# --- the non-responder reminder ------------------------------------------------------------------


def build_nonresponders(
    view: EventView, deadline: datetime, users: list[str], zone: ZoneInfo, lang: str
) -> Message:
    """The reply in the announcement's thread before the RSVP deadline, mentioning `users`
    (Slack user ids) who have not answered; the deadline's fallback in `zone`."""
    mentions = " ".join(f"<@{user}>" for user in users)
    text = t(
        "eventfu.nonresponders",
        lang,
        title=escape(view.title),
        deadline=moment(deadline, zone),
        mentions=mentions,
    )
    blocks = long_sections(text)[: MAX_BLOCKS - 1]
    return Message.of(truncate(text, SECTION_TEXT_MAX), blocks)
