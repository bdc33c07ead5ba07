"""Importing measured usage into the compute ledger: Slurm accounting (`sacct`) files.

Each job's GPU-hours per month are stored once per (allocation, job id, month), so importing
the same file twice, or two overlapping files, never counts a job twice. Each month touched
then gets the sum of its jobs as the current usage report (source `sacct`), as a new revision
when the figure changed; notes of the report it replaces are carried over.

A file is read as a stream: its rows are parsed one by one and the jobs' GPU-hours staged in a
temporary table in chunks, then summed per (job, month) and merged by the database, so a
million-row export needs little memory. Only the first `MAX_SKIPPED` skipped rows are listed.
Months outside the allocation's period, and months that have not begun (as in the report
modal), are neither counted nor stored; they are listed with why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from bot.blocks import compute as blocks
from bot.clients.slack import Notice
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.sacct import MAX_SKIPPED, SkipLog, SkippedRow, read_sacct
from bot.services import alerts, reconciliation
from bot.services.compute import allocation_label, store_report
from bot.services.members import org_by_code
from bot.settings import Settings
from bot.timeutil import month_of
from storage import compute as store
from storage.compute import ComputeAllocation, ReportSource
from storage.db import advisory_lock
from storage.members import Organization

CHUNK_ROWS = 10_000  # (job, month) rows staged per bulk insert


def why_not_stored(allocation: ComputeAllocation, month: str, current_month: str) -> str | None:
    """Why a file's usage for `month` cannot be stored on `allocation`: "future" (the month
    has not begun; the report modal refuses it too, `bot.services.compute.check_month`, and
    in the same order), "outside" (the allocation's period), or None when it can."""
    if month > current_month:
        return "future"
    first = allocation.period_start.strftime("%Y-%m")
    last = allocation.period_end.strftime("%Y-%m")
    return None if first <= month <= last else "outside"


@dataclass(frozen=True)
class MonthNotStored:
    """An allocation-month of a file that is not stored, and why (`reason`: "future" or
    "outside", see :func:`why_not_stored`). `total` is the file's GPU-hours for it when
    known (FOCUS, CSV; an sacct import counts only the months it stores)."""

    org_id: int
    org_code: str
    allocation_id: int
    allocation: str  # its label, e.g. "ABCI (H100)"
    month: str
    reason: str
    period: tuple[str, str]  # the allocation's first and last day (ISO)
    total: float | None = None

    @classmethod
    def of(
        cls,
        org: Organization,
        allocation: ComputeAllocation,
        month: str,
        reason: str,
        total: float | None = None,
    ) -> MonthNotStored:
        period = (allocation.period_start.isoformat(), allocation.period_end.isoformat())
        label = allocation_label(allocation)
        return cls(org.id, org.code, allocation.id, label, month, reason, period, total)

    def why(self, lang: str) -> str:
        """The reason, in `lang`."""
        start, end = self.period
        return t(f"upload.reason.{self.reason}", lang, start=start, end=end)

    def summary_line(self) -> str:
        """One line for the CLI's summary (Japanese and English)."""
        hours = "" if self.total is None else f" {self.total:,.2f} GPU-hours:"
        return (
            f"  {self.org_code} · {self.allocation} · {self.month}:{hours} {self.why('en')}; "
            f"not stored / {self.why('ja')}のため保存しません"
        )


@dataclass
class SacctImport:
    """What an sacct import read and did. GPU-hours by month are those of this file's jobs.

    `skipped` lists the first `MAX_SKIPPED` rows not counted (by line), `skipped_more` counts
    the rest; `other_gpu_type` lists up to `MAX_SKIPPED` lines per GPU type, and
    `other_gpu_jobs` counts those jobs.
    """

    org: Organization
    allocation: ComputeAllocation
    rows_read: int
    gpu_jobs: int
    skipped: list[SkippedRow]
    file_hours: dict[str, float]  # month → GPU-hours of this file's counted jobs
    month_status: dict[str, tuple[str, float]] = field(
        default_factory=dict
    )  # month → (status, total)
    outside_period: list[str] = field(default_factory=list)
    other_gpu_type: dict[str, list[int]] = field(default_factory=dict)  # GPU type → lines
    notices: list[Notice] = field(default_factory=list)
    skipped_more: int = 0
    other_gpu_jobs: dict[str, int] = field(default_factory=dict)  # GPU type → jobs
    future_months: list[str] = field(default_factory=list)  # not begun: not stored

    @property
    def not_stored(self) -> list[MonthNotStored]:
        """The months of this file's jobs not stored, with why (GPU-hours not known)."""
        reasons = [(m, "outside") for m in self.outside_period]
        reasons += [(m, "future") for m in self.future_months]
        return [
            MonthNotStored.of(self.org, self.allocation, month, reason)
            for month, reason in sorted(reasons)
        ]

    def summary(self) -> str:
        """A plain-text report of the import, Japanese and English (for the CLI and logs)."""
        out = [
            f"sacct import for {self.org.code} · {allocation_label(self.allocation)}",
            f"  rows read: {self.rows_read}; GPU jobs: {self.gpu_jobs}; "
            f"rows skipped: {len(self.skipped) + self.skipped_more}",
        ]
        if not self.file_hours and not self.outside_period and not self.future_months:
            out.append("  保存するGPU使用はありません / no GPU usage to store in this file")
        for month, hours in sorted(self.file_hours.items()):
            status, total = self.month_status[month]
            out.append(
                f"  {month}: {hours:,.1f} GPU-hours in this file → "
                f"month total {total:,.1f} ({status})"
            )
        for month in self.outside_period:
            out.append(
                f"  {month}: outside the allocation's period; not stored / "
                "割当期間外のため保存しません"
            )
        for month in self.future_months:
            out.append(
                f"  {month}: this month has not started yet; not stored / "
                "まだ始まっていない月のため保存しません"
            )
        for gpu_type, lines in sorted(self.other_gpu_type.items()):
            shown = sorted(set(lines))
            count = self.other_gpu_jobs.get(gpu_type, len(shown))
            listed = ", ".join(str(n) for n in shown)
            if count > len(shown):
                listed += f", … {count - len(shown):,} more"
            out.append(
                f"  not counted: {count} job(s) on {gpu_type}, not {self.allocation.gpu_type} "
                f"(lines {listed}) / {gpu_type} のジョブ {count} 件は "
                f"{self.allocation.gpu_type} の割当ではないため数えません"
            )
        for skip in self.skipped:
            out.append(f"  line {skip.line}: skipped: {skip.error.bilingual()}")
        if self.skipped_more:
            out.append(
                f"  … and {self.skipped_more:,} more rows skipped, not listed / "
                f"ほかに {self.skipped_more:,} 行をスキップしました（一覧は省略）"
            )
        return "\n".join(out)


def apply_month_totals(
    *,
    session: Session,
    org: Organization,
    allocation: ComputeAllocation,
    totals: dict[str, float],
    source: ReportSource,
    source_ref: str,
    reporter: str,
    settings: Settings,
    now: datetime,
    notify: bool,
) -> tuple[dict[str, tuple[str, float]], list[Notice]]:
    """Make each month's measured total the current usage report (notes of the report it
    replaces are kept), check over-plan alerts for every month touched (when `notify`), and
    note the changed months in the organization's channel.

    Returns month → (status, total) and the notices to deliver after commit.
    """
    month_status, notices, changed = {}, [], {}
    for month, total in sorted(totals.items()):
        current = store.current_report(
            session, org_id=org.id, allocation_id=allocation.id, month=month
        )
        texts = (
            (current.progress, current.issues, current.improvement_plan) if current else (None,) * 3
        )
        outcome = store_report(
            session=session,
            org=org,
            allocation=allocation,
            month=month,
            gpu_hours=total,
            texts=texts,
            reporter=reporter,
            source=source,
            source_ref=source_ref,
            now=now,
        )
        month_status[month] = (outcome.status, total)
        if outcome.status in ("created", "revised"):
            changed[month] = total
            if notify:
                notices += reconciliation.check(
                    session=session,
                    org=org,
                    allocation=allocation,
                    label=allocation_label(allocation),
                    new=outcome.report,
                    settings=settings,
                )
        if notify:  # every month touched: an alert skipped earlier (no Slack) is raised now
            notices += alerts.check_overuse(
                session=session,
                org=org,
                allocation=allocation,
                month=month,
                settings=settings,
                now=now,
            )
    if changed and org.channel_id and notify:
        label = allocation_label(allocation)
        notices.insert(
            0,
            Notice(
                channel=org.channel_id,
                render=lambda lang: blocks.build_import_channel_post(
                    source.value, label, changed, lang
                ),
                lang=org.language,
                kind="import_summary",
            ),
        )
    return month_status, notices


def choose_allocation(
    session: Session, org: Organization, provider: str | None, gpu_type: str | None = None
) -> ComputeAllocation:
    """The allocation an import is for: the only one, or the one that `provider` (a provider
    name like `ABCI`, or a label like `ABCI (H100)`) and `gpu_type` pick, case-insensitively.

    Raises UserError when none matches or the choice is ambiguous (with the choices listed).
    """
    every = store.allocations_for_org(session, org.id)
    allocations = every
    if provider:
        wanted = provider.casefold()
        allocations = [
            a
            for a in allocations
            if wanted in (a.provider.casefold(), allocation_label(a).casefold())
        ]
    if gpu_type:
        allocations = [a for a in allocations if a.gpu_type.casefold() == gpu_type.casefold()]
    if len(allocations) == 1:
        return allocations[0]
    choices = ", ".join(allocation_label(a) for a in every)
    if not every:
        raise UserError(
            f"{org.code} has no compute allocation registered; add it with kiban admin import.",
            f"{org.code} には計算資源の割当が登録されていません。kiban admin import で登録してください。",
        )
    if not allocations:
        asked = " ".join(filter(None, [provider, gpu_type]))
        raise UserError(
            f"No allocation of {org.code} matches {asked!r}. Choices: {choices}.",
            f"{org.code} の割当に {asked!r} に一致するものがありません。候補: {choices}。",
        )
    raise UserError(
        f"{org.code} has several allocations ({choices}); name one with --provider "
        "and, when a provider has several GPU types, --gpu-type.",
        f"{org.code} には複数の割当があります（{choices}）。--provider で、同じプロバイダに複数の"
        "GPU種別がある場合は --gpu-type でも指定してください。",
    )


def import_sacct(
    *,
    session: Session,
    org_code: str,
    provider: str | None,
    text: str | Iterable[str],
    gpu_type: str | None = None,
    reporter: str,
    settings: Settings,
    now: datetime,
    fields: list[str] | None = None,
    notify: bool = True,
    chunk_rows: int = CHUNK_ROWS,
) -> SacctImport:
    """Import sacct output for an organization's allocation. See the module docstring.

    `text` is the whole output, or its lines (e.g. a file opened with `newline="\\n"`), read
    once as they come: rows are parsed lazily and staged in the database `chunk_rows` at a
    time, so memory stays small whatever the file's size (besides a small entry per job run,
    kept to spot repeated rows).

    Returns what was read and stored, with notices (organization channel note, over-plan
    alerts) to deliver after commit. With `notify=False` (no Slack at hand) no alert is
    checked or recorded, so a later import or report with Slack still raises it.
    Jobs on another GPU type than the allocation's (`gres/gpu:v100` on an A100 allocation)
    are not counted; they are listed in `other_gpu_type`.
    Raises UserError for an unknown organization or allocation, or a file that is not sacct
    output (bad rows are skipped, not raised).
    """
    org = org_by_code(session, org_code)
    allocation = choose_allocation(session, org, provider, gpu_type)
    digest = hashlib.sha256()
    if isinstance(text, str):
        digest.update(text.encode())
    else:
        text = _hashed(text, digest.update)  # the hash of the whole text once all is read
    rows = read_sacct(text, tz=settings.tz, fields=fields)
    advisory_lock(session, f"sacct:{allocation.id}")  # two imports at once take turns
    # months that have not begun are neither counted nor stored, like months outside the period
    current = month_of(now, settings.tz)
    last = min(allocation.period_end.strftime("%Y-%m"), current)
    stage = store.SacctStage(
        session, period=(allocation.period_start.strftime("%Y-%m"), last)
    ).open()
    skipped = SkipLog()
    replaced: set[int] = set()  # lines of rows dropped for a later row of the same run
    wanted_type = allocation.gpu_type.casefold()
    chunk: list[tuple[int, str, str, float, int, str | None]] = []
    for item in rows:
        if isinstance(item, SkippedRow):
            skipped.add(item)
            continue
        if item.replaces is not None:
            replaced.add(item.replaces)
        other = item.gpu_type if item.gpu_type and item.gpu_type.casefold() != wanted_type else None
        for month, hours in item.hours:
            chunk.append((item.line, item.job_id, month, hours, item.gpus, other))
        if len(chunk) >= chunk_rows:
            stage.add(chunk)
            chunk = []
    stage.add(chunk)
    stage.drop_lines(replaced)
    # a requeued job runs again under the same id: its runs add up within the month
    store.upsert_sacct_jobs(session, allocation_id=allocation.id, stage=stage, now=now)
    others = stage.other_types(MAX_SKIPPED)
    not_counted = [(m, why_not_stored(allocation, m, current)) for m in stage.outside_period()]
    result = SacctImport(
        org=org,
        allocation=allocation,
        rows_read=rows.counts.rows_read,
        gpu_jobs=rows.counts.gpu_jobs,
        skipped=skipped.rows,
        skipped_more=skipped.more,
        file_hours=stage.file_hours(),
        outside_period=[m for m, why in not_counted if why == "outside"],
        future_months=sorted(m for m, why in not_counted if why == "future"),
        other_gpu_type={gpu: lines for gpu, (_jobs, lines) in others.items()},
        other_gpu_jobs={gpu: jobs for gpu, (jobs, _lines) in others.items()},
    )
    stage.close()
    totals = store.sacct_totals(
        session, allocation_id=allocation.id, months=sorted(result.file_hours)
    )
    result.month_status, notices = apply_month_totals(
        session=session,
        org=org,
        allocation=allocation,
        totals={month: totals.get(month, 0.0) for month in result.file_hours},
        source=ReportSource.SACCT,
        source_ref="sacct:" + digest.hexdigest()[:32],
        reporter=reporter,
        settings=settings,
        now=now,
        notify=notify,
    )
    result.notices += notices
    return result


def _hashed(lines: Iterable[str], update: Callable[[bytes], object]) -> Iterator[str]:
    """`lines`, each passed to `update` (a hash's) as it is read."""
    for line in lines:
        update(line.encode())
        yield line
