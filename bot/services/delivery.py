"""Delivering notices, with quiet hours: the one way handlers and jobs send what services
decided, after their transaction committed.

A notice marked `quiet_hours` (alert, instruction and reminder DMs) that would reach its recipient at
night (`settings.quiet_hours_start`–`quiet_hours_end`, e.g. 22:00–08:00), on a weekend or on a
Japanese public holiday, all judged in the recipient's own Slack zone (`users.info` → `tz`,
else `settings.tz`), is rendered now in the recipient's language and stored
(`storage.deferred`) until their next business morning: the first `quiet_hours_end` on a
business day. The `deferred_messages` job (`send_due`) posts it when due. Everything else, and
every notice not marked (channel posts, replies to a person's own action, in-place updates,
file uploads), goes at once.

Times: `now` and stored times are aware UTC; quiet hours are judged in the recipient's zone.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from bot.blocks.common import Message, context
from bot.clients.slack import TRANSPORT_ERRORS, DeliveryFailure, Notice, SlackGateway
from bot.i18n import t
from bot.settings import Settings
from bot.timeutil import is_business_day
from storage import deferred as store
from storage.deferred import DeferredMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # posts Slack refused before a held-back message is reported and given up
MAX_BLOCKS = 50  # Slack's limit per message: the held-back note is left out beyond it
_SEARCH_DAYS = 400  # a business morning is always found well within this


# --- when ---------------------------------------------------------------------------------
def in_quiet_hours(local: datetime, start: time, end: time) -> bool:
    """Whether `local` (aware, in the recipient's zone) is quiet: a weekend or Japanese public
    holiday (`is_business_day` on the local date), or within [`start`, `end`) on the clock.

    The window may wrap midnight (22:00–08:00: 22:00 and 07:59 are quiet, 08:00 is not) or
    not (00:00–07:00); `start == end` means no quiet hours on the clock (weekends and holidays
    still are).
    """
    if not is_business_day(local.date()):
        return True
    clock = local.time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def next_business_morning(local: datetime, start: time, end: time) -> datetime:
    """The first moment after `local` (aware, recipient's zone) at `end` on a business day that
    is not itself quiet, in the same zone. For 22:00–08:00: Friday 23:00 → Monday 08:00;
    Tuesday 07:30 → Tuesday 08:00; Saturday 2 May 2026 → Thursday 7 May 08:00 (4–6 May are
    holidays).

    Raises:
        ValueError: if none is found within a year (a window covering the whole day cannot
            happen: `start == end` means no window).
    """
    zone = local.tzinfo
    day = local.date()
    for _ in range(_SEARCH_DAYS):
        candidate = datetime.combine(day, end, tzinfo=zone)
        if candidate > local and not in_quiet_hours(candidate, start, end):
            return candidate
        day += timedelta(days=1)
    raise ValueError(f"no business morning after {local.isoformat()}")


def send_time(now: datetime, zone: ZoneInfo, settings: Settings) -> datetime:
    """When a quiet-hours notice decided at `now` (aware) should reach a recipient in `zone`:
    `now` itself, or their next business morning. Returned in UTC."""
    local = now.astimezone(zone)
    start, end = settings.quiet_hours_start, settings.quiet_hours_end
    if not in_quiet_hours(local, start, end):
        return now.astimezone(UTC)
    return next_business_morning(local, start, end).astimezone(UTC)


def recipient_zone(gateway: SlackGateway, user_id: str, settings: Settings) -> ZoneInfo:
    """The user's own Slack zone (`users.info` → `user.tz`, cached by the gateway), or the
    programme's zone `settings.tz` when Slack does not say or names a zone we do not know."""
    user = gateway.user_info(user_id) or {}
    name = user.get("tz")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            log.warning("user %s has an unknown time zone %r", user_id, name)
    return settings.tz


# --- delivering -----------------------------------------------------------------------------
def _deferrable(notice: Notice) -> bool:
    """Only new DMs are held back: a user-id channel, no in-place update, no files."""
    return (
        notice.quiet_hours
        and notice.channel[:1] in "UW"
        and "," not in notice.channel  # a group DM has no one zone
        and not notice.ts
        and not notice.files
    )


def _with_note(message: Message, raised: datetime, lang: str) -> Message:
    """The message plus a context line saying it was held back and when it was raised
    (`raised` in the recipient's zone)."""
    note = t("delivery.deferred.note", lang, raised=f"{raised:%Y-%m-%d %H:%M} {raised.tzname()}")
    if not message.blocks or len(message.blocks) >= MAX_BLOCKS:
        return message  # plain text stays as decided; a full message has no room
    return Message(text=message.text, blocks=[*message.blocks, context(note).to_dict()])


def deliver(
    *,
    session_factory: sessionmaker,
    gateway: SlackGateway,
    settings: Settings,
    notices: list[Notice],
    now: datetime,
) -> list[DeliveryFailure]:
    """Send `notices` now, except quiet-hours DMs whose recipient is in quiet hours at `now`
    (aware): those are rendered in the recipient's language and stored, in one short
    transaction of their own, to be sent by `send_due` at the recipient's next business
    morning. If storing fails, they are sent now rather than lost.

    Returns the failures of what was sent now, Slack's refusals and failures in transit alike
    (see `SlackGateway.deliver`); nothing is raised for them. A notice held back is not among
    them: `send_due` reports its own failures.
    """
    now_list: list[Notice] = []
    held: list[tuple[Notice, DeferredMessage]] = []
    for notice in notices:
        if not _deferrable(notice):
            now_list.append(notice)
            continue
        zone = recipient_zone(gateway, notice.channel, settings)
        due_at = send_time(now, zone, settings)
        if due_at <= now or (notice.expires_at is not None and due_at >= notice.expires_at):
            now_list.append(notice)  # not held: quiet now, or it would expire before morning
            continue
        lang = notice.lang or gateway.user_lang(notice.channel, settings.default_language)
        message = _with_note(notice.render(lang), now.astimezone(zone), lang)
        row = DeferredMessage(
            recipient=notice.channel,
            kind=notice.kind,
            lang=lang,
            text=message.text,
            blocks=message.blocks,
            due_at=due_at,
            expires_at=notice.expires_at,
            created_at=now,
        )
        held.append((notice, row))
    if held:
        try:
            with session_factory.begin() as session:
                for _notice, row in held:
                    store.add(session, row)
            for notice, row in held:
                log.info(
                    "held %s for %s until %s (quiet hours)",
                    notice.kind,
                    notice.channel,
                    row.due_at.isoformat(),
                )
        except SQLAlchemyError:
            log.exception("could not store %d quiet-hours message(s); sending now", len(held))
            now_list += [notice for notice, _row in held]
    return gateway.deliver(now_list) if now_list else []


def send_due(
    *,
    session_factory: sessionmaker,
    gateway: SlackGateway,
    now: datetime,
    max_attempts: int = MAX_ATTEMPTS,
) -> int:
    """Post every held-back message due at `now` (aware). Returns how many were posted.

    Each message is claimed first (a conditional update committed on its own), so two
    processes running this at once post it once. When Slack refuses a post, the claim is
    released with the error, for the next run to retry; the last allowed attempt goes through
    `SlackGateway.deliver`, which reports a failure to the operator channel, and the message
    is then given up. A failure in transit (a timeout, a dropped connection: the post may have
    reached Slack) or any other error keeps the claim, with the error recorded on the row, so
    it is never posted twice; it is logged, not raised, and the other messages are still sent.
    """
    with session_factory.begin() as session:
        rows = store.due(session, now=now, max_attempts=max_attempts)
    posted = 0
    for row in rows:
        with session_factory.begin() as session:
            if not store.claim(session, row.id, now=now, max_attempts=max_attempts):
                continue
            claimed = store.get(session, row.id)
            session.refresh(claimed)
            attempt = claimed.attempts
        message = Message(text=row.text, blocks=list(row.blocks or []))
        error = kept = None
        try:
            if attempt >= max_attempts:  # the last try: a failure is reported by the gateway
                failures = gateway.deliver(
                    [
                        Notice(
                            channel=row.recipient,
                            render=lambda _lang, message=message: message,
                            lang=row.lang,
                            kind=row.kind,
                        )
                    ]
                )
                if failures and failures[0].transport:
                    kept = failures[0].code  # logged by the gateway
                elif failures:
                    error = failures[0].code
            else:
                gateway.post(row.recipient, message)
        except SlackApiError as failure:
            error = failure.response.get("error") or str(failure)
            log.warning(
                "could not post held %s to %s (attempt %d): %s",
                row.kind,
                row.recipient,
                attempt,
                error,
            )
        except TRANSPORT_ERRORS as failure:  # it may have been posted: never again
            kept = f"{type(failure).__name__}: {failure}"
            log.error(
                "posting held %s to %s failed in transit (attempt %d), not retried: %s",
                row.kind,
                row.recipient,
                attempt,
                kept,
            )
        except Exception as failure:  # noqa: BLE001 (it may have been posted: never again)
            log.exception("posting held %s to %s failed; not retried", row.kind, row.recipient)
            kept = f"{type(failure).__name__}: {failure}"
        if kept is not None:
            with session_factory.begin() as session:
                store.note_error(session, row.id, error=kept)
            continue
        if error is None:
            posted += 1
            continue
        with session_factory.begin() as session:
            store.release(session, row.id, error=error)
    return posted
