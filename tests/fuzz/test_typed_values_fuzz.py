"""Fuzzing what people type into modals and commands: months, GPU-hours, plan lines, data
sizes, free text checks and links. Each returns a value within its documented range or a
bilingual UserError, never another exception."""

from __future__ import annotations

import datetime
import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.data_size import format_size, parse_size
from bot.parsing.months import format_month, parse_month
from bot.parsing.numbers import MAX_GPU_HOURS, format_gpu_hours, parse_gpu_hours, plain_number
from bot.parsing.plans import parse_plan_lines
from bot.parsing.text import blank, check_chars, fold_name, normalize_input
from bot.parsing.urls import clean_link, first_link, message_link, normalize_url, unwrap_link

from .common import FAST, awkward_text, check_bilingual, outcome

DIGITS = st.from_regex(r"\A[0-9０-９]{1,40}\Z")
NEAR_MONTH = st.one_of(
    st.from_regex(r"\A\s*[0-9]{1,6}\s*[-/.年]\s*[0-9]{1,4}\s*月?\s*\Z"),
    st.from_regex(r"\A\s*(R|H|S|令和|平成|昭和)\s*[0-9元]{1,6}\s*[.年]\s*[0-9]{1,4}\s*月?\Z"),
    st.from_regex(r"\A\s*[A-Za-z]{3,10}\.?\s*[0-9]{1,6}\s*\Z"),
)
MONTH_FORMS = st.builds(
    lambda y, m, form: form.format(y=y, m=m, r=y - 2018, mm=f"{m:02d}"),
    st.integers(1990, 2110),
    st.integers(0, 13),
    st.sampled_from(
        [
            "{y}-{mm}",
            "{y}/{m}",
            "{y}年{m}月",
            "R{r}.{m}",
            "令和{r}年{m}月",
            "{y}.{mm}",
            "{y}-{mm}-01",
            "{mm}/{y}",
            "{y}{mm}",
        ]
    ),
)
NEAR_NUMBER = st.from_regex(
    r"\A\s*[-+]?[0-9０-９]{0,30}([.,．，][0-9]{0,12}){0,4}\s*[a-zA-Zh時間]*\Z"
)
NEAR_SIZE = st.from_regex(
    r"\A\s*[0-9]{1,30}(,[0-9]{3}){0,3}(\.[0-9]{1,20})?\s*[A-Za-z万億件時間トークン枚]{0,12}\.?\Z"
)


@FAST
@given(st.one_of(awkward_text, NEAR_MONTH, MONTH_FORMS))
@example("R99999999999.1")  # an era year far past 2100
@example("99999999999999999999-01")
def test_parse_month_returns_a_month_or_a_bilingual_error(text):
    result = outcome(parse_month, text)
    if not isinstance(result, UserError):
        assert isinstance(result, datetime.date) and result.day == 1
        assert 2000 <= result.year <= 2100
        assert parse_month(format_month(result)) == result


@FAST
@given(st.one_of(awkward_text, NEAR_NUMBER, DIGITS))
@example("9" * 5000)  # past Python's int-string conversion limit
@example("1" + "0" * 400 + ".5")  # float overflow
@example("10000000000000000000000000,")  # found: decimal.InvalidOperation from Babel
def test_parse_gpu_hours_returns_an_amount_or_a_bilingual_error(text):
    result = outcome(parse_gpu_hours, text)
    if not isinstance(result, UserError):
        assert isinstance(result, float) and math.isfinite(result)
        assert 0 <= result <= MAX_GPU_HOURS
        for lang in ("en", "ja"):
            assert format_gpu_hours(result, lang)
        assert plain_number(result)


@pytest.mark.parametrize(
    ("text", "outcome_en"),
    [  # found by the fuzzer: more than 28 digits overflowed Babel's decimal context
        ("10000000000000000000000000,", "commas only group thousands"),
        ("1,000,000,000,000,000,000,000,000,000", "more than the maximum"),
        ("100000000000000000000000000000000,5", "commas only group thousands"),
        ("1,000.0000000000000000000000001", 1000.0000000000000000000000001),  # was "ambiguous"
    ],
)
def test_numbers_longer_than_babels_precision(text, outcome_en):
    if isinstance(outcome_en, float):
        assert parse_gpu_hours(text) == outcome_en
        return
    with pytest.raises(UserError) as refused:
        parse_gpu_hours(text)
    assert outcome_en in refused.value.en
    check_bilingual(refused.value)


@FAST
@given(
    st.one_of(
        awkward_text,
        st.lists(
            st.tuples(
                MONTH_FORMS | NEAR_MONTH,
                st.sampled_from([":", "=", "：", " ", ""]),
                st.integers(0, 2 * MAX_GPU_HOURS).map("{:,}".format) | NEAR_NUMBER,
            ),
            max_size=5,
        ).map(lambda rows: "\n".join(f"{m}{s}{n}" for m, s, n in rows)),
    )
)
@example("\n".join(f"2026-{m:02d}: 1,000" for m in range(1, 13)) + "\n2026-01: 5")  # twice
@example("2026-04: 1\n" * 121)  # too many lines
@example("2026年４月：１，２００\nR8.5 900\n\n")
def test_parse_plan_lines_returns_plans_or_a_bilingual_error(text):
    result = outcome(parse_plan_lines, text)
    if not isinstance(result, UserError):
        for month, hours in result.items():
            assert parse_month(month) and 0 <= hours <= MAX_GPU_HOURS


@FAST
@given(st.one_of(awkward_text, NEAR_SIZE))
@example("9" * 5000 + " GB")
@example("1" + "0" * 400 + " TB")
def test_parse_size_returns_a_size_or_a_bilingual_error(text):
    result = outcome(parse_size, text)
    if isinstance(result, tuple):
        value, unit = result
        assert math.isfinite(value) and value >= 0
        for lang in ("en", "ja"):
            assert format_size(value, unit, lang)


@FAST
@given(awkward_text, st.one_of(st.none(), st.text(max_size=20)))
def test_text_helpers_never_crash(text, field):
    assert isinstance(normalize_input(text), str)
    assert isinstance(fold_name(text), str)
    assert isinstance(blank(text), bool)
    problem = check_chars(field, text)
    if problem is not None:
        check_bilingual(problem)


URLISH = st.one_of(
    st.from_regex(r"\A<?(https?|ftp|HTTPS)://[^\s]{0,60}(\|[^>]{0,20})?>?\Z"),
    st.from_regex(r"\Ahttps?://\[[0-9a-fA-F:.%]{0,40}\](:[0-9]{0,8})?/?[^\s]{0,20}\Z"),
    st.from_regex(r"\Ahttps?://[a-z0-9.-]{1,30}:[0-9a-z]{0,12}[/?#]?[^\s]{0,20}\Z"),
)


@FAST
@given(st.one_of(awkward_text, URLISH))
@example("https://[::1")
@example("http://xn--/")
def test_normalize_url_returns_a_stable_url_or_a_bilingual_error(text):
    result = outcome(normalize_url, text)
    if not isinstance(result, UserError):
        assert result.startswith("https://")
        assert normalize_url(result) == result
        # clean_link takes links normalize_url accepted, as they were typed (practices.py)
        assert isinstance(clean_link(unwrap_link(text)), str)
    assert isinstance(unwrap_link(text), str)
    link = first_link(text)
    assert link is None or isinstance(link, str)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | URLISH,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "text",
                    "blocks",
                    "attachments",
                    "elements",
                    "fields",
                    "accessory",
                    "type",
                    "url",
                    "from_url",
                    "title_link",
                    "original_url",
                ]
            ),
            inner | st.just("link"),
            max_size=5,
        )
    ),
    max_leaves=20,
)


@FAST
@given(JSONISH)
@example({"text": "link", "blocks": "link", "attachments": True})  # found: TypeError
@example({"attachments": {"from_url": "https://a.example/"}, "blocks": 3})
def test_message_link_reads_any_message_shape(message):
    link = message_link(message)
    assert link is None or isinstance(link, str)


def test_message_link_passes_over_attachments_of_the_wrong_type():
    message = {"text": "see", "attachments": True, "blocks": [{"type": "section", "text": "x"}]}
    assert message_link(message) is None
    assert (
        message_link({"attachments": 7, "text": "<https://a.example/x>"}) == "https://a.example/x"
    )
