"""Editing a review round (issue #7): `/review edit N` moves the scoring deadline and adds
reviewers. Criteria, scale, kind and reviewers per subject stay as created: the scorecards
given are on that basis. Reviewers are never removed (their declarations and scorecards are
the record); their subjects are withdrawn with `/review adjust`."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.blocks import reviews as blocks
from bot.blocks.common import escape
from bot.blocks.review_forms import EditInput
from bot.clients.slack import Notice
from bot.services.members import Actor, user_error
from bot.services.review_assignments import scoring_dm
from bot.services.review_scoring import completion
from bot.services.reviews import Outcome, declaration_dm, operator_round, require_outsiders
from storage import reviews as store
from storage.reviews import ReviewRound, RoundReviewer, RoundStage


def edit_form(*, session: Session, actor: Actor, ref: str) -> ReviewRound:
    """The round for the "Edit a review round" modal (operators; not once released)."""
    round_ = operator_round(session, actor, ref)
    if round_.stage == RoundStage.RELEASED.value:
        raise user_error("review.error.released_round", round=escape(round_.name))
    return round_


def edit_round(*, session: Session, actor: Actor, data: EditInput, now: datetime) -> Outcome:
    """Change the deadline (must be in the future: it reopens scoring if it had passed) and add
    reviewers (those added after the declarations opened are asked to declare). Raises
    UserError on the field: a past deadline, a reviewer left out (reviewers are not removed:
    their subjects are withdrawn with `/review adjust`), fewer reviewers than per subject."""
    round_ = edit_form(session=session, actor=actor, ref=str(data.round_id))
    if data.deadline <= now:
        raise user_error("review.error.deadline_past").at("deadline_date")
    current = [r.user_id for r in store.reviewers(session, round_.id)]
    if missing := [u for u in current if u not in data.reviewers]:
        raise user_error(
            "review.error.cannot_remove_reviewer", users=", ".join(f"<@{u}>" for u in missing)
        ).at("reviewers")
    added = [u for u in data.reviewers if u not in current]
    require_outsiders(session, round_.kind, added)
    old_deadline = round_.deadline
    before = f"deadline {old_deadline:%Y-%m-%d %H:%M} UTC; reviewers {len(current)}"
    round_.deadline = data.deadline
    session.add(round_)
    for user_id in added:
        session.add(RoundReviewer(round_id=round_.id, user_id=user_id))
    store.audit(
        session,
        round_.id,
        at=now,
        actor=actor.user_id,
        action="round.edited",
        before=before,
        after=f"deadline {data.deadline:%Y-%m-%d %H:%M} UTC; reviewers {len(current) + len(added)}"
        + (f"; added {', '.join(f'<@{u}>' for u in added)}" if added else ""),
    )
    notices = []
    if round_.stage != RoundStage.SETUP.value:
        notices = [declaration_dm(round_, u) for u in added]
    if round_.stage == RoundStage.SCORING.value and data.deadline != old_deadline:
        notices += [  # the new deadline, to whoever still has scorecards to give
            scoring_dm(session, round_, user_id, now)
            for user_id, scored, assigned, _ in completion(session, round_)
            if scored < assigned
        ]
    name, count = round_.name, len(added)
    notices.append(
        Notice(
            channel=actor.user_id,
            kind="review_edited",
            render=lambda lang: blocks.edited(name, round_, count, lang),
        )
    )
    return Outcome(notices=notices)
