"""Assigning a round's reviewers to its subjects (issue #7): the first assignment after the
conflict declarations, gap filling after a late conflict, and the operators' adjustments.

Only reviewers who have declared their conflicts are assigned (a reviewer who has not said
whether they are conflicted cannot be known not to be). Each change is audited, and each
reviewer whose subjects changed gets their scoring DM again with the new list; a new
end-of-term subject comes with its review packet (Markdown, plus the usage chart).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.blocks import reviews as blocks
from bot.blocks.common import escape
from bot.clients.slack import Notice
from bot.services import review_assignment
from bot.services.members import Actor, user_error
from bot.services.review_packets import build_packet
from bot.services.reviews import Outcome, advance, locked, operator_round
from bot.settings import Settings
from storage import reviews as store
from storage.reviews import ReviewAssignment, ReviewRound, RoundStage

LangOf = Callable[[str], str]  # Slack user id → the language to write their packet in


def assign(
    *,
    session: Session,
    actor: Actor,
    round_id: int,
    now: datetime,
) -> Outcome:
    """`/review assign N` (operators), once the declarations are open: assign every subject its
    reviewers (never a conflicted pair, loads even), move the round to scoring, send each
    reviewer their scoring DM. Raises UserError: round not at the conflicts stage, nobody
    declared yet. Subjects that cannot get enough reviewers are assigned all they can and
    listed in the answer; reviewers who have not declared are listed too."""
    round_ = operator_round(session, actor, round_id)
    if round_.stage == RoundStage.SETUP.value:
        raise user_error("review.error.conflicts_first", id=round_.id)
    if round_.stage != RoundStage.CONFLICTS.value:
        raise user_error("review.error.already_assigned", round=escape(round_.name))
    declared = [r.user_id for r in store.reviewers(session, round_.id) if r.declared_at]
    if not declared:
        raise user_error("review.error.nobody_declared", round=escape(round_.name))
    if not advance(session, round_, RoundStage.CONFLICTS.value, RoundStage.SCORING.value):
        raise user_error("review.error.already_assigned", round=escape(round_.name))
    plan, outcome = fill(session, actor, round_, now)
    undeclared = [r.user_id for r in store.reviewers(session, round_.id) if not r.declared_at]
    outcome.answer = _assignment_summary(session, round_, plan.short, undeclared)
    return outcome


def fill(
    session: Session, actor: Actor | None, round_: ReviewRound, now: datetime
) -> tuple[review_assignment.Plan, Outcome]:
    """Fill every subject's gaps, keeping the assignments in force; returns the plan and the
    scoring DMs of the reviewers who got new subjects (with their packets to send). `actor`
    None: Kiban itself (after a conflict declared late)."""
    subjects = store.subjects(session, round_.id)
    declared = [r.user_id for r in store.reviewers(session, round_.id) if r.declared_at]
    current = store.assignments(session, round_.id)
    plan = review_assignment.plan(
        [s.id for s in subjects],
        declared,
        per_subject=round_.reviewers_per_subject,
        conflicts=store.conflicts(session, round_.id),
        existing=[(a.subject_id, a.user_id) for a in current],
    )
    for subject_id, user_id in plan.pairs:
        _put(session, round_, subject_id, user_id, actor.user_id if actor else "kiban", now)
    changed = sorted({u for _, u in plan.pairs})
    return plan, Outcome(
        notices=[scoring_dm(session, round_, u, now) for u in changed],
        packets=_packets_due(session, round_, plan.pairs),
    )


def _put(
    session: Session, round_: ReviewRound, subject_id: int, user_id: str, by: str, now: datetime
) -> None:
    """Assign (or re-assign a withdrawn pair), audited."""
    row = store.assignment(session, subject_id, user_id)
    if row is None:
        row = ReviewAssignment(
            round_id=round_.id, subject_id=subject_id, user_id=user_id, assigned_at=now
        )
    elif row.removed_at is None:
        return
    row.removed_at, row.assigned_at = None, now
    session.add(row)
    store.audit(
        session,
        round_.id,
        at=now,
        actor=by,
        action="assignment.added",
        subject_id=subject_id,
        after=f"<@{user_id}>",
    )


def withdraw(
    session: Session,
    round_: ReviewRound,
    subject_id: int,
    user_id: str,
    by: str,
    now: datetime,
    reason: str,
) -> bool:
    """Withdraw an assignment in force (its scorecard stays stored but no longer counts)."""
    row = store.assignment(session, subject_id, user_id)
    if row is None or row.removed_at is not None:
        return False
    row.removed_at = now
    session.add(row)
    store.audit(
        session,
        round_.id,
        at=now,
        actor=by,
        action="assignment.removed",
        subject_id=subject_id,
        before=f"<@{user_id}>",
        after=reason,
    )
    return True


def _packets_due(session: Session, round_: ReviewRound, pairs) -> list[int]:
    """The assignments among `pairs` whose subject is an organization (end-of-term) and whose
    packet has not been sent."""
    due = []
    subjects = {s.id: s for s in store.subjects(session, round_.id)}
    for subject_id, user_id in pairs:
        row = store.assignment(session, subject_id, user_id)
        if subjects[subject_id].organization_id and row.packet_sent_at is None:
            due.append(row.id)
    return due


def packet_notices(
    *,
    session_factory: sessionmaker,
    settings: Settings,
    assignment_ids: list[int],
    lang_of: LangOf,
    now: datetime,
) -> list[Notice]:
    """Build the review packets of `assignment_ids` (after the assignment's commit and after
    the ack: a chart takes a moment, and must not hold the database's write lock). Each is
    claimed first (one conditional UPDATE of `packet_sent_at`), so two processes send it once;
    it is written in the reviewer's language, read in its own session."""
    notices = []
    for assignment_id in assignment_ids:
        with session_factory.begin() as session:
            claimed = session.exec(
                update(ReviewAssignment)
                .where(
                    ReviewAssignment.id == assignment_id,
                    ReviewAssignment.packet_sent_at.is_(None),
                    ReviewAssignment.removed_at.is_(None),
                )
                .values(packet_sent_at=now)
            )
        if claimed.rowcount != 1:
            continue
        with session_factory() as session:
            row = session.get(ReviewAssignment, assignment_id)
            subject = store.get_subject(session, row.subject_id)
            lang = lang_of(row.user_id)
            packet = build_packet(
                session, settings, organization_id=subject.organization_id, lang=lang, now=now
            )
        name = subject.name
        notices.append(
            Notice(
                channel=row.user_id,
                lang=lang,
                kind="review_packet",
                files=[
                    (packet.filename, packet.markdown),
                    *([packet.chart] if packet.chart else []),
                ],
                render=lambda lang, name=name: blocks.packet_comment(name, lang),
            )
        )
    return notices


def scoring_dm(
    session: Session,
    round_: ReviewRound,
    user_id: str,
    now: datetime,
    *,
    at: tuple[str, str] | None = None,
    saved: tuple[str, int] | None = None,
    lang: str | None = None,
) -> Notice:
    """The reviewer's list of their subjects with **Score** / **Edit** buttons (none after the
    deadline), and how many they have finished. `at` (channel, ts): update that list in place,
    noting the scorecard just `saved` (subject name, revision), instead of posting a new one;
    the DM's channel id is no user id, so its reader's `lang` must then be given."""
    items = [
        blocks.ScoringItem(
            subject=store.get_subject(session, a.subject_id),
            scored=store.scorecard(session, a.subject_id, user_id) is not None,
        )
        for a in store.assignments(session, round_.id, user_id=user_id)
    ]
    is_locked = locked(round_, now)
    return Notice(
        channel=at[0] if at else user_id,
        ts=at[1] if at else None,
        lang=lang,
        kind="review_scoring",
        render=lambda lang: blocks.scoring_list(round_, items, lang, locked=is_locked, saved=saved),
    )


def adjust_form(*, session: Session, actor: Actor, ref: str) -> tuple:
    """What the "Adjust assignments" modal shows: the round, its subjects with their current
    reviewers, the reviewers who may be picked (declared), the conflicts."""
    round_ = operator_round(session, actor, ref)
    if round_.stage != RoundStage.SCORING.value:
        raise user_error("review.error.not_assigned_yet", id=round_.id)
    current = {}
    for a in store.assignments(session, round_.id):
        current.setdefault(a.subject_id, []).append(a.user_id)
    return round_, store.subjects(session, round_.id), current


def adjust(
    *,
    session: Session,
    actor: Actor,
    round_id: int,
    chosen: dict[int, list[str]],
    now: datetime,
) -> Outcome:
    """Apply the operators' adjustment: `chosen` maps subject id → the reviewers it should
    have. Raises UserError on the subject's field: a reviewer not in the round or not yet
    declared, a conflicted pair. Fewer or more than the set number is allowed (operators
    decide) and said in the answer."""
    round_ = operator_round(session, actor, round_id)
    if round_.stage != RoundStage.SCORING.value or locked(round_, now):
        raise user_error("review.error.not_assigned_yet", id=round_.id)
    declared = {r.user_id for r in store.reviewers(session, round_.id) if r.declared_at}
    conflicts = store.conflicts(session, round_.id)
    subjects = {s.id: s for s in store.subjects(session, round_.id)}
    for subject_id, users in chosen.items():
        if subject_id not in subjects:
            raise user_error("review.error.no_subject")
        for user_id in users:
            if user_id not in declared:
                raise user_error("review.error.not_declared_reviewer", user=user_id).at(
                    f"subject_{subject_id}"
                )
            if (subject_id, user_id) in conflicts:
                raise user_error(
                    "review.error.conflicted_pair",
                    user=user_id,
                    subject=escape(subjects[subject_id].name),
                ).at(f"subject_{subject_id}")
    changed: set[str] = set()
    added: list[tuple[int, str]] = []
    dropped: list[str] = []  # scorecards that no longer count
    for subject_id, users in chosen.items():
        have = {
            a.user_id for a in store.assignments(session, round_.id) if a.subject_id == subject_id
        }
        for user_id in have - set(users):
            withdraw(session, round_, subject_id, user_id, actor.user_id, now, "adjusted")
            changed.add(user_id)
            if store.scorecard(session, subject_id, user_id):
                dropped.append(f"{escape(subjects[subject_id].name)} (<@{user_id}>)")
        for user_id in set(users) - have:
            _put(session, round_, subject_id, user_id, actor.user_id, now)
            changed.add(user_id)
            added.append((subject_id, user_id))
    notices = [scoring_dm(session, round_, u, now) for u in sorted(changed)]
    off = {
        subjects[s].name: len(u)
        for s, u in chosen.items()
        if len(u) != round_.reviewers_per_subject
    }
    round_name, per = round_.name, round_.reviewers_per_subject
    notices.append(
        Notice(
            channel=actor.user_id,
            kind="review_adjusted",
            render=lambda lang: blocks.adjusted(round_name, len(changed), off, per, dropped, lang),
        )
    )
    return Outcome(notices=notices, packets=_packets_due(session, round_, added))


def _assignment_summary(session: Session, round_: ReviewRound, short: dict, undeclared: list[str]):
    subjects = {s.id: s for s in store.subjects(session, round_.id)}
    loads: dict[str, int] = {}
    for a in store.assignments(session, round_.id):
        loads[a.user_id] = loads.get(a.user_id, 0) + 1
    return lambda lang: blocks.assignment_summary(
        round_,
        loads,
        {subjects[s].name: have_need for s, have_need in short.items()},
        undeclared,
        lang,
    )
