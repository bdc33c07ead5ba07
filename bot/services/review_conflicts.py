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
from bot.clients.slack import Notice
from bot.services.members import Actor, user_error
from bot.services.review_assignments import fill, scoring_dm, withdraw
from bot.services.reviews import Outcome, advance, find_round, locked, operator_round
from bot.settings import Settings
from storage import reviews as store
from storage.db import insert_once
from storage.reviews import ReviewConflict, ReviewRound, RoundReviewer, RoundStage


def open_declarations(*, session: Session, actor: Actor, round_id: int, now: datetime) -> Outcome:
    """Close the subject list and ask every reviewer to declare (operators). Raises UserError:
    no subjects yet, or declarations already opened."""
    round_ = operator_round(session, actor, round_id)
    if not store.subjects(session, round_.id):
        raise user_error("review.error.no_subjects", id=round_.id)
    if not advance(session, round_, RoundStage.SETUP.value, RoundStage.CONFLICTS.value):
        raise user_error("review.error.conflicts_open", round=round_.name)
    store.audit(session, round_.id, at=now, actor=actor.user_id, action="conflicts.opened")
    reviewers = [r.user_id for r in store.reviewers(session, round_.id)]
    notices = [declaration_dm(round_, user_id) for user_id in reviewers]
    name, count = round_.name, len(reviewers)
    return Outcome(
        notices=notices, answer=lambda lang: blocks.declarations_opened(name, count, lang)
    )


def declaration_dm(round_: ReviewRound, user_id: str) -> Notice:
    return Notice(
        channel=user_id,
        kind="review_declare",
        quiet_hours=True,
        render=lambda lang: blocks.declaration_request(round_, lang),
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
        raise user_error("review.error.not_reviewer", round=round_.name)
    return row


def _require_open(round_: ReviewRound, now: datetime) -> None:
    if round_.stage == RoundStage.SETUP.value:
        raise user_error("review.error.declarations_not_open", round=round_.name)
    if locked(round_, now) or round_.stage == RoundStage.RELEASED.value:
        raise user_error("review.error.locked", round=round_.name)


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
    before = {s for s, u in store.conflicts(session, round_.id) if u == actor.user_id}
    chosen = set(subject_ids)
    if none and chosen:
        raise user_error("review.error.none_and_conflicts").at("none")
    if not none and not chosen and not before:
        raise user_error("review.error.declare_something").at("none")
    if not chosen <= set(subjects):
        raise user_error("review.error.no_subject").at("none")
    if missing := before - chosen:
        names = ", ".join(subjects[s].name for s in sorted(missing))
        raise user_error("review.error.cannot_withdraw", names=names).at("none")
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
    if round_.stage == RoundStage.SCORING.value:
        for subject_id in new:
            if withdraw(session, round_, subject_id, actor.user_id, actor.user_id, now, "conflict"):
                moved.append(subjects[subject_id].name)
        if moved:
            plan, outcome = fill(session, None, round_, now)
            outcome.notices.append(scoring_dm(session, round_, actor.user_id, now))
            outcome.notices.append(_operators_told(settings, round_, moved, plan.short, subjects))
    elif first and all(r.declared_at for r in store.reviewers(session, round_.id)):
        outcome.notices.append(_all_declared(settings, round_))
    names = [subjects[s].name for s in sorted(before | set(new))]
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


def _operators_told(settings: Settings, round_: ReviewRound, moved, short, subjects) -> Notice:
    short_names = {subjects[s].name: hn for s, hn in short.items()}
    name = round_.name
    return Notice(
        channel=settings.operator_channel or round_.chair,
        lang=settings.default_language if settings.operator_channel else None,
        kind="review_reassigned",
        render=lambda lang: blocks.reassigned(name, moved, short_names, lang),
    )


def _all_declared(settings: Settings, round_: ReviewRound) -> Notice:
    name, round_id = round_.name, round_.id
    return Notice(
        channel=settings.operator_channel or round_.chair,
        lang=settings.default_language if settings.operator_channel else None,
        kind="review_all_declared",
        render=lambda lang: blocks.all_declared(name, round_id, lang),
    )
