"""Fuzzing evaluation results files (lm-evaluation-harness JSON, llm-jp-eval JSON, the scores
CSV): arbitrary bytes, JSON of the right vocabulary in wrong shapes, and mutated real files.
`parse_eval_file` returns a run with scores or a bilingual UserError, never anything else."""

from __future__ import annotations

import json
import math

from hypothesis import example, given
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.evals import parse_eval_file

from .common import FAST, FIXTURES, SLOW, awkward_text, mutations, outcome

EVALS = FIXTURES / "evals"
SMALL_FIXTURES = sorted(p.read_text() for p in EVALS.glob("*.json") if p.stat().st_size < 10_000)
CSV = "task,metric,value,stderr,n_shot\ngsm8k,exact_match,0.7726,0.0115,5\njsquad,char_f1,N/A,,\n"

KEYS = [
    "results",
    "groups",
    "group_subtasks",
    "configs",
    "n-shot",
    "versions",
    "higher_is_better",
    "n-samples",
    "config",
    "model_args",
    "limit",
    "model_name",
    "date",
    "lm_eval_version",
    "num_fewshot",
    "metadata",
    "version",
    "original",
    "effective",
    "alias",
    "acc,none",
    "acc_stderr,none",
    "exact_match,strict-match",
    "acc",
    "acc_stderr",
    "AVG",
    "AVR",
    "NLI",
    "jsquad_char_f1",
    "jsts_pearson",
    "csv_line",
    "scores",
    "outputs",
    "model",
    "pretrained_model_name_or_path",
    "metainfo",
    "num_few_shots",
    "max_num_samples",
    "gsm8k",
    "mmlu",
    "mmlu_stem",
    " ",
    "pretrained",
    "_",
    ",",
]
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(
        [
            "N/A",
            "NaN",
            "",
            "0.5",
            "-1",
            "1e999",
            "2024-08-25T21:59:12",
            "pretrained=x",
            "1.2.3",
            "v0.4.3",
            "gsm8k",
            "mmlu",
            "nan",
            "null",
        ]
    )
    | st.text(max_size=12)
)
JSON_VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=40,
)
ROOTS = st.dictionaries(st.sampled_from(KEYS), JSON_VALUES, min_size=1, max_size=6)


def _as_json(value) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


def _checked(run) -> None:
    if isinstance(run, UserError):
        return
    assert run.scores
    for score in run.scores:
        assert score.value is None or isinstance(score.value, float)


@SLOW
@given(st.binary(max_size=400), st.sampled_from(["results.json", "scores.csv", "x", ""]))
@example(b"\xff\xfe{\x00}\x00", "results.json")  # UTF-16
@example(b"[" * 100_000, "results.json")  # a JSON bomb
@example(b'{"results": {"a": {"acc,none": 1' + b"0" * 100_000 + b"}}}", "results.json")
def test_any_bytes(data, filename):
    _checked(outcome(parse_eval_file, data, filename))


@FAST
@given(st.one_of(ROOTS, JSON_VALUES))
@example({"results": {"gsm8k": {"acc,none": 0.5}}, "group_subtasks": {"g": ["g"]}})
@example({"results": {"t": {"acc,none": 0.5}}, "n-samples": {"t": {"original": 1e400}}})
@example({"results": {"t": {"acc": 0.5}}, "config": {"num_fewshot": 10**400}})
@example({"AVG": 0.5, "jsquad_char_f1": "1e999"})
def test_json_of_the_right_words_in_wrong_shapes(value):
    _checked(outcome(parse_eval_file, _as_json(value), "results.json"))


@FAST
@given(st.sampled_from(SMALL_FIXTURES).flatmap(mutations))
def test_mutated_real_results(text):
    _checked(outcome(parse_eval_file, text.encode("utf-8", "surrogatepass"), "results.json"))


@FAST
@given(
    st.sampled_from(SMALL_FIXTURES).map(json.loads),
    st.sampled_from(KEYS),
    JSON_VALUES,
    st.integers(0, 3),
)
def test_real_results_with_one_value_replaced(root, key, value, depth):
    node = root
    for _ in range(depth):  # walk down a few objects, then replace or add one entry
        children = [v for v in node.values() if isinstance(v, dict) and v]
        if not children:
            break
        node = children[0]
    node[key] = value
    _checked(outcome(parse_eval_file, _as_json(root), "results.json"))


@FAST
@given(st.one_of(awkward_text, mutations(CSV)))
@example("task,metric,value,n_shot\nt,m,0.5," + "9" * 5000 + "\n")
@example("task,metric,value\nt,m," + "9" * 5000 + "\n")
def test_scores_csv(text):
    run = outcome(parse_eval_file, text.encode("utf-8", "surrogatepass"), "scores.csv")
    _checked(run)
    if not isinstance(run, UserError):
        for score in run.scores:
            assert score.value is None or math.isfinite(score.value)
