"""Block Kit for the reconciliation warning (self-report vs measured usage) sent to the
operator channel. Pure: no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.blocks.common import Message, escape, header, section
from bot.i18n import t
from bot.parsing.numbers import format_gpu_hours

SOURCE_NAMES = {"sacct": "Slurm (sacct)", "focus": "FOCUS"}


@dataclass(frozen=True)
class Disagreement:
    """Both figures of one month, in GPU-hours; `percent` apart (of the measured one)."""

    org_name: str
    label: str
    month: str
    reported: float
    measured: float
    source: str  # sacct / focus
    percent: float
    tolerance: float
    latest_is_measured: bool


def build_warning(warning: Disagreement, lang: str) -> Message:
    """ "Self-report and measured usage disagree": organization, allocation, month, both
    figures, how far apart, and which one is in force."""
    apart = format_gpu_hours(abs(warning.reported - warning.measured), lang)
    if not math.isinf(warning.percent):
        apart += f" / {warning.percent:.1f}%"
    body = t(
        "recon.body",
        lang,
        org=escape(warning.org_name),
        label=escape(warning.label),
        month=warning.month,
        reported=format_gpu_hours(warning.reported, lang),
        measured=format_gpu_hours(warning.measured, lang),
        source=SOURCE_NAMES.get(warning.source, warning.source),
        diff=apart,
        tolerance=f"{warning.tolerance:g}",
        latest=t(
            "recon.latest.measured" if warning.latest_is_measured else "recon.latest.modal", lang
        ),
    )
    title = t("recon.title", lang)
    return Message.of(
        f"{title}: {escape(warning.org_name)} {warning.month}", [header(title), section(body)]
    )
