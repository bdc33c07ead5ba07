"""Review rounds (issue #7): creating a round, finding one the actor may see, adding its
subjects, listing rounds. Conflicts, scoring and decisions have their own modules.

Access (every function here and in `review_*`): operators see every round; a round's reviewers
see that round and only their assigned subjects; anyone else is refused explicitly, with the
same words whether the round exists or not (a round's name is committee business).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from bot.blocks import reviews as blocks
from bot.blocks.common import Message, escape
from bot.blocks.review_forms import RoundInput, SubjectInput, default_key
from bot.clients.slack import Notice
from bot.i18n import t
from bot.parsing.text import fold_name, normalize_input
from bot.services.members import Actor, user_error, user_error_in
from bot.settings import Settings
from storage import members as member_store
from storage import reviews as store
from storage.db import insert_once
from storage.members import OrgKind, Role
from storage.reviews import ReviewRound, ReviewSubject, RoundKind, RoundReviewer, RoundStage

SUBJECTS_MAX = 90  # the adjustment modal holds one block per subject (Slack: 100 blocks)


@dataclass
class Outcome:
    """What a round operation did: notices to deliver, the ephemeral answer to the actor
    (`answer(lang)`, or None), and the review packets to build and send after the commit
    (`review_assignments.packet_notices`)."""

    notices: list[Notice] = field(default_factory=list)
    answer: Callable[[str], Message] | None = None
    packets: list[int] = field(default_factory=list)  # assignments whose packet is to be sent
    refused: list[str] = field(default_factory=list)  # release: names Slack refused, after


def find_round(session: Session, actor: Actor, ref: str) -> ReviewRound:
    """The round `ref` (its number, `#3`, or its exact name) if the actor is an operator or one
    of its reviewers. Raises UserError `review.error.no_round` otherwise (also when it does not
    exist: the refusal does not tell)."""
    text = normalize_input(ref).strip().lstrip("#")
    round_ = None
    if text.isdigit():
        round_ = session.get(ReviewRound, int(text))
    if round_ is None and text:
        round_ = next(
            (r for r in store.rounds(session) if fold_name(r.name) == fold_name(text)), None
        )
    if round_ is None or not may_see(session, actor, round_):
        key = "review.error.no_such_round" if actor.is_operator else "review.error.no_round"
        raise user_error(key, ref=escape(ref.strip() or "?"))
    return round_


def may_see(session: Session, actor: Actor, round_: ReviewRound) -> bool:
    return actor.is_operator or store.reviewer(session, round_.id, actor.user_id) is not None


def operator_round(session: Session, actor: Actor, ref: str | int) -> ReviewRound:
    """`find_round` for operator-only actions; a reviewer is told it is for the secretariat."""
    round_ = find_round(session, actor, str(ref))
    actor.require_operator()
    return round_


def locked(round_: ReviewRound, now: datetime) -> bool:
    """Scorecards (and conflict declarations) lock at the deadline."""
    return now >= round_.deadline


def advance(session: Session, round_: ReviewRound, expected: str, new: str) -> bool:
    """Move the round from `expected` to `new` stage in one conditional UPDATE; False when
    another operator moved it first."""
    result = session.exec(
        update(ReviewRound)
        .where(ReviewRound.id == round_.id, ReviewRound.stage == expected)
        .values(stage=new)
    )
    session.refresh(round_)
    return result.rowcount == 1


def create_round(*, session: Session, actor: Actor, data: RoundInput, now: datetime) -> Outcome:
    """Store a round (operators). Raises UserError on a field: the name already used, a
    deadline not in the future, fewer reviewers than reviewers per subject."""
    actor.require_operator()
    if any(fold_name(r.name) == fold_name(data.name) for r in store.rounds(session)):
        raise user_error("review.error.name_taken", name=escape(data.name)).at("name")
    if data.deadline <= now:
        raise user_error("review.error.deadline_past").at("deadline_date")
    require_outsiders(session, data.kind, data.reviewers)
    if len(set(data.reviewers)) < data.per_subject:
        raise user_error(
            "review.error.too_few_reviewers", count=len(set(data.reviewers)), per=data.per_subject
        ).at("reviewers")
    round_ = ReviewRound(
        name=data.name,
        kind=data.kind,
        criteria=[
            {"key": f"c{i}", "name": name, "weight": weight, "default": default_key(name)}
            for i, (name, weight) in enumerate(data.criteria, start=1)
        ],
        scale_max=data.scale_max,
        reviewers_per_subject=data.per_subject,
        deadline=data.deadline,
        chair=actor.user_id,
        created_at=now,
    )
    session.add(round_)
    session.flush()
    for user_id in dict.fromkeys(data.reviewers):
        session.add(RoundReviewer(round_id=round_.id, user_id=user_id))
    store.audit(
        session,
        round_.id,
        at=now,
        actor=actor.user_id,
        action="round.created",
        after=f"{data.name} ({data.kind}); reviewers {len(set(data.reviewers))}",
    )
    round_id, name, kind = round_.id, round_.name, round_.kind
    return Outcome(
        notices=[
            Notice(
                channel=actor.user_id,
                kind="review_created",
                render=lambda lang: blocks.round_created(round_id, name, kind, lang),
            )
        ]
    )


def declaration_dm(round_: ReviewRound, user_id: str) -> Notice:
    """The request to declare conflicts (a quiet-hours DM: it waits for the reviewer's morning)."""
    return Notice(
        channel=user_id,
        kind="review_declare",
        quiet_hours=True,
        render=lambda lang: blocks.declaration_request(round_, lang),
    )


def require_outsiders(session: Session, kind: str, reviewers: list[str]) -> None:
    """An end-of-term round's reviewers receive each funded organization's packet (usage,
    issues, evaluations: confidential to it), so none may belong to a participating
    organization (the secretariat's members may). Raises UserError on the reviewers field."""
    if kind != RoundKind.END_OF_TERM.value:
        return
    insiders = [
        f"<@{user_id}> ({escape(org.name)})"
        for user_id in reviewers
        for _, org in member_store.memberships(session, user_id)
        if org.kind != OrgKind.SECRETARIAT.value
    ]
    if insiders:
        raise user_error("review.error.insider_reviewers", users=escape(", ".join(insiders))).at(
            "reviewers"
        )


def _add_orgs(
    session: Session, actor: Actor, round_: ReviewRound, org_ids: list[int], now: datetime
) -> int:
    added = 0
    for org_id in org_ids:
        org = member_store.get_org(session, org_id)
        if org is None:
            continue
        row = insert_once(
            session, ReviewSubject(round_id=round_.id, organization_id=org.id, name=org.name)
        )
        if row is not None:
            added += 1
            store.audit(
                session,
                round_.id,
                at=now,
                actor=actor.user_id,
                action="subject.added",
                subject_id=row.id,
                after=org.name,
            )
    return added


def _require_setup(round_: ReviewRound) -> None:
    if round_.stage != RoundStage.SETUP.value:
        raise user_error("review.error.subjects_closed", round=escape(round_.name))


def _where(item: SubjectInput, lang: str) -> str:
    name = f"“{escape(item.name)}”"
    return t("review.on_line", lang, name=name, line=item.line) if item.line else name


def subject_form(*, session: Session, actor: Actor, ref: str) -> tuple[ReviewRound, list]:
    """What the "Add subjects" modal offers: the round, and for an end-of-term round the
    organizations not yet subjects ([(id, name)])."""
    round_ = operator_round(session, actor, ref)
    _require_setup(round_)
    taken = {s.organization_id for s in store.subjects(session, round_.id)}
    orgs = [
        (o.id, o.name)
        for o in member_store.list_orgs(session, OrgKind.DEVELOPER.value)
        if o.id not in taken
    ]
    return round_, orgs


def add_subjects(
    *,
    session: Session,
    actor: Actor,
    round_id: int,
    applicants: list[SubjectInput],
    org_ids: list[int],
    now: datetime,
) -> Outcome:
    """Add applicants (selection) or organizations (end-of-term) to a round still in setup.
    Raises UserError: a name already a subject of the round (with the CSV line when from a
    file), or the round past setup. All or nothing: one bad row stores none."""
    round_ = operator_round(session, actor, round_id)
    _require_setup(round_)
    selection = round_.kind == RoundKind.SELECTION.value
    if (applicants and not selection) or (org_ids and selection):  # a forged submission
        kind = round_.kind
        raise user_error_in(
            "review.error.wrong_subject_kind", lambda lang: {"kind": t(f"review.kind.{kind}", lang)}
        )
    existing = {fold_name(s.name) for s in store.subjects(session, round_.id)}
    repeated = []  # every applicant already a subject, at once (a CSV may repeat several)
    for item in applicants:
        if fold_name(item.name) in existing:
            repeated.append(item)
    if repeated:
        raise user_error_in(
            "review.error.subject_exists",
            lambda lang: {"names": ", ".join(_where(i, lang) for i in repeated)},
        ).at("name")
    if len(existing) + len(applicants) + len(org_ids) > SUBJECTS_MAX:
        raise user_error(
            "review.error.too_many_subjects", limit=SUBJECTS_MAX, left=SUBJECTS_MAX - len(existing)
        )
    for item in applicants:
        row = ReviewSubject(
            round_id=round_.id,
            name=item.name,
            proposal_title=item.proposal_title,
            materials_link=item.materials_link,
            contact_user=item.contact_user,
            contact_email=item.contact_email,
        )
        session.add(row)
        session.flush()
        store.audit(
            session,
            round_.id,
            at=now,
            actor=actor.user_id,
            action="subject.added",
            subject_id=row.id,
            after=f"{item.name}: {item.proposal_title}",
        )
    added = len(applicants) + _add_orgs(session, actor, round_, org_ids, now)
    names = [s.name for s in store.subjects(session, round_.id)]
    round_name = round_.name
    return Outcome(
        notices=[
            Notice(
                channel=actor.user_id,
                kind="review_subjects",
                render=lambda lang: blocks.subjects_added(round_name, added, names, lang),
            )
        ]
    )


def list_rounds(*, session: Session, actor: Actor, settings: Settings, now: datetime) -> Message:
    """`/review list`: operators see every round with its stage; a reviewer sees their rounds
    with their own unfinished scorecards. Anyone else is told they take part in none."""
    if actor.is_operator:
        rounds = store.rounds(session)
    else:
        rounds = store.rounds_of_reviewer(session, actor.user_id)
    items = []
    for round_ in rounds:
        mine = store.assignments(session, round_.id, user_id=actor.user_id)
        done = sum(
            1 for a in mine if store.scorecard(session, a.subject_id, actor.user_id) is not None
        )
        items.append(
            blocks.ListedRound(
                round_=round_,
                subjects=len(store.subjects(session, round_.id)),
                assigned=len(mine),
                scored=done,
            )
        )
    return blocks.round_list(
        items, actor.lang, operator=actor.is_operator, zone=settings.tz, now=now
    )


def leads_of(session: Session, org_id: int) -> list[str]:
    """Slack ids of an organization's leads (who receive an end-of-term result)."""
    return [m.slack_user_id for m in member_store.org_members(session, org_id, Role.ORG_LEAD.value)]
