"""Messages of review committees (issue #7): `review_packets` — the review packet of one
organization for an end-of-term evaluation (`bot.services.review_packets`). Keys are
`packet.*`; placeholders hold text already escaped for Markdown by the caller."""

_PACKET: dict[str, dict[str, str]] = {
    # errors
    "error.unknown_org": {
        "en": "There is no organization with the id {id}.",
        "ja": "ID {id} の組織はありません。",
    },
    # the head of the document
    "title": {
        "en": "Review packet: {org} ({code})",
        "ja": "終了時評価資料: {org}（{code}）",
    },
    "confidential": {
        "en": "Confidential: for the review committee only. Do not share with other organizations.",
        "ja": "取扱注意: 審査委員会限り。他の事業者には共有しないでください。",
    },
    "generated": {"en": "Generated: {when}", "ja": "作成日時: {when}"},
    "period": {
        "en": "Period covered: {start} to {end} (the months of the organization's allocation periods that have ended).",
        "ja": "対象期間: {start}〜{end}（組織の計算資源の割当期間のうち、終了した月）。",
    },
    "period_default": {
        "en": "Period covered: {start} to {end} (the organization has no allocation month that has ended: the last 12 months).",
        "ja": "対象期間: {start}〜{end}（終了した割当期間の月がないため、直近12か月）。",
    },
    "units": {
        "en": "Compute figures are GPU-hours. Months and dates are in the programme's time zone ({zone}). Instructions, evaluation results and data introductions are listed in full up to the time of this packet.",
        "ja": "計算資源の数値の単位はGPU時間です。月・日付はプログラムのタイムゾーン（{zone}）によります。指示・評価結果・データ紹介は、本資料の作成時点までのすべてを掲載しています。",
    },
    "none_written": {"en": "(none)", "ja": "（記載なし）"},
    "dash": {"en": "—", "ja": "—"},
    "col.item": {"en": "Item", "ja": "項目"},
    "col.value": {"en": "Value", "ja": "値"},
    "total": {"en": "Total", "ja": "合計"},
    # 1. compute
    "compute.title": {
        "en": "1. Compute usage against plan",
        "ja": "1. 計算資源の利用状況（計画比）",
    },
    "compute.none": {
        "en": "No compute allocation.",
        "ja": "計算資源の割当はありません。",
    },
    "compute.no_month": {
        "en": "No month of this allocation has ended yet.",
        "ja": "この割当の期間で終了した月はまだありません。",
    },
    "compute.granted": {"en": "Granted", "ja": "割当"},
    "compute.period": {"en": "Allocation period", "ja": "割当期間"},
    "compute.planned_to_date": {
        "en": "Planned through {month}",
        "ja": "計画累計（{month}まで）",
    },
    "compute.used_to_date": {"en": "Used through {month}", "ja": "実績累計（{month}まで）"},
    "compute.variance": {"en": "Variance (used − planned)", "ja": "差異（実績−計画）"},
    "compute.forecast_end": {"en": "Forecast at period end", "ja": "期末見込み"},
    "compute.status": {"en": "Status", "ja": "状況"},
    "compute.runs_out": {"en": "Forecast to run out", "ja": "割当消化見込み日"},
    "compute.col.month": {"en": "Month", "ja": "月"},
    "compute.col.planned": {"en": "Planned", "ja": "計画"},
    "compute.col.used": {"en": "Used", "ja": "実績"},
    "compute.col.variance": {"en": "Variance", "ja": "差異"},
    "compute.not_reported": {
        "en": "Not reported: {months} (shown as —, counted as 0 in the totals).",
        "ja": "未報告の月: {months}（「—」で表示し、合計では0として計算）。",
    },
    "compute.all_allocations": {"en": "All allocations", "ja": "全割当の合計"},
    "compute.chart": {
        "en": "The usage chart (cumulative plan, usage and forecast) is attached: {file}.",
        "ja": "利用状況のグラフ（計画・実績の累計と見込み）を添付しています: {file}",
    },
    "compute.chart_failed": {
        "en": "The usage chart could not be drawn.",
        "ja": "利用状況のグラフを作成できませんでした。",
    },
    # 2. progress reports, issues and alerts
    "progress.title": {
        "en": "2. Progress reports and issues",
        "ja": "2. 進捗状況と発生した課題",
    },
    "progress.intro": {
        "en": "As written by the organization with its monthly usage reports (the report in force for each month).",
        "ja": "組織が毎月の利用実績報告に記載した内容です（各月の最新の報告）。",
    },
    "progress.none": {
        "en": "No progress reports or issues were written.",
        "ja": "進捗状況・課題の記載はありません。",
    },
    "progress.month": {"en": "{allocation}, {month}", "ja": "{allocation}（{month}）"},
    "progress.progress": {"en": "Progress", "ja": "進捗状況"},
    "progress.issues": {"en": "Issues encountered", "ja": "発生した課題"},
    "progress.improvement_plan": {"en": "Improvement plan", "ja": "改善案"},
    "alerts.title": {"en": "Alerts sent to the organization", "ja": "組織に送信したアラート"},
    "alerts.none": {"en": "No alerts were sent.", "ja": "アラートの送信はありません。"},
    "alerts.note": {
        "en": "Explanations sent with an alert's Explain button go to the secretariat's channel and are not stored, so they are not included.",
        "ja": "アラートの「説明」ボタンで送られた説明は事務局チャンネルに届くのみで保存されないため、本資料には含まれません。",
    },
    "alerts.col.date": {"en": "Sent", "ja": "送信日"},
    "alerts.col.allocation": {"en": "Allocation", "ja": "割当"},
    "alerts.col.kind": {"en": "Alert", "ja": "アラート"},
    "alerts.col.level": {"en": "Level", "ja": "段階"},
    "alerts.col.acknowledged": {"en": "Acknowledged", "ja": "確認"},
    # 3. instructions
    "instructions.title": {
        "en": "3. Instructions and acknowledgements",
        "ja": "3. 指示と確認状況",
    },
    "instructions.none": {
        "en": "No instructions were sent.",
        "ja": "指示の送付はありません。",
    },
    "instructions.summary": {
        "en": "{count} instruction(s) sent, {acknowledged} acknowledged.",
        "ja": "指示 {count} 件、うち確認済み {acknowledged} 件。",
    },
    "instructions.issued": {"en": "Issued", "ja": "発出日"},
    "instructions.due": {"en": "Due", "ja": "期限"},
    "instructions.acknowledged": {"en": "Acknowledged", "ja": "確認"},
    "acknowledged_by": {"en": "{user} on {date}", "ja": "{date} {user}"},
    "not_acknowledged": {"en": "Not acknowledged", "ja": "未確認"},
    # 4. evaluation results
    "evals.title": {"en": "4. Evaluation results", "ja": "4. 評価結果"},
    "evals.none": {
        "en": "No evaluation results submitted.",
        "ja": "評価結果の提出はありません。",
    },
    "evals.none_published": {
        "en": "No evaluation results published.",
        "ja": "公表済みの評価結果はありません。",
    },
    "evals.intro": {
        "en": "Headline scores of the published results, oldest first. The change is against the organization's previous published result for the benchmark.",
        "ja": "公表済みの評価結果の代表スコアを古い順に掲載しています。変化は、同じベンチマークでの組織の前回の公表結果との差です。",
    },
    "evals.unpublished": {
        "en": "{count} submission(s) not published (in review, under embargo, returned or rejected) are not included.",
        "ja": "公表されていない提出 {count} 件（審査中・公表待ち・差し戻し・却下）は含みません。",
    },
    "evals.benchmark": {"en": "{benchmark} ({direction})", "ja": "{benchmark}（{direction}）"},
    "evals.trend": {
        "en": "{count} result(s): first {first}, latest {latest}, best {best}.",
        "ja": "{count} 件: 初回 {first}、最新 {latest}、最高 {best}。",
    },
    "evals.col.published": {"en": "Published", "ja": "公表日"},
    "evals.col.model": {"en": "Model", "ja": "モデル"},
    "evals.col.revision": {"en": "Revision", "ja": "リビジョン"},
    "evals.col.score": {"en": "Score", "ja": "スコア"},
    "evals.col.change": {"en": "Change", "ja": "変化"},
    "evals.flagged": {"en": " (flagged)", "ja": "（指摘あり）"},
    # 5. data introductions
    "data.title": {"en": "5. Data introductions", "ja": "5. データホルダーの紹介"},
    "data.none": {
        "en": "No data introduction was requested.",
        "ja": "データ紹介の依頼はありません。",
    },
    "data.summary": {
        "en": "{requests} request(s), {asked} data holder(s) approached.",
        "ja": "紹介依頼 {requests} 件、打診したデータホルダー {asked} 件。",
    },
    "data.request": {"en": "Request #{id}", "ja": "紹介依頼 #{id}"},
    "data.requested_on": {"en": "Requested on", "ja": "依頼日"},
    "data.status": {"en": "Status", "ja": "状況"},
    "data.needed_by": {"en": "Needed by", "ja": "希望時期"},
    "data.data_needed": {"en": "Data needed", "ja": "必要なデータ"},
    "data.purpose": {"en": "Purpose", "ja": "利用目的"},
    "data.no_intros": {
        "en": "No data holder approached.",
        "ja": "打診したデータホルダーはありません。",
    },
    "data.col.holder": {"en": "Data holder", "ja": "データホルダー"},
    "data.col.answer": {"en": "Answer", "ja": "回答"},
    "data.col.stage": {"en": "Stage", "ja": "段階"},
    # 6. events
    "events.title": {"en": "6. Event participation", "ja": "6. イベント参加状況"},
    "events.none": {
        "en": "No member of the organization answered an event in the period.",
        "ja": "対象期間中、組織のメンバーによるイベントへの出欠回答はありません。",
    },
    "events.intro": {
        "en": "Events not cancelled that started in each month; the organization has {members} registered member(s). Events: those its members answered; answered: RSVPs with any answer; went: confirmed “going” answers for events that had started; checked in: people checked in at the event. People are counted per month, so the total row does not add them up.",
        "ja": "各月に開始した（中止されていない）イベントが対象です。組織の登録メンバーは {members} 人です。イベント数: メンバーが回答したイベントの数、回答: 出欠回答の数、参加: 開始済みのイベントへの確定した「参加」回答、チェックイン: 会場でチェックインした人数。回答者数は月ごとに数えるため、合計行では合算していません。",
    },
    "events.col.month": {"en": "Month", "ja": "月"},
    "events.col.events": {"en": "Events", "ja": "イベント数"},
    "events.col.people": {"en": "People who answered", "ja": "回答者数"},
    "events.col.answered": {"en": "Answered", "ja": "回答"},
    "events.col.went": {"en": "Went", "ja": "参加"},
    "events.col.checked_in": {"en": "Checked in", "ja": "チェックイン"},
}

CATALOG: dict[str, dict[str, str]] = {f"packet.{key}": entry for key, entry in _PACKET.items()}
