"""Messages of the weekly digests (the shared one, its sections for every domain and its
"status" visibility; the operator digest with figures and charts, and its activity post) and of
normalised GPU-hours in `/compute status`.

Keys: `digest.weekly.*`, `digest.section.*`, `digest.evals.*`, `digest.intros.*`,
`digest.events.*`, `digest.trends.*`, `digest.alerts.*`, `digest.changes.*`,
`digest.reviews.*`, `digest.status.*`, `digest.ops.*`, `compute.status.normalised*`. The
shared digest's compute "figures" wording (`digest.intro`, `digest.org_line`, …) is in `core`.

The shared digest's texts carry no digit of their own (the "status" visibility promises no
figure of any organization, and its test checks that no digit is left but dates).
"""

CATALOG: dict[str, dict[str, str]] = {
    # --- the weekly digest: title, continuation, sections ----------------------------------
    "digest.weekly.title": {
        "en": "Weekly digest ({date})",
        "ja": "週次ダイジェスト（{date}）",
    },
    "digest.weekly.continued": {
        "en": "{title}: continued ({part}/{total})",
        "ja": "{title}: 続き（{part}/{total}）",
    },
    "digest.weekly.quiet": {
        "en": "A quiet week: nothing new on compute, evaluation results, data introductions, events or trends.",
        "ja": "静かな一週間でした。計算資源・評価結果・データ紹介・イベント・トレンドのいずれも新しいお知らせはありません。",
    },
    "digest.section.compute": {"en": "*Compute*", "ja": "*計算資源*"},
    "digest.section.evals": {"en": "*Evaluation results*", "ja": "*評価結果*"},
    "digest.section.intros": {
        "en": "*Data introductions this week*",
        "ja": "*今週のデータ紹介*",
    },
    "digest.section.upcoming": {
        "en": "*Events in the next two weeks*",
        "ja": "*今後二週間のイベント*",
    },
    "digest.section.past": {"en": "*Last week's events*", "ja": "*この一週間のイベント*"},
    "digest.section.results": {
        "en": "*Survey projects' results shared this week*",
        "ja": "*今週共有された調査事業の成果*",
    },
    "digest.section.trends": {
        "en": "*Trends collected this week*",
        "ja": "*今週収集したトレンド*",
    },
    "digest.section.alerts": {
        "en": "*Alerts not acknowledged (last {days} days)*",
        "ja": "*未確認のアラート（過去 {days} 日）*",
    },
    "digest.section.changes": {
        "en": "*Change requests waiting for a decision*",
        "ja": "*決定待ちの割当変更申請*",
    },
    "digest.section.reviews": {
        "en": "*Review rounds in progress*",
        "ja": "*進行中の審査*",
    },
    # --- evaluation results ------------------------------------------------------------------
    "digest.evals.count": {
        "en": "*Evaluation results*\n{count} result(s) published this week: the scores are in the evaluation results channel.",
        "ja": "*評価結果*\n今週 {count} 件の評価結果が公表されました。スコアは評価結果チャンネルでご覧ください。",
    },
    "digest.evals.waiting": {
        "en": "{count} submission(s) waiting for review (oldest submitted {date})",
        "ja": "審査待ちの提出 {count} 件（最も古い提出 {date}）",
    },
    "digest.evals.embargoed": {
        "en": "{count} approved, waiting for their publication time",
        "ja": "承認済みで公表時刻待ち {count} 件",
    },
    # --- data introductions: counts only ------------------------------------------------------
    "digest.intros.counts": {
        "en": "Requests received: {requests} · introductions accepted by data holders: {accepted} · introductions that moved forward (met, NDA, trial, contract): {progressed}",
        "ja": "新しい依頼: {requests} 件 · データ保有者が承諾した紹介: {accepted} 件 · 進展した紹介（面談・NDA・トライアル・契約）: {progressed} 件",
    },
    # --- events ------------------------------------------------------------------------------
    "digest.events.invited": {
        "en": "Invited: {orgs}",
        "ja": "招待組織: {orgs}",
    },
    "digest.events.more": {
        "en": "{count} more: see `/event list`.",
        "ja": "ほか {count} 件は `/event list` で確認できます。",
    },
    "digest.events.restricted": {
        "en": "{count} more event(s) for invited organizations only.",
        "ja": "ほかに招待組織限定のイベントが {count} 件あります。",
    },
    "digest.events.past_line": {
        "en": "• *{title}* ({date}): {went} went · {checked_in} checked in",
        "ja": "• *{title}*（{date}）: 参加 {went} 人 · チェックイン {checked_in} 人",
    },
    "digest.events.survey": {
        "en": " · survey: {count} answer(s), mean rating {rating}",
        "ja": " · アンケート {count} 件、平均評価 {rating}",
    },
    # --- trends --------------------------------------------------------------------------------
    "digest.trends.theme.international": {
        "en": "International development ({count})",
        "ja": "国際的な開発動向（{count}）",
    },
    "digest.trends.theme.use_cases": {
        "en": "Use cases and data utilisation ({count})",
        "ja": "先進的な活用事例とデータ利活用（{count}）",
    },
    "digest.trends.theme.economic": {
        "en": "Economic and productivity effects ({count})",
        "ja": "経済・生産性への効果（{count}）",
    },
    "digest.trends.theme.other": {"en": "Other ({count})", "ja": "その他（{count}）"},
    "digest.trends.more": {
        "en": "{count} more item(s) collected this week.",
        "ja": "ほかに今週 {count} 件を収集しました。",
    },
    # --- operators only ------------------------------------------------------------------------
    "digest.ops.activity.title": {
        "en": "Weekly digest for the secretariat: programme activity ({date})",
        "ja": "週次ダイジェスト（事務局向け）: 活動状況（{date}）",
    },
    "digest.alerts.line": {
        "en": "• *{org}*{allocation}: {kind}, level {level}, last sent {date} ({count} sent)",
        "ja": "• *{org}*{allocation}: {kind}（レベル {level}、最終送信 {date}、{count} 回送信）",
    },
    "digest.changes.line": {
        "en": "• #{id} *{org}* {allocation}: {kind}: {what} (requested {date})",
        "ja": "• #{id} *{org}* {allocation}: {kind}: {what}（申請 {date}）",
    },
    "digest.reviews.line": {
        "en": "• *{name}* ({kind}): {stage} · scorecards {scored} of {assigned} · deadline {deadline}",
        "ja": "• *{name}*（{kind}）: {stage} · 評価票 {scored} / {assigned} 件 · 締切 {deadline}",
    },
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
