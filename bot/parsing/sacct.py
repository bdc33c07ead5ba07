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
  the header's number of columns) raises :class:`~bot.errors.UserError`.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from dataclasses import dataclass, field

from bot.errors import UserError

__all__ = ["JobUsage", "SkippedRow", "SacctResult", "parse_sacct", "parse_elapsed"]

_UTC = datetime.UTC


@dataclass(frozen=True)
class JobUsage:
    """GPU use of one job in one calendar month.

    Attributes:
        job_id: Slurm JobID as printed (``"7965768"``, ``"5908801_3"``, ``"123+0"``).
        month: ``"YYYY-MM"`` in the ``tz`` given to :func:`parse_sacct`.
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


@dataclass(frozen=True)
class SkippedRow:
    """A row that was not counted, with the reason (``error.en`` / ``error.ja``)."""

    line: int
    error: UserError


@dataclass
class SacctResult:
    """What :func:`parse_sacct` read.

    Attributes:
        usages: one :class:`JobUsage` per (GPU job, month it ran in), in file order.
        skipped: rows not counted: bad rows, running jobs, duplicates; in line order.
        rows_read: data rows read (not blank lines, not header lines), steps included.
        jobs_read: of those, job rows (not steps), with or without GPUs.
        gpu_jobs: GPU jobs whose GPU-hours are in ``usages``.
    """

    usages: list[JobUsage] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    rows_read: int = 0
    jobs_read: int = 0
    gpu_jobs: int = 0

    def gpu_hours_by_month(self) -> dict[str, float]:
        """Total GPU-hours per ``"YYYY-MM"`` month, months in ascending order."""
        totals: dict[str, float] = {}
        for usage in self.usages:
            totals[usage.month] = totals.get(usage.month, 0.0) + usage.gpu_hours
        return dict(sorted(totals.items()))


# Field names used to recognise a header line (lower case). A header must consist only of
# name-like tokens and contain at least one of these.
_KNOWN_FIELDS = frozenset(
    """jobid jobidraw jobname user uid group gid account partition qos cluster state exitcode
    submit eligible start end elapsed elapsedraw timelimit timelimitraw alloctres reqtres
    alloccpus ncpus nnodes ntasks nodelist reqmem maxrss totalcpu cputime cputimeraw comment
    workdir reservation priority""".split()
)
_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_JOBID_RE = re.compile(r"[0-9]+(?:[_+][0-9A-Za-z\[\]\-,%:]+)*", re.ASCII)
_TIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}", re.ASCII)
_ELAPSED_HMS_RE = re.compile(
    r"(?:(?P<d>[0-9]{1,5})-)?(?P<h>[0-9]{1,6}):(?P<m>[0-9]{2}):(?P<s>[0-9]{2})", re.ASCII
)
_ELAPSED_MS_RE = re.compile(r"(?P<m>[0-9]{1,7}):(?P<s>[0-9]{2})(?:\.(?P<f>[0-9]{1,6}))?", re.ASCII)
_INT_RE = re.compile(r"[0-9]{1,12}", re.ASCII)
_NEGATIVE_RE = re.compile(r"-\s*[0-9]+(?:\.[0-9]*)?", re.ASCII)
_TRES_ENTRY_RE = re.compile(r"[A-Za-z][^=\"]*=[^=\"]*")  # name=value, no CSV quotes
_TRES_COLUMNS = ("alloctres", "reqtres")
_CSV_DELIMITERS = ",;\t"  # delimiters of CSV files, where fields may be quoted
_QUOTES = "\"'"
_MAX_ELAPSED = 10 * 366 * 86400  # ten years: anything longer is a corrupt row, not a job
_YEARS = (1970, 2999)  # plausible sacct years; keeps time arithmetic far from overflow
_NOT_STARTED = {"", "none", "unknown"}
_RUNNING_STATES = ("RUNNING", "SUSPENDED", "REQUEUED", "RESIZING", "COMPLETING")
_HOW_TO = (
    "Export it with e.g. `sacct -a -X --parsable2 --format=JobID,Start,End,ElapsedRaw,AllocTRES`.",
    "例えば `sacct -a -X --parsable2 --format=JobID,Start,End,ElapsedRaw,AllocTRES` で"
    "出力してください。",
)


def _file_error(en: str, ja: str, *, line: int | None = None) -> UserError:
    return UserError(f"{en} {_HOW_TO[0]}", f"{ja}{_HOW_TO[1]}", line=line)


def _csv_error(line_no: int, what_en: str, what_ja: str) -> UserError:
    return _file_error(
        f"This looks like a CSV file or a formatted table, not sacct --parsable2 output: line "
        f"{line_no} {what_en}. sacct --parsable2 separates fields by one character (“|” by "
        "default) and never quotes them.",
        f"これはCSVファイルか整形された表のようで、sacct --parsable2 の出力ではありません"
        f"（{line_no}行目{what_ja}）。sacct --parsable2 は項目を1文字（既定は「|」）で区切り、"
        "引用符で囲みません。",
        line=line_no,
    )


def _count(value: str, entry: str, column: str, en_what: str, ja_what: str) -> int:
    """A whole number ≥ 0 from a sacct column, else a UserError naming ``entry``."""
    if _INT_RE.fullmatch(value):
        return int(value)
    if _NEGATIVE_RE.fullmatch(value):
        raise UserError(
            f"{column} “{entry[:80]}”: {en_what} must be 0 or more.",
            f"{column} の「{entry[:80]}」: {ja_what}は0以上である必要があります。",
            field=column,
        )
    raise UserError(
        f"{column} “{entry[:80]}”: {en_what} must be a whole number.",
        f"{column} の「{entry[:80]}」: {ja_what}は整数である必要があります。",
        field=column,
    )


def parse_elapsed(text: str) -> int:
    """Parse sacct's ``Elapsed`` into whole seconds.

    Accepts ``[D-]HH:MM:SS`` (``1-04:33:44``, ``03:34:13``), ``MM:SS`` and ``MM:SS.mmm``
    (fractions are dropped, as in ``ElapsedRaw``).

    Raises:
        UserError: (``field="Elapsed"``) for any other text or minutes/seconds ≥ 60.
    """
    text = text.strip()
    if m := _ELAPSED_HMS_RE.fullmatch(text):
        days, hours = int(m["d"] or 0), int(m["h"])
        minutes, seconds = int(m["m"]), int(m["s"])
        if minutes < 60 and seconds < 60 and (m["d"] is None or hours < 24):
            return ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    elif m := _ELAPSED_MS_RE.fullmatch(text):
        minutes, seconds = int(m["m"]), int(m["s"])
        if seconds < 60:
            return minutes * 60 + seconds
    raise UserError(
        f"Elapsed “{text[:40]}” is not a Slurm duration like 1-04:33:44, 03:34:13 or 05:07.",
        f"Elapsed「{text[:40]}」はSlurmの経過時間（1-04:33:44、03:34:13、05:07 など）として"
        "読み取れません。",
        field="Elapsed",
    )


def _parse_time(value: str, column: str) -> datetime.datetime:
    if _TIME_RE.fullmatch(value):
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if _YEARS[0] <= parsed.year <= _YEARS[1]:
                return parsed
    raise UserError(
        f"{column} “{value[:40]}” is not a sacct time like 2026-03-31T23:00:00.",
        f"{column}「{value[:40]}」はsacctの日時（2026-03-31T23:00:00 など）として読み取れません。",
        field=column,
    )


def _parse_gpus(tres: str) -> tuple[int, str | None]:
    """GPUs and GPU type from an AllocTRES value such as
    ``billing=8,cpu=8,gres/gpu:v100=1,gres/gpu=1,mem=10G,node=1``."""
    untyped: int | None = None
    typed: dict[str, int] = {}
    tres = tres.strip()
    for entry in tres.split(",") if tres else []:
        key, sep, value = entry.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise UserError(
                f"AllocTRES “{tres[:80]}” is not a list of name=value pairs.",
                f"AllocTRES「{tres[:80]}」は name=value の並びではありません。",
                field="AllocTRES",
            )
        if key != "gres/gpu" and not key.startswith("gres/gpu:"):
            continue
        count = _count(value, entry.strip(), "AllocTRES", "the GPU count", "GPU数")
        if key == "gres/gpu":
            untyped = (untyped or 0) + count
        else:
            gpu_type = key[len("gres/gpu:") :]
            typed[gpu_type] = typed.get(gpu_type, 0) + count
    gpus = untyped if untyped is not None else sum(typed.values())
    gpu_type = next(iter(typed)) if len(typed) == 1 else None
    return gpus, gpu_type


def _month_start(year: int, month: int, tz: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime(year, month, 1, tzinfo=tz).astimezone(_UTC)


def _split_by_month(
    start: datetime.datetime, end: datetime.datetime, tz: datetime.tzinfo
) -> list[tuple[str, float]]:
    """Shares (summing to 1) of [start, end) per ``YYYY-MM`` month in ``tz``; start/end naive,
    local in ``tz``."""
    start_utc = start.replace(tzinfo=tz).astimezone(_UTC)
    end_utc = end.replace(tzinfo=tz).astimezone(_UTC)
    if end_utc <= start_utc:
        return [(f"{start.year:04d}-{start.month:02d}", 1.0)]
    total = (end_utc - start_utc).total_seconds()
    shares: list[tuple[str, float]] = []
    year, month = start.year, start.month
    while True:
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        lo = max(start_utc, _month_start(year, month, tz))
        hi = min(end_utc, _month_start(next_year, next_month, tz))
        if hi > lo:
            shares.append((f"{year:04d}-{month:02d}", (hi - lo).total_seconds() / total))
        if (next_year, next_month) > (end.year, end.month):
            return shares
        year, month = next_year, next_month


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:4096]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n\f")
    return controls + sample.count("\ufffd") > max(8, len(sample) // 100)


def _split_header(line: str, delimiter: str | None) -> tuple[list[str], str, bool] | None:
    """(names, delimiter, trailing) if ``line`` is a sacct header line, else None."""
    if delimiter is None:
        others = {c for c in line if not c.isascii() or not c.isalnum()}
        if len(others) > 1:
            return None
        delimiter = others.pop() if others else "|"
    parts = line.split(delimiter)
    trailing = len(parts) > 1 and parts[-1] == ""
    names = parts[:-1] if trailing else parts
    if not names or not all(_NAME_RE.fullmatch(n) for n in names):
        return None
    if not any(n.lower() in _KNOWN_FIELDS for n in names):
        return None
    return names, delimiter, trailing


def _refuse_csv_quoting(data: list[tuple[int, str]], delim: str) -> None:
    """Raise if a row has a CSV-quoted value (``"cpu=1,gres/gpu=1"``); sacct never quotes."""
    if delim not in _CSV_DELIMITERS:
        return
    for line_no, raw in data:
        if '"' in raw and any(cell.strip().startswith('"') for cell in raw.split(delim)):
            raise _csv_error(line_no, "has quoted values", "に引用符で囲まれた値があります")


def _looks_like_table_header(line: str) -> bool:
    """True if ``line`` is field names in a form sacct --parsable2 never prints: quoted
    (``"JobID","Start"``), padded (``JobID, Start`` or ``JobID | Start``) or aligned with
    runs of spaces (``JobID   Start``)."""
    candidates = {c for c in line if not (c.isascii() and c.isalnum()) and c not in _QUOTES}
    for delim in [*(c for c in candidates if not c.isspace()), None]:
        parts = [p.strip().strip(_QUOTES).strip() for p in line.split(delim)]
        if parts and parts[-1] == "":
            parts.pop()
        if (
            len(parts) >= 2
            and all(_NAME_RE.fullmatch(p) for p in parts)
            and sum(p.lower() in _KNOWN_FIELDS for p in parts) >= 2
        ):
            return True
    return False


def _guess_no_header_delimiter(line: str, n_fields: int) -> str | None:
    def fits(c: str) -> bool:
        count = line.count(c)
        return count == n_fields - 1 or (count == n_fields and line.endswith(c))

    if fits("|"):
        return "|"
    candidates = {c for c in line if not (c.isascii() and c.isalnum()) and fits(c)}
    return candidates.pop() if len(candidates) == 1 else None


def _check_columns(index: dict[str, int]) -> None:
    missing_en: list[str] = []
    for name in ("JobID", "AllocTRES"):
        if name.lower() not in index:
            missing_en.append(name)
    has_elapsed = "elapsedraw" in index or "elapsed" in index
    have = sum(("start" in index, "end" in index, has_elapsed))
    if have < 2:
        lacking = [
            n
            for n, ok in (
                ("Start", "start" in index),
                ("End", "end" in index),
                ("ElapsedRaw or Elapsed", has_elapsed),
            )
            if not ok
        ]
        missing_en.append(
            " / ".join(lacking) + " (two of Start, End and ElapsedRaw/Elapsed are needed)"
        )
    if missing_en:
        listed = "; ".join(missing_en)
        raise _file_error(
            f"The sacct output lacks required columns: {listed}.",
            f"sacctの出力に必要な列がありません: {listed}。",
        )


def parse_sacct(
    text: str,
    *,
    tz: zoneinfo.ZoneInfo,
    fields: list[str] | None = None,
    delimiter: str | None = None,
) -> SacctResult:
    """Read sacct ``--parsable2``/``--parsable`` output into GPU-hours per job and month.

    Args:
        text: the whole output, header line included when sacct printed one.
        tz: the cluster's time zone; sacct's zone-less times are read as local times there,
            and months are calendar months there (e.g. ``ZoneInfo("Asia/Tokyo")``).
        fields: the ``--format`` field list, needed only when the text has no header line
            (``--noheader``); must be None when the text has a header line.
        delimiter: the ``--delimiter`` character; default: detected from the header, else
            ``|``.

    Returns:
        A :class:`SacctResult`; ``usages`` in GPU-hours, see the module docstring for the
        rules and ``SacctResult.gpu_hours_by_month()`` for monthly totals.

    Raises:
        UserError: for problems with the whole input: empty, binary, sacct's fixed-width
            (non-parsable) output, a CSV file or formatted table, no header and no ``fields``,
            both a header and ``fields``, a delimiter that cannot be determined or that does
            not match the header, missing required columns, or no row with the expected
            number of columns. Problems with single rows do not raise; they are in
            ``skipped``.
    """
    if not isinstance(text, str):
        raise TypeError("parse_sacct expects the file's text as str")
    if delimiter is not None and len(delimiter) != 1:
        raise UserError(
            f"The delimiter must be a single character (got “{delimiter[:10]}”).",
            f"区切り文字は1文字で指定してください（「{delimiter[:10]}」が指定されました）。",
        )
    if _looks_binary(text):
        raise _file_error(
            "This file is not text (it looks binary); upload sacct's text output.",
            "このファイルはテキストではありません（バイナリのようです）。"
            "sacctのテキスト出力をアップロードしてください。",
        )
    lines = [ln.rstrip("\r") for ln in text.removeprefix("\ufeff").split("\n")]
    numbered = [(i, ln) for i, ln in enumerate(lines, start=1) if ln.strip()]
    if not numbered:
        raise _file_error("The sacct output is empty.", "sacctの出力が空です。")

    first_no, first = numbered[0]
    header = _split_header(first.strip(), delimiter)
    if header is None and len(numbered) > 1 and re.fullmatch(r"[-\s]+", numbered[1][1]):
        raise _file_error(
            "This is sacct's fixed-width table; it cuts long values. Run sacct with "
            "--parsable2 instead.",
            "これはsacctの固定幅の表形式で、長い値が切り詰められます。"
            "--parsable2 を付けて実行してください。",
        )
    if header is None and delimiter is not None:
        other = _split_header(first.strip(), None)
        if other is not None:
            raise _file_error(
                f"Line {first_no} is a sacct header separated by “{other[1]}”, but the "
                f"delimiter “{delimiter}” was given. Leave out the delimiter, or give “{other[1]}”.",
                f"{first_no}行目は「{other[1]}」区切りのsacctのヘッダー行ですが、区切り文字に"
                f"「{delimiter}」が指定されました。区切り文字の指定を外すか、「{other[1]}」を"
                "指定してください。",
                line=first_no,
            )
    if header is None and _looks_like_table_header(first.strip()):
        raise _csv_error(
            first_no,
            "has field names with quotes, spaces or more than one kind of separator",
            "の項目名に引用符・空白・複数種類の区切り文字があります",
        )
    if header is not None:
        _refuse_csv_quoting(numbered[1:], header[1])
        if fields is not None:
            raise UserError(
                f"The file already has a header line (line {first_no}: "
                f"{', '.join(header[0][:8])}{', …' if len(header[0]) > 8 else ''}), which "
                "names the columns; leave out the field list (--fields), or remove the header "
                "line.",
                f"このファイルには列名を示すヘッダー行（{first_no}行目）がすでにあります。"
                "項目の一覧（--fields）の指定を外すか、ヘッダー行を削除してください。",
                line=first_no,
            )
        names, delim, trailing = header
        data = numbered[1:]
    else:
        if fields is None:
            raise _file_error(
                f"Line {first_no} is not a sacct header line, so the columns are unknown. Run "
                "sacct without --noheader, or give the field list used in --format.",
                f"{first_no}行目がsacctのヘッダー行ではないため、列が分かりません。"
                "--noheader を付けずに実行するか、--format に使った項目の一覧を指定して"
                "ください。",
                line=first_no,
            )
        names = [f.strip() for f in fields]
        guessed = delimiter or _guess_no_header_delimiter(first, len(names))
        if guessed is None:
            raise _file_error(
                f"Cannot tell the delimiter: line {first_no} does not split into the "
                f"{len(names)} given fields with “|” or any single character. Give the "
                "--delimiter character.",
                f"区切り文字が分かりません。{first_no}行目は指定された{len(names)}項目に"
                "分割できません。--delimiter の文字を指定してください。",
                line=first_no,
            )
        delim = guessed
        _refuse_csv_quoting(numbered, delim)
        parts = first.split(delim)
        trailing = len(parts) == len(names) + 1 and parts[-1] == ""
        data = numbered

    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name.lower(), i)
    _check_columns(index)
    return _read_rows(data, names, index, delim, trailing, first.strip(), header is not None, tz)


@dataclass
class _Run:
    """A GPU job row that can be counted; duplicates are keyed by (job_id, start)."""

    job_id: str
    start: str
    end: datetime.datetime
    line: int
    usages: list[JobUsage]


def _split_row(raw: str, delim: str, names: list[str], trailing: bool) -> list[str]:
    """The row's cells. With a delimiter that also occurs inside TRES lists (``,`` from
    ``--delimiter=,``), surplus cells are joined back into a last ``AllocTRES``/``ReqTRES``
    column when every one of them is a ``name=value`` entry."""
    parts = raw.split(delim)
    ends_with_delim = trailing and len(parts) > 1 and parts[-1] == ""
    body = parts[:-1] if ends_with_delim else parts
    n = len(names)
    if (
        len(body) > n
        and names[-1].lower() in _TRES_COLUMNS
        and all(_TRES_ENTRY_RE.fullmatch(p.strip()) for p in body[n - 1 :])
    ):
        return [*body[: n - 1], delim.join(body[n - 1 :])] + ([""] if ends_with_delim else [])
    return parts


def _read_rows(
    data: list[tuple[int, str]],
    names: list[str],
    index: dict[str, int],
    delim: str,
    trailing: bool,
    header_line: str,
    has_header: bool,
    tz: datetime.tzinfo,
) -> SacctResult:
    result = SacctResult()
    expected = len(names) + (1 if trailing else 0)
    width_errors = 0
    runs: dict[tuple[str, str], _Run] = {}
    for line_no, raw in data:
        if has_header and raw.strip() == header_line:
            continue  # a repeated header (outputs concatenated)
        result.rows_read += 1
        parts = _split_row(raw, delim, names, trailing)
        if len(parts) != expected or (trailing and parts[-1] != ""):
            width_errors += 1
            found = len(parts) - (1 if trailing and parts[-1] == "" else 0)
            hint_en = hint_ja = ""
            if found > len(names) and delim == ",":
                hint_en = (
                    " With --delimiter=, the commas inside values (AllocTRES, NodeList) split "
                    "them too; use the default | delimiter, or put AllocTRES last."
                )
                hint_ja = (
                    "--delimiter=, では値の中のカンマ（AllocTRES、NodeList）でも分割されます。"
                    "既定の区切り文字 | を使うか、AllocTRES を最後の項目にしてください。"
                )
            result.skipped.append(
                _skip(
                    line_no,
                    f"The row has {found} columns; {len(names)} were expected.{hint_en}",
                    f"この行の列数は{found}ですが、{len(names)}列のはずです。{hint_ja}",
                )
            )
            continue
        try:
            run = _read_job(parts, index, line_no, tz, result)
        except UserError as exc:
            result.skipped.append(_skip(line_no, exc.en, exc.ja, exc.field))
            continue
        if run is not None:
            _count_run(result, runs, run)
    if result.rows_read and width_errors == result.rows_read:
        raise _file_error(
            f"No row has the expected {len(names)} columns separated by “{delim}”; this does "
            "not look like sacct --parsable2 output with these fields.",
            f"{len(names)}列（区切り「{delim}」）に合う行がありません。"
            "この項目でのsacct --parsable2 の出力ではないようです。",
        )
    result.skipped.sort(key=lambda s: s.line)
    return result


def _count_run(result: SacctResult, runs: dict[tuple[str, str], _Run], run: _Run) -> None:
    """Add ``run`` to ``result`` unless it repeats an earlier row of the same run (same JobID
    and Start); of two such rows the one with the later End is kept (a later export)."""
    job_id, shown = run.job_id, run.start
    key = (job_id, shown)
    earlier = runs.get(key)
    if earlier is None:
        runs[key] = run
        result.usages.extend(run.usages)
        result.gpu_jobs += 1
        return
    if run.end > earlier.end:
        result.usages[:] = [u for u in result.usages if u.line != earlier.line]
        result.usages.extend(run.usages)
        runs[key] = run
        result.skipped.append(
            _skip(
                earlier.line,
                f"Job {job_id} (Start {shown}) appears again on line {run.line} with a later "
                f"End ({run.end.isoformat()}, a newer export); that row was counted instead.",
                f"ジョブ {job_id}（Start {shown}）は{run.line}行目にもあり、そちらの End"
                f"（{run.end.isoformat()}）の方が後（新しい出力）のため、そちらを集計しました。",
                "End",
            )
        )
    elif run.end < earlier.end:
        result.skipped.append(
            _skip(
                run.line,
                f"Job {job_id} (Start {shown}) also appears on line {earlier.line} with a later "
                f"End ({earlier.end.isoformat()}, a newer export); that row was counted.",
                f"ジョブ {job_id}（Start {shown}）は{earlier.line}行目にもあり、そちらの End"
                f"（{earlier.end.isoformat()}）の方が後（新しい出力）のため、そちらを集計しました。",
                "End",
            )
        )
    else:
        result.skipped.append(
            _skip(
                run.line,
                f"Job {job_id} (Start {shown}) already appeared on line {earlier.line}; "
                "counted once.",
                f"ジョブ {job_id}（Start {shown}）は{earlier.line}行目と重複しているため、"
                "1回だけ集計しました。",
                "JobID",
            )
        )


def _skip(line_no: int, en: str, ja: str, column: str | None = None) -> SkippedRow:
    return SkippedRow(line_no, UserError(en, ja, field=column, line=line_no))


def _read_job(
    parts: list[str],
    index: dict[str, int],
    line_no: int,
    tz: datetime.tzinfo,
    result: SacctResult,
) -> _Run | None:
    """The GPU job of one row; None for steps, jobs without GPUs and jobs that never ran.
    Raises UserError for a bad or uncountable row (the caller records it as skipped)."""

    def col(name: str) -> str | None:
        i = index.get(name)
        return None if i is None else parts[i].strip()

    job_id = col("jobid") or ""
    if "." in job_id:
        return None  # job step: the job row holds the allocation
    if not _JOBID_RE.fullmatch(job_id):
        raise UserError(
            f"“{job_id[:40]}” is not a Slurm JobID.",
            f"「{job_id[:40]}」はSlurmのJobIDではありません。",
            field="JobID",
        )
    result.jobs_read += 1
    gpus, gpu_type = _parse_gpus(col("alloctres") or "")
    if gpus == 0:
        return None

    elapsed: int | None = None
    raw_elapsed, text_elapsed = col("elapsedraw"), col("elapsed")
    if raw_elapsed:
        elapsed = _count(raw_elapsed, raw_elapsed, "ElapsedRaw", "the seconds", "秒数")
    elif text_elapsed:
        elapsed = parse_elapsed(text_elapsed)

    if elapsed is not None and elapsed > _MAX_ELAPSED:
        raise UserError(
            f"The elapsed time ({elapsed} s) is longer than ten years; the row looks corrupt.",
            f"経過時間（{elapsed}秒）が10年を超えています。行が壊れているようです。",
            field="ElapsedRaw" if raw_elapsed else "Elapsed",
        )

    start_text, end_text = col("start"), col("end")
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
        start = _parse_time(start_text, "Start")
    state = (col("state") or "").upper()
    running = end_text is not None and end_text.lower() == "unknown"
    if running or (end_text is None and state.startswith(_RUNNING_STATES)):
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
        end = _parse_time(end_text, "End")
    if (start is None or end is None) and elapsed is None:
        raise UserError(
            "The row has no elapsed time (ElapsedRaw/Elapsed is empty), and without "
            f"{'Start' if start is None else 'End'} the job's GPU-hours cannot be worked out.",
            f"経過時間（ElapsedRaw/Elapsed）が空で、{'Start' if start is None else 'End'} も"
            "ないため、GPU時間を計算できません。",
            field="ElapsedRaw" if "elapsedraw" in index else "Elapsed",
        )
    if start is None and end is not None and elapsed is not None:  # no Start column
        start = end - datetime.timedelta(seconds=elapsed)
    if end is None and start is not None and elapsed is not None:  # no End column
        end = start + datetime.timedelta(seconds=elapsed)
    if start is None or end is None:  # unreachable: _check_columns needs two of three
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
    usages = [
        JobUsage(job_id, month, total * share, gpus, gpu_type, line_no)
        for month, share in _split_by_month(start, end, tz)
    ]
    return _Run(job_id, start.isoformat(), end, line_no, usages)
