"""The monthly compute-usage report to the ministry: a Markdown document and a CSV file.

:func:`build_export` takes one :class:`~bot.render.rows.AllocationSeries` per organization ×
allocation and the report month (``YYYY-MM``) and returns both files. Figures are GPU-hours
"to date": from the start of each allocation's period through the report month.

* Planned to date: the plan of every month of the period up to the report month.
* Actual to date: the reported usage; a month not reported counts as 0 and is listed under
  the allocation ("Not reported: …"), and the actual is shown as "—" when nothing is reported.
* Variance: actual − planned (negative = under plan), in GPU-hours and as % of planned; the
  percentage is "—" / empty when nothing was planned.

**Escaping.** Organization names, allocation labels and the notes are written by people. In
Markdown, ASCII characters with a meaning (``\\ ` * _ [ ] ~ | $ #``) are backslash-escaped,
``& < >`` become HTML entities (so ``<b>`` or ``<script>`` stays text), a line starting with
``+ - =`` or ``1.`` cannot start a heading/list/quote, and leading spaces are dropped (no
code blocks). Table cells additionally fold newlines into spaces so a cell cannot end the
row; notes are rendered as block quotes, every line prefixed with ``>``. In the CSV, text
cells go through :func:`bot.render.csv_safe.neutralise`.

**Normalised GPU-hours** (optional): with ``factors`` (one per series, the factor of its GPU
type, or ``None``), normalised GPU-hours = GPU-hours × factor are shown beside the raw ones: a
third column in each allocation's Markdown table, normalised rows in the totals (only when every
allocation has a factor, otherwise a note says why they are missing), and the CSV columns of
:data:`CSV_NORMALISED_COLUMNS` appended after the others (empty cells where the allocation has
no factor). Without ``factors`` both files are exactly as before: the CSV's columns depend on
whether normalisation is configured, never on the data.

Organizations appear in the order their first series appears in the input; allocations
keep their input order within an organization.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import CATALOG, t
from bot.parsing.numbers import format_gpu_hours
from bot.render.csv_safe import write_csv
from bot.render.rows import (
    AllocationSeries,
    _check_month,
    actual_through,
    planned_through,
    unreported_through,
)

__all__ = [
    "CSV_COLUMNS",
    "CSV_NORMALISED_COLUMNS",
    "JST",
    "build_export",
    "md_cell",
    "md_quote",
    "md_text",
    "status_word",
]

JST = ZoneInfo("Asia/Tokyo")


CSV_COLUMNS = (
    "col.org_code",
    "col.org",
    "col.allocation",
    "col.month",
    "col.granted",
    "col.planned",
    "col.actual",
    "col.variance",
    "col.variance_pct",
    "col.forecast",
    "col.status",
    "col.runs_out",
    "col.progress",
    "col.issues",
    "col.improvement_plan",
)

CSV_NORMALISED_COLUMNS = (
    "col.factor",
    "col.granted_normalised",
    "col.planned_normalised",
    "col.actual_normalised",
    "col.variance_normalised",
    "col.forecast_normalised",
)
"""Appended to :data:`CSV_COLUMNS` when ``factors`` are given (normalisation configured)."""

Item = tuple[AllocationSeries, float | None]
"""A series and the normalisation factor of its GPU type (``None``: none configured)."""

_DASH = "—"


def _l(key: str, lang: str, **params: object) -> str:
    return t(f"export.{key}", lang, **params)


def status_word(status: str, lang: str) -> str:
    """The status code in words (``"over_plan"`` → ``"Over plan"`` / ``"計画超過"``)."""
    key = f"export.status.{status}"
    return t(key, lang) if key in CATALOG else status


# --- Markdown escaping ---------------------------------------------------------------------

_INLINE = re.compile(r"([\\`*_\[\]~|$#])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LINE_START = re.compile(r"^([+\-=])")  # '#', '>' and '*' are already escaped
_ORDERED = re.compile(r"^(\d+)([.)])")


def _escape_line(line: str) -> str:
    line = line.lstrip(" \t")  # indentation would make a code block
    line = "".join(_ENTITIES.get(c, c) for c in line)
    line = _INLINE.sub(r"\\\1", line)
    line = _LINE_START.sub(r"\\\1", line)
    return _ORDERED.sub(r"\1\\\2", line)


def md_text(text: str | None) -> str:
    """``text`` escaped for Markdown and HTML: it renders as itself, with no markup.

    Newlines are kept (each line escaped on its own); see the module docstring.
    """
    if not text:
        return ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_escape_line(line) for line in lines)


def md_cell(text: str | None) -> str:
    """``text`` escaped for one Markdown table cell: one line, ``|`` escaped."""
    if not text:
        return ""
    return md_text(" ".join(str(text).split()))


def md_quote(text: str | None, empty: str) -> str:
    """``text`` as a Markdown block quote (escaped); ``empty`` (trusted) when blank."""
    if not text or not text.strip():
        return "> " + empty
    return "\n".join(("> " + line).rstrip() for line in md_text(text.strip()).split("\n"))


# --- figures -------------------------------------------------------------------------------


def hours_text(value: float | None, lang: str) -> str:
    return _DASH if value is None else format_gpu_hours(value, lang)


def _signed(value: float, lang: str) -> str:
    text = format_gpu_hours(value, lang)
    return "+" + text if value > 0 and text != "< 0.01" else text


def _percent(variance: float | None, planned: float) -> float | None:
    if variance is None or planned <= 0:
        return None
    return round(variance / planned * 100, 1)


def variance_text(variance: float | None, planned: float, lang: str) -> str:
    if variance is None:
        return _DASH
    pct = _percent(variance, planned)
    shown = _signed(variance, lang)
    return f"{shown} ({pct:+.1f}%)" if pct is not None else shown


def _date(value: date | None) -> str:
    return value.isoformat() if value else _DASH


def _round(value: float | None, digits: int = 2) -> float | int | None:
    """A raw CSV number: rounded, and written without ``.0`` when whole (``6900``)."""
    if value is None:
        return None
    rounded = round(float(value), digits)
    return int(rounded) if rounded.is_integer() else rounded


def _by_org(items: Iterable[Item]) -> dict[str, list[Item]]:
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item[0].org_code, []).append(item)
    return groups


def _times(value: float | None, factor: float | None) -> float | None:
    """``value`` GPU-hours in normalised GPU-hours; ``None`` without a factor or a value."""
    return None if value is None or factor is None else value * factor


def _factor_text(factor: float) -> str:
    return f"{factor:g}"


def _month_actual(s: AllocationSeries, month: str) -> float | None:
    return next((p.actual for p in s.points if p.month == month), None)


def _month_planned(s: AllocationSeries, month: str) -> float:
    return next((p.planned for p in s.points if p.month == month), 0.0)


# --- Markdown ------------------------------------------------------------------------------


def md_table(rows, header, align: list[str] | None = None) -> list[str]:
    """A Markdown table's lines; cells must already be escaped (`md_cell`) or trusted.
    `align`: one `---` / `---:` per column (default: the first left, the rest right)."""
    align = align or ["---"] + ["---:"] * (len(header) - 1)
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _totals_section(
    month: str, series: list[AllocationSeries], lang: str, factors: list[float | None] | None
) -> list[str]:
    planned_m = sum(_month_planned(s, month) for s in series)
    actuals_m = [a for s in series if (a := _month_actual(s, month)) is not None]
    actual_m = sum(actuals_m) if actuals_m else None
    planned_td = sum(planned_through(s, month) for s in series)
    actuals_td = [a for s in series if (a := actual_through(s, month)) is not None]
    actual_td = sum(actuals_td) if actuals_td else None
    granted = sum(s.granted for s in series)
    rows = [
        (_l("granted", lang), "", hours_text(granted, lang)),
        (_l("planned", lang), hours_text(planned_m, lang), hours_text(planned_td, lang)),
        (_l("actual", lang), hours_text(actual_m, lang), hours_text(actual_td, lang)),
        (
            _l("variance", lang),
            variance_text(_diff(actual_m, planned_m), planned_m, lang),
            variance_text(_diff(actual_td, planned_td), planned_td, lang),
        ),
    ]
    note = []
    if factors is not None and series:
        if None in factors:
            note = [_l("normalised_partial", lang), ""]
        else:
            rows += _normalised_totals(month, list(zip(series, factors, strict=True)), lang)
    header = (_l("item", lang), _l("in_month", lang, month=month), _l("to_date", lang, month=month))
    return [
        f"## {_l('totals', lang)}",
        "",
        *md_table(rows, header),
        "",
        _l("allocations_reported", lang, month=month, reported=len(actuals_m), total=len(series)),
        "",
        *note,
    ]


def _normalised_totals(month: str, items: list[Item], lang: str) -> list[tuple[str, ...]]:
    """Rows of normalised planned and actual (in the month, to date); every factor is set."""
    planned_m = sum(_month_planned(s, month) * f for s, f in items)
    actuals_m = [a * f for s, f in items if (a := _month_actual(s, month)) is not None]
    planned_td = sum(planned_through(s, month) * f for s, f in items)
    actuals_td = [a * f for s, f in items if (a := actual_through(s, month)) is not None]
    return [
        (
            _l("planned_normalised", lang),
            hours_text(planned_m, lang),
            hours_text(planned_td, lang),
        ),
        (
            _l("actual_normalised", lang),
            hours_text(sum(actuals_m) if actuals_m else None, lang),
            hours_text(sum(actuals_td) if actuals_td else None, lang),
        ),
    ]


def _diff(actual: float | None, planned: float) -> float | None:
    return None if actual is None else actual - planned


def _allocation_section(
    s: AllocationSeries, month: str, lang: str, factor: float | None
) -> list[str]:
    planned = planned_through(s, month)
    actual = actual_through(s, month)
    variance = _diff(actual, planned)
    rows = [
        (_l("granted", lang), hours_text(s.granted, lang)),
        (_l("period", lang), f"{s.period_start.isoformat()} – {s.period_end.isoformat()}"),
        (_l("plan_to_date", lang), hours_text(planned, lang)),
        (_l("actual_to_date", lang), hours_text(actual, lang)),
        (_l("variance", lang), variance_text(variance, planned, lang)),
        (_l("forecast_end", lang), hours_text(s.forecast_end, lang)),
        (_l("status", lang), md_cell(status_word(s.status, lang))),
        (_l("runs_out", lang), _date(s.runs_out)),
    ]
    header = (_l("item", lang), _l("value", lang))
    if factor is not None:  # the normalised figure beside each raw one
        normalised = [
            hours_text(s.granted * factor, lang),
            "",
            hours_text(planned * factor, lang),
            hours_text(_times(actual, factor), lang),
            variance_text(_times(variance, factor), planned * factor, lang),
            hours_text(_times(s.forecast_end, factor), lang),
            "",
            "",
        ]
        rows = [(*row, extra) for row, extra in zip(rows, normalised, strict=True)]
        header = (*header, _l("normalised_column", lang, factor=_factor_text(factor)))
    out = [
        f"### {md_cell(s.allocation)}",
        "",
        *md_table(rows, header),
        "",
    ]
    missing = unreported_through(s, month)
    if missing:
        out += [_l("not_reported", lang, months=", ".join(missing)), ""]
    out += [f"#### {_l('notes', lang, month=month)}", ""]
    none = _l("none_written", lang)
    for key, text in (
        ("progress", s.progress),
        ("issues", s.issues),
        ("improvement_plan", s.improvement_plan),
    ):
        out += [f"**{_l(key, lang)}**", "", md_quote(text, none), ""]
    return out


def _markdown(
    month: str,
    series: list[AllocationSeries],
    lang: str,
    when: str,
    factors: list[float | None] | None,
) -> str:
    out = [
        f"# {_l('title', lang, month=month)}",
        "",
        _l("generated", lang, when=when),
        "",
        _l("units", lang, month=month),
        "",
    ]
    if factors is not None:
        out += [_l("normalised_units", lang), ""]
    if not series:
        out += [_l("no_series", lang), ""]
    else:
        out += _totals_section(month, series, lang, factors)
        items = list(zip(series, factors or [None] * len(series), strict=True))
        for code, group in _by_org(items).items():
            out += [f"## {md_cell(group[0][0].org_name)} ({md_cell(code)})", ""]
            for s, factor in group:
                out += _allocation_section(s, month, lang, factor)
    return "\n".join(out).rstrip("\n") + "\n"


# --- CSV -----------------------------------------------------------------------------------


def _csv_normalised(
    factor: float | None,
    granted: float | None,
    planned: float | None,
    actual: float | None,
    forecast: float | None,
) -> list[object]:
    """The cells of :data:`CSV_NORMALISED_COLUMNS` (all empty without a factor)."""
    if factor is None:
        return [None] * len(CSV_NORMALISED_COLUMNS)
    normalised = [_times(v, factor) for v in (granted, planned, actual)]
    return [
        _round(factor, 4),
        *(_round(v) for v in normalised),
        _round(_diff(normalised[2], normalised[1]) if normalised[1] is not None else None),
        _round(_times(forecast, factor)),
    ]


def _csv_row(
    s: AllocationSeries, month: str, lang: str, factors: bool, factor: float | None
) -> list[object]:
    planned = planned_through(s, month)
    actual = actual_through(s, month)
    variance = _diff(actual, planned)
    extra = _csv_normalised(factor, s.granted, planned, actual, s.forecast_end) if factors else []
    return [
        s.org_code,
        s.org_name,
        s.allocation,
        month,
        _round(s.granted),
        _round(planned),
        _round(actual),
        _round(variance),
        _round(_percent(variance, planned), 1),
        _round(s.forecast_end),
        status_word(s.status, lang),
        s.runs_out,
        s.progress,
        s.issues,
        s.improvement_plan,
        *extra,
    ]


def _csv_total(
    month: str, series: list[AllocationSeries], lang: str, factors: list[float | None] | None
) -> list[object]:
    planned = sum(planned_through(s, month) for s in series)
    actuals = [a for s in series if (a := actual_through(s, month)) is not None]
    actual = sum(actuals) if actuals else None
    variance = _diff(actual, planned)
    forecasts = [s.forecast_end for s in series]
    forecast = sum(f for f in forecasts if f is not None) if None not in forecasts else None
    extra = []
    if factors is not None:  # normalised totals only when every allocation has a factor
        extra = [None] * len(CSV_NORMALISED_COLUMNS)
        if series and None not in factors:
            items = list(zip(series, factors, strict=True))
            n_actuals = [a * f for s, f in items if (a := actual_through(s, month)) is not None]
            n_forecasts = [_times(s.forecast_end, f) for s, f in items]
            n_planned = sum(planned_through(s, month) * f for s, f in items)
            n_actual = sum(n_actuals) if n_actuals else None
            extra = [
                None,  # factor: differs per allocation
                _round(sum(s.granted * f for s, f in items)),
                _round(n_planned),
                _round(n_actual),
                _round(_diff(n_actual, n_planned)),
                _round(sum(n_forecasts)) if None not in n_forecasts else None,
            ]
    return [
        "",
        _l("programme_total", lang),
        "",
        month,
        _round(sum(s.granted for s in series)),
        _round(planned),
        _round(actual),
        _round(variance),
        _round(_percent(variance, planned), 1),
        _round(forecast) if series else None,
        None,  # status
        None,  # runs out
        None,  # progress
        None,  # issues
        None,  # improvement plan
        *extra,
    ]


def _csv(
    month: str, series: list[AllocationSeries], lang: str, factors: list[float | None] | None
) -> bytes:
    columns = CSV_COLUMNS + (CSV_NORMALISED_COLUMNS if factors is not None else ())
    header = [_l(key, lang) for key in columns]
    items = list(zip(series, factors or [None] * len(series), strict=True))
    rows = [
        _csv_row(s, month, lang, factors is not None, factor)
        for group in _by_org(items).values()
        for s, factor in group
    ]
    rows.append(_csv_total(month, series, lang, factors))
    return write_csv(header, rows)


# --- entry point ---------------------------------------------------------------------------


def build_export(
    month: str,
    series: list[AllocationSeries],
    lang: str,
    generated_at: datetime,
    factors: Sequence[float | None] | None = None,
) -> tuple[str, bytes]:
    """The ministry report for ``month``: ``(markdown, csv_bytes)``.

    Args:
        month: the report month, ``YYYY-MM``.
        series: one per organization × allocation (may be empty).
        lang: ``"ja"`` or ``"en"`` (anything else: English) for headings, status words and
            CSV column headers. Numbers in Markdown use
            :func:`~bot.parsing.numbers.format_gpu_hours`.
        generated_at: when the report was made; timezone-aware, shown in JST.
        factors: ``None`` (normalisation not configured: no normalised figures at all), or
            one entry per series, in the same order: the normalisation factor of its GPU
            type, ``None`` where the type has none (see the module docstring).

    Returns:
        The Markdown document (``str``), and the CSV (UTF-8 with BOM, CRLF): one row per
        organization × allocation with the columns of :data:`CSV_COLUMNS` — raw GPU-hours
        rounded to 2 decimals, variance % to 1 decimal, empty cells for unknown values,
        ``YYYY-MM-DD`` dates — then a programme-total row (organization code empty; the
        forecast total only when every allocation has a forecast). With ``factors``, the
        columns of :data:`CSV_NORMALISED_COLUMNS` follow (factor to 4 decimals, normalised
        GPU-hours to 2; the total row's only when every allocation has a factor).

    Raises:
        ValueError: ``month`` is not ``YYYY-MM``, ``generated_at`` is naive, or ``factors``
            does not have one entry per series.
    """
    _check_month(month)
    if generated_at.tzinfo is None or generated_at.utcoffset() is None:
        raise ValueError("generated_at must be timezone-aware")
    when = generated_at.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")
    series = list(series)
    if factors is not None:
        factors = [None if f is None else float(f) for f in factors]
        if len(factors) != len(series):
            raise ValueError(f"{len(factors)} factors for {len(series)} series")
    return _markdown(month, series, lang, when, factors), _csv(month, series, lang, factors)
