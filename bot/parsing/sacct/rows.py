"""Reading the data rows: column counts, TRES commas, duplicate runs and skipped rows."""

from __future__ import annotations

import datetime
import re

from bot.errors import UserError

from .job import Run, read_job
from .messages import file_error
from .model import SacctResult, SkippedRow

_TRES_ENTRY_RE = re.compile(r"[A-Za-z][^=\"]*=[^=\"]*")  # name=value, no CSV quotes
_TRES_COLUMNS = ("alloctres", "reqtres")


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


def read_rows(
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
    runs: dict[tuple[str, str], Run] = {}
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
            run = read_job(parts, index, line_no, tz, result)
        except UserError as exc:
            result.skipped.append(_skip(line_no, exc.en, exc.ja, exc.field))
            continue
        if run is not None:
            _count_run(result, runs, run)
    if result.rows_read and width_errors == result.rows_read:
        raise file_error(
            f"No row has the expected {len(names)} columns separated by “{delim}”; this does "
            "not look like sacct --parsable2 output with these fields.",
            f"{len(names)}列（区切り「{delim}」）に合う行がありません。"
            "この項目でのsacct --parsable2 の出力ではないようです。",
        )
    result.skipped.sort(key=lambda s: s.line)
    return result


def _count_run(result: SacctResult, runs: dict[tuple[str, str], Run], run: Run) -> None:
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
