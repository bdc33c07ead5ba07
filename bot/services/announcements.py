"""Announcements (issue #9): an operator composes one with `/announce` (title and body in
Japanese and/or English, an audience, a publication time); Kiban publishes it at that time.

Rules (enforced here, not only by hiding buttons):

- Only operators compose, edit, approve, cancel and list.
- **Four-eyes rule**: anything marked public (the public feed, `kiban export public`) waits
  for a *second* operator's approval (`awaiting_approval`); its author cannot approve it.
  An approval names the revision the approver saw: one conditional UPDATE on (status,
  revision) → `scheduled`, so two approvers cannot both act and an approval of a text edited
  since can no longer land. An announcement for the community channels only is `scheduled`
  at once (its card in the operator channel still offers **Cancel**).
- Languages: a public announcement has its title and body in both Japanese and English; one
  for the channels only has at least one language complete; a language is given whole
  (title and body) or not at all.
- The publication time (a wall time in `settings.tz`) may be up to `GRACE` in the past ("now":
  it goes out at the job's next run, within 5 minutes) and at most `HORIZON` ahead.
- Only the author edits (`/announce edit N`), while it waits: an edit bumps the revision,
  clears any approval and sends a public announcement back for approval. (Another operator
  editing would make them a co-author who could then approve their own words.)
- Cancelling works from `awaiting_approval` or `scheduled` (conditional UPDATE); once the job
  claimed it (`publishing`) or published it, cancelling is refused and says so.

Publication (`jobs.announcements`): `claim` (scheduled → publishing, one conditional UPDATE,
so two processes post once), one post per community channel recorded as it is made
(`record_post`), then `finish` (→ published) and a note to the operator channel. The row is
the schedule, so a restart publishes whatever is due; a claim older than `STALE_CLAIM` whose
process died is re-claimed and resumes with the channels not yet recorded (at most a channel
whose post landed in the instant before its record was written could be posted twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from bot.blocks import announcements as blocks
from bot.blocks.announcements import AnnouncementInput, Card, ComposeMeta, Ids
from bot.blocks.common import Message, escape
from bot.clients.slack import Notice
from bot.errors import UserError
from bot.i18n import LANGS, t
from bot.services.members import Actor, user_error, user_error_in
from bot.settings import Settings
from storage import announcements as store
from storage.announcements import Announcement, AnnouncementStatus
from storage.db import insert_once
from storage.jobs import claim as claim_slot

GRACE = timedelta(minutes=5)  # a publication time this far in the past still means "now"
HORIZON = timedelta(days=366)  # the furthest ahead a publication can be scheduled
RECENT = timedelta(days=30)  # published announcements `/announce list` still shows
STALE_CLAIM = timedelta(minutes=15)  # a claim this old whose process died is taken over
LIST_LIMIT = 200

AWAITING = AnnouncementStatus.AWAITING_APPROVAL.value
SCHEDULED = AnnouncementStatus.SCHEDULED.value
PUBLISHING = AnnouncementStatus.PUBLISHING.value
PUBLISHED = AnnouncementStatus.PUBLISHED.value
CANCELLED = AnnouncementStatus.CANCELLED.value


# --- composing --------------------------------------------------------------------------------


def compose_form(*, actor: Actor, settings: Settings, now: datetime) -> tuple[date, time]:
    """The new modal's initial publication time (operators only): the next quarter hour in
    the programme's zone, as (day, clock). Raises UserError for a non-operator."""
    actor.require_operator()
    local = now.astimezone(settings.tz).replace(second=0, microsecond=0)
    local += timedelta(minutes=15 - local.minute % 15)
    return local.date(), local.time()


def edit_form(*, session: Session, actor: Actor, announcement_id: int) -> Card:
    """What the edit modal is prefilled with. Raises UserError unless the actor is the
    operator who wrote it and it still waits."""
    return Card.of(_editable(session, actor, announcement_id))


def _editable(session: Session, actor: Actor, announcement_id: int) -> Announcement:
    actor.require_operator()
    row = _get(session, announcement_id)
    if row.author != actor.user_id:
        raise user_error("announce.error.not_author", id=row.id, user=row.author)
    if row.status not in store.WAITING:
        raise _state_error("edit", row)
    return row


def check(data: AnnouncementInput, settings: Settings, now: datetime) -> datetime:
    """The rules between a submission's fields; returns the publication time (aware UTC).
    Raises UserError on the modal field concerned (see the module docstring)."""
    if data.to_public:
        for g in LANGS:
            for ids, texts in ((Ids.TITLE, data.title), (Ids.BODY, data.body)):
                if not texts[g]:
                    raise user_error("announce.error.public_both").at(ids[g])
    for g in LANGS:
        if bool(data.title[g]) != bool(data.body[g]):
            missing = Ids.TITLE[g] if not data.title[g] else Ids.BODY[g]
            raise user_error_in(
                "announce.error.pair", lambda lang, g=g: {"language": t(f"announce.lang.{g}", lang)}
            ).at(missing)
    if not any(data.title[g] for g in LANGS):
        raise user_error("announce.error.no_language").at(Ids.TITLE["ja"])
    local = datetime.combine(data.day, data.clock, tzinfo=settings.tz)
    publish_at = local.astimezone(UTC)
    if publish_at < now - GRACE:
        shown = blocks.when(now, settings.tz)
        raise user_error("announce.error.past", now=shown).at(Ids.TIME)
    if publish_at > now + HORIZON:
        raise user_error("announce.error.too_far").at(Ids.DATE)
    return publish_at


def submit(
    *,
    session: Session,
    actor: Actor,
    meta: ComposeMeta,
    data: AnnouncementInput,
    settings: Settings,
    now: datetime,
    source_ref: str,
) -> tuple[Card, list[Notice]]:
    """Store a new announcement (`meta.announcement_id` None) or an edit of one. Returns the
    stored snapshot and the card for the operator channel. Raises UserError (with the field)
    for a non-operator, a broken rule, or an edit refused."""
    actor.require_operator()
    publish_at = check(data, settings, now)
    values = dict(
        title={g: data.title[g] for g in LANGS if data.title[g]},
        body={g: blocks.stored_body(data.body[g]) for g in LANGS if data.body[g]},
        to_channels=data.to_channels,
        to_public=data.to_public,
        publish_at=publish_at,
        status=AWAITING if data.to_public else SCHEDULED,
    )
    if meta.announcement_id is None:
        return _create(session, actor, values, settings, now, source_ref)
    return _edit(session, actor, meta, values, settings)


def _create(session, actor, values, settings, now, source_ref) -> tuple[Card, list[Notice]]:
    row = Announcement(author=actor.user_id, created_at=now, source_ref=source_ref, **values)
    if insert_once(session, row) is None:  # the same submission again: stored already
        return Card.of(store.by_source_ref(session, source_ref)), []
    card = Card.of(row)
    return card, [_card_notice(card, settings, row)]


def _edit(session, actor, meta: ComposeMeta, values, settings) -> tuple[Card, list[Notice]]:
    row = _editable(session, actor, meta.announcement_id)
    approver = row.approved_by  # an approval the edit withdraws: its operator is told
    seen = meta.revision or 0
    won = store.transition(
        session,
        row.id,
        expected=store.WAITING,
        at_revision=seen,
        revision=seen + 1,
        approved_by=None,
        approved_at=None,
        **values,
    )
    session.refresh(row)
    if not won:
        same = all(getattr(row, key) == value for key, value in values.items())
        if row.revision == seen + 1 and same:  # this edit, submitted twice
            return Card.of(row), []
        raise user_error("announce.error.changed", id=row.id)
    card = Card.of(row)
    notices = [_card_notice(card, settings, row)]
    if approver and approver != actor.user_id:
        notices.append(_told(approver, "announce.withdrawn_dm", card, actor.user_id))
    return card, notices


def _told(user: str, key: str, card: Card, by: str) -> Notice:
    """A DM to `user` about announcement `card`, done by `by` (catalog `key`: id, title, user)."""
    return Notice(
        channel=user,
        kind="announcement_note",
        render=lambda lang: Message(
            t(key, lang, id=card.id, title=escape(card.first_title()), user=by)
        ),
    )


def _card_notice(
    card: Card, settings: Settings, row: Announcement, *, channel=None, ts=None
) -> Notice:
    """The announcement's one card in the operator channel: updated in place where it was
    posted (`card_posted`), else where it was clicked (`channel`, `ts`), else posted anew
    (the handler then records where, `card_posted`)."""
    if row.card_ts:
        channel, ts = row.card_channel, row.card_ts
    return Notice(
        channel=channel or settings.operator_channel,
        ts=ts,
        lang=settings.default_language,
        kind="announcement_card",
        ref=f"announcement:{card.id}",
        render=lambda lang: blocks.card_message(card, settings.tz, lang),
    )


# --- approving and cancelling ------------------------------------------------------------------


def card_posted(session: Session, *, announcement_id: int, channel: str, ts: str) -> None:
    """Remember where the card was posted, so every later step updates it in place."""
    store.transition(
        session,
        announcement_id,
        expected=tuple(AnnouncementStatus),
        card_channel=channel,
        card_ts=ts,
    )


def _get(session: Session, announcement_id: int) -> Announcement:
    row = session.get(Announcement, announcement_id)
    if row is None:
        raise user_error("announce.error.unknown", id=announcement_id)
    return row


def _state_error(action: str, row: Announcement) -> UserError:
    """Why `action` (approve, cancel, edit) cannot be done in the row's state."""
    if action == "approve" and row.status == SCHEDULED and row.approved_by:
        return user_error("announce.error.already_approved", id=row.id, user=row.approved_by)
    if action == "cancel" and row.status == CANCELLED:
        return user_error("announce.error.already_cancelled", id=row.id, user=row.cancelled_by)
    return user_error_in(
        f"announce.error.cannot_{action}",
        lambda lang: {"id": row.id, "status": t(f"announce.status.{row.status}", lang)},
    )


def approve(
    *,
    session: Session,
    actor: Actor,
    announcement_id: int,
    revision: int,
    settings: Settings,
    now: datetime,
    channel: str | None = None,
    ts: str | None = None,
) -> list[Notice]:
    """A second operator approves revision `revision` of a public announcement → scheduled.
    Returns the card updated in place at (`channel`, `ts`) when the click came from it, and
    a DM to the author. Raises UserError for a non-operator, the author (four-eyes rule), a
    state other than awaiting approval, or a revision edited since."""
    actor.require_operator()
    row = _get(session, announcement_id)
    if row.author == actor.user_id:
        raise user_error("announce.error.own", id=row.id)
    if row.status != AWAITING:
        raise _state_error("approve", row)
    if row.revision != revision:
        raise user_error("announce.error.stale", id=row.id, revision=row.revision)
    won = store.transition(
        session,
        row.id,
        expected=(AWAITING,),
        at_revision=revision,
        status=SCHEDULED,
        approved_by=actor.user_id,
        approved_at=now,
    )
    session.refresh(row)
    if not won:  # another operator, an edit or a cancel got there first
        if row.status == AWAITING:
            raise user_error("announce.error.stale", id=row.id, revision=row.revision)
        raise _state_error("approve", row)
    card = Card.of(row)
    notices = [_card_notice(card, settings, row, channel=channel, ts=ts)]
    if not (ts or row.card_ts):
        notices = []  # approved from a list, the card's place unknown: the DM says it
    notices.append(
        Notice(
            channel=card.author,
            kind="announcement_approved",
            render=lambda lang: Message(
                t(
                    "announce.approved_dm" if card.publish_at > now else "announce.approved_late",
                    lang,
                    id=card.id,
                    user=actor.user_id,
                    when=blocks.when(card.publish_at, settings.tz),
                )
            ),
        )
    )
    return notices


def cancel(
    *,
    session: Session,
    actor: Actor,
    announcement_id: int,
    settings: Settings,
    now: datetime,
    channel: str | None = None,
    ts: str | None = None,
) -> tuple[list[Notice], Card]:
    """Cancel before publication (any operator): awaiting approval or scheduled → cancelled,
    one conditional UPDATE. Returns the card updated in place at (`channel`, `ts`) when given,
    and the cancelled snapshot. Raises UserError once it is being published, published or
    already cancelled."""
    actor.require_operator()
    row = _get(session, announcement_id)
    won = store.transition(
        session,
        row.id,
        expected=store.WAITING,
        status=CANCELLED,
        cancelled_by=actor.user_id,
        cancelled_at=now,
    )
    session.refresh(row)
    if not won:
        raise _state_error("cancel", row)
    card = Card.of(row)
    notices = [_card_notice(card, settings, row, channel=channel, ts=ts)]
    notices = notices if ts or row.card_ts else []
    if card.author != actor.user_id:
        notices.append(_told(card.author, "announce.cancelled_dm", card, actor.user_id))
    return notices, card


def list_message(*, session: Session, actor: Actor, settings: Settings, now: datetime) -> Message:
    """`/announce list` (operators): awaiting approval, scheduled and being published (by
    publication time), then those published in the last 30 days (newest first)."""
    actor.require_operator()
    rows = store.listing(session, published_since=now - RECENT, limit=LIST_LIMIT)
    active = [Card.of(r) for r in rows if r.status != PUBLISHED]
    done = sorted(
        (Card.of(r) for r in rows if r.status == PUBLISHED),
        key=lambda c: c.published_at,
        reverse=True,
    )
    return blocks.list_message(active + done, settings.tz, actor.lang)


# --- publication (the job) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    """A claimed announcement: its snapshot, the community channels still to post to, and the
    message for them."""

    card: Card
    channels: list[str]
    message: Message


def channels_for(settings: Settings) -> list[str]:
    """The community channels: `ANNOUNCEMENT_CHANNELS`, else the digest channel."""
    return [c for c in (settings.announcement_channels or [settings.digest_channel]) if c]


def overdue_notices(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """Tell the operator channel, once per revision, that a public announcement's time passed
    while it still waits for a second operator: it will go out as soon as it is approved
    (claimed per announcement and revision, so two processes tell once)."""
    notices = []
    for row in store.overdue_unapproved(session, now):
        if not settings.operator_channel or not claim_slot(
            session, job="announcement_overdue", slot=f"{row.id}:{row.revision}", now=now
        ):
            continue
        card = Card.of(row)
        notices.append(
            Notice(
                channel=settings.operator_channel,
                lang=settings.default_language,
                kind="announcement_overdue",
                render=lambda lang, card=card: Message(
                    t(
                        "announce.overdue",
                        lang,
                        id=card.id,
                        title=escape(card.first_title()),
                        when=blocks.when(card.publish_at, settings.tz),
                    )
                ),
            )
        )
    return notices


def due_ids(session: Session, now: datetime) -> list[int]:
    """Announcements to publish at `now`: scheduled and due, or claimed long ago by a process
    that never finished."""
    return [row.id for row in store.due(session, now, stale_before=now - STALE_CLAIM)]


def publishing_ids(session: Session) -> list[int]:
    """Announcements claimed for publishing and not yet finished."""
    return store.publishing(session)


def claim(
    *, session: Session, announcement_id: int, settings: Settings, now: datetime
) -> Publication | None:
    """Take an announcement for publishing (scheduled and due → publishing, or a stale claim
    taken over), one conditional UPDATE: None when another process won, it was cancelled
    meanwhile, or it is not due."""
    row = session.get(Announcement, announcement_id)
    if row is None:
        return None
    if row.status == SCHEDULED and row.publish_at <= now:
        won = store.transition(
            session, row.id, expected=(SCHEDULED,), status=PUBLISHING, published_at=now
        )
    elif (
        row.status == PUBLISHING
        and row.published_at is not None
        and row.published_at < now - STALE_CLAIM
    ):
        won = store.transition(
            session, row.id, expected=(PUBLISHING,), claimed_at=row.published_at, published_at=now
        )
    else:
        return None
    if not won:
        return None
    session.refresh(row)
    card = Card.of(row)
    return Publication(card, _pending(row, settings), blocks.published_message(card))


def _pending(row: Announcement, settings: Settings) -> list[str]:
    done = {entry.get("channel") for entry in row.posted}
    return [c for c in channels_for(settings) if c not in done] if row.to_channels else []


def channels_pending(session: Session, announcement_id: int, settings: Settings) -> list[str]:
    """The community channels a publishing announcement has not recorded a post in."""
    return _pending(session.get(Announcement, announcement_id), settings)


def record_post(session: Session, *, announcement_id: int, entry: dict) -> None:
    """Remember one channel's post (`{"channel", "ts"}`) or refusal (`{"channel", "error"}`)
    at once, so a publication taken over after a crash does not post there again."""
    row = session.get(Announcement, announcement_id)
    store.transition(session, announcement_id, expected=(PUBLISHING,), posted=[*row.posted, entry])


def finish(
    *, session: Session, announcement_id: int, settings: Settings, now: datetime
) -> list[Notice] | None:
    """publishing → published at `now`; the operators' note of where it went (and where
    Slack refused). None when the claim was taken over meanwhile."""
    if not store.transition(
        session, announcement_id, expected=(PUBLISHING,), status=PUBLISHED, published_at=now
    ):
        return None
    row = session.get(Announcement, announcement_id)
    session.refresh(row)
    card = Card.of(row)
    went = [e["channel"] for e in row.posted if e.get("ts")]
    failed = [f"<#{e['channel']}> ({e['error']})" for e in row.posted if e.get("error")]
    if not settings.operator_channel:
        return []
    card_update = [_card_notice(card, settings, row)] if row.card_ts else []
    return card_update + [
        Notice(
            channel=settings.operator_channel,
            lang=settings.default_language,
            kind="announcement_published",
            render=lambda lang: blocks.published_note(card, went, failed, lang),
        )
    ]
