"""Messages of the survey projects' monthly progress reports (issue #9): `/progress`, the
"Report project progress" modal, the secretariat's post with **Advice** and **Mark for
dissemination**, the advice modal and DM, status, the missing-report reminder and the export."""

CATALOG: dict[str, dict[str, str]] = {
    "progress.help": {
        "en": "*Survey-project progress (`/progress`)*\n• `/progress report`: report your project's progress for a month (default: last month)\n• `/progress status [YYYY-MM]`: your project's reports (operators: every survey project for the month, reported or missing, and help requests)\n• `/progress export [YYYY-MM]`: the month's reports and advice as Markdown and CSV, in your DM (operators)\n• `/progress help`: this list",
        "ja": "*調査事業の進捗報告（`/progress`）*\n• `/progress report`: 事業の進捗をひと月分報告（既定: 先月）\n• `/progress status [YYYY-MM]`: 自分の事業の報告一覧（事務局: その月の全調査事業の報告済み・未報告と支援要望）\n• `/progress export [YYYY-MM]`: その月の報告と助言を Markdown と CSV でDMに（事務局のみ）\n• `/progress help`: この一覧",
    },
    "progress.unknown_subcommand": {
        "en": "I don't know `/progress {sub}`.",
        "ja": "`/progress {sub}` というコマンドはありません。",
    },
    # --- errors ---
    "progress.error.no_project": {
        "en": "You are not a member of a survey project in Kiban, so there is no progress report for you to file or see. Ask the secretariat to add you with `/kiban member add @you ORG`.",
        "ja": "Kiban のどの調査事業にも登録されていないため、進捗報告の提出や表示はできません。事務局に `/kiban member add @あなた 組織コード` で追加するよう依頼してください。",
    },
    "progress.error.no_projects_yet": {
        "en": "No survey project is registered yet: add one with `kind: survey_project` in the setup file (`kiban admin import`).",
        "ja": "調査事業がまだ登録されていません。セットアップファイルに `kind: survey_project` の組織を追加してください（`kiban admin import`）。",
    },
    "progress.error.not_your_project": {
        "en": "You can only report on and see your own survey project.",
        "ja": "自分の調査事業についてのみ報告・表示できます。",
    },
    "progress.error.required": {
        "en": "Please fill this in.",
        "ja": "入力してください。",
    },
    "progress.error.too_long": {
        "en": "At most {limit} characters ({count} given).",
        "ja": "{limit}文字以内で入力してください（現在 {count} 文字）。",
    },
    "progress.error.no_report": {
        "en": "There is no report of {org} for {month} to act on.",
        "ja": "{org} の {month} の報告が見つかりません。",
    },
    "progress.error.no_results": {
        "en": "This report has no results to share, so there is nothing to mark for dissemination.",
        "ja": "この報告には共有できる成果が書かれていないため、普及対象にできません。",
    },
    "progress.error.stale": {
        "en": "This post shows revision {shown}, but the report is now at revision {current}: mark it from the newest post, after reading what changed.",
        "ja": "この投稿は第{shown}版ですが、報告は第{current}版に更新されています。変更点を確認のうえ、最新の投稿から普及対象にしてください。",
    },
    # --- the report modal ---
    "progress.modal.title": {"en": "Report project progress", "ja": "事業の進捗を報告"},
    "progress.modal.submit": {"en": "Submit", "ja": "送信"},
    "progress.modal.close": {"en": "Cancel", "ja": "キャンセル"},
    "progress.modal.intro": {
        "en": "Your survey project's plan and progress for the month, for the secretariat. Submitting again for the same month makes a new revision.",
        "ja": "事務局向けに、調査事業のその月の計画と進捗を報告してください。同じ月を再度送信すると新しい版になります。",
    },
    "progress.modal.prefilled": {
        "en": "Filled in from your current report for {month} (revision {revision}): change what needs correcting and submit.",
        "ja": "{month} の現在の報告（第{revision}版）を入力済みです。修正が必要な箇所を直して送信してください。",
    },
    "progress.field.org": {"en": "Organization", "ja": "組織"},
    "progress.field.month": {"en": "Month", "ja": "対象月"},
    "progress.field.month_hint": {
        "en": "The month reported on, e.g. {example}.",
        "ja": "報告する月（例: {example}）。",
    },
    "progress.field.plan": {"en": "Plan for the period", "ja": "期間の計画"},
    "progress.field.progress": {"en": "Progress", "ja": "進捗状況"},
    "progress.field.issues": {"en": "Issues encountered", "ja": "発生した課題"},
    "progress.field.improvement_plan": {"en": "Improvement plan", "ja": "改善案"},
    "progress.field.results": {"en": "Results to share", "ja": "共有できる成果"},
    "progress.field.results_hint": {
        "en": "Results the secretariat may spread through the digest, events and the trend report.",
        "ja": "事務局がダイジェスト・イベント・動向調査レポートで紹介できる成果。",
    },
    "progress.field.help_needed": {
        "en": "Help needed from the secretariat",
        "ja": "事務局への支援要望",
    },
    # --- confirmations and the secretariat's post ---
    "progress.confirm.created": {
        "en": "Recorded: {org}'s progress report for {month}. Thank you!",
        "ja": "{org} の {month} の進捗報告を受け付けました。ありがとうございます。",
    },
    "progress.confirm.revised": {
        "en": "Updated: {org}'s progress report for {month} is now revision {revision}.",
        "ja": "{org} の {month} の進捗報告を更新しました（第{revision}版）。",
    },
    "progress.confirm.unchanged": {
        "en": "{org}'s progress report for {month} is already exactly this (revision {revision}): nothing changed.",
        "ja": "{org} の {month} の進捗報告はすでにこの内容です（第{revision}版）。変更はありません。",
    },
    "progress.post.title": {
        "en": "Progress report: {org} — {month}",
        "ja": "進捗報告: {org} — {month}",
    },
    "progress.post.summary": {
        "en": "<@{user}> reported {org}'s progress for {month} (revision {revision}).",
        "ja": "<@{user}> さんが {org} の {month} の進捗を報告しました（第{revision}版）。",
    },
    "progress.post.help_title": {
        "en": ":sos: *Help needed from the secretariat*",
        "ja": ":sos: *事務局への支援要望*",
    },
    "progress.button.advice": {"en": "Advice", "ja": "助言する"},
    "progress.button.disseminate": {"en": "Mark for dissemination", "ja": "普及対象にする"},
    "progress.marked": {
        "en": ":loudspeaker: Results marked for dissemination by <@{user}>: they appear in the weekly digest and the next monthly trend report.",
        "ja": ":loudspeaker: <@{user}> さんが成果を普及対象にしました。週次ダイジェストと次回の月次動向調査レポートに載ります。",
    },
    "progress.marked.again": {
        "en": "Already marked for dissemination with this text: nothing changed.",
        "ja": "この内容ですでに普及対象になっています。変更はありません。",
    },
    # --- advice ---
    "progress.advice.title": {"en": "Advice", "ja": "助言"},
    "progress.advice.submit": {"en": "Send", "ja": "送信"},
    "progress.advice.about": {
        "en": "Advice on {org}'s progress report for {month} (revision {revision}). It goes to the project's leads by DM and is kept with the report.",
        "ja": "{org} の {month} の進捗報告（第{revision}版）への助言です。事業の責任者にDMで届き、報告と一緒に記録されます。",
    },
    "progress.advice.field": {"en": "Advice for the project's leads", "ja": "責任者への助言"},
    "progress.advice.dm_title": {
        "en": "Advice from the secretariat",
        "ja": "事務局からの助言",
    },
    "progress.advice.dm_intro": {
        "en": "<@{user}> (secretariat) has advice on {org}'s progress report for {month} (revision {revision}):",
        "ja": "<@{user}> さん（事務局）から {org} の {month} の進捗報告（第{revision}版）への助言です。",
    },
    "progress.advice.thread": {
        "en": "Advice from <@{user}>, sent to the leads ({count}):",
        "ja": "<@{user}> さんの助言を責任者（{count}名）に送りました。",
    },
    "progress.advice.thread_no_leads": {
        "en": "Advice from <@{user}> is kept with the report, but {org} has no lead registered: nobody received it by DM.",
        "ja": "<@{user}> さんの助言は報告と一緒に記録しましたが、{org} には責任者が登録されていないため、DMで受け取った人はいません。",
    },
    # --- status ---
    "progress.status.operator_title": {
        "en": "Survey projects' progress reports for {month}",
        "ja": "{month} の調査事業の進捗報告",
    },
    "progress.status.reported_line": {
        "en": "• {org}: revision {revision} by <@{user}>, advice {advice}{marked}",
        "ja": "• {org}: 第{revision}版（<@{user}> さん）、助言 {advice} 件{marked}",
    },
    "progress.status.marked": {
        "en": ", marked for dissemination",
        "ja": "、普及対象",
    },
    "progress.status.missing": {
        "en": "*Not reported ({count}):* {orgs}",
        "ja": "*未報告（{count}件）:* {orgs}",
    },
    "progress.status.all_reported": {
        "en": "Every survey project has reported.",
        "ja": "すべての調査事業が報告済みです。",
    },
    "progress.status.help_title": {
        "en": ":sos: *Help requested*",
        "ja": ":sos: *支援要望*",
    },
    "progress.status.help_line": {"en": "• {org}: {text}", "ja": "• {org}: {text}"},
    "progress.status.member_title": {
        "en": "Progress reports of {org}",
        "ja": "{org} の進捗報告",
    },
    "progress.status.member_line": {
        "en": "• {month}: revision {revision}, submitted {when}, advice {advice}{marked}",
        "ja": "• {month}: 第{revision}版（{when} 提出）、助言 {advice} 件{marked}",
    },
    "progress.status.member_missing": {
        "en": "• {month}: not reported yet (`/progress report`)",
        "ja": "• {month}: 未報告（`/progress report`）",
    },
    "progress.status.no_reports": {
        "en": "No reports yet.",
        "ja": "まだ報告はありません。",
    },
    # --- reminder ---
    "progress.reminder.title": {"en": "Progress report due", "ja": "進捗報告のお願い"},
    "progress.reminder.body": {
        "en": "{org} has not reported its progress for {month} yet. Please send it with `/progress report`.",
        "ja": "{org} の {month} の進捗報告がまだ届いていません。`/progress report` で報告してください。",
    },
    "progress.reminder.summary": {
        "en": "Survey projects without a progress report for {month} ({count}), reminded by DM: {orgs}",
        "ja": "{month} の進捗報告が未提出の調査事業（{count}件）にDMでリマインドしました: {orgs}",
    },
    "progress.reminder.no_lead": {
        "en": "{org} (no lead registered: not reminded)",
        "ja": "{org}（責任者未登録のためリマインドなし）",
    },
    # --- export ---
    "progress.export.comment": {
        "en": "Survey projects' progress reports and advice for {month}.",
        "ja": "{month} の調査事業の進捗報告と助言です。",
    },
    "progress.export.done": {
        "en": "The {month} progress reports are in your DM with Kiban.",
        "ja": "{month} の進捗報告を Kiban とのDMにアップロードしました。",
    },
    "progress.export.title": {
        "en": "Survey projects' progress reports — {month}",
        "ja": "調査事業の進捗報告 — {month}",
    },
    "progress.export.generated": {"en": "Generated: {when}", "ja": "作成日時: {when}"},
    "progress.export.counts": {
        "en": "Reported: {reported} of {total} survey projects.",
        "ja": "報告済み: 調査事業 {total} 件中 {reported} 件。",
    },
    "progress.export.no_projects": {
        "en": "No survey project is registered.",
        "ja": "調査事業は登録されていません。",
    },
    "progress.export.not_reported": {
        "en": "Not reported for this month.",
        "ja": "この月の報告はありません。",
    },
    "progress.export.meta": {
        "en": "Revision {revision}, reported by {user} on {when}.",
        "ja": "第{revision}版、{user} が {when} に報告。",
    },
    "progress.export.empty": {"en": "(none)", "ja": "（なし）"},
    "progress.export.advice_title": {"en": "Advice", "ja": "助言"},
    "progress.export.advice_line": {
        "en": "{user}, {when} (on revision {revision}):",
        "ja": "{user}、{when}（第{revision}版に対して）:",
    },
    "progress.export.no_advice": {"en": "No advice given.", "ja": "助言はありません。"},
    "progress.export.disseminated": {
        "en": "Marked for dissemination by {user} on {when}.",
        "ja": "{user} が {when} に普及対象にしました。",
    },
    "progress.export.not_disseminated": {
        "en": "Not marked for dissemination.",
        "ja": "普及対象にはなっていません。",
    },
    "progress.export.reported": {"en": "reported", "ja": "報告済み"},
    "progress.export.missing": {"en": "not reported", "ja": "未報告"},
    "progress.export.yes": {"en": "yes", "ja": "はい"},
    "progress.export.no": {"en": "no", "ja": "いいえ"},
    "progress.col.status": {"en": "Status", "ja": "状況"},
    "progress.col.revision": {"en": "Revision", "ja": "版"},
    "progress.col.reporter": {"en": "Reporter", "ja": "報告者"},
    "progress.col.submitted_at": {"en": "Submitted", "ja": "提出日時"},
    "progress.col.plan": {"en": "Plan for the period", "ja": "期間の計画"},
    "progress.col.results": {"en": "Results to share", "ja": "共有できる成果"},
    "progress.col.help_needed": {
        "en": "Help needed from the secretariat",
        "ja": "事務局への支援要望",
    },
    "progress.col.advice_count": {"en": "Advice given", "ja": "助言数"},
    "progress.col.advice": {"en": "Advice", "ja": "助言"},
    "progress.col.disseminated": {"en": "For dissemination", "ja": "普及対象"},
    "progress.col.disseminated_at": {"en": "Marked at", "ja": "普及対象にした日時"},
}
