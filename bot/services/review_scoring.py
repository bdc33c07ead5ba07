"""Scorecards (issue #7): the reviewer's modal, saving and editing until the deadline, the
operators' completion view, and the reminders 3 days and 1 day before the deadline.

A reviewer sees only their own scorecards, for the subjects assigned to them; no message
names another reviewer or shows their scores. At the deadline (UTC instant) scorecards lock:
the Score button answers that the round is closed, and a submission is refused inline.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.blocks import reviews as blocks
from bot.blocks.common import Message, escape
from bot.blocks.review_forms import ScoreInput
from bot.clients.slack import Notice
from bot.services.members import Actor, user_error
from bot.services.review_assignments import scoring_dm
from bot.services.reviews import find_round, locked
from bot.settings import Settings
from storage import reviews as store
from storage.jobs import claim
from storage.reviews import ReviewRound, ReviewSubject, RoundStage, Scorecard

REMINDER_DAYS = (3, 1)  # before the deadline, per the issue


def scorecard_form(
    *, session: Session, actor: Actor, round_id: int, subject_id: int, now: datetime
) -> tuple[ReviewRound, ReviewSubject, Scorecard | None]:
    """The round, the subject and the reviewer's own scorecard (None: not scored yet), for the
    Score modal. Raises UserError: not assigned to this subject, or the round locked."""
    round_, subject = _assigned(session, actor, round_id, subject_id)
    if locked(round_, now):
        raise user_error("review.error.locked", round=escape(round_.name))
    return round_, subject, store.scorecard(session, subject.id, actor.user_id)


def _assigned(
    session: Session, actor: Actor, round_id: int, subject_id: int
) -> tuple[ReviewRound, ReviewSubject]:
    round_ = find_round(session, actor, str(round_id))
    subject = store.get_subject(session, subject_id)
    row = store.assignment(session, subject_id, actor.user_id)
    if subject is None or subject.round_id != round_.id or row is None or row.removed_at:
        raise user_error("review.error.not_assigned")
    return round_, subject


def save_scorecard(
    *, session: Session, actor: Actor, data: ScoreInput, now: datetime
) -> list[Notice]:
    """Store or edit the reviewer's scorecard (a new revision), audited. Raises UserError:
    not assigned, locked (the deadline passed while the modal was open), a criterion missing
    or off the scale (forged submissions)."""
    round_, subject = _assigned(session, actor, data.round_id, data.subject_id)
    if locked(round_, now):
        raise user_error("review.error.locked", round=escape(round_.name)).at("recommendation")
    for criterion in round_.criteria:
        value = data.scores.get(criterion["key"])
        if value is None or not 1 <= value <= round_.scale_max:
            raise user_error("review.error.score_range", max=round_.scale_max).at(criterion["key"])
    scores = {c["key"]: data.scores[c["key"]] for c in round_.criteria}
    card = store.scorecard(session, subject.id, actor.user_id)
    before = _summary(card) if card else ""
    if card is None:
        card = Scorecard(
            round_id=round_.id,
            subject_id=subject.id,
            user_id=actor.user_id,
            recommendation=data.recommendation,
            submitted_at=now,
            updated_at=now,
        )
    else:
        card.revision += 1
    card.scores, card.comments, card.chair_note = scores, data.comments, data.chair_note
    card.recommendation, card.updated_at = data.recommendation, now
    session.add(card)
    session.flush()
    store.audit(
        session,
        round_.id,
        at=now,
        actor=actor.user_id,
        action="scorecard.edited" if before else "scorecard.submitted",
        subject_id=subject.id,
        before=before,
        after=_summary(card),
    )
    saved = (subject.name, card.revision)
    if data.list_ts:  # the list the modal was opened from shows the save: no new message
        return [
            scoring_dm(
                session,
                round_,
                actor.user_id,
                now,
                at=(data.list_channel, data.list_ts),
                saved=saved,
                lang=actor.lang,
            )
        ]
    deadline = round_.deadline
    return [
        Notice(
            channel=actor.user_id,
            kind="review_scored",
            render=lambda lang: blocks.scored(*saved, deadline, lang),
        )
    ]


def _summary(card: Scorecard) -> str:
    scores = " ".join(f"{k}={v}" for k, v in card.scores.items())
    return f"r{card.revision}: {scores}; {card.recommendation}"


def completion(session: Session, round_: ReviewRound) -> list[tuple[str, int, int, bool]]:
    """[(reviewer, scored, assigned, declared)] in the round's reviewer order."""
    rows = []
    for reviewer in store.reviewers(session, round_.id):
        mine = store.assignments(session, round_.id, user_id=reviewer.user_id)
        scored = sum(1 for a in mine if store.scorecard(session, a.subject_id, reviewer.user_id))
        rows.append((reviewer.user_id, scored, len(mine), reviewer.declared_at is not None))
    return rows


def status(
    *, session: Session, actor: Actor, ref: str, settings: Settings, now: datetime
) -> Message:
    """`/review status N`: operators see completion per reviewer (and who has not declared);
    a reviewer sees their own subjects and what is left."""
    round_ = find_round(session, actor, ref)
    if not actor.is_operator:
        return scoring_dm(session, round_, actor.user_id, now).render(actor.lang)
    return blocks.completion(
        round_,
        completion(session, round_),
        len(store.subjects(session, round_.id)),
        actor.lang,
        zone=settings.tz,
        now=now,
    )


def remind(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """The reminder job: for each round being scored whose deadline is within 3 days (then 1
    day), DM each reviewer with unfinished scorecards once per window (claimed per round and
    window, so two replicas remind once); at the deadline, tell the operators the round is
    closed with its completion."""
    notices: list[Notice] = []
    for round_ in store.rounds(session):
        if round_.stage != RoundStage.SCORING.value:
            continue
        if locked(round_, now):
            if claim(session, job="review_closed", slot=_slot(round_), now=now):
                notices.append(_closed_notice(session, settings, round_))
            continue
        # the narrowest window the deadline is in: jumping past both sends one reminder
        window = next(
            (d for d in sorted(REMINDER_DAYS) if round_.deadline - now <= timedelta(days=d)), None
        )
        if window is None or not claim(
            session, job="review_reminder", slot=f"{_slot(round_)}:{window}", now=now
        ):
            continue
        for user_id, scored, assigned, _ in completion(session, round_):
            if scored < assigned:
                notices.append(_reminder(round_, user_id, assigned - scored, window))
    return notices


def _slot(round_: ReviewRound) -> str:
    """A round's claim key for its current deadline: a moved deadline is reminded and closed
    again."""
    return f"{round_.id}@{round_.deadline:%Y%m%dT%H%M}"


def _reminder(round_: ReviewRound, user_id: str, left: int, window: int) -> Notice:
    """A quiet-hours DM, dropped if still held when the next (narrower) reminder is due: two
    reminders never land on the same morning."""
    narrower = [d for d in REMINDER_DAYS if d < window]
    expires = round_.deadline - timedelta(days=max(narrower)) if narrower else round_.deadline
    return Notice(
        channel=user_id,
        kind="review_reminder",
        quiet_hours=True,
        expires_at=expires,
        render=lambda lang: blocks.reminder(round_, left, lang),
    )


def _closed_notice(session: Session, settings: Settings, round_: ReviewRound) -> Notice:
    rows = completion(session, round_)
    subjects = len(store.subjects(session, round_.id))
    return Notice(
        channel=settings.operator_channel or round_.chair,
        lang=settings.default_language if settings.operator_channel else None,
        kind="review_closed",
        render=lambda lang: blocks.closed(round_, rows, subjects, lang),
    )
