"""Block Kit for scheduled messages: the monthly report reminder, the shared weekly digest (with
figures or, with `DIGEST_VISIBILITY=status`, only who reported) and the operator digest.

All amounts are GPU-hours; months are `YYYY-MM` and dates `YYYY-MM-DD` in the programme's zone
(JST). None of these messages carries the notes people wrote with their reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.blocks.common import Message, context, escape, header, long_sections, section
from bot.blocks.compute import hours
from bot.blocks.eval_leaderboard import EvalDigestLine, build_eval_digest_section
from bot.i18n import t
from bot.parsing.numbers import format_gpu_hours

_DASH = "—"


def build_reminder(org_name: str, month: str, allocations: list[str], lang: str) -> Message:
    """A lead's DM: which allocations still lack a report for `month`."""
    title = t("reminder.title", lang)
    body = t(
        "reminder.body",
        lang,
        org=escape(org_name),
        month=month,
        allocations=", ".join(escape(a) for a in allocations),
    )
    return Message.of(f"{title}: {body}", [header(title), section(body)])


@dataclass(frozen=True)
class DigestLine:
    """One organization in the shared digest with figures: GPU-hours of its allocations active
    in the month (reported so far, planned)."""

    org_name: str
    used: float
    planned: float


def build_weekly_digest(
    *,
    month: str,
    as_of: str,
    lines: list[DigestLine],
    last_month: str,
    missing: list[str],
    lang: str,
    eval_lines: list[EvalDigestLine] | None = None,
) -> Message:
    """The digest channel's weekly post: month-to-date GPU-hours vs plan per organization
    (figures only, never notes), and organizations that have not reported last month."""
    title = t("digest.title", lang)
    blocks = [header(title), context(t("digest.intro", lang, month=month, date=as_of))]
    if not lines:
        blocks.append(section(t("digest.no_orgs", lang)))
    rows = []
    for line in lines:
        percent = f"{line.used / line.planned:.0%}" if line.planned else "–"
        rows.append(
            t(
                "digest.org_line",
                lang,
                org=escape(line.org_name),
                used=hours(line.used, lang),
                planned=hours(line.planned, lang),
                percent=percent,
            )
        )
    for start in range(0, len(rows), 20):  # stay far below the 3000-character section limit
        blocks.append(section("\n".join(rows[start : start + 20])))
    blocks.append(
        section(
            t("digest.missing", lang, month=last_month, orgs=", ".join(escape(m) for m in missing))
            if missing
            else t("digest.all_reported", lang, month=last_month)
        )
    )
    blocks += build_eval_digest_section(eval_lines or [], lang)
    return Message.of(f"{title} ({month})", blocks)


@dataclass(frozen=True)
class ReportingStatus:
    """One organization with an allocation active in the month: the labels of the allocations
    not reported for it (empty: every one is reported)."""

    org_name: str
    missing: list[str]


def build_weekly_status_digest(
    *,
    month: str,
    as_of: str,
    statuses: list[ReportingStatus],
    lang: str,
) -> Message:
    """The digest channel's weekly post with `DIGEST_VISIBILITY=status`: for each organization
    with an allocation in `month` (last month), only "reported" or "not reported" (naming the
    allocations). No GPU-hours, percentages or totals of any organization, and no notes."""
    title = t("digest.title", lang)
    blocks = [header(title), context(t("digest.status.intro", lang, month=month, date=as_of))]
    rows = [
        t(
            "digest.status.not_reported",
            lang,
            org=escape(s.org_name),
            allocations=", ".join(escape(a) for a in s.missing),
        )
        if s.missing
        else t("digest.status.reported", lang, org=escape(s.org_name))
        for s in statuses
    ]
    if not rows:
        blocks.append(section(t("digest.status.none_active", lang, month=month)))
    for start in range(0, len(rows), 20):
        blocks.append(section("\n".join(rows[start : start + 20])))
    return Message.of(f"{title} ({month})", blocks)


@dataclass(frozen=True)
class AllocationFigures:
    """One allocation in the operator digest, cumulative from the start of its period through
    the digest's month: GPU-hours planned and reported (unreported months count as 0), the
    forecast at period end (None without a burn rate), the status code
    (`bot.services.compute_outlook.Status`), the run-out date (`YYYY-MM-DD`) if early, and
    the normalisation factor of its GPU type (None: no normalised figures)."""

    label: str
    planned_to_date: float
    actual_to_date: float
    forecast_end: float | None
    status: str
    runs_out: str | None = None
    factor: float | None = None


@dataclass(frozen=True)
class OrgFigures:
    """An organization of the operator digest and its allocations."""

    code: str
    name: str
    allocations: list[AllocationFigures]


def _gh(value: float | None, lang: str) -> str:
    return _DASH if value is None else format_gpu_hours(value, lang)


def _variance(actual: float, planned: float, lang: str) -> str:
    """`+350.5 (+11.7%)`: actual − planned GPU-hours, and in % of planned when planned > 0."""
    diff = actual - planned
    text = format_gpu_hours(diff, lang)
    if diff > 0 and text != "< 0.01":
        text = "+" + text
    return f"{text} ({diff / planned * 100:+.1f}%)" if planned > 0 else text


def _allocation_lines(a: AllocationFigures, lang: str) -> list[str]:
    lines = [
        t(
            "digest.ops.allocation",
            lang,
            allocation=escape(a.label),
            planned=_gh(a.planned_to_date, lang),
            actual=_gh(a.actual_to_date, lang),
            variance=_variance(a.actual_to_date, a.planned_to_date, lang),
            forecast=_gh(a.forecast_end, lang),
            status=t(f"compute.status.word.{a.status}", lang, date=a.runs_out or ""),
        )
    ]
    if a.factor is not None:
        f = a.factor
        lines.append(
            t(
                "digest.ops.normalised",
                lang,
                factor=f"{f:g}",
                planned=_gh(a.planned_to_date * f, lang),
                actual=_gh(a.actual_to_date * f, lang),
                variance=_variance(a.actual_to_date * f, a.planned_to_date * f, lang),
                forecast=_gh(None if a.forecast_end is None else a.forecast_end * f, lang),
            )
        )
    return lines


def build_operator_digest(
    *,
    through: str,
    as_of: str,
    orgs: list[OrgFigures],
    charts_missing: list[str],
    lang: str,
    appendix: str | None = None,
) -> Message:
    """The operator channel's weekly digest: per organization and allocation, plan to date,
    actual, variance, forecast and status through `through` (the last ended month), with
    normalised GPU-hours where the GPU type has a factor; `charts_missing` names the
    organizations whose chart could not be drawn; `appendix` (e.g. the data-introduction
    funnel) closes it when given.

    The text carries everything (it is the comment of the uploaded charts, where blocks are
    not shown) and is not cut at 3000 characters; the blocks repeat it for a plain post.
    """
    title = t("digest.ops.title", lang)
    intro = t("digest.ops.intro", lang, through=through, date=as_of)
    parts = []
    for org in orgs:
        lines = [t("digest.ops.org", lang, org=escape(org.name), code=escape(org.code))]
        for allocation in org.allocations:
            lines += _allocation_lines(allocation, lang)
        parts.append("\n".join(lines))
    if not orgs:
        parts.append(t("digest.ops.no_allocations", lang))
    if charts_missing:
        parts.append(
            t("digest.ops.chart_missing", lang, orgs=", ".join(escape(o) for o in charts_missing))
        )
    if appendix:
        parts.append(appendix)
    blocks = [header(title), context(intro)]
    for part in parts:
        blocks += long_sections(part)
    text = "\n\n".join([f"*{title}*\n{intro}", *parts])
    return Message(text=text, blocks=[block.to_dict() for block in blocks[:50]])
