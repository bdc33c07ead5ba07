"""Tests for bot.parsing.evals: lm-evaluation-harness, llm-jp-eval and CSV results files.

The real samples are in tests/fixtures/evals (see PROVENANCE.md there); the numbers asserted
were read from the files by eye. Broken files are written here."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.evals import MAX_BYTES, EvalRun, EvalScore, parse_eval_file
from bot.parsing.evals.jsonsafe import MAX_DEPTH, load_json

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "evals"
GSM8K = "eleuther_pr2251_Meta-Llama-3-8B-Instruct_gsm8k_cot_llama_results_2024-08-25T21-59-12.123082.json"
MMLU = "eleuther_pr2809_Llama-3.1-8B_mmlu_results_2025-03-06T22-23-33.022702.json"
V03 = "eleuther_llama-13B_common_sense_reasoning_0-shot_v0.3.json"
CPU = "cpu_regression_expected.json"
CPU_GROUP = "cpu_group_regression_expected.json"
JP = "shisa_shisa-gamma-7b-v1_score_eval.json"


def read(name: str) -> EvalRun:
    return parse_eval_file((FIXTURES / name).read_bytes(), name)


def raw(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def parse_obj(obj: object, name: str = "results.json") -> EvalRun:
    return parse_eval_file(json.dumps(obj).encode(), name)


def score(run: EvalRun, task: str, metric: str, filter_: str | None = "none") -> EvalScore:
    found = [s for s in run.scores if (s.task, s.metric, s.filter) == (task, metric, filter_)]
    assert len(found) == 1, (task, metric, filter_, found)
    return found[0]


def refused(data: bytes | str, name: str = "results.json") -> UserError:
    if isinstance(data, str):
        data = data.encode("utf-8")
    with pytest.raises(UserError) as info:
        parse_eval_file(data, name)
    error = info.value
    assert error.en and error.ja and error.en != error.ja
    return error


# --- every real sample -----------------------------------------------------------------


def test_fixture_folder_has_every_shared_sample_and_provenance():
    names = {p.name for p in FIXTURES.glob("*.json")}
    assert names == {GSM8K, MMLU, V03, CPU, CPU_GROUP, JP}
    provenance = (FIXTURES / "PROVENANCE.md").read_text(encoding="utf-8")
    for name in names:
        assert name in provenance


@pytest.mark.parametrize("name", [GSM8K, MMLU, V03, CPU, CPU_GROUP, JP])
def test_every_real_sample_parses(name):
    run = read(name)
    assert run.scores
    assert run.format in ("lm-eval", "lm-eval-v0.3", "llm-jp-eval")
    for s in run.scores:
        assert s.value is None or isinstance(s.value, float)
        assert s.n_samples is None or s.n_samples[0] <= s.n_samples[1]


def test_gsm8k_keeps_both_filters():
    run = read(GSM8K)
    assert run.format == "lm-eval"
    assert run.model_name == "meta-llama/Meta-Llama-3-8B-Instruct"
    assert run.model_args == "pretrained=meta-llama/Meta-Llama-3-8B-Instruct"
    assert run.date == datetime.fromtimestamp(1724622900.312985, UTC)
    assert run.date.tzinfo is not None and run.date.year == 2024
    assert run.limit is None
    assert run.harness_version is None  # this file has git_hash but no lm_eval_version
    strict = score(run, "gsm8k_cot_llama", "exact_match", "strict-match")
    flexible = score(run, "gsm8k_cot_llama", "exact_match", "flexible-extract")
    assert strict.value == 0.7725549658832449 and strict.stderr == 0.01154636331254809
    assert flexible.value == 0.7778620166793025 and flexible.stderr == 0.011449986902435323
    assert len(run.scores) == 2
    for s in (strict, flexible):
        assert s.n_shot == 5 and s.version == "3.0" and s.higher_is_better is True
        assert s.n_samples == (1319, 1319) and not s.is_group
    # "gsm8k_cot_llama": [] in group_subtasks is a stand-alone task, not a group
    assert run.subtasks == {}


def test_mmlu_group_and_subtasks():
    run = read(MMLU)
    assert run.model_name == "meta-llama/Llama-3.1-8B"
    assert run.date == datetime.fromtimestamp(1741299624.4402244, UTC)
    assert len(run.scores) == 62
    mmlu = score(run, "mmlu", "acc")
    assert mmlu.value == 0.653681811707734 and mmlu.stderr == 0.0037948605314617194
    assert mmlu.is_group and mmlu.n_samples is None and mmlu.version is None
    # the file says n-shot 0 for the mmlu group, an artefact; its 57 subjects are all 5-shot
    assert raw(MMLU)["n-shot"]["mmlu"] == 0
    assert mmlu.n_shot == 5
    algebra = score(run, "mmlu_abstract_algebra", "acc")
    assert algebra.value == 0.3 and algebra.stderr == 0.046056618647183814
    assert not algebra.is_group and algebra.version == "0.0" and algebra.n_shot == 5
    assert algebra.n_samples == (100, 100)
    stem = score(run, "mmlu_stem", "acc")
    assert stem.is_group and stem.value == 0.5601014906438313
    assert sum(s.is_group for s in run.scores) == 5
    assert set(run.subtasks["mmlu"]) == {
        "mmlu_stem",
        "mmlu_other",
        "mmlu_social_sciences",
        "mmlu_humanities",
    }
    assert len(run.subtasks["mmlu_stem"]) == 19


def test_cpu_regression_na_stderr_and_subset_counts():
    run = read(CPU)
    acc = score(run, "arc_easy", "acc")
    assert acc.value == 0.3 and acc.stderr is None  # "N/A" is missing, not 0
    assert acc.n_samples == (10, 2376)
    perplexity = score(run, "lambada_openai", "perplexity")
    assert perplexity.value == 605.5452047779999 and perplexity.higher_is_better is False
    assert score(run, "wikitext", "word_perplexity").n_samples == (10, 62)
    assert len(run.scores) == 7  # alias, name, sample_len are not scores


def test_cpu_group_regression():
    run = read(CPU_GROUP)
    group = score(run, "regression_arc", "acc")
    assert group.is_group and group.value == 0.15 and group.version == "1.0"
    assert group.n_shot == 0
    assert score(run, "regression_arc", "acc_norm").value == 0.05
    assert not score(run, "arc_challenge", "acc").is_group
    assert score(run, "arc_challenge", "acc").value == 0.0  # a real zero stays zero
    assert run.subtasks == {"regression_arc": ("arc_challenge", "arc_easy")}
    assert [s.task for s in run.scores].count("regression_arc") == 2  # not read twice


def test_v03_layout():
    run = read(V03)
    assert run.format == "lm-eval-v0.3"
    assert run.model_args == (
        "pretrained=/gaueko1/hizkuntza-ereduak/LLaMA/lm/huggingface/13B,use_accelerate=True"
    )
    assert run.model_name == "/gaueko1/hizkuntza-ereduak/LLaMA/lm/huggingface/13B"
    assert run.limit is None and run.date is None
    hellaswag = score(run, "hellaswag", "acc_norm", None)
    assert hellaswag.value == 0.7623979286994622 and hellaswag.stderr == 0.004247442237702478
    assert hellaswag.n_shot == 0 and hellaswag.version == "0"
    boolq = score(run, "boolq", "acc", None)
    assert boolq.value == 0.6850152905198776 and boolq.version == "1"
    em = score(run, "mc_taco", "em", None)
    assert em.value == 0.10960960960960961 and em.stderr is None
    assert score(run, "mc_taco", "f1", None).value == 0.4753174430074593
    assert len({s.task for s in run.scores}) == 12
    assert all(s.filter is None and not s.is_group for s in run.scores)


def test_llm_jp_eval_string_values_and_avr():
    run = read(JP)
    assert run.format == "llm-jp-eval"
    avr = score(run, "AVR", "score", None)
    assert avr.value == 0.7613 and avr.is_group
    for category, value in (("MC", 0.94), ("NLI", 0.72), ("QA", 0.5014), ("RC", 0.8839)):
        s = score(run, category, "score", None)
        assert s.value == value and s.is_group
    jsquad = score(run, "jsquad", "char_f1", None)
    assert jsquad.value == 0.8839 and not jsquad.is_group
    assert score(run, "jsts", "pearson", None).value == 0.8934
    assert score(run, "jsts", "spearman", None).value == 0.8216
    assert score(run, "jemhopqa", "char_f1", None).value == 0.5037
    assert score(run, "jamp", "exact_match", None).value == 0.49
    assert len(run.scores) == 16  # csv_line is skipped
    assert "csv_line" not in {s.task for s in run.scores}
    assert "jsquad" in run.subtasks["AVR"] and "NLI" in run.subtasks["AVR"]


# --- hand-made variants of the formats ---------------------------------------------------


def test_missing_values_are_none_never_zero():
    doc = {
        "results": {
            "t": {
                "acc,none": "N/A",
                "acc_stderr,none": "N/A",
                "f1,none": None,
                "em,none": float("nan"),
                "bleu,none": "",
                "ppl,none": float("inf"),
                "ok,none": 0,
            }
        },
        "n-shot": {"t": 3},
    }
    run = parse_eval_file(json.dumps(doc).encode(), "r.json")  # NaN/Infinity as Python writes
    values = {s.metric: s.value for s in run.scores}
    assert values == {"acc": None, "f1": None, "em": None, "bleu": None, "ppl": None, "ok": 0.0}
    assert score(run, "t", "acc").stderr is None


def test_lm_eval_limit_model_args_object_and_iso_date():
    doc = raw(GSM8K)
    doc["config"]["limit"] = 10
    doc["config"]["model_args"] = {"pretrained": "org/model", "dtype": "bfloat16"}
    doc["date"] = "2025-01-02T03:04:05+09:00"
    doc["lm_eval_version"] = "0.4.8"
    del doc["model_name"]
    run = parse_obj(doc)
    assert run.limit == 10.0
    assert run.model_args == "pretrained=org/model,dtype=bfloat16"
    assert run.model_name == "org/model"
    assert run.date == datetime(2025, 1, 1, 18, 4, 5, tzinfo=UTC)
    assert run.harness_version == "0.4.8"


def test_lm_eval_n_shot_and_version_from_configs():
    doc = {
        "results": {"t": {"acc,none": 0.5}},
        "configs": {"t": {"num_fewshot": 8, "metadata": {"version": 2.0}}},
    }
    s = parse_obj(doc).scores[0]
    assert (s.n_shot, s.version) == (8, "2.0")


def test_group_with_subtasks_of_different_n_shot_has_no_n_shot():
    doc = {
        "results": {"g": {"acc,none": 0.5}, "a": {"acc,none": 0.4}, "b": {"acc,none": 0.6}},
        "group_subtasks": {"g": ["a", "b"], "a": [], "b": []},
        "n-shot": {"g": 0, "a": 0, "b": 5},
    }
    run = parse_obj(doc)
    assert score(run, "g", "acc").is_group and score(run, "g", "acc").n_shot is None


def test_groups_only_in_groups_section_are_read():
    doc = {
        "results": {"a": {"acc,none": 0.4}},
        "groups": {"g": {"acc,none": 0.45, "alias": "g"}},
        "group_subtasks": {"g": ["a"]},
    }
    run = parse_obj(doc)
    assert [(s.task, s.is_group) for s in run.scores] == [("a", False), ("g", True)]


def test_group_subtask_cycle_does_not_hang():
    doc = {
        "results": {"g": {"acc,none": 0.5}, "h": {"acc,none": 0.5}},
        "group_subtasks": {"g": ["h"], "h": ["g"]},
    }
    assert len(parse_obj(doc).scores) == 2


def test_llm_jp_eval_wrapped_with_config():
    doc = {
        "scores": {"AVG": 0.55, "NLI": 0.6, "jnli_exact_match": 0.6, "chabsa_set_f1": 0.5},
        "outputs": {},
        "config": {
            "model": {"pretrained_model_name_or_path": "llm-jp/llm-jp-13b-v2.0"},
            "metainfo": {"version": "1.3.0", "num_few_shots": 4, "max_num_samples": 100},
        },
    }
    run = parse_obj(doc)
    assert run.format == "llm-jp-eval"
    assert run.model_name == "llm-jp/llm-jp-13b-v2.0"
    assert run.harness_version == "1.3.0" and run.limit == 100.0
    assert score(run, "AVG", "score", None).value == 0.55
    chabsa = score(run, "chabsa", "set_f1", None)
    assert chabsa.value == 0.5 and chabsa.n_shot == 4
    doc["config"]["metainfo"]["max_num_samples"] = -1  # -1: every sample
    assert parse_obj(doc).limit is None


def test_csv_scores():
    text = (
        "\ufefftask,metric,value,stderr,n_shot\r\n"
        "gsm8k,exact_match,0.7726,0.0115,5\r\n"
        "\r\n"
        "jsquad,char_f1,N/A,,\r\n"
        "mmlu,acc,０．６５,,５\r\n"
    )
    run = parse_eval_file(text.encode("utf-8"), "scores.csv")
    assert run.format == "csv" and run.model_name is None and run.subtasks == {}
    assert run.scores == [
        EvalScore("gsm8k", "exact_match", None, 0.7726, 0.0115, 5, None, None, False, None),
        EvalScore("jsquad", "char_f1", None, None, None, None, None, None, False, None),
        EvalScore("mmlu", "acc", None, 0.65, None, 5, None, None, False, None),
    ]


def test_csv_any_column_order_and_optional_columns():
    run = parse_eval_file(b"Value , Task,metric\n0.5,hellaswag,acc_norm\n", "x.txt")
    assert run.scores[0].task == "hellaswag" and run.scores[0].value == 0.5


@pytest.mark.parametrize(
    ("body", "line", "field", "words"),
    [
        ("a,acc,0.5\nb,acc,zero\n", 3, "value", "not a number"),
        ("a,acc,76.1%\n", 2, "value", "without “%”"),
        ('a,acc,"0,5"\n', 2, "value", "dot"),
        ("a,acc,0.5,x\n", 2, "stderr", "not a number"),
        ("a,acc,0.5,0.1,five\n", 2, "n_shot", "whole number"),
        ("a,acc,0.5,0.1,-1\n", 2, "n_shot", "whole number"),
        (",acc,0.5\n", 2, "task", "empty"),
        ("a,,0.5\n", 2, "metric", "empty"),
        ("a,acc,0.5\na,ACC,0.6\n", 3, None, "line 2"),
        ("a,acc,0.5,0.1,5,extra\n", 2, None, "columns"),
        ("a,acc\n", 2, None, "columns"),
    ],
)
def test_csv_bad_rows_name_their_line(body, line, field, words):
    error = refused("task,metric,value,stderr,n_shot\n" + body, "scores.csv")
    assert error.line == line and error.field == field
    assert words in error.en and f"{line}行目" in error.ja


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("task,metric,value,score\n", "score"),
        ("task,metric,value,value\n", "twice"),
    ],
)
def test_csv_bad_headers(header, words):
    error = refused(header + "a,acc,0.5,1\n", "scores.csv")
    assert words in error.en and error.line == 1


def test_csv_header_without_value_is_not_recognised():
    error = refused("task,metric,score\na,acc,0.5\n", "scores.csv")
    assert "neither JSON nor a CSV" in error.en


# --- broken files ----------------------------------------------------------------------


def test_empty_and_blank():
    assert "empty" in refused(b"").en
    assert "empty" in refused(b"  \r\n\n ").en
    assert "空" in refused(b"\xef\xbb\xbf\n").ja


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b'{"results": {}}\x00', bytes(range(1, 32)) * 20],
)
def test_binary(data):
    assert "binary" in refused(data).en


def test_not_utf8_names_the_line():
    data = b'{"results": {\n"t": {"acc,none": 0.5, "note": "' + "日本語".encode("cp932")
    error = refused(data)
    assert "UTF-8" in error.en and error.line == 2


def test_utf16():
    assert "UTF-16" in refused('{"results": {}}'.encode("utf-16")).en


def test_neither_json_nor_csv():
    error = refused(b"hello world\nthis is not a results file\n", "notes.txt")
    assert "neither JSON nor a CSV" in error.en and "task,metric,value" in error.ja


def test_json_named_file_that_is_not_json():
    error = refused(b"results = {'a': 1}\n", "results.json")
    assert "not valid JSON" in error.en and error.line == 1


def test_truncated_json():
    data = (FIXTURES / GSM8K).read_bytes()
    for cut in (len(data) // 2, len(data) - 3, 10):
        error = refused(data[:cut])
        assert "ends too early" in error.en and "途中で終わって" in error.ja


def test_invalid_json_names_line_and_column():
    error = refused(b'{\n  "results": {"t": {"acc,none": 0.5,}}\n}')
    assert error.line == 2 and "column" in error.en and "2行目" in error.ja


def test_top_level_array():
    error = refused(b'[{"results": {}}]')
    assert "(top level)" in error.en and "an array" in error.en


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        ({"results": [1, 2]}, "results:"),
        ({"results": {"gsm8k": 0.5}}, "results.gsm8k:"),
        ({"results": {"gsm8k": {"acc,none": [0.5]}}}, 'results.gsm8k["acc,none"]:'),
        ({"results": {"gsm8k": {"acc,none": True}}}, 'results.gsm8k["acc,none"]:'),
        ({"results": {"gsm8k": {"acc,none": "high"}}}, 'results.gsm8k["acc,none"]:'),
        ({"results": {"gsm8k": {"acc": {"x": 1}}}}, "results.gsm8k.acc:"),  # v0.3
        ({"results": {"t": {"acc,none": 1}}, "n-shot": {"t": "five"}}, "n-shot.t:"),
        ({"results": {"t": {"acc,none": 1}}, "n-shot": {"t": 2.5}}, "n-shot.t:"),
        ({"results": {"t": {"acc,none": 1}}, "n-samples": {"t": 5}}, "n-samples.t:"),
        ({"results": {"t": {"acc,none": 1}}, "n-samples": {"t": {"original": 5}}}, "n-samples.t:"),
        (
            {"results": {"t": {"acc,none": 1}}, "higher_is_better": {"t": {"acc": "yes"}}},
            "higher_is_better.t.acc:",
        ),
        ({"results": {"t": {"acc,none": 1}}, "group_subtasks": {"g": "t"}}, "group_subtasks.g:"),
        ({"results": {"t": {"acc,none": 1}}, "versions": {"t": [1]}}, "versions.t:"),
        ({"results": {"t": {"acc,none": 1}}, "config": {"limit": "ten"}}, "config.limit:"),
        ({"results": {"t": {"acc,none": 1}}, "config": "x"}, "config:"),
        ({"results": {"t": {"acc,none": 1}}, "date": "yesterday"}, "date:"),
        ({"results": {"t": {"acc,none": 1}}, "date": 1e15}, "date:"),
        ({"AVR": "0.7", "jsquad_char_f1": "high"}, "jsquad_char_f1:"),
        ({"AVG": 0.7, "NLI": [0.7]}, "NLI:"),
    ],
)
def test_wrong_shape_names_the_json_path(doc, path):
    error = refused(json.dumps(doc).encode())
    assert error.en.startswith(path), error.en
    assert error.ja.startswith(path.removesuffix(":"))
    assert error.field == path.removesuffix(":")


def test_unrecognised_json_object():
    error = refused(b'{"model": "x", "accuracy": 0.5}')
    assert "not an evaluation results file" in error.en


@pytest.mark.parametrize(
    "doc",
    [
        {"results": {}},
        {"results": {"t": {"alias": "t", "sample_len": 10}}},
        {"results": {}, "groups": {}, "n-shot": {}},
        {"scores": {}, "AVG": 1},
    ],
)
def test_no_scores(doc):
    error = refused(json.dumps(doc).encode())
    assert "no scores" in error.en or "not an evaluation results file" in error.en


def test_csv_with_header_only_has_no_scores():
    assert "no scores" in refused(b"task,metric,value\n\n", "s.csv").en


def test_file_over_max_bytes_is_refused_before_parsing(monkeypatch):
    import bot.parsing.evals.parse as parse_module

    def boom(*_args, **_kwargs):
        raise AssertionError("decoded a file that is too big")

    monkeypatch.setattr(parse_module, "_decode", boom)
    monkeypatch.setattr(parse_module, "load_json", boom)
    fifty_mb = b"[" * (50 * 1024 * 1024)
    started = time.perf_counter()
    error = refused(fifty_mb)
    assert time.perf_counter() - started < 1.0
    assert "50.0 MB" in error.en and "10.0 MB" in error.en and "50.0 MB" in error.ja
    assert "too big" not in error.en
    refused(b" " * (MAX_BYTES + 1))


def test_file_of_exactly_max_bytes_is_read():
    body = b'{"results": {"t": {"acc,none": 0.5}}}'
    data = body + b" " * (MAX_BYTES - len(body))
    assert len(data) == MAX_BYTES
    assert parse_eval_file(data, "r.json").scores[0].value == 0.5


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 200_000])
def test_deep_nesting_is_refused_without_recursion_error(depth):
    data = '{"results": {"t": {"acc,none": 0.5}}, "x": ' + "[" * depth + "]" * depth + "}"
    error = refused(data)
    assert "nested" in error.en and "入れ子" in error.ja


def test_nesting_up_to_the_limit_is_fine():
    value = load_json("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == []
    with pytest.raises(UserError):
        load_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


def test_brackets_inside_strings_do_not_count():
    text = '{"results": {"t": {"acc,none": 0.5, "alias": "' + "[" * 500 + '\\"{"}}}'
    assert parse_eval_file(text.encode(), "r.json").scores[0].value == 0.5


@pytest.mark.parametrize(
    "data",
    [
        "[" + "0," * 1_000_000 + "0]",
        "[" + "{}," * 1_000_000 + "{}]",
        '{"results": {"t": {"acc,none": 1}}, "x": [' + "[]," * 1_000_001 + "[]]}",
    ],
)
def test_huge_arrays_and_objects_are_refused(data):
    error = refused(data)
    assert "too many JSON values" in error.en


@pytest.mark.parametrize(
    "number",
    ["1" + "0" * 5000, "0." + "1" * 5000, "-" + "9" * 4301, "1" + "0" * 200 + "e5"],
)
def test_numbers_with_thousands_of_digits(number):
    error = refused('{"results": {"t": {"acc,none": ' + number + "}}}")
    assert "characters" in error.en and "数値" in error.ja


def test_duplicate_keys_are_refused():
    error = refused(b'{"results": {"t": {"acc,none": 0.5, "acc,none": 0.9}}}')
    assert "twice" in error.en and "acc,none" in error.en and "2回" in error.ja


# --- robustness: nothing but UserError escapes ---------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_user_error(data):
    try:
        run = parse_eval_file(data, "x.json")
    except UserError:
        return
    assert run.scores


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.integers()
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "results",
                "groups",
                "group_subtasks",
                "configs",
                "versions",
                "n-shot",
                "higher_is_better",
                "n-samples",
                "config",
                "date",
                "model_name",
                "AVG",
                "scores",
            ]
        ),
        _json,
        max_size=6,
    )
)
def test_arbitrary_json_shapes_raise_only_user_error(doc):
    try:
        run = parse_obj(doc)
    except UserError as error:
        assert error.en and error.ja
        return
    assert run.scores
