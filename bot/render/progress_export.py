"""The survey projects' progress reports for one month: a Markdown document and a CSV file,
in the shape of the compute export (`bot.render.compute_export`).

:func:`build_export` takes one :class:`ProjectRow` per survey project. The Markdown has a
section per project: every field of the current revision (its number, reporter and
submission time), the advice given on any revision of the month with author and time, and
whether the results were marked for dissemination. The CSV has one row per project (a project
that has not reported has a row saying so), text cells made formula-safe by
:func:`bot.render.csv_safe.write_csv`. People's text is escaped in Markdown with the compute
export's :func:`~bot.render.compute_export.md_text` family, so it renders as itself. Times
are shown in the zone given (the programme's, JST).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import t
from bot.render.compute_export import md_cell, md_quote
from bot.render.csv_safe import write_csv

__all__ = ["AdviceRow", "CSV_COLUMNS", "ProjectRow", "ReportRow", "build_export", "file_names"]

CSV_COLUMNS = (
    "export.col.org_code",
    "export.col.org",
    "export.col.month",
    "progress.col.status",
    "progress.col.revision",
    "progress.col.reporter",
    "progress.col.submitted_at",
    "progress.col.plan",
    "export.col.progress",
    "export.col.issues",
    "export.col.improvement_plan",
    "progress.col.results",
    "progress.col.help_needed",
    "progress.col.advice_count",
    "progress.col.advice",
    "progress.col.disseminated",
    "progress.col.disseminated_at",
)

# (attribute of ReportRow, heading key), in the modal's order
FIELDS = (
    ("plan", "progress.field.plan"),
    ("progress", "progress.field.progress"),
    ("issues", "progress.field.issues"),
    ("improvement_plan", "progress.field.improvement_plan"),
    ("results", "progress.field.results"),
    ("help_needed", "progress.field.help_needed"),
)


@dataclass(frozen=True)
class ReportRow:
    """A project's current revision for the month (text as typed)."""

    revision: int
    reporter: str  # Slack user id
    submitted_at: datetime  # aware
    plan: str
    progress: str
    issues: str
    improvement_plan: str
    results: str | None
    help_needed: str | None


@dataclass(frozen=True)
class AdviceRow:
    author: str  # Slack user id
    given_at: datetime  # aware
    revision: int  # of the revision it was given on
    text: str


@dataclass(frozen=True)
class ProjectRow:
    org_code: str
    org_name: str
    report: ReportRow | None = None  # None: not reported
    advice: list[AdviceRow] = field(default_factory=list)
    marked_by: str | None = None  # marked for dissemination by (Slack user id)
    marked_at: datetime | None = None


def file_names(month: str) -> tuple[str, str]:
    """(`progress-YYYY-MM.md`, `progress-YYYY-MM.csv`)."""
    return f"progress-{month}.md", f"progress-{month}.csv"


def _when(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if moment else ""


def build_export(
    month: str, projects: list[ProjectRow], lang: str, now: datetime, tz: ZoneInfo
) -> tuple[str, bytes]:
    """(Markdown text, CSV bytes) of `month`'s reports, projects in the order given."""
    return _markdown(month, projects, lang, now, tz), _csv(month, projects, lang, tz)


def _markdown(month: str, projects: list[ProjectRow], lang: str, now: datetime, tz) -> str:
    empty = t("progress.export.empty", lang)
    lines = [
        f"# {t('progress.export.title', lang, month=month)}",
        "",
        t("progress.export.generated", lang, when=_when(now, tz)),
        "",
    ]
    if not projects:
        return "\n".join([*lines, t("progress.export.no_projects", lang), ""])
    reported = sum(p.report is not None for p in projects)
    lines += [t("progress.export.counts", lang, reported=reported, total=len(projects)), ""]
    for project in projects:
        lines += [f"## {md_cell(project.org_name)} ({md_cell(project.org_code)})", ""]
        report = project.report
        if report is None:
            lines += [t("progress.export.not_reported", lang), ""]
        else:
            meta = t(
                "progress.export.meta",
                lang,
                revision=report.revision,
                user=md_cell(report.reporter),
                when=_when(report.submitted_at, tz),
            )
            lines += [meta, ""]
            for attr, key in FIELDS:
                lines += [f"### {t(key, lang)}", "", md_quote(getattr(report, attr), empty), ""]
        lines += [f"### {t('progress.export.advice_title', lang)}", ""]
        if not project.advice:
            lines += [t("progress.export.no_advice", lang), ""]
        for advice in project.advice:
            head = t(
                "progress.export.advice_line",
                lang,
                user=md_cell(advice.author),
                when=_when(advice.given_at, tz),
                revision=advice.revision,
            )
            lines += [head, "", md_quote(advice.text, empty), ""]
        if project.marked_by:
            mark = t(
                "progress.export.disseminated",
                lang,
                user=md_cell(project.marked_by),
                when=_when(project.marked_at, tz),
            )
        else:
            mark = t("progress.export.not_disseminated", lang)
        lines += [mark, ""]
    return "\n".join(lines)


def _csv(month: str, projects: list[ProjectRow], lang: str, tz) -> bytes:
    rows = []
    for p in projects:
        r = p.report
        advice = "\n\n".join(f"{_when(a.given_at, tz)} {a.author}: {a.text}" for a in p.advice)
        rows.append(
            [
                p.org_code,
                p.org_name,
                month,
                t("progress.export.reported" if r else "progress.export.missing", lang),
                r.revision if r else None,
                r.reporter if r else None,
                _when(r.submitted_at, tz) if r else None,
                *((getattr(r, attr) if r else None) for attr, _ in FIELDS),
                len(p.advice),
                advice,
                t("progress.export.yes" if p.marked_by else "progress.export.no", lang),
                _when(p.marked_at, tz) if p.marked_by else None,
            ]
        )
    return write_csv([t(key, lang) for key in CSV_COLUMNS], rows)
