"""Block Kit for the `/compute status` reply: plan vs reported GPU-hours per organization and
allocation through the last ended month (JST), with the forecast, the status word, the months
not yet reported and, where the GPU type has a factor, normalised GPU-hours. Pure: no I/O.

`bot.blocks.compute` re-exports `AllocationStatus` and `build_status`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.blocks.common import Message, context, divider, escape, header, section
from bot.i18n import t
from bot.parsing.numbers import format_gpu_hours


@dataclass(frozen=True)
class AllocationStatus:
    """One allocation's row. Amounts are GPU-hours, dates ISO (`YYYY-MM-DD`), months `YYYY-MM`.

    `factor` is the normalisation factor of the allocation's GPU type
    (`settings.gpu_normalisation`); with one, normalised GPU-hours (raw × factor) are shown
    beside the raw figures, without one the reply is exactly the raw figures.
    """

    label: str
    start: str
    end: str
    granted: float
    used: float
    planned_to_date: float
    missing_months: list[str]
    status: str = "no_data"  # on_track | over_plan | under_plan | runs_out | no_data
    forecast_end: float | None = None  # GPU-hours expected at period end
    runs_out: str | None = None  # YYYY-MM-DD
    factor: float | None = None  # normalised GPU-hours = GPU-hours × factor


def _normalised_line(row: AllocationStatus, lang: str) -> str:
    factor = row.factor
    line = t(
        "compute.status.normalised",
        lang,
        factor=f"{factor:g}",
        used=format_gpu_hours(row.used * factor, lang),
        planned=format_gpu_hours(row.planned_to_date * factor, lang),
        granted=format_gpu_hours(row.granted * factor, lang),
    )
    if row.forecast_end is not None:
        line += t(
            "compute.status.normalised_forecast",
            lang,
            forecast=format_gpu_hours(row.forecast_end * factor, lang),
        )
    return line


def build_status(
    sections: list[tuple[str, list[AllocationStatus]]], through: str, lang: str
) -> Message:
    """The `/compute status` reply: per organization (name, rows) and allocation, plan vs
    reported GPU-hours through the month `through` (`YYYY-MM`), and the months missing."""
    blocks = []
    for org_name, rows in sections:
        blocks.append(header(t("compute.status.title", lang, org=org_name)))
        if not rows:
            blocks.append(section(t("compute.status.no_allocations", lang)))
        for row in rows:
            percent = f"{row.used / row.planned_to_date:.0%}" if row.planned_to_date else "–"
            text = t(
                "compute.status.allocation",
                lang,
                allocation=escape(row.label),
                start=row.start,
                end=row.end,
                granted=format_gpu_hours(row.granted, lang),
                through=through,
                used=format_gpu_hours(row.used, lang),
                planned=format_gpu_hours(row.planned_to_date, lang),
                percent=percent,
            )
            if row.factor is not None:
                text += "\n" + _normalised_line(row, lang)
            blocks.append(section(text))
            outlook = t(f"compute.status.word.{row.status}", lang, date=row.runs_out or "")
            if row.forecast_end is not None:
                outlook += " · " + t(
                    "compute.status.forecast",
                    lang,
                    forecast=format_gpu_hours(row.forecast_end, lang),
                )
            missing = (
                t("compute.status.missing", lang, months=", ".join(row.missing_months))
                if row.missing_months
                else t("compute.status.all_reported", lang)
            )
            blocks.append(context(f"*{outlook}*\n{missing}"))
        blocks.append(divider())
    title = ", ".join(t("compute.status.title", lang, org=name) for name, _ in sections)
    return Message.of(title, blocks[:50])
