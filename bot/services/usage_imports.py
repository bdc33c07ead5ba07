"""Importing measured usage from files other than sacct: FOCUS cloud cost-and-usage exports
and the plain usage CSV (`organization,month,provider,gpu_type,gpu_hours`).

Each file gives GPU-hours per allocation and month; those totals become the current usage
reports (sources `focus` / `csv`) through the same path as sacct imports
(`compute_imports.apply_month_totals`). A file is imported whole or not at all: a row naming
an unknown organization or allocation stops the import with every such row listed.
Months outside the allocation's period, and months that have not begun (as in the report
modal), are not stored; they are listed with why (`FileImport.not_stored`).
Importing the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from bot.clients.slack import Notice
from bot.errors import UserError
from bot.parsing.focus import parse_focus
from bot.parsing.sacct import SkippedRow
from bot.parsing.usage_csv import parse_usage_csv
from bot.services.compute import allocation_label
from bot.services.compute_imports import (
    MonthNotStored,
    apply_month_totals,
    choose_allocation,
    why_not_stored,
)
from bot.services.members import org_by_code, user_error
from bot.settings import Settings
from bot.timeutil import month_of
from storage.compute import ComputeAllocation, ReportSource
from storage.db import advisory_lock
from storage.members import Organization


@dataclass(frozen=True)
class StoredMonth:
    """One allocation-month an import set (status: created, revised, unchanged, duplicate)."""

    org_id: int
    org_code: str
    allocation_id: int
    allocation: str
    month: str
    status: str
    total: float  # GPU-hours


@dataclass
class FileImport:
    """What a FOCUS or CSV import read and stored."""

    source: str
    rows_read: int
    skipped: list[SkippedRow]
    stored: list[StoredMonth] = field(default_factory=list)
    not_stored: list[MonthNotStored] = field(default_factory=list)  # outside / not begun
    unmatched: dict[str, float] = field(default_factory=dict)  # "AWS A100" → GPU-hours
    notices: list[Notice] = field(default_factory=list)

    def summary(self) -> str:
        """A plain-text report for the CLI (Japanese and English where it explains)."""
        out = [
            f"{self.source} import: rows read: {self.rows_read}; rows skipped: {len(self.skipped)}"
        ]
        if not self.stored and not self.not_stored:
            out.append("  保存するGPU使用はありません / no GPU usage to store in this file")
        for s in self.stored:
            out.append(
                f"  {s.org_code} · {s.allocation} · {s.month}: {s.total:,.2f} GPU-hours ({s.status})"
            )
        out += [item.summary_line() for item in self.not_stored]
        for key, hours in sorted(self.unmatched.items()):
            out.append(
                f"  not counted: {hours:,.2f} GPU-hours on {key}: no such allocation / "
                f"{key} の割当がないため {hours:,.2f} GPU時間は数えません"
            )
        for skip in self.skipped:
            out.append(f"  line {skip.line}: skipped: {skip.error.bilingual()}")
        return "\n".join(out)


def _ref(source: str, text: str) -> str:
    return f"{source}:" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _store_totals(
    *,
    session: Session,
    result: FileImport,
    totals: dict[tuple[int, int], dict[str, float]],
    targets: dict[tuple[int, int], tuple[Organization, ComputeAllocation]],
    source: ReportSource,
    ref: str,
    reporter: str,
    settings: Settings,
    now: datetime,
    notify: bool,
) -> None:
    current = month_of(now, settings.tz)
    for key, months in totals.items():
        org, allocation = targets[key]
        inside = {}
        for month, total in sorted(months.items()):
            reason = why_not_stored(allocation, month, current)
            if reason is None:
                inside[month] = total
            else:
                result.not_stored.append(MonthNotStored.of(org, allocation, month, reason, total))
        advisory_lock(session, f"{source.value}:{allocation.id}")
        statuses, notices = apply_month_totals(
            session=session,
            org=org,
            allocation=allocation,
            totals=inside,
            source=source,
            source_ref=ref,
            reporter=reporter,
            settings=settings,
            now=now,
            notify=notify,
        )
        result.notices += notices
        result.stored += [
            StoredMonth(
                org.id, org.code, allocation.id, allocation_label(allocation), m, status, total
            )
            for m, (status, total) in statuses.items()
        ]


def import_focus(
    *,
    session: Session,
    org_code: str,
    text: str,
    reporter: str,
    settings: Settings,
    now: datetime,
    sub_account: str | None = None,
    provider: str | None = None,
    notify: bool = True,
) -> FileImport:
    """Import a FOCUS export for one organization: the GPU rows of `sub_account` (optional when
    the file has GPU rows of one sub-account only), each row going to the organization's
    allocation of its provider (`ProviderName`, or `provider` when given) and GPU type; rows
    with no such allocation are listed in `unmatched`, not counted.

    Raises UserError for a file that is not FOCUS, several sub-accounts and none named, or a
    GPU type the organization has no allocation for.
    """
    org = org_by_code(session, org_code)
    parsed = parse_focus(text, tz=settings.tz)
    accounts = sorted({u.sub_account for u in parsed.usages})
    if sub_account is None and len(accounts) > 1:
        raise user_error("upload.several_accounts", accounts=", ".join(accounts))
    usages = [u for u in parsed.usages if sub_account is None or u.sub_account == sub_account]
    result = FileImport(source="focus", rows_read=parsed.rows_read, skipped=parsed.skipped)
    totals: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    targets: dict[tuple[int, int], tuple[Organization, ComputeAllocation]] = {}
    for usage in usages:
        # the row's own provider (ProviderName) unless one is named: AWS hours never land on
        # an ABCI allocation of the same GPU type
        try:
            allocation = choose_allocation(session, org, provider or usage.provider, usage.gpu_type)
        except UserError:
            key = f"{usage.provider} {usage.gpu_type}"
            result.unmatched[key] = result.unmatched.get(key, 0.0) + usage.gpu_hours
            continue
        targets[(org.id, allocation.id)] = (org, allocation)
        months = totals[(org.id, allocation.id)]
        months[usage.month] = months.get(usage.month, 0.0) + usage.gpu_hours
    _store_totals(
        session=session,
        result=result,
        totals=totals,
        targets=targets,
        source=ReportSource.FOCUS,
        ref=_ref("focus", text),
        reporter=reporter,
        settings=settings,
        now=now,
        notify=notify,
    )
    return result


def import_usage_csv(
    *,
    session: Session,
    text: str,
    reporter: str,
    settings: Settings,
    now: datetime,
    notify: bool = True,
    allowed_org_ids: set[int] | None = None,
) -> FileImport:
    """Import the plain usage CSV: each row names its organization and allocation.

    With `allowed_org_ids` (a member's upload), rows of any other organization are refused.
    Raises UserError listing every row (with its line) whose organization or allocation is
    unknown or not allowed; nothing is stored then.
    """
    parsed = parse_usage_csv(text)
    result = FileImport(source="csv", rows_read=parsed.rows_read, skipped=parsed.skipped)
    totals: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    targets: dict[tuple[int, int], tuple[Organization, ComputeAllocation]] = {}
    problems: list[UserError] = []
    for usage in parsed.usages:
        try:
            org = org_by_code(session, usage.organization, or_name=True)
            if allowed_org_ids is not None and org.id not in allowed_org_ids:
                raise user_error("upload.not_your_org_row", org=org.name)
            allocation = choose_allocation(session, org, usage.provider, usage.gpu_type)
        except UserError as error:
            error.line = usage.line
            problems.append(error)
            continue
        targets[(org.id, allocation.id)] = (org, allocation)
        months = totals[(org.id, allocation.id)]
        months[usage.month] = months.get(usage.month, 0.0) + usage.gpu_hours
    if problems:
        listed_en = "\n".join(f"line {p.line}: {p.en}" for p in problems)
        listed_ja = "\n".join(f"{p.line}行目: {p.ja}" for p in problems)
        raise UserError(
            f"{len(problems)} row(s) cannot be imported, so nothing was:\n{listed_en}",
            f"{len(problems)} 行を取り込めないため、何も取り込みませんでした:\n{listed_ja}",
        )
    _store_totals(
        session=session,
        result=result,
        totals=totals,
        targets=targets,
        source=ReportSource.CSV,
        ref=_ref("csv", text),
        reporter=reporter,
        settings=settings,
        now=now,
        notify=notify,
    )
    return result
