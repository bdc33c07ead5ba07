"""Scheduled messages: the monthly usage-report reminder and the weekly digests.

All are computed for a given `now` (aware); months are `YYYY-MM` in the programme's zone (JST),
amounts GPU-hours; "the week" is the seven days up to `now`. One job
(`jobs.compute.run_weekly_digest`, Mondays 09:00 JST, claimed once per ISO week) posts:

* the shared digest (`weekly_digest`, the digest channel, in the programme's default
  language), composed of sections, each left out when it has nothing to say:
  compute (with `DIGEST_VISIBILITY=figures`, each organization's GPU-hours this month against
  plan and who has not reported last month; with `status`, only whether each organization
  reported last month), evaluation results published in the week (published results only;
  with `status` only how many), data introductions of the week (counts only: never who asked
  or which holder), events in the next two weeks and those of the last seven days (events
  restricted to invited organizations are only counted), and trend items collected in the
  week (title as a link, by theme). When every section is empty it says "a quiet week" once,
  so the channel still hears from Kiban that week. Never notes, contacts or names of
  requesters or holders.
* the operator digest (the operator channel), in two posts. First the compute figures per
  organization and allocation through the last ended month (plan to date, actual, variance,
  forecast, status, normalised GPU-hours where configured) as the comment of one burn-up
  chart per organization (read in the job's transaction, `operator_digest_input`; charts
  drawn after it commits, `operator_digest`, since drawing takes a while and must not hold
  the database). Then, when there is any, the programme's activity (`Activity`): alerts not
  acknowledged in the last `ALERT_DAYS` days, change requests waiting for a decision, review
  rounds in progress (stage, scorecards done of assigned, deadline), evaluation results of
  the week with the review queue, introductions of the week with the whole funnel
  (`bot.services.data_pipeline`), every event (with its invited organizations and survey),
  trend items.

A digest longer than Slack's 50 blocks per message is a notice with `parts`: the outbox posts
its first message in the channel and the rest as replies in that message's thread.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.blocks import digests as blocks
from bot.blocks.common import Message
from bot.blocks.reviews import shown_stage
from bot.clients.slack import Notice
from bot.render.rows import AllocationSeries
from bot.services import (
    change_requests,
    compute,
    compute_export,
    data_pipeline,
    eval_leaderboard,
    events,
    progress,
)
from bot.services.review_scoring import completion
from bot.settings import Settings
from bot.timeutil import month_of, previous_month
from storage import data_requests as request_store
from storage import events as event_store
from storage import members as member_store
from storage import reviews as review_store
from storage import trends as trend_store
from storage.alerts import AlertRecord
from storage.change_requests import ChangeRequest, ChangeStatus
from storage.compute import ComputeAllocation
from storage.data_requests import Answer, Stage
from storage.evals import EvalStatus, EvalSubmission
from storage.events import RsvpAnswer
from storage.reviews import RoundStage

log = logging.getLogger(__name__)

WEEK = timedelta(days=7)
UPCOMING = timedelta(days=14)  # events in the next two weeks
ALERT_DAYS = 30  # unacknowledged alerts older than this are no longer listed
PROGRESSED = (Stage.MET.value, Stage.NDA_SIGNED.value, Stage.TRIAL.value, Stage.CONTRACT.value)


def monthly_reminders(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """DMs to the leads of every organization that has not reported last month, per allocation.

    An organization with no lead registered is named in the operator channel instead, so the
    reminder is not silently lost.
    """
    month = previous_month(now, settings.tz)
    notices = []
    orphans = []
    for org, allocations in compute.unreported(session, month):
        labels = [compute.allocation_label(a) for a in allocations]
        leads = compute.lead_ids(session, org)
        if not leads:
            orphans.append((org.name, labels))
        for lead in leads:
            notices.append(
                Notice(
                    channel=lead,
                    render=lambda lang, org=org, labels=labels: blocks.build_reminder(
                        org.name, month, labels, lang
                    ),
                    kind="reminder",
                    quiet_hours=True,
                )
            )
    if orphans and settings.operator_channel:
        for name, labels in orphans:
            notices.append(
                Notice(
                    channel=settings.operator_channel,
                    render=lambda lang, name=name, labels=labels: blocks.build_reminder(
                        name, month, labels, lang
                    ),
                    lang=settings.default_language,
                    kind="reminder_no_lead",
                )
            )
    return notices


def _digest_notice(
    channel: str, lang: str, kind: str, parts: Callable[[str], list[Message]]
) -> Notice:
    """A digest that may take several messages: the first for the channel, the others in its
    thread (`Notice.parts`, queued by `bot.services.outbox`)."""
    return Notice(
        channel=channel, render=lambda lang: parts(lang)[0], lang=lang, kind=kind, parts=parts
    )


def weekly_digest(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """The shared weekly digest for the digest channel ([] when no digest channel is
    configured), in the programme's default language: one notice with `parts` (module docstring
    for its sections; what it shows of each organization follows
    `settings.digest_visibility`)."""
    if not settings.digest_channel:
        return []
    as_of = now.astimezone(settings.tz).strftime("%Y-%m-%d")
    status = settings.digest_visibility == "status"
    data = blocks.CommunityDigest(
        as_of=as_of,
        compute=(
            _compute_status(session, settings, now, as_of)
            if status
            else _compute_figures(session, settings, now, as_of)
        ),
        activity=_activity(session, settings, now, operator=False, count_evals_only=status),
    )
    return [
        _digest_notice(
            settings.digest_channel,
            settings.default_language,
            "digest",
            lambda lang: blocks.build_community_digest(data, lang),
        )
    ]


def _compute_figures(
    session: Session, settings: Settings, now: datetime, as_of: str
) -> blocks.ComputeFigures:
    """Each organization's GPU-hours this month against plan, and who has not reported last
    month (naming the allocations)."""
    lines = []
    for org in member_store.list_orgs(session):
        totals = compute.month_totals(session, org, month_of(now, settings.tz))
        if totals is not None:
            lines.append(blocks.DigestLine(org_name=org.name, used=totals[0], planned=totals[1]))
    last_month = previous_month(now, settings.tz)
    missing = [
        f"{org.name} ({', '.join(compute.allocation_label(a) for a in allocations)})"
        for org, allocations in compute.unreported(session, last_month)
    ]
    return blocks.ComputeFigures(
        month=month_of(now, settings.tz),
        as_of=as_of,
        lines=lines,
        last_month=last_month,
        missing=missing,
    )


def _compute_status(
    session: Session, settings: Settings, now: datetime, as_of: str
) -> blocks.ComputeStatus:
    """Each organization with an allocation active last month, reported or not (naming the
    allocations not reported); no figures."""
    last_month = previous_month(now, settings.tz)
    missing = {
        org.id: [compute.allocation_label(a) for a in allocations]
        for org, allocations in compute.unreported(session, last_month)
    }
    statuses = [
        blocks.ReportingStatus(org_name=org.name, missing=missing.get(org.id, []))
        for org in member_store.list_orgs(session)
        # month_totals is None exactly when no allocation of the organization was active
        if org.id in missing or compute.month_totals(session, org, last_month) is not None
    ]
    return blocks.ComputeStatus(month=last_month, as_of=as_of, statuses=statuses)


# --- the other domains ------------------------------------------------------------------------


def _activity(
    session: Session,
    settings: Settings,
    now: datetime,
    *,
    operator: bool,
    count_evals_only: bool = False,
) -> blocks.Activity:
    """What the digest shows beyond compute, read at `now`. The community's (`operator`
    False): published results, introduction counts, events open to every organization (the
    others counted), trends. The operators' adds everything else (module docstring)."""
    since = now - WEEK
    upcoming, upcoming_restricted = _upcoming(session, settings, now, operator=operator)
    past, past_restricted = _past(session, settings, now, operator=operator)
    activity = blocks.Activity(
        evals=eval_leaderboard.digest_lines(
            session=session, since=since, until=now, tz=settings.tz
        ),
        evals_count_only=count_evals_only and not operator,
        intros=_intro_counts(session, since, now),
        upcoming=upcoming,
        upcoming_restricted=upcoming_restricted,
        past=past,
        past_restricted=past_restricted,
        trends=[
            blocks.TrendLine(title=item.title, url=item.original_url or item.url, theme=item.theme)
            for item in trend_store.items_between(session, since, now)
        ],
        results=[
            blocks.SharedResult(org_name=name, month=month, text=text)
            for name, month, text in progress.disseminated_between(session, since, now)
        ],
    )
    if not operator:
        return activity
    total = data_pipeline.pipeline(session, settings).total
    return replace(
        activity,
        eval_queue=_eval_queue(session, settings),
        funnel=total if total.steps["requests"] else None,
        alerts=_open_alerts(session, settings, now),
        alert_days=ALERT_DAYS,
        changes=_open_changes(session, settings),
        reviews=_rounds_in_progress(session, now),
    )


def _intro_counts(session: Session, since: datetime, until: datetime) -> blocks.IntroCounts:
    """Requests made, introductions accepted, introductions that reached a later stage (met,
    NDA, trial, contract) in [since, until). Counts only."""

    def within(moment: datetime | None) -> bool:
        return moment is not None and since <= moment < until

    intros = request_store.all_introductions(session)
    return blocks.IntroCounts(
        requests=sum(within(r.created_at) for r in request_store.all_requests(session)),
        accepted=sum(i.answer == Answer.ACCEPTED.value and within(i.answered_at) for i in intros),
        progressed=sum(i.stage in PROGRESSED and within(i.stage_at) for i in intros),
    )


def _upcoming(
    session: Session, settings: Settings, now: datetime, *, operator: bool
) -> tuple[list[blocks.DigestEvent], int]:
    """Events (not cancelled) starting in the next two weeks, soonest first, and how many were
    left out as restricted to invited organizations (the community's digest only)."""
    names = {org.id: org.name for org in member_store.list_orgs(session)}
    shown, restricted = [], 0
    for event in event_store.events_between(session, now, now + UPCOMING):
        invited = event.invited_org_ids
        if invited and not operator:
            restricted += 1
            continue
        shown.append(
            blocks.DigestEvent(
                view=events.event_view(session, event),
                zone=events.event_zone(event),
                invited=tuple(names[i] for i in invited if i in names) if operator else (),
            )
        )
    return shown, restricted


def _past(
    session: Session, settings: Settings, now: datetime, *, operator: bool
) -> tuple[list[blocks.PastEvent], int]:
    """Events (not cancelled) that started in the last seven days with their participation:
    confirmed `going` answers (not waitlisted) and check-ins, as `/event stats` counts them;
    for operators the survey's answers and mean rating."""
    shown, restricted = [], 0
    for event in event_store.events_between(session, now - WEEK, now):
        if event.invited_org_ids and not operator:
            restricted += 1
            continue
        answers = event_store.rsvps(session, event.id)
        ratings = [s.rating for s in event_store.surveys(session, event.id)] if operator else []
        shown.append(
            blocks.PastEvent(
                title=event.title,
                day=event.starts_at.astimezone(settings.tz).strftime("%Y-%m-%d"),
                went=sum(r.answer == RsvpAnswer.GOING.value and not r.waitlisted for r in answers),
                checked_in=sum(r.checked_in_at is not None for r in answers),
                surveys=len(ratings),
                mean_rating=sum(ratings) / len(ratings) if ratings else None,
            )
        )
    return shown, restricted


def _eval_queue(session: Session, settings: Settings) -> blocks.EvalQueue:
    """Submissions waiting for a decision (the oldest's date) and approved ones waiting for
    their publication time."""
    waiting = list(
        session.exec(
            select(EvalSubmission)
            .where(EvalSubmission.status == EvalStatus.SUBMITTED.value)
            .order_by(EvalSubmission.submitted_at, EvalSubmission.id)
        )
    )
    embargoed = session.exec(
        select(EvalSubmission.id).where(EvalSubmission.status == EvalStatus.APPROVED.value)
    ).all()
    oldest = (
        waiting[0].submitted_at.astimezone(settings.tz).strftime("%Y-%m-%d") if waiting else None
    )
    return blocks.EvalQueue(waiting=len(waiting), oldest=oldest, embargoed=len(embargoed))


def _open_alerts(session: Session, settings: Settings, now: datetime) -> list[blocks.OpenAlert]:
    """Alerts sent in the last `ALERT_DAYS` days and not acknowledged, one per organization,
    allocation and kind (highest level, latest date, how many), in organization-code order."""
    records = session.exec(
        select(AlertRecord).where(
            AlertRecord.acknowledged_at.is_(None),
            AlertRecord.sent_at >= now - timedelta(days=ALERT_DAYS),
        )
    ).all()
    groups: dict[tuple, list[AlertRecord]] = defaultdict(list)
    for record in records:
        groups[(record.organization_id, record.allocation_id, record.kind)].append(record)
    orgs = {org.id: org for org in member_store.list_orgs(session)}
    alerts = []
    for (org_id, allocation_id, kind), group in groups.items():
        org = orgs.get(org_id)
        allocation = session.get(ComputeAllocation, allocation_id) if allocation_id else None
        latest = max(r.sent_at for r in group)
        alerts.append(
            (
                (org.code if org else "", kind, allocation_id or 0),
                blocks.OpenAlert(
                    org_name=org.name if org else "—",
                    allocation=compute.allocation_label(allocation) if allocation else None,
                    kind=kind,
                    level=max(r.level for r in group),
                    last_sent=latest.astimezone(settings.tz).strftime("%Y-%m-%d"),
                    count=len(group),
                ),
            )
        )
    return [alert for _, alert in sorted(alerts, key=lambda pair: pair[0])]


def _open_changes(session: Session, settings: Settings) -> list:
    """Change requests waiting for a decision, oldest first, as their messages show them."""
    requests = session.exec(
        select(ChangeRequest)
        .where(ChangeRequest.status == ChangeStatus.OPEN.value)
        .order_by(ChangeRequest.id)
    ).all()
    return [
        change_requests.request_view(
            session, request, session.get(ComputeAllocation, request.allocation_id), settings
        )
        for request in requests
    ]


def _rounds_in_progress(session: Session, now: datetime) -> list[blocks.RoundProgress]:
    """Review rounds not yet released, in creation order, with scorecards done of those
    assigned (assignments in force only)."""
    rounds = []
    for round_ in review_store.rounds(session):
        if round_.stage == RoundStage.RELEASED.value:
            continue
        rows = completion(session, round_)
        rounds.append(
            blocks.RoundProgress(
                name=round_.name,
                kind=round_.kind,
                stage=shown_stage(round_, now),
                scored=sum(scored for _, scored, _, _ in rows),
                assigned=sum(assigned for _, _, assigned, _ in rows),
                deadline=round_.deadline,
            )
        )
    return rounds


@dataclass(frozen=True)
class OperatorDigestInput:
    """What the operator digest shows, read from the database: figures per organization (in
    organization-code order) through `through` (the last ended month, `YYYY-MM`), and the
    series its charts are drawn from, in the same organization order."""

    channel: str
    lang: str
    through: str
    as_of: str  # YYYY-MM-DD in the programme's zone
    orgs: list[blocks.OrgFigures]
    series: list[AllocationSeries]
    activity: blocks.Activity = field(default_factory=blocks.Activity)


def operator_digest_input(
    *, session: Session, settings: Settings, now: datetime
) -> OperatorDigestInput | None:
    """The operator digest as of `now` (aware): the figures through the last ended month for
    every organization with an allocation, and the programme's activity (`Activity`, the
    operators' view); None when no operator channel is configured.

    Figures come from `compute_outlook` (via `compute_export.outlook_series`, which also
    gives the burn-up series), in GPU-hours, with each GPU type's normalisation factor.
    """
    if not settings.operator_channel:
        return None
    through = previous_month(now, settings.tz)
    pairs = compute_export.outlook_series(session=session, settings=settings, month=through)
    by_code: dict[str, list] = {}
    for outlook, series in pairs:
        by_code.setdefault(series.org_code, []).append((outlook, series))
    orgs, ordered = [], []
    for code in sorted(by_code):  # organization-code order, like every list of organizations
        group = by_code[code]
        orgs.append(
            blocks.OrgFigures(
                code=code,
                name=group[0][1].org_name,
                allocations=[
                    blocks.AllocationFigures(
                        label=series.allocation,
                        planned_to_date=outlook.planned_to_date,
                        actual_to_date=outlook.actual_to_date,
                        forecast_end=outlook.forecast_end,
                        status=outlook.status,
                        runs_out=outlook.runs_out.isoformat() if outlook.runs_out else None,
                        factor=outlook.factor,
                    )
                    for outlook, series in group
                ],
            )
        )
        ordered += [series for _, series in group]
    return OperatorDigestInput(
        channel=settings.operator_channel,
        lang=settings.default_language,
        through=through,
        as_of=now.astimezone(settings.tz).strftime("%Y-%m-%d"),
        orgs=orgs,
        series=ordered,
        activity=_activity(session, settings, now, operator=True),
    )


def operator_digest(data: OperatorDigestInput | None) -> list[Notice]:
    """The operator channel's weekly digest ([] for None), in the programme's default
    language. First the compute figures as the comment of one PNG chart per organization
    (`kiban-digest-ORG-YYYY-MM.png`, drawn here): when an organization's chart cannot be
    drawn, the others still go and the text names the organization whose chart is missing;
    with no chart at all, the figures are posted as a plain message. Then, when any of its
    sections has something to say, the programme's activity as a notice with `parts` (several
    messages, continued in its thread, when longer than 50 blocks)."""
    if data is None:
        return []
    files, failed = compute_export.org_charts(
        data.series, data.lang, name=f"kiban-digest-{{org_code}}-{data.through}.png"
    )
    missing = [f"{s.org_name} ({s.org_code})" for s in failed]
    figures = dict(through=data.through, as_of=data.as_of, orgs=data.orgs, charts_missing=missing)
    if files:
        notices: list[Notice] = [
            Notice(
                channel=data.channel,
                render=lambda lang: blocks.build_operator_digest(**figures, lang=lang),
                lang=data.lang,
                kind="operator_digest",
                files=files,
            )
        ]
    else:  # not one chart: the figures as a plain post (continued in its thread if long)
        notices = [
            _digest_notice(
                data.channel,
                data.lang,
                "operator_digest",
                lambda lang: blocks.build_operator_digest_posts(**figures, lang=lang),
            )
        ]
    if blocks.build_operator_activity(data.activity, data.as_of, data.lang):
        notices.append(
            _digest_notice(
                data.channel,
                data.lang,
                "operator_activity",
                lambda lang: blocks.build_operator_activity(data.activity, data.as_of, lang),
            )
        )
    return notices
