""":func:`parse_eval_file`: bytes of an uploaded results file → :class:`EvalRun`."""

from __future__ import annotations

import codecs

from bot.errors import UserError
from bot.parsing.sacct.header import looks_binary

from .csv_scores import looks_like_header, parse_scores_csv
from .jsonsafe import load_json
from .llm_jp_eval import looks_like_llm_jp_eval, parse_llm_jp_eval
from .lm_eval import is_current_layout, parse_lm_eval, parse_lm_eval_v03
from .model import EvalRun
from .values import shape_error

__all__ = ["MAX_BYTES", "parse_eval_file"]

MAX_BYTES = 10 * 1024 * 1024
"""Largest results file accepted, in bytes (10 MB; a full lm-eval MMLU results file is ~100 kB)."""

_ACCEPTED_EN = (
    "Accepted: the results JSON of lm-evaluation-harness (results_….json, or the older v0.3 "
    "layout), an llm-jp-eval score JSON, or a CSV with the header task,metric,value"
    "[,stderr,n_shot]."
)
_ACCEPTED_JA = (
    "受け付ける形式: lm-evaluation-harness の結果JSON（results_….json、または旧v0.3形式）、"
    "llm-jp-eval のスコアJSON、またはヘッダー行が task,metric,value[,stderr,n_shot] のCSV。"
)


def _refuse(en: str, ja: str, *, line: int | None = None) -> UserError:
    return UserError(f"{en} {_ACCEPTED_EN}", f"{ja}{_ACCEPTED_JA}", line=line)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.1f} MB"


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UserError(
            "The file is saved as UTF-16; save it as UTF-8 and send it again.",
            "ファイルがUTF-16で保存されています。UTF-8で保存し直して送ってください。",
        )
    if b"\x00" in data:
        raise _refuse(
            "This file is not text (it looks binary).",
            "このファイルはテキストではありません（バイナリのようです）。",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(
            f"The file is not UTF-8 text (a byte that is not UTF-8 on line {line}). Save it as "
            "UTF-8 and send it again.",
            f"ファイルがUTF-8のテキストではありません（{line}行目にUTF-8でないバイトがあります）。"
            "UTF-8で保存し直して送ってください。",
            line=line,
        ) from None
    if looks_binary(text):
        raise _refuse(
            "This file is not text (it looks binary).",
            "このファイルはテキストではありません（バイナリのようです）。",
        )
    return text


def _parse_json(text: str) -> EvalRun:
    root = load_json(text)
    if not isinstance(root, dict):
        raise shape_error(
            "(top level)",
            "an object ({…}) holding the results",
            "結果を持つオブジェクト（{…}）",
            root,
        )
    if "results" in root:
        return parse_lm_eval(root) if is_current_layout(root) else parse_lm_eval_v03(root)
    if looks_like_llm_jp_eval(root):
        return parse_llm_jp_eval(root)
    raise _refuse(
        "This JSON is not an evaluation results file: it has no “results” (lm-evaluation-"
        "harness) and no AVG/AVR or <dataset>_<metric> scores (llm-jp-eval).",
        "このJSONは評価結果のファイルではありません。「results」（lm-evaluation-harness）も、"
        "AVG/AVR や <データセット>_<指標> のスコア（llm-jp-eval）もありません。",
    )


def parse_eval_file(data: bytes, filename: str) -> EvalRun:
    """Read an evaluation results file of any accepted format.

    Detection: text starting with ``{`` or ``[`` is JSON (then lm-eval if it has ``results``,
    llm-jp-eval if it has AVG/AVR or ``<dataset>_<metric>`` keys); otherwise a first
    non-blank line naming ``task``, ``metric`` and ``value`` is the scores CSV. A file named
    ``….json`` that is neither is reported as broken JSON.

    Args:
        data: the file's bytes (UTF-8, a BOM is fine).
        filename: the name it was uploaded under; only a hint for error messages.

    Returns:
        The :class:`EvalRun`, with at least one score.

    Raises:
        UserError: bilingual, for a file over :data:`MAX_BYTES` (checked before anything is
            decoded), an empty, binary, UTF-16 or non-UTF-8 file, text that is neither JSON
            nor the CSV, broken or truncated JSON (``line`` set), JSON bombs (see
            :mod:`.jsonsafe`), a wrong shape (the message starts with the JSON path, e.g.
            ``results.gsm8k``), a bad CSV row (``line`` set), and a file without scores.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("parse_eval_file expects the file's bytes")
    size = len(data)
    if size > MAX_BYTES:
        raise UserError(
            f"The file is {_mb(size)}; results files up to {_mb(MAX_BYTES)} are accepted. "
            "Send the results JSON, not the samples log.",
            f"ファイルが{_mb(size)}あります。受け付けるのは{_mb(MAX_BYTES)}までです。"
            "サンプルのログではなく、結果のJSONを送ってください。",
        )
    data = bytes(data)
    if not data.strip():
        raise _refuse("The file is empty.", "ファイルが空です。")
    text = _decode(data)
    body = text.lstrip()
    if not body:
        raise _refuse("The file is empty.", "ファイルが空です。")
    if body[0] in "{[":
        run = _parse_json(text)
    else:
        first_line = body.splitlines()[0]
        if looks_like_header(first_line):
            run = parse_scores_csv(text)
        elif filename.lower().endswith(".json"):
            run = _parse_json(text)  # reports where the JSON goes wrong
        else:
            raise _refuse(
                "This file is neither JSON nor a CSV with the header task,metric,value.",
                "このファイルはJSONでも、ヘッダー行が task,metric,value のCSVでもありません。",
                line=1,
            )
    if not run.scores:
        raise UserError(
            "The file has no scores (no task with a metric value).",
            "ファイルにスコアがありません（指標の値を持つタスクがありません）。",
        )
    return run
