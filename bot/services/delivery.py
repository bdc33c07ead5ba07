"""Delivering notices through the outbox: the one way handlers and jobs send what services
decided.

`unit_of_work` is a transaction whose notices are stored in it (`bot.services.outbox`), so a
notice exists exactly when the change that caused it committed; right after the commit they
are sent (`send`). The `outbox` job sends whatever is still due: rows a crash left behind,
rows Slack could not take (HTTP 429: after its `Retry-After`; 5xx and network errors: after an
exponential backoff, for `RETRY_FOR` after the message was decided, then given up and
reported), and held DMs. Within one run, the first failure in transit stops the run's other
calls (Slack is out of reach: they wait for the next run rather than each time out).

Nothing is sent twice: a row is claimed before each call, marked sent with Slack's `ts`, and a
post whose answer was lost (a timeout, a 5xx, a sender killed mid-call) is first looked for in
the channel by the key it carries as metadata (`SlackGateway.find_posted`) before it is posted
again. Only when Slack will not let us look (no `*:history` scope) is it posted again blind,
logged. Updates in place (`chat.update`) are simply repeated; a file upload whose answer was
lost is shared again (the one duplicate window: Slack gives no key to look for).

Quiet hours: a notice marked `quiet_hours` (alert, instruction and reminder DMs) that would
reach its recipient at night (`settings.quiet_hours_start`–`quiet_hours_end`, e.g.
22:00–08:00), on a weekend or on a Japanese public holiday, all judged in the recipient's own
Slack zone (`users.info` → `tz`, else `settings.tz`), is held until their next business
morning: the first `quiet_hours_end` on a business day, with a note of when it was raised.

Times: `now` and stored times are aware UTC; quiet hours are judged in the recipient's zone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from tenacity import wait_exponential

from bot.blocks.common import Message, context
from bot.clients.slack import TRANSPORT_ERRORS, DeliveryFailure, Notice, SlackGateway
from bot.i18n import t
from bot.services import outbox
from bot.settings import Settings
from bot.timeutil import is_business_day
from storage import outbox as store
from storage.outbox import OutboxMessage

log = logging.getLogger(__name__)

RETRY_FOR = timedelta(hours=24)  # 5xx and network errors are retried this long, then given up
BACKOFF = wait_exponential(multiplier=30, max=3600)  # 30 s, 1 min, 2 min, … at most 1 h
# Slack's answers that mean "try again later" (Web API docs, "Errors" of chat.postMessage)
TRANSIENT_ERRORS = {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
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


# --- the sender -----------------------------------------------------------------------------
@dataclass
class SendReport:
    """What one `send` did: rows `sent`, `held` for quiet hours, left `waiting` for a retry,
    and the `failures` (given up: Slack refused, or still failing after `RETRY_FOR`), reported to the
    operator channel unless the notice said otherwise."""

    sent: int = 0
    held: int = 0
    waiting: int = 0
    failures: list[DeliveryFailure] = field(default_factory=list)
    delayed: list[str] = field(default_factory=list)  # "kind → channel: error", to retry


def _deferrable(row: OutboxMessage) -> bool:
    """Only new DMs are held back: a user-id channel, no in-place update, no thread (and no
    files: the sender checks)."""
    return (
        row.quiet_hours
        and not row.held
        and row.channel[:1] in "UW"
        and "," not in row.channel  # a group DM has no one zone
        and not row.update_ts
        and row.parent_id is None
    )


def _with_note(message: Message, raised: datetime, lang: str) -> Message:
    """The message plus a context line saying it was held back and when it was raised
    (`raised` in the recipient's zone)."""
    note = t("delivery.deferred.note", lang, raised=f"{raised:%Y-%m-%d %H:%M} {raised.tzname()}")
    if not message.blocks or len(message.blocks) >= MAX_BLOCKS:
        return message  # plain text stays as decided; a full message has no room
    return Message(text=message.text, blocks=[*message.blocks, context(note).to_dict()])


def _message(row: OutboxMessage, lang: str) -> Message:
    render = row.renders.get(lang) or next(iter(row.renders.values()))
    return Message(text=render["text"], blocks=list(render.get("blocks") or []))


class _Sender:
    """Sends due rows one by one (see the module docstring); one instance per `send`."""

    MARK_EVERY = 25  # sent rows are recorded in batches (one write transaction each)

    def __init__(
        self, session_factory, gateway, settings, now, notices, files=None, owned=()
    ) -> None:
        self.factory, self.gateway, self.settings, self.now = (
            session_factory,
            gateway,
            settings,
            now,
        )
        self.notices = notices
        self.files = files or {}  # row id → [(name, content)], read with the rows
        self.owned = set(owned)  # rows this unit of work queued already claimed
        self.report = SendReport()
        self.unreachable: str | None = None  # set by a failure in transit: skip the rest
        self.sent_ts: dict[int, str | None] = {}  # this run's sent rows, recorded or not yet
        self.marks: list[tuple[int, str | None]] = []
        self.untried: list[int] = []

    def run(self, rows: list[OutboxMessage]) -> SendReport:
        try:
            self._run(rows)
        finally:
            try:
                self._write_marks()
                if self.untried:
                    with self._tx() as session:
                        for row_id in self.untried:
                            store.release(session, row_id)
            except SQLAlchemyError:  # the database is away: the claims lapse, and each message
                log.exception("could not record what was sent")  # is then found by its key
                return self.report
        return self._report_failures()

    def _mark_sent(self, row_id: int, ts: str | None) -> None:
        """Record a sent row, in a batch: should the process die before the batch is written,
        the rows' claims lapse and the next sender finds each message by its key."""
        self.sent_ts[row_id] = ts
        self.marks.append((row_id, ts))
        self.report.sent += 1
        if len(self.marks) >= self.MARK_EVERY:
            self._write_marks()

    def _write_marks(self) -> None:
        if not self.marks:
            return
        marks, self.marks = self.marks, []
        with self._tx() as session:
            for row_id, ts in marks:
                store.mark_sent(session, row_id, now=self.now, ts=ts)

    def _run(self, rows: list[OutboxMessage]) -> None:
        for row in rows:
            try:
                self._one(row)
            except Exception:  # noqa: BLE001 (one row's bug must not stop the others)
                log.exception("outbox row %s (%s → %s) not sent", row.id, row.kind, row.channel)
                try:
                    self._retry(row, "internal error", uncertain=True)
                except SQLAlchemyError:  # the database is away: the claim lapses, then a retry
                    log.exception("outbox row %s keeps its claim until it lapses", row.id)

    def _report_failures(self) -> SendReport:
        failed_where = [
            (f.notice.channel, f.code)
            for f in self.report.failures
            if f.notice.report_failure and f.notice.channel != self.settings.operator_channel
        ]
        if failed_where and self.settings.operator_channel:
            try:
                with unit_of_work(
                    session_factory=self.factory,
                    gateway=self.gateway,
                    settings=self.settings,
                    now=self.now,
                ) as work:
                    work.send([failure_report(failed_where, self.settings)])
            except SQLAlchemyError:  # the failures stay on their rows (`kiban outbox`)
                log.exception(
                    "could not queue the operators' note of %d failure(s)", len(failed_where)
                )
        return self.report

    def _tx(self):
        return self.factory.begin()

    def _one(self, row: OutboxMessage) -> None:
        if self.unreachable:
            self.report.waiting += 1
            self.report.delayed.append(f"{row.kind} → {row.channel}: {self.unreachable}")
            if row.id in self.owned:
                self.untried.append(row.id)  # its claim is given back: the next run takes it
            return
        if row.id in self.owned:  # queued claimed by this unit of work: no one else has it
            uncertain = row.uncertain
        else:
            with self._tx() as session:
                if not store.claim(session, row.id, now=self.now):
                    return  # another sender has it
            uncertain = row.uncertain or row.claimed_at is not None  # a sender died mid-call
        if row.expires_at is not None and row.expires_at <= self.now:
            self._fail(row, "expired", report=False)
            return
        if _deferrable(row) and row.id not in self.files and self._hold(row):
            return
        thread_ts = row.thread_ts
        if row.parent_id is not None:
            thread_ts = self.sent_ts.get(row.parent_id)
            if thread_ts is None:
                with self._tx() as session:
                    parent = store.get(session, row.parent_id)
                    if parent is None or parent.failed_at is not None:
                        store.mark_failed(session, row.id, now=self.now, error="thread_not_posted")
                        return
                    if parent.ts is None:
                        store.release(session, row.id)
                        self.report.waiting += 1
                        return
                    thread_ts = parent.ts
        files = self.files.get(row.id, [])
        lang = row.lang or self._recipient_lang(row.channel)
        message = _message(row, lang)
        try:
            if uncertain and not row.update_ts and self._found(row, thread_ts, bool(files)):
                return
            if files:
                self.gateway.upload(
                    channel=row.channel,
                    files=files,
                    comment=message.text,
                    thread_ts=thread_ts,
                    file_ids=row.file_ids or None,
                    on_prepared=lambda ids: self._record_files(row.id, ids),
                )
                ts = None
            elif row.update_ts:
                self.gateway.client.chat_update(
                    channel=row.channel, ts=row.update_ts, text=message.text, blocks=message.blocks
                )
                ts = row.update_ts
            else:
                ts = self.gateway.post(row.channel, message, thread_ts, key=row.key)
        except SlackApiError as error:
            self._refused(row, error)
            return
        except TRANSPORT_ERRORS as error:
            described = self.gateway.describe(error)  # the token blanked
            log.warning("%s → %s failed in transit: %s", row.kind, row.channel, described)
            self._retry(row, described, uncertain=True)
            self.unreachable = f"not tried: Slack out of reach ({described})"
            return
        self._mark_sent(row.id, ts)

    def _recipient_lang(self, channel: str) -> str:
        if channel[:1] in "UW" and "," not in channel:
            return self.gateway.user_lang(channel, self.settings.default_language)
        return self.settings.default_language

    def _hold(self, row: OutboxMessage) -> bool:
        """Hold a quiet-hours DM to the recipient's business morning; False: send it now."""
        zone = recipient_zone(self.gateway, row.channel, self.settings)
        due_at = send_time(self.now, zone, self.settings)
        if due_at <= self.now or (row.expires_at is not None and due_at >= row.expires_at):
            return False  # not quiet now, or it would expire before the morning
        raised = row.created_at.astimezone(zone)
        renders = {
            lang: {"text": m.text, "blocks": m.blocks}
            for lang in row.renders
            for m in [_with_note(_message(row, lang), raised, lang)]
        }
        with self._tx() as session:
            store.hold(session, row.id, due_at=due_at)
            store.get(session, row.id).renders = renders
        log.info("held %s for %s until %s (quiet hours)", row.kind, row.channel, due_at.isoformat())
        self.report.held += 1
        return True

    def _record_files(self, row_id: int, file_ids: list[str]) -> None:
        with self._tx() as session:
            store.set_file_ids(session, row_id, file_ids)

    def _found(self, row: OutboxMessage, thread_ts: str | None, files: bool) -> bool:
        """Whether a post or an upload whose answer was lost reached Slack (then recorded as
        sent). An upload is looked for only when its files were prepared (else it cannot have
        been shared). Raises what the gateway raises, except a refusal to look, which reads as
        "not found"."""
        oldest = (row.created_at - timedelta(minutes=10)).timestamp()
        try:
            if files:
                ts = (
                    "file"
                    if row.file_ids and self.gateway.shared_in(row.channel, row.file_ids)
                    else None
                )
            else:
                ts = self.gateway.find_posted(
                    row.channel, row.key, oldest=oldest, thread_ts=thread_ts
                )
        except SlackApiError as error:
            if _transient(error):
                raise
            log.warning(
                "cannot look for %s in %s (%s): posting it again, it may appear twice",
                row.kind,
                row.channel,
                error.response.get("error"),
            )
            return False
        if ts is None:
            return False
        log.info("%s → %s had reached Slack (ts %s): not posted again", row.kind, row.channel, ts)
        self._mark_sent(row.id, None if files else ts)
        return True

    def _refused(self, row: OutboxMessage, error: SlackApiError) -> None:
        code = str(error.response.get("error") or error)
        if _status(error) == 429 or code == "ratelimited":
            wait = _retry_after(error)
            log.warning("%s → %s rate limited: again in %s s", row.kind, row.channel, wait)
            self._wait(row, wait, code, uncertain=row.uncertain, counts=False)
        elif _transient(error):
            self._retry(row, f"{code} (HTTP {_status(error)})", uncertain=True)
        else:
            self._fail(row, code)

    def _retry(self, row: OutboxMessage, error: str, *, uncertain: bool) -> None:
        """Wait and try again (the backoff grows with the attempts), unless the message was
        decided `RETRY_FOR` ago: then it is given up. Time, not a count: `kiban outbox send`
        run by hand during an outage must not use the message up."""
        attempt = row.attempts + 1
        if self.now - row.created_at >= RETRY_FOR:
            self._fail(row, error)
            return
        wait = BACKOFF(SimpleNamespace(attempt_number=attempt))
        self._wait(row, wait, error, uncertain=uncertain or row.uncertain)

    def _wait(
        self, row: OutboxMessage, seconds: float, error: str, *, uncertain: bool, counts=True
    ) -> None:
        """Give the claim back; the row is due again in `seconds` (see `store.retry_at`)."""
        self.report.delayed.append(f"{row.kind} → {row.channel}: {error}")
        self.report.waiting += 1
        with self._tx() as session:
            store.retry_at(
                session,
                row.id,
                due_at=self.now + timedelta(seconds=seconds),
                error=error,
                uncertain=uncertain,
                counts=counts,
            )

    def _fail(self, row: OutboxMessage, code: str, *, report: bool = True) -> None:
        with self._tx() as session:
            store.mark_failed(session, row.id, now=self.now, error=code)
        if not report:
            log.info("%s → %s not sent: %s", row.kind, row.channel, code)
            return
        log.error("could not post %s to %s: %s", row.kind, row.channel, code)
        notice = self.notices.get(row.id) or Notice(
            channel=row.channel,
            render=lambda lang, row=row: _message(row, lang),
            lang=row.lang,
            kind=row.kind,
            ref=row.ref,
            report_failure=row.report_failure,
        )
        self.report.failures.append(DeliveryFailure(notice, code))


def failure_report(failed_where: list[tuple[str, str]], settings: Settings) -> Notice:
    """The operator channel's note of deliveries Slack refused: (channel, error code) each,
    with how to fix `not_in_channel` (invite the bot). Itself sent through the outbox, never
    reported in turn."""

    def render(lang: str) -> Message:
        lines = [
            t("delivery.failed_line", lang, where=_where(channel), code=code)
            + (" " + t("delivery.invite", lang) if code == "not_in_channel" else "")
            for channel, code in failed_where
        ]
        return Message(text=t("delivery.failed", lang) + "\n" + "\n".join(lines))

    return Notice(
        channel=settings.operator_channel,
        render=render,
        lang=settings.default_language,
        kind="delivery_failed",
        report_failure=False,
    )


def _where(channel: str) -> str:
    if "," in channel:  # a group DM
        return ", ".join(f"<@{user}>" for user in channel.split(","))
    return f"<@{channel}>" if channel[:1] in "UW" else f"<#{channel}>"


def _status(error: SlackApiError) -> int:
    return getattr(error.response, "status_code", None) or 200


def _transient(error: SlackApiError) -> bool:
    return _status(error) >= 500 or error.response.get("error") in TRANSIENT_ERRORS


def _retry_after(error: SlackApiError) -> int:
    headers = getattr(error.response, "headers", None) or {}
    value = headers.get("Retry-After") or headers.get("retry-after") or "1"
    try:
        return max(1, int(str(value[0] if isinstance(value, list) else value)))
    except ValueError:
        return 1


def send(
    *,
    session_factory: sessionmaker,
    gateway: SlackGateway,
    settings: Settings,
    now: datetime,
    ids: list[int] | None = None,
    notices: dict[int, Notice] | None = None,
    owned: list[int] = (),
) -> SendReport:
    """Send the outbox rows due at `now` (aware): only `ids` when given (a unit of work's own,
    right after its commit), else every due row (the `outbox` job). `notices` maps row ids to
    the notices they came from, for the failures; `owned`: rows queued claimed by the caller
    (a unit of work's), sent without claiming them again. Never raises for Slack's or the network's
    failures: see `SendReport`."""
    with session_factory.begin() as session:
        rows = store.due(session, now=now, ids=ids, owned=owned)
        files = store.files_for(session, [row.id for row in rows])
        session.expunge_all()
    sender = _Sender(session_factory, gateway, settings, now, notices or {}, files, owned)
    return sender.run(rows)


@dataclass
class Work:
    """A unit of work: its `session`, and the notices queued in it (`send(notices)`); after
    the commit, `flush()` sends them and `report` says what was sent (`failures`)."""

    session: Session
    now: datetime
    settings: Settings
    session_factory: sessionmaker
    gateway: SlackGateway
    queued: list[tuple[int, Notice]] = field(default_factory=list)
    report: SendReport = field(default_factory=SendReport)

    def send(self, notices: list[Notice]) -> None:
        """Queue `notices` in this transaction (rendered now); they go after the commit."""
        self.queued += outbox.enqueue(
            self.session,
            notices,
            now=self.now,
            default_lang=self.settings.default_language,
            claimed=True,  # sent by this unit's flush; the job takes over only if it never is
        )

    def flush(self) -> list[DeliveryFailure]:
        """Send what this unit queued (after its commit), then the refinements of those sent
        (`Notice.refine`); returns the failures."""
        if self.queued:
            queued, self.queued = self.queued, []
            self.report = self._send(queued)
            refined = self._refinements(queued)
            if refined:
                self._send(
                    outbox.enqueue_now(
                        self.session_factory,
                        refined,
                        now=self.now,
                        default_lang=self.settings.default_language,
                    )
                )
        return self.report.failures

    def _send(self, queued: list[tuple[int, Notice]]) -> SendReport:
        return send(
            session_factory=self.session_factory,
            gateway=self.gateway,
            settings=self.settings,
            now=self.now,
            ids=[row_id for row_id, _notice in queued],
            notices=dict(queued),
            owned=[row_id for row_id, _notice in queued],
        )

    def _refinements(self, queued: list[tuple[int, Notice]]) -> list[Notice]:
        """Updates in place for the sent notices that have a `refine` (computed now)."""
        wanted = [(row_id, notice) for row_id, notice in queued if notice.refine]
        if not wanted:
            return []
        with self.session_factory() as session:
            ts_of = {
                row_id: getattr(store.get(session, row_id), "ts", None) for row_id, _ in wanted
            }
        return [
            Notice(
                channel=notice.channel,
                render=notice.refine,
                lang=notice.lang,
                kind=f"{notice.kind}_refined",
                ts=ts_of[row_id],
                ref=notice.ref,
            )
            for row_id, notice in wanted
            if ts_of[row_id]
        ]

    @property
    def failures(self) -> list[DeliveryFailure]:
        return self.report.failures


@contextmanager
def unit_of_work(
    *,
    session_factory: sessionmaker,
    gateway: SlackGateway,
    settings: Settings,
    now: datetime,
    flush: bool = True,
) -> Iterator[Work]:
    """A transaction (`session_factory.begin()`) whose queued notices are stored in it and sent
    right after it commits (`flush=False`: when the caller calls `work.flush()`, e.g. after
    acking a modal). An exception inside rolls back the change and its notices alike, and is
    raised; nothing is sent."""
    with session_factory.begin() as session:
        work = Work(session, now, settings, session_factory, gateway)
        yield work
    if flush:
        work.flush()


def deliver(
    *,
    session_factory: sessionmaker,
    gateway: SlackGateway,
    settings: Settings,
    notices: list[Notice],
    now: datetime,
) -> list[DeliveryFailure]:
    """Store `notices` in the outbox in a transaction of their own and send them: for notices
    decided outside any change (the change's own notices go through `unit_of_work`). Returns
    the failures (see `SendReport`)."""
    if not notices:
        return []
    with unit_of_work(
        session_factory=session_factory, gateway=gateway, settings=settings, now=now
    ) as work:
        work.send(notices)
    return work.failures


def send_due(
    *, session_factory: sessionmaker, gateway: SlackGateway, settings: Settings, now: datetime
) -> int:
    """The `outbox` job: send every row due at `now` (aware). Returns how many were sent."""
    return send(session_factory=session_factory, gateway=gateway, settings=settings, now=now).sent
