"""llm-jp-eval score files.

llm-jp-eval (https://github.com/llm-jp/llm-jp-eval) writes its scores as one flat object
keyed ``<dataset>_<metric>`` (``"jsquad_char_f1"``, ``"jsts_pearson"``), plus one key per
category average (``"NLI"``, ``"QA"``, ``"RC"``, ``"MC"`` …: keys without lower-case letters)
and the overall average ``"AVG"`` (spelled ``"AVR"`` in v1.0). Values are numbers or, in v1.0,
text (``"0.7613"``). ``"csv_line"`` repeats the same values as one comma-separated line and is
skipped. Later versions wrap the object as ``{"scores": {…}, "outputs": …, "config": …}``; then
``config.model.pretrained_model_name_or_path``, ``config.metainfo.version``,
``config.metainfo.num_few_shots`` and ``config.metainfo.max_num_samples`` (-1 = all samples)
are read when present.

Rows: ``<dataset>_<metric>`` → task ``<dataset>``, metric ``<metric>`` (the longest known
llm-jp-eval metric suffix, else the part after the last ``_``); category averages and AVG/AVR
→ task = the key, metric ``"score"``, ``is_group=True``. No filters, versions or stderr.
"""

from __future__ import annotations

from .model import EvalRun, EvalScore
from .values import opt_int, opt_text, path_text, score_number, section, version_text

__all__ = ["AVERAGE_KEYS", "looks_like_llm_jp_eval", "parse_llm_jp_eval", "split_key"]

AVERAGE_KEYS = ("AVG", "AVR")
"""The overall average's key (``AVR`` in llm-jp-eval v1.0, ``AVG`` later)."""

METRICS = (
    "exact_match_figure",
    "exact_match",
    "char_f1",
    "set_f1",
    "entity_labeling_acc",
    "pearson",
    "spearman",
    "bleu_en",
    "bleu_ja",
    "comet_wmt22",
    "bert_score_en_f1",
    "bert_score_ja_f1",
    "rouge1",
    "rouge2",
    "rouge2_scaling",
    "rougeLsum",
    "code_exec",
    "pylint_check",
    "mixed_exact_match",
)
"""llm-jp-eval metric names (a key's suffix); longest match first."""

_SKIPPED = frozenset({"csv_line"})
_BY_LENGTH = sorted(METRICS, key=len, reverse=True)


def _is_category(key: str) -> bool:
    return bool(key) and not any(c.islower() for c in key)


def split_key(key: str) -> tuple[str, str] | None:
    """``"jsquad_char_f1"`` → ``("jsquad", "char_f1")``; None for keys with no ``_``."""
    for metric in _BY_LENGTH:
        if key.endswith("_" + metric) and len(key) > len(metric) + 1:
            return key[: -len(metric) - 1], metric
    task, sep, metric = key.rpartition("_")
    return (task, metric) if sep and task and metric else None


def _scores_object(root: dict) -> tuple[dict, tuple[str, ...]]:
    if isinstance(root.get("scores"), dict):
        return root["scores"], ("scores",)
    return root, ()


def looks_like_llm_jp_eval(root: dict) -> bool:
    """True when the object (or its ``scores``) has AVG/AVR or a known ``<dataset>_<metric>``
    key."""
    scores, _ = _scores_object(root)
    return any(key in AVERAGE_KEYS or any(key.endswith("_" + m) for m in METRICS) for key in scores)


def parse_llm_jp_eval(root: dict) -> EvalRun:
    """Read an llm-jp-eval score file (see the module docstring)."""
    scores_obj, prefix = _scores_object(root)
    wrapped = bool(prefix)
    config = section(root, "config") if wrapped else {}
    metainfo = section(config, "metainfo", "config.metainfo")
    model = section(config, "model", "config.model")
    n_shot = opt_int(metainfo.get("num_few_shots"), "config.metainfo.num_few_shots")
    max_samples = metainfo.get("max_num_samples")
    limit: float | None = None
    if max_samples is not None and max_samples != -1:
        limit = float(opt_int(max_samples, "config.metainfo.max_num_samples") or 0)

    scores: list[EvalScore] = []
    for key, raw in scores_obj.items():
        if key in _SKIPPED:
            continue
        value = score_number(raw, path_text(*prefix, key))
        if _is_category(key):
            task, metric, is_group = key, "score", True
        else:
            split = split_key(key)
            task, metric = split if split is not None else (key, "score")
            is_group = False
        scores.append(
            EvalScore(
                task=task,
                metric=metric,
                filter=None,
                value=value,
                stderr=None,
                n_shot=n_shot,
                version=None,
                higher_is_better=None,
                is_group=is_group,
                n_samples=None,
            )
        )
    subtasks: dict[str, tuple[str, ...]] = {}
    for average in AVERAGE_KEYS:
        if any(s.task == average for s in scores):
            others = dict.fromkeys(s.task for s in scores if s.task not in AVERAGE_KEYS)
            subtasks[average] = tuple(others)
    return EvalRun(
        format="llm-jp-eval",
        model_name=opt_text(
            model.get("pretrained_model_name_or_path"),
            "config.model.pretrained_model_name_or_path",
        ),
        model_args=None,
        date=None,
        harness_version=version_text(metainfo.get("version"), "config.metainfo.version"),
        limit=limit,
        scores=scores,
        subtasks=subtasks,
    )
