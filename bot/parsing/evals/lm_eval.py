"""lm-evaluation-harness results files: the current (≥ 0.4) layout and the older v0.3 one.

Current layout (``lm_eval --output_path``, ``results_<date>.json``):

* ``results``: task → ``{"<metric>,<filter>": value, "<metric>_stderr,<filter>": stderr,
  "alias": …}``. Keys without a comma (``alias``, ``name``, ``sample_len``, ``sample_count``,
  and the ``" "`` placeholder of groups without aggregation) are not scores and are ignored.
  A stderr whose metric is absent is ignored.
* ``groups``: group → the same shape; rows also in ``results`` are read once.
* ``group_subtasks``: group → its subtasks; lm-eval also lists every stand-alone task with an
  empty list, so only keys with subtasks are groups.
* ``n-shot``: task → few-shot count, else ``configs.<task>.num_fewshot``. For a group, lm-eval
  writes 0 when it has no config of its own (a ``defaultdict(int)``), so a group's n-shot is
  the one all its leaf subtasks share (None if they differ); the group's own entry only when
  no leaf states one.
* ``versions``: task → version, else ``configs.<task>.metadata.version``.
* ``higher_is_better``: task → metric → true/false/null.
* ``n-samples``: task → ``{"original": N, "effective": M}`` (``M < N`` when run with a limit).
* ``config.model_args``, ``config.limit``; ``model_name``; ``date`` (epoch seconds);
  ``lm_eval_version``.

v0.3 layout: ``results`` task → ``{"acc": …, "acc_stderr": …}``, ``versions``,
``config.model_args``, ``config.num_fewshot`` (one n-shot for every task), ``config.limit``.

Detection: the current layout if the file has any of ``groups``, ``group_subtasks``,
``configs``, ``n-shot``, ``higher_is_better``, ``n-samples``, ``lm_eval_version``, or a task
in ``results`` with a key containing a comma or an ``alias``; otherwise v0.3 (whose reader
also skips ``alias``, ``name``, ``sample_len``, ``sample_count``).
"""

from __future__ import annotations

from collections.abc import Iterator

from .model import EvalRun, EvalScore
from .values import (
    args_text,
    as_object,
    opt_bool,
    opt_float,
    opt_int,
    opt_text,
    path_text,
    pretrained_name,
    run_date,
    score_number,
    section,
    shape_error,
    version_text,
)

__all__ = ["is_current_layout", "parse_lm_eval", "parse_lm_eval_v03"]

_CURRENT_KEYS = frozenset(
    {
        "groups",
        "group_subtasks",
        "configs",
        "n-shot",
        "higher_is_better",
        "n-samples",
        "lm_eval_version",
    }
)
_STDERR = "_stderr"
_NOT_SCORES = frozenset({"alias", "name", "sample_len", "sample_count"})


def is_current_layout(root: dict) -> bool:
    """True for the current (≥ 0.4) layout, False for v0.3 (``results`` must be an object)."""
    if _CURRENT_KEYS & root.keys():
        return True
    results = as_object(root["results"], "results")
    return any(
        "," in key or key == "alias"
        for entry in results.values()
        if isinstance(entry, dict)
        for key in entry
    )


def _entry_scores(
    entry: dict, path: tuple[str, ...], *, comma: bool
) -> Iterator[tuple[str, str | None, float | None, float | None]]:
    """(metric, filter, value, stderr) of one task's entry, in file order."""
    values: dict[tuple[str, str | None], float | None] = {}
    stderrs: dict[tuple[str, str | None], float | None] = {}
    for key, raw in entry.items():
        if comma:
            if "," not in key:
                continue
            metric, _, flt = key.partition(",")
            metric, filter_ = metric.strip(), (flt.strip() or None)
        else:
            metric, filter_ = key.strip(), None
        if not metric or metric in _NOT_SCORES:
            continue
        number = score_number(raw, path_text(*path, key))
        if metric.endswith(_STDERR) and len(metric) > len(_STDERR):
            stderrs[(metric.removesuffix(_STDERR), filter_)] = number
        else:
            values[(metric, filter_)] = number
    for (metric, filter_), value in values.items():
        yield metric, filter_, value, stderrs.get((metric, filter_))


def _subtasks(root: dict) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for group, subs in section(root, "group_subtasks").items():
        path = path_text("group_subtasks", group)
        if not isinstance(subs, list):
            raise shape_error(path, "a list of task names", "タスク名のリスト", subs)
        names = []
        for i, sub in enumerate(subs):
            if not isinstance(sub, str):
                raise shape_error(f"{path}[{i}]", "a task name", "タスク名", sub)
            names.append(sub)
        if names:
            out[group] = tuple(names)
    return out


def _leaves(group: str, subtasks: dict[str, tuple[str, ...]]) -> list[str]:
    """The non-group tasks under ``group`` (iteratively; cycles are cut)."""
    leaves, seen, stack = [], {group}, list(reversed(subtasks.get(group, ())))
    while stack:
        task = stack.pop()
        if task in seen:
            continue
        seen.add(task)
        if task in subtasks:
            stack.extend(reversed(subtasks[task]))
        else:
            leaves.append(task)
    return leaves


class _Meta:
    """Per-task metadata of the current layout, read lazily with paths in errors."""

    def __init__(self, root: dict):
        self.configs = section(root, "configs")
        self.versions = section(root, "versions")
        self.n_shot = section(root, "n-shot")
        self.hib = section(root, "higher_is_better")
        self.samples = section(root, "n-samples")

    def _config(self, task: str) -> dict:
        return section(self.configs, task, path_text("configs", task))

    def own_n_shot(self, task: str) -> int | None:
        if self.n_shot.get(task) is not None:
            return opt_int(self.n_shot[task], path_text("n-shot", task))
        return opt_int(
            self._config(task).get("num_fewshot"), path_text("configs", task, "num_fewshot")
        )

    def version(self, task: str) -> str | None:
        if self.versions.get(task) is not None:
            return version_text(self.versions[task], path_text("versions", task))
        metadata = section(self._config(task), "metadata", path_text("configs", task, "metadata"))
        return version_text(
            metadata.get("version"), path_text("configs", task, "metadata", "version")
        )

    def higher_is_better(self, task: str, metric: str) -> bool | None:
        per_metric = section(self.hib, task, path_text("higher_is_better", task))
        return opt_bool(per_metric.get(metric), path_text("higher_is_better", task, metric))

    def n_samples(self, task: str) -> tuple[int, int] | None:
        if self.samples.get(task) is None:
            return None
        path = path_text("n-samples", task)
        counts = as_object(self.samples[task], path)
        original = opt_int(counts.get("original"), f"{path}.original")
        effective = opt_int(counts.get("effective"), f"{path}.effective")
        if original is None or effective is None:
            raise shape_error(
                path,
                "an object with “original” and “effective” counts",
                "「original」と「effective」の件数を持つオブジェクト",
                counts,
            )
        return effective, original


def _group_n_shot(group: str, meta: _Meta, subtasks: dict[str, tuple[str, ...]]) -> int | None:
    stated = {n for n in (meta.own_n_shot(t) for t in _leaves(group, subtasks)) if n is not None}
    if len(stated) == 1:
        return stated.pop()
    if stated:
        return None  # leaves differ
    return meta.own_n_shot(group)


def parse_lm_eval(root: dict) -> EvalRun:
    """Read the current lm-evaluation-harness layout (see the module docstring)."""
    results = as_object(root["results"], "results")
    groups = section(root, "groups")
    subtasks = _subtasks(root)
    meta = _Meta(root)
    group_names = set(groups) | set(subtasks)

    scores: list[EvalScore] = []
    entries = [("results", task, entry) for task, entry in results.items()]
    entries += [("groups", task, entry) for task, entry in groups.items() if task not in results]
    for where, task, entry in entries:
        entry = as_object(entry, path_text(where, task))
        is_group = task in group_names
        n_shot = _group_n_shot(task, meta, subtasks) if is_group else meta.own_n_shot(task)
        version = meta.version(task)
        n_samples = meta.n_samples(task)
        for metric, filter_, value, stderr in _entry_scores(entry, (where, task), comma=True):
            scores.append(
                EvalScore(
                    task=task,
                    metric=metric,
                    filter=filter_,
                    value=value,
                    stderr=stderr,
                    n_shot=n_shot,
                    version=version,
                    higher_is_better=meta.higher_is_better(task, metric),
                    is_group=is_group,
                    n_samples=n_samples,
                )
            )

    config = section(root, "config")
    model_args = args_text(config.get("model_args"), "config.model_args")
    return EvalRun(
        format="lm-eval",
        model_name=opt_text(root.get("model_name"), "model_name") or pretrained_name(model_args),
        model_args=model_args,
        date=run_date(root.get("date"), "date"),
        harness_version=opt_text(root.get("lm_eval_version"), "lm_eval_version"),
        limit=opt_float(config.get("limit"), "config.limit"),
        scores=scores,
        subtasks=subtasks,
    )


def parse_lm_eval_v03(root: dict) -> EvalRun:
    """Read the older (v0.3) lm-evaluation-harness layout (see the module docstring)."""
    results = as_object(root["results"], "results")
    versions = section(root, "versions")
    config = section(root, "config")
    n_shot = opt_int(config.get("num_fewshot"), "config.num_fewshot")
    scores: list[EvalScore] = []
    for task, entry in results.items():
        entry = as_object(entry, path_text("results", task))
        version = version_text(versions.get(task), path_text("versions", task))
        for metric, _, value, stderr in _entry_scores(entry, ("results", task), comma=False):
            scores.append(
                EvalScore(
                    task=task,
                    metric=metric,
                    filter=None,
                    value=value,
                    stderr=stderr,
                    n_shot=n_shot,
                    version=version,
                    higher_is_better=None,
                    is_group=False,
                    n_samples=None,
                )
            )
    model_args = args_text(config.get("model_args"), "config.model_args")
    return EvalRun(
        format="lm-eval-v0.3",
        model_name=pretrained_name(model_args),
        model_args=model_args,
        date=None,
        harness_version=None,
        limit=opt_float(config.get("limit"), "config.limit"),
        scores=scores,
    )
