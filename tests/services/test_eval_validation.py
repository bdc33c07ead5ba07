"""Tests for bot.services.eval_validation: the real samples against the standard suite."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest

from bot.parsing.evals import EvalRun, EvalScore, parse_eval_file
from bot.services.eval_suite import Benchmark, Suite, load_suite
from bot.services.eval_validation import (
    KINDS,
    SEVERITIES,
    Headline,
    Problem,
    ValidationReport,
    validate,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "evals"
GSM8K = "eleuther_pr2251_Meta-Llama-3-8B-Instruct_gsm8k_cot_llama_results_2024-08-25T21-59-12.123082.json"
MMLU = "eleuther_pr2809_Llama-3.1-8B_mmlu_results_2025-03-06T22-23-33.022702.json"
V03 = "eleuther_llama-13B_common_sense_reasoning_0-shot_v0.3.json"
CPU = "cpu_regression_expected.json"
CPU_GROUP = "cpu_group_regression_expected.json"
JP = "shisa_shisa-gamma-7b-v1_score_eval.json"
ALL = [GSM8K, MMLU, V03, CPU, CPU_GROUP, JP]


@pytest.fixture(scope="module")
def suite() -> Suite:
    return load_suite()


def read(name: str) -> EvalRun:
    return parse_eval_file((FIXTURES / name).read_bytes(), name)


def modified(name: str, change) -> EvalRun:
    doc = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    change(doc)
    return parse_eval_file(json.dumps(doc).encode(), name)


def kinds(report: ValidationReport) -> list[tuple[str, str, str | None]]:
    return [(p.kind, p.severity, p.benchmark) for p in report.problems]


def with_benchmark(suite: Suite, name: str, **changes) -> Suite:
    benchmarks = [b.model_copy(update=changes) if b.name == name else b for b in suite.benchmarks]
    return Suite(benchmarks=benchmarks)


# --- the real samples as they are --------------------------------------------------------


def test_gsm8k_sample_is_clean(suite):
    report = validate(read(GSM8K), suite, published=set())
    assert report.headlines == [
        Headline(
            benchmark="gsm8k",
            task="gsm8k_cot_llama",
            metric="exact_match",
            filter="strict-match",
            value=0.7725549658832449,  # strict-match, not flexible-extract's 0.7778…
            n_shot=5,
            higher_is_better=True,
        )
    ]
    assert report.problems == [] and report.unknown_tasks == [] and not report.rejected


def test_gsm8k_sample_n_shot_against_an_8_shot_suite(suite):
    eight = with_benchmark(suite, "gsm8k", n_shot=8)
    report = validate(read(GSM8K), eight, published=set())
    assert kinds(report) == [("n_shot", "flag", "gsm8k")]
    problem = report.problems[0]
    assert problem.task == "gsm8k_cot_llama"
    assert "5-shot" in problem.en and "8-shot" in problem.en
    assert "5-shot で評価されています" in problem.ja and "8-shot" in problem.ja
    assert not report.rejected


def test_gsm8k_flexible_extract_suite_takes_the_other_number(suite):
    flexible = with_benchmark(suite, "gsm8k", filter="flexible-extract")
    report = validate(read(GSM8K), flexible, published=set())
    assert report.headlines[0].value == 0.7778620166793025
    assert report.headlines[0].filter == "flexible-extract"


def test_gsm8k_with_limit_is_rejected(suite):
    run = modified(GSM8K, lambda d: d["config"].update(limit=10))
    report = validate(run, suite, published=set())
    assert kinds(report) == [("sample_subset", "reject", None)]
    assert report.rejected
    assert "limit = 10" in report.problems[0].en and "limit = 10" in report.problems[0].ja
    assert report.headlines[0].value == 0.7725549658832449  # still shown


def test_gsm8k_n_samples_below_original_is_rejected(suite):
    run = modified(
        GSM8K,
        lambda d: d["n-samples"]["gsm8k_cot_llama"].update(effective=100),
    )
    report = validate(run, suite, published=set())
    (problem,) = report.problems
    assert (problem.kind, problem.severity, problem.task) == (
        "sample_subset",
        "reject",
        "gsm8k_cot_llama",
    )
    assert "100 of 1,319" in problem.en and "1,319 件中 100 件" in problem.ja


def test_old_gsm8k_version_is_flagged(suite):
    run = modified(GSM8K, lambda d: d["versions"].update(gsm8k_cot_llama=2.0))
    report = validate(run, suite, published=set())
    assert kinds(report) == [("version", "flag", "gsm8k")]
    assert "2.0" in report.problems[0].en and "3" in report.problems[0].ja


def test_missing_headline_metric_is_flagged(suite):
    def drop_strict(doc):
        doc["results"]["gsm8k_cot_llama"]["exact_match,strict-match"] = "N/A"

    report = validate(modified(GSM8K, drop_strict), suite, published=set())
    assert kinds(report) == [("missing_value", "flag", "gsm8k")]
    assert report.headlines[0].value is None  # never the flexible-extract number instead

    def remove_strict(doc):
        del doc["results"]["gsm8k_cot_llama"]["exact_match,strict-match"]
        del doc["results"]["gsm8k_cot_llama"]["exact_match_stderr,strict-match"]

    report = validate(modified(GSM8K, remove_strict), suite, published=set())
    assert kinds(report) == [("missing_value", "flag", "gsm8k")]
    assert report.headlines[0].value is None and report.headlines[0].n_shot == 5
    assert "exact_match (strict-match)" in report.problems[0].en


def test_mmlu_headline_is_the_group(suite):
    report = validate(read(MMLU), suite, published=set())
    assert report.headlines == [
        Headline(
            benchmark="mmlu",
            task="mmlu",
            metric="acc",
            filter="none",
            value=0.653681811707734,
            n_shot=5,  # from the 57 subjects; the file's n-shot for the group is 0
            higher_is_better=True,
        )
    ]
    # the 57 subjects and 4 categories are under the mmlu group, not unknown tasks
    assert report.unknown_tasks == [] and report.problems == []


def test_mmlu_already_published_is_a_duplicate(suite):
    report = validate(read(MMLU), suite, published={"mmlu", "gsm8k"})
    assert kinds(report) == [("duplicate", "reject", "mmlu")]  # gsm8k is not in this run
    assert report.rejected
    assert "already published" in report.problems[0].en
    assert "すでに公開" in report.problems[0].ja


def test_v03_sample_versions_and_unknown_tasks(suite):
    report = validate(read(V03), suite, published=set())
    values = {h.benchmark: h.value for h in report.headlines}
    assert values == {
        "hellaswag": 0.7623979286994622,
        "arc_easy": 0.7457912457912458,
        "arc_challenge": 0.4462457337883959,
        "piqa": 0.7910772578890098,
        "winogrande": 0.7016574585635359,
        "boolq": 0.6850152905198776,
    }
    assert all(h.filter is None and h.n_shot == 0 for h in report.headlines)
    versions = [p for p in report.problems if p.kind == "version"]
    assert [p.benchmark for p in versions] == [
        "hellaswag",
        "arc_easy",
        "arc_challenge",
        "piqa",
        "winogrande",
    ]
    assert all(p.severity == "flag" and "version 0" in p.en for p in versions)
    assert report.unknown_tasks == ["prost", "swag", "wsc273", "mc_taco", "copa", "openbookqa"]
    unknown = [p for p in report.problems if p.kind == "unknown_task"]
    assert len(unknown) == 1 and unknown[0].severity == "note"
    assert "6 task(s)" in unknown[0].en and "prost" in unknown[0].ja
    assert not report.rejected


def test_cpu_regression_samples_are_limited_runs(suite):
    report = validate(read(CPU), suite, published=set())
    assert report.rejected
    subset = report.problems[0]
    assert subset.kind == "sample_subset" and subset.task is None
    assert "arc_easy 10 of 2,376" in subset.en
    assert report.unknown_tasks == ["lambada_openai", "wikitext"]
    assert report.headlines[0].benchmark == "arc_easy" and report.headlines[0].value == 0.3

    group = validate(read(CPU_GROUP), suite, published=set())
    assert group.rejected and group.unknown_tasks == ["regression_arc"]


def test_llm_jp_eval_overall_average(suite):
    report = validate(read(JP), suite, published=set())
    assert report.headlines == [
        Headline(
            benchmark="llm-jp-eval",
            task="AVR",
            metric="score",
            filter=None,
            value=0.7613,
            n_shot=None,
            higher_is_better=True,
        )
    ]
    assert report.problems == [] and report.unknown_tasks == []


def test_every_message_is_bilingual(suite):
    for name in ALL:
        for published in (set(), {"mmlu", "gsm8k", "llm-jp-eval", "hellaswag"}):
            report = validate(read(name), suite, published=published)
            for p in report.problems:
                assert p.kind in KINDS and p.severity in SEVERITIES
                assert p.en and p.ja and p.en != p.ja
                assert any("\u3040" <= c <= "\u30ff" for c in p.ja)  # kana: real Japanese


# --- hand-made runs for the remaining branches --------------------------------------------


def _score(task, metric, value, **kw) -> EvalScore:
    fields = dict(
        task=task,
        metric=metric,
        filter=None,
        value=value,
        stderr=None,
        n_shot=None,
        version=None,
        higher_is_better=None,
        is_group=False,
        n_samples=None,
    )
    fields.update(kw)
    return EvalScore(**fields)


def _run(*scores: EvalScore, **kw) -> EvalRun:
    fields = dict(
        format="csv",
        model_name=None,
        model_args=None,
        date=None,
        harness_version=None,
        limit=None,
        scores=list(scores),
    )
    fields.update(kw)
    return EvalRun(**fields)


def test_unstated_n_shot_and_version_are_notes(suite):
    report = validate(_run(_score("gsm8k", "exact_match", 0.5)), suite, published=set())
    # CSV has no filter: the suite asks for strict-match, so the value is missing
    assert kinds(report) == [
        ("missing_value", "flag", "gsm8k"),
        ("n_shot", "note", "gsm8k"),
        ("version", "note", "gsm8k"),
    ]
    loose = Suite(
        benchmarks=[
            Benchmark(
                name="gsm8k", tasks=["gsm8k"], metric="exact_match", n_shot=5, min_version="3"
            )
        ]
    )
    report = validate(_run(_score("gsm8k", "exact_match", 0.5)), loose, published=set())
    assert kinds(report) == [("n_shot", "note", "gsm8k"), ("version", "note", "gsm8k")]
    assert report.headlines[0].value == 0.5


def test_uncomparable_version_is_a_note():
    suite = Suite(benchmarks=[Benchmark(name="b", tasks=["t"], metric="acc", min_version="2")])
    report = validate(_run(_score("t", "acc", 0.5, version="v2-beta")), suite, published=set())
    assert kinds(report) == [("version", "note", "b")]
    report = validate(_run(_score("t", "acc", 0.5, version="2.0")), suite, published=set())
    assert report.problems == []


def test_first_suite_task_wins_and_groups_before_plain_rows():
    suite = Suite(benchmarks=[Benchmark(name="b", tasks=["x", "y"], metric="acc")])
    run = _run(
        _score("y", "acc", 0.1),
        _score("x", "acc", 0.2, filter="other"),
        _score("x", "acc", 0.3, filter="none"),
        _score("x", "acc", 0.4, filter="none", is_group=True),
    )
    (headline,) = validate(run, suite, published=set()).headlines
    assert (headline.task, headline.value, headline.filter) == ("x", 0.4, "none")


def test_limit_and_subsets_make_one_problem():
    suite = Suite(benchmarks=[Benchmark(name="b", tasks=["t"], metric="acc")])
    run = _run(
        _score("t", "acc", 0.5, n_samples=(5, 10)),
        _score("t", "f1", 0.5, n_samples=(5, 10)),
        _score("u", "acc", 0.5, n_samples=(7, 7)),
        limit=0.5,
    )
    report = validate(run, suite, published=set())
    subset = [p for p in report.problems if p.kind == "sample_subset"]
    assert len(subset) == 1 and subset[0].task == "t"
    assert "limit = 0.5" in subset[0].en and "t 5 of 10" in subset[0].en


def test_benchmarks_absent_from_the_run_give_nothing(suite):
    report = validate(_run(_score("my_task", "acc", 0.5)), suite, published={"mmlu"})
    assert report.headlines == [] and report.unknown_tasks == ["my_task"]
    assert kinds(report) == [("unknown_task", "note", None)]
    assert report.problems[0].task == "my_task"


def test_many_unknown_tasks_are_shortened():
    suite = Suite(benchmarks=[Benchmark(name="b", tasks=["t"], metric="acc")])
    run = _run(*[_score(f"task{i}", "acc", 0.5) for i in range(25)])
    report = validate(run, suite, published=set())
    assert len(report.unknown_tasks) == 25
    assert "25 task(s)" in report.problems[0].en and "…" in report.problems[0].en
    assert "task24" not in report.problems[0].en


# --- storage round trip -------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_json_round_trip(suite, name):
    report = validate(read(name), suite, published={"mmlu"})
    text = report.to_json()
    again = ValidationReport.from_json(text)
    assert again == report and again.rejected == report.rejected
    assert json.loads(text)["version"] == 1


def test_json_keeps_japanese_readable(suite):
    report = validate(read(MMLU), suite, published={"mmlu"})
    assert "すでに公開" in report.to_json()


def test_round_trip_of_every_field_kind():
    report = ValidationReport(
        headlines=[Headline("b", "t", "acc", None, None, None, False)],
        problems=[Problem("version", "note", None, None, "en", "ja")],
        unknown_tasks=["u"],
    )
    assert ValidationReport.from_json(report.to_json()) == report


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(version=2),
        lambda d: d.pop("headlines"),
        lambda d: d["headlines"][0].update(value="high"),
        lambda d: d["headlines"][0].update(n_shot=True),
        lambda d: d["headlines"][0].pop("task"),
        lambda d: d["problems"][0].update(kind="other"),
        lambda d: d["problems"][0].update(severity="fatal"),
        lambda d: d.update(unknown_tasks="x"),
        lambda d: d.update(unknown_tasks=[1]),
    ],
)
def test_from_json_refuses_damaged_reports(suite, change):
    report = validate(read(MMLU), suite, published={"mmlu"})
    doc = json.loads(report.to_json())
    doc["unknown_tasks"] = ["x"]
    change(doc)
    with pytest.raises(ValueError):
        ValidationReport.from_json(json.dumps(doc))
    with pytest.raises(ValueError):
        ValidationReport.from_json("not json")


def test_report_is_frozen(suite):
    report = validate(read(GSM8K), suite, published=set())
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.headlines = []  # type: ignore[misc]
    assert copy.deepcopy(report) == report


@pytest.mark.parametrize(
    ("value", "rejected"), [(77.3, True), (-0.2, True), (1.0, False), (0.0, False)]
)
def test_a_fraction_metric_outside_0_to_1_is_rejected(value, rejected):
    """exact_match 77.3 (a percentage) passed every check and ranked first."""
    from bot.parsing.evals import parse_eval_file
    from bot.services.eval_suite import load_suite
    from bot.services.eval_validation import validate

    run = parse_eval_file(f"task,metric,value\nmmlu,acc,{value}\n".encode(), "scores.csv")
    report = validate(run, load_suite(None), published=set())
    assert report.rejected is rejected
    assert ("out_of_range" in [p.kind for p in report.problems]) is rejected
