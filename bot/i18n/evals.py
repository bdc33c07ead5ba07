"""Messages of evaluation-result submission, review, publication, status and flags.
Placeholders are filled with values the caller has already escaped for mrkdwn."""

CATALOG: dict[str, dict[str, str]] = {
    # --- the submit modal ---
    "eval.modal.title": {"en": "Submit eval results", "ja": "評価結果の提出"},
    "eval.modal.submit": {"en": "Submit", "ja": "提出する"},
    "eval.modal.close": {"en": "Cancel", "ja": "キャンセル"},
    "eval.modal.intro": {
        "en": "Attach the lm-evaluation-harness results JSON (current or v0.3 layout), an llm-jp-eval score file, or a CSV `task,metric,value[,stderr,n_shot]`. Kiban checks it against the programme's standard suite; the secretariat reviews it before it is published inside the group.",
        "ja": "lm-evaluation-harness の結果 JSON（現行または v0.3 形式）、llm-jp-eval のスコアファイル、または CSV（`task,metric,value[,stderr,n_shot]`）を添付してください。Kiban がプログラムの標準評価セットと照合し、事務局の確認後にグループ内で公開されます。",
    },
    "eval.field.org": {"en": "Organization", "ja": "組織"},
    "eval.field.model": {"en": "Model name", "ja": "モデル名"},
    "eval.field.revision": {
        "en": "Model revision (commit, checkpoint or tag)",
        "ja": "モデルのリビジョン（コミット・チェックポイント・タグ）",
    },
    "eval.field.params": {"en": "Parameters (B)", "ja": "パラメータ数（B）"},
    "eval.field.type": {"en": "Model type", "ja": "モデルの種類"},
    "eval.field.file": {"en": "Results file", "ja": "結果ファイル"},
    "eval.field.notes": {"en": "Notes", "ja": "備考"},
    "eval.field.link": {"en": "Evidence link", "ja": "根拠のリンク"},
    "eval.type.pretrained": {"en": "Pretrained", "ja": "事前学習"},
    "eval.type.continual": {"en": "Continually pretrained", "ja": "継続事前学習"},
    "eval.type.instruction": {"en": "Instruction-tuned", "ja": "指示チューニング"},
    "eval.type.chat": {"en": "Chat", "ja": "チャット"},
    "eval.type.merged": {"en": "Merged", "ja": "マージ"},
    "eval.error.required": {"en": "Enter this field.", "ja": "入力してください。"},
    "eval.error.pick": {"en": "Choose one.", "ja": "選択してください。"},
    "eval.error.params": {
        "en": "Write the number of parameters in billions, e.g. 7 or 0.5 (between 0 and 10,000).",
        "ja": "パラメータ数は10億単位の数値で入力してください（例: 7、0.5。0〜10,000）。",
    },
    "eval.error.link": {
        "en": "Give one link starting with https:// (no spaces, <, > or |).",
        "ja": "https:// で始まるリンクを1つ入力してください（空白・<・>・| は使えません）。",
    },
    "eval.error.one_file": {
        "en": "Attach one results file.",
        "ja": "結果ファイルを1つ添付してください。",
    },
    "eval.error.too_large": {
        "en": "The file is larger than 10 MB, the most Kiban reads for evaluation results; results files are normally far smaller: attach the harness's results JSON, not the per-sample logs.",
        "ja": "ファイルが評価結果の上限 10 MB を超えています。通常の結果ファイルはずっと小さいため、サンプルごとのログではなくハーネスの結果 JSON を添付してください。",
    },
    "eval.error.gone": {
        "en": "This submission no longer exists, or is not published.",
        "ja": "この提出は存在しないか、公開されていません。",
    },
    "eval.error.filetype": {
        "en": "“{name}” is not a .json or .csv file.",
        "ja": "「{name}」は .json でも .csv でもありません。",
    },
    "eval.no_results_channel": {
        "en": "Approved, but no results channel is configured (EVAL_RESULTS_CHANNEL), so nothing is published yet; it will be once the channel is set.",
        "ja": "承認しましたが、結果の公開チャンネル（EVAL_RESULTS_CHANNEL）が設定されていないため、まだ公開されていません。設定後に公開されます。",
    },
    "eval.error.operator": {
        "en": "The secretariat does not submit evaluation results; organizations do. To review submissions, use the Review button in the secretariat's channel; `/eval status` lists them all.",
        "ja": "事務局は評価結果を提出しません（提出は各組織が行います）。審査は事務局チャンネルの「審査する」ボタンから、一覧は `/eval status` で確認できます。",
    },
    "eval.dm_offer": {
        "en": "This looks like evaluation results, not a usage file. Submit them for review with `/eval submit` (or the button), and attach the file there with the model's name and revision.",
        "ja": "利用実績ではなく評価結果のファイルのようです。`/eval submit`（またはボタン）から、モデル名・リビジョンとともにファイルを添付して提出してください。",
    },
    # --- receipt and the validator's report ---
    "eval.receipt.title": {"en": "Evaluation results received", "ja": "評価結果を受け付けました"},
    "eval.receipt.body": {
        "en": "Submission #{id}: *{model}* `{revision}` for {org}, read as {format} ({scores} scores). The secretariat reviews it next; follow it with `/eval status`.",
        "ja": "提出 #{id}: {org} の *{model}* `{revision}`（{format} 形式、スコア {scores} 件）。次に事務局が確認します。状況は `/eval status` で確認できます。",
    },
    "eval.report.headlines": {"en": "*Headline scores*", "ja": "*主要スコア*"},
    "eval.report.headline": {
        "en": "• {benchmark}: *{value}* ({metric}{filter}, {shots})",
        "ja": "• {benchmark}: *{value}*（{metric}{filter}、{shots}）",
    },
    "eval.report.shots": {"en": "{n}-shot", "ja": "{n}-shot"},
    "eval.report.no_shots": {"en": "n-shot not given", "ja": "n-shot 不明"},
    "eval.report.missing": {"en": "missing", "ja": "欠損"},
    "eval.report.none": {
        "en": "No benchmark of the standard suite was found in this file.",
        "ja": "標準評価セットのベンチマークが見つかりませんでした。",
    },
    "eval.report.problems": {"en": "*Checks*", "ja": "*確認事項*"},
    "eval.report.ok": {"en": "All checks passed.", "ja": "すべての確認を通過しました。"},
    "eval.report.rejected": {
        "en": ":no_entry: The validator rejects this run; an operator can still approve it with a reason (override).",
        "ja": ":no_entry: 検証で不合格です。事務局が理由を付けて承認（上書き）することはできます。",
    },
    "eval.severity.reject": {"en": "rejected", "ja": "不合格"},
    "eval.severity.flag": {"en": "flagged", "ja": "要確認"},
    "eval.severity.note": {"en": "note", "ja": "参考"},
    # --- review ---
    "eval.review.title": {"en": "Evaluation results #{id}", "ja": "評価結果 #{id}"},
    "eval.review.meta": {
        "en": "{org} · *{model}* `{revision}` · {params} · {type} · from <@{user}>",
        "ja": "{org} · *{model}* `{revision}` · {params} · {type} · 提出者 <@{user}>",
    },
    "eval.review.notes": {"en": "*Notes:* {text}", "ja": "*備考:* {text}"},
    "eval.review.link": {"en": "Evidence: <{url}>", "ja": "根拠: <{url}>"},
    "eval.review.button": {"en": "Review", "ja": "審査する"},
    "eval.review.modal": {"en": "Review results", "ja": "評価結果の審査"},
    "eval.review.submit": {"en": "Decide", "ja": "決定する"},
    "eval.review.decision": {"en": "Decision", "ja": "決定"},
    "eval.review.approve": {"en": "Approve", "ja": "承認"},
    "eval.review.changes": {"en": "Request changes", "ja": "修正を依頼"},
    "eval.review.reject": {"en": "Reject", "ja": "却下"},
    "eval.review.reason": {
        "en": "Reason (sent to the submitter; required to reject, to request changes, or to override the validator)",
        "ja": "理由（提出者に送られます。却下・修正依頼・検証結果の上書きには必須）",
    },
    "eval.review.embargo": {
        "en": "Publish at (optional embargo; empty: at once)",
        "ja": "公開日時（任意の解禁日時。空欄なら即時）",
    },
    "eval.review.reason_needed": {
        "en": "Give a reason: it is sent to the submitter.",
        "ja": "理由を入力してください（提出者に送られます）。",
    },
    "eval.review.override_needed": {
        "en": "The validator rejected this run: approving it needs a reason (the override is recorded).",
        "ja": "検証で不合格の結果です。承認するには理由が必要です（上書きとして記録されます）。",
    },
    "eval.review.duplicate_needed": {
        "en": "Results for this model revision and benchmark were published since it was submitted: approving it too needs a reason (recorded as an override).",
        "ja": "提出後に同じモデル・リビジョン・ベンチマークの結果が公開されています。承認するには理由が必要です（上書きとして記録されます）。",
    },
    "eval.review.embargo_past": {
        "en": "The embargo time is in the past; leave it empty to publish at once.",
        "ja": "解禁日時が過去です。即時公開する場合は空欄にしてください。",
    },
    "eval.review.already": {
        "en": "Submission #{id} was already {status} by <@{user}>.",
        "ja": "提出 #{id} は <@{user}> がすでに「{status}」にしました。",
    },
    "eval.review.decided": {
        "en": "{status} by <@{user}>{embargo}{reason}",
        "ja": "<@{user}> が{status}{embargo}{reason}",
    },
    "eval.decided.approved": {"en": "Approved", "ja": "承認"},
    "eval.decided.published": {"en": "Approved and published", "ja": "承認・公開"},
    "eval.decided.changes_requested": {"en": "Changes requested", "ja": "修正を依頼"},
    "eval.decided.rejected": {"en": "Rejected", "ja": "却下"},
    "eval.review.embargo_note": {"en": " (publish at {at})", "ja": "（公開 {at}）"},
    "eval.status.submitted": {"en": "in review", "ja": "審査中"},
    "eval.status.changes_requested": {"en": "changes requested", "ja": "修正依頼"},
    "eval.status.approved": {"en": "approved", "ja": "承認"},
    "eval.status.published": {"en": "published", "ja": "公開済み"},
    "eval.status.rejected": {"en": "rejected", "ja": "却下"},
    "eval.decision_dm": {
        "en": "Your evaluation results #{id} (*{model}* `{revision}`): *{status}* by <@{user}>.",
        "ja": "評価結果 #{id}（*{model}* `{revision}`）: <@{user}> が*{status}*しました。",
    },
    "eval.decision_reason": {"en": "*Reason:* {text}", "ja": "*理由:* {text}"},
    "eval.decision_embargo": {
        "en": "They will be published inside the group at {at}.",
        "ja": "{at} にグループ内で公開されます。",
    },
    # --- publication and flags ---
    "eval.published.title": {"en": "Evaluation results published", "ja": "評価結果の公開"},
    "eval.published.meta": {
        "en": "{org} · *{model}* `{revision}` · {params} · {type} · published {date}",
        "ja": "{org} · *{model}* `{revision}` · {params} · {type} · 公開 {date}",
    },
    "eval.published.override": {
        "en": ":warning: Published by exception: the run did not pass the standard checks ({reason}).",
        "ja": ":warning: 例外として公開: 標準の確認を通過していない結果です（{reason}）。",
    },
    "eval.published.confidential": {
        "en": "Inside the programme group only: do not share outside.",
        "ja": "プログラム参加者内限り。外部に共有しないでください。",
    },
    "eval.published_dm": {
        "en": "Your evaluation results #{id} (*{model}* `{revision}`) are now published in <#{channel}>.",
        "ja": "評価結果 #{id}（*{model}* `{revision}`）を <#{channel}> に公開しました。",
    },
    "eval.flag.button": {"en": "Flag", "ja": "指摘する"},
    "eval.flag.modal": {"en": "Flag this result", "ja": "結果への指摘"},
    "eval.flag.submit": {"en": "Send", "ja": "送信"},
    "eval.flag.reason": {"en": "What is wrong with it?", "ja": "指摘の内容"},
    "eval.flag.marker": {
        "en": ":triangular_flag_on_post: Flagged by <@{user}>: {reason}",
        "ja": ":triangular_flag_on_post: <@{user}> さんからの指摘: {reason}",
    },
    "eval.flag.operator": {
        "en": "Flag on evaluation results #{id} from <@{user}>: {reason}",
        "ja": "評価結果 #{id} に <@{user}> さんから指摘: {reason}",
    },
    "eval.flag.resolve": {"en": "Resolve", "ja": "対応済みにする"},
    "eval.flag.resolved": {
        "en": "Resolved by <@{user}>; the flag is off the published result.",
        "ja": "<@{user}> が対応済みにしました。公開結果から指摘の表示を外しました。",
    },
    "eval.flag.thanks": {
        "en": "Thank you: the secretariat has your flag on #{id}.",
        "ja": "ありがとうございます。#{id} への指摘を事務局に送りました。",
    },
    "eval.flag.not_group": {
        "en": "Only members of the programme's organizations can flag results.",
        "ja": "結果への指摘はプログラム参加組織のメンバーのみが行えます。",
    },
    # --- status and help ---
    "eval.status.title": {"en": "Your evaluation submissions", "ja": "評価結果の提出状況"},
    "eval.status.empty": {"en": "No submissions yet.", "ja": "提出はまだありません。"},
    "eval.status.line": {
        "en": "#{id} *{model}* `{revision}` ({org}): *{status}* · submitted {date}",
        "ja": "#{id} *{model}* `{revision}`（{org}）: *{status}* · 提出 {date}",
    },
    "eval.status.more": {
        "en": "… and {count} older submission(s) not shown.",
        "ja": "… ほかに古い提出が {count} 件あります（表示していません）。",
    },
    "eval.help": {
        "en": "*Evaluation results (`/eval`)*\n• `/eval submit`: submit a results file for review\n• `/eval status`: your organization's submissions and their status\n• `/eval leaderboard [benchmark] [--best]`: published results\n• `/eval history [model]`: your organization's results over time, with a chart\n• `/eval help`: this list",
        "ja": "*評価結果（`/eval`）*\n• `/eval submit`: 結果ファイルを提出して審査を依頼\n• `/eval status`: 組織の提出と状況\n• `/eval leaderboard [ベンチマーク] [--best]`: 公開済みの結果\n• `/eval history [モデル]`: 組織の結果の推移（グラフ付き）\n• `/eval help`: この一覧",
    },
    "eval.unknown_subcommand": {
        "en": "I don't know `/eval {sub}`.",
        "ja": "`/eval {sub}` というコマンドはありません。",
    },
}
