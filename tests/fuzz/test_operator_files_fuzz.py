"""Fuzzing the files operators and secretariats hand Kiban: the setup file, the data-holders
file (YAML and CSV), the applicants CSV of a review, and scenario files. Each is read in full
or refused with a bilingual UserError; no other exception escapes (YAML's own errors, bad
dates, deep nesting, bytes that are not UTF-8)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.review_subjects import read_subjects_csv
from bot.scenario.model import Scenario, load_scenario
from bot.services.admin import SetupFile, load_setup
from bot.services.data_holder_import import load_holders

from .common import FAST, FIXTURES, SLOW, awkward_text, check_bilingual, mutations, outcome

SETUP = (FIXTURES / "setup.yaml").read_text()
HOLDERS_YAML = (FIXTURES / "data" / "holders.yaml").read_text()
HOLDERS_CSV = (FIXTURES / "data" / "holders.csv").read_text()
BUNDLED = Path(__file__).parent.parent.parent / "bot" / "scenario" / "bundled"
SCENARIO = (BUNDLED / "events.yaml").read_text()
APPLICANTS = (BUNDLED / "review-applicants.csv").read_text()

YAML_TRICKS = [
    "organizations: 2026-02-30",
    "organizations:\n  - code: A\n    period_start: 2026-02-30",
    "organizations: [" * 60,
    "- " * 60 + "x",
    "a: &x [1]\nb: *x",
    "? [a]\n: 1",
    "organizations: !!binary AAAA",
    "organizations: !!python/object:os.system {}",
    'organizations:\n  - {code: A, name: "\\ud800"}',
    'organizations:\n  - {code: A, name: "\\0"}',
    "organizations: .inf",
    "{1: 2, 3: 4}",
    "organizations:\n  - {code: A, code: B}",
    "%YAML 9.9\n---\nx",
    "--- !!set {a, b}",
    "organizations:\n  - 1e999",
    "data_holders:\n  - {key: k, name: n, contact: U0X, size: '" + "9" * 5000 + " GB'}",
    "organizations: " + "9" * 5000,  # found: ValueError from PyYAML's int constructor
    "organizations: !!timestamp 2026-02-30",
    "organizations: !!int 0x",
]
yaml_texts = st.one_of(awkward_text, st.sampled_from(YAML_TRICKS))


@SLOW
@given(st.one_of(yaml_texts, mutations(SETUP)))
def test_load_setup(text):
    result = outcome(load_setup, text)
    assert isinstance(result, UserError | SetupFile)


@SLOW
@given(
    st.one_of(
        yaml_texts.map(lambda t: (t, "holders.yaml")),
        mutations(HOLDERS_YAML).map(lambda t: (t, "holders.yml")),
        st.one_of(awkward_text, mutations(HOLDERS_CSV)).map(lambda t: (t, "holders.csv")),
        st.tuples(awkward_text, st.text(max_size=12)),
    )
)
@example(("key,name,contact,size\nk,n,U0X," + "9" * 5000 + " GB\n", "holders.csv"))
def test_load_holders(case):
    text, filename = case
    result = outcome(load_holders, text, filename)
    assert isinstance(result, UserError | list)


@FAST
@given(
    st.one_of(
        st.binary(max_size=300),
        mutations(APPLICANTS).map(lambda t: t.encode("utf-8", "surrogatepass")),
        mutations(APPLICANTS).map(lambda t: t.encode("cp932", "replace")),
    )
)
def test_read_subjects_csv(data):
    result = outcome(read_subjects_csv, data)
    assert isinstance(result, UserError | list)


@SLOW
@given(
    st.one_of(
        st.binary(max_size=200),
        yaml_texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
        mutations(SCENARIO).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )
)
@example(b"name: x\nstart: \xff\n")  # not UTF-8
@example(b"name: x\nstart: 2026-02-30\nworkspace: {}\nsteps: []\n")  # not a date
@example(b"- " * 2000 + b"x")  # nesting deeper than the recursion limit
def test_load_scenario(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_bytes(data)
        result = outcome(load_scenario, path)
    assert isinstance(result, UserError | Scenario)


SETUP_ALLOCATION = (
    "organizations:\n  - {{code: A, name: B, kind: developer, allocations: [{{provider: x, "
    "gpu_type: y, granted_gpu_hours: {hours}, period_start: 2026-01-01, "
    "period_end: 2026-12-31}}]}}\n"
)


@pytest.mark.parametrize(
    ("text", "says_en", "says_ja"),
    [  # found by the fuzzer: PyYAML's constructors raised a bare ValueError
        (
            SETUP_ALLOCATION.format(hours="9" * 5000),
            "value has 5000 digits)",
            "行 2: YAML として読めません",
        ),
        (
            "organizations:\n  - !!timestamp 2026-02-30\n",
            "day is out of range for month",
            "YAML として読めません",
        ),
        (
            SETUP_ALLOCATION.format(hours="!!int 0x"),
            "invalid literal for int()",
            "YAML として読めません",
        ),
    ],
    ids=["int-too-long", "no-date", "not-an-int"],
)
def test_setup_files_that_crashed_the_loader_are_refused(text, says_en, says_ja):
    with pytest.raises(UserError) as refused:
        load_setup(text)
    assert says_en in refused.value.en and says_ja in refused.value.ja


def test_holders_file_with_a_value_yaml_cannot_construct_is_refused():
    with pytest.raises(UserError) as refused:
        load_holders(
            "- {key: k, name: n, contact: U0X, size: !!int " + "9" * 5000 + "}\n", "h.yaml"
        )
    assert "line 1" in refused.value.en and "cannot read the value" in refused.value.en
    check_bilingual(refused.value)


HEAD = b"name: t\nstart: 2026-04-01T09:00:00+09:00\nworkspace: {users: [], channels: []}\n"


@pytest.mark.parametrize(
    ("data", "says_en", "says_ja"),
    [  # found by the fuzzer: each escaped load_scenario as a bare exception
        (
            b"name: x\nstart: \xff\n",
            "is not UTF-8 text (byte 15)",
            "UTF-8 のテキストではありません",
        ),
        (HEAD + b"steps:\n  - at: 2026-02-30\n", "line 5", "day is out of range for month"),
        (b"- " * 2000 + b"x", "nested more than 50 levels deep", "YAML として読めません"),
        (b"steps: " + b"[" * 60, "nested more than 50 levels deep", "YAML として読めません"),
    ],
    ids=["not-utf8", "no-such-date", "deep-block-list", "deep-flow-list"],
)
def test_scenario_files_that_crashed_the_loader_are_refused(tmp_path, data, says_en, says_ja):
    path = tmp_path / "s.yaml"
    path.write_bytes(data)
    with pytest.raises(UserError) as refused:
        load_scenario(path)
    assert says_en in refused.value.en and says_ja in refused.value.ja


def test_scenario_nesting_a_scenario_needs_still_loads(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes(HEAD + b"steps:\n  - {user: U0A, fill: {a: [b, {c: [d]}]}, submit: true}\n")
    assert load_scenario(path).steps[0]["fill"] == {"a": ["b", {"c": ["d"]}]}


def test_an_unknown_step_that_is_an_alias_bomb_is_refused_at_once(tmp_path):
    """Found reading the code the fuzzer pointed at: the message showed the step with repr(),
    which for nested aliases is 9**10 items (a hang); it is now shown abbreviated."""
    parts = ["x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    parts += [f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = tmp_path / "s.yaml"
    path.write_bytes(HEAD + ("steps:\n  - {" + ", ".join(parts) + "}\n").encode())
    with pytest.raises(UserError) as refused:
        load_scenario(path)
    assert refused.value.en.startswith("step 1: unknown step {'x0': ['lol',")
    assert len(refused.value.en) < 1000
