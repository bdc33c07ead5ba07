"""Messages of the weekly digests (the shared one in "status" visibility, and the operator
digest with figures and charts) and of normalised GPU-hours in `/compute status`.

Keys: `digest.status.*`, `digest.ops.*`, `compute.status.normalised*`. The shared digest's
"figures" wording (`digest.title`, `digest.org_line`, …) is in `core`.
"""

CATALOG: dict[str, dict[str, str]] = {
    # --- the shared digest with DIGEST_VISIBILITY=status: no figures, only reported or not ---
    "digest.status.intro": {
        "en": "Usage reports for {month}, as of {date}.",
        "ja": "{date} 時点の {month} 分の利用実績の報告状況です。",
    },
    "digest.status.reported": {
        "en": "*{org}*: reported",
        "ja": "*{org}*: 報告済み",
    },
    "digest.status.not_reported": {
        "en": "*{org}*: not reported ({allocations})",
        "ja": "*{org}*: 未報告（{allocations}）",
    },
    "digest.status.none_active": {
        "en": "No organization had a compute allocation in {month}.",
        "ja": "{month} に計算資源の割当がある組織はありません。",
    },
    # --- the operator digest: full figures and one chart per organization -------------------
    "digest.ops.title": {
        "en": "Weekly compute digest for the secretariat",
        "ja": "週次 計算資源ダイジェスト（事務局向け）",
    },
    "digest.ops.intro": {
        "en": "Plan vs actual through {through} as of {date}, in GPU-hours from the start of each allocation's period (months not reported count as 0). One burn-up chart per organization is attached.",
        "ja": "{date} 時点、{through} までの計画と実績です（GPU時間、各割当の期間開始からの累計。未報告の月は0として計算）。組織ごとのバーンアップチャートを添付します。",
    },
    "digest.ops.org": {"en": "*{org}* ({code})", "ja": "*{org}*（{code}）"},
    "digest.ops.allocation": {
        "en": "• *{allocation}*: plan to date {planned} · actual {actual} · variance {variance} · forecast at period end {forecast} · {status}",
        "ja": "• *{allocation}*: 計画累計 {planned} · 実績累計 {actual} · 差異 {variance} · 期末見込み {forecast} · {status}",
    },
    "digest.ops.normalised": {
        "en": "    normalised GPU-hours (× {factor}): plan to date {planned} · actual {actual} · variance {variance} · forecast at period end {forecast}",
        "ja": "    正規化GPU時間（係数 {factor}）: 計画累計 {planned} · 実績累計 {actual} · 差異 {variance} · 期末見込み {forecast}",
    },
    "digest.ops.no_allocations": {
        "en": "No organization has a compute allocation.",
        "ja": "計算資源の割当がある組織はありません。",
    },
    "digest.ops.chart_missing": {
        "en": "The chart could not be drawn for: {orgs}. Their figures above are complete.",
        "ja": "次の組織のチャートを作成できませんでした: {orgs}。上の数値はすべて掲載しています。",
    },
    # --- /compute status: normalised GPU-hours beside the raw figures -----------------------
    "compute.status.normalised": {
        "en": "Normalised GPU-hours (× {factor}): *{used}* of {planned} planned · granted {granted}",
        "ja": "正規化GPU時間（係数 {factor}）: *{used}*（計画 {planned}）· 割当 {granted}",
    },
    "compute.status.normalised_forecast": {
        "en": " · forecast at period end {forecast}",
        "ja": " · 期間終了時の見込み {forecast}",
    },
}
