"""Messages of the App Home tab (issue #8): `home`. Statuses, stages and buttons reuse the
domains' own keys (`eval.status.*`, `datareq.status.*`, `review.stage.*`, `review.scoring.*`,
`instruction.ack_button`, `compute.status.word.*`)."""

CATALOG: dict[str, dict[str, str]] = {
    "home.title": {"en": "Kiban: your home", "ja": "Kiban ホーム"},
    "home.updated": {
        "en": "Updated {when} · this page refreshes each time you open it",
        "ja": "{when} 時点 · 開くたびに最新の内容になります",
    },
    "home.none": {
        "en": "Nothing to show you yet. Kiban shows your organization's GPU-hours, reports, instructions, evaluation results, data introductions and events once the secretariat adds you to your organization (ask them to run `/kiban member add @you ORG`), and your review rounds once you sit on a review committee.",
        "ja": "まだ表示する内容がありません。事務局があなたを組織に登録すると（事務局に `/kiban member add @あなた 組織コード` の実行を依頼してください）、組織の GPU時間・報告・指示・評価結果・データ紹介・イベントがここに表示されます。審査委員になると担当する審査も表示されます。",
    },
    "home.and_more": {"en": "…and {count} more", "ja": "…ほか {count} 件"},
    # --- member ---
    "home.member.title": {"en": "Your organization", "ja": "あなたの組織"},
    "home.member.more_orgs": {
        "en": "…and {count} more organizations: `/compute status ORG`",
        "ja": "…ほか {count} 組織: `/compute status 組織コード`",
    },
    "home.member.compute": {
        "en": "*{org}* · GPU-hours this allocation period, reported through {through}",
        "ja": "*{org}* · 今期の GPU時間（{through} までの報告）",
    },
    "home.member.allocation": {
        "en": "• {allocation}: *{used}* of {planned} planned ({percent}) · granted {granted} · {status}",
        "ja": "• {allocation}: *{used}*（計画 {planned}、{percent}）· 割当 {granted} · {status}",
    },
    "home.member.reports_due": {
        "en": "*Reports due* (`/compute report`):",
        "ja": "*未提出の利用実績報告*（`/compute report`）:",
    },
    "home.member.due_line": {"en": "• {allocation}: {months}", "ja": "• {allocation}: {months}"},
    "home.member.reports_done": {
        "en": "Every month so far is reported.",
        "ja": "これまでの月はすべて報告済みです。",
    },
    "home.member.instructions.none": {
        "en": "*Instructions to acknowledge*: none.",
        "ja": "*確認待ちの指示*: ありません。",
    },
    "home.member.instructions.title": {
        "en": "*Instructions to acknowledge* ({count})",
        "ja": "*確認待ちの指示*（{count} 件）",
    },
    "home.member.instructions.more": {
        "en": "{shown} shown here …and {count} more: `/compute instructions`",
        "ja": "ここには {shown} 件を表示 …ほか {count} 件: `/compute instructions`",
    },
    "home.member.instruction": {
        "en": "*{title}* · {org} · due {due}",
        "ja": "*{title}* · {org} · 期限 {due}",
    },
    "home.member.evals.none": {
        "en": "*Your evaluation submissions*: none yet. Submit results with `/eval submit`.",
        "ja": "*あなたの評価結果の提出*: まだありません。`/eval submit` で提出できます。",
    },
    "home.member.evals.title": {
        "en": "*Your evaluation submissions* ({count})",
        "ja": "*あなたの評価結果の提出*（{count} 件）",
    },
    "home.member.eval": {
        "en": "• {model} {revision} · {org} · {status} · {date}",
        "ja": "• {model} {revision} · {org} · {status} · {date}",
    },
    "home.member.evals.hint": {
        "en": "Details: `/eval status` · new results: `/eval submit`",
        "ja": "詳細: `/eval status` · 新しい結果: `/eval submit`",
    },
    "home.member.requests.none": {
        "en": "*Data introduction requests*: none. Ask for one with `/data request`.",
        "ja": "*データ紹介依頼*: ありません。`/data request` で依頼できます。",
    },
    "home.member.requests.title": {
        "en": "*Data introduction requests* ({count})",
        "ja": "*データ紹介依頼*（{count} 件）",
    },
    "home.member.request": {
        "en": "• #{id} {data} · {org} · {status} · {date}",
        "ja": "• #{id} {data} · {org} · {status} · {date}",
    },
    "home.member.requests.hint": {
        "en": "Answers and stages: `/data requests`",
        "ja": "回答と進捗: `/data requests`",
    },
    "home.member.events.none": {
        "en": "*Upcoming events*: none for now.",
        "ja": "*今後のイベント*: 現在はありません。",
    },
    "home.member.events.title": {
        "en": "*Upcoming events* ({count})",
        "ja": "*今後のイベント*（{count} 件）",
    },
    "home.member.event": {
        "en": "• *{title}* · {when} · {answer}",
        "ja": "• *{title}* · {when} · {answer}",
    },
    "home.member.events.hint": {
        "en": "Answer or change your answer: `/event list`",
        "ja": "出欠の登録・変更: `/event list`",
    },
    # --- operator ---
    "home.operator.title": {"en": "Secretariat: waiting for you", "ja": "事務局: 対応待ち"},
    "home.queue.evals": {
        "en": "• *{count}* evaluation submissions to review: *Review* in the secretariat channel, or `/eval status`",
        "ja": "• 審査待ちの評価結果 *{count}* 件: 事務局チャンネルの *審査する* ボタン、または `/eval status`",
    },
    "home.queue.data": {
        "en": "• *{count}* data introduction requests to review: *Review* in the secretariat channel, or `/data requests`",
        "ja": "• 審査待ちのデータ紹介依頼 *{count}* 件: 事務局チャンネルの *審査する* ボタン、または `/data requests`",
    },
    "home.queue.changes": {
        "en": "• *{count}* compute change requests pending: *Review* in the secretariat channel, or `/compute requests`",
        "ja": "• 審査待ちの計算資源の変更申請 *{count}* 件: 事務局チャンネルの *審査する* ボタン、または `/compute requests`",
    },
    "home.queue.alerts": {
        "en": "• *{count}* alerts not acknowledged (last {days} days): `/compute alerts ORG`",
        "ja": "• 未確認のアラート *{count}* 件（直近 {days} 日）: `/compute alerts 組織コード`",
    },
    "home.queue.instructions": {
        "en": "• *{count}* instructions not yet acknowledged ({overdue} overdue): `/compute instructions`",
        "ja": "• 未確認の指示 *{count}* 件（うち期限超過 {overdue} 件）: `/compute instructions`",
    },
    "home.queue.reports": {
        "en": "• *{count}* organizations have not reported {month}: `/compute status ORG`",
        "ja": "• {month} の利用実績が未報告の組織 *{count}* 件: `/compute status 組織コード`",
    },
    "home.queue.progress": {
        "en": "• *{count}* survey projects have not reported progress for {month}: `/progress status`",
        "ja": "• {month} の進捗報告が未提出の調査事業 *{count}* 件: `/progress status`",
    },
    "home.queue.practices": {
        "en": "• *{count}* best practices to review: `/practice queue`",
        "ja": "• 審査待ちのベストプラクティス *{count}* 件: `/practice queue`",
    },
    "home.queue.announcements": {
        "en": "• *{count}* public announcements waiting for a second operator's approval: `/announce list`",
        "ja": "• 2人目の事務局の承認待ちの公開お知らせ *{count}* 件: `/announce list`",
    },
    "home.operator.unreported": {
        "en": "*Not reported for {month}*",
        "ja": "*{month} の利用実績が未報告*",
    },
    "home.operator.unreported_hint": {
        "en": "Their leads get the monthly reminder; the report-missing alert follows.",
        "ja": "組織責任者には月次リマインダーが届き、その後「報告未提出」アラートが送られます。",
    },
    "home.operator.rounds": {
        "en": "*Review rounds needing action* ({count})",
        "ja": "*対応が必要な審査*（{count} 件）",
    },
    "home.operator.rounds_none": {
        "en": "*Review rounds*: none needs action. `/review create` starts one.",
        "ja": "*審査*: 対応が必要なものはありません。`/review create` で作成できます。",
    },
    "home.rounds_hint": {"en": "Every round: `/review list`", "ja": "すべての審査: `/review list`"},
    "home.round.line": {
        "en": "• *#{id} {name}* ({kind}) · {stage} · deadline {deadline}",
        "ja": "• *#{id} {name}*（{kind}）· {stage} · 締切 {deadline}",
    },
    "home.round.setup": {
        "en": "{subjects} subjects so far: add with `/review subjects {id}` or `/review import {id}`, then ask for conflicts with `/review conflicts {id}`",
        "ja": "審査対象 {subjects} 件: `/review subjects {id}` または `/review import {id}` で追加し、`/review conflicts {id}` で利益相反の申告を依頼",
    },
    "home.round.conflicts_waiting": {
        "en": "{left} of {reviewers} reviewers have not declared conflicts: `/review conflicts {id}` asks them again",
        "ja": "審査委員 {reviewers} 人中 {left} 人が利益相反を未申告: `/review conflicts {id}` で再度依頼",
    },
    "home.round.conflicts_ready": {
        "en": "Every reviewer has declared: assign with `/review assign {id}`",
        "ja": "全員が申告済み: `/review assign {id}` で割り当て",
    },
    "home.round.scoring": {
        "en": "Scorecards {scored} of {assigned}: `/review status {id}`",
        "ja": "評価票 {assigned} 件中 {scored} 件提出: `/review status {id}`",
    },
    "home.round.closed": {
        "en": "Scoring closed; {decided} of {subjects} decided: `/review results {id}`",
        "ja": "評価締切済み、{subjects} 件中 {decided} 件決定: `/review results {id}`",
    },
    "home.round.release": {
        "en": "All {subjects} decided: send the results with `/review release {id}`",
        "ja": "{subjects} 件すべて決定済み: `/review release {id}` で結果を通知",
    },
    # --- reviewer ---
    "home.reviewer.title": {"en": "Your review rounds", "ja": "担当する審査"},
    "home.reviewer.none": {
        "en": "No review round is open for you.",
        "ja": "現在担当している審査はありません。",
    },
    "home.reviewer.progress": {
        "en": "Your scorecards: *{scored}* of {assigned} done",
        "ja": "あなたの評価票: {assigned} 件中 *{scored}* 件提出済み",
    },
    "home.reviewer.declare": {
        "en": "Please declare your conflicts of interest: subjects are assigned only to reviewers who have.",
        "ja": "利益相反を申告してください。審査対象は申告済みの審査委員にのみ割り当てられます。",
    },
    "home.reviewer.locked": {
        "en": "Scoring is closed: scorecards are locked.",
        "ja": "評価は締め切られました。評価票は編集できません。",
    },
    "home.reviewer.setup": {
        "en": "The secretariat is still adding subjects.",
        "ja": "事務局が審査対象を登録しています。",
    },
    "home.reviewer.waiting": {
        "en": "Declared. Subjects are assigned once every reviewer has declared.",
        "ja": "申告済みです。全員の申告後に審査対象が割り当てられます。",
    },
    "home.reviewer.shown": {
        "en": "{shown} of {total} shown here; the others: the menu below or `/review status {id}`",
        "ja": "ここには {total} 件中 {shown} 件を表示。その他は下のメニューまたは `/review status {id}`",
    },
    "home.reviewer.more_rounds": {
        "en": "…and {count} more rounds: `/review list`",
        "ja": "…ほか {count} 件の審査: `/review list`",
    },
}
