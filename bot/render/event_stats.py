"""Event participation as a Markdown section of the monthly report: what is counted, one row
per organization (people in no organization last) and a total, then one row per event (start
date in the programme's zone, confirmed going against capacity, checked in, survey answers and
mean rating). Figures come from `bot.services.event_stats.participation`; organization names
and event titles are escaped like the rest of the report (`md_cell`)."""

from __future__ import annotations

from bot.i18n import t
from bot.render.compute_export import md_cell

ORG_COLUMNS = ("org", "members", "people", "events", "answered", "went", "checked_in")
EVENT_COLUMNS = ("title", "start", "going", "checked_in", "surveys", "rating")


def participation_markdown(stats, month: str, lang: str) -> str:
    """`## Event participation (YYYY-MM)` for the events that started in `month`."""
    lines = ["", f"## {t('eventstats.title', lang)} ({month})", ""]
    if not stats.events:
        return "\n".join([*lines, t("eventstats.md.empty", lang), ""])
    lines += [t("eventstats.md.definitions", lang, zone=stats.zone), ""]
    lines += _table([t(f"eventstats.col.{c}", lang) for c in ORG_COLUMNS])
    for row in [*stats.orgs, stats.total]:
        if row is stats.total:
            name = t("eventstats.total", lang)
        elif row.code is None:
            name = t("eventstats.no_org", lang)
        else:
            name = md_cell(row.name)
        members = "–" if row.members is None else str(row.members)
        figures = (row.people, row.events, row.answered, row.went, row.checked_in)
        lines.append(_row([name, members, *map(str, figures)]))
    lines += ["", f"### {t('eventstats.by_event', lang)}", ""]
    lines += _table([t(f"eventstats.col.{c}", lang) for c in EVENT_COLUMNS])
    for event in stats.events:
        start = event.starts_on.isoformat()
        if not event.started:
            start += t("eventstats.upcoming", lang)
        capacity = (
            str(event.capacity) if event.capacity is not None else t("eventstats.no_limit", lang)
        )
        going = f"{event.going} / {capacity}"
        if event.waitlisted:
            going += t("eventstats.waitlisted", lang, count=event.waitlisted)
        rating = "–" if event.mean_rating is None else f"{event.mean_rating:.1f}"
        cells = [md_cell(event.title), start, going, str(event.checked_in), str(event.surveys)]
        lines.append(_row([*cells, rating]))
    return "\n".join([*lines, ""])


def _table(head: list[str]) -> list[str]:
    return [_row(head), "|" + "---|" * len(head)]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
