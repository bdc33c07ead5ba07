"""Usage files sent to Kiban in Slack (a DM with a sacct, FOCUS or plain-CSV file): a preview
of what Import would change, then Import or Cancel.

The preview runs the real import inside a savepoint and rolls it back, so it shows exactly
what Import will store (month totals after merging with jobs already on record, which
figures it replaces), and which months it will not (outside the allocation's period, or not
begun), and stores nothing. The file's bytes are kept with the pending import so Import stores
what was previewed. A member imports for their own organization; in a plain CSV each row
names its organization, and only operators may name others.

Import refuses (stores nothing, the preview stays cancellable) when a month's current figure
is no longer the one the preview was made against: the ledger keeps every revision, so the
figure then is the last revision not newer than the preview. "Newer" is a report id above the
newest one when the preview was made (carried in the buttons' value, `PendingRef.seen`: ids
order writes even when the clock does not move, as in scenarios) or a report submitted after
the preview's `created_at` (previews posted before `seen` existed have only that).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from bot.blocks import compute_uploads as blocks
from bot.blocks.compute import hours
from bot.clients.slack import Notice
from bot.i18n import t
from bot.parsing.detect import detect_format
from bot.services.compute_imports import MonthNotStored, import_sacct
from bot.services.members import Actor, own_orgs, user_error
from bot.services.usage_imports import StoredMonth, import_focus, import_usage_csv
from bot.settings import Settings
from storage import compute as store
from storage import members as member_store
from storage.compute import PendingImport, UsageReport
from storage.jobs import claim
from storage.members import Organization

CHANGES_LISTED = 5  # months named when Import is refused; the rest are counted


@dataclass
class _Run:
    stored: list[StoredMonth]
    rows_read: int
    skipped: list
    notes: list[tuple[str, str]]
    notices: list[Notice]
    not_stored: list[MonthNotStored]


@dataclass(frozen=True)
class _Change:
    """A month whose current figure changed since the preview."""

    item: StoredMonth
    now: float
    then: float | None  # the figure when previewed (None: no report then)


def org_label(org: Organization) -> str:
    """An organization as previews name it: its name, with its code when that differs."""
    return org.name if org.name == org.code else f"{org.name} ({org.code})"


def _org_for(actor: Actor, file_format: str) -> Organization | None:
    """The organization a file is for: the member's one organization. A plain CSV names its
    organization on every row, so it needs none (members may name only their own)."""
    if file_format == "csv":
        if not actor.is_operator:
            own_orgs(actor)  # a person in no organization is told how to be added
        return None
    orgs = own_orgs(actor)
    if len(orgs) > 1:
        raise user_error("upload.several_orgs")
    return orgs[0]


def _run(
    session: Session,
    actor: Actor,
    pending: PendingImport,
    *,
    settings: Settings,
    now: datetime,
    notify: bool,
) -> _Run:
    text = pending.content.decode("utf-8-sig")
    org = (
        member_store.get_org(session, pending.organization_id) if pending.organization_id else None
    )
    common = dict(
        session=session,
        text=text,
        reporter=actor.user_id,
        settings=settings,
        now=now,
        notify=notify,
    )
    if pending.file_format == "csv":
        allowed = None if actor.is_operator else {o.id for o in own_orgs(actor)}
        result = import_usage_csv(allowed_org_ids=allowed, **common)
        return _Run(
            result.stored,
            result.rows_read,
            result.skipped,
            [],
            result.notices,
            result.not_stored,
        )
    if pending.file_format == "focus":
        result = import_focus(org_code=org.code, **common)
        notes = [
            (
                f"{gpu_hours:,.2f} GPU-hours on {key} not counted: no such allocation",
                f"{key} の割当がないため {gpu_hours:,.2f} GPU時間は数えません",
            )
            for key, gpu_hours in sorted(result.unmatched.items())
        ]
        return _Run(
            result.stored,
            result.rows_read,
            result.skipped,
            notes,
            result.notices,
            result.not_stored,
        )
    result = import_sacct(org_code=org.code, provider=None, **common)
    allocation = result.allocation
    stored = [
        StoredMonth(
            org.id,
            org.code,
            allocation.id,
            f"{allocation.provider} ({allocation.gpu_type})",
            month,
            status,
            total,
        )
        for month, (status, total) in result.month_status.items()
    ]
    notes = [
        (
            f"{jobs} job(s) on {gpu} are not this allocation's ({allocation.gpu_type})",
            f"{gpu} のジョブ {jobs} 件は {allocation.gpu_type} の割当ではないため数えません",
        )
        for gpu, jobs in sorted(result.other_gpu_jobs.items())
    ]
    if result.skipped_more:  # only the first rows skipped are kept with their reasons
        total, kept = len(result.skipped) + result.skipped_more, len(result.skipped)
        notes.append(
            (
                f"{total:,} rows were skipped in all; the reasons are kept for the first {kept:,}.",
                f"スキップした行は全部で {total:,} 行です（理由は最初の {kept:,} 行分のみ）。",
            )
        )
    return _Run(stored, result.rows_read, result.skipped, notes, result.notices, result.not_stored)


def receive_upload(
    *,
    session: Session,
    actor: Actor,
    filename: str,
    content: bytes,
    settings: Settings,
    now: datetime,
    delivery: str | None = None,
) -> blocks.Preview | None:
    """Keep the file as a pending import and return its preview. Raises UserError for a file
    Kiban cannot read (too large, binary, unknown format, bad header), for a person in no or
    several organizations, or rows naming allocations that do not exist (nothing is kept).

    `delivery` (the Events API `event_id` and the file id) is claimed in the same transaction,
    so Slack redelivering the event makes no second preview (returns None), while a delivery
    whose first attempt failed (and rolled back) is processed again.
    """
    if delivery and not claim(session, job="upload", slot=delivery[:64], now=now):
        return None
    file_format = detect_format(content, max_bytes=settings.max_upload_bytes)
    org = _org_for(actor, file_format)
    pending = store.add_pending_import(
        session,
        PendingImport(
            slack_user_id=actor.user_id,
            organization_id=org.id if org else None,
            filename=filename[:255],
            file_format=file_format,
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            created_at=now,
        ),
    )
    seen = session.exec(select(func.max(UsageReport.id))).one() or 0  # see the docstring
    savepoint = session.begin_nested()
    run = _run(session, actor, pending, settings=settings, now=now, notify=False)
    savepoint.rollback()
    org_ids = {item.org_id for item in run.stored} | {item.org_id for item in run.not_stored}
    orgs = {org_id: member_store.get_org(session, org_id) for org_id in org_ids}
    labels = {org_id: org_label(o) for org_id, o in orgs.items()}
    lines = []
    for item in run.stored:
        current = store.current_report(
            session, org_id=item.org_id, allocation_id=item.allocation_id, month=item.month
        )
        lines.append(
            blocks.PreviewLine(
                allocation=item.allocation,
                month=item.month,
                before=current.gpu_hours if current else None,
                after=item.total,
                status=item.status,
                org=labels[item.org_id],
            )
        )
    lines += [
        blocks.PreviewLine(
            allocation=item.allocation,
            month=item.month,
            before=None,
            after=item.total,
            status=item.reason,
            org=labels[item.org_id],
            reason=(item.why("en"), item.why("ja")),
        )
        for item in run.not_stored
    ]
    named = ", ".join(labels[o.id] for o in sorted(orgs.values(), key=lambda o: o.code))
    return blocks.Preview(
        pending_id=pending.id,
        filename=filename,
        file_format=file_format,
        org_name=org_label(org) if org else (named or t("upload.orgs_in_file", actor.lang)),
        rows_read=run.rows_read,
        lines=lines,
        skipped=[(s.line, s.error.en, s.error.ja) for s in run.skipped],
        notes=run.notes,
        seen=seen,
    )


def _pending_for(session: Session, actor: Actor, pending_id: int) -> PendingImport:
    pending = store.get_pending_import(session, pending_id)
    if pending is None or (pending.slack_user_id != actor.user_id and not actor.is_operator):
        raise user_error("error.not_your_org")
    return pending


def decide_upload(
    *,
    session: Session,
    actor: Actor,
    pending_id: int,
    do_import: bool,
    channel: str,
    ts: str,
    blocks_shown: list[dict],
    settings: Settings,
    now: datetime,
) -> list[Notice]:
    """Import (or cancel) a previewed file, once: a second click, or Cancel racing Import, only
    says it was already decided. Returns the notices (the preview updated in place, and for an
    import the channel note and any over-plan alerts)."""
    pending = _pending_for(session, actor, pending_id)
    user = actor.user_id
    if do_import:
        savepoint = session.begin_nested()  # undone, pending import too, if figures changed
        if not store.close_pending_import(session, pending.id, "imported"):
            savepoint.commit()
            text_key, params, notices = "upload.already", {}, []
        else:
            run = _run(session, actor, pending, settings=settings, now=now, notify=True)
            changes = _changes_since_preview(
                session, pending, run.stored, blocks.seen_in(blocks_shown, pending.id)
            )
            if changes:
                savepoint.rollback()
                return [
                    Notice(
                        channel=channel,
                        ts=ts,
                        render=lambda lang: blocks.build_refused(
                            blocks_shown, _changed_text(changes, lang)
                        ),
                        lang=actor.lang,
                        kind="upload_refused",
                    )
                ]
            savepoint.commit()
            changed = sum(1 for item in run.stored if item.status in ("created", "revised"))
            text_key, params, notices = "upload.imported", {"count": changed}, run.notices
    elif store.close_pending_import(session, pending.id, "cancelled"):
        text_key, params, notices = "upload.cancelled", {}, []
    else:
        text_key, params, notices = "upload.already", {}, []
    return [
        Notice(
            channel=channel,
            ts=ts,
            render=lambda lang: blocks.build_decided(
                blocks_shown, t(text_key, lang, user=user, **params)
            ),
            lang=actor.lang,
            kind="upload_decided",
        ),
        *notices,
    ]


def _newer(report: UsageReport, pending: PendingImport, seen: int | None) -> bool:
    """Whether `report` was stored after the preview (see the module docstring)."""
    return (seen is not None and report.id > seen) or report.submitted_at > pending.created_at


def _changes_since_preview(
    session: Session, pending: PendingImport, stored: list[StoredMonth], seen: int | None
) -> list[_Change]:
    """The months this import just stored whose figure before it differs from the one the
    preview was made against."""
    changes = []
    for item in stored:
        revisions = [
            report
            for report in store.report_revisions(
                session, allocation_id=item.allocation_id, month=item.month
            )
            if report.organization_id == item.org_id
        ]
        if item.status in ("created", "revised"):
            revisions = revisions[:-1]  # the revision this import just made
        if not revisions:
            continue  # nothing on record, then or now
        then = [report for report in revisions if not _newer(report, pending, seen)]
        was = then[-1].gpu_hours if then else None
        current = revisions[-1].gpu_hours
        if was is None or abs(current - was) >= 1e-9:
            changes.append(_Change(item, current, was))
    return changes


def _changed_text(changes: list[_Change], lang: str) -> str:
    many_orgs = len({change.item.org_id for change in changes}) > 1
    items = [
        t(
            "upload.changed.item",
            lang,
            what=" · ".join(
                ([change.item.org_code] if many_orgs else [])
                + [change.item.allocation, change.item.month]
            ),
            now=hours(change.now, lang),
            then=t("upload.changed.none", lang)
            if change.then is None
            else hours(change.then, lang),
        )
        for change in changes[:CHANGES_LISTED]
    ]
    if len(changes) > CHANGES_LISTED:
        items.append(t("upload.changed.more", lang, count=f"{len(changes) - CHANGES_LISTED:,}"))
    return t("upload.changed", lang, changes=t("upload.more.separator", lang).join(items))
