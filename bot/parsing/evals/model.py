"""What an evaluation results file holds, whatever its format: :class:`EvalRun` and its
:class:`EvalScore` rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["EvalScore", "EvalRun", "FORMATS"]

FORMATS = ("lm-eval", "lm-eval-v0.3", "llm-jp-eval", "csv")
"""The values of :attr:`EvalRun.format`."""


@dataclass(frozen=True)
class EvalScore:
    """One number of a results file: a task's metric under one filter.

    Attributes:
        task: the harness task or group name as written (``"gsm8k_cot_llama"``, ``"mmlu"``,
            ``"jsquad"``; for llm-jp-eval category averages ``"NLI"``, and ``"AVG"``/``"AVR"``).
        metric: ``"exact_match"``, ``"acc"``, ``"acc_norm"``, ``"char_f1"`` …; ``"score"`` for
            llm-jp-eval category averages and the overall average.
        filter: lm-eval's filter (``"strict-match"``, ``"flexible-extract"``, ``"none"``),
            the part after the comma of a ``"metric,filter"`` key; None for the formats that
            have no filters (v0.3, llm-jp-eval, CSV).
        value: the score as a float, in the file's own unit (lm-eval writes fractions, 0–1);
            None when missing (``"N/A"``, ``null``, ``NaN``, ``""``, infinities), never 0.
        stderr: the standard error (lm-eval ``"<metric>_stderr,<filter>"``, v0.3
            ``"<metric>_stderr"``, the CSV ``stderr`` column); None when missing or ``"N/A"``.
        n_shot: few-shot examples per prompt (lm-eval ``n-shot`` or ``configs.<task>.num_fewshot``;
            v0.3 ``config.num_fewshot``); None if unknown. For an lm-eval group, the n-shot
            shared by all its leaf subtasks (lm-eval writes 0 for groups it has no config for).
        version: the task version as text, as the file writes it (``3.0`` → ``"3.0"``,
            ``1`` → ``"1"``, ``"1.0"`` stays); None if unknown.
        higher_is_better: lm-eval ``higher_is_better.<task>.<metric>``; None if not given.
        is_group: True for an aggregate row: lm-eval ``groups`` entries and ``group_subtasks``
            keys with subtasks; llm-jp-eval category averages and AVG/AVR.
        n_samples: ``(effective, original)`` sample counts from lm-eval ``n-samples``; None when
            the file does not say (groups, other formats).
    """

    task: str
    metric: str
    filter: str | None
    value: float | None
    stderr: float | None
    n_shot: int | None
    version: str | None
    higher_is_better: bool | None
    is_group: bool
    n_samples: tuple[int, int] | None


@dataclass(frozen=True)
class EvalRun:
    """One results file, read.

    Attributes:
        format: ``"lm-eval"`` (lm-evaluation-harness ≥ 0.4), ``"lm-eval-v0.3"``,
            ``"llm-jp-eval"`` or ``"csv"``.
        model_name: lm-eval ``model_name``; else the ``pretrained=`` value of ``model_args``
            (as lm-eval itself names models); llm-jp-eval
            ``config.model.pretrained_model_name_or_path``; None otherwise.
        model_args: lm-eval ``config.model_args`` as text (an object is written
            ``key=value,…``); None if absent.
        date: when the run was made, aware, in UTC (lm-eval ``date``: epoch seconds or ISO
            8601); None when the file does not say.
        harness_version: lm-eval ``lm_eval_version``, llm-jp-eval
            ``config.metainfo.version``; None if absent.
        limit: lm-eval ``config.limit`` (a count, or a fraction below 1); llm-jp-eval
            ``config.metainfo.max_num_samples`` when not -1; None when absent or null.
        scores: every score, in file order (lm-eval: ``results``, then ``groups`` entries not
            already in ``results``).
        subtasks: group → its direct subtasks (lm-eval ``group_subtasks``, non-empty lists
            only; llm-jp-eval: AVG/AVR → every other row of the file). Empty for v0.3 and CSV.
    """

    format: str
    model_name: str | None
    model_args: str | None
    date: datetime | None
    harness_version: str | None
    limit: float | None
    scores: list[EvalScore]
    subtasks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
