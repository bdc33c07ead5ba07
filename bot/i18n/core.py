"""Messages of the spine and compute monitoring: errors, /kiban, /compute, alerts, uploads,
delivery, scheduled messages. Placeholders are filled with values the caller has already
escaped for mrkdwn where needed."""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    # --- general ---
    "error.generic": {
        "en": "Something went wrong on Kiban's side; nothing was saved. Please try again in a minute. The secretariat can see the details in the logs.",
        "ja": "Kiban 側でエラーが発生しました。何も保存されていません。少し時間をおいてもう一度お試しください。詳細は事務局がログで確認できます。",
    },
    "error.expired_trigger": {
        "en": "Slack took too long to open the form. Please run the command again.",
        "ja": "フォームを開くのに時間がかかりすぎました。もう一度コマンドを実行してください。",
    },
    "error.no_org": {
        "en": "You are not a member of any organization in Kiban yet, so there is nothing to report or show. Ask the secretariat (operator) to add you with `/kiban member add @you ORG`.",
        "ja": "まだ Kiban のどの組織にも登録されていないため、報告や表示ができません。事務局に `/kiban member add @あなた 組織コード` で追加するよう依頼してください。",
    },
    "error.reviewer_only": {
        "en": "You take part in Kiban as a reviewer, which gives no organization to report or show for. Ask the secretariat if you should also be a member of an organization.",
        "ja": "Kiban では審査委員として登録されているため、報告や表示の対象となる組織がありません。組織のメンバーにもなる必要がある場合は事務局にご相談ください。",
    },
    "error.operator_no_org": {
        "en": "You are in the secretariat, which has no compute of its own to report. To look at an organization: `/compute status ORG` (e.g. `/compute status ORGA`).",
        "ja": "事務局には報告対象の計算資源がありません。組織の状況を見るには `/compute status 組織コード`（例: `/compute status ORGA`）を実行してください。",
    },
    "error.not_your_alert": {
        "en": "This alert is for another organization; only its members and the secretariat can acknowledge it.",
        "ja": "このアラートは別の組織宛てです。確認できるのはその組織のメンバーと事務局のみです。",
    },
    "error.not_operator": {
        "en": "Sorry, only the secretariat (operators) can do that.",
        "ja": "申し訳ありません。この操作は事務局（オペレーター）のみが行えます。",
    },
    "error.unknown_org": {
        "en": "There is no organization with the code `{code}`.",
        "ja": "組織コード `{code}` の組織はありません。",
    },
    "error.not_your_org": {
        "en": "You can only see your own organization's information.",
        "ja": "自分の組織の情報のみ表示できます。",
    },
    "error.no_allocation": {
        "en": "{org} has no compute allocation registered in Kiban yet, so there is nothing to report against. Ask the secretariat to register it.",
        "ja": "{org} の計算資源の割当がまだ Kiban に登録されていないため、報告できません。事務局に登録を依頼してください。",
    },
    # --- /kiban ---
    "kiban.help": {
        "en": "*Kiban commands*\n• `/kiban member add @user ORG [member|org_lead|operator|reviewer]`: add or change a member (operators)\n• `/compute help`: compute usage reporting\n• `/eval help`: evaluation results\n• `/data help`: data holders and introductions\n• `/event help`: events and RSVPs\n• `/trend help`: the monthly trend report\n• `/review help`: review committees\n• `/progress help`: survey projects' progress reports\n• `/practice help`: the governance best-practice library\n• `/announce help`: announcements (operators)",
        "ja": "*Kiban のコマンド*\n• `/kiban member add @ユーザー 組織コード [member|org_lead|operator|reviewer]`: メンバーの追加・変更（事務局のみ）\n• `/compute help`: 計算資源の利用実績報告\n• `/eval help`: 評価結果\n• `/data help`: データ保有者と紹介\n• `/event help`: イベントと出欠\n• `/trend help`: 月次の動向レポート\n• `/review help`: 審査委員会\n• `/progress help`: 調査事業の進捗報告\n• `/practice help`: ガバナンスのベストプラクティス集\n• `/announce help`: お知らせ（事務局）",
    },
    "kiban.member_usage": {
        "en": "Usage: `/kiban member add @user ORG [member|org_lead|operator|reviewer]`",
        "ja": "使い方: `/kiban member add @ユーザー 組織コード [member|org_lead|operator|reviewer]`",
    },
    "kiban.bad_role": {
        "en": "Unknown role `{role}`. Use one of: member, org_lead, operator, reviewer.",
        "ja": "不明な役割 `{role}` です。member, org_lead, operator, reviewer のいずれかを指定してください。",
    },
    "kiban.operator_outside_secretariat": {
        "en": "{org} is not the secretariat: the operator role (access to every organization) can only be given in the secretariat's organization. Use member or org_lead here.",
        "ja": "{org} は事務局ではありません。オペレーター（すべての組織を閲覧できる役割）は事務局の組織でのみ付与できます。ここでは member または org_lead を指定してください。",
    },
    "kiban.unknown_subcommand": {
        "en": "I don't know `/kiban {sub}`.",
        "ja": "`/kiban {sub}` というコマンドはありません。",
    },
    "kiban.unknown_user": {
        "en": "Slack does not know the user `{user}` in this workspace; mention them as @name.",
        "ja": "このワークスペースにユーザー `{user}` は見つかりません。@名前 の形で指定してください。",
    },
    "role.member": {"en": "member", "ja": "メンバー"},
    "role.org_lead": {"en": "org lead", "ja": "組織責任者"},
    "role.operator": {"en": "operator", "ja": "事務局オペレーター"},
    "role.reviewer": {"en": "reviewer", "ja": "審査委員"},
    "kiban.member_created": {
        "en": "Added {user} to {org} as {role}.",
        "ja": "{user} を {org} に {role} として追加しました。",
    },
    "kiban.member_updated": {
        "en": "{user} is now {role} in {org}.",
        "ja": "{user} の {org} での役割を {role} に変更しました。",
    },
    "kiban.member_unchanged": {
        "en": "{user} was already {role} in {org}; nothing changed.",
        "ja": "{user} はすでに {org} の {role} です。変更はありません。",
    },
    # --- /compute ---
    "compute.help": {
        "en": "*Compute usage (`/compute`)*\n• `/compute report`: report last month's GPU-hours for your organization\n• `/compute status`: this period's plan vs actual, and months not yet reported\n• `/compute status ORG`: the same for any organization (operators)\n• `/compute chart [ORG]`: burn-up charts in your DM\n• `/compute alerts [ORG]`: alert history\n• `/compute instructions`: open instructions from the secretariat\n• `/compute instruct`: issue an instruction (operators)\n• `/compute request`: ask the secretariat for more GPU-hours, a later end date or a new plan (leads)\n• `/compute requests [ORG]`: change requests and their decisions\n• `/compute admin [ORG]`: manage allocations and monthly plans (operators)\n• `/compute export [YYYY-MM]`: the month's report for the ministry (operators)\n• `/compute help`: this list",
        "ja": "*計算資源の利用（`/compute`）*\n• `/compute report`: 先月の使用GPU時間を報告\n• `/compute status`: 今期の計画と実績、未報告の月\n• `/compute status 組織コード`: 任意の組織の状況（事務局のみ）\n• `/compute chart [組織コード]`: バーンアップチャートをDMで受け取る\n• `/compute alerts [組織コード]`: アラート履歴\n• `/compute instructions`: 事務局からの未対応の指示\n• `/compute instruct`: 指示を出す（事務局のみ）\n• `/compute request`: GPU時間の追加・期間の延長・計画の見直しを事務局に申請（組織責任者）\n• `/compute requests [組織コード]`: 変更申請と結果の一覧\n• `/compute admin [組織コード]`: 割当と月次計画の管理（事務局のみ）\n• `/compute export [YYYY-MM]`: 省への月次報告（事務局のみ）\n• `/compute help`: この一覧",
    },
    "compute.export.comment": {
        "en": "Compute usage report for the ministry, {month}: Markdown and CSV.",
        "ja": "{month} の計算資源の利用状況報告（省への報告用）: Markdown と CSV です。",
    },
    "compute.export.done": {
        "en": "The {month} report is uploaded to {where}.",
        "ja": "{month} の報告を {where} にアップロードしました。",
    },
    "compute.export.dm": {"en": "your DM with Kiban", "ja": "Kiban とのDM"},
    "compute.chart.comment": {
        "en": "Burn-up charts: cumulative plan, reported usage, forecast and the allocation ceiling.",
        "ja": "バーンアップチャート: 計画の累計、報告された使用量、見込み、割当の上限です。",
    },
    "compute.chart.done": {
        "en": "Your charts are in your DM with Kiban.",
        "ja": "チャートを Kiban とのDMに送りました。",
    },
    "compute.unknown_subcommand": {
        "en": "I don't know `/compute {sub}`.",
        "ja": "`/compute {sub}` というコマンドはありません。",
    },
    "compute.modal.title": {"en": "Report compute usage", "ja": "計算資源の利用実績報告"},
    "compute.modal.submit": {"en": "Submit", "ja": "送信"},
    "compute.modal.close": {"en": "Cancel", "ja": "キャンセル"},
    "compute.modal.intro": {
        "en": "Report the GPU-hours your organization used in one month on one allocation. Submitting again for the same month replaces the earlier figure as a new revision.",
        "ja": "1か月分・1つの割当について、組織が使用したGPU時間を報告してください。同じ月を再度送信すると、新しい版として以前の数値を置き換えます。",
    },
    "compute.modal.prefilled": {
        "en": "Filled in from your current report for {month} (revision {revision}): change what needs correcting and submit.",
        "ja": "{month} の現在の報告（第{revision}版）を入力済みです。修正が必要な箇所を直して送信してください。",
    },
    "compute.field.org": {"en": "Organization", "ja": "組織"},
    "compute.field.month": {"en": "Month", "ja": "対象月"},
    "compute.field.month_hint": {
        "en": "YYYY-MM, e.g. {example}. Also 2026年3月 or R8.3.",
        "ja": "YYYY-MM（例: {example}）。2026年3月、R8.3 の形式も使えます。",
    },
    "compute.field.allocation": {"en": "Cluster / provider", "ja": "クラスタ / プロバイダ"},
    "compute.field.gpu_hours": {"en": "GPU-hours used", "ja": "使用GPU時間"},
    "compute.field.gpu_hours_hint": {
        "en": "A number from 0 to 10,000,000; decimals allowed (1,200.5).",
        "ja": "0〜10,000,000 の数値。小数も可（1,200.5）。",
    },
    "compute.field.progress": {"en": "Progress", "ja": "進捗状況"},
    "compute.field.issues": {"en": "Issues encountered", "ja": "発生した課題"},
    "compute.field.improvement_plan": {"en": "Improvement plan", "ja": "改善案"},
    "compute.error.pick_org": {"en": "Choose an organization.", "ja": "組織を選択してください。"},
    "compute.error.pick_allocation": {
        "en": "Choose a cluster / provider.",
        "ja": "クラスタ / プロバイダを選択してください。",
    },
    "compute.error.allocation_org": {
        "en": "This allocation belongs to another organization; choose one of {org}'s.",
        "ja": "この割当は別の組織のものです。{org} の割当を選択してください。",
    },
    "compute.error.month_outside": {
        "en": "{month} is outside this allocation's period ({start} to {end}).",
        "ja": "{month} はこの割当の期間（{start}〜{end}）外です。",
    },
    "compute.error.month_future": {
        "en": "{month} has not started yet; report months that have begun.",
        "ja": "{month} はまだ始まっていません。開始済みの月を報告してください。",
    },
    "compute.error.prefilled_elsewhere": {
        "en": "This was filled in from your {source} report. Change it for {month}, or clear it.",
        "ja": "{source} の報告から入力された内容です。{month} 用に書き換えるか、消してください。",
    },
    "compute.error.too_long": {
        "en": "At most 3,000 characters ({count} given).",
        "ja": "3,000文字以内で入力してください（現在 {count} 文字）。",
    },
    "compute.confirm.created": {
        "en": "Thank you. Your usage report is recorded: *{org}* · {allocation} · {month}: *{hours} GPU-hours*.",
        "ja": "ご報告ありがとうございます。利用実績を記録しました: *{org}* · {allocation} · {month}: *{hours} GPU時間*。",
    },
    "compute.confirm.revised": {
        "en": "Your report for *{org}* · {allocation} · {month} now reads *{hours} GPU-hours* (revision {revision}; it replaces {previous} GPU-hours).",
        "ja": "*{org}* · {allocation} · {month} の報告を *{hours} GPU時間* に更新しました（第{revision}版。以前の {previous} GPU時間を置き換えました）。",
    },
    "compute.confirm.unchanged": {
        "en": "Your report for *{org}* · {allocation} · {month} already reads {hours} GPU-hours with the same notes; nothing changed.",
        "ja": "*{org}* · {allocation} · {month} の報告はすでに {hours} GPU時間・同じ内容で記録済みです。変更はありません。",
    },
    "compute.channel.title": {"en": "Compute usage report", "ja": "計算資源の利用実績報告"},
    "compute.channel.summary": {
        "en": "<@{user}> reported *{hours} GPU-hours* for {month} on {allocation} (plan {plan}).",
        "ja": "<@{user}> さんが {allocation} の {month} 分として *{hours} GPU時間* を報告しました（計画 {plan}）。",
    },
    "compute.channel.revised": {
        "en": "Revision {revision}: replaces {previous} GPU-hours.",
        "ja": "第{revision}版: 以前の {previous} GPU時間を置き換えます。",
    },
    "compute.channel.imported": {
        "en": "Usage imported from {source} for {allocation}: {months}.",
        "ja": "{source} から {allocation} の利用実績を取り込みました: {months}。",
    },
    "compute.source.sacct": {"en": "Slurm accounting (sacct)", "ja": "Slurm の利用記録（sacct）"},
    "compute.source.focus": {
        "en": "a cloud cost and usage export (FOCUS)",
        "ja": "クラウドの利用明細（FOCUS）",
    },
    "compute.source.csv": {"en": "a usage CSV", "ja": "利用実績のCSV"},
    "compute.no_plan": {"en": "no plan", "ja": "計画なし"},
    "compute.status.title": {"en": "Compute usage: {org}", "ja": "計算資源の利用状況: {org}"},
    "compute.status.allocation": {
        "en": "*{allocation}* · period {start} to {end} · granted {granted} GPU-hours\nReported through {through}: *{used}* of {planned} planned ({percent})",
        "ja": "*{allocation}* · 期間 {start}〜{end} · 割当 {granted} GPU時間\n{through} までの報告: *{used}*（計画 {planned}、{percent}）",
    },
    "compute.status.word.on_track": {"en": "On track", "ja": "計画どおり"},
    "compute.status.word.over_plan": {"en": "Over plan", "ja": "計画超過"},
    "compute.status.word.under_plan": {"en": "Under plan", "ja": "計画未達"},
    "compute.status.word.runs_out": {
        "en": "Will run out on {date}, before the period ends",
        "ja": "期間終了前の {date} に割当を使い切る見込み",
    },
    "compute.status.word.no_data": {"en": "No data yet", "ja": "データなし"},
    "compute.status.forecast": {
        "en": "forecast at period end: {forecast} GPU-hours",
        "ja": "期間終了時の見込み: {forecast} GPU時間",
    },
    "compute.status.missing": {
        "en": "Not yet reported: {months}",
        "ja": "未報告の月: {months}",
    },
    "compute.status.all_reported": {
        "en": "Every month so far is reported.",
        "ja": "これまでの月はすべて報告済みです。",
    },
    "compute.status.no_allocations": {
        "en": "No compute allocation is registered.",
        "ja": "計算資源の割当は登録されていません。",
    },
    # --- alerts ---
    "alert.overuse.title": {"en": "Compute use over plan", "ja": "計算資源の使用が計画を超過"},
    "alert.overuse.body": {
        "en": "*{org}* used *{hours} GPU-hours* on {allocation} in {month}, against a plan of {plan}: *{percent} over plan* (threshold {threshold}).",
        "ja": "*{org}* は {month} に {allocation} で *{hours} GPU時間* を使用しました。計画 {plan} に対し *{percent} 超過* です（しきい値 {threshold}）。",
    },
    "alert.unplanned.body": {
        "en": "*{org}* used *{hours} GPU-hours* on {allocation} in {month}, but no GPU-hours were planned for that month (plan {plan}).",
        "ja": "*{org}* は {month} に {allocation} で *{hours} GPU時間* を使用しましたが、この月の計画は {plan} でした（計画外の使用）。",
    },
    "alert.overuse.todo": {
        "en": "What to do: check the figure is right (resubmit with `/compute report` if not); otherwise tell the secretariat why usage ran over and how the plan for the coming months will change (Explain), or file a change request with `/compute request`.",
        "ja": "対応のお願い: 数値が正しいか確認してください（誤りであれば `/compute report` で再提出）。正しい場合は、超過の理由と今後の計画の見直しを「説明する」から事務局にお知らせいただくか、`/compute request` で割当の変更を申請してください。",
    },
    "alert.overuse.operator_copy": {
        "en": "Copy for the secretariat: alert for {leads} (a DM at night in their time zone waits for their morning).",
        "ja": "事務局向けの写し: {leads} 宛てのアラートです（相手の時間帯で夜間のDMは翌朝に届きます）。",
    },
    "alert.no_leads": {"en": "no org lead registered", "ja": "組織責任者が未登録"},
    "alert.ack_button": {"en": "Acknowledge", "ja": "確認しました"},
    "alert.acknowledged": {
        "en": "Acknowledged by <@{user}>.",
        "ja": "<@{user}> さんが確認しました。",
    },
    # --- uploads ---
    "upload.preview.title": {
        "en": "Import preview: {filename}",
        "ja": "取り込みプレビュー: {filename}",
    },
    "upload.preview.intro": {
        "en": "Read as {format} for *{org}*: {rows} rows. Nothing is stored until you press Import.",
        "ja": "{format} として *{org}* 分を読み込みました（{rows} 行）。「取り込む」を押すまで何も保存されません。",
    },
    "upload.preview.nothing": {
        "en": "This file holds no GPU usage to import.",
        "ja": "このファイルには取り込むGPU使用がありません。",
    },
    "upload.line.new": {
        "en": "• {allocation} · {month}: {after} GPU-hours (new)",
        "ja": "• {allocation} · {month}: {after} GPU時間（新規）",
    },
    "upload.line.replaces": {
        "en": "• {allocation} · {month}: {after} GPU-hours, replacing {before}",
        "ja": "• {allocation} · {month}: {after} GPU時間（現在の {before} を置き換え）",
    },
    "upload.line.same": {
        "en": "• {allocation} · {month}: {after} GPU-hours (already on record; no change)",
        "ja": "• {allocation} · {month}: {after} GPU時間（記録済み・変更なし）",
    },
    "upload.skipped": {
        "en": "Line {line} skipped: {reason}",
        "ja": "{line} 行目をスキップ: {reason}",
    },
    "upload.more_skipped": {
        "en": "… and {count} more skipped rows.",
        "ja": "…ほか {count} 行をスキップしました。",
    },
    "upload.preview.none_importable": {
        "en": "None of this file's GPU usage can be imported:",
        "ja": "このファイルのGPU使用はいずれも取り込めません:",
    },
    "upload.line.not_imported": {
        "en": "• {allocation} · {month}: {after} GPU-hours, not imported: {reason}",
        "ja": "• {allocation} · {month}: {after} GPU時間（取り込みません: {reason}）",
    },
    "upload.line.not_imported_no_hours": {
        "en": "• {allocation} · {month}: not imported: {reason}",
        "ja": "• {allocation} · {month}: 取り込みません（{reason}）",
    },
    "upload.line.more": {
        "en": "• {allocation}: … and {count} more months ({first} to {last}), {hours} GPU-hours: {detail}",
        "ja": "• {allocation}: …ほか {count} か月分（{first}〜{last}）、計 {hours} GPU時間（{detail}）",
    },
    "upload.line.all": {
        "en": "• {allocation}: {count} months ({first} to {last}), {hours} GPU-hours: {detail}",
        "ja": "• {allocation}: {count} か月分（{first}〜{last}）、計 {hours} GPU時間（{detail}）",
    },
    "upload.line.more_not_imported": {
        "en": "• {allocation}: … and {count} more months ({first} to {last}), {hours} GPU-hours, not imported: {reason}",
        "ja": "• {allocation}: …ほか {count} か月分（{first}〜{last}、計 {hours} GPU時間）は取り込みません（{reason}）",
    },
    "upload.line.more_not_imported_no_hours": {
        "en": "• {allocation}: … and {count} more months ({first} to {last}), not imported: {reason}",
        "ja": "• {allocation}: …ほか {count} か月分（{first}〜{last}）は取り込みません（{reason}）",
    },
    "upload.line.all_not_imported": {
        "en": "• {allocation}: {count} months ({first} to {last}), {hours} GPU-hours, not imported: {reason}",
        "ja": "• {allocation}: {count} か月分（{first}〜{last}、計 {hours} GPU時間）は取り込みません（{reason}）",
    },
    "upload.line.all_not_imported_no_hours": {
        "en": "• {allocation}: {count} months ({first} to {last}), not imported: {reason}",
        "ja": "• {allocation}: {count} か月分（{first}〜{last}）は取り込みません（{reason}）",
    },
    "upload.more.new": {"en": "{count} new", "ja": "新規 {count}"},
    "upload.more.replaces": {
        "en": "{count} replacing current figures",
        "ja": "現在の数値の置き換え {count}",
    },
    "upload.more.same": {"en": "{count} already on record", "ja": "記録済み・変更なし {count}"},
    "upload.more.separator": {"en": ", ", "ja": "、"},
    "upload.more_allocations": {
        "en": "… and {count} more allocations: {parts}.",
        "ja": "…ほか {count} 件の割当: {parts}。",
    },
    "upload.more_allocations.months": {
        "en": "{count} months, {hours} GPU-hours ({detail})",
        "ja": "{count} か月分、計 {hours} GPU時間（{detail}）",
    },
    "upload.more_allocations.not_imported": {
        "en": "{count} months not imported ({hours} GPU-hours)",
        "ja": "取り込まない月 {count} か月分（計 {hours} GPU時間）",
    },
    "upload.more_allocations.not_imported_no_hours": {
        "en": "{count} months not imported",
        "ja": "取り込まない月 {count} か月分",
    },
    "upload.reason.outside": {
        "en": "outside the allocation's period ({start} to {end})",
        "ja": "割当期間 {start}〜{end} の外",
    },
    "upload.reason.future": {
        "en": "this month has not started yet",
        "ja": "まだ始まっていない月",
    },
    "upload.changed": {
        "en": "The figures changed since this preview, so nothing was imported: {changes}. Send the file again for a fresh preview.",
        "ja": "このプレビューの作成後に数値が変わったため、何も取り込みませんでした: {changes}。ファイルをもう一度送って、新しいプレビューで確認してください。",
    },
    "upload.changed.item": {
        "en": "{what} is now {now} GPU-hours (the preview was made against {then})",
        "ja": "{what} は現在 {now} GPU時間です（プレビュー時は {then}）",
    },
    "upload.changed.none": {"en": "no figure", "ja": "記録なし"},
    "upload.changed.more": {"en": "and {count} more months", "ja": "ほか {count} か月分"},
    "upload.not_your_org_row": {
        "en": "this row is for {org}; you can only import your own organization's usage.",
        "ja": "この行は {org} のものです。取り込めるのは自分の組織の利用実績のみです。",
    },
    "upload.several_accounts": {
        "en": "The file holds GPU usage of several cloud accounts ({accounts}); send an export of your organization's account only, or ask the secretariat to import it with `kiban import focus --sub-account`.",
        "ja": "ファイルに複数のクラウドアカウント（{accounts}）のGPU使用が含まれています。自組織のアカウントのみの明細を送るか、事務局に `kiban import focus --sub-account` での取り込みを依頼してください。",
    },
    "upload.orgs_in_file": {
        "en": "the organizations named in the file",
        "ja": "ファイル内の各組織",
    },
    "upload.import": {"en": "Import", "ja": "取り込む"},
    "upload.cancel": {"en": "Cancel", "ja": "キャンセル"},
    "upload.imported": {
        "en": "Imported by <@{user}>: {count} month(s) updated.",
        "ja": "<@{user}> さんが取り込みました: {count} か月分を更新しました。",
    },
    "upload.cancelled": {
        "en": "Cancelled by <@{user}>; nothing was stored.",
        "ja": "<@{user}> さんがキャンセルしました。何も保存されていません。",
    },
    "upload.already": {
        "en": "This file was already imported or cancelled.",
        "ja": "このファイルはすでに取り込み済みか、キャンセルされています。",
    },
    "upload.several_orgs": {
        "en": "You belong to several organizations, so Kiban cannot tell whose usage this file is; ask the secretariat to import it with `kiban import`.",
        "ja": "複数の組織に所属しているため、どの組織の利用実績か判断できません。事務局に `kiban import` での取り込みを依頼してください。",
    },
    # --- delivery ---
    "delivery.failed": {
        "en": "Kiban could not deliver these messages (the data is saved):",
        "ja": "Kiban は次のメッセージを送信できませんでした（データは保存済みです）:",
    },
    "delivery.failed_line": {"en": "• to {where}: `{code}`", "ja": "• {where} 宛て: `{code}`"},
    "delivery.invite": {
        "en": "Invite the bot there with `/invite @Kiban`.",
        "ja": "`/invite @Kiban` でボットをチャンネルに招待してください。",
    },
    # --- jobs ---
    "reminder.title": {"en": "Usage report reminder", "ja": "利用実績報告のお願い"},
    "reminder.body": {
        "en": "*{org}* has not yet reported compute usage for {month} on: {allocations}. Please report with `/compute report`.",
        "ja": "*{org}* の {month} 分の利用実績が、次の割当についてまだ報告されていません: {allocations}。`/compute report` で報告してください。",
    },
    "digest.title": {"en": "Weekly compute digest", "ja": "週次 計算資源ダイジェスト"},
    "digest.intro": {
        "en": "Month-to-date GPU-hours against plan for {month}, as of {date}.",
        "ja": "{date} 時点の {month} の使用GPU時間（計画比）です。",
    },
    "digest.org_line": {
        "en": "*{org}*: {used} / {planned} GPU-hours ({percent})",
        "ja": "*{org}*: {used} / {planned} GPU時間（{percent}）",
    },
    "digest.missing": {
        "en": "Not yet reported for {month}: {orgs}",
        "ja": "{month} 分の未報告: {orgs}",
    },
    "digest.all_reported": {
        "en": "Every organization has reported {month}.",
        "ja": "すべての組織が {month} 分を報告済みです。",
    },
    "digest.no_orgs": {
        "en": "No organization has a compute allocation yet.",
        "ja": "計算資源の割当がある組織はまだありません。",
    },
    "input.control_char": {
        "en": "{field}: character {position} is a control character ({code}), which cannot be stored; remove it (tabs and line breaks are fine).",
        "ja": "{field}: {position} 文字目に制御文字（{code}）があり、保存できません。削除してください（タブと改行は使えます）。",
    },
    "input.control_char_here": {
        "en": "Character {position} is a control character ({code}), which cannot be stored; remove it (tabs and line breaks are fine).",
        "ja": "{position} 文字目に制御文字（{code}）があり、保存できません。削除してください（タブと改行は使えます）。",
    },
    "input.bad_char_here": {
        "en": "Character {position} ({code}) is half of a surrogate pair, which cannot be stored; type the character again.",
        "ja": "{position} 文字目（{code}）はサロゲートペアの片方だけで、保存できません。文字を入力し直してください。",
    },
    "input.bad_char": {
        "en": "{field}: character {position} ({code}) is half of a surrogate pair, which cannot be stored; write the character itself (in YAML, \\U0001F600 rather than \\uD83D\\uDE00).",
        "ja": "{field}: {position} 文字目（{code}）はサロゲートペアの片方だけで、保存できません。文字そのものを書いてください（YAML では \\uD83D\\uDE00 ではなく \\U0001F600）。",
    },
    "rsvp.error.gone": {
        "en": "This event was cancelled or cannot be found.",
        "ja": "このイベントは中止されたか、見つかりません。",
    },
    "rsvp.error.closed": {
        "en": "Answers for this event closed at {deadline} (UTC).",
        "ja": "このイベントの回答受付は {deadline}（UTC）に締め切られました。",
    },
    "error.download": {
        "en": "Slack did not give Kiban the file in time. Submit again; nothing was stored.",
        "ja": "Slack からファイルを取得できませんでした。もう一度送信してください（何も保存されていません）。",
    },
    "upload.too_large": {
        "en": "{name} is {size}, over the {limit} Kiban accepts here; nothing was read or stored. Split it, or send only what is asked for. {accepts}",
        "ja": "{name}は{size}あり、ここで受け付ける上限の{limit}を超えています（何も読み込まず、保存していません）。分割するか、求められている内容だけを送ってください。{accepts}",
    },
    "upload.too_large_unknown": {
        "en": "{name} is larger than {limit}, the most Kiban accepts here; nothing was stored. Split it, or send only what is asked for. {accepts}",
        "ja": "{name}が、ここで受け付ける上限の{limit}を超えています（何も保存していません）。分割するか、求められている内容だけを送ってください。{accepts}",
    },
    "upload.compressed": {
        "en": "{name} is a compressed file or archive ({format}); Kiban does not open those. Extract it and send the file inside. {accepts}",
        "ja": "{name}は圧縮ファイルかアーカイブ（{format}）です。Kiban は展開しません。展開して中のファイルを送ってください。{accepts}",
    },
    "upload.spreadsheet": {
        "en": "{name} is a spreadsheet workbook ({format}), not text. Save the sheet as “CSV UTF-8” and send that. {accepts}",
        "ja": "{name}はスプレッドシートのブック（{format}）で、テキストではありません。シートを「CSV UTF-8」で保存して送ってください。{accepts}",
    },
    "upload.not_text": {
        "en": "{name} is not a text file (it is {format}). {accepts}",
        "ja": "{name}はテキストファイルではありません（{format}です）。{accepts}",
    },
    "upload.binary": {
        "en": "{name} is not a text file (it contains binary data). {accepts}",
        "ja": "{name}はテキストファイルではありません（バイナリのデータを含みます）。{accepts}",
    },
    "upload.utf16": {
        "en": "{name} is saved as UTF-16; save it as UTF-8 (in Excel: “CSV UTF-8”) and send it again. {accepts}",
        "ja": "{name}はUTF-16で保存されています。UTF-8（Excelでは「CSV UTF-8」）で保存し直して送ってください。{accepts}",
    },
    "upload.accepts.usage": {
        "en": "Accepted here: sacct --parsable2 output with its header line, a FOCUS cost-and-usage export (CSV), or a usage CSV (organization,month,provider,gpu_type,gpu_hours), as uncompressed UTF-8 text (.txt, .csv, …); evaluation results (.json) go to `/eval submit`.",
        "ja": "ここで受け付けるもの: ヘッダー行付きの sacct --parsable2 の出力、FOCUS のコスト・使用量エクスポート（CSV）、利用実績のCSV（organization,month,provider,gpu_type,gpu_hours）。圧縮していないUTF-8のテキスト（.txt、.csv など）で送ってください。評価結果（.json）は `/eval submit` へ。",
    },
    "upload.accepts.eval": {
        "en": "Accepted here: an lm-evaluation-harness results JSON, an llm-jp-eval score JSON, or a CSV with the header task,metric,value (.json or .csv, UTF-8).",
        "ja": "ここで受け付けるもの: lm-evaluation-harness の結果JSON、llm-jp-eval のスコアJSON、またはヘッダー行が task,metric,value のCSV（.json か .csv、UTF-8）。",
    },
    "upload.accepts.calendar": {
        "en": "Accepted here: an iCalendar file (.ics) in UTF-8, UTF-16 or Shift_JIS.",
        "ja": "ここで受け付けるもの: iCalendar ファイル（.ics。UTF-8、UTF-16、Shift_JIS）。",
    },
    "upload.accepts.applicants": {
        "en": "Accepted here: a CSV of applicants (.csv, UTF-8 or Shift_JIS).",
        "ja": "ここで受け付けるもの: 申請者一覧のCSV（.csv。UTF-8 または Shift_JIS）。",
    },
    "upload.accepts.text": {
        "en": "Kiban reads uncompressed text files only (CSV, JSON, iCalendar).",
        "ja": "Kiban が読めるのは圧縮していないテキストファイル（CSV、JSON、iCalendar）だけです。",
    },
}
