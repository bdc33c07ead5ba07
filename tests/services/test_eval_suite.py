"""Tests for bot.services.eval_suite: loading config/standard_suite.yaml strictly."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import UserError
from bot.services.eval_suite import (
    DEFAULT_SUITE_PATH,
    Suite,
    load_suite,
    parse_version,
    version_below,
)

GOOD = """\
benchmarks:
  - name: gsm8k
    tasks: [gsm8k, gsm8k_cot_llama]
    metric: exact_match
    filter: strict-match
    n_shot: 5
    min_version: "3"
  - name: mmlu
    tasks: [mmlu]
    metric: acc
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "suite.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str) -> UserError:
    with pytest.raises(UserError) as info:
        load_suite(write(tmp_path, text))
    error = info.value
    assert error.en and error.ja and error.field == "standard_suite"
    return error


def test_bundled_suite_loads_and_covers_the_real_samples():
    assert DEFAULT_SUITE_PATH.name == "standard_suite.yaml"
    assert DEFAULT_SUITE_PATH.parent.name == "config"
    suite = load_suite()
    names = [b.name for b in suite.benchmarks]
    assert names[:2] == ["gsm8k", "mmlu"]
    for task in (
        "gsm8k",
        "gsm8k_cot_llama",
        "mmlu",
        "hellaswag",
        "arc_easy",
        "arc_challenge",
        "piqa",
        "winogrande",
        "boolq",
        "AVG",
        "AVR",
    ):
        assert suite.benchmark_for(task) is not None, task
    gsm8k = suite.benchmark_for("gsm8k_cot_llama")
    assert gsm8k.name == "gsm8k" and gsm8k.metric == "exact_match"
    assert gsm8k.filter == "strict-match" and gsm8k.n_shot == 5 and gsm8k.min_version == "3"
    assert suite.benchmark_for("AVR").name == "llm-jp-eval"
    assert suite.benchmark_for("mmlu_abstract_algebra") is None
    assert suite.benchmark("mmlu").tasks == ["mmlu"]
    readme = (DEFAULT_SUITE_PATH.parent / "README.md").read_text(encoding="utf-8")
    for field in (
        "name",
        "tasks",
        "metric",
        "filter",
        "n_shot",
        "min_version",
        "higher_is_better",
        "description",
    ):
        assert f"`{field}`" in readme


def test_good_file(tmp_path):
    suite = load_suite(write(tmp_path, GOOD))
    assert isinstance(suite, Suite)
    mmlu = suite.benchmark_for("mmlu")
    assert mmlu.filter is None and mmlu.n_shot is None and mmlu.higher_is_better is True
    assert suite.benchmark_for("hellaswag") is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (GOOD.replace("metric: acc\n", "metric: acc\n    metrc: acc\n"), "metrc"),
        (GOOD + "extra: 1\n", "extra"),
        (GOOD + "  - name: mmlu\n    tasks: [mmlu_x]\n    metric: acc\n", "mmlu"),
        (GOOD.replace("tasks: [mmlu]", "tasks: [gsm8k]"), "two benchmarks"),
        (GOOD.replace("tasks: [mmlu]", "tasks: [mmlu, mmlu]"), "twice"),
        (GOOD.replace("tasks: [mmlu]", "tasks: []"), "tasks"),
        (GOOD.replace('min_version: "3"', "min_version: 3"), "quotes"),
        (GOOD.replace('min_version: "3"', "min_version: 3.10"), "quotes"),
        (GOOD.replace('min_version: "3"', 'min_version: "v3"'), "version"),
        (GOOD.replace("n_shot: 5", 'n_shot: "5"'), "n_shot"),
        (GOOD.replace("n_shot: 5", "n_shot: -1"), "n_shot"),
        (GOOD.replace("    metric: acc\n", ""), "metric"),
        (GOOD.replace("name: mmlu", "name: '  '"), "name"),
        (GOOD.replace("metric: acc\n", "metric: acc\n    higher_is_better: yes\n"), "higher"),
        ("benchmarks: []\n", "benchmarks"),
        ("benchmarks:\n  - just a string\n", "benchmarks"),
    ],
)
def test_bad_suites_are_refused_with_a_clear_message(tmp_path, text, words):
    error = refused(tmp_path, text)
    assert words in error.en, error.en
    assert "標準スイート" in error.ja


def test_duplicate_benchmark_name_message(tmp_path):
    error = refused(tmp_path, GOOD + "  - name: mmlu\n    tasks: [mmlu_x]\n    metric: acc\n")
    assert "benchmark names used twice: mmlu" in error.en


def test_unknown_and_missing_keys_are_explained(tmp_path):
    error = refused(tmp_path, GOOD.replace("metric: acc\n", "metric: acc\n    metrc: acc\n"))
    assert "benchmarks[2] (mmlu).metrc: unknown key" in error.en
    error = refused(tmp_path, GOOD.replace("    metric: acc\n", ""))
    assert "benchmarks[2] (mmlu).metric: required but missing" in error.en
    error = refused(tmp_path, GOOD.replace('min_version: "3"', "min_version: 3.10"))
    assert "quotes" in error.en and "3.1" in error.en


def test_problem_names_the_benchmark(tmp_path):
    error = refused(tmp_path, GOOD.replace("n_shot: 5", "n_shot: five"))
    assert "benchmarks[1] (gsm8k).n_shot" in error.en


def test_duplicate_yaml_key(tmp_path):
    error = refused(tmp_path, GOOD.replace("metric: acc\n", "metric: acc\n    metric: f1\n"))
    assert "twice" in error.en and error.line is not None


def test_yaml_syntax_error_and_not_a_mapping(tmp_path):
    assert refused(tmp_path, "benchmarks: [\n").line is not None
    assert "mapping" in refused(tmp_path, "- a\n- b\n").en


def test_path_as_text_and_empty_text(tmp_path):
    assert load_suite(str(write(tmp_path, GOOD))).benchmark_for("mmlu").name == "mmlu"
    assert load_suite("").benchmark_for("AVR").name == "llm-jp-eval"  # the bundled suite


def test_missing_file(tmp_path):
    with pytest.raises(UserError) as info:
        load_suite(tmp_path / "nope.yaml")
    assert "Cannot read" in info.value.en


def test_versions():
    assert parse_version("3.0") == (3, 0) and parse_version(" 1 ") == (1,)
    assert parse_version("v3") is None and parse_version(None) is None
    assert parse_version("1.0-beta") is None
    assert version_below((2, 9), (3,)) and not version_below((3, 0), (3,))
    assert not version_below((3,), (3, 0)) and version_below((0,), (1,))
    assert not version_below((3, 10), (3, 9))
