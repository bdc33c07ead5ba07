"""Block Kit for announcements (issue #9): the `/announce` modal and its parser, the card in the
operator channel (both languages, audience, publication time; **Approve** / **Cancel**), the
post in the community channels, the operators' "published" note and `/announce list`. Pure:
no I/O. Button values and private_metadata are small pydantic models (add fields, never
rename: posted buttons stay clickable).

Stored text: `title` is plain text as typed (shown in header blocks, escaped elsewhere);
`body` is Slack mrkdwn: typed text escaped, `<https://…|label>` links kept and made safe
(`bot.blocks.trend_report.from_typed`, shared with the trend report's edits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    InputBlock,
)
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import Message, context, divider, escape, header, long_sections, section
from bot.blocks.compute import FormErrors
from bot.blocks.trend_report import as_typed, from_typed
from bot.errors import UserError
from bot.i18n import LANGS, t
from bot.parsing.text import check_chars

__all__ = ["FormErrors"]

TITLE_MAX = 150  # a header block's limit: the title is shown whole
BODY_MAX = 3000  # per language, as typed
LIST_MAX = 20  # announcements in `/announce list` (each a section: Slack allows 50 blocks)


class Ids:
    SUBMIT = "announce.submit"
    APPROVE = "announce.approve"
    CANCEL = "announce.cancel"
    TITLE = {"ja": "title_ja", "en": "title_en"}
    BODY = {"ja": "body_ja", "en": "body_en"}
    AUDIENCE = "audience"
    DATE = "publish_date"
    TIME = "publish_time"
    CHANNELS = "channels"  # audience option values
    PUBLIC = "public"


class ComposeMeta(BaseModel):
    """The modal's private_metadata: its language and, for an edit, what is edited."""

    lang: str = "ja"
    announcement_id: int | None = None
    revision: int | None = None  # the revision the editor saw


class ButtonValue(BaseModel):
    """Approve / Cancel: the announcement and the revision shown (an approval is of it)."""

    announcement_id: int
    revision: int = 0


@dataclass(frozen=True)
class AnnouncementInput:
    """A well-formed submission: texts as typed ({"ja", "en"}, "" when empty), the audience,
    and the publication time as a wall time in the programme's zone (checked by the
    service against the rules and the clock)."""

    title: dict[str, str]
    body: dict[str, str]
    to_channels: bool
    to_public: bool
    day: date
    clock: time


@dataclass(frozen=True)
class Card:
    """What the blocks show of an announcement (a snapshot taken inside the transaction)."""

    id: int
    title: dict
    body: dict
    to_channels: bool
    to_public: bool
    publish_at: datetime
    status: str
    revision: int
    author: str
    approved_by: str | None = None
    approved_at: datetime | None = None
    cancelled_by: str | None = None
    published_at: datetime | None = None

    @classmethod
    def of(cls, row) -> Card:
        return cls(
            id=row.id,
            title=dict(row.title),
            body=dict(row.body),
            to_channels=row.to_channels,
            to_public=row.to_public,
            publish_at=row.publish_at,
            status=row.status,
            revision=row.revision,
            author=row.author,
            approved_by=row.approved_by,
            approved_at=row.approved_at,
            cancelled_by=row.cancelled_by,
            published_at=row.published_at,
        )

    def languages(self) -> list[str]:
        """The languages with a title (ja first)."""
        return [g for g in LANGS if self.title.get(g)]

    def first_title(self) -> str:
        return next((self.title[g] for g in self.languages()), "")


def _error(key: str, **params: object) -> UserError:
    return UserError(t(key, "en", **params), t(key, "ja", **params))


def when(moment: datetime, tz: ZoneInfo) -> str:
    """`2026-04-02 10:00 JST`: a moment in the programme's zone."""
    local = moment.astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def audience_text(to_channels: bool, to_public: bool, lang: str) -> str:
    parts = [t("announce.audience.channels", lang)] if to_channels else []
    if to_public:
        parts.append(t("announce.audience.public", lang))
    return " + ".join(parts)


# --- the modal ---------------------------------------------------------------------------------


def _audience(initial: list[str], lang: str) -> InputBlock:
    options = [
        forms.option(t("announce.audience.channels", lang), Ids.CHANNELS),
        forms.option(t("announce.audience.public_long", lang), Ids.PUBLIC),
    ]
    ticked = [o for o in options if o.value in initial]
    return InputBlock(
        block_id=Ids.AUDIENCE,
        label=t("announce.field.audience", lang),
        optional=True,  # checked by the parser, so the message is Kiban's own
        element=CheckboxesElement(
            action_id=forms.INPUT, options=options, initial_options=ticked or None
        ),
    )


def build_modal(
    lang: str,
    tz: ZoneInfo,
    *,
    day: date,
    clock: time,
    current: Card | None = None,
) -> View:
    """The `/announce` modal (callback id `announce.submit`), empty or, with `current`, for
    editing it (texts, audience, time prefilled). `day`/`clock`: the initial publication time
    (wall time in `tz`)."""
    zone = datetime.combine(day, clock, tzinfo=tz).tzname()
    blocks = [context(t("announce.modal.intro", lang))]
    for g in LANGS:
        blocks.append(
            forms.text(
                Ids.TITLE[g],
                t(f"announce.field.title_{g}", lang),
                max_length=TITLE_MAX,
                initial=current.title.get(g) if current else None,
                optional=True,
            )
        )
        blocks.append(
            forms.text(
                Ids.BODY[g],
                t(f"announce.field.body_{g}", lang),
                multiline=True,
                max_length=BODY_MAX,
                initial=as_typed(current.body.get(g, "")) if current else None,
                optional=True,
            )
        )
    initial = [Ids.CHANNELS]
    if current:
        initial = [Ids.CHANNELS] if current.to_channels else []
        initial += [Ids.PUBLIC] if current.to_public else []
    blocks.append(_audience(initial, lang))
    blocks.append(forms.day(Ids.DATE, t("announce.field.date", lang, zone=zone), initial=day))
    blocks.append(forms.clock(Ids.TIME, t("announce.field.time", lang, zone=zone), initial=clock))
    meta = ComposeMeta(
        lang=lang,
        announcement_id=current.id if current else None,
        revision=current.revision if current else None,
    )
    return forms.modal(
        Ids.SUBMIT,
        title=t("announce.modal.edit_title" if current else "announce.modal.title", lang),
        submit=t("announce.modal.submit", lang),
        close=t("announce.modal.close", lang),
        metadata=meta.model_dump_json(),
        blocks=blocks,
    )


def meta_of(view: dict) -> ComposeMeta:
    return ComposeMeta.model_validate_json(view.get("private_metadata") or "{}")


def parse_submission(view: dict) -> tuple[ComposeMeta, AnnouncementInput]:
    """Read a submitted `/announce` modal: lengths (title ≤ 150, body ≤ 3000 per language),
    characters that cannot be stored, an audience ticked, a date and a time picked. The
    rules between fields (languages per audience, the time against the clock) are the
    service's (`bot.services.announcements.check`).

    Raises:
        FormErrors: block id → UserError for every field that is wrong, all at once.
    """
    meta = meta_of(view)
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    texts: dict[str, dict[str, str]] = {"title": {}, "body": {}}
    for kind, ids, limit in (("title", Ids.TITLE, TITLE_MAX), ("body", Ids.BODY, BODY_MAX)):
        for g in LANGS:
            typed = forms.typed(values, ids[g])
            if len(typed) > limit:
                errors[ids[g]] = _error(
                    "announce.error.too_long", limit=f"{limit:,}", count=f"{len(typed):,}"
                )
            elif problem := check_chars(None, typed):
                errors[ids[g]] = problem
            texts[kind][g] = typed
    audience = forms.chosen_many(values, Ids.AUDIENCE)
    if not audience:
        errors[Ids.AUDIENCE] = _error("announce.error.audience")
    day = forms.picked_date(values, Ids.DATE)
    if day is None:
        errors[Ids.DATE] = _error("announce.error.pick_date")
    clock = forms.picked_time(values, Ids.TIME)
    if clock is None:
        errors[Ids.TIME] = _error("announce.error.pick_time")
    if errors:
        raise FormErrors(errors)
    return meta, AnnouncementInput(
        title={g: " ".join(texts["title"][g].split()) for g in LANGS},  # one line: a header
        body=texts["body"],
        to_channels=Ids.CHANNELS in audience,
        to_public=Ids.PUBLIC in audience,
        day=day,
        clock=clock,
    )


def stored_body(typed: str) -> str:
    """A body as typed, as stored (mrkdwn: escaped, safe links kept); "" stays ""."""
    return from_typed(typed) if typed.strip() else ""


def done_view(card: Card, tz: ZoneInfo, lang: str) -> View:
    """What replaces the modal once stored: where the announcement stands."""
    key = (
        "announce.done.awaiting"
        if card.status == "awaiting_approval"
        else "announce.done.scheduled"
    )
    return View(
        type="modal",
        title=t("announce.modal.title", lang),
        close=t("announce.modal.close", lang),
        blocks=[section(t(key, lang, id=card.id, when=when(card.publish_at, tz)))],
    )


# --- the card in the operator channel ------------------------------------------------------------


def _texts(card: Card, lang: str) -> list:
    """Each language's title and body (ja first), labelled in `lang`."""
    blocks = []
    for g in card.languages():
        label = t(f"announce.lang.{g}", lang)
        blocks.append(section(f"*{label}: {escape(card.title[g])}*"))
        blocks += long_sections(card.body.get(g) or "")
    return blocks


def _status_line(card: Card, tz: ZoneInfo, lang: str) -> str:
    at = when(card.publish_at, tz)
    if card.status == "awaiting_approval":
        return t("announce.card.needs_approval", lang, when=at)
    if card.status == "cancelled":
        return t("announce.card.cancelled", lang, user=card.cancelled_by or "?")
    if card.status in ("publishing", "published"):
        return t(
            "announce.card.published", lang, when=when(card.published_at or card.publish_at, tz)
        )
    if card.approved_by:
        late = card.approved_at is not None and card.approved_at >= card.publish_at
        key = "announce.card.approved_late" if late else "announce.card.approved"
        return t(key, lang, user=card.approved_by, when=at)
    return t("announce.card.scheduled", lang, when=at)


def _buttons(card: Card, lang: str) -> ActionsBlock | None:
    value = ButtonValue(announcement_id=card.id, revision=card.revision).model_dump_json()
    elements = []
    if card.status == "awaiting_approval":
        elements.append(
            ButtonElement(
                text=t("announce.approve", lang),
                action_id=Ids.APPROVE,
                value=value,
                style="primary",
                confirm=ConfirmObject(
                    title=t("announce.confirm.approve.title", lang),
                    text=t("announce.confirm.approve.text", lang, id=card.id),
                    confirm=t("announce.approve", lang),
                    deny=t("announce.confirm.deny", lang),
                ),
            )
        )
    if card.status in ("awaiting_approval", "scheduled"):
        elements.append(
            ButtonElement(
                text=t("announce.cancel", lang),
                action_id=Ids.CANCEL,
                value=value,
                style="danger",
                confirm=ConfirmObject(
                    title=t("announce.confirm.cancel.title", lang),
                    text=t("announce.confirm.cancel.text", lang, id=card.id),
                    confirm=t("announce.cancel", lang),
                    deny=t("announce.confirm.deny", lang),
                ),
            )
        )
    return ActionsBlock(elements=elements) if elements else None


def card_message(card: Card, tz: ZoneInfo, lang: str) -> Message:
    """The announcement for the operators: both languages, audience, publication time (in
    the programme's zone), author and revision, where it stands, and its buttons."""
    title = t("announce.card.title", lang, id=card.id, title=card.first_title())
    meta = t(
        "announce.card.meta",
        lang,
        audience=audience_text(card.to_channels, card.to_public, lang),
        when=when(card.publish_at, tz),
        author=card.author,
        revision=card.revision,
    )
    blocks = [header(title), context(meta), *_texts(card, lang)]
    blocks.append(context(_status_line(card, tz, lang)))
    buttons = _buttons(card, lang)
    if buttons:
        blocks.append(buttons)
    return Message.of(escape(title), blocks)


# --- publication --------------------------------------------------------------------------------


def published_message(card: Card) -> Message:
    """The post in a community channel: every language given, Japanese first (a shared
    channel's readers read either), whatever the reader's locale."""
    blocks = []
    for n, g in enumerate(card.languages()):
        if n:
            blocks.append(divider())
        blocks.append(header(card.title[g]))
        blocks += long_sections(card.body.get(g) or "")
    text = " / ".join(escape(card.title[g]) for g in card.languages())
    return Message.of(text, blocks)


def published_note(card: Card, channels: list[str], failed: list[str], lang: str) -> Message:
    """The operators' note once published: where it went (channels, the public feed) and
    where Slack refused."""
    where = [f"<#{c}>" for c in channels]
    if card.to_public:
        where.append(t("announce.published.feed", lang))
    text = t(
        "announce.published.note",
        lang,
        id=card.id,
        title=escape(card.first_title()),
        where=", ".join(where) or "—",
    )
    if failed:
        text += "\n" + t("announce.published.refused", lang, channels=", ".join(failed))
    return Message(text)


# --- /announce list -------------------------------------------------------------------------------


def list_message(cards: list[Card], tz: ZoneInfo, lang: str) -> Message:
    """Awaiting approval, scheduled and recently published announcements, each with its
    status, audience and time; a Cancel button where it can still be cancelled."""
    title = t("announce.list.title", lang)
    if not cards:
        return Message.of(title, [header(title), section(t("announce.list.empty", lang))])
    blocks = [header(title)]
    for card in cards[:LIST_MAX]:
        line = t(
            "announce.list.line",
            lang,
            id=card.id,
            title=escape(card.first_title()),
            status=t(f"announce.status.{card.status}", lang),
            audience=audience_text(card.to_channels, card.to_public, lang),
            when=when(card.published_at or card.publish_at, tz),
        )
        cancel = None
        if card.status in ("awaiting_approval", "scheduled"):
            cancel = ButtonElement(
                text=t("announce.cancel", lang),
                action_id=Ids.CANCEL,
                value=ButtonValue(
                    announcement_id=card.id, revision=card.revision
                ).model_dump_json(),
                confirm=ConfirmObject(
                    title=t("announce.confirm.cancel.title", lang),
                    text=t("announce.confirm.cancel.text", lang, id=card.id),
                    confirm=t("announce.cancel", lang),
                    deny=t("announce.confirm.deny", lang),
                ),
            )
        blocks.append(section(line, accessory=cancel) if cancel else section(line))
    if len(cards) > LIST_MAX:
        blocks.append(context(t("announce.list.more", lang, count=len(cards) - LIST_MAX)))
    return Message.of(title, blocks)
