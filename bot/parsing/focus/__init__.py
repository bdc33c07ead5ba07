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

from .header import REQUIRED as REQUIRED
from .model import FocusResult, FocusUsage, SkippedRow
from .parse import MAX_PERIOD as MAX_PERIOD
from .parse import parse_focus
from .sku import SkuRule, load_sku_table
from .values import UNIT_HOURS

__all__ = [
    "SkuRule",
    "FocusUsage",
    "FocusResult",
    "SkippedRow",
    "load_sku_table",
    "parse_focus",
    "UNIT_HOURS",
]
