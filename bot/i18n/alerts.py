"""Messages of condition alerts: over plan (still), runs out early, under plan at a checkpoint, report missing;
escalation, snooze, explanation, dry run and the alert history."""

CATALOG: dict[str, dict[str, str]] = {
    "cond.over_plan.title": {
        "en": "Compute use still over plan",
        "ja": "計算資源の使用が計画超過のままです",
    },
    "cond.over_plan.body": {
        "en": "*{org}* used {actual} GPU-hours on {allocation} in {month}, against a plan of {planned} ({percent} over plan), and no explanation or corrected report has changed that.",
        "ja": "*{org}* は {month} に {allocation} で {actual} GPU時間を使用し、計画 {planned} に対し {percent} 超過のままです。説明や報告の訂正はまだありません。",
    },
    "cond.over_plan.todo": {
        "en": "What to do: explain the overrun (Explain) and how the coming months' plan will change, or file a change request with `/compute request`.",
        "ja": "対応のお願い: 超過の理由と今後の計画の見直しを「説明する」からお知らせいただくか、`/compute request` で割当の変更を申請してください。",
    },
    "cond.ended": {
        "en": "This alert's condition has ended (the figures changed since), so there is nothing to snooze or explain any more.",
        "ja": "このアラートの状態はすでに解消しています（その後数値が変わりました）。スヌーズや説明は不要です。",
    },
    "cond.runs_out.title": {
        "en": "Allocation will run out early",
        "ja": "割当が期間前に尽きる見込み",
    },
    "cond.runs_out.body": {
        "en": "At the recent rate ({rate} GPU-hours a month), *{org}* will use up {allocation}'s {granted} GPU-hours around *{date}*, before the period ends on {end}.",
        "ja": "最近のペース（月 {rate} GPU時間）では、*{org}* は {allocation} の割当 {granted} GPU時間を *{date}* ごろに使い切り、期間終了（{end}）より前に尽きる見込みです。",
    },
    "cond.runs_out.todo": {
        "en": "What to do: slow down, or file a change request for more hours with the secretariat, explaining why.",
        "ja": "対応のお願い: 使用ペースを落とすか、理由を添えて事務局に割当の追加を申請してください。",
    },
    "cond.under_plan.title": {
        "en": "Allocation under plan",
        "ja": "割当の使用が計画を下回っています",
    },
    "cond.under_plan.body": {
        "en": "At this checkpoint *{org}* has used {actual} of the {planned} GPU-hours planned to date on {allocation} ({percent}). Unused allocation is public money left idle.",
        "ja": "このチェックポイント時点で、*{org}* の {allocation} の使用は計画 {planned} GPU時間に対し {actual}（{percent}）です。使われない割当は公的資金の未活用になります。",
    },
    "cond.under_plan.todo": {
        "en": "What to do: tell the secretariat why (Explain), and whether the plan for the coming months should change; unused hours may be reassigned.",
        "ja": "対応のお願い: 理由（「説明する」）と今後の計画を変更すべきかを事務局にお知らせください。未使用分は再配分されることがあります。",
    },
    "cond.report_missing.title": {"en": "Usage report missing", "ja": "利用実績報告が未提出です"},
    "cond.report_missing.body": {
        "en": "*{org}* has not reported {month} on {allocation}, although the reminder went out.",
        "ja": "リマインダー送付後も、*{org}* の {allocation} の {month} 分が報告されていません。",
    },
    "cond.report_missing.todo": {
        "en": "What to do: report with `/compute report`, or send Kiban the sacct / FOCUS / CSV file in a DM.",
        "ja": "対応のお願い: `/compute report` で報告するか、sacct / FOCUS / CSV ファイルを Kiban にDMで送ってください。",
    },
    "cond.level2": {
        "en": "Second notice: this has lasted {days} days; the secretariat has been told.",
        "ja": "再通知: この状態が {days} 日続いているため、事務局にも通知しました。",
    },
    "cond.operator_note": {
        "en": "For {leads} (level {level}; a DM at night in their time zone waits for their morning).",
        "ja": "{leads} 宛て（レベル {level}。相手の時間帯で夜間のDMは翌朝に届きます）。",
    },
    "cond.escalation": {
        "en": "Escalation: this alert has lasted {days} days without resolution. Please follow up with {org} directly.",
        "ja": "エスカレーション: このアラートは {days} 日間解消されていません。{org} に直接ご確認ください。",
    },
    "cond.dry_run": {
        "en": "[DRY RUN] This alert would have gone to {leads}; nothing was sent to them.",
        "ja": "［ドライラン］このアラートは {leads} に送られる予定でした。実際には送信していません。",
    },
    "cond.snooze_button": {"en": "Snooze 3 days", "ja": "3日間スヌーズ"},
    "cond.explain_button": {"en": "Explain", "ja": "説明する"},
    "cond.snoozed": {
        "en": "Snoozed by <@{user}> until {until}.",
        "ja": "<@{user}> さんが {until} までスヌーズしました。",
    },
    "cond.explain.title": {"en": "Explain this alert", "ja": "アラートへの説明"},
    "cond.explain.label": {"en": "Explanation for the secretariat", "ja": "事務局への説明"},
    "cond.explain.submit": {"en": "Send", "ja": "送信"},
    "cond.explained": {
        "en": "Explanation from <@{user}> about {org} · {allocation} ({kind}):",
        "ja": "<@{user}> さんから {org} · {allocation}（{kind}）についての説明:",
    },
    "cond.explain.thanks": {
        "en": "Thank you; your explanation went to the secretariat.",
        "ja": "ありがとうございます。説明を事務局に送りました。",
    },
    "alerts.history.title": {"en": "Alert history: {org}", "ja": "アラート履歴: {org}"},
    "alerts.history.line": {
        "en": "• {date} · {kind} · level {level}{ack}",
        "ja": "• {date} · {kind} · レベル {level}{ack}",
    },
    "alerts.history.acked": {"en": " · acknowledged by <@{user}>", "ja": " · <@{user}> さんが確認"},
    "alerts.history.none": {"en": "No alerts so far.", "ja": "アラートはまだありません。"},
    "kind.overuse": {"en": "over plan", "ja": "計画超過"},
    "kind.over_plan": {"en": "still over plan", "ja": "計画超過の継続"},
    "kind.runs_out": {"en": "runs out early", "ja": "期間前に枯渇"},
    "kind.under_plan": {"en": "under plan", "ja": "計画未達"},
    "kind.report_missing": {"en": "report missing", "ja": "報告未提出"},
}
