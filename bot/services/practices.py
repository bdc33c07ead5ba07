"""The governance best-practice library (issue #9): submitting a practice (`/practice add`,
the message shortcut **Add to best practices**), the operators' review queue (approve, edit,
reject with a reason), search and the list by area, and what the quarterly digest and the
monthly trend report show.

Who may: submitting takes what collecting trend links takes (operators, and members of an
organization in a role other than reviewer: `bot.services.trends.require_collector`); a
practice is attributed to one of the submitter's own organizations (not as a reviewer) or
to none (anonymous, the default). Reviewing is for operators only, enforced here whatever
button or view a client sends. Approved practices are the community's: anyone in the
workspace may search and list them (they are posted to the digest channel anyway).

Anonymity: `Practice.submitted_by` is read here only to address the submitter's receipt and
decision DMs. Everything shown is built from a `PracticeEntry`, which carries the
organization's name (None: anonymous) and never the submitter, so no surface can show them.

Reviews are conditional UPDATEs on the status and the revision the operator saw
(`storage.practices.move_practice`): of two operators deciding at once one wins, the other is
told who decided; a decision on an entry edited since it was shown is refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from dateutil.relativedelta import relativedelta
from sqlmodel import Session

from bot.blocks import practices as blocks
from bot.blocks.common import Message, escape, truncate
from bot.blocks.practices import PracticeEntry, practice_lines
from bot.clients.slack import Notice
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.text import fold_name
from bot.services.members import Actor, user_error, user_error_in
from bot.services.trends import require_collector
from bot.settings import Settings
from bot.timeutil import nth_business_day
from storage import practices as store
from storage.members import OrgKind, Role
from storage.practices import Practice, PracticeArea, PracticeStatus

__all__ = [
    "Decision",
    "PracticeEntry",
    "add_form",
    "approve",
    "approved_between",
    "digest",
    "edit",
    "entry_of",
    "list_practices",
    "parse_area",
    "practice_lines",
    "queue",
    "quarter_due",
    "reject",
    "review_form",
    "search",
    "submit",
]

log = logging.getLogger(__name__)

SEARCH_SHOWN = 10
QUEUE_SHOWN = 10
MAX_WORDS = 10


@dataclass
class Decision:
    """What a review action produced: `notices` to deliver after the commit (the submitter's
    DM, the queue post updated in place) and `answer`, the acting operator's confirmation,
    for a click that has no post to update (the ephemeral `/practice queue` list)."""

    notices: list[Notice] = field(default_factory=list)
    answer: str = ""


# --- entries ------------------------------------------------------------------------------------


def entry_of(practice: Practice, org_name: str | None) -> PracticeEntry:
    """The practice as shown (never its submitter). `org_name` None: anonymous."""
    return PracticeEntry(
        id=practice.id,
        title=practice.title,
        body=practice.body,
        area=practice.area,
        source_url=practice.source_url,
        org_name=org_name if practice.organization_id is not None else None,
        status=practice.status,
        revision=practice.revision,
        reviewed_by=practice.reviewed_by,
        reviewed_at=practice.reviewed_at,
        reject_reason=practice.reject_reason,
    )


def _entry(session: Session, practice: Practice) -> PracticeEntry:
    return entry_of(practice, store.org_name_of(session, practice))


def search_text(title: str, body: str, source_url: str | None) -> str:
    """What search matches: title, practice and link, folded (`fold_name`)."""
    return fold_name(" ".join(filter(None, (title, body, source_url))))


def approved_between(
    session: Session, start_utc: datetime, end_utc: datetime
) -> list[PracticeEntry]:
    """The practices approved in [`start_utc`, `end_utc`) (aware), oldest approval first,
    each with its area and its organization's name (None: anonymous). For the trend report
    and the quarterly digest; render them with `practice_lines(entries, lang)`."""
    rows = store.approved_practices(session, start=start_utc, end=end_utc)
    return [entry_of(practice, name) for practice, name in rows]


# --- submitting ---------------------------------------------------------------------------------


def attributable_orgs(actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the organizations the actor may attribute a practice to: theirs, except
    where they are only a reviewer (the secretariat's included, for operators)."""
    return [(org.id, org.name) for org in actor.orgs if actor.roles[org.id] != Role.REVIEWER.value]


def add_form(
    *,
    session: Session,
    actor: Actor,
    body: str = "",
    source: str = "",
    origin: str = "command",
    channel: str | None = None,
) -> blocks.AddForm:
    """What the add modal offers (the actor's organizations) and prefills. Raises UserError
    for someone who may not submit (`require_collector`)."""
    require_collector(actor)
    orgs = sorted(
        attributable_orgs(actor),
        key=lambda o: (_is_secretariat(actor, o[0]), o[1]),
    )
    return blocks.AddForm(orgs=orgs, body=body, source=source, origin=origin, channel=channel)


def _is_secretariat(actor: Actor, org_id: int) -> bool:
    return any(o.id == org_id and o.kind == OrgKind.SECRETARIAT.value for o in actor.orgs)


def submit(
    *,
    session: Session,
    actor: Actor,
    data: blocks.PracticeInput,
    settings: Settings,
    now: datetime,
    source_ref: str | None = None,
    origin: str = "command",
) -> list[Notice]:
    """Store a submission as pending. Returns the submitter's receipt DM and the operator
    channel's queue post with the review buttons ([] for a repeated submission of the same
    view: `source_ref`).

    Raises UserError for someone who may not submit, or (on the Organization field) an
    organization the actor does not belong to (a forged choice).
    """
    require_collector(actor)
    if data.org_id is not None and data.org_id not in dict(attributable_orgs(actor)):
        raise user_error("practice.error.not_your_org").at(blocks.Ids.ORG)
    practice = store.add_practice(
        session,
        Practice(
            title=data.title,
            body=data.body,
            area=data.area,
            source_url=data.source_url,
            organization_id=data.org_id,
            submitted_by=actor.user_id,
            submitted_at=now,
            origin=origin if origin in ("command", "shortcut") else "command",
            source_ref=source_ref,
            search_text=search_text(data.title, data.body, data.source_url),
        ),
    )
    if practice is None:
        return []
    entry = _entry(session, practice)
    log.info("practice %s submitted (%s)", practice.id, origin)
    notices = [
        Notice(
            channel=actor.user_id,
            render=lambda lang: blocks.build_receipt(entry, lang),
            kind="practice_receipt",
        )
    ]
    if settings.operator_channel:
        notices.append(_queue_notice(entry, settings, settings.operator_channel))
    return notices


def _queue_notice(
    entry: PracticeEntry, settings: Settings, channel: str, ts: str | None = None
) -> Notice:
    """The queue post (new, or with `ts` updated in place), in the channel's language."""
    return Notice(
        channel=channel,
        ts=ts,
        render=lambda lang: blocks.build_queue_post(entry, settings.tz, lang),
        lang=settings.default_language,
        kind="practice_queue" if ts is None else "practice_queue_update",
        ref=f"practice:{entry.id}",
    )


# --- reviewing ----------------------------------------------------------------------------------


def queue(*, session: Session, actor: Actor) -> Message:
    """`/practice queue` (operators): the pending entries with the review buttons, for when
    the channel post is lost. Raises UserError for a non-operator."""
    actor.require_operator()
    pending, total = store.pending_practices(session, limit=QUEUE_SHOWN)
    entries = [_entry(session, practice) for practice in pending]
    return blocks.build_queue_list(entries, total, actor.lang)


def _pending_for_operator(
    session: Session, actor: Actor, practice_id: int, revision: int
) -> Practice:
    """The entry an operator acts on, still pending at the revision they saw. Raises
    UserError for a non-operator, an entry that is gone, decided (saying by whom) or edited
    since."""
    actor.require_operator()
    practice = store.get_practice(session, practice_id)
    if practice is None:
        raise user_error("practice.error.gone")
    error = _why_not(practice, revision)
    if error is not None:
        raise error
    return practice


def _why_not(practice: Practice, revision: int) -> UserError | None:
    """Why an operator may not act on the entry they saw at `revision`: decided (by whom)
    or edited since; None when they may."""
    if practice.status != PracticeStatus.PENDING.value:
        return user_error_in(
            "practice.error.decided",
            lambda lang: dict(
                status=blocks.status_label(practice.status, lang),
                user=practice.reviewed_by or "?",
            ),
        )
    if practice.revision != revision:
        return user_error("practice.error.edited", revision=practice.revision)
    return None


def review_form(
    *, session: Session, actor: Actor, practice_id: int, revision: int
) -> PracticeEntry:
    """The entry for the edit or reject modal (operators; still pending at `revision`).
    Raises UserError as `_pending_for_operator`."""
    return _entry(session, _pending_for_operator(session, actor, practice_id, revision))


def _move(session: Session, practice: Practice, seen: int, field: str | None, **values) -> None:
    """The conditional UPDATE of an entry still pending at revision `seen`, setting `values`;
    the loser's error (on `field`) says what happened."""
    if not store.move_practice(
        session, practice.id, expect=PracticeStatus.PENDING, seen_revision=seen, **values
    ):
        error = _why_not(practice, seen) or user_error("practice.error.gone")
        raise error.at(field) if field else error


def _decided(
    session: Session,
    practice: Practice,
    actor: Actor,
    settings: Settings,
    where: dict | None,
    answer_key: str,
) -> Decision:
    """After a decision: the submitter's DM (their language), the queue post updated in place
    when the click came from it, the acting operator's confirmation."""
    entry = _entry(session, practice)
    notices = [
        Notice(
            channel=practice.submitted_by,
            render=lambda lang: blocks.build_decision_dm(entry, lang),
            kind=f"practice_{entry.status}",
        )
    ]
    if where and where.get("channel") and where.get("ts"):
        notices.append(_queue_notice(entry, settings, where["channel"], where["ts"]))
    return Decision(notices, t(answer_key, actor.lang, title=escape(entry.title)))


def approve(
    *,
    session: Session,
    actor: Actor,
    practice_id: int,
    revision: int,
    settings: Settings,
    now: datetime,
    where: dict | None = None,
) -> Decision:
    """Approve a pending entry (operators): visible from now on. `where` (`channel`, `ts`) is
    the queue post clicked, updated in place. Raises UserError for a non-operator, an entry
    already decided (naming who decided) or edited since the operator saw it."""
    practice = _pending_for_operator(session, actor, practice_id, revision)
    _move(
        session,
        practice,
        revision,
        None,
        status=PracticeStatus.APPROVED.value,
        reviewed_by=actor.user_id,
        reviewed_at=now,
    )
    return _decided(session, practice, actor, settings, where, "practice.approved_answer")


def reject(
    *,
    session: Session,
    actor: Actor,
    meta: blocks.ReviewMeta,
    reason: str,
    settings: Settings,
    now: datetime,
) -> Decision:
    """Reject a pending entry with `reason` (operators); the submitter gets it in a DM. The
    modal's `meta` says which entry, the revision seen and the queue post. Raises UserError
    (on the reason field) as `approve`."""
    try:
        practice = _pending_for_operator(session, actor, meta.practice_id, meta.revision)
    except UserError as error:
        raise error.at(blocks.Ids.REASON) from None
    _move(
        session,
        practice,
        meta.revision,
        blocks.Ids.REASON,
        status=PracticeStatus.REJECTED.value,
        reviewed_by=actor.user_id,
        reviewed_at=now,
        reject_reason=reason,
    )
    where = {"channel": meta.channel, "ts": meta.ts}
    return _decided(session, practice, actor, settings, where, "practice.rejected_answer")


def edit(
    *,
    session: Session,
    actor: Actor,
    meta: blocks.ReviewMeta,
    data: blocks.PracticeInput,
    settings: Settings,
    now: datetime,
) -> Decision:
    """Save an operator's edit of a pending entry (its organization unchanged): revision + 1,
    the queue post updated in place (with buttons for the new revision). Raises UserError (on
    the title field) as `approve`."""
    try:
        practice = _pending_for_operator(session, actor, meta.practice_id, meta.revision)
    except UserError as error:
        raise error.at(blocks.Ids.TITLE) from None
    _move(
        session,
        practice,
        meta.revision,
        blocks.Ids.TITLE,
        title=data.title,
        body=data.body,
        area=data.area,
        source_url=data.source_url,
        search_text=search_text(data.title, data.body, data.source_url),
        revision=meta.revision + 1,
    )
    log.info("practice %s edited by %s at %s", practice.id, actor.user_id, now)
    entry = _entry(session, practice)
    notices = []
    if meta.channel and meta.ts:
        notices.append(_queue_notice(entry, settings, meta.channel, meta.ts))
    answer = t(
        "practice.edited_answer", actor.lang, title=escape(entry.title), revision=entry.revision
    )
    return Decision(notices, answer)


# --- search and list ----------------------------------------------------------------------------


def search(*, session: Session, actor: Actor, words: str) -> Message:
    """`/practice search WORDS`: approved entries containing every word (title, practice,
    link), folded on both sides (case, full-width forms); a word of Japanese matches anywhere
    (no word breaks needed); `%` and `_` are literal. Newest approval first, at most
    `SEARCH_SHOWN`, then how many more. Raises UserError when no word is given or the actor
    is in no organization (the library is the community's)."""
    _require_reader(actor)
    folded = list(dict.fromkeys(w for w in fold_name(words).split() if w))[:MAX_WORDS]
    if not folded:
        raise user_error("practice.error.no_words")
    rows, total = store.search_approved(session, folded, limit=SEARCH_SHOWN)
    entries = [entry_of(practice, name) for practice, name in rows]
    return blocks.build_search_results(entries, total, " ".join(words.split()), actor.lang)


def _area_names(area: PracticeArea) -> set[str]:
    names = {area.value, area.value.replace("_", " ")}
    names |= {blocks.area_label(area.value, lang) for lang in ("en", "ja")}
    if area == PracticeArea.LICENSING:
        names |= {"licensing", "copyright", "ライセンス", "著作権"}
    return {fold_name(name) for name in names}


def parse_area(text: str) -> PracticeArea:
    """The area named by its key (`data_governance`), its English or its Japanese name, any
    case or width. Raises UserError listing the areas for anything else."""
    wanted = fold_name(text)
    for area in PracticeArea:
        if wanted in _area_names(area):
            return area
    raise user_error_in(
        "practice.error.bad_area",
        lambda lang: dict(
            area=escape(truncate(text, 80)),
            areas="\n".join(
                f"• `{a.value}` — {blocks.area_label(a.value, lang)}" for a in PracticeArea
            ),
        ),
    )


def _require_reader(actor: Actor) -> None:
    """Anyone in an organization (reviewers too) reads approved entries; nobody else."""
    if not actor.orgs:
        raise user_error("error.no_org")


def list_practices(*, session: Session, actor: Actor, area: str | None = None) -> Message:
    """`/practice list [area]`: approved entries grouped by area (one area when given, see
    `parse_area`). Raises UserError for an unknown area or an actor in no organization."""
    _require_reader(actor)
    chosen = parse_area(area) if area and area.strip() else None
    rows = store.approved_practices(session, area=chosen.value if chosen else None)
    entries = [entry_of(practice, name) for practice, name in rows]
    return blocks.build_list(entries, chosen.value if chosen else None, actor.lang)


# --- the quarterly digest -----------------------------------------------------------------------


def quarter_due(now: datetime, settings: Settings) -> tuple[str, datetime, datetime] | None:
    """On the first business day of January, April, July or October (programme's zone):
    (the previous quarter as `YYYY-Qn`, its start, its end, both aware UTC); else None."""
    local = now.astimezone(settings.tz)
    if local.month not in (1, 4, 7, 10):
        return None
    if local.date() != nth_business_day(local.year, local.month, 1):
        return None
    end_day = local.date().replace(day=1)
    start_day = end_day - relativedelta(months=3)
    quarter = f"{start_day.year}-Q{(start_day.month - 1) // 3 + 1}"

    def utc(day) -> datetime:
        return datetime.combine(day, time(), tzinfo=settings.tz).astimezone(UTC)

    return quarter, utc(start_day), utc(end_day)


def digest(
    *, session: Session, settings: Settings, quarter: str, start: datetime, end: datetime
) -> list[Notice]:
    """The digest of the practices approved in [`start`, `end`) for the digest channel, in
    the programme's default language; [] when none was approved or no channel is set."""
    entries = approved_between(session, start, end)
    if not entries or not settings.digest_channel:
        return []
    year, q = (int(part) for part in quarter.split("-Q"))
    # named by the Japanese fiscal year (April–March), as the programme and the ministry count
    year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return [
        Notice(
            channel=settings.digest_channel,
            lang=settings.default_language,
            kind="practice_digest",
            render=lambda lang: blocks.build_digest(
                entries, t("practice.digest.quarter", lang, year=year, q=q), lang
            ),
        )
    ]
