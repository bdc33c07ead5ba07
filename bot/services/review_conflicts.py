"""Conflicts of interest (issue #7): every reviewer declares before any assignment.

`/review conflicts N` (operators) closes the subject list and DMs each reviewer a **Declare
conflicts** button; the modal is a checklist of the round's subjects plus "I have no conflict".
A declaration is final for what it declares (a conflict cannot be withdrawn by the reviewer:
the secretariat must know it was once declared); a reviewer may declare more later, until the
deadline. A conflict declared after the assignment withdraws that assignment and assigns
another reviewer, who gets the subject (and its packet); the operators are told.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from bot.blocks import reviews as blocks
from bot.blocks.common import escape
from bot.clients.slack import Notice
from bot.services.members import Actor, user_error
from bot.services.review_assignments import fill, scoring_dm, withdraw
from bot.services.reviews import (
    Outcome,
    advance,
    declaration_dm,
    find_round,
    locked,
    operator_round,
)
from bot.settings import Settings
from storage import reviews as store
from storage.db import insert_once
from storage.reviews import ReviewConflict, ReviewRound, RoundReviewer, RoundStage


def open_declarations(*, session: Session, actor: Actor, round_id: int, now: datetime) -> Outcome:
    """Close the subject list and ask every reviewer to declare (operators); run again, ask
    again those who have not declared yet. Raises UserError: no subjects yet, the deadline
    passed (extend it with `/review edit N`), everyone has declared already."""
    round_ = operator_round(session, actor, round_id)
    if not store.subjects(session, round_.id):
        raise user_error("review.error.no_subjects", id=round_.id)
    if locked(round_, now) or round_.stage == RoundStage.RELEASED.value:
        raise user_error("review.error.deadline_passed", id=round_.id)
    again = not advance(session, round_, RoundStage.SETUP.value, RoundStage.CONFLICTS.value)
    reviewers = [r.user_id for r in store.reviewers(session, round_.id) if not r.declared_at]
    if again and not reviewers:
        raise user_error("review.error.all_declared_already", round=escape(round_.name))
    store.audit(
        session,
        round_.id,
        at=now,
        actor=actor.user_id,
        action="conflicts.asked_again" if again else "conflicts.opened",
        after=", ".join(f"<@{u}>" for u in reviewers),
    )
    name, count = round_.name, len(reviewers)
    return Outcome(
        notices=[declaration_dm(round_, user_id) for user_id in reviewers],
        answer=lambda lang: blocks.declarations_opened(name, count, lang, again=again),
    )


def declaration_form(*, session: Session, actor: Actor, ref: str, now: datetime) -> tuple:
    """The checklist: (round, subjects, subject ids already declared). Raises UserError for
    someone not a reviewer of the round, before the declarations open, after the deadline."""
    round_ = find_round(session, actor, ref)
    row = _reviewer(session, round_, actor)
    _require_open(round_, now)
    declared = {s for s, u in store.conflicts(session, round_.id) if u == actor.user_id}
    return round_, store.subjects(session, round_.id), declared, row.declared_at is not None


def _reviewer(session: Session, round_: ReviewRound, actor: Actor) -> RoundReviewer:
    row = store.reviewer(session, round_.id, actor.user_id)
    if row is None:
        raise user_error("review.error.not_reviewer", round=escape(round_.name))
    return row


def _require_open(round_: ReviewRound, now: datetime) -> None:
    if round_.stage == RoundStage.SETUP.value:
        raise user_error("review.error.declarations_not_open", round=escape(round_.name))
    if locked(round_, now) or round_.stage == RoundStage.RELEASED.value:
        raise user_error("review.error.locked", round=escape(round_.name))


def declare(
    *,
    session: Session,
    actor: Actor,
    round_id: int,
    subject_ids: list[int],
    none: bool,
    settings: Settings,
    now: datetime,
) -> Outcome:
    """Record a declaration: conflicts with `subject_ids`, or `none`. Raises UserError on the
    checklist: neither or both given, a subject of another round, a declared conflict left
    out (cannot be withdrawn). After the assignment, each new conflict withdraws its
    assignment and the gap is filled by another reviewer."""
    round_ = find_round(session, actor, str(round_id))
    row = _reviewer(session, round_, actor)
    _require_open(round_, now)
    subjects = {s.id: s for s in store.subjects(session, round_.id)}
    mine = actor.user_id
    before = {s for s, u in store.declared_conflicts(session, round_.id) if u == mine}
    automatic = {s for s, u in store.automatic_conflicts(session, round_.id) if u == mine}
    chosen = set(subject_ids) - automatic  # automatic ones are conflicts whatever is ticked
    if not chosen <= set(subjects):
        raise user_error("review.error.no_subject").at("none")
    if none and chosen - before and row.declared_at is not None:
        none = False  # "no conflict" still ticked from the first declaration, a subject added
    if none and chosen - before:
        raise user_error("review.error.none_and_conflicts").at("none")
    if not none and not chosen and not before and not automatic:
        raise user_error("review.error.declare_something").at("none")
    if missing := before - chosen:
        names = ", ".join(subjects[s].name for s in sorted(missing))
        raise user_error("review.error.cannot_withdraw", names=escape(names)).at("none")
    new = sorted(chosen - before)
    for subject_id in new:
        insert_once(
            session,
            ReviewConflict(
                round_id=round_.id, subject_id=subject_id, user_id=actor.user_id, declared_at=now
            ),
        )
    first = row.declared_at is None
    session.exec(
        update(RoundReviewer)
        .where(RoundReviewer.id == row.id, RoundReviewer.declared_at.is_(None))
        .values(declared_at=now)
    )
    store.audit(
        session,
        round_.id,
        at=now,
        actor=actor.user_id,
        action="conflicts.declared",
        before=_names(subjects, before),
        after=_names(subjects, before | set(new)) or "none",
    )
    outcome = Outcome()
    moved: list[str] = []
    dropped: list[str] = []  # subjects whose scorecard by this reviewer no longer counts
    if round_.stage == RoundStage.SCORING.value:
        for subject_id in new:
            if withdraw(session, round_, subject_id, actor.user_id, actor.user_id, now, "conflict"):
                moved.append(subjects[subject_id].name)
                if store.scorecard(session, subject_id, actor.user_id):
                    dropped.append(subjects[subject_id].name)
        if moved or first:  # fill the gaps: a late conflict, or a reviewer added late
            plan, outcome = fill(session, None, round_, now)
            if moved:
                outcome.notices.append(scoring_dm(session, round_, actor.user_id, now))
                outcome.notices.append(
                    _operators_told(settings, round_, mine, moved, plan, subjects, dropped)
                )
    elif first and all(r.declared_at for r in store.reviewers(session, round_.id)):
        outcome.notices.append(_all_declared(settings, round_))
    names = [subjects[s].name for s in sorted(before | set(new) | automatic)]
    round_name = round_.name
    outcome.notices.append(
        Notice(
            channel=actor.user_id,
            kind="review_declared",
            render=lambda lang: blocks.declared(round_name, names, moved, lang),
        )
    )
    return outcome


def _names(subjects: dict, ids: set[int]) -> str:
    return ", ".join(subjects[s].name for s in sorted(ids))


def _operators_told(settings: Settings, round_, user, moved, plan, subjects, dropped) -> Notice:
    """What a late conflict changed: who declared it, each withdrawn subject and who took it
    over (or that nobody could), and the scorecards that no longer count."""
    taken: dict[str, list[str]] = {}
    for subject_id, new in plan.pairs:
        taken.setdefault(subjects[subject_id].name, []).append(new)
    short = {subjects[s].name: hn for s, hn in plan.short.items()}
    name = round_.name
    return Notice(
        channel=settings.operator_channel or round_.chair,
        lang=settings.default_language if settings.operator_channel else None,
        kind="review_reassigned",
        render=lambda lang: blocks.reassigned(name, user, moved, taken, short, dropped, lang),
    )


def _all_declared(settings: Settings, round_: ReviewRound) -> Notice:
    name, round_id = round_.name, round_.id
    return Notice(
        channel=settings.operator_channel or round_.chair,
        lang=settings.default_language if settings.operator_channel else None,
        kind="review_all_declared",
        render=lambda lang: blocks.all_declared(name, round_id, lang),
    )
