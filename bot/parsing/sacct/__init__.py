"""GPU-hours per job and per month from Slurm accounting (``sacct``) output.

Input is the text of ``sacct --parsable2`` (fields separated by ``|``) or ``sacct --parsable``
(the same with a trailing delimiter on every line), normally with its header line, e.g.::

    sacct -a -X --parsable2 -S 2026-03-01 -E 2026-04-01 \\
          --format=JobID,User,Account,State,Start,End,Elapsed,ElapsedRaw,AllocTRES

Rules (Slurm's own definitions are cited where they apply; see the sacct man page,
https://slurm.schedmd.com/sacct.html):

* **Header / delimiter.** The first non-blank line is the header when every name in it is a
  field name (``JobID``, ``AllocTRES`` …); the delimiter is the one non-alphanumeric character
  it contains (``|`` by default; any single character, e.g. ``--delimiter=☃``, ``,``, ``;`` or
  a tab). Without a header (``--noheader``) the caller must pass ``fields``; the delimiter is
  then ``delimiter``, else ``|``, else the one character that splits the first row into
  exactly that many fields. A first line that is not a header, with no ``fields`` given,
  always raises (never "N rows, no GPU jobs"). ``fields`` given for a file that has a header
  raises too (the header already names the columns). A ``delimiter`` given for a header that
  uses another one raises. The trailing-delimiter style (``--parsable``) is detected from the
  header or first row, and every row must then follow it. Field names are matched
  case-insensitively.
* **CSV files and tables are refused**, not guessed at: a first line of field names that are
  quoted (``"JobID","Start"``), padded (``JobID, Start``, ``JobID | Start``) or separated by
  runs of spaces, i.e. needing more than one separator character; and, with a ``,``, ``;`` or
  tab delimiter, a row with a value that starts with ``"`` (CSV quoting; sacct never quotes).
  The message says how to export with ``--parsable2``.
* **Commas inside TRES.** With ``--delimiter=,`` the commas of ``AllocTRES`` also split the
  row. When ``AllocTRES`` (or ``ReqTRES``) is the last column and every surplus cell is a
  ``name=value`` entry, they are joined back into it; otherwise the row has too many columns
  and is skipped, with a hint to use ``|``.
* **Required columns.** ``JobID``, ``AllocTRES``, and two of ``Start``, ``End`` and an elapsed
  time (``ElapsedRaw`` or ``Elapsed``), so that the job can be placed in months.
* **Jobs, not steps.** Rows whose JobID contains a ``.`` (``123.batch``, ``123.extern``,
  ``123.0``, ``123+0.batch``) are job steps and are ignored: the job row already holds the
  allocation. Array tasks (``5908801_3``) and heterogeneous-job components (``123+0``) are
  jobs.
* **GPUs** come from ``AllocTRES`` (what was allocated, not requested): ``gres/gpu=N``; if
  that untyped entry is absent, the sum of typed entries ``gres/gpu:TYPE=N``. ``gpu_type`` is
  TYPE when exactly one type appears. ``gres/gpumem`` / ``gres/gpuutil`` are not GPUs. Rows
  without GPUs are counted in ``jobs_read`` but are not GPU jobs (not errors). A negative
  count (``gres/gpu=-2``) or ``ElapsedRaw`` is a bad row ("must be 0 or more").
* **GPU-hours** = elapsed seconds / 3600 × GPUs, elapsed from ``ElapsedRaw`` (seconds), else
  ``Elapsed`` (``[D-]HH:MM:SS``, ``MM:SS`` or ``MM:SS.mmm``), else ``End − Start``.
* **Months.** sacct prints local times without a zone; they are read as wall-clock times in
  ``tz`` and the job's GPU-hours are split over calendar months (in ``tz``) in proportion to
  the overlap of [Start, End) with each month (so when End − Start differs from the elapsed
  time, e.g. after a suspension, the *elapsed* GPU-hours are what gets split). Times are read
  with ``datetime.fromisoformat`` after checking the exact ``YYYY-MM-DDTHH:MM:SS`` shape;
  ``dateutil`` is not used (it guesses).
* **Not counted.** ``Start`` = ``None``/``Unknown`` with zero elapsed: never ran, ignored.
  ``End`` = ``Unknown`` (still running): a :class:`SkippedRow` saying so.
* **Duplicates.** Rows are the same run of a job when JobID *and* Start match. Of such rows
  only one is counted: the one with the latest End (a later export of the same run has the
  newer, final figure), else the first; the others become :class:`SkippedRow` entries
  naming the line that was counted (also when the earlier row is the one dropped). The same
  JobID with a *different* Start is a separate run (a requeued job, as listed by
  ``sacct --duplicates``): each run held its GPUs, so each is counted.
* **Errors.** A bad row (wrong number of columns, bad JobID, time, elapsed or TRES) becomes a
  :class:`SkippedRow` with its 1-based line number in the file (also in ``error.line``; the
  message itself does not repeat it), and parsing goes on; ``skipped`` is in line order. A
  problem with the whole file (empty, binary, sacct's fixed-width table, a CSV file or table,
  no header and no ``fields``, ``fields`` and a header, missing required columns, no row with
  the header's number of columns) raises :class:`~bot.errors.UserError`. Only the first
  :data:`MAX_SKIPPED` skipped rows (by line) are kept with their reasons; the rest are counted.
* **Streaming.** :func:`read_sacct` takes the text or its lines (a file object) and reads rows
  as they are iterated over, yielding each counted job run (:class:`Run`, GPU-hours per month)
  or :class:`SkippedRow`; memory grows only by a small entry per run, kept to find repeated
  rows. A row that replaces an earlier one (same run, later End) says so in ``Run.replaces``.
  :func:`parse_sacct` collects everything into a :class:`SacctResult`, for small files.
"""

from __future__ import annotations

from .job import Run
from .lines import utf8_file_lines
from .model import MAX_SKIPPED, JobUsage, SacctResult, SkipLog, SkippedRow
from .parse import parse_sacct, read_sacct
from .rows import SacctRows
from .values import parse_elapsed

__all__ = [
    "MAX_SKIPPED",
    "JobUsage",
    "Run",
    "SacctResult",
    "SacctRows",
    "SkipLog",
    "SkippedRow",
    "parse_elapsed",
    "parse_sacct",
    "read_sacct",
    "utf8_file_lines",
]
