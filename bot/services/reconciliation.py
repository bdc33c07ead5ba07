"""Reconciling self-reported usage with measured usage for the same month.

The ledger keeps every revision of a month's figure with its source (`UsageReport.source`):
the report modal (a self-report) and the measured sources, Slurm accounting (`sacct`) and
FOCUS cloud billing exports. A plain CSV is typed or exported by people and counts as neither.
When a new revision makes the latest self-report and the latest measured figure for an
(allocation, month) differ by more than `settings.reconciliation_tolerance_percent` of the
measured figure (any self-reported use against a measured 0 counts), the operator channel is
told once, with both figures; the same figures again (a re-import) say nothing new.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.blocks import reconciliation as blocks
from bot.clients.slack import Notice
from bot.settings import Settings
from storage import compute as store
from storage.compute import ComputeAllocation, ReportSource, UsageReport
from storage.members import Organization

MEASURED = (ReportSource.SACCT.value, ReportSource.FOCUS.value)


def disagreement(reported: float, measured: float, tolerance_percent: float) -> float | None:
    """How far apart the figures are, in percent of the measured one (None within tolerance;
    `inf` for use reported against a measured 0)."""
    diff = abs(reported - measured)
    if measured <= 0:
        return float("inf") if diff > 1e-9 else None
    percent = diff / measured * 100
    return percent if percent > tolerance_percent + 1e-9 else None


def check(
    *,
    session: Session,
    org: Organization,
    allocation: ComputeAllocation,
    label: str,
    new: UsageReport,
    settings: Settings,
) -> list[Notice]:
    """The operator-channel warning when `new`, the revision just stored for an allocation
    (named `label` to people), leaves the latest self-report and measured figure of its month
    disagreeing; [] otherwise (a CSV figure, one side missing, within tolerance, or no
    operator channel). Call only when a new revision was stored."""
    if not settings.operator_channel:
        return []
    if new.source != ReportSource.MODAL.value and new.source not in MEASURED:
        return []
    revisions = store.report_revisions(session, allocation_id=allocation.id, month=new.month)
    reported = _latest(revisions, (ReportSource.MODAL.value,))
    measured = _latest(revisions, MEASURED)
    if reported is None or measured is None:
        return []
    percent = disagreement(
        reported.gpu_hours, measured.gpu_hours, settings.reconciliation_tolerance_percent
    )
    if percent is None:
        return []
    warning = blocks.Disagreement(
        org_name=org.name,
        label=label,
        month=new.month,
        reported=reported.gpu_hours,
        measured=measured.gpu_hours,
        source=measured.source,
        percent=percent,
        tolerance=settings.reconciliation_tolerance_percent,
        latest_is_measured=new.source in MEASURED,
    )
    return [
        Notice(
            channel=settings.operator_channel,
            render=lambda lang: blocks.build_warning(warning, lang),
            lang=settings.default_language,
            kind="reconciliation",
        )
    ]


def _latest(revisions: list[UsageReport], sources: tuple[str, ...]) -> UsageReport | None:
    return next((r for r in reversed(revisions) if r.source in sources), None)
