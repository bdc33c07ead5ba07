"""Messages of the governance best-practice library (issue #9): `/practice`, the message
shortcut **Add to best practices** and its modal, the operators' review queue, the
submitter's DMs, search, the list by area and the quarterly digest."""

CATALOG: dict[str, dict[str, str]] = {
    "practice.help": {
        "en": "*`/practice` — the governance best-practice library*\n• `/practice add` — share a best practice (reviewed by the secretariat before anyone sees it; you may stay anonymous)\n• In any message: ⋮ → *Add to best practices*\n• `/practice search WORDS` — approved practices containing every word (Japanese or English)\n• `/practice list [area]` — approved practices by area (data governance, safety evaluation, security, licensing, privacy, compute operations, other)\n• `/practice queue` — operators: the submissions waiting for review",
        "ja": "*`/practice` — ガバナンスのベストプラクティス集*\n• `/practice add` — ベストプラクティスを共有する（事務局の確認後に公開。匿名も可）\n• 任意のメッセージの ⋮ → *Add to best practices*（ベストプラクティスに追加）\n• `/practice search 語句` — すべての語句を含む公開済みのプラクティス（日本語・英語）\n• `/practice list [分野]` — 分野別の公開済みプラクティス（データガバナンス、安全性評価、セキュリティ、ライセンス・著作権、プライバシー、計算資源の運用、その他）\n• `/practice queue` — 事務局: 確認待ちの投稿",
    },
    "practice.unknown_subcommand": {
        "en": "`/practice {sub}` is not a Kiban command.",
        "ja": "`/practice {sub}` というコマンドはありません。",
    },
    # --- areas and labels ---
    "practice.area.data_governance": {"en": "Data governance", "ja": "データガバナンス"},
    "practice.area.safety_evaluation": {"en": "Safety evaluation", "ja": "安全性評価"},
    "practice.area.security": {"en": "Security", "ja": "セキュリティ"},
    "practice.area.licensing": {"en": "Licensing and copyright", "ja": "ライセンス・著作権"},
    "practice.area.privacy": {"en": "Privacy", "ja": "プライバシー"},
    "practice.area.compute_operations": {"en": "Compute operations", "ja": "計算資源の運用"},
    "practice.area.other": {"en": "Other", "ja": "その他"},
    "practice.area_heading": {"en": "*{area}* ({count})", "ja": "*{area}*（{count} 件）"},
    "practice.anonymous": {"en": "Anonymous", "ja": "匿名"},
    "practice.line_facts": {"en": "({facts})", "ja": "（{facts}）"},
    "practice.source_label": {"en": "source", "ja": "出典"},
    "practice.status.pending": {"en": "waiting for review", "ja": "確認待ち"},
    "practice.status.approved": {"en": "approved", "ja": "承認済み"},
    "practice.status.rejected": {"en": "rejected", "ja": "却下済み"},
    "practice.more": {
        "en": "…and {count} more not shown.",
        "ja": "ほか {count} 件は表示していません。",
    },
    "practice.more_hint": {
        "en": "…and {count} more not shown: use `/practice list AREA` or `/practice search WORDS`.",
        "ja": "ほか {count} 件は表示していません。`/practice list 分野` または `/practice search 語句` をお使いください。",
    },
    "practice.reason": {"en": "Reason: {text}", "ja": "理由: {text}"},
    # --- the add modal ---
    "practice.modal.title": {"en": "Add to best practices", "ja": "ベストプラクティスに追加"},
    "practice.modal.submit": {"en": "Send for review", "ja": "確認に送る"},
    "practice.modal.close": {"en": "Cancel", "ja": "キャンセル"},
    "practice.modal.done": {"en": "Close", "ja": "閉じる"},
    "practice.modal.title_field": {"en": "Title", "ja": "タイトル"},
    "practice.modal.body": {"en": "Practice", "ja": "プラクティスの内容"},
    "practice.modal.area": {"en": "Area", "ja": "分野"},
    "practice.modal.source": {"en": "Source link", "ja": "出典リンク"},
    "practice.modal.source_hint": {
        "en": "Optional: a web page (https://…) about it. A link to a Slack message shows who wrote that message: remove it to stay anonymous.",
        "ja": "任意: 参考となるウェブページ（https://…）。Slack メッセージへのリンクは投稿者が分かるため、匿名にする場合は削除してください。",
    },
    "practice.modal.org": {"en": "Organization", "ja": "組織"},
    "practice.modal.org_hint": {
        "en": "Shown with the practice once approved. Anonymous: no organization and no name are shown to anyone, the secretariat included.",
        "ja": "承認後、プラクティスとともに表示されます。匿名の場合、組織名も氏名も誰にも（事務局にも）表示されません。",
    },
    "practice.modal.review_note": {
        "en": "The secretariat reviews each practice before it is visible; you will hear the decision in a DM.",
        "ja": "事務局が確認してから公開します。結果は DM でお知らせします。",
    },
    "practice.modal.from": {
        "en": "From a message in <#{channel}>.",
        "ja": "<#{channel}> のメッセージから。",
    },
    "practice.modal.edit_title": {"en": "Edit best practice", "ja": "プラクティスを編集"},
    "practice.modal.save": {"en": "Save", "ja": "保存"},
    "practice.modal.org_fixed": {
        "en": "Organization: {org} (not changed here).",
        "ja": "組織: {org}（ここでは変更できません）。",
    },
    "practice.modal.reject_title": {"en": "Reject best practice", "ja": "プラクティスを却下"},
    "practice.modal.reason": {"en": "Reason", "ja": "理由"},
    "practice.modal.reason_hint": {
        "en": "Sent to the person who submitted it.",
        "ja": "投稿した人に送られます。",
    },
    "practice.modal.queue_title": {"en": "Best practices", "ja": "ベストプラクティス"},
    # --- errors ---
    "practice.error.required": {"en": "Please fill this in.", "ja": "入力してください。"},
    "practice.error.title_too_long": {
        "en": "The title is longer than {limit} characters; please shorten it.",
        "ja": "タイトルが {limit} 文字を超えています。短くしてください。",
    },
    "practice.error.body_too_long": {
        "en": "The practice is longer than {limit} characters; please shorten it or link to the rest.",
        "ja": "内容が {limit} 文字を超えています。短くするか、続きはリンクで示してください。",
    },
    "practice.error.reason_too_long": {
        "en": "The reason is longer than {limit} characters; please shorten it.",
        "ja": "理由が {limit} 文字を超えています。短くしてください。",
    },
    "practice.error.bad_area_choice": {"en": "Choose an area.", "ja": "分野を選んでください。"},
    "practice.error.bad_link": {
        "en": "`{url}` is not a web link: give a full address starting with `https://` (or `http://`), or leave the field empty.",
        "ja": "`{url}` はウェブのリンクではありません。`https://`（または `http://`）で始まる完全なアドレスを入力するか、空欄にしてください。",
    },
    "practice.error.not_your_org": {
        "en": "You can attribute a practice only to an organization you belong to, or share it anonymously.",
        "ja": "プラクティスは所属する組織の名前でのみ共有できます。または匿名を選んでください。",
    },
    "practice.error.no_words": {
        "en": "Search for what? Use `/practice search WORDS`, e.g. `/practice search 個人情報 マスキング` or `/practice search red teaming`.",
        "ja": "検索する語句を指定してください。`/practice search 語句`（例: `/practice search 個人情報 マスキング`、`/practice search red teaming`）。",
    },
    "practice.error.bad_area": {
        "en": "`{area}` is not an area of the library. The areas are:\n{areas}",
        "ja": "`{area}` という分野はありません。分野は次のとおりです:\n{areas}",
    },
    "practice.error.gone": {
        "en": "That best practice no longer exists.",
        "ja": "そのプラクティスはもう存在しません。",
    },
    "practice.error.decided": {
        "en": "This best practice was already {status} by <@{user}>; nothing was changed.",
        "ja": "このプラクティスはすでに{status}です（<@{user}>）。変更はありません。",
    },
    "practice.error.edited": {
        "en": "This best practice was edited since you saw it (now revision {revision}). Look at the updated entry, then decide.",
        "ja": "このプラクティスは表示後に編集されました（現在 第 {revision} 版）。更新後の内容を確認してから判断してください。",
    },
    # --- the queue ---
    "practice.queue.post_title": {
        "en": "Best practice #{id} for review",
        "ja": "ベストプラクティス #{id} の確認",
    },
    "practice.queue.facts": {
        "en": "{facts} · revision {revision}",
        "ja": "{facts} · 第 {revision} 版",
    },
    "practice.queue.header": {
        "en": "Best practices waiting for review ({count})",
        "ja": "確認待ちのベストプラクティス（{count} 件）",
    },
    "practice.queue.empty": {
        "en": "No best practice is waiting for review.",
        "ja": "確認待ちのベストプラクティスはありません。",
    },
    "practice.queue.hint": {
        "en": "Approve makes a practice visible to everyone; Reject sends your reason to the submitter. Who submitted is never shown.",
        "ja": "承認すると全員に公開されます。却下すると理由が投稿者に送られます。投稿者は表示されません。",
    },
    "practice.approve": {"en": "Approve", "ja": "承認"},
    "practice.edit": {"en": "Edit", "ja": "編集"},
    "practice.reject": {"en": "Reject", "ja": "却下"},
    "practice.decided.approved": {
        "en": ":white_check_mark: Approved by <@{user}> {at}.",
        "ja": ":white_check_mark: <@{user}> が承認しました（{at}）。",
    },
    "practice.decided.rejected": {
        "en": ":x: Rejected by <@{user}> {at}.",
        "ja": ":x: <@{user}> が却下しました（{at}）。",
    },
    "practice.approved_answer": {
        "en": "Approved: “{title}” is now in the library.",
        "ja": "承認しました: 「{title}」を公開しました。",
    },
    "practice.rejected_answer": {
        "en": "Rejected: “{title}”. The submitter gets your reason.",
        "ja": "却下しました: 「{title}」。理由は投稿者に送られます。",
    },
    "practice.edited_answer": {
        "en": "Saved “{title}” (revision {revision}); it still waits for a decision.",
        "ja": "「{title}」を保存しました（第 {revision} 版）。引き続き判断待ちです。",
    },
    # --- the submitter's DMs ---
    "practice.receipt": {
        "en": "Thank you: your best practice “{title}” ({facts}) was sent to the secretariat for review. It becomes visible once approved; you will hear the decision here.",
        "ja": "ありがとうございます。ベストプラクティス「{title}」（{facts}）を事務局の確認に送りました。承認後に公開されます。結果はここでお知らせします。",
    },
    "practice.dm.approved": {
        "en": "Your best practice “{title}” was approved by the secretariat and is now in the library (`/practice search`).",
        "ja": "ベストプラクティス「{title}」が事務局に承認され、公開されました（`/practice search` で検索できます）。",
    },
    "practice.dm.rejected": {
        "en": "Your best practice “{title}” was not accepted by the secretariat.",
        "ja": "ベストプラクティス「{title}」は事務局により採用されませんでした。",
    },
    # --- search and list ---
    "practice.search.header": {
        "en": "Best practices matching “{query}” ({count})",
        "ja": "「{query}」に一致するベストプラクティス（{count} 件）",
    },
    "practice.search.none": {
        "en": "No approved best practice contains every word of “{query}”. Try fewer words, or `/practice list`.",
        "ja": "「{query}」のすべての語句を含む公開済みのプラクティスはありません。語句を減らすか、`/practice list` をお試しください。",
    },
    "practice.search.more": {
        "en": "…and {count} more: add a word to narrow the search.",
        "ja": "ほか {count} 件あります。語句を追加して絞り込んでください。",
    },
    "practice.list.header": {
        "en": "Best practices ({count})",
        "ja": "ベストプラクティス（{count} 件）",
    },
    "practice.list.header_area": {
        "en": "Best practices · {area} ({count})",
        "ja": "ベストプラクティス · {area}（{count} 件）",
    },
    "practice.list.empty": {
        "en": "No approved best practice here yet. Share one with `/practice add`.",
        "ja": "公開済みのプラクティスはまだありません。`/practice add` で共有できます。",
    },
    # --- the quarterly digest ---
    "practice.digest.quarter": {"en": "FY{year} Q{q}", "ja": "{year}年度 第{q}四半期"},
    "practice.digest.header": {
        "en": "Best practices approved in {quarter}",
        "ja": "{quarter}に公開されたベストプラクティス",
    },
    "practice.digest.intro": {
        "en": "{count} governance best practices shared by the community and reviewed by the secretariat. Find more with `/practice search`.",
        "ja": "コミュニティから共有され事務局が確認したガバナンスのベストプラクティス {count} 件です。`/practice search` で検索できます。",
    },
}
