"""The entry point :func:`parse_focus`: checks the file and its header, then reads the rows,
keeping the GPU usage rows and splitting their GPU-hours over months."""

from __future__ import annotations

import datetime
import math
import zoneinfo

from bot.errors import UserError
from bot.parsing.sacct.header import looks_binary

from .header import IDENTIFYING, OPTIONAL, REQUIRED, file_error, read_header, read_records
from .model import FocusResult, FocusUsage, SkippedRow
from .sku import SkuRule, load_sku_table
from .values import (
    RowError,
    cell_value,
    parse_datetime,
    parse_number,
    parse_unit_hours,
    required_value,
)

MAX_PERIOD = datetime.timedelta(days=366)
"""Longest charge period accepted for one row."""


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
        raise file_error(
            "This file is not text (it looks binary).",
            "このファイルはテキストではありません（バイナリのようです）。",
        )
    records = read_records(text)
    first = next(records, None)
    if first is None:
        raise file_error("The file is empty.", "ファイルが空です。")
    header_line, header_cells = first
    index = read_header(header_cells, header_line)
    known = (*REQUIRED, *IDENTIFYING, *OPTIONAL)
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
            (
                r
                for r in rules
                if r.matches(cell_value(row, "SkuId"), cell_value(row, "ChargeDescription"))
            ),
            None,
        )
        if rule is None:
            continue
        category = cell_value(row, "ChargeCategory")
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
        if (cell_value(row, "ChargeClass") or "").lower() == "correction":
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
        except RowError as exc:
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
    start = parse_datetime(required_value(row, "ChargePeriodStart"), "ChargePeriodStart")
    end = parse_datetime(required_value(row, "ChargePeriodEnd"), "ChargePeriodEnd")
    if end < start:
        raise RowError(
            "ChargePeriodEnd is before ChargePeriodStart.",
            "ChargePeriodEnd が ChargePeriodStart より前です。",
            "ChargePeriodEnd",
        )
    if end - start > MAX_PERIOD:
        raise RowError(
            "The charge period is longer than a year; FOCUS charge periods are at most a "
            "billing period.",
            "課金期間が1年を超えています。FOCUSの課金期間は最長でも請求期間1つ分です。",
            "ChargePeriodEnd",
        )
    quantity = parse_number(required_value(row, "ConsumedQuantity"), "ConsumedQuantity")
    if quantity < 0:
        raise RowError(
            f"ConsumedQuantity must be 0 or more (got {row['ConsumedQuantity'].strip()[:40]}).",
            f"ConsumedQuantity は0以上である必要があります（{row['ConsumedQuantity'].strip()[:40]}）。",
            "ConsumedQuantity",
        )
    hours = parse_unit_hours(required_value(row, "ConsumedUnit"))
    sub_account = required_value(row, "SubAccountId")
    provider = required_value(row, "ProviderName")
    cost_text = cell_value(row, "BilledCost")
    cost = None if cost_text is None else parse_number(cost_text, "BilledCost")
    currency = cell_value(row, "BillingCurrency")
    gpu_hours = quantity * hours * rule.gpus_per_unit
    if not math.isfinite(gpu_hours):
        raise RowError(
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
