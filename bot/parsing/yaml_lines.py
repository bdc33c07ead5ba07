"""Reading the operators' YAML files (the setup file, the holders file) strictly and with
line numbers: `LineLoader` records each mapping's line (`LINE_KEY`) and each key's line
(`KEY_LINES`); `line_of` finds the line of a pydantic error location; `strip_lines` removes
the bookkeeping before validation.
"""

from __future__ import annotations

import re

import yaml

from bot.errors import UserError
from bot.parsing.text import check_chars

LINE_KEY = "__line__"
KEY_LINES = "__key_lines__"


YAML_DEPTH_MAX = 20  # nesting levels of a setup or holders file (they need 7)


def refused(mark: yaml.Mark, en: str, ja: str) -> UserError:
    line = mark.line + 1
    return UserError(f"line {line}: {en}", f"{line}行目: {ja}", line=line)


class CheckedValues:
    """A loader mix-in: a value PyYAML's constructors refuse with a bare exception, not a
    YAML error (an integer of more than 4,300 digits, a `!!timestamp` that is no date such
    as `2026-02-30`: ValueError), becomes a `yaml.constructor.ConstructorError` naming its
    line, which the loaders' callers already report."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as error:
            reason = str(error).split(";")[0][:120]  # not Python's advice on int digits
            problem = f"cannot read the value {str(node.value)[:40]!r}: {reason}"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


class LineLoader(CheckedValues, yaml.SafeLoader):
    """A strict SafeLoader for the setup file and the holders file: records each mapping's
    1-based lines (so errors can name them), refuses duplicate keys, and leaves dates as text
    for pydantic to check (PyYAML's own date constructor raises a bare ValueError on
    `2026-02-30`). Only true/false are booleans: YAML 1.1's yes/no/on/off would turn an
    organization code `NO` into False.

    Raises a bilingual UserError naming the line for what these files never need and PyYAML
    or the database would turn into a crash or a hang: an anchor or alias (`&a` / `*a`;
    nested aliases expand exponentially, the "billion laughs"), a key that is a list or
    mapping (unhashable), nesting deeper than YAML_DEPTH_MAX (PyYAML composes recursively),
    and a value (or list item) with a character no column stores (`check_chars`: a control
    character such as NUL, which PostgreSQL refuses, or a lone surrogate from a `"\\ud800"`
    escape), named by its key. A value PyYAML cannot construct is a YAML error
    (`CheckedValues`)."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise refused(
                event.start_mark,
                "YAML anchors and aliases (&name, *name) are not allowed in this file; write "
                "each value out in full.",
                "YAML のアンカーとエイリアス（&名前、*名前）はこのファイルでは使えません。"
                "値をそれぞれ書いてください。",
            )
        if self._depth >= YAML_DEPTH_MAX:
            raise refused(
                event.start_mark,
                f"nested more than {YAML_DEPTH_MAX} levels deep; this file never needs that.",
                f"入れ子が {YAML_DEPTH_MAX} 段を超えています（このファイルには不要です）。",
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise refused(
                    key_node.start_mark,
                    "a key must be a word, not a list or a mapping.",
                    "キーには語を書いてください（リストやマッピングは使えません）。",
                )
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise refused(
                    key_node.start_mark,
                    f"the key {key!r} appears twice in the same mapping.",
                    f"キー {key!r} が同じマッピングに2回あります。",
                )
            seen.add(key)
            items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for scalar in items:
                if isinstance(scalar, yaml.ScalarNode) and (
                    problem := check_chars(str(key), scalar.value)
                ):
                    raise refused(scalar.start_mark, problem.en, problem.ja)
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        mapping[KEY_LINES] = {
            self.construct_object(key, deep=True): key.start_mark.line + 1 for key, _ in node.value
        }
        return mapping


LineLoader.yaml_implicit_resolvers = {
    first: [
        (tag, pattern)
        for tag, pattern in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def strip_lines(value: object) -> object:
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k not in (LINE_KEY, KEY_LINES)}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def line_of(raw: object, loc: tuple) -> int | None:
    line = raw.get(LINE_KEY) if isinstance(raw, dict) else None
    node = raw
    for part in loc:
        if isinstance(node, dict):
            line = node.get(KEY_LINES, {}).get(part, line)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and LINE_KEY in node:
            line = node[LINE_KEY]
    return line
