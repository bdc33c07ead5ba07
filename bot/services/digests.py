"""Scheduled messages: the monthly usage-report reminder and the weekly compute digest.

Both are computed for a given `now` (aware); months are in the programme's zone.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.blocks import digests as blocks
from bot.clients.slack import Notice
from bot.services import compute
from bot.settings import Settings
from bot.timeutil import month_of, previous_month
from storage import members as member_store


def monthly_reminders(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """DMs to the leads of every organization that has not reported last month, per allocation.

    An organization with no lead registered is named in the operator channel instead, so the
    reminder is not silently lost.
    """
    month = previous_month(now, settings.tz)
    notices = []
    orphans = []
    for org, allocations in compute.unreported(session, month):
        labels = [compute.allocation_label(a) for a in allocations]
        leads = compute.lead_ids(session, org)
        if not leads:
            orphans.append((org.name, labels))
        for lead in leads:
            notices.append(
                Notice(
                    channel=lead,
                    render=lambda lang, org=org, labels=labels: blocks.build_reminder(
                        org.name, month, labels, lang
                    ),
                    kind="reminder",
                )
            )
    if orphans and settings.operator_channel:
        for name, labels in orphans:
            notices.append(
                Notice(
                    channel=settings.operator_channel,
                    render=lambda lang, name=name, labels=labels: blocks.build_reminder(
                        name, month, labels, lang
                    ),
                    lang=settings.default_language,
                    kind="reminder_no_lead",
                )
            )
    return notices


def weekly_digest(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """The weekly digest for the digest channel ([] when no digest channel is configured)."""
    if not settings.digest_channel:
        return []
    month = month_of(now, settings.tz)
    last_month = previous_month(now, settings.tz)
    lines = []
    for org in member_store.list_orgs(session):
        totals = compute.month_totals(session, org, month)
        if totals is not None:
            lines.append(blocks.DigestLine(org_name=org.name, used=totals[0], planned=totals[1]))
    missing = [
        f"{org.name} ({', '.join(compute.allocation_label(a) for a in allocations)})"
        for org, allocations in compute.unreported(session, last_month)
    ]
    as_of = now.astimezone(settings.tz).strftime("%Y-%m-%d")
    return [
        Notice(
            channel=settings.digest_channel,
            render=lambda lang: blocks.build_weekly_digest(
                month=month,
                as_of=as_of,
                lines=lines,
                last_month=last_month,
                missing=missing,
                lang=lang,
            ),
            lang=settings.default_language,
            kind="digest",
        )
    ]
