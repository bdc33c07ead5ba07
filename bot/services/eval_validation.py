"""Checking a read evaluation run against the standard suite (pure: no database, no Slack).

:func:`validate` takes an :class:`~bot.parsing.evals.EvalRun` and the
:class:`~bot.services.eval_suite.Suite` and returns a :class:`ValidationReport`: one
:class:`Headline` per suite benchmark present in the run, and :class:`Problem` entries, each
with a severity:

* ``"reject"``: not publishable as is (an operator may override; not decided here);
* ``"flag"``: shown to the secretariat for a decision;
* ``"note"``: for information.

Rules, in the order problems are listed:

1. **sample_subset** (reject, one problem for the run): the run used a subset of a task's
   samples: lm-eval ``n-samples.<task>.effective`` < ``original`` for any task, or
   ``config.limit`` set (llm-jp-eval: ``max_num_samples`` other than -1).
2. Per benchmark of the suite, in suite order, when any of its ``tasks`` is in the run:

   * the **headline** is the score of the benchmark's first task present (suite order) with
     the suite's ``metric`` and, if set, ``filter`` (without one, the ``none``/no filter is
     preferred); a group row (lm-eval ``groups``, e.g. ``mmlu``) before a plain row of the
     same name; a score with a value before one without;
   * **missing_value** (flag): no such score, or its value is missing (``N/A``, null);
   * **out_of_range** (reject): a fraction metric (acc, exact_match, f1, …) outside 0–1;
     the headline is kept with ``value`` None;
   * **n_shot** (flag): the headline's n-shot differs from the suite's ``n_shot``; a note
     when the file does not state it;
   * **version** (flag): the headline task's version is below ``min_version`` (compared as
     numbers: ``"3.0"`` = ``"3"``); a note when the file gives no version or one that is not
     dot-separated numbers;
   * **duplicate** (reject): the benchmark is in ``published`` (already published for the
     same model revision).
3. **unknown_task** (note, one for the run): tasks in the run that no benchmark lists and
   that are not subtasks of a listed group (lm-eval ``group_subtasks``, followed down; for
   llm-jp-eval every row of the file is under AVG/AVR). They are kept in ``unknown_tasks``.

Every message is short and in English and Japanese.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from bot.parsing.evals import EvalRun, EvalScore
from bot.services.eval_suite import Benchmark, Suite, parse_version, version_below

__all__ = [
    "KINDS",
    "SEVERITIES",
    "Headline",
    "Problem",
    "ValidationReport",
    "validate",
]

KINDS = (
    "sample_subset",
    "n_shot",
    "version",
    "unknown_task",
    "duplicate",
    "missing_value",
    "out_of_range",
)
# metrics lm-evaluation-harness and llm-jp-eval report as fractions in [0, 1]; a value outside
# is almost always a percentage or a broken run, and would rank first on the leaderboard
FRACTION_METRICS = frozenset(
    {"acc", "acc_norm", "exact_match", "em", "f1", "mc1", "mc2", "score", "char_f1", "set_f1"}
)
"""The values of :attr:`Problem.kind`."""
SEVERITIES = ("reject", "flag", "note")
"""The values of :attr:`Problem.severity`, most serious first."""

_REPORT_VERSION = 1
_SHOWN = 10  # names listed in one message before "…"


@dataclass(frozen=True)
class Problem:
    """Something about a run that the secretariat should know or decide.

    Attributes:
        kind: one of :data:`KINDS`.
        severity: ``"reject"``, ``"flag"`` or ``"note"``.
        task: the task concerned, when there is one.
        benchmark: the suite benchmark concerned, when there is one.
        en, ja: the message.
    """

    kind: str
    severity: str
    task: str | None
    benchmark: str | None
    en: str
    ja: str


@dataclass(frozen=True)
class Headline:
    """A benchmark's headline number in a run.

    Attributes:
        benchmark: the suite benchmark's name.
        task: the run's task or group it comes from (``gsm8k_cot_llama``, ``mmlu``, ``AVR``).
        metric: the suite's metric.
        filter: the suite's filter; when the suite sets none, the chosen score's own
            (``"none"`` for lm-eval, None for formats without filters).
        value: the score (the file's unit; lm-eval fractions 0–1); None when missing.
        n_shot: as the file states it; None if unknown.
        higher_is_better: from the suite.
    """

    benchmark: str
    task: str
    metric: str
    filter: str | None
    value: float | None
    n_shot: int | None
    higher_is_better: bool


@dataclass(frozen=True)
class ValidationReport:
    """What :func:`validate` found.

    Attributes:
        headlines: one per suite benchmark present in the run, in suite order.
        problems: in rule order (see the module docstring).
        unknown_tasks: tasks not in the suite, in file order, each once.
    """

    headlines: list[Headline]
    problems: list[Problem]
    unknown_tasks: list[str]

    @property
    def rejected(self) -> bool:
        """True if any problem has severity ``"reject"``."""
        return any(p.severity == "reject" for p in self.problems)

    def to_json(self) -> str:
        """The report as JSON text (UTF-8 safe, Japanese kept as is), for storage."""
        return json.dumps(
            {
                "version": _REPORT_VERSION,
                "headlines": [asdict(h) for h in self.headlines],
                "problems": [asdict(p) for p in self.problems],
                "unknown_tasks": list(self.unknown_tasks),
            },
            ensure_ascii=False,
            allow_nan=False,
        )

    @classmethod
    def from_json(cls, text: str) -> ValidationReport:
        """The report :meth:`to_json` wrote.

        Raises:
            ValueError: the text is not such a report (a stored value was damaged).
        """
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("version") != _REPORT_VERSION:
                raise ValueError("not a validation report (version 1)")
            headlines = [_headline(item) for item in data["headlines"]]
            problems = [_problem(item) for item in data["problems"]]
            unknown = data["unknown_tasks"]
            if not isinstance(unknown, list) or not all(isinstance(t, str) for t in unknown):
                raise ValueError("unknown_tasks must be a list of task names")
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not a validation report: {exc}") from None
        return cls(headlines=headlines, problems=problems, unknown_tasks=list(unknown))


def _typed(item: dict, key: str, types: tuple[type, ...], optional: bool = False):
    value = item[key]
    if value is None and optional:
        return None
    if isinstance(value, bool) and bool not in types:
        raise ValueError(f"{key} has the wrong type")
    if not isinstance(value, types):
        raise ValueError(f"{key} has the wrong type")
    return value


def _headline(item: object) -> Headline:
    if not isinstance(item, dict) or set(item) != {f for f in Headline.__dataclass_fields__}:
        raise ValueError("a headline has the wrong keys")
    value = _typed(item, "value", (int, float), optional=True)
    return Headline(
        benchmark=_typed(item, "benchmark", (str,)),
        task=_typed(item, "task", (str,)),
        metric=_typed(item, "metric", (str,)),
        filter=_typed(item, "filter", (str,), optional=True),
        value=None if value is None else float(value),
        n_shot=_typed(item, "n_shot", (int,), optional=True),
        higher_is_better=_typed(item, "higher_is_better", (bool,)),
    )


def _problem(item: object) -> Problem:
    if not isinstance(item, dict) or set(item) != {f for f in Problem.__dataclass_fields__}:
        raise ValueError("a problem has the wrong keys")
    kind = _typed(item, "kind", (str,))
    severity = _typed(item, "severity", (str,))
    if kind not in KINDS or severity not in SEVERITIES:
        raise ValueError(f"unknown problem kind or severity: {kind}, {severity}")
    return Problem(
        kind=kind,
        severity=severity,
        task=_typed(item, "task", (str,), optional=True),
        benchmark=_typed(item, "benchmark", (str,), optional=True),
        en=_typed(item, "en", (str,)),
        ja=_typed(item, "ja", (str,)),
    )


def _listed(names: list[str], sep: str) -> str:
    shown = sep.join(names[:_SHOWN])
    return shown + (f"{sep}…" if len(names) > _SHOWN else "")


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _sample_subset(run: EvalRun) -> Problem | None:
    partial: dict[str, tuple[int, int]] = {}
    for score in run.scores:
        if score.n_samples is not None and score.n_samples[0] < score.n_samples[1]:
            partial.setdefault(score.task, score.n_samples)
    if run.limit is None and not partial:
        return None
    parts_en, parts_ja = [], []
    if run.limit is not None:
        parts_en.append(f"run with a sample limit (limit = {_number(run.limit)})")
        parts_ja.append(f"サンプル数を制限して実行されています（limit = {_number(run.limit)}）")
    if partial:
        items = list(partial.items())
        shown_en = ", ".join(f"{t} {e:,} of {o:,}" for t, (e, o) in items[:_SHOWN])
        shown_ja = "、".join(f"{t} は {o:,} 件中 {e:,} 件" for t, (e, o) in items[:_SHOWN])
        more = "…" if len(items) > _SHOWN else ""
        parts_en.append(f"not every sample was evaluated ({shown_en}{more})")
        parts_ja.append(f"全サンプルを評価していません（{shown_ja}{more}）")
    return Problem(
        kind="sample_subset",
        severity="reject",
        task=next(iter(partial)) if len(partial) == 1 else None,
        benchmark=None,
        en="This run is on a subset of the data: " + "; ".join(parts_en) + ". Results on a "
        "subset are not comparable; run the full tasks.",
        ja="データの一部だけで評価した結果です。" + "。また、".join(parts_ja) + "。一部のデータ"
        "での結果は比較に使えないため、全件で評価し直してください。",
    )


def _filter_rank(score: EvalScore, bench: Benchmark) -> int:
    if bench.filter is not None:
        return 0
    return 0 if score.filter in (None, "none") else 1


def _pick(run: EvalRun, bench: Benchmark) -> tuple[str, EvalScore | None] | None:
    """(task, headline score or None) for ``bench``; None when none of its tasks is in the
    run."""
    order = {task: i for i, task in enumerate(bench.tasks)}
    present = [s for s in run.scores if s.task in order]
    if not present:
        return None
    task = min(present, key=lambda s: order[s.task]).task
    candidates = [
        (i, s)
        for i, s in enumerate(run.scores)
        if s.task == task
        and s.metric == bench.metric
        and (bench.filter is None or s.filter == bench.filter)
    ]
    if not candidates:
        return task, None
    _, best = min(
        candidates,
        key=lambda c: (not c[1].is_group, c[1].value is None, _filter_rank(c[1], bench), c[0]),
    )
    return task, best


def _metric_text(bench: Benchmark) -> str:
    return f"{bench.metric} ({bench.filter})" if bench.filter else bench.metric


def _check_benchmark(
    run: EvalRun, bench: Benchmark, published: set[str]
) -> tuple[Headline, list[Problem]] | None:
    picked = _pick(run, bench)
    if picked is None:
        return None
    task, score = picked
    name = bench.name
    problems: list[Problem] = []
    task_scores = [s for s in run.scores if s.task == task]
    n_shot = score.n_shot if score is not None else task_scores[0].n_shot
    version = score.version if score is not None else task_scores[0].version
    headline = Headline(
        benchmark=name,
        task=task,
        metric=bench.metric,
        filter=bench.filter if bench.filter is not None else (score.filter if score else None),
        value=score.value if score is not None else None,
        n_shot=n_shot,
        higher_is_better=bench.higher_is_better,
    )

    def add(kind: str, severity: str, en: str, ja: str) -> None:
        problems.append(Problem(kind, severity, task, name, en, ja))

    metric = _metric_text(bench)
    label = name if task == name else f"{name} ({task})"
    if score is None:
        add(
            "missing_value",
            "flag",
            f"{label}: the file has no {metric} score.",
            f"{label}: ファイルに {metric} のスコアがありません。",
        )
    elif score.value is None:
        add(
            "missing_value",
            "flag",
            f"{label}: the {metric} score is missing (N/A or empty) in the file.",
            f"{label}: {metric} のスコアが空欄（N/A など）です。",
        )
    elif bench.metric in FRACTION_METRICS and not 0 <= score.value <= 1:
        add(
            "out_of_range",
            "reject",
            f"{label}: {metric} is {score.value:g}, outside 0–1 (a percentage instead of a "
            "fraction?); resubmit the harness's own output.",
            f"{label}: {metric} が {score.value:g} で 0〜1 の範囲外です（百分率になって"
            "いませんか）。ハーネスが出力したままのファイルを提出してください。",
        )

    if bench.n_shot is not None:
        if n_shot is None:
            add(
                "n_shot",
                "note",
                f"{label}: the file does not say how many shots were used; the suite uses "
                f"{bench.n_shot}-shot.",
                f"{label}: ファイルに shot 数の記載がありません。標準スイートは {bench.n_shot}-shot"
                "です。",
            )
        elif n_shot != bench.n_shot:
            add(
                "n_shot",
                "flag",
                f"{label}: run {n_shot}-shot; the suite uses {bench.n_shot}-shot.",
                f"{label}: {n_shot}-shot で評価されています。標準スイートは {bench.n_shot}-shot"
                "です。",
            )

    if bench.min_version is not None:
        minimum = parse_version(bench.min_version)
        parsed = parse_version(version)
        if version is None:
            add(
                "version",
                "note",
                f"{label}: the file gives no task version; the suite needs version "
                f"{bench.min_version} or later.",
                f"{label}: ファイルにタスクのバージョンの記載がありません。標準スイートでは"
                f"バージョン {bench.min_version} 以降が必要です。",
            )
        elif parsed is None:
            add(
                "version",
                "note",
                f"{label}: the task version “{version}” cannot be compared with the "
                f"suite's minimum {bench.min_version}.",
                f"{label}: タスクのバージョン「{version}」を標準スイートの最低バージョン "
                f"{bench.min_version} と比較できません。",
            )
        elif minimum is not None and version_below(parsed, minimum):
            add(
                "version",
                "flag",
                f"{label}: task version {version} is older than the suite's minimum "
                f"{bench.min_version}.",
                f"{label}: タスクのバージョン {version} は、標準スイートの最低バージョン "
                f"{bench.min_version} より古いものです。",
            )

    if name in published:
        add(
            "duplicate",
            "reject",
            f"{name} is already published for this model revision.",
            f"このモデルのリビジョンでは {name} の結果をすでに公開しています。",
        )
    return headline, problems


def _covered(run: EvalRun, suite: Suite) -> set[str]:
    """Suite tasks and everything under them through ``run.subtasks``."""
    covered: set[str] = set()
    stack = [task for bench in suite.benchmarks for task in bench.tasks]
    while stack:
        task = stack.pop()
        if task in covered:
            continue
        covered.add(task)
        stack.extend(run.subtasks.get(task, ()))
    return covered


def validate(run: EvalRun, suite: Suite, *, published: set[str]) -> ValidationReport:
    """Check ``run`` against ``suite`` (rules in the module docstring).

    Args:
        run: a parsed results file.
        suite: the standard suite (:func:`bot.services.eval_suite.load_suite`).
        published: names of the suite benchmarks already published for the same model
            revision (the caller looks them up).

    Returns:
        The :class:`ValidationReport`; ``rejected`` tells whether it may be published as is.
    """
    problems: list[Problem] = []
    subset = _sample_subset(run)
    if subset is not None:
        problems.append(subset)

    headlines: list[Headline] = []
    for bench in suite.benchmarks:
        checked = _check_benchmark(run, bench, published)
        if checked is not None:
            headlines.append(checked[0])
            problems.extend(checked[1])

    covered = _covered(run, suite)
    unknown = list(dict.fromkeys(s.task for s in run.scores if s.task not in covered))
    if unknown:
        count = len(unknown)
        problems.append(
            Problem(
                kind="unknown_task",
                severity="note",
                task=unknown[0] if count == 1 else None,
                benchmark=None,
                en=f"{count} task(s) not in the standard suite, kept but not used as "
                f"headlines: {_listed(unknown, ', ')}.",
                ja=f"標準スイートにないタスクが {count} 件あります（記録しますが、代表値には"
                f"使いません）: {_listed(unknown, '、')}",
            )
        )
    return ValidationReport(headlines=headlines, problems=problems, unknown_tasks=unknown)
