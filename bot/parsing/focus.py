"""GPU-hours per sub-account, GPU type and month from FOCUS cost-and-usage exports.

FOCUS (FinOps Open Cost and Usage Specification, https://focus.finops.org/) 1.0 is the common
billing-export schema of AWS, Google Cloud, Azure and Oracle Cloud. Input is the export as CSV
text with its header line. Rules:

* **Columns** (matched case-insensitively, in any order; other columns are ignored):
  ``ChargePeriodStart``, ``ChargePeriodEnd``, ``ConsumedQuantity``, ``ConsumedUnit``,
  ``SubAccountId``, ``ProviderName`` and at least one of ``SkuId`` / ``ChargeDescription`` are
  required; ``BilledCost``, ``BillingCurrency``, ``ChargeCategory`` and ``ChargeClass`` are
  used when present. A missing required column, a header that is not a FOCUS header, a file
  separated by something other than commas, an empty or binary file raise
  :class:`~bot.errors.UserError` (missing columns are named).
* **Missing values.** ``NULL`` (FOCUS's spelling, any case) and empty cells are missing, never
  zero.
* **GPU rows** are the rows matched by the SKU table (:func:`load_sku_table`; by default the
  bundled ``sku_table.yaml``): the first rule whose ``sku_id`` equals ``SkuId`` or whose
  ``description`` regex is found (case-insensitively) in ``ChargeDescription``. Rows no rule
  matches are counted in ``rows_read`` and otherwise ignored: their values are not checked.
* **Only usage.** When there is a ``ChargeCategory`` column, GPU rows whose category is not
  ``Usage`` (``Purchase``, ``Tax``, ``Credit``, ``Adjustment``) are ignored, like non-GPU rows.
  GPU rows with ``ChargeClass`` = ``Correction`` (a correction to an earlier, already invoiced
  period) are skipped with that reason rather than added to the current figures.
* **Units.** ``ConsumedUnit`` must be a time unit: ``Hours``/``Hour``/``Hrs``/``Hr`` (× 1),
  ``Minutes``/``Minute``/``Mins``/``Min`` (× 1/60), ``Seconds``/``Second``/``Secs``/``Sec``
  (× 1/3600), any case, optionally with a FOCUS unit quantity (``10 Hours`` = units of 10
  hours; FOCUS UnitFormat). Any other unit on a GPU row (``GB-Hours``, ``Requests``) is a
  skipped row naming the unit.
* **GPU-hours** = ``ConsumedQuantity`` × the unit's hours × the rule's ``gpus_per_unit``.
* **Numbers** follow FOCUS's NumericFormat: an integer or decimal, optional ``-``; a leading
  ``+`` and an exponent (``1E-05``) are tolerated; no thousands separators, units or currency
  symbols. A negative ``ConsumedQuantity`` is a bad row; a negative ``BilledCost`` (a credit)
  is kept.
* **Times.** FOCUS date/times are UTC (DateTimeFormat: ``2024-09-18T22:00:00Z``); also
  accepted: a space instead of ``T`` (``2024-09-18 22:00:00``, as in the FinOps Foundation
  sample data), no seconds, fractional seconds, an explicit offset (``+00:00``, converted), a
  date alone (midnight UTC). A time without ``Z``/offset is UTC. Years 2000–2100.
* **Months.** GPU-hours (and ``BilledCost``) are split over calendar months *in ``tz``* (the
  programme's zone, Asia/Tokyo) in proportion to the overlap of [ChargePeriodStart,
  ChargePeriodEnd) with each month; a zero-length period goes to the month of its start. A
  period longer than 366 days is a bad row (FOCUS charge periods are hours to a month).
* **Errors.** Bad rows (wrong number of columns; a missing, malformed or negative value that
  the GPU row needs; end before start; an unaccepted unit) become :class:`SkippedRow` entries
  with the 1-based line number where the row starts in the file (quoted values may span
  lines; also in ``error.line``, with ``error.field`` the column), and parsing goes on.
"""

from __future__ import annotations

import csv
import datetime
import functools
import importlib.resources
import io
import math
import re
import zoneinfo
from dataclasses import dataclass, field

import yaml

from bot.errors import UserError
from bot.parsing.months import MAX_YEAR, MIN_YEAR
from bot.parsing.sacct import SkippedRow
from bot.parsing.sacct.header import looks_binary

__all__ = [
    "SkuRule",
    "FocusUsage",
    "FocusResult",
    "SkippedRow",
    "load_sku_table",
    "parse_focus",
    "UNIT_HOURS",
]

UNIT_HOURS: dict[str, float] = {
    **dict.fromkeys(("hour", "hours", "hr", "hrs"), 1.0),
    **dict.fromkeys(("minute", "minutes", "min", "mins"), 1 / 60),
    **dict.fromkeys(("second", "seconds", "sec", "secs"), 1 / 3600),
}
"""Accepted ``ConsumedUnit`` names (lower case) → hours per unit."""

MAX_PERIOD = datetime.timedelta(days=366)
"""Longest charge period accepted for one row."""

REQUIRED = (
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "ConsumedQuantity",
    "ConsumedUnit",
    "SubAccountId",
    "ProviderName",
)
"""Columns a FOCUS file must have (plus ``SkuId`` or ``ChargeDescription``)."""
_IDENTIFYING = ("SkuId", "ChargeDescription")
_OPTIONAL = ("BilledCost", "BillingCurrency", "ChargeCategory", "ChargeClass")
# Any of these in the first line marks it as an attempt at a FOCUS header.
_FOCUS_HINTS = frozenset(
    n.lower()
    for n in (*REQUIRED, *_IDENTIFYING, *_OPTIONAL, "BillingAccountId", "BillingPeriodStart")
)

_NULLS = frozenset({"", "null"})
_NUMBER_RE = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?")
_DATETIME_RE = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?P<hm>[0-9]{2}:[0-9]{2})(?P<s>:[0-9]{2}(?:\.[0-9]{1,9})?)?"
    r"(?P<zone>Z|[+-][0-9]{2}:?[0-9]{2})?)?",
    re.ASCII,
)
_UNIT_RE = re.compile(r"(?:(?P<qty>[1-9][0-9]{0,5})\s+)?(?P<name>[A-Za-z]+)", re.ASCII)
_RULE_KEYS = frozenset({"gpu_type", "gpus_per_unit", "sku_id", "description", "note"})
_SKU_TABLE_FILE = "sku_table.yaml"


# --- SKU table -------------------------------------------------------------------------------


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
        text: the YAML text; None reads the bundled ``bot/parsing/sku_table.yaml``. The format
            is a list of mappings with ``gpu_type`` (text), ``gpus_per_unit`` (a number > 0),
            exactly one of ``sku_id`` (text; quote numeric IDs) and ``description`` (a regex,
            case-insensitive), and an optional ``note``.

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
    resource = importlib.resources.files("bot.parsing").joinpath(_SKU_TABLE_FILE)
    return tuple(_load_table(resource.read_text(encoding="utf-8")))


def _load_table(text: str) -> list[SkuRule]:
    if not isinstance(text, str):
        raise TypeError("load_sku_table expects the YAML text as str")
    loader: yaml.SafeLoader | None = None
    try:
        try:
            loader = yaml.SafeLoader(text)
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
        or not math.isfinite(per_unit)
        or per_unit <= 0
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
        except re.error as exc:
            raise _table_error(
                f"description “{raw[:60]}” is not a valid regular expression ({exc}).",
                f"description「{raw[:60]}」は正しい正規表現ではありません（{exc}）。",
                lines["description"],
            ) from None
    return SkuRule(gpu_type.strip(), float(per_unit), sku_id, pattern)


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FocusUsage:
    """GPU use of one FOCUS row in one calendar month.

    Attributes:
        sub_account: ``SubAccountId`` (AWS account, GCP project, Azure subscription …).
        provider: ``ProviderName``.
        gpu_type: from the matching SKU rule.
        month: ``"YYYY-MM"`` in the ``tz`` given to :func:`parse_focus`.
        gpu_hours: the row's GPU-hours falling in ``month``.
        billed_cost: the row's ``BilledCost`` share for ``month`` (same proportion), or None
            when missing.
        currency: ``BillingCurrency`` or None.
        line: 1-based line where the row starts.
    """

    sub_account: str
    provider: str
    gpu_type: str
    month: str
    gpu_hours: float
    billed_cost: float | None
    currency: str | None
    line: int


@dataclass
class FocusResult:
    """What :func:`parse_focus` read.

    Attributes:
        usages: one :class:`FocusUsage` per (counted GPU row, month), in file order.
        skipped: rows not counted, with the reason, in line order.
        rows_read: data rows read (not the header, not blank lines), GPU or not.
        gpu_rows: GPU rows whose GPU-hours are in ``usages``.
    """

    usages: list[FocusUsage] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    rows_read: int = 0
    gpu_rows: int = 0

    def gpu_hours_by(self) -> dict[tuple[str, str, str], float]:
        """Total GPU-hours per (sub_account, gpu_type, month), keys sorted."""
        totals: dict[tuple[str, str, str], float] = {}
        for u in self.usages:
            key = (u.sub_account, u.gpu_type, u.month)
            totals[key] = totals.get(key, 0.0) + u.gpu_hours
        return dict(sorted(totals.items()))


# --- parsing ---------------------------------------------------------------------------------


def _file_error(en: str, ja: str, *, line: int | None = None) -> UserError:
    return UserError(
        f"{en} Upload the FOCUS cost-and-usage export as CSV with its header line.",
        f"{ja}FOCUSのコスト・使用量エクスポートを、ヘッダー行付きのCSVでアップロードしてください。",
        line=line,
    )


class _RowError(Exception):
    def __init__(self, en: str, ja: str, column: str | None):
        super().__init__(en)
        self.en, self.ja, self.column = en, ja, column


def _records(text: str):
    """Yield (start line, cells) for each CSV record; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _file_error(
                f"The file cannot be read as CSV near line {reader.line_num} ({exc}).",
                f"{reader.line_num}行目付近をCSVとして読み取れません（{exc}）。",
                line=reader.line_num,
            ) from None
        start, last = last + 1, reader.line_num
        if any(c.strip() for c in cells):
            yield start, cells


def _value(row: dict[str, str], column: str) -> str | None:
    raw = row.get(column)
    if raw is None:
        return None
    value = raw.strip()
    return None if value.lower() in _NULLS else value


def _required(row: dict[str, str], column: str) -> str:
    value = _value(row, column)
    if value is None:
        raise _RowError(
            f"{column} is empty (or NULL); a GPU row needs it.",
            f"{column} が空（またはNULL）です。GPUの行には必要です。",
            column,
        )
    return value


def _number(text: str, column: str) -> float:
    if _NUMBER_RE.fullmatch(text):
        value = float(text)
        if math.isfinite(value):
            return value
    raise _RowError(
        f"{column} “{text[:40]}” is not a number (FOCUS numbers are like 2 or 0.25: no "
        "thousands separators, units or currency symbols).",
        f"{column}「{text[:40]}」は数値ではありません（FOCUSの数値は 2 や 0.25 の形で、"
        "桁区切り・単位・通貨記号は付きません）。",
        column,
    )


def _datetime(text: str, column: str) -> datetime.datetime:
    m = _DATETIME_RE.fullmatch(text)
    parsed: datetime.datetime | None = None
    if m:
        seconds = (m["s"] or ":00")[:10]  # at most 6 fractional digits for fromisoformat
        iso = m["date"] + (f"T{m['hm']}{seconds}" if m["hm"] else "T00:00:00")
        zone = m["zone"] or "+00:00"
        if zone == "Z":
            zone = "+00:00"
        elif ":" not in zone:
            zone = zone[:3] + ":" + zone[3:]
        try:
            parsed = datetime.datetime.fromisoformat(iso + zone)
        except ValueError:
            parsed = None
    if parsed is None:
        raise _RowError(
            f"{column} “{text[:40]}” is not a date and time like 2024-09-18T22:00:00Z.",
            f"{column}「{text[:40]}」は 2024-09-18T22:00:00Z のような日時ではありません。",
            column,
        )
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise _RowError(
            f"{column} “{text[:40]}” is outside the years {MIN_YEAR}–{MAX_YEAR}.",
            f"{column}「{text[:40]}」は{MIN_YEAR}年から{MAX_YEAR}年の範囲外です。",
            column,
        )
    return parsed.astimezone(datetime.UTC)


def _unit_hours(text: str) -> float:
    m = _UNIT_RE.fullmatch(text)
    factor = UNIT_HOURS.get(m["name"].lower()) if m else None
    if m is None or factor is None:
        raise _RowError(
            f"ConsumedUnit “{text[:40]}” is not a time unit; GPU rows must be in Hours, "
            "Minutes or Seconds (instance or GPU time).",
            f"ConsumedUnit「{text[:40]}」は時間の単位ではありません。GPUの行は Hours・"
            "Minutes・Seconds（インスタンスまたはGPUの時間）である必要があります。",
            "ConsumedUnit",
        )
    return factor * int(m["qty"] or 1)


def _month_shares(
    start: datetime.datetime, end: datetime.datetime, tz: zoneinfo.ZoneInfo
) -> list[tuple[str, float]]:
    """[(``YYYY-MM`` in tz, share of [start, end))] over the months the period touches."""
    local = start.astimezone(tz)
    year, month = local.year, local.month
    if end == start:
        return [(f"{year:04d}-{month:02d}", 1.0)]
    total = (end - start).total_seconds()
    shares: list[tuple[str, float]] = []
    cursor = start
    while cursor < end:
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        boundary = datetime.datetime(next_year, next_month, 1, tzinfo=tz).astimezone(datetime.UTC)
        piece_end = min(boundary, end)
        share = (piece_end - cursor).total_seconds() / total
        if share > 0:
            shares.append((f"{year:04d}-{month:02d}", share))
        cursor, year, month = piece_end, next_year, next_month
    return shares


def _header(cells: list[str], line: int) -> dict[str, int]:
    names = [c.strip().removeprefix("\ufeff").strip() for c in cells]
    lowered = [n.lower() for n in names]
    if not any(n in _FOCUS_HINTS for n in lowered):
        if len(names) == 1:
            for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "“|”")):
                if sep in names[0] and any(
                    p.strip().lower() in _FOCUS_HINTS for p in names[0].split(sep)
                ):
                    raise _file_error(
                        f"Line {line} is separated by {label}, not commas.",
                        f"{line}行目はカンマではなく{label}で区切られています。",
                        line=line,
                    )
        shown = ", ".join(n[:30] for n in names[:5]) + (", …" if len(names) > 5 else "")
        raise _file_error(
            f"Line {line} is not a FOCUS header line (it has no FOCUS column such as "
            f"ChargePeriodStart or ConsumedQuantity; found: {shown[:200]}).",
            f"{line}行目はFOCUSのヘッダー行ではありません（ChargePeriodStart や "
            f"ConsumedQuantity などのFOCUSの列がありません。内容: {shown[:200]}）。",
            line=line,
        )
    index: dict[str, int] = {}
    for i, name in enumerate(lowered):
        if name in _FOCUS_HINTS and name in index:
            raise _file_error(
                f"Column “{names[i]}” appears twice in the header (line {line}).",
                f"ヘッダー行（{line}行目）に列「{names[i]}」が2回あります。",
                line=line,
            )
        index.setdefault(name, i)
    missing = [c for c in REQUIRED if c.lower() not in index]
    if not any(c.lower() in index for c in _IDENTIFYING):
        missing.append("SkuId or ChargeDescription")
    if missing:
        missing_ja = "、".join(m.replace(" or ", " または ") for m in missing)
        raise _file_error(
            f"The FOCUS file is missing the column(s) {', '.join(missing)} (header on line "
            f"{line}).",
            f"FOCUSファイルに列 {missing_ja} がありません（ヘッダーは{line}行目）。",
            line=line,
        )
    return index


def parse_focus(
    text: str, *, tz: zoneinfo.ZoneInfo, sku_table: list[SkuRule] | None = None
) -> FocusResult:
    """Read a FOCUS 1.0 CSV export into GPU-hours per row and month.

    Args:
        text: the whole CSV text, header line first (a UTF-8 BOM is ignored).
        tz: the zone whose calendar months the GPU-hours are split over
            (``ZoneInfo("Asia/Tokyo")`` for the programme).
        sku_table: the rules recognising GPU rows; None uses the bundled table.

    Returns:
        A :class:`FocusResult`; see the module docstring for the rules and
        :meth:`FocusResult.gpu_hours_by` for totals.

    Raises:
        UserError: when the whole file is unusable: empty, binary, unreadable as CSV, a first
            line that is not a FOCUS header (or not comma-separated), a column named twice,
            or missing required columns (named). Bad rows do not raise; they are in
            ``skipped``.
    """
    if not isinstance(text, str):
        raise TypeError("parse_focus expects the file's text as str")
    rules = load_sku_table() if sku_table is None else sku_table
    text = text.removeprefix("\ufeff")
    if looks_binary(text):
        raise _file_error(
            "This file is not text (it looks binary).",
            "このファイルはテキストではありません（バイナリのようです）。",
        )
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise _file_error("The file is empty.", "ファイルが空です。")
    header_line, header_cells = first
    index = _header(header_cells, header_line)
    known = (*REQUIRED, *_IDENTIFYING, *_OPTIONAL)
    columns = {name: index[name.lower()] for name in known if name.lower() in index}
    width = len(header_cells)

    result = FocusResult()
    for line, cells in records:
        result.rows_read += 1
        if len(cells) != width:
            result.skipped.append(
                _skip(
                    line,
                    f"The row has {len(cells)} columns; the header has {width}.",
                    f"この行の列数は{len(cells)}で、ヘッダーの列数{width}と一致しません。",
                    None,
                )
            )
            continue
        row = {name: cells[i] for name, i in columns.items()}
        rule = next(
            (r for r in rules if r.matches(_value(row, "SkuId"), _value(row, "ChargeDescription"))),
            None,
        )
        if rule is None:
            continue
        category = _value(row, "ChargeCategory")
        if "ChargeCategory" in columns and (category or "").lower() != "usage":
            if category is None:
                result.skipped.append(
                    _skip(
                        line,
                        "ChargeCategory is empty (or NULL), so it is unknown whether this GPU "
                        "row is usage.",
                        "ChargeCategory が空（またはNULL）のため、このGPUの行が使用量か"
                        "分かりません。",
                        "ChargeCategory",
                    )
                )
            continue  # Purchase, Tax, Credit, Adjustment: not GPU use
        if (_value(row, "ChargeClass") or "").lower() == "correction":
            result.skipped.append(
                _skip(
                    line,
                    "This row is a correction (ChargeClass = Correction) to an earlier billing "
                    "period; it is not added to the figures. Report the corrected month again "
                    "if needed.",
                    "この行は以前の請求期間の訂正（ChargeClass = Correction）のため、集計に"
                    "加えていません。必要なら該当月を改めて報告してください。",
                    "ChargeClass",
                )
            )
            continue
        try:
            usages = _gpu_row(row, rule, line, tz)
        except _RowError as exc:
            result.skipped.append(_skip(line, exc.en, exc.ja, exc.column))
            continue
        result.usages.extend(usages)
        result.gpu_rows += 1
    return result


def _skip(line: int, en: str, ja: str, column: str | None) -> SkippedRow:
    return SkippedRow(line, UserError(en, ja, field=column, line=line))


def _gpu_row(
    row: dict[str, str], rule: SkuRule, line: int, tz: zoneinfo.ZoneInfo
) -> list[FocusUsage]:
    start = _datetime(_required(row, "ChargePeriodStart"), "ChargePeriodStart")
    end = _datetime(_required(row, "ChargePeriodEnd"), "ChargePeriodEnd")
    if end < start:
        raise _RowError(
            "ChargePeriodEnd is before ChargePeriodStart.",
            "ChargePeriodEnd が ChargePeriodStart より前です。",
            "ChargePeriodEnd",
        )
    if end - start > MAX_PERIOD:
        raise _RowError(
            "The charge period is longer than a year; FOCUS charge periods are at most a "
            "billing period.",
            "課金期間が1年を超えています。FOCUSの課金期間は最長でも請求期間1つ分です。",
            "ChargePeriodEnd",
        )
    quantity = _number(_required(row, "ConsumedQuantity"), "ConsumedQuantity")
    if quantity < 0:
        raise _RowError(
            f"ConsumedQuantity must be 0 or more (got {row['ConsumedQuantity'].strip()[:40]}).",
            f"ConsumedQuantity は0以上である必要があります（{row['ConsumedQuantity'].strip()[:40]}）。",
            "ConsumedQuantity",
        )
    hours = _unit_hours(_required(row, "ConsumedUnit"))
    sub_account = _required(row, "SubAccountId")
    provider = _required(row, "ProviderName")
    cost_text = _value(row, "BilledCost")
    cost = None if cost_text is None else _number(cost_text, "BilledCost")
    currency = _value(row, "BillingCurrency")
    gpu_hours = quantity * hours * rule.gpus_per_unit
    if not math.isfinite(gpu_hours):
        raise _RowError(
            "ConsumedQuantity is too large.",
            "ConsumedQuantity が大きすぎます。",
            "ConsumedQuantity",
        )
    return [
        FocusUsage(
            sub_account=sub_account,
            provider=provider,
            gpu_type=rule.gpu_type,
            month=month,
            gpu_hours=gpu_hours * share,
            billed_cost=None if cost is None else cost * share,
            currency=currency,
            line=line,
        )
        for month, share in _month_shares(start, end, tz)
    ]
