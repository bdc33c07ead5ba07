"""Block Kit for scheduled messages: the monthly report reminder and the weekly digest."""

from __future__ import annotations

from dataclasses import dataclass

from bot.blocks.common import Message, context, escape, header, section
from bot.blocks.compute import hours
from bot.i18n import t


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
    return Message.of(f"{title} ({month})", blocks)
