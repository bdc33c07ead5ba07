"""The introduction funnel as a Markdown section of the monthly report: one row per
organization and a total, one column per step (`bot.blocks.introductions.STEPS`), then the
other outcomes. Cells are escaped like the rest of the report (`md_cell`)."""

from __future__ import annotations

from bot.blocks.introductions import STEPS, outcomes_text
from bot.i18n import t
from bot.render.compute_export import md_cell


def funnel_markdown(pipeline, month: str, lang: str) -> str:
    """`## Data introductions` for requests made in `month` (`YYYY-MM`)."""
    lines = ["", f"## {t('pipeline.title', lang)} ({month})", ""]
    if not pipeline.total.steps["requests"]:
        return "\n".join([*lines, t("pipeline.empty_month", lang), ""])
    head = [t("pipeline.org", lang)] + [t(f"pipeline.step.{s}", lang) for s in STEPS]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = [*pipeline.by_org.items(), (t("pipeline.total", lang), pipeline.total)]
    for name, funnel in rows:
        cells = [md_cell(name)] + [str(funnel.steps[s]) for s in STEPS]
        lines.append("| " + " | ".join(cells) + " |")
    others = outcomes_text(pipeline.total, lang)
    if others:
        lines += ["", others]
    return "\n".join([*lines, ""])
