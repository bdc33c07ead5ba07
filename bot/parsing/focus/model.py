"""The results of :func:`~bot.parsing.focus.parse_focus`: GPU use per row and month, rows not
counted, and the totals."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.parsing.sacct import SkippedRow


@dataclass(frozen=True)
class FocusUsage:
    """GPU use of one FOCUS row in one calendar month.

    Attributes:
        sub_account: ``SubAccountId`` (AWS account, GCP project, Azure subscription …).
        provider: ``ProviderName``.
        gpu_type: from the matching SKU rule.
        month: ``"YYYY-MM"`` in the ``tz`` given to :func:`~bot.parsing.focus.parse_focus`.
        gpu_hours: the row's GPU-hours falling in ``month``.
        billed_cost: the row's ``BilledCost`` share for ``month`` (same proportion), or None
            when missing.
        currency: ``BillingCurrency`` or None.
        line: 1-based line where the row starts.
    """

    sub_account: str
    provider: str
    gpu_type: str
    month: str
    gpu_hours: float
    billed_cost: float | None
    currency: str | None
    line: int


@dataclass
class FocusResult:
    """What :func:`~bot.parsing.focus.parse_focus` read.

    Attributes:
        usages: one :class:`FocusUsage` per (counted GPU row, month), in file order.
        skipped: rows not counted, with the reason, in line order.
        rows_read: data rows read (not the header, not blank lines), GPU or not.
        gpu_rows: GPU rows whose GPU-hours are in ``usages``.
    """

    usages: list[FocusUsage] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    rows_read: int = 0
    gpu_rows: int = 0

    def gpu_hours_by(self) -> dict[tuple[str, str, str], float]:
        """Total GPU-hours per (sub_account, gpu_type, month), keys sorted."""
        totals: dict[tuple[str, str, str], float] = {}
        for u in self.usages:
            key = (u.sub_account, u.gpu_type, u.month)
            totals[key] = totals.get(key, 0.0) + u.gpu_hours
        return dict(sorted(totals.items()))
