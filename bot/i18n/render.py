"""Messages of the files Kiban renders: the ministry export (Markdown and CSV headings,
table labels, status words) and the charts. Keys are `export.*`, `export.status.*`, `chart.*`."""

_EXPORT: dict[str, dict[str, str]] = {
    "title": {
        "en": "Compute usage report: {month}",
        "ja": "計算資源の利用状況報告（{month}）",
    },
    "generated": {"en": "Generated: {when}", "ja": "作成日時: {when}"},
    "units": {
        "en": "All figures are GPU-hours. “To date” runs from the start of each allocation's period through {month}; months not reported count as 0.",
        "ja": "数値の単位はすべてGPU時間です。「累計」は各割当の期間開始から {month} までの合計で、未報告の月は0として計算しています。",
    },
    "totals": {"en": "Programme totals", "ja": "プログラム全体"},
    "item": {"en": "Item", "ja": "項目"},
    "value": {"en": "Value", "ja": "値"},
    "in_month": {"en": "{month}", "ja": "{month}"},
    "to_date": {"en": "To date (through {month})", "ja": "累計（{month}まで）"},
    "allocations_reported": {
        "en": "Allocations reported for {month}: {reported} of {total}.",
        "ja": "{month} 分を報告済みの割当: {total} 件中 {reported} 件。",
    },
    "no_series": {
        "en": "No organization has a compute allocation.",
        "ja": "計算資源の割当がある組織はありません。",
    },
    "granted": {"en": "Granted", "ja": "割当"},
    "period": {"en": "Period", "ja": "期間"},
    "planned": {"en": "Planned", "ja": "計画"},
    "actual": {"en": "Actual", "ja": "実績"},
    "plan_to_date": {"en": "Planned to date", "ja": "計画累計"},
    "actual_to_date": {"en": "Actual to date", "ja": "実績累計"},
    "variance": {"en": "Variance (actual − planned)", "ja": "差異（実績−計画）"},
    "forecast_end": {"en": "Forecast at period end", "ja": "期末見込み"},
    "status": {"en": "Status", "ja": "状況"},
    "runs_out": {"en": "Runs out", "ja": "割当消化見込み日"},
    "not_reported": {"en": "Not reported: {months}", "ja": "未報告の月: {months}"},
    "notes": {"en": "Notes for {month}", "ja": "{month} の報告内容"},
    "progress": {"en": "Progress", "ja": "進捗状況"},
    "issues": {"en": "Issues encountered", "ja": "発生した課題"},
    "improvement_plan": {"en": "Improvement plan", "ja": "改善案"},
    "none_written": {"en": "(none)", "ja": "（記載なし）"},
    "programme_total": {"en": "Programme total", "ja": "プログラム合計"},
    # CSV column headers
    "col.org_code": {"en": "Organization code", "ja": "組織コード"},
    "col.org": {"en": "Organization", "ja": "組織名"},
    "col.allocation": {"en": "Allocation", "ja": "割当（クラスタ / プロバイダ）"},
    "col.month": {"en": "Month", "ja": "対象月"},
    "col.granted": {"en": "Granted (GPU-hours)", "ja": "割当（GPU時間）"},
    "col.planned": {"en": "Planned to date (GPU-hours)", "ja": "計画累計（GPU時間）"},
    "col.actual": {"en": "Actual to date (GPU-hours)", "ja": "実績累計（GPU時間）"},
    "col.variance": {"en": "Variance (GPU-hours)", "ja": "差異（GPU時間）"},
    "col.variance_pct": {"en": "Variance (%)", "ja": "差異（%）"},
    "col.forecast": {
        "en": "Forecast at period end (GPU-hours)",
        "ja": "期末見込み（GPU時間）",
    },
    "col.status": {"en": "Status", "ja": "状況"},
    "col.runs_out": {"en": "Runs out", "ja": "割当消化見込み日"},
    "col.progress": {"en": "Progress", "ja": "進捗状況"},
    "col.issues": {"en": "Issues encountered", "ja": "発生した課題"},
    "col.improvement_plan": {"en": "Improvement plan", "ja": "改善案"},
    # normalised GPU-hours (only when GPU_NORMALISATION has factors)
    "normalised_units": {
        "en": "Normalised GPU-hours are GPU-hours multiplied by the factor set for the allocation's GPU type (GPU_NORMALISATION); an allocation whose GPU type has no factor shows none.",
        "ja": "正規化GPU時間は、GPU時間に割当のGPU種別ごとの係数（GPU_NORMALISATION）を掛けた値です。係数のないGPU種別の割当には表示しません。",
    },
    "normalised_column": {"en": "Normalised (× {factor})", "ja": "正規化（係数 {factor}）"},
    "planned_normalised": {
        "en": "Planned (normalised GPU-hours)",
        "ja": "計画（正規化GPU時間）",
    },
    "actual_normalised": {
        "en": "Actual (normalised GPU-hours)",
        "ja": "実績（正規化GPU時間）",
    },
    "normalised_partial": {
        "en": "Normalised totals are not shown: not every allocation's GPU type has a factor.",
        "ja": "係数のないGPU種別の割当があるため、正規化GPU時間の合計は表示しません。",
    },
    "col.factor": {"en": "Normalisation factor", "ja": "正規化係数"},
    "col.granted_normalised": {
        "en": "Granted (normalised GPU-hours)",
        "ja": "割当（正規化GPU時間）",
    },
    "col.planned_normalised": {
        "en": "Planned to date (normalised GPU-hours)",
        "ja": "計画累計（正規化GPU時間）",
    },
    "col.actual_normalised": {
        "en": "Actual to date (normalised GPU-hours)",
        "ja": "実績累計（正規化GPU時間）",
    },
    "col.variance_normalised": {
        "en": "Variance (normalised GPU-hours)",
        "ja": "差異（正規化GPU時間）",
    },
    "col.forecast_normalised": {
        "en": "Forecast at period end (normalised GPU-hours)",
        "ja": "期末見込み（正規化GPU時間）",
    },
}

_STATUS: dict[str, dict[str, str]] = {
    "on_track": {"en": "On track", "ja": "計画どおり"},
    "over_plan": {"en": "Over plan", "ja": "計画超過"},
    "under_plan": {"en": "Under plan", "ja": "計画未達"},
    "runs_out": {
        "en": "Forecast to run out before period end",
        "ja": "期間終了前に割当を使い切る見込み",
    },
    "no_data": {"en": "No usage reported", "ja": "利用実績の報告なし"},
}

_CHART: dict[str, dict[str, str]] = {
    "plan": {"en": "Plan (cumulative)", "ja": "計画（累計）"},
    "actual": {"en": "Actual (cumulative)", "ja": "実績（累計）"},
    "forecast": {"en": "Forecast", "ja": "見込み"},
    "granted": {"en": "Granted: {hours}", "ja": "割当: {hours}"},
    "runs_out": {"en": "Runs out {date}", "ja": "割当消化見込み {date}"},
    "ceiling": {"en": "Granted (ceiling)", "ja": "割当（上限）"},
    "runs_out_short": {"en": "Runs out", "ja": "割当消化見込み"},
    "gpu_hours": {"en": "GPU-hours", "ja": "GPU時間"},
    "month": {"en": "Month", "ja": "月"},
    "no_data": {"en": "No usage reported yet", "ja": "利用実績の報告はまだありません"},
    "no_data_short": {"en": "Not reported", "ja": "未報告"},
    "digest_title": {
        "en": "Compute usage against plan (GPU-hours)",
        "ja": "計算資源の利用状況（GPU時間、計画比）",
    },
    "more": {"en": "{count} more not shown", "ja": "ほか {count} 件は省略"},
    "empty": {"en": "No allocations", "ja": "割当はありません"},
}

CATALOG: dict[str, dict[str, str]] = {
    **{f"export.{key}": entry for key, entry in _EXPORT.items()},
    **{f"export.status.{key}": entry for key, entry in _STATUS.items()},
    **{f"chart.{key}": entry for key, entry in _CHART.items()},
}
