"""Evaluation results files: lm-evaluation-harness, llm-jp-eval and a plain CSV.

:func:`parse_eval_file` takes the bytes of an uploaded file and returns an :class:`EvalRun`:
run metadata (model, date, harness version, ``limit``) and a list of :class:`EvalScore` rows
(task, metric, filter, value, stderr, n-shot, version, higher-is-better, group flag, sample
counts). It only reads; checking a run against the programme's standard suite is
:mod:`bot.services.eval_validation`.

Formats (each module's docstring has the exact keys read):

* ``"lm-eval"``: lm-evaluation-harness ≥ 0.4 ``results_<date>.json`` (``results`` keyed
  ``"metric,filter"``, ``groups``, ``group_subtasks``, ``configs``, ``versions``, ``n-shot``,
  ``higher_is_better``, ``n-samples``, ``config``; :mod:`.lm_eval`).
* ``"lm-eval-v0.3"``: the older layout (plain metric keys, ``config.num_fewshot``).
* ``"llm-jp-eval"``: ``<dataset>_<metric>`` scores, category averages and AVG/AVR
  (:mod:`.llm_jp_eval`).
* ``"csv"``: ``task,metric,value[,stderr,n_shot]`` (:mod:`.csv_scores`).

Missing values (``"N/A"``, ``null``, ``NaN``, ``""``) are None, never 0. Everything a sender
can get wrong (size over :data:`MAX_BYTES`, empty, binary, not UTF-8, broken or truncated
JSON, JSON bombs, wrong shapes, bad CSV rows, no scores) is a bilingual
:class:`~bot.errors.UserError`.
"""

from __future__ import annotations

from .jsonsafe import MAX_DEPTH, MAX_NUMBER_CHARS, MAX_VALUES
from .model import FORMATS, EvalRun, EvalScore
from .parse import MAX_BYTES, parse_eval_file

__all__ = [
    "EvalRun",
    "EvalScore",
    "FORMATS",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NUMBER_CHARS",
    "MAX_VALUES",
    "parse_eval_file",
]
