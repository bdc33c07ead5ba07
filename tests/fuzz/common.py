"""What every fuzz test checks: a parser returns a value or raises a clear, bilingual
`UserError`; any other exception (IndexError, KeyError, a leaking ValueError,
RecursionError, UnicodeDecodeError…) fails the test with the input that caused it."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from bot.errors import UserError

FIXTURES = Path(__file__).parent.parent / "fixtures"

# bounded: the whole folder runs in well under a minute on a busy 2-core machine;
# KIBAN_FUZZ_SCALE=20 (say) explores twenty times as many inputs, for a longer run by hand
_SCALE = float(os.environ.get("KIBAN_FUZZ_SCALE", "1"))
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]
FAST = settings(max_examples=int(150 * _SCALE), deadline=None, suppress_health_check=_SLOW_OK)
SLOW = settings(max_examples=int(40 * _SCALE), deadline=None, suppress_health_check=_SLOW_OK)

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")

# text that tends to break parsers: controls, NUL, BOM, bidi marks, surrogates, full-width forms
awkward_text = st.text(
    st.characters(codec=None, blacklist_categories=()),
    max_size=200,
)


def check_bilingual(error: UserError) -> None:
    """The error speaks both languages: non-empty English, Japanese with Japanese in it."""
    assert isinstance(error.en, str) and error.en.strip(), error
    assert isinstance(error.ja, str) and _JAPANESE.search(error.ja), (error.en, error.ja)
    assert error.message("en") == error.en and error.message("ja") == error.ja
    assert error.line is None or (isinstance(error.line, int) and error.line >= 1), error.line


def outcome(parse: Callable, *args, **kwargs):
    """`parse(*args, **kwargs)`, or the `UserError` it raised (checked bilingual). Any other
    exception propagates and fails the test."""
    try:
        result = parse(*args, **kwargs)
    except UserError as error:
        check_bilingual(error)
        event("refused")
        return error
    event("read")
    return result


def mutations(text: str) -> st.SearchStrategy[str]:
    """`text` with up to four edits (a slice cut out or repeated, random text or a tricky
    token spliced in): near-valid inputs that reach past a parser's first checks."""

    @st.composite
    def mutate(draw) -> str:
        out = text
        for _ in range(draw(st.integers(1, 4))):
            n = len(out)
            i = draw(st.integers(0, n))
            j = draw(st.integers(i, min(n, i + 80)))
            kind = draw(st.sampled_from(["cut", "repeat", "splice", "swap"]))
            if kind == "cut":
                out = out[:i] + out[j:]
            elif kind == "repeat":
                out = out[:j] + out[i:j] + out[j:]
            elif kind == "splice":
                out = out[:i] + draw(awkward_text.map(lambda s: s[:20])) + out[j:]
            else:
                picked = draw(st.sampled_from(list(_SPECIALS)))
                out = out[:i] + picked + out[j:]
        return out

    return mutate()


_SPECIALS = (
    "\x00",
    "\ufeff",
    "\u202e",
    "\ud800",
    "\r",
    "\n",
    "\r\n",
    '"',
    ",",
    "|",
    ";",
    "\t",
    ":",
    "=",
    "-",
    ".",
    "0",
    "9" * 30,
    "-1",
    "NaN",
    "inf",
    "1e999",
    "9999-99-99",
    "{",
    "}",
    "[",
    "]",
    "&a",
    "*a",
    "!!python/object",
    "'",
    "\\",
    "Z",
    "T",
    "+99:99",
    "１２",
    "令和",
    "null",
)
