"""Aggregation, decisions and release (issue #7), for operators, after the deadline.

`/review results N [z]`: the ranking (rules in `review_aggregation`), ephemeral with a
**Decide** button per subject, and as a CSV file in the operator's DM. Reviewers appear as
R1, R2, … (their order in the round); the chair's confidential notes are shown to the chair only.
A decision (adopt / conditional / reject, with a note) is one audited change; deciding again
before release records before → after. **Release** sends each decided subject its result once:
a DM to the applicant's Slack contact (end-of-term: the organization's leads), or, for an
external contact, a ready-to-send text in Japanese and English for the operator.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from bot.blocks import reviews as blocks
from bot.blocks.common import escape
from bot.clients.slack import Notice
from bot.render.review_export import (
    aggregation_rows,
    export_round,
    ranking_csv,
    reviewer_labels,
)
from bot.services.members import Actor, user_error
from bot.services.reviews import Outcome, advance, leads_of, locked, operator_round
from storage import reviews as store
from storage.reviews import Recommendation, ReviewRound, ReviewSubject, RoundStage


def _closed_round(session: Session, actor: Actor, ref: str | int, now: datetime) -> ReviewRound:
    round_ = operator_round(session, actor, ref)
    if round_.stage in (RoundStage.SETUP.value, RoundStage.CONFLICTS.value):
        raise user_error("review.error.not_assigned_yet", id=round_.id)
    if not locked(round_, now):
        raise user_error("review.error.not_closed", round=escape(round_.name))
    return round_


def results(*, session: Session, actor: Actor, ref: str, normalise: bool, now: datetime) -> Outcome:
    """The ranking for operators once scoring has closed. Raises UserError before the
    deadline (scores could still change) or before the assignment."""
    round_ = _closed_round(session, actor, ref, now)
    ranked = aggregation_rows(session, round_, normalise=normalise)
    labels = reviewer_labels(session, round_.id)
    subjects = {s.id: s for s in store.subjects(session, round_.id)}
    notes = []
    if actor.user_id == round_.chair:
        notes = [
            (subjects[c.subject_id].name, labels.get(c.user_id, "?"), c.chair_note)
            for c in store.scorecards(session, round_.id)
            if c.chair_note
        ]
    csv_name = f"review-{round_.id}-ranking.csv"
    decisions = {s.id: s.decision for s in subjects.values()}

    def answer(lang: str):
        return blocks.results(round_, ranked, subjects, labels, notes, lang, normalise=normalise)

    return Outcome(
        answer=answer,
        notices=[
            Notice(
                channel=actor.user_id,
                kind="review_ranking_csv",
                files=[(csv_name, ranking_csv(ranked, round_, actor.lang, decisions))],
                render=lambda lang: blocks.ranking_file_comment(round_.name, lang),
            )
        ],
    )


def decision_form(
    *, session: Session, actor: Actor, subject_id: int, now: datetime
) -> tuple[ReviewRound, ReviewSubject]:
    subject = store.get_subject(session, subject_id)
    if subject is None:
        raise user_error("review.error.no_subject")
    round_ = _closed_round(session, actor, subject.round_id, now)
    if subject.released_at is not None:
        raise user_error("review.error.already_released", subject=escape(subject.name))
    return round_, subject


def decide(
    *,
    session: Session,
    actor: Actor,
    subject_id: int,
    decision: str,
    note: str,
    seen: str | None,
    now: datetime,
) -> Outcome:
    """Record the decision (the answer replaces the modal). `seen` is the decision the operator's modal showed: if another
    operator decided meanwhile, the change is refused and says who (one conditional UPDATE).
    Raises UserError: released already, a conditional adoption without its conditions."""
    round_, subject = decision_form(session=session, actor=actor, subject_id=subject_id, now=now)
    Recommendation(decision)  # a forged value raises ValueError → guarded
    if decision == Recommendation.CONDITIONAL.value and not note:
        raise user_error("review.error.conditions_needed").at("note")
    before = f"{subject.decision or '-'}: {subject.decision_note}" if subject.decision else ""
    result = session.exec(
        update(ReviewSubject)
        .where(ReviewSubject.id == subject.id, _same(ReviewSubject.decision, seen))
        .where(ReviewSubject.released_at.is_(None))
        .values(decision=decision, decision_note=note, decided_by=actor.user_id, decided_at=now)
    )
    session.refresh(subject)
    if result.rowcount != 1:
        raise user_error("review.error.decided_meanwhile", user=subject.decided_by or "?").at(
            "decision"
        )
    store.audit(
        session,
        round_.id,
        at=now,
        actor=actor.user_id,
        action="decision.recorded",
        subject_id=subject.id,
        before=before,
        after=f"{decision}: {note}",
    )
    name = subject.name
    # shown in place of the modal: 40 decisions in a row are not 40 DMs
    return Outcome(answer=lambda lang: blocks.decided(name, decision, lang))


def _same(column, value: str | None):
    return column.is_(None) if value is None else column == value


def release(*, session: Session, actor: Actor, ref: str, now: datetime) -> Outcome:
    """Send every decided, unreleased subject its result: a DM to each Slack recipient (notice
    `ref` "review-subject:<id>"; `unrelease` undoes the subjects whose every DM Slack refused),
    and a ready-to-send email text for an external contact. A subject with no recipient at all
    is not released (named in the answer, to be sent another way or given a contact). Raises
    UserError when nothing is decided and unreleased (or everything decided already went).
    Undecided subjects stay for a later release; the round is `released` once all went."""
    round_ = _closed_round(session, actor, ref, now)
    subjects = store.subjects(session, round_.id)
    due = [s for s in subjects if s.decision and s.released_at is None]
    if not due:
        key = "nothing_to_release"
        if any(s.released_at for s in subjects):
            key = "all_released"
        raise user_error(f"review.error.{key}", round=escape(round_.name))
    notices: list[Notice] = []
    external: list[ReviewSubject] = []
    unreachable: list[str] = []
    released: list[str] = []
    for subject in due:
        recipients = _recipients(session, subject)
        email = subject.contact_email if not subject.organization_id else None
        if not recipients and not email:
            unreachable.append(subject.name)
            continue
        claimed = session.exec(
            update(ReviewSubject)
            .where(ReviewSubject.id == subject.id, ReviewSubject.released_at.is_(None))
            .values(released_at=now)
        )
        if claimed.rowcount != 1:
            continue
        session.refresh(subject)
        released.append(subject.name)
        store.audit(
            session,
            round_.id,
            at=now,
            actor=actor.user_id,
            action="result.released",
            subject_id=subject.id,
            after=subject.decision,
        )
        notices += [
            Notice(
                channel=user_id,
                kind="review_result",
                ref=f"review-subject:{subject.id}",
                report_failure=False,  # the operator is told, in their answer
                render=lambda lang, s=subject: blocks.result_notice(round_, s, lang),
            )
            for user_id in recipients
        ]
        if email:
            external.append(subject)
    left = [s.name for s in subjects if s.released_at is None and s.name not in released]
    if not left and advance(session, round_, RoundStage.SCORING.value, RoundStage.RELEASED.value):
        round_.released_at = now
        session.add(round_)
    undecided = [s.name for s in subjects if not s.decision]
    outcome = Outcome(notices=notices)
    # rendered after the delivery: a subject whose every DM Slack refused is not "released"
    outcome.answer = lambda lang: blocks.released(
        round_,
        [n for n in released if n not in outcome.refused],
        external,
        unreachable,
        undecided,
        outcome.refused,
        lang,
    )
    return outcome


def _recipients(session: Session, subject: ReviewSubject) -> list[str]:
    """Who gets a subject's result in Slack: an organization's leads, or the applicant's
    contact."""
    if subject.organization_id:
        return leads_of(session, subject.organization_id)
    return [subject.contact_user] if subject.contact_user else []


def refused_subjects(notices: list[Notice], failures: list) -> list[int]:
    """The subjects of a release whose every result DM Slack refused (`failures` from the
    delivery of `notices`, refs "review-subject:<id>")."""
    failed = {id(f.notice) for f in failures}
    delivered = {n.ref for n in notices if id(n) not in failed}
    refused = {f.notice.ref for f in failures if f.notice.ref} - delivered
    return sorted(int(ref.split(":")[1]) for ref in refused)


def unrelease(
    *, session: Session, actor: Actor, subject_ids: list[int], now: datetime
) -> list[str]:
    """Mark as not released the subjects none of whose result DMs Slack accepted (the user
    left, a wrong id), audited; returns their names, for the operator, who can release again
    once the contact is fixed."""
    names = []
    for subject_id in subject_ids:
        subject = store.get_subject(session, subject_id)
        if subject is None or subject.released_at is None:
            continue
        subject.released_at = None
        session.add(subject)
        store.audit(
            session,
            subject.round_id,
            at=now,
            actor=actor.user_id,
            action="result.release_failed",
            subject_id=subject.id,
            before=subject.decision or "",
        )
        round_ = session.get(ReviewRound, subject.round_id)
        if round_.stage == RoundStage.RELEASED.value:
            advance(session, round_, RoundStage.RELEASED.value, RoundStage.SCORING.value)
        names.append(subject.name)
    return names


def export(*, session: Session, actor: Actor, ref: str, now: datetime) -> Outcome:
    """`/review export N` (operators): the files of `kiban export review` (scores, aggregation,
    decisions and audit log as CSV, Markdown minutes) in the operator's DM, at any stage; the
    notes to the chair only in the chair's own export."""
    round_ = operator_round(session, actor, ref)
    files = export_round(session, round_.id, actor.lang, chair_notes=actor.user_id == round_.chair)
    name = round_.name
    return Outcome(
        notices=[
            Notice(
                channel=actor.user_id,
                kind="review_export",
                files=files,
                render=lambda lang: blocks.export_comment(name, lang),
            )
        ]
    )
