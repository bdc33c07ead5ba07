"""The SKU table: which FOCUS rows are GPU use, of which GPU, and how many GPUs per unit.

The bundled default is ``sku_table.yaml`` in this package; :func:`load_sku_table` also reads a
table given as YAML text."""

from __future__ import annotations

import functools
import importlib.resources
import re
import sys
from dataclasses import dataclass

import yaml

from bot.errors import UserError
from bot.parsing.yaml_lines import CheckedValues

_RULE_KEYS = frozenset({"gpu_type", "gpus_per_unit", "sku_id", "description", "note"})
_SKU_TABLE_FILE = "sku_table.yaml"


@dataclass(frozen=True)
class SkuRule:
    """One row of the SKU table: which rows are GPU use, of which GPU, how many GPUs per unit.

    Exactly one of ``sku_id`` (compared exactly with ``SkuId``) and ``description`` (searched
    in ``ChargeDescription``, compiled case-insensitive) is set."""

    gpu_type: str
    gpus_per_unit: float
    sku_id: str | None
    description: re.Pattern[str] | None

    def matches(self, sku_id: str | None, description: str | None) -> bool:
        if self.sku_id is not None:
            return sku_id is not None and sku_id == self.sku_id
        assert self.description is not None
        return description is not None and self.description.search(description) is not None


def _table_error(en: str, ja: str, line: int | None) -> UserError:
    where_en = f"SKU table, line {line}: " if line else "SKU table: "
    where_ja = f"SKUテーブル {line}行目: " if line else "SKUテーブル: "
    return UserError(where_en + en, where_ja + ja, field="sku_table", line=line)


def load_sku_table(text: str | None = None) -> list[SkuRule]:
    """Read a SKU table (YAML) into rules, in order (the first matching rule wins).

    Args:
        text: the YAML text; None reads the bundled ``bot/parsing/focus/sku_table.yaml``. The
            format is a list of mappings with ``gpu_type`` (text), ``gpus_per_unit`` (a number
            > 0), exactly one of ``sku_id`` (text; quote numeric IDs) and ``description`` (a
            regex, case-insensitive), and an optional ``note``.

    Raises:
        UserError: (``field="sku_table"``, ``line`` = 1-based line in the YAML) for YAML
            syntax errors, a table that is not a non-empty list, unknown or duplicate keys,
            missing or ill-typed values, both or neither of ``sku_id``/``description``, or
            a regex that does not compile.
    """
    if text is None:
        return list(_bundled_table())
    return _load_table(text)


@functools.cache
def _bundled_table() -> tuple[SkuRule, ...]:
    resource = importlib.resources.files("bot.parsing.focus").joinpath(_SKU_TABLE_FILE)
    return tuple(_load_table(resource.read_text(encoding="utf-8")))


class _Loader(CheckedValues, yaml.SafeLoader):
    """SafeLoader whose values PyYAML cannot construct (`!!int` of 5,000 digits) are YAML
    errors, not bare ValueErrors."""


def _load_table(text: str) -> list[SkuRule]:
    if not isinstance(text, str):
        raise TypeError("load_sku_table expects the YAML text as str")
    loader: yaml.SafeLoader | None = None
    try:
        try:
            loader = _Loader(text)
            root = loader.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["?"])[0]
            raise _table_error(
                f"this is not valid YAML ({problem}).",
                f"YAMLとして読み取れません（{problem}）。",
                line,
            ) from None
        if not isinstance(root, yaml.SequenceNode) or not root.value:
            raise _table_error(
                "the table must be a non-empty list of rules (lines starting with “- ”).",
                "テーブルは規則のリスト（「- 」で始まる行）で、1件以上必要です。",
                root.start_mark.line + 1 if root is not None else None,
            )
        return [_load_rule(loader, node) for node in root.value]
    finally:
        if loader is not None:
            loader.dispose()


def _load_rule(loader: yaml.SafeLoader, node: yaml.Node) -> SkuRule:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise _table_error(
            "each rule must be a mapping with gpu_type, gpus_per_unit and sku_id or description.",
            "各規則は gpu_type、gpus_per_unit と sku_id または description を持つ"
            "マッピングにしてください。",
            line,
        )
    values: dict[str, object] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        key_line = key_node.start_mark.line + 1
        if key not in _RULE_KEYS:
            raise _table_error(
                f"unknown key “{str(key)[:40]}”; a rule has gpu_type, gpus_per_unit, sku_id "
                "or description, and note.",
                f"不明なキー「{str(key)[:40]}」です。規則に使えるキーは gpu_type、"
                "gpus_per_unit、sku_id、description、note です。",
                key_line,
            )
        if key in values:
            raise _table_error(
                f"“{key}” appears twice in one rule.",
                f"1つの規則に「{key}」が2回あります。",
                key_line,
            )
        try:
            values[key] = loader.construct_object(value_node, deep=True)
        except yaml.YAMLError as exc:
            raise _table_error(
                f"cannot read the value of “{key}”.", f"「{key}」の値を読み取れません。", key_line
            ) from exc
        lines[key] = value_node.start_mark.line + 1

    gpu_type = values.get("gpu_type")
    if not isinstance(gpu_type, str) or not gpu_type.strip():
        raise _table_error(
            "the rule needs a gpu_type, e.g. gpu_type: H100.",
            "規則に gpu_type が必要です（例: gpu_type: H100）。",
            lines.get("gpu_type", line),
        )
    per_unit = values.get("gpus_per_unit")
    if (
        isinstance(per_unit, bool)
        or not isinstance(per_unit, int | float)
        or not 0 < per_unit <= sys.float_info.max  # not NaN, inf, nor an int past a float
    ):
        raise _table_error(
            "the rule needs gpus_per_unit, a number greater than 0 (e.g. 8 for an "
            "instance-hour of an 8-GPU instance).",
            "規則に gpus_per_unit（0より大きい数。8GPUのインスタンスの1インスタンス時間なら"
            "8）が必要です。",
            lines.get("gpus_per_unit", line),
        )
    has_sku, has_desc = "sku_id" in values, "description" in values
    if has_sku == has_desc:
        raise _table_error(
            "a rule needs exactly one of sku_id (the exact SkuId) and description (a regular "
            "expression for ChargeDescription).",
            "規則には sku_id（SkuIdと完全一致）と description（ChargeDescriptionに対する"
            "正規表現）のどちらか一方だけを指定してください。",
            line,
        )
    sku_id: str | None = None
    pattern: re.Pattern[str] | None = None
    if has_sku:
        raw = values["sku_id"]
        if not isinstance(raw, str) or not raw.strip():
            raise _table_error(
                "sku_id must be text; put quotes around IDs made of digits "
                '(sku_id: "1099985"), or YAML may change them.',
                "sku_id は文字列にしてください。数字だけのIDは引用符で囲んでください"
                '（sku_id: "1099985"）。',
                lines["sku_id"],
            )
        sku_id = raw.strip()
    else:
        raw = values["description"]
        if not isinstance(raw, str) or not raw.strip():
            raise _table_error(
                "description must be a non-empty regular expression.",
                "description は空でない正規表現にしてください。",
                lines["description"],
            )
        try:
            pattern = re.compile(raw, re.IGNORECASE)
        except (re.error, OverflowError, RecursionError) as exc:  # also a{9999999999}, ((((…
            raise _table_error(
                f"description “{raw[:60]}” is not a valid regular expression ({exc}).",
                f"description「{raw[:60]}」は正しい正規表現ではありません（{exc}）。",
                lines["description"],
            ) from None
    return SkuRule(gpu_type.strip(), float(per_unit), sku_id, pattern)
