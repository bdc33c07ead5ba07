"""What people type: characters no text may hold, and names compared for duplicates."""

import pytest

from bot.parsing.text import blank, check_chars, fold_name


@pytest.mark.parametrize(
    ("text", "code", "position"),
    [
        ("a\x00b", "U+0000", 2),  # PostgreSQL refuses NUL
        ("Evil Corp \u202emoc.live\u202c", "U+202E", 11),  # right-to-left override
        ("x\u2066y\u2069", "U+2066", 2),  # a bidirectional isolate
        ("bad \ud800", "U+D800", 5),  # a lone surrogate
    ],
)
def test_characters_that_cannot_be_stored_or_that_disguise_text_are_refused(text, code, position):
    error = check_chars(None, text)
    assert error is not None and code in error.en and f"{position}" in error.en


@pytest.mark.parametrize("text", ["日本語 AI", "tab\there", "line\nbreak", "שלום \u200f mark"])
def test_ordinary_text_including_a_right_to_left_mark_is_kept(text):
    assert check_chars(None, text) is None


def test_names_fold_case_and_width():
    assert fold_name(" ＨＩＫＡＲＩ ") == fold_name("Hikari") == fold_name("hikari")
    assert fold_name("Ｔ") == fold_name("t")
    assert fold_name("みらい") != fold_name("ミライ")  # kana are different names
    assert fold_name("Hi\u200bkari") == fold_name("hikari")  # a zero-width space
    assert fold_name("2026年度  公募 ") == fold_name("２０２６年度　公募")  # spaces of any kind


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "\u2060\ufeff", " \u200e\n\u3000", None])
def test_text_that_shows_nothing_is_blank(text):
    assert blank(text)


@pytest.mark.parametrize("text", ["a", "\u200ba", "・", "０"])
def test_text_with_anything_visible_is_not_blank(text):
    assert not blank(text)
