"""Review committees (issue #7): rounds, subjects, reviewers, conflicts, assignments,
scorecards, decisions and the round's audit log.

A `ReviewRound` is a selection review (採択審査) of applicants or an end-of-term evaluation
(終了時評価) of funded organizations. Its `criteria` are `[{"key", "name", "weight"}]`, scored
1..`scale_max`. `stage` moves forward only: setup → conflicts (declaration DMs sent) →
scoring (assigned) → released; scorecards lock at `deadline` (UTC) whatever the stage.

Rows are never deleted: a withdrawn assignment keeps its row with `removed_at` (and its
scorecard, which then no longer counts); the audit log keeps who did what, when, before → after.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime
from storage.members import Member


class RoundKind(StrEnum):
    SELECTION = "selection"
    END_OF_TERM = "end_of_term"


class RoundStage(StrEnum):
    SETUP = "setup"
    CONFLICTS = "conflicts"
    SCORING = "scoring"
    RELEASED = "released"


class Recommendation(StrEnum):
    ADOPT = "adopt"
    CONDITIONAL = "conditional"
    REJECT = "reject"


class ReviewRound(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=16)
    criteria: list[dict] = Field(default_factory=list, sa_type=JSON)
    scale_max: int = 5
    reviewers_per_subject: int = 3
    deadline: datetime = Field(sa_type=UTCDateTime)
    stage: str = Field(default=RoundStage.SETUP.value, max_length=16)
    chair: str = Field(max_length=32)  # the operator who created it: reads confidential notes
    created_at: datetime = Field(sa_type=UTCDateTime)
    released_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RoundReviewer(SQLModel, table=True):
    """A committee member of a round; `declared_at` is set once they have declared conflicts."""

    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_round_reviewer"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="reviewround.id", index=True)
    user_id: str = Field(max_length=32)
    declared_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReviewSubject(SQLModel, table=True):
    """An applicant (selection) or a funded organization (end-of-term, `organization_id`).

    `contact_user` / `contact_email`: who receives the result on release. `decision` is a
    `Recommendation` value once an operator decided.
    """

    __table_args__ = (UniqueConstraint("round_id", "name", name="uq_subject_round_name"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="reviewround.id", index=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    name: str = Field(max_length=200)
    proposal_title: str = Field(default="", max_length=300)
    materials_link: str = Field(default="", max_length=500)
    contact_user: str | None = Field(default=None, max_length=32)
    contact_email: str | None = Field(default=None, max_length=254)
    decision: str | None = Field(default=None, max_length=16)
    decision_note: str = Field(default="", max_length=3000)
    decided_by: str | None = Field(default=None, max_length=32)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    released_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReviewConflict(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("subject_id", "user_id", name="uq_conflict_subject_user"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="reviewround.id", index=True)
    subject_id: int = Field(foreign_key="reviewsubject.id")
    user_id: str = Field(max_length=32)
    declared_at: datetime = Field(sa_type=UTCDateTime)


class ReviewAssignment(SQLModel, table=True):
    """A reviewer assigned to a subject; `removed_at` when withdrawn (conflict, adjustment)."""

    __table_args__ = (UniqueConstraint("subject_id", "user_id", name="uq_assignment_subject_user"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="reviewround.id", index=True)
    subject_id: int = Field(foreign_key="reviewsubject.id")
    user_id: str = Field(max_length=32)
    assigned_at: datetime = Field(sa_type=UTCDateTime)
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    packet_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Scorecard(SQLModel, table=True):
    """One reviewer's scores for one subject: `scores` maps criterion key → 1..scale_max."""

    __table_args__ = (UniqueConstraint("subject_id", "user_id", name="uq_scorecard_subject_user"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="reviewround.id", index=True)
    subject_id: int = Field(foreign_key="reviewsubject.id")
    user_id: str = Field(max_length=32)
    scores: dict = Field(default_factory=dict, sa_type=JSON)
    comments: str = Field(default="", max_length=3000)
    recommendation: str = Field(max_length=16)
    chair_note: str = Field(default="", max_length=3000)
    revision: int = 1
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ReviewAudit(SQLModel, table=True):
    """Every action in a round: who, what, when (UTC), before → after (short text)."""

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="reviewround.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=32)
    action: str = Field(max_length=40)
    subject_id: int | None = Field(default=None, foreign_key="reviewsubject.id")
    before: str = Field(default="", max_length=3000)
    after: str = Field(default="", max_length=3000)


def audit(
    session: Session,
    round_id: int,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject_id: int | None = None,
    before: str = "",
    after: str = "",
) -> None:
    """Append one audit entry (in the caller's transaction, so it lands with the change)."""
    session.add(
        ReviewAudit(
            round_id=round_id,
            at=at,
            actor=actor,
            action=action,
            subject_id=subject_id,
            before=before[:3000],
            after=after[:3000],
        )
    )


def get_subject(session: Session, subject_id: int) -> ReviewSubject | None:
    return session.get(ReviewSubject, subject_id)


def subjects(session: Session, round_id: int) -> list[ReviewSubject]:
    query = select(ReviewSubject).where(ReviewSubject.round_id == round_id)
    return list(session.exec(query.order_by(ReviewSubject.id)))


def reviewers(session: Session, round_id: int) -> list[RoundReviewer]:
    query = select(RoundReviewer).where(RoundReviewer.round_id == round_id)
    return list(session.exec(query.order_by(RoundReviewer.id)))


def reviewer(session: Session, round_id: int, user_id: str) -> RoundReviewer | None:
    query = select(RoundReviewer).where(
        RoundReviewer.round_id == round_id, RoundReviewer.user_id == user_id
    )
    return session.exec(query).first()


def conflicts(session: Session, round_id: int) -> set[tuple[int, str]]:
    """{(subject_id, user_id)} conflicted in the round: declared, or automatic."""
    return declared_conflicts(session, round_id) | automatic_conflicts(session, round_id)


def declared_conflicts(session: Session, round_id: int) -> set[tuple[int, str]]:
    """{(subject_id, user_id)} the reviewers declared."""
    query = select(ReviewConflict).where(ReviewConflict.round_id == round_id)
    return {(c.subject_id, c.user_id) for c in session.exec(query)}


def automatic_conflicts(session: Session, round_id: int) -> set[tuple[int, str]]:
    """{(subject_id, user_id)} conflicted whatever was declared: a reviewer who is a member of
    the subject organization, or who is the applicant's own contact. Looked up each time, so a
    membership added later counts from then on."""
    own_org = (
        select(ReviewSubject.id, Member.slack_user_id)
        .join(Member, Member.organization_id == ReviewSubject.organization_id)
        .join(
            RoundReviewer,
            (RoundReviewer.round_id == ReviewSubject.round_id)
            & (RoundReviewer.user_id == Member.slack_user_id),
        )
        .where(ReviewSubject.round_id == round_id)
    )
    own_application = (
        select(ReviewSubject.id, RoundReviewer.user_id)
        .join(
            RoundReviewer,
            (RoundReviewer.round_id == ReviewSubject.round_id)
            & (RoundReviewer.user_id == ReviewSubject.contact_user),
        )
        .where(ReviewSubject.round_id == round_id)
    )
    return {(s, u) for s, u in session.exec(own_org)} | {
        (s, u) for s, u in session.exec(own_application)
    }


def assignments(
    session: Session, round_id: int, *, user_id: str | None = None, active: bool = True
) -> list[ReviewAssignment]:
    """The round's assignments (only those in force unless `active=False`), by subject."""
    query = select(ReviewAssignment).where(ReviewAssignment.round_id == round_id)
    if user_id is not None:
        query = query.where(ReviewAssignment.user_id == user_id)
    if active:
        query = query.where(ReviewAssignment.removed_at.is_(None))
    return list(session.exec(query.order_by(ReviewAssignment.subject_id, ReviewAssignment.id)))


def assignment(session: Session, subject_id: int, user_id: str) -> ReviewAssignment | None:
    query = select(ReviewAssignment).where(
        ReviewAssignment.subject_id == subject_id, ReviewAssignment.user_id == user_id
    )
    return session.exec(query).first()


def scorecard(session: Session, subject_id: int, user_id: str) -> Scorecard | None:
    query = select(Scorecard).where(
        Scorecard.subject_id == subject_id, Scorecard.user_id == user_id
    )
    return session.exec(query).first()


def scorecards(session: Session, round_id: int) -> list[Scorecard]:
    """Every scorecard of the round that counts: its assignment is still in force."""
    query = (
        select(Scorecard)
        .join(
            ReviewAssignment,
            (ReviewAssignment.subject_id == Scorecard.subject_id)
            & (ReviewAssignment.user_id == Scorecard.user_id),
        )
        .where(Scorecard.round_id == round_id, ReviewAssignment.removed_at.is_(None))
        .order_by(Scorecard.subject_id, Scorecard.id)
    )
    return list(session.exec(query))


def audit_log(session: Session, round_id: int) -> list[ReviewAudit]:
    query = select(ReviewAudit).where(ReviewAudit.round_id == round_id)
    return list(session.exec(query.order_by(ReviewAudit.id)))


def rounds(session: Session) -> list[ReviewRound]:
    return list(session.exec(select(ReviewRound).order_by(ReviewRound.id)))


def rounds_of_reviewer(session: Session, user_id: str) -> list[ReviewRound]:
    query = (
        select(ReviewRound)
        .join(RoundReviewer, RoundReviewer.round_id == ReviewRound.id)
        .where(RoundReviewer.user_id == user_id)
        .order_by(ReviewRound.id)
    )
    return list(session.exec(query))
