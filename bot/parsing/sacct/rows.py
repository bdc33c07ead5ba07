"""Reading the data rows, lazily: column counts, TRES commas, duplicate runs and skipped rows."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from bot.errors import UserError

from .header import csv_quoted, refuse_file
from .job import Columns, Run, read_job
from .messages import csv_error, file_error
from .model import Counts, SkippedRow

_TRES_ENTRY_RE = re.compile(r"[A-Za-z][^=\"]*=[^=\"]*")  # name=value, no CSV quotes
_TRES_COLUMNS = ("alloctres", "reqtres")
_EPOCH = datetime.datetime(1970, 1, 1)
_SECOND = datetime.timedelta(seconds=1)
_LINE_BITS = 40  # runs seen are packed as End seconds << 40 | line, to keep them small


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


class SacctRows:
    """The rows of one sacct file, read as they are iterated over (once).

    Iterating yields, in file order, a :class:`~.job.Run` for each GPU job run counted and a
    :class:`SkippedRow` for each row not counted (a row dropped for a later one of the same
    run comes when that later row is read, so skipped lines are not in order). ``counts``
    grows as rows are read. Memory: one small entry per run seen (to find repeated rows),
    nothing else per row. Raises UserError for problems with the whole file (binary, CSV
    quoting, no row with the expected columns) when it meets them.
    """

    def __init__(
        self,
        data: Iterator[tuple[int, str]],
        names: list[str],
        index: dict[str, int],
        delim: str,
        trailing: bool,
        header_line: str | None,
        tz: datetime.tzinfo,
    ) -> None:
        self._data, self._names, self._delim, self._trailing = data, names, delim, trailing
        self._cols, self._header_line, self._tz = Columns.of(index), header_line, tz
        self.counts = Counts()

    def __iter__(self) -> Iterator[Run | SkippedRow]:
        names, delim, trailing, counts = self._names, self._delim, self._trailing, self.counts
        cols, tz, header_line = self._cols, self._tz, self._header_line
        n_names = len(names)
        expected = n_names + (1 if trailing else 0)
        width_errors = 0
        runs: dict[str, int] = {}  # "JobID Start" → _pack() of the run's row counted
        runs_get = runs.get
        for line_no, raw in self._data:
            if '"' in raw and csv_quoted(raw, delim):
                refuse_file(
                    csv_error(line_no, "has quoted values", "に引用符で囲まれた値があります"),
                    self._data,
                    None,
                )
            if raw.strip() == header_line:
                continue  # a repeated header (outputs concatenated)
            counts.rows_read += 1
            parts = raw.split(delim)
            n_parts = len(parts)
            # _split_row only joins cells back when there are more than the names (not
            # counting an empty cell after a trailing delimiter); otherwise it returns them.
            if n_parts > n_names and not (trailing and n_parts == n_names + 1 and parts[-1] == ""):
                parts = _split_row(raw, delim, names, trailing)
                n_parts = len(parts)
            if n_parts != expected or (trailing and parts[-1] != ""):
                width_errors += 1
                yield _width_error(line_no, parts, names, delim, trailing)
                continue
            try:
                run = read_job(parts, cols, line_no, tz, counts)
            except UserError as exc:
                yield _skip(line_no, exc.en, exc.ja, exc.field)
                continue
            if run is None:
                continue
            key = f"{run.job_id} {run.start}"
            earlier = runs_get(key)
            if earlier is None:  # the common case: a run not seen before
                runs[key] = (run.end - _EPOCH) // _SECOND << _LINE_BITS | line_no  # _pack(run)
                counts.gpu_jobs += 1
                yield run
            else:
                yield from _repeated(runs, key, earlier, run)
        if counts.rows_read and width_errors == counts.rows_read:
            raise file_error(
                f"No row has the expected {len(names)} columns separated by “{delim}”; this "
                "does not look like sacct --parsable2 output with these fields.",
                f"{len(names)}列（区切り「{delim}」）に合う行がありません。"
                "この項目でのsacct --parsable2 の出力ではないようです。",
            )


def _width_error(
    line_no: int, parts: list[str], names: list[str], delim: str, trailing: bool
) -> SkippedRow:
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
    return _skip(
        line_no,
        f"The row has {found} columns; {len(names)} were expected.{hint_en}",
        f"この行の列数は{found}ですが、{len(names)}列のはずです。{hint_ja}",
    )


def _pack(run: Run) -> int:
    """End (whole seconds since 1970) and line of a run in one int, to keep ``runs`` small."""
    return (run.end - _EPOCH) // _SECOND << _LINE_BITS | run.line


def _repeated(runs: dict[str, int], key: str, earlier: int, run: Run) -> list[Run | SkippedRow]:
    """``run`` repeats the row of the same run (same JobID and Start) packed in ``earlier``:
    of the two the one with the later End is kept (a later export), else the first. Returns
    ``run`` with ``replaces`` set and a SkippedRow for the earlier row, or a SkippedRow for
    ``run``."""
    job_id, shown = run.job_id, run.start
    earlier_line = earlier & ((1 << _LINE_BITS) - 1)
    earlier_end = _EPOCH + (earlier >> _LINE_BITS) * _SECOND
    if run.end > earlier_end:
        runs[key] = _pack(run)
        run.replaces = earlier_line
        dropped = _skip(
            earlier_line,
            f"Job {job_id} (Start {shown}) appears again on line {run.line} with a later "
            f"End ({run.end.isoformat()}, a newer export); that row was counted instead.",
            f"ジョブ {job_id}（Start {shown}）は{run.line}行目にもあり、そちらの End"
            f"（{run.end.isoformat()}）の方が後（新しい出力）のため、そちらを集計しました。",
            "End",
        )
        return [run, dropped]
    if run.end < earlier_end:
        return [
            _skip(
                run.line,
                f"Job {job_id} (Start {shown}) also appears on line {earlier_line} with a "
                f"later End ({earlier_end.isoformat()}, a newer export); that row was counted.",
                f"ジョブ {job_id}（Start {shown}）は{earlier_line}行目にもあり、そちらの End"
                f"（{earlier_end.isoformat()}）の方が後（新しい出力）のため、そちらを集計しました。",
                "End",
            )
        ]
    return [
        _skip(
            run.line,
            f"Job {job_id} (Start {shown}) already appeared on line {earlier_line}; counted once.",
            f"ジョブ {job_id}（Start {shown}）は{earlier_line}行目と重複しているため、"
            "1回だけ集計しました。",
            "JobID",
        )
    ]


def _skip(line_no: int, en: str, ja: str, column: str | None = None) -> SkippedRow:
    return SkippedRow(line_no, UserError(en, ja, field=column, line=line_no))
