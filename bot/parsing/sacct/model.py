"""The results of :func:`~bot.parsing.sacct.parse_sacct`: GPU use per job and month, rows not
counted, and the totals; and :class:`SkipLog`, the bounded list of rows not counted."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.errors import UserError

MAX_SKIPPED = 1000  # skipped rows kept with their reasons; beyond that only counted


@dataclass(frozen=True)
class JobUsage:
    """GPU use of one job in one calendar month.

    Attributes:
        job_id: Slurm JobID as printed (``"7965768"``, ``"5908801_3"``, ``"123+0"``).
        month: ``"YYYY-MM"`` in the ``tz`` given to :func:`~bot.parsing.sacct.parse_sacct`.
        gpu_hours: this job's GPU-hours falling in ``month`` (elapsed h × GPUs × share).
        gpus: number of GPUs allocated to the job.
        gpu_type: the GPU type from ``gres/gpu:TYPE=N`` when exactly one type, else ``None``.
        line: 1-based line number of the job's row in the input.
    """

    job_id: str
    month: str
    gpu_hours: float
    gpus: int
    gpu_type: str | None
    line: int


@dataclass
class Counts:
    """Rows read so far: data rows (steps included), job rows, and GPU jobs counted."""

    rows_read: int = 0
    jobs_read: int = 0
    gpu_jobs: int = 0


@dataclass(frozen=True)
class SkippedRow:
    """A row that was not counted, with the reason (``error.en`` / ``error.ja``)."""

    line: int
    error: UserError


class SkipLog:
    """Skipped rows, bounded: the ``limit`` with the lowest line numbers are kept (in line
    order), the others only counted, so a file of a million bad rows needs little memory."""

    def __init__(self, limit: int = MAX_SKIPPED) -> None:
        self.limit = limit
        self.total = 0
        self._rows: list[SkippedRow] = []

    def add(self, row: SkippedRow) -> None:
        self.total += 1
        self._rows.append(row)
        if len(self._rows) >= 2 * self.limit:
            self._trim()

    def _trim(self) -> None:
        self._rows.sort(key=lambda s: s.line)  # stable: rows of equal line keep their order
        del self._rows[self.limit :]

    @property
    def rows(self) -> list[SkippedRow]:
        """The kept rows, in line order (at most ``limit``)."""
        self._trim()
        return self._rows

    @property
    def more(self) -> int:
        """Skipped rows beyond those kept."""
        return self.total - len(self.rows)


@dataclass
class SacctResult:
    """What :func:`~bot.parsing.sacct.parse_sacct` read.

    Attributes:
        usages: one :class:`JobUsage` per (GPU job, month it ran in), in file order.
        skipped: rows not counted: bad rows, running jobs, duplicates; in line order; the
            first :data:`MAX_SKIPPED` of them.
        rows_read: data rows read (not blank lines, not header lines), steps included.
        jobs_read: of those, job rows (not steps), with or without GPUs.
        gpu_jobs: GPU jobs whose GPU-hours are in ``usages``.
        skipped_more: rows not counted beyond those listed in ``skipped``.
    """

    usages: list[JobUsage] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    rows_read: int = 0
    jobs_read: int = 0
    gpu_jobs: int = 0
    skipped_more: int = 0

    def gpu_hours_by_month(self) -> dict[str, float]:
        """Total GPU-hours per ``"YYYY-MM"`` month, months in ascending order."""
        totals: dict[str, float] = {}
        for usage in self.usages:
            totals[usage.month] = totals.get(usage.month, 0.0) + usage.gpu_hours
        return dict(sorted(totals.items()))
