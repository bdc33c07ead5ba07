"""One job row: its GPUs, elapsed time, Start/End and its GPU-hours per month."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from bot.errors import UserError

from .model import Counts
from .split import _whole_month, split_by_month
from .values import fast_time as _fast_time
from .values import parse_count, parse_elapsed, parse_gpus, parse_time

_UTC = datetime.UTC
_JOBID_RE = re.compile(r"[0-9]+(?:[_+][0-9A-Za-z\[\]\-,%:]+)*", re.ASCII)
_MAX_ELAPSED = 10 * 366 * 86400  # ten years: anything longer is a corrupt row, not a job
_NOT_STARTED = {"", "none", "unknown"}
_RUNNING_STATES = ("RUNNING", "SUSPENDED", "REQUEUED", "RESIZING", "COMPLETING")
_jobid_fullmatch = _JOBID_RE.fullmatch


@dataclass(slots=True)
class Run:
    """A GPU job row that is counted; runs are the same when (job_id, start) match.

    Attributes:
        job_id: the Slurm JobID.
        start: Start as ``YYYY-MM-DDTHH:MM:SS`` (local time in the cluster's zone).
        end: End, naive local time.
        line: 1-based line number of the row.
        gpus: GPUs allocated; gpu_type: the one GPU type named, else None.
        hours: (``"YYYY-MM"``, GPU-hours in that month) for each month the job ran in.
        replaces: line of an earlier row of the same run that this one replaces (it has a
            later End), whose hours no longer count; else None.
    """

    job_id: str
    start: str
    end: datetime.datetime
    line: int
    gpus: int
    gpu_type: str | None
    hours: list[tuple[str, float]]
    replaces: int | None = None


@dataclass(frozen=True)
class Columns:
    """Positions of the columns read (None: not in the file)."""

    jobid: int
    alloctres: int
    elapsedraw: int | None
    elapsed: int | None
    start: int | None
    end: int | None
    state: int | None

    @classmethod
    def of(cls, index: dict[str, int]) -> Columns:
        return cls(**{name: index.get(name) for name in cls.__dataclass_fields__})


def read_job(
    parts: list[str], cols: Columns, line_no: int, tz: datetime.tzinfo, counts: Counts
) -> Run | None:
    """The GPU job of one row; None for steps, jobs without GPUs and jobs that never ran.
    Counts job rows in ``counts.jobs_read``. Raises UserError for a bad or uncountable row
    (the caller records it as skipped)."""

    # Hot path (once per row): columns read by index, no per-row closure.
    job_id = parts[cols.jobid].strip()
    if "." in job_id:
        return None  # job step: the job row holds the allocation
    # all ASCII digits (the common JobID) matches _JOBID_RE; anything else is checked by it
    if not (job_id.isdigit() and job_id.isascii()) and not _jobid_fullmatch(job_id):
        raise UserError(
            f"“{job_id[:40]}” is not a Slurm JobID.",
            f"「{job_id[:40]}」はSlurmのJobIDではありません。",
            field="JobID",
        )
    counts.jobs_read += 1
    gpus, gpu_type = parse_gpus(parts[cols.alloctres])
    if gpus == 0:
        return None

    elapsed: int | None = None
    i = cols.elapsedraw
    raw_elapsed = None if i is None else parts[i].strip()
    if raw_elapsed:
        # [0-9]{1,12} (what parse_count accepts) without the regex; else parse_count decides
        if len(raw_elapsed) <= 12 and raw_elapsed.isascii() and raw_elapsed.isdigit():
            elapsed = int(raw_elapsed)
        else:
            elapsed = parse_count(raw_elapsed, raw_elapsed, "ElapsedRaw", "the seconds", "秒数")
    elif (i := cols.elapsed) is not None and (text_elapsed := parts[i].strip()):
        elapsed = parse_elapsed(text_elapsed)  # Elapsed is read only without ElapsedRaw

    if elapsed is not None and elapsed > _MAX_ELAPSED:
        raise UserError(
            f"The elapsed time ({elapsed} s) is longer than ten years; the row looks corrupt.",
            f"経過時間（{elapsed}秒）が10年を超えています。行が壊れているようです。",
            field="ElapsedRaw" if raw_elapsed else "Elapsed",
        )

    i = cols.start
    start_text = None if i is None else parts[i].strip()
    i = cols.end
    end_text = None if i is None else parts[i].strip()
    start = end = None
    if start_text is not None:
        if start_text.lower() in _NOT_STARTED:
            if not elapsed:
                return None  # never ran (pending, cancelled before start)
            raise UserError(
                f"Start is “{start_text}” but the job has an elapsed time.",
                f"Start が「{start_text}」ですが、経過時間があります。",
                field="Start",
            )
        start = _fast_time(start_text) or parse_time(start_text, "Start")
    if end_text is not None:
        running = end_text.lower() == "unknown"
    else:
        i = cols.state
        running = i is not None and parts[i].strip().upper().startswith(_RUNNING_STATES)
    if running:
        raise UserError(
            f"Job {job_id} is still running (End is “{end_text or 'Unknown'}”), so its "
            "GPU-hours are not final; it was not counted. Export after it ends, or limit "
            "sacct with --endtime.",
            f"ジョブ {job_id} は実行中（End が「{end_text or 'Unknown'}」）のため、"
            "GPU時間が確定しておらず集計していません。終了後に出力するか、"
            "sacct に --endtime を指定してください。",
            field="End",
        )
    if end_text is not None:
        end = _fast_time(end_text) or parse_time(end_text, "End")
    if (start is None or end is None) and elapsed is None:
        raise UserError(
            "The row has no elapsed time (ElapsedRaw/Elapsed is empty), and without "
            f"{'Start' if start is None else 'End'} the job's GPU-hours cannot be worked out.",
            f"経過時間（ElapsedRaw/Elapsed）が空で、{'Start' if start is None else 'End'} も"
            "ないため、GPU時間を計算できません。",
            field="ElapsedRaw" if cols.elapsedraw is not None else "Elapsed",
        )
    if start is None and end is not None and elapsed is not None:  # no Start column
        start = end - datetime.timedelta(seconds=elapsed)
    if end is None and start is not None and elapsed is not None:  # no End column
        end = start + datetime.timedelta(seconds=elapsed)
    if start is None or end is None:  # unreachable: check_columns needs two of three
        raise UserError("The row lacks Start and End.", "Start と End がありません。")
    if end < start:
        raise UserError(
            f"End {end.isoformat()} is before Start {start.isoformat()}.",
            f"End（{end.isoformat()}）が Start（{start.isoformat()}）より前です。",
            field="End",
        )
    if elapsed is None:
        elapsed = int(
            (
                end.replace(tzinfo=tz).astimezone(_UTC) - start.replace(tzinfo=tz).astimezone(_UTC)
            ).total_seconds()
        )

    total = elapsed / 3600 * gpus
    year, month = start.year, start.month
    whole = _whole_month(year, month, tz) if end.year == year and end.month == month else None
    if whole is not None:  # split_by_month's own fast path, without copying its list
        ((month_key, share),) = whole
        hours = [(month_key, total * share)]
    else:
        hours = [(m, total * share) for m, share in split_by_month(start, end, tz)]
    shown = start_text if start_text is not None else start.isoformat()
    return Run(job_id, shown, end, line_no, gpus, gpu_type, hours)
