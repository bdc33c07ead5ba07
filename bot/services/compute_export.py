"""The month's report for the ministry, and burn-up charts: plan, reported usage, forecast and
status per organization and allocation, built from the database and rendered by `bot.render`.

`/compute export 2026-03` and `/compute chart` are for operators (any organization) and, for
charts, for members (their own organizations only). The weekly operator digest
(`bot.services.digests`) reuses `outlook_series` and `org_charts`.

With `settings.gpu_normalisation` set, the export carries normalised GPU-hours beside the raw
ones (`bot.render.compute_export`); without it the files are exactly the raw report.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from sqlmodel import Session

from bot.blocks.common import Message
from bot.clients.slack import Notice
from bot.i18n import t
from bot.parsing.months import parse_month
from bot.render import charts
from bot.render.compute_export import build_export
from bot.render.data_pipeline import funnel_markdown
from bot.render.rows import AllocationSeries, MonthPoint
from bot.services import data_pipeline, event_stats
from bot.services.compute import allocation_label
from bot.services.compute_outlook import Outlook, outlooks
from bot.services.members import Actor, user_error, visible_orgs
from bot.settings import Settings
from bot.timeutil import month_of, month_start, months_between, previous_month
from storage import compute as store
from storage import members as member_store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportFiles:
    """The export for one month: file names and contents (Markdown text, CSV bytes)."""

    month: str
    markdown_name: str
    markdown: str
    csv_name: str
    csv: bytes


def month_end_moment(month: str, settings: Settings) -> datetime:
    """The first moment after `month` in the programme's zone: the export's point of view."""
    first_after = month_start(month) + relativedelta(months=1)
    return datetime.combine(first_after, time(0), tzinfo=settings.tz)


def series_for(
    *, session: Session, settings: Settings, month: str, org_ids: list[int] | None = None
) -> list[AllocationSeries]:
    """Each allocation's months (plan, reported) with its outlook as of the end of `month`,
    and that month's notes."""
    return [
        series
        for _outlook, series in outlook_series(
            session=session, settings=settings, month=month, org_ids=org_ids
        )
    ]


def outlook_series(
    *, session: Session, settings: Settings, month: str, org_ids: list[int] | None = None
) -> list[tuple[Outlook, AllocationSeries]]:
    """Per allocation (ordered by organization id, then allocation id): its outlook through
    `month` (`YYYY-MM`, JST; figures in GPU-hours, with the normalisation factor) and the
    series the renderers draw: every month of the period with plan and reported GPU-hours
    (reports after `month` left out), and `month`'s notes."""
    now = month_end_moment(month, settings)
    orgs = {org.id: org for org in member_store.list_orgs(session)}
    result = []
    for outlook in outlooks(session=session, settings=settings, now=now, org_ids=org_ids):
        allocation = outlook.allocation
        plans = store.plans_for(session, allocation.id)
        reports = store.current_reports(session, allocation.id)
        points = [
            MonthPoint(
                month=m,
                planned=plans.get(m, 0.0),
                actual=reports[m].gpu_hours if m in reports and m <= month else None,
            )
            for m in months_between(allocation.period_start, allocation.period_end)
        ]
        note = reports.get(month)
        org = orgs[allocation.organization_id]
        series = AllocationSeries(
            org_code=org.code,
            org_name=org.name,
            allocation=allocation_label(allocation),
            granted=allocation.granted_gpu_hours,
            period_start=allocation.period_start,
            period_end=allocation.period_end,
            points=points,
            forecast_end=outlook.forecast_end,
            runs_out=outlook.runs_out,
            status=outlook.status,
            progress=note.progress if note else None,
            issues=note.issues if note else None,
            improvement_plan=note.improvement_plan if note else None,
        )
        result.append((outlook, series))
    return result


def export_month(
    *,
    session: Session,
    actor: Actor | None,
    settings: Settings,
    month: str,
    lang: str,
    now: datetime,
) -> ExportFiles:
    """The ministry report for `month` (every organization). `actor` None means the command
    line (an operator at the server); otherwise it must be an operator.

    Raises UserError for a non-operator.
    """
    if actor is not None:
        actor.require_operator()
    if month > month_of(now, settings.tz):
        raise user_error("compute.error.month_future", month=month)
    pairs = outlook_series(session=session, settings=settings, month=month)
    # normalised columns depend on the configuration, not on which GPU types appear this month
    factors = [o.factor for o, _ in pairs] if settings.gpu_normalisation else None
    markdown, csv_bytes = build_export(month, [s for _, s in pairs], lang, now, factors)
    markdown += funnel_markdown(data_pipeline.pipeline(session, settings, month=month), month, lang)
    markdown += event_stats.report_markdown(session, settings, month=month, lang=lang, now=now)
    return ExportFiles(
        month=month,
        markdown_name=f"kiban-compute-{month}.md",
        markdown=markdown,
        csv_name=f"kiban-compute-{month}.csv",
        csv=csv_bytes,
    )


def charts_for(
    *, session: Session, actor: Actor, org_code: str | None, settings: Settings, now: datetime
) -> list[tuple[str, bytes]]:
    """Burn-up charts (PNG) for the actor's organizations, or `org_code` (operators, or the
    actor's own). Returns (file name, PNG bytes) per allocation, through the last ended month.

    Raises UserError when the actor may not see the organization or is in none.
    """
    orgs = visible_orgs(session, actor, org_code)
    through = previous_month(now, settings.tz)
    series = series_for(
        session=session, settings=settings, month=through, org_ids=[o.id for o in orgs]
    )
    return [
        (
            f"kiban-{s.org_code}-{s.allocation.replace(' ', '').replace('(', '-').replace(')', '')}.png",
            charts.burn_up_png(s, actor.lang),
        )
        for s in series
    ]


def org_charts(
    series: list[AllocationSeries], lang: str, *, name: str = "kiban-{org_code}.png"
) -> tuple[list[tuple[str, bytes]], list[AllocationSeries]]:
    """One PNG per organization (in the order organizations first appear in `series`): the
    burn-up chart of its allocation, or small multiples (`charts.digest_png`) of its several
    allocations. `name` is formatted with `org_code` for each file name.

    Returns (files as (file name, PNG bytes), the first series of each organization whose
    chart could not be drawn). A chart that fails is logged and left out; the others are
    still drawn.
    """
    groups: dict[str, list[AllocationSeries]] = {}
    for s in series:
        groups.setdefault(s.org_code, []).append(s)
    files, failed = [], []
    for code, group in groups.items():
        try:
            png = (
                charts.burn_up_png(group[0], lang)
                if len(group) == 1
                else charts.digest_png(group, lang)
            )
        except Exception:  # noqa: BLE001 (any drawing failure: the other charts still go)
            log.exception("could not draw the chart of %s", code)
            failed.append(group[0])
            continue
        files.append((name.format(org_code=code), png))
    return files, failed


def share_export(
    *, session: Session, actor: Actor, settings: Settings, month_text: str | None, now: datetime
) -> tuple[str, str, list[Notice]]:
    """`/compute export [YYYY-MM]` (operators): the month's files for the operator channel
    (the operator's DM when none is configured). Default month: the last one ended.

    Returns (month, destination channel or user id, notices). Raises UserError for a
    non-operator, a bad or future month.
    """
    month = (
        parse_month(month_text).strftime("%Y-%m")
        if month_text
        else previous_month(now, settings.tz)
    )
    files = export_month(
        session=session,
        actor=actor,
        settings=settings,
        month=month,
        lang=settings.default_language,
        now=now,
    )
    channel = settings.operator_channel or actor.user_id
    notice = Notice(
        channel=channel,
        lang=settings.default_language,
        kind="export",
        files=[(files.markdown_name, files.markdown), (files.csv_name, files.csv)],
        render=lambda lang: Message(text=t("compute.export.comment", lang, month=month)),
    )
    return month, channel, [notice]


def share_charts(
    *, session: Session, actor: Actor, org_code: str | None, settings: Settings, now: datetime
) -> list[Notice]:
    """`/compute chart [ORG]`: the burn-up charts, for the asker's DM ([] without allocations).
    Raises UserError when the actor may not see the organization."""
    pngs = charts_for(session=session, actor=actor, org_code=org_code, settings=settings, now=now)
    if not pngs:
        return []
    return [
        Notice(
            channel=actor.user_id,
            kind="charts",
            files=pngs,
            render=lambda lang: Message(text=t("compute.chart.comment", lang)),
        )
    ]
