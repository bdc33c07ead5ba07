"""Decoding untrusted JSON with the standard library, refusing bombs before they go off.

:func:`load_json` runs :func:`json.loads` only after a linear pre-scan of the text (strings
removed) has shown that the nesting is at most :data:`MAX_DEPTH` deep and that there are at
most :data:`MAX_VALUES` values, none a string longer than :data:`MAX_STRING_CHARS`, so deep
nesting never reaches a ``RecursionError`` and a file of millions of tiny values (or one huge
string) is refused before it is built. Keys longer than :data:`MAX_KEY_CHARS` and numbers
longer than :data:`MAX_NUMBER_CHARS` characters are refused (a 5,000-digit integer would
otherwise hit Python's ``int`` max-str-digits ``ValueError``), and so are duplicate keys in
one object (Python would silently keep the last). Every refusal is a bilingual
:class:`~bot.errors.UserError`.
"""

from __future__ import annotations

import json
import re

from bot.errors import UserError

__all__ = [
    "MAX_DEPTH",
    "MAX_KEY_CHARS",
    "MAX_NUMBER_CHARS",
    "MAX_STRING_CHARS",
    "MAX_VALUES",
    "load_json",
]

MAX_DEPTH = 64
"""Deepest nesting of arrays/objects accepted (real results files nest 5 or 6 deep)."""
MAX_VALUES = 50_000
"""Most JSON values accepted in one file (an upper estimate: commas + containers + 1). A full
lm-evaluation-harness MMLU results file (62 tasks, 95 KB) has about 2,700; the file is read
and validated before Slack's 3-second ack, and 50,000 values keep that under a second (a
million tiny values in a 10 MB file took seconds and hundreds of MB)."""
MAX_NUMBER_CHARS = 100
"""Longest number accepted, in characters."""
MAX_STRING_CHARS = 1_000_000
"""Longest string (value or key) accepted, in characters of the file as written (escapes
count as written). Results files hold environment dumps and chat templates of a few KB."""
MAX_KEY_CHARS = 1_000
"""Longest object key accepted: keys are task, metric and setting names."""

# A string literal; an unterminated one runs to the end of the text. The match never fails
# once started, so the scan stays linear (no backtracking from every quote of a cut-off file).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class _Refused(Exception):
    def __init__(self, error: UserError):
        super().__init__(error.en)
        self.error = error


def _number_error(text: str) -> UserError:
    shown = text[:20] + "…"
    return UserError(
        f"The file has a number with {len(text):,} characters ({shown}); numbers longer than "
        f"{MAX_NUMBER_CHARS} characters are refused.",
        f"{len(text):,}文字の数値（{shown}）が含まれています。{MAX_NUMBER_CHARS}文字を超える"
        "数値は受け付けません。",
    )


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(_number_error(text))
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(_number_error(text))
    return float(text)


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if len(key) > MAX_KEY_CHARS:
            shown = json.dumps(key[:40], ensure_ascii=False)[:-1] + "…"
            raise _Refused(
                UserError(
                    f"The file has a key of {len(key):,} characters ({shown}); keys longer "
                    f"than {MAX_KEY_CHARS:,} characters are refused.",
                    f"{len(key):,}文字のキー（{shown}）が含まれています。{MAX_KEY_CHARS:,}文字を"
                    "超えるキーは受け付けません。",
                )
            )
        if key in result:
            shown = json.dumps(key[:80], ensure_ascii=False)
            raise _Refused(
                UserError(
                    f"The key {shown} appears twice in the same object; which value counts "
                    "would be a guess. Remove one of them.",
                    f"同じオブジェクトの中にキー {shown} が2回あります。どちらの値を使うか"
                    "決められないため、片方を削除してください。",
                    field=key[:80],
                )
            )
        result[key] = value
    return result


def _check_structure(text: str) -> None:
    """Refuse deep nesting, too many values and over-long strings, looking only at brackets
    and commas outside strings and at the strings' lengths (an unterminated string hides the
    rest; :func:`json.loads` then reports it).

    Nesting is checked first (a nesting bomb gets the message that names it) but only over
    the first ``2 * MAX_VALUES + 2`` brackets, so the Python loop stays short: a valid prefix
    that long holds over :data:`MAX_VALUES` openers, which the count then refuses, and an
    invalid one stops :func:`json.loads` before it nests deeper."""
    outside = _STRING.sub('""', text)
    brackets = _NOT_BRACKET.sub("", outside)
    depth = 0
    for char in brackets[: 2 * MAX_VALUES + 2]:
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise UserError(
                    f"The JSON is nested more than {MAX_DEPTH} levels deep; results files are "
                    "never nested like this, so it is refused.",
                    f"JSONの入れ子が{MAX_DEPTH}段を超えています。結果ファイルがこれほど深く"
                    "なることはないため、受け付けません。",
                )
        else:
            depth -= 1
    values = outside.count(",") + brackets.count("[") + brackets.count("{") + 1
    if values > MAX_VALUES:
        raise UserError(
            f"The file has too many JSON values (about {values:,}; at most {MAX_VALUES:,} are "
            "accepted). A results file is far smaller; was a samples log sent instead?",
            f"JSONの値が多すぎます（約{values:,}個。上限は{MAX_VALUES:,}個です）。結果ファイルは"
            "もっと小さいはずです。サンプルのログを送っていませんか。",
        )
    longest = max((m.end() - m.start() - 2 for m in _STRING.finditer(text)), default=0)
    if longest > MAX_STRING_CHARS:
        raise UserError(
            f"The file has a string of {longest:,} characters; strings longer than "
            f"{MAX_STRING_CHARS:,} characters are refused (a results file has no such text).",
            f"{longest:,}文字の文字列が含まれています。{MAX_STRING_CHARS:,}文字を超える文字列は"
            "受け付けません（結果ファイルにそのような文字列はありません）。",
        )


def _syntax_error(text: str, exc: json.JSONDecodeError) -> UserError:
    truncated = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
    if truncated:
        return UserError(
            f"The JSON ends too early (line {exc.lineno}): the file looks cut off. Send the "
            "whole file.",
            f"JSONが途中で終わっています（{exc.lineno}行目）。ファイルが途中で切れている"
            "ようです。ファイル全体を送ってください。",
            line=exc.lineno,
        )
    return UserError(
        f"This is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
        f"JSONとして正しくありません（{exc.lineno}行目 {exc.colno}文字目: {exc.msg}）。",
        line=exc.lineno,
    )


def load_json(text: str) -> object:
    """Decode ``text`` as JSON (see the module docstring for what is refused).

    ``NaN``/``Infinity`` are decoded as Python floats (the readers treat them as missing).

    Raises:
        UserError: syntax errors (``line`` set; a file that ends early is called truncated),
            nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_VALUES` values,
            strings over :data:`MAX_STRING_CHARS` or keys over :data:`MAX_KEY_CHARS`,
            numbers longer than :data:`MAX_NUMBER_CHARS`, duplicate keys.
    """
    _check_structure(text)
    try:
        return json.loads(
            text, object_pairs_hook=_pairs, parse_int=_parse_int, parse_float=_parse_float
        )
    except _Refused as exc:
        raise exc.error from None
    except json.JSONDecodeError as exc:
        raise _syntax_error(text, exc) from None
    except RecursionError:  # not reached after _check_structure; kept as a last guard
        raise UserError("The JSON is nested too deeply.", "JSONの入れ子が深すぎます。") from None
    except ValueError as exc:  # int max-str-digits, should a number slip past the hooks
        raise UserError(
            f"The file has a number that cannot be read ({exc}).",
            f"読み取れない数値が含まれています（{exc}）。",
        ) from None
