"""Scheduled messages: the monthly usage-report reminder and the weekly compute digests.

All are computed for a given `now` (aware); months are `YYYY-MM` in the programme's zone (JST),
amounts GPU-hours. Each week two digests go out:

* the shared digest (`weekly_digest`, the digest channel): with `DIGEST_VISIBILITY=figures`,
  each organization's GPU-hours this month against plan; with `status`, only whether each
  organization reported last month (no figures at all); in both, who has not reported last
  month, and never the notes of a report;
* the operator digest (the operator channel): full figures per organization and allocation
  through the last ended month (plan to date, actual, variance, forecast, status, and
  normalised GPU-hours where configured) with one burn-up chart per organization. It is read
  in the job's transaction (`operator_digest_input`) and its charts drawn after it commits
  (`operator_digest`), since drawing takes a while and must not hold the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.blocks import digests as blocks
from bot.blocks.introductions import funnel_line
from bot.clients.slack import Notice
from bot.i18n import t
from bot.render.rows import AllocationSeries
from bot.services import compute, compute_export, data_pipeline, eval_leaderboard
from bot.settings import Settings
from bot.timeutil import month_of, previous_month
from storage import members as member_store


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


def weekly_digest(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """The shared weekly digest for the digest channel ([] when no digest channel is
    configured), in the programme's default language; what it shows of each organization
    follows `settings.digest_visibility` (module docstring)."""
    if not settings.digest_channel:
        return []
    month = month_of(now, settings.tz)
    last_month = previous_month(now, settings.tz)
    as_of = now.astimezone(settings.tz).strftime("%Y-%m-%d")
    if settings.digest_visibility == "status":  # no figures of any organization: scores neither
        return [
            _status_digest(session=session, settings=settings, last_month=last_month, as_of=as_of)
        ]
    # evaluation results published this week (already public inside the group)
    evals = eval_leaderboard.digest_lines(
        session=session, since=now - timedelta(days=7), until=now, tz=settings.tz
    )
    lines = []
    for org in member_store.list_orgs(session):
        totals = compute.month_totals(session, org, month)
        if totals is not None:
            lines.append(blocks.DigestLine(org_name=org.name, used=totals[0], planned=totals[1]))
    missing = [
        f"{org.name} ({', '.join(compute.allocation_label(a) for a in allocations)})"
        for org, allocations in compute.unreported(session, last_month)
    ]
    return [
        Notice(
            channel=settings.digest_channel,
            render=lambda lang: blocks.build_weekly_digest(
                month=month,
                as_of=as_of,
                lines=lines,
                last_month=last_month,
                missing=missing,
                lang=lang,
                eval_lines=evals,
            ),
            lang=settings.default_language,
            kind="digest",
        )
    ]


def _status_digest(*, session: Session, settings: Settings, last_month: str, as_of: str) -> Notice:
    """The shared digest without figures: each organization with an allocation active in
    `last_month`, reported or not (naming the allocations not reported)."""
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
    return Notice(
        channel=settings.digest_channel,
        render=lambda lang: blocks.build_weekly_status_digest(
            month=last_month, as_of=as_of, statuses=statuses, lang=lang
        ),
        lang=settings.default_language,
        kind="digest",
    )


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
    funnel: object | None = None  # data_pipeline.Funnel over every request, None when none


def operator_digest_input(
    *, session: Session, settings: Settings, now: datetime
) -> OperatorDigestInput | None:
    """The operator digest's figures as of `now` (aware), through the last ended month, for
    every organization with an allocation; None when no operator channel is configured.

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
        funnel=_funnel(session, settings),
    )


def _funnel(session: Session, settings: Settings):
    total = data_pipeline.pipeline(session, settings).total
    return total if total.steps["requests"] else None


def operator_digest(data: OperatorDigestInput | None) -> list[Notice]:
    """The operator channel's weekly digest ([] for None): the figures as the comment of one
    PNG chart per organization (`kiban-digest-ORG-YYYY-MM.png`, drawn here in the programme's
    default language). When an organization's chart cannot be drawn, the others still go and
    the text names the organization whose chart is missing; with no chart at all, the
    figures are posted as a plain message."""
    if data is None:
        return []
    files, failed = compute_export.org_charts(
        data.series, data.lang, name=f"kiban-digest-{{org_code}}-{data.through}.png"
    )
    missing = [f"{s.org_name} ({s.org_code})" for s in failed]
    return [
        Notice(
            channel=data.channel,
            render=lambda lang: blocks.build_operator_digest(
                through=data.through,
                as_of=data.as_of,
                orgs=data.orgs,
                charts_missing=missing,
                lang=lang,
                appendix=data.funnel
                and f"*{t('pipeline.title', lang)}*\n" + funnel_line(data.funnel, lang),
            ),
            lang=data.lang,
            kind="operator_digest",
            files=files,
        )
    ]
