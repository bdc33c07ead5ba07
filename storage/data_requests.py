"""Data-introduction requests and the introductions they lead to.

A request (`DataRequest`) moves through `RequestStatus`:

    submitted ──approve──▶ approved          (one Introduction per holder to approach)
    submitted ──decline──▶ declined          (reason sent to the requester)
    submitted ──ask──────▶ needs_details ──resubmit──▶ submitted
    needs_details ──approve / decline / ask again──▶ (as from submitted: the requester may
                                                     never answer, and operators can close it)

An introduction (`Introduction`) is the double opt-in with one holder, then the pipeline:

    answer: pending ──▶ accepted | declined | not_now        (the contact's answer)
            pending ──▶ ignored  (no answer within the answer window; a late answer still counts)
            pending ──▶ undelivered (Slack refused the ask; not the holder's silence)
    stage (after accepted): introduced ─▶ met ─▶ nda_signed ─▶ trial ─▶ contract
                            any open stage ─▶ no_fit          (forward only; skipping allowed)

Every transition is one conditional UPDATE on the expected current state, so two operators
(or two clicks) acting at once produce exactly one transition; the loser gets False. Rows are
never deleted: they are the pipeline's history.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint, update
from sqlmodel import Field, Session, SQLModel, select

from storage.data_holders import CodeLists
from storage.db import UTCDateTime, insert_once

TEXT_MAX = 3000
REASON_MAX = 1000


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    NEEDS_DETAILS = "needs_details"
    APPROVED = "approved"
    DECLINED = "declined"


class Answer(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NOT_NOW = "not_now"
    IGNORED = "ignored"
    UNDELIVERED = "undelivered"  # Slack refused the ask (e.g. the contact left the workspace)


class Stage(StrEnum):
    INTRODUCED = "introduced"
    MET = "met"
    NDA_SIGNED = "nda_signed"
    TRIAL = "trial"
    CONTRACT = "contract"
    NO_FIT = "no_fit"


STAGE_ORDER = [Stage.INTRODUCED, Stage.MET, Stage.NDA_SIGNED, Stage.TRIAL, Stage.CONTRACT]
FINAL_STAGES = {Stage.CONTRACT, Stage.NO_FIT}
REVIEWABLE = (RequestStatus.SUBMITTED.value, RequestStatus.NEEDS_DETAILS.value)
ANSWERABLE = (Answer.PENDING.value, Answer.IGNORED.value)  # a late answer still counts


def stage_allowed(current: str | None, new: Stage) -> bool:
    """Whether an introduction at `current` may move to `new`: forward along STAGE_ORDER
    (skipping allowed), or to no_fit from any open stage; never back, never out of a final
    stage, never before the introduction (`current` None)."""
    if current is None or Stage(current) in FINAL_STAGES:
        return False
    if new == Stage.NO_FIT:
        return True
    return STAGE_ORDER.index(new) > STAGE_ORDER.index(Stage(current))


class DataRequest(CodeLists, SQLModel, table=True):
    """A developer organization's request to be introduced to data.

    Lists are JSON arrays of vocabulary codes; `size_value`/`size_unit` parsed from
    `size_text` (None when not given). `needed_by` is a programme (JST) calendar date.
    `source_ref` (the modal's view id) is unique, so a retried submission stores one row.
    `last_activity_at` is the last transition (for idle reminders); `reminded_at` the last
    idle reminder sent to the operators.
    """

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    requested_by: str = Field(max_length=32)
    data_needed: str = Field(max_length=TEXT_MAX)
    purpose: str = Field(max_length=TEXT_MAX)
    domains_json: str = Field(default="[]", max_length=1000)
    modalities_json: str = Field(default="[]", max_length=500)
    languages_json: str = Field(default="[]", max_length=500)
    size_text: str = Field(default="", max_length=100)
    size_value: float | None = None
    size_unit: str | None = Field(default=None, max_length=16)
    preferred_holder_id: int | None = Field(default=None, foreign_key="dataholder.id")
    needed_by: date | None = None
    status: str = Field(default=RequestStatus.SUBMITTED.value, max_length=16, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_activity_at: datetime = Field(sa_type=UTCDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    source_ref: str | None = Field(default=None, max_length=64, unique=True)
    decided_by: str | None = Field(default=None, max_length=32)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reason: str | None = Field(default=None, max_length=REASON_MAX)  # decline reason / question
    revision: int = 1  # bumped by each resubmission after "ask for details"


class Introduction(SQLModel, table=True):
    """One approached holder for one approved request: the contact's answer, then the stage.

    `contact_user`/`contact_email` are copied from the holder when approached, so the history
    names who was asked even if the directory changes.
    """

    __table_args__ = (UniqueConstraint("request_id", "holder_id", name="uq_intro_holder"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="datarequest.id", index=True)
    holder_id: int = Field(foreign_key="dataholder.id", index=True)
    contact_user: str | None = Field(default=None, max_length=32)
    contact_email: str | None = Field(default=None, max_length=254)
    approved_by: str = Field(max_length=32)
    asked_at: datetime = Field(sa_type=UTCDateTime)
    answer: str = Field(default=Answer.PENDING.value, max_length=16, index=True)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_by: str | None = Field(default=None, max_length=32)
    answer_reason: str | None = Field(default=None, max_length=REASON_MAX)
    stage: str | None = Field(default=None, max_length=16, index=True)
    reached: str | None = Field(default=None, max_length=16)  # furthest of STAGE_ORDER reached
    stage_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    stage_by: str | None = Field(default=None, max_length=32)
    followup_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- requests -------------------------------------------------------------------------------


def add_request(session: Session, request: DataRequest) -> DataRequest | None:
    """Insert `request` (flushed, id set); None when its `source_ref` was stored before."""
    return insert_once(session, request)


def get_request(session: Session, request_id: int) -> DataRequest | None:
    return session.get(DataRequest, request_id)


def move_request(
    session: Session,
    request_id: int,
    *,
    expect: RequestStatus | tuple[RequestStatus, ...],
    to: RequestStatus,
    **values,
) -> bool:
    """Move a request from `expect` (one status or several) to `to`, setting `values` too.
    True for the one caller that did it; False when it was not in `expect` any more. The row
    is refreshed."""
    expected = [s.value for s in (expect if isinstance(expect, tuple) else (expect,))]
    result = session.execute(
        update(DataRequest)
        .where(DataRequest.id == request_id, DataRequest.status.in_(expected))
        .values(status=to.value, **values)
    )
    _refresh(session, DataRequest, request_id)
    return result.rowcount == 1


def requests_for(
    session: Session, org_ids: list[int] | None, *, limit: int = 20
) -> list[DataRequest]:
    """Newest first; every organization's when `org_ids` is None."""
    query = select(DataRequest).order_by(DataRequest.id.desc()).limit(limit)
    if org_ids is not None:
        query = query.where(DataRequest.organization_id.in_(org_ids))
    return list(session.exec(query))


def idle_requests(session: Session, *, before: datetime) -> list[DataRequest]:
    """Open requests (waiting for review, or for details the operators asked for) with no
    activity since `before` and no reminder since then either."""
    query = select(DataRequest).where(
        DataRequest.status.in_(REVIEWABLE),
        DataRequest.last_activity_at < before,
        (DataRequest.reminded_at.is_(None)) | (DataRequest.reminded_at < before),
    )
    return list(session.exec(query.order_by(DataRequest.id)))


def all_requests(session: Session) -> list[DataRequest]:
    return list(session.exec(select(DataRequest).order_by(DataRequest.id)))


# --- introductions --------------------------------------------------------------------------


def add_introduction(session: Session, intro: Introduction) -> Introduction:
    session.add(intro)
    session.flush()
    return intro


def get_introduction(session: Session, intro_id: int) -> Introduction | None:
    return session.get(Introduction, intro_id)


def introductions_of(session: Session, request_id: int) -> list[Introduction]:
    query = select(Introduction).where(Introduction.request_id == request_id)
    return list(session.exec(query.order_by(Introduction.id)))


def all_introductions(session: Session) -> list[Introduction]:
    return list(session.exec(select(Introduction).order_by(Introduction.id)))


def record_answer(
    session: Session, intro_id: int, *, answer: Answer, user_id: str, reason: str | None, now
) -> bool:
    """The contact's answer, once: from pending (or ignored: a late answer counts). An accept
    also starts the pipeline at `introduced`. True for the one caller that recorded it."""
    values = dict(answer=answer.value, answered_at=now, answered_by=user_id, answer_reason=reason)
    if answer == Answer.ACCEPTED:
        values.update(
            stage=Stage.INTRODUCED.value,
            reached=Stage.INTRODUCED.value,
            stage_at=now,
            stage_by=user_id,
        )
    result = session.execute(
        update(Introduction)
        .where(Introduction.id == intro_id, Introduction.answer.in_(ANSWERABLE))
        .values(**values)
    )
    _refresh(session, Introduction, intro_id)
    return result.rowcount == 1


def close_pending(session: Session, intro_id: int, *, answer: Answer, now: datetime) -> bool:
    """Pending → `answer` without the contact: `ignored` (the answer window passed) or
    `undelivered` (Slack refused the ask). True for the one caller that did it."""
    result = session.execute(
        update(Introduction)
        .where(Introduction.id == intro_id, Introduction.answer == Answer.PENDING.value)
        .values(answer=answer.value, answered_at=now)
    )
    _refresh(session, Introduction, intro_id)
    return result.rowcount == 1


def move_stage(
    session: Session, intro_id: int, *, expect: str, to: Stage, user_id: str, now
) -> bool:
    """Move the pipeline stage from `expect` to `to` (the caller checked `stage_allowed`);
    `reached` follows forward moves and stays where it was on `no_fit`, so the funnel counts
    what an introduction went through. True for the one caller that did it."""
    result = session.execute(
        update(Introduction)
        .where(Introduction.id == intro_id, Introduction.stage == expect)
        .values(
            stage=to.value,
            stage_at=now,
            stage_by=user_id,
            **({} if to == Stage.NO_FIT else {"reached": to.value}),
        )
    )
    _refresh(session, Introduction, intro_id)
    return result.rowcount == 1


def pending_introductions(session: Session, *, asked_before: datetime) -> list[Introduction]:
    query = select(Introduction).where(
        Introduction.answer == Answer.PENDING.value, Introduction.asked_at < asked_before
    )
    return list(session.exec(query.order_by(Introduction.id)))


def due_followups(session: Session, *, introduced_before: datetime) -> list[Introduction]:
    """Accepted introductions made before `introduced_before` with no follow-up sent yet and
    no final stage."""
    query = select(Introduction).where(
        Introduction.answer == Answer.ACCEPTED.value,
        Introduction.answered_at < introduced_before,
        Introduction.followup_sent_at.is_(None),
        Introduction.stage.not_in([s.value for s in FINAL_STAGES]),
    )
    return list(session.exec(query.order_by(Introduction.id)))


def claim_followup(session: Session, intro_id: int, *, now: datetime) -> bool:
    """Mark the follow-up sent, once (two replicas send one)."""
    result = session.execute(
        update(Introduction)
        .where(Introduction.id == intro_id, Introduction.followup_sent_at.is_(None))
        .values(followup_sent_at=now)
    )
    return result.rowcount == 1


def _refresh(session: Session, model, row_id: int) -> None:
    row = session.get(model, row_id)
    if row is not None:
        session.refresh(row)
