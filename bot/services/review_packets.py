"""The review packet of one funded organization for an end-of-term evaluation (issue #7): a
Markdown document for a reviewer, assembled from the monitoring data Kiban already holds, and
the organization's usage chart (PNG).

Sections, each in the packet's language (`bot.i18n`, keys `packet.*`), and each saying so in a
sentence when the domain has no data for the organization (never left blank):

1. **Compute usage against plan**: per allocation, every ended month of its period with the
   planned and reported GPU-hours and the variance, the totals through the last ended month,
   the outlook (status, forecast at period end, run-out date) as the ministry export has it
   (`bot.services.compute_export.series_for`); the chart is the burn-up chart of
   `/compute chart` and the weekly digest (`compute_export.org_charts`).
2. **Progress reports and issues**: the notes (progress, issues encountered, improvement plan)
   of each month's usage report in force, then the alerts sent to the organization and who
   acknowledged them. Explanations sent with an alert are not stored (they go to the
   operator channel only), so the packet says they are not included.
3. **Instructions** sent to the organization, with their acknowledgement.
4. **Evaluation results**: the organization's published headline scores per benchmark,
   oldest first, with the change against its previous result (the read side of
   `bot.services.eval_leaderboard`); unpublished submissions are only counted.
5. **Data introductions** it requested: each request's status and the answer and stage of
   each data holder approached (`bot.services.data_views.request_view`; never contacts).
6. **Event participation** of its members, month by month
   (`bot.services.event_stats.participation`).

**Period.** The packet is as of `now`: compute and events cover the months of the
organization's allocation periods that have ended (months `YYYY-MM` in the programme's zone,
`settings.tz`, JST by default), from the first month of its earliest allocation to the last
ended month, like the compute export; an organization without such a month gets the last 12
ended months. Instructions, alerts, evaluation results and data requests are listed in full up
to `now`. Dates are shown `YYYY-MM-DD` in the programme's zone; stored times are UTC.

**Confidentiality.** Everything read is filtered by the organization's id: no other
organization's figures, names or notes appear (group-wide figures are not included either).

**Escaping.** Text typed by people (names, labels, notes, titles, model and holder names) goes
through `bot.render.compute_export.md_cell` (table cells and headings: one line, pipes
escaped) or `md_quote` (block quotes), as in the ministry export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, select

from bot.blocks.data_requests import status_label
from bot.blocks.eval_leaderboard import format_delta, format_score
from bot.blocks.introductions import answer_label, stage_label
from bot.i18n import CATALOG, t
from bot.render.compute_export import (
    hours_text,
    md_cell,
    md_quote,
    md_table,
    status_word,
    variance_text,
)
from bot.render.rows import AllocationSeries, actual_through, planned_through, unreported_through
from bot.services import event_stats
from bot.services.compute import allocation_label
from bot.services.compute_export import org_charts, series_for
from bot.services.data_views import request_view
from bot.services.eval_leaderboard import (
    benchmark_histories,
    deltas,
    published_results,
)
from bot.services.members import user_error
from bot.settings import Settings
from bot.timeutil import month_start, months_between, previous_month
from storage import alerts as alert_store
from storage import compute as compute_store
from storage import data_requests as data_store
from storage import evals as eval_store
from storage import members as member_store
from storage.evals import EvalStatus
from storage.instructions import Instruction
from storage.members import Organization

__all__ = ["MAX_ROWS", "Packet", "build_packet", "packet_months"]

MAX_ROWS = 10_000
"""Most alerts, evaluation submissions and data requests read for one organization."""

DEFAULT_MONTHS = 12
"""Months covered (the last ended ones) for an organization with no ended allocation month."""


@dataclass(frozen=True)
class Packet:
    """A review packet: the Markdown file's name and text, and the usage chart as
    (file name, PNG bytes), or None when the organization has no compute allocation (or the
    chart could not be drawn, which the Markdown says)."""

    filename: str  # e.g. "packet-ORGA-2026-11-30.md" (the date of `now` in the programme zone)
    markdown: str
    chart: tuple[str, bytes] | None  # ("usage-ORGA.png", png bytes) or None


def build_packet(
    session: Session, settings: Settings, *, organization_id: int, lang: str, now: datetime
) -> Packet:
    """The review packet of organization `organization_id` as of `now` (aware; UTC) in `lang`
    ("ja" or "en"). See the module docstring for what it holds and the period covered.

    Raises UserError (bot.services: user_error) if the organization does not exist, and
    ValueError for a naive `now`.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    org = member_store.get_org(session, organization_id)
    if org is None:
        raise user_error("packet.error.unknown_org", id=organization_id)
    tz = settings.tz
    through = previous_month(now, tz)
    series = series_for(session=session, settings=settings, month=through, org_ids=[org.id])
    months = packet_months(series, through)
    chart, chart_failed = None, False
    if series:
        files, failed = org_charts(series, lang, name="usage-{org_code}.png")
        chart, chart_failed = (files[0] if files else None), bool(failed)

    context = _Context(session=session, settings=settings, org=org, lang=lang, now=now)
    period_key = "packet.period" if _allocation_months(series, through) else "packet.period_default"
    out = [
        f"# {t('packet.title', lang, org=md_cell(org.name), code=md_cell(org.code))}",
        "",
        t("packet.confidential", lang),
        "",
        t("packet.generated", lang, when=now.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")),
        "",
        t(period_key, lang, start=months[0], end=months[-1]),
        "",
        t("packet.units", lang, zone=settings.timezone),
        "",
    ]
    out += _compute_section(series, through, lang, chart, chart_failed)
    out += _progress_section(context, through)
    out += _instructions_section(context)
    out += _evals_section(context)
    out += _data_section(context)
    out += _events_section(context, months)
    day = now.astimezone(tz).date().isoformat()
    return Packet(
        filename=f"packet-{org.code}-{day}.md",
        markdown="\n".join(out).rstrip("\n") + "\n",
        chart=chart,
    )


def packet_months(series: list[AllocationSeries], through: str) -> list[str]:
    """The months (`YYYY-MM`) a packet covers: from the first month of the earliest
    allocation period to the last month ended (`through`) or the end of the last period,
    whichever is earlier; the `DEFAULT_MONTHS` months through `through` when no allocation
    month has ended."""
    ended = _allocation_months(series, through)
    if ended:
        return months_between(month_start(ended[0]), month_start(ended[-1]))
    last = month_start(through)
    return months_between(last - relativedelta(months=DEFAULT_MONTHS - 1), last)


def _allocation_months(series: list[AllocationSeries], through: str) -> list[str]:
    return sorted({p.month for s in series for p in s.points if p.month <= through})


@dataclass(frozen=True)
class _Context:
    session: Session
    settings: Settings
    org: Organization
    lang: str
    now: datetime

    def day(self, moment: datetime | None) -> str:
        """`moment` (aware) as `YYYY-MM-DD` in the programme's zone; the dash for None."""
        if moment is None:
            return t("packet.dash", self.lang)
        return moment.astimezone(self.settings.tz).date().isoformat()

    def acknowledgement(self, by: str | None, at: datetime | None) -> str:
        if not by:
            return t("packet.not_acknowledged", self.lang)
        return t("packet.acknowledged_by", self.lang, user=md_cell(by), date=self.day(at))


def _heading(level: int, text: str) -> list[str]:
    return [f"{'#' * level} {text}", ""]


# --- 1. compute ----------------------------------------------------------------------------


def _diff(actual: float | None, planned: float) -> float | None:
    return None if actual is None else actual - planned


def _compute_section(
    series: list[AllocationSeries],
    through: str,
    lang: str,
    chart: tuple[str, bytes] | None,
    chart_failed: bool,
) -> list[str]:
    out = _heading(2, t("packet.compute.title", lang))
    if not series:
        return [*out, t("packet.compute.none", lang), ""]
    for s in series:
        out += _allocation(s, through, lang)
    if len(series) > 1:
        planned = sum(planned_through(s, through) for s in series)
        used = [a for s in series if (a := actual_through(s, through)) is not None]
        actual = sum(used) if used else None
        rows = [
            (t("packet.compute.granted", lang), hours_text(sum(s.granted for s in series), lang)),
            (t("packet.compute.planned_to_date", lang, month=through), hours_text(planned, lang)),
            (t("packet.compute.used_to_date", lang, month=through), hours_text(actual, lang)),
            (
                t("packet.compute.variance", lang),
                variance_text(_diff(actual, planned), planned, lang),
            ),
        ]
        out += _heading(3, t("packet.compute.all_allocations", lang))
        out += [*md_table(rows, (t("packet.col.item", lang), t("packet.col.value", lang))), ""]
    if chart is not None:
        out += [t("packet.compute.chart", lang, file=md_cell(chart[0])), ""]
    elif chart_failed:
        out += [t("packet.compute.chart_failed", lang), ""]
    return out


def _allocation(s: AllocationSeries, through: str, lang: str) -> list[str]:
    """One allocation: its outlook, then a row per ended month and their total."""
    planned = planned_through(s, through)
    actual = actual_through(s, through)
    summary = [
        (t("packet.compute.granted", lang), hours_text(s.granted, lang)),
        (
            t("packet.compute.period", lang),
            f"{s.period_start.isoformat()} – {s.period_end.isoformat()}",
        ),
        (t("packet.compute.planned_to_date", lang, month=through), hours_text(planned, lang)),
        (t("packet.compute.used_to_date", lang, month=through), hours_text(actual, lang)),
        (t("packet.compute.variance", lang), variance_text(_diff(actual, planned), planned, lang)),
        (t("packet.compute.forecast_end", lang), hours_text(s.forecast_end, lang)),
        (t("packet.compute.status", lang), md_cell(status_word(s.status, lang))),
        (
            t("packet.compute.runs_out", lang),
            s.runs_out.isoformat() if s.runs_out else t("packet.dash", lang),
        ),
    ]
    out = _heading(3, md_cell(s.allocation))
    out += [*md_table(summary, (t("packet.col.item", lang), t("packet.col.value", lang))), ""]
    ended = [p for p in s.points if p.month <= through]
    if not ended:
        return [*out, t("packet.compute.no_month", lang), ""]
    rows = [
        (
            p.month,
            hours_text(p.planned, lang),
            hours_text(p.actual, lang),
            variance_text(_diff(p.actual, p.planned), p.planned, lang),
        )
        for p in ended
    ]
    rows.append(
        (
            f"**{t('packet.total', lang)}**",
            hours_text(planned, lang),
            hours_text(actual, lang),
            variance_text(_diff(actual, planned), planned, lang),
        )
    )
    header = tuple(
        t(f"packet.compute.col.{c}", lang) for c in ("month", "planned", "used", "variance")
    )
    out += [*md_table(rows, header), ""]
    missing = unreported_through(s, through)
    if missing:
        out += [t("packet.compute.not_reported", lang, months=", ".join(missing)), ""]
    return out


# --- 2. progress reports, issues and alerts ------------------------------------------------


def _progress_section(c: _Context, through: str) -> list[str]:
    lang = c.lang
    out = _heading(2, t("packet.progress.title", lang))
    allocations = compute_store.allocations_for_org(c.session, c.org.id)
    notes = []
    for allocation in allocations:
        reports = compute_store.current_reports(c.session, allocation.id)
        for month in sorted(m for m in reports if m <= through):
            report = reports[month]
            texts = (report.progress, report.issues, report.improvement_plan)
            if any(text and text.strip() for text in texts):
                notes.append((allocation_label(allocation), month, texts))
    if not notes:
        out += [t("packet.progress.none", lang), ""]
    else:
        out += [t("packet.progress.intro", lang), ""]
        none = t("packet.none_written", lang)
        for label, month, texts in notes:
            title = t("packet.progress.month", lang, allocation=md_cell(label), month=month)
            out += _heading(3, title)
            for key, text in zip(("progress", "issues", "improvement_plan"), texts, strict=True):
                out += [f"**{t(f'packet.progress.{key}', lang)}**", "", md_quote(text, none), ""]
    return out + _alerts(c, {a.id: allocation_label(a) for a in allocations})


def _alerts(c: _Context, labels: dict[int, str]) -> list[str]:
    lang = c.lang
    out = _heading(3, t("packet.alerts.title", lang))
    records = [
        r for r in alert_store.history(c.session, c.org.id, limit=MAX_ROWS) if r.sent_at <= c.now
    ]
    if not records:
        return [*out, t("packet.alerts.none", lang), ""]
    rows = []
    for record in reversed(records):  # oldest first
        kind_key = f"kind.{record.kind}"
        rows.append(
            (
                c.day(record.sent_at),
                md_cell(labels.get(record.allocation_id)) or t("packet.dash", lang),
                t(kind_key, lang) if kind_key in CATALOG else md_cell(record.kind),
                str(record.level),
                c.acknowledgement(record.acknowledged_by, record.acknowledged_at),
            )
        )
    columns = ("date", "allocation", "kind", "level", "acknowledged")
    out += [*md_table(rows, tuple(t(f"packet.alerts.col.{k}", lang) for k in columns)), ""]
    return [*out, t("packet.alerts.note", lang), ""]


# --- 3. instructions -----------------------------------------------------------------------


def _instructions_section(c: _Context) -> list[str]:
    lang = c.lang
    out = _heading(2, t("packet.instructions.title", lang))
    query = (
        select(Instruction)
        .where(Instruction.organization_id == c.org.id, Instruction.issued_at <= c.now)
        .order_by(Instruction.issued_at, Instruction.id)
    )
    instructions = list(c.session.exec(query))
    if not instructions:
        return [*out, t("packet.instructions.none", lang), ""]
    acknowledged = sum(1 for i in instructions if i.acknowledged_by)
    out += [
        t("packet.instructions.summary", lang, count=len(instructions), acknowledged=acknowledged),
        "",
    ]
    header = (t("packet.col.item", lang), t("packet.col.value", lang))
    for instruction in instructions:
        rows = [
            (t("packet.instructions.issued", lang), c.day(instruction.issued_at)),
            (t("packet.instructions.due", lang), instruction.due_date.isoformat()),
            (
                t("packet.instructions.acknowledged", lang),
                c.acknowledgement(instruction.acknowledged_by, instruction.acknowledged_at),
            ),
        ]
        out += _heading(3, md_cell(instruction.title))
        out += [*md_table(rows, header), ""]
        out += [md_quote(instruction.body, t("packet.none_written", lang)), ""]
    return out


# --- 4. evaluation results -----------------------------------------------------------------


def _evals_section(c: _Context) -> list[str]:
    lang = c.lang
    out = _heading(2, t("packet.evals.title", lang))
    results = [
        r for r in published_results(c.session, org_ids=[c.org.id]) if r.published_at <= c.now
    ]
    unpublished = [
        s
        for s in eval_store.submissions_of(c.session, [c.org.id], limit=MAX_ROWS)
        if s.status != EvalStatus.PUBLISHED.value and s.submitted_at <= c.now
    ]
    if not results:
        key = "packet.evals.none_published" if unpublished else "packet.evals.none"
        out += [t(key, lang), ""]
    else:
        out += [t("packet.evals.intro", lang), ""]
        out += _benchmarks(c, results)
    if unpublished:
        out += [t("packet.evals.unpublished", lang, count=len(unpublished)), ""]
    return out


def _benchmarks(c: _Context, results) -> list[str]:
    """Per benchmark (by name): its direction, trend (first, latest, best) and results."""
    lang = c.lang
    header = tuple(
        t(f"packet.evals.col.{k}", lang)
        for k in ("published", "model", "revision", "score", "change")
    )
    out = []
    for history, _ in benchmark_histories(c.session, results, deltas(results), c.settings):
        name, entries = history.benchmark, history.entries
        direction = t(
            "evalboard.higher_better" if history.higher_is_better else "evalboard.lower_better",
            lang,
        )
        out += _heading(
            3, t("packet.evals.benchmark", lang, benchmark=md_cell(name), direction=direction)
        )
        out += [
            t(
                "packet.evals.trend",
                lang,
                count=len(entries),
                first=format_score(entries[0].value, lang),
                latest=format_score(entries[-1].value, lang),
                best=format_score(history.best(), lang),
            ),
            "",
        ]
        rows = [
            (
                e.published,
                md_cell(e.model_name),
                md_cell(e.model_revision),
                format_score(e.value, lang),
                format_delta(e.delta, e.is_new, lang)
                + (t("packet.evals.flagged", lang) if e.flagged else ""),
            )
            for e in entries
        ]
        out += [*md_table(rows, header), ""]
    return out


# --- 5. data introductions -----------------------------------------------------------------


def _data_section(c: _Context) -> list[str]:
    lang = c.lang
    out = _heading(2, t("packet.data.title", lang))
    requests = [
        r
        for r in reversed(data_store.requests_for(c.session, [c.org.id], limit=MAX_ROWS))
        if r.created_at <= c.now
    ]  # oldest first
    if not requests:
        return [*out, t("packet.data.none", lang), ""]
    views = [request_view(c.session, r, c.settings) for r in requests]
    asked = sum(len(v.intros) for v in views)
    out += [t("packet.data.summary", lang, requests=len(views), asked=asked), ""]
    none = t("packet.none_written", lang)
    dash = t("packet.dash", lang)
    for view in views:
        rows = [
            (t("packet.data.requested_on", lang), view.created_on),
            (t("packet.data.status", lang), status_label(view.status, lang)),
            (t("packet.data.needed_by", lang), view.needed_by or dash),
        ]
        out += _heading(3, t("packet.data.request", lang, id=view.id))
        out += [*md_table(rows, (t("packet.col.item", lang), t("packet.col.value", lang))), ""]
        out += [f"**{t('packet.data.data_needed', lang)}**", "", md_quote(view.data_needed, none)]
        out += ["", f"**{t('packet.data.purpose', lang)}**", "", md_quote(view.purpose, none), ""]
        if not view.intros:
            out += [t("packet.data.no_intros", lang), ""]
            continue
        intro_rows = [
            (
                md_cell(intro.holder_name),
                answer_label(intro.answer, lang),
                stage_label(intro.stage, lang) if intro.stage else dash,
            )
            for intro in view.intros
        ]
        header = tuple(t(f"packet.data.col.{k}", lang) for k in ("holder", "answer", "stage"))
        out += [*md_table(intro_rows, header), ""]
    return out


# --- 6. events -----------------------------------------------------------------------------


def _events_section(c: _Context, months: list[str]) -> list[str]:
    lang = c.lang
    out = _heading(2, t("packet.events.title", lang))
    rows, members = [], 0
    totals = [0, 0, 0, 0]  # events, answered, went, checked in (people are not additive)
    for month in months:
        stats = event_stats.participation(c.session, c.settings, month=month, now=c.now)
        row = next((r for r in stats.orgs if r.code == c.org.code), None)
        if row is None:  # the secretariat's kind is listed only when its members answered
            rows.append((month, 0, 0, 0, 0, 0))
            continue
        members = row.members or 0  # registered members, the same every month
        figures = (row.events, row.answered, row.went, row.checked_in)
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        rows.append((month, row.events, row.people, row.answered, row.went, row.checked_in))
    if not totals[1]:
        return [*out, t("packet.events.none", lang), ""]
    events, answered, went, checked_in = totals
    table = [tuple(str(v) for v in row) for row in rows]
    table.append(
        (
            f"**{t('packet.total', lang)}**",
            str(events),
            t("packet.dash", lang),
            str(answered),
            str(went),
            str(checked_in),
        )
    )
    columns = ("month", "events", "people", "answered", "went", "checked_in")
    out += [t("packet.events.intro", lang, members=members), ""]
    return [*out, *md_table(table, tuple(t(f"packet.events.col.{k}", lang) for k in columns)), ""]
