"""The file as CSV records, and its header line: FOCUS columns, required columns, and errors
about the whole file."""

from __future__ import annotations

from bot.errors import UserError
from bot.parsing import csv_table

REQUIRED = (
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "ConsumedQuantity",
    "ConsumedUnit",
    "SubAccountId",
    "ProviderName",
)
"""Columns a FOCUS file must have (plus ``SkuId`` or ``ChargeDescription``)."""
IDENTIFYING = ("SkuId", "ChargeDescription")
OPTIONAL = ("BilledCost", "BillingCurrency", "ChargeCategory", "ChargeClass")
# Any of these in the first line marks it as an attempt at a FOCUS header.
_FOCUS_HINTS = frozenset(
    n.lower()
    for n in (*REQUIRED, *IDENTIFYING, *OPTIONAL, "BillingAccountId", "BillingPeriodStart")
)


def file_error(en: str, ja: str, *, line: int | None = None) -> UserError:
    return UserError(
        f"{en} Upload the FOCUS cost-and-usage export as CSV with its header line.",
        f"{ja}FOCUSのコスト・使用量エクスポートを、ヘッダー行付きのCSVでアップロードしてください。",
        line=line,
    )


def read_records(text: str):
    """Yield (start line, cells) for each CSV record; blank lines are skipped."""
    try:
        yield from csv_table.records(text, strict=False)
    except UserError as error:
        raise file_error(error.en, error.ja, line=error.line) from None


def read_header(cells: list[str], line: int) -> dict[str, int]:
    names = [c.strip().removeprefix("\ufeff").strip() for c in cells]
    lowered = [n.lower() for n in names]
    if not any(n in _FOCUS_HINTS for n in lowered):
        if len(names) == 1:
            for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "“|”")):
                if sep in names[0] and any(
                    p.strip().lower() in _FOCUS_HINTS for p in names[0].split(sep)
                ):
                    raise file_error(
                        f"Line {line} is separated by {label}, not commas.",
                        f"{line}行目はカンマではなく{label}で区切られています。",
                        line=line,
                    )
        shown = ", ".join(n[:30] for n in names[:5]) + (", …" if len(names) > 5 else "")
        raise file_error(
            f"Line {line} is not a FOCUS header line (it has no FOCUS column such as "
            f"ChargePeriodStart or ConsumedQuantity; found: {shown[:200]}).",
            f"{line}行目はFOCUSのヘッダー行ではありません（ChargePeriodStart や "
            f"ConsumedQuantity などのFOCUSの列がありません。内容: {shown[:200]}）。",
            line=line,
        )
    index: dict[str, int] = {}
    for i, name in enumerate(lowered):
        if name in _FOCUS_HINTS and name in index:
            raise file_error(
                f"Column “{names[i]}” appears twice in the header (line {line}).",
                f"ヘッダー行（{line}行目）に列「{names[i]}」が2回あります。",
                line=line,
            )
        index.setdefault(name, i)
    missing = [c for c in REQUIRED if c.lower() not in index]
    if not any(c.lower() in index for c in IDENTIFYING):
        missing.append("SkuId or ChargeDescription")
    if missing:
        missing_ja = "、".join(m.replace(" or ", " または ") for m in missing)
        raise file_error(
            f"The FOCUS file is missing the column(s) {', '.join(missing)} (header on line "
            f"{line}).",
            f"FOCUSファイルに列 {missing_ja} がありません（ヘッダーは{line}行目）。",
            line=line,
        )
    return index
