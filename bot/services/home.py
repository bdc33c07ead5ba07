"""The App Home tab (issue #8): what each person sees when they open Kiban's Home, by role.

* **member** (of a participating organization, not as a reviewer): their organizations' GPU-hours
  against plan this allocation period and the months not yet reported (the `/compute status`
  figures: `compute_outlook.outlooks`), open instructions to acknowledge
  (`storage.instructions.open_instructions`), their own evaluation submissions, their
  organizations' data introduction requests (`storage.data_requests.requests_for`) and the
  upcoming events they are invited to with their answer (`storage.events`, the `/event list`
  rule `events.invited`). Only the member's own organizations are ever read.
* **operator**: the secretariat's queues (evaluation submissions, introduction requests and
  compute change requests waiting for review, alerts not acknowledged, instructions open, the
  organizations missing last month's report: `compute.unreported`) and the review rounds not
  yet released, each with its next step.
* **reviewer** (anyone on a round's committee): their rounds not yet released, with their own
  subjects and scorecards only (`storage.reviews`), whether they still have to declare
  conflicts, and the deadline.

`home_view` makes no Slack call: `handlers/home.py` publishes what it returns. Counts the
storage modules have no query for are made here, read-only (`_count`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from bot.blocks import home as blocks
from bot.blocks.events import ListedEvent
from bot.blocks.reviews import ScoringItem, shown_stage
from bot.errors import UserError
from bot.services import compute, events, instructions, progress
from bot.services.compute_outlook import outlooks
from bot.services.members import Actor, own_orgs
from bot.settings import Settings
from bot.timeutil import month_start, months_between, previous_month
from storage import compute as compute_store
from storage import data_requests as request_store
from storage import events as event_store
from storage import reviews as review_store
from storage.alerts import AlertRecord
from storage.announcements import Announcement, AnnouncementStatus
from storage.change_requests import ChangeRequest, ChangeStatus
from storage.data_requests import DataRequest, RequestStatus
from storage.evals import EvalStatus, EvalSubmission
from storage.instructions import open_instructions
from storage.members import Organization
from storage.practices import Practice, PracticeStatus
from storage.reviews import RoundStage

LIST_MAX = 10  # rows fetched for a list of text lines (the view shows what fits, then a count)
BUTTONS_MAX = 100  # instructions fetched with a button each: more than a view could hold
ROUNDS_MAX = 20  # review rounds listed for the secretariat
ALERT_DAYS = 30  # an alert older than this no longer counts as waiting in the queue


def home_view(*, session: Session, actor: Actor, settings: Settings, now: datetime) -> dict:
    """The `home` view (a dict for `views.publish`) for `actor`, in `actor.lang`, as of `now`
    (aware): a section per role that applies, or how to be added for someone with none.
    At most 100 blocks however large the programme (`bot.blocks.home`)."""
    return blocks.build_home(
        home_data(session=session, actor=actor, settings=settings, now=now), actor.lang
    )


def home_data(
    *, session: Session, actor: Actor, settings: Settings, now: datetime
) -> blocks.HomeData:
    """What `home_view` shows, role by role (a role that does not apply is None)."""
    data = blocks.HomeData(now=now)
    try:
        orgs = own_orgs(actor)
    except UserError:  # in no organization as a member: no member section
        orgs = []
    if orgs:
        data.member = member_home(
            session=session, actor=actor, orgs=orgs, settings=settings, now=now
        )
    if actor.is_operator:
        data.operator = operator_home(session=session, settings=settings, now=now)
    rounds = [
        r
        for r in review_store.rounds_of_reviewer(session, actor.user_id)
        if r.stage != RoundStage.RELEASED.value
    ]
    if rounds:
        data.reviewer = blocks.ReviewerHome(
            rounds=[_reviewer_round(session, actor.user_id, r, now) for r in rounds]
        )
    return data


def acknowledge_instruction(
    *, session: Session, actor: Actor, instruction_id: int, now: datetime
) -> None:
    """Acknowledge an instruction from the Home tab: the same rule and record as the DM's
    button (`instructions.acknowledge`: a member of its organization or an operator; the first
    acknowledgement is kept). The notice that would update the clicked DM is not needed: the
    caller publishes the Home again. Raises UserError for anyone else."""
    instructions.acknowledge(
        session=session,
        actor=actor,
        instruction_id=instruction_id,
        channel="",
        ts="",
        blocks_shown=[],
        now=now,
    )


# --- member -----------------------------------------------------------------------------------


def member_home(
    *,
    session: Session,
    actor: Actor,
    orgs: list[Organization],
    settings: Settings,
    now: datetime,
) -> blocks.MemberHome:
    """The member section for `orgs` (the actor's own organizations; nothing else is read)."""
    org_ids = [org.id for org in orgs]
    names = {org.id: org.name for org in orgs}
    through = previous_month(now, settings.tz)
    today = now.astimezone(settings.tz).date()

    rows = open_instructions(session, org_ids)
    open_items = [
        blocks.InstructionItem(
            id=i.id, org_name=o.name, title=i.title, due=i.due_date, overdue=i.due_date < today
        )
        for i, o in rows[:BUTTONS_MAX]
    ]

    mine = (EvalSubmission.submitted_by == actor.user_id) & EvalSubmission.organization_id.in_(
        org_ids
    )
    submissions = session.exec(
        select(EvalSubmission).where(mine).order_by(EvalSubmission.id.desc()).limit(LIST_MAX)
    )
    evals = [
        blocks.EvalItem(
            org_name=names[s.organization_id],
            model=s.model_name,
            revision=s.model_revision,
            status=s.status,
            submitted=s.submitted_at.astimezone(settings.tz).strftime("%Y-%m-%d"),
        )
        for s in submissions
    ]
    requests = [
        blocks.RequestItem(
            id=r.id,
            org_name=names[r.organization_id],
            data_needed=r.data_needed,
            status=r.status,
            created=r.created_at.astimezone(settings.tz).strftime("%Y-%m-%d"),
        )
        for r in request_store.requests_for(session, org_ids, limit=LIST_MAX)
    ]
    upcoming = _upcoming_events(session, actor, now)
    return blocks.MemberHome(
        through=through,
        orgs=_compute(session, orgs, settings, now, through),
        instructions=open_items,
        instructions_total=len(rows),
        evals=evals,
        evals_total=_count(session, EvalSubmission, mine),
        requests=requests,
        requests_total=_count(session, DataRequest, DataRequest.organization_id.in_(org_ids)),
        events=[_listed(session, actor, event) for event in upcoming[:LIST_MAX]],
        events_total=len(upcoming),
    )


def _compute(
    session: Session, orgs: list[Organization], settings: Settings, now: datetime, through: str
) -> list[blocks.OrgCompute]:
    """Per organization, its allocations of this period (not ended before last month) with plan
    vs reported GPU-hours through `through` and the ended months not reported: the figures and
    the "not yet reported" rule of `/compute status`."""
    by_org: dict[int, list[blocks.AllocationLine]] = {org.id: [] for org in orgs}
    current_from = month_start(through)
    for outlook in outlooks(session=session, settings=settings, now=now, org_ids=list(by_org)):
        allocation = outlook.allocation
        if allocation.period_end < current_from:
            continue  # an earlier period, over before last month
        reports = compute_store.current_reports(session, allocation.id)
        ended = [
            m
            for m in months_between(allocation.period_start, allocation.period_end)
            if m <= through
        ]
        by_org[allocation.organization_id].append(
            blocks.AllocationLine(
                label=compute.allocation_label(allocation),
                granted=allocation.granted_gpu_hours,
                used=outlook.actual_to_date,
                planned_to_date=outlook.planned_to_date,
                status=outlook.status,
                runs_out=outlook.runs_out,
                missing_months=[m for m in ended if m not in reports],
            )
        )
    return [blocks.OrgCompute(name=org.name, allocations=by_org[org.id]) for org in orgs]


def _upcoming_events(session: Session, actor: Actor, now: datetime) -> list:
    """Events not yet ended and not cancelled that the actor is invited to, soonest first (the
    `/event list` rule)."""
    return [
        event
        for event in event_store.events_between(session, now - events.MAX_EVENT_LENGTH, None)
        if event.ends_at > now and events.invited(actor, event)
    ]


def _listed(session: Session, actor: Actor, event) -> ListedEvent:
    rsvp = event_store.get_rsvp(session, event.id, actor.user_id)
    place = None
    if rsvp is not None and rsvp.waitlisted:
        line = [r.user_id for r in event_store.waitlist(session, event.id)]
        place = line.index(actor.user_id) + 1 if actor.user_id in line else None
    return ListedEvent(
        view=events.event_view(session, event),
        zone=events.event_zone(event),
        answer=rsvp.answer if rsvp else None,
        waitlist_position=place,
        channel=None,
    )


# --- operator ---------------------------------------------------------------------------------


def operator_home(*, session: Session, settings: Settings, now: datetime) -> blocks.OperatorHome:
    """The secretariat's queues over every organization, and the rounds not yet released."""
    today = now.astimezone(settings.tz).date()
    month = previous_month(now, settings.tz)
    opened = open_instructions(session)
    rounds = [r for r in review_store.rounds(session) if r.stage != RoundStage.RELEASED.value]
    return blocks.OperatorHome(
        evals=_count(session, EvalSubmission, EvalSubmission.status == EvalStatus.SUBMITTED.value),
        data_requests=_count(
            session, DataRequest, DataRequest.status == RequestStatus.SUBMITTED.value
        ),
        change_requests=_count(
            session, ChangeRequest, ChangeRequest.status == ChangeStatus.OPEN.value
        ),
        alerts=_count(
            session,
            AlertRecord,
            AlertRecord.acknowledged_by.is_(None)
            & (AlertRecord.sent_at >= now - timedelta(days=ALERT_DAYS)),
        ),
        alert_days=ALERT_DAYS,
        instructions=len(opened),
        instructions_overdue=sum(1 for i, _ in opened if i.due_date < today),
        month=month,
        unreported=[org.name for org, _ in compute.unreported(session, month)],
        rounds=[_round_status(session, r, now) for r in rounds[:ROUNDS_MAX]],
        rounds_total=len(rounds),
        progress_missing=len(progress.missing_reports(session, month)),
        practices=_count(session, Practice, Practice.status == PracticeStatus.PENDING.value),
        announcements=_count(
            session,
            Announcement,
            Announcement.status == AnnouncementStatus.AWAITING_APPROVAL.value,
        ),
    )


def _round_status(session: Session, round_, now: datetime) -> blocks.RoundStatus:
    """A round's next step for the secretariat, by stage."""
    stage = shown_stage(round_, now)
    subjects = review_store.subjects(session, round_.id)
    if stage == RoundStage.SETUP.value:
        return blocks.RoundStatus(round_, stage, "setup", {"subjects": len(subjects)})
    if stage == RoundStage.CONFLICTS.value:
        reviewers = review_store.reviewers(session, round_.id)
        left = sum(1 for r in reviewers if r.declared_at is None)
        if left:
            return blocks.RoundStatus(
                round_, stage, "conflicts_waiting", {"left": left, "reviewers": len(reviewers)}
            )
        return blocks.RoundStatus(round_, stage, "conflicts_ready")
    if stage == RoundStage.SCORING.value:
        # `review_scoring.completion`'s totals in two queries: scorecards that count (their
        # assignment in force) of assignments in force
        scored = len(review_store.scorecards(session, round_.id))
        assigned = len(review_store.assignments(session, round_.id))
        return blocks.RoundStatus(
            round_, stage, "scoring", {"scored": scored, "assigned": assigned}
        )
    decided = sum(1 for s in subjects if s.decision)
    action = "release" if subjects and decided == len(subjects) else "closed"
    return blocks.RoundStatus(
        round_, stage, action, {"decided": decided, "subjects": len(subjects)}
    )


# --- reviewer ---------------------------------------------------------------------------------


def _reviewer_round(session: Session, user_id: str, round_, now: datetime) -> blocks.ReviewerRound:
    """The reviewer's own view of a round: their declaration, their assignments in force and
    whether each is scored (never anyone else's)."""
    me = review_store.reviewer(session, round_.id, user_id)
    subjects = {s.id: s for s in review_store.subjects(session, round_.id)}
    scored = {
        c.subject_id for c in review_store.scorecards(session, round_.id) if c.user_id == user_id
    }
    items = [
        ScoringItem(subject=subjects[a.subject_id], scored=a.subject_id in scored)
        for a in review_store.assignments(session, round_.id, user_id=user_id)
    ]
    items.sort(key=lambda i: i.scored)  # what is left to score first
    return blocks.ReviewerRound(
        round_=round_,
        stage=shown_stage(round_, now),
        locked=now >= round_.deadline,
        declared=me is not None and me.declared_at is not None,
        items=items,
    )


# --- counts -----------------------------------------------------------------------------------


def _count(session: Session, model, condition) -> int:
    """Rows of `model` matching `condition` (one COUNT query)."""
    return session.exec(select(func.count()).select_from(model).where(condition)).one()
