"""Messages of collecting trend items (issue #8): `/trend add|list|help`, the message shortcut
**Add to trend report**, the operators' theme select and the feed reports."""

CATALOG: dict[str, dict[str, str]] = {
    "trend.help": {
        "en": "*`/trend` — links for the monthly trend report*\n• `/trend add URL [note]` — collect a link (a note says why it matters)\n• `/trend list [YYYY-MM]` — this month's items (members: the ones you added; operators: all, with their theme)\n• `/trend draft [YYYY-MM]` — operators: draft the month's report now (default: last month) into the secretariat channel\n• In any message with a link: ⋮ → *Add to trend report*",
        "ja": "*`/trend` — 月次の動向調査レポート用のリンク*\n• `/trend add URL [メモ]` — リンクを登録する（メモには注目点を）\n• `/trend list [YYYY-MM]` — 今月の登録（メンバー: 自分が登録したもの、事務局: すべてとテーマ）\n• `/trend draft [YYYY-MM]` — 事務局: その月のレポート案を今すぐ作成（既定: 先月）し事務局チャンネルに投稿\n• リンクを含むメッセージの ⋮ → *Add to trend report*（動向調査に追加）",
    },
    "trend.drafting": {
        "en": "Drafting the {month} trend report: it will appear in the secretariat channel.",
        "ja": "{month} の動向レポート案を作成しています。事務局チャンネルに投稿します。",
    },
    "trend.error.credentials": {
        "en": "That link contains a user name or password: Kiban does not collect it. Send the address without them.",
        "ja": "このリンクにはユーザー名またはパスワードが含まれているため登録しません。それらを除いたアドレスを送ってください。",
    },
    "trend.error.month_not_over": {
        "en": "{month} is not over yet: a month's report is drafted once it has ended (the default is last month).",
        "ja": "{month} はまだ終わっていません。レポート案は月が終わってから作成します（既定は先月です）。",
    },
    "trend.unknown_subcommand": {
        "en": "`/trend {sub}` is not a Kiban command.",
        "ja": "`/trend {sub}` というコマンドはありません。",
    },
    # --- errors ---
    "trend.error.bad_url": {
        "en": "`{url}` is not a web link Kiban can collect. Give a full address starting with `https://` (or `http://`), e.g. `/trend add https://example.com/article`.",
        "ja": "`{url}` は登録できるウェブのリンクではありません。`https://`（または `http://`）で始まる完全なアドレスを指定してください（例: `/trend add https://example.com/article`）。",
    },
    "trend.error.url_too_long": {
        "en": "That link is longer than {limit} characters; please share a shorter address for the same page.",
        "ja": "リンクが {limit} 文字を超えています。同じページの短いアドレスを指定してください。",
    },
    "trend.error.no_url": {
        "en": "Which link? Use `/trend add URL [note]`, e.g. `/trend add https://example.com/article Interesting benchmark`.",
        "ja": "リンクを指定してください。`/trend add URL [メモ]`（例: `/trend add https://example.com/article 注目のベンチマーク`）。",
    },
    "trend.error.note_too_long": {
        "en": "The note is longer than {limit} characters; please shorten it.",
        "ja": "メモが {limit} 文字を超えています。短くしてください。",
    },
    "trend.error.no_link": {
        "en": "That message has no web link to add to the trend report. Use the shortcut on a message that contains one, or `/trend add URL [note]`.",
        "ja": "このメッセージには動向調査に追加できるリンクがありません。リンクを含むメッセージでショートカットを使うか、`/trend add URL [メモ]` を実行してください。",
    },
    "trend.error.unknown_item": {
        "en": "That trend item no longer exists.",
        "ja": "その項目はもう存在しません。",
    },
    "trend.error.bad_theme": {
        "en": "That is not a theme of the trend report.",
        "ja": "動向調査レポートのテーマではありません。",
    },
    # --- replies ---
    "trend.added": {
        "en": "Added to the trend report for {month}: {url}\nTheme: {theme}. Kiban fetches the page title in a moment.",
        "ja": "{month} の動向調査に追加しました: {url}\nテーマ: {theme}。ページのタイトルはまもなく取得します。",
    },
    "trend.merged": {
        "en": "Already collected for {month}: {url}. Nothing new was added.",
        "ja": "{month} の動向調査に登録済みです: {url}。新たな追加はありません。",
    },
    "trend.merged_note": {
        "en": "Already collected for {month}: {url}. Merged: your note was added to it.",
        "ja": "{month} の動向調査に登録済みです: {url}。統合し、あなたのメモを追記しました。",
    },
    "trend.theme_set": {
        "en": "Theme of “{title}” set to *{theme}*.",
        "ja": "「{title}」のテーマを *{theme}* にしました。",
    },
    # --- themes and sources ---
    "trend.theme.international": {
        "en": "International development",
        "ja": "国際的な開発動向",
    },
    "trend.theme.use_cases": {
        "en": "Use cases and data utilisation",
        "ja": "先進的な活用事例とデータ利活用",
    },
    "trend.theme.economic": {
        "en": "Economic and productivity effects",
        "ja": "経済・生産性への効果",
    },
    "trend.theme.other": {"en": "Other", "ja": "その他"},
    "trend.source.command": {"en": "/trend add", "ja": "/trend add"},
    "trend.source.shortcut": {"en": "shortcut", "ja": "ショートカット"},
    "trend.source.feed": {"en": "feed {feed}", "ja": "フィード {feed}"},
    "trend.theme_by.llm": {"en": "theme by the LLM", "ja": "テーマ: LLM 判定"},
    "trend.theme_by.rules": {"en": "theme by keywords", "ja": "テーマ: キーワード判定"},
    "trend.theme_by.operator": {"en": "theme set by the secretariat", "ja": "テーマ: 事務局が設定"},
    # --- /trend list ---
    "trend.list.header": {
        "en": "Trend items · {month} ({count})",
        "ja": "動向調査の登録 · {month}（{count} 件）",
    },
    "trend.list.header_mine": {
        "en": "Your trend items · {month} ({count})",
        "ja": "あなたの動向調査の登録 · {month}（{count} 件）",
    },
    "trend.list.empty": {
        "en": "No trend items for {month} yet. Add one with `/trend add URL [note]`.",
        "ja": "{month} の登録はまだありません。`/trend add URL [メモ]` で追加できます。",
    },
    "trend.list.more": {
        "en": "…and {count} more not shown.",
        "ja": "ほか {count} 件は表示していません。",
    },
    "trend.list.operator_hint": {
        "en": "Change an item's theme with its menu; the monthly draft groups items by theme.",
        "ja": "各項目のメニューでテーマを変更できます。月次の下書きはテーマごとにまとめられます。",
    },
    "trend.list.added_by": {"en": "added by {who}", "ja": "登録: {who}"},
    "trend.list.theme_placeholder": {"en": "Theme", "ja": "テーマ"},
    # --- the shortcut's modal ---
    "trend.modal.title": {"en": "Add to trend report", "ja": "動向調査に追加"},
    "trend.modal.submit": {"en": "Add", "ja": "追加"},
    "trend.modal.close": {"en": "Cancel", "ja": "キャンセル"},
    "trend.modal.done": {"en": "Close", "ja": "閉じる"},
    "trend.modal.url": {"en": "Link", "ja": "リンク"},
    "trend.modal.note": {"en": "Note", "ja": "メモ"},
    "trend.modal.note_hint": {
        "en": "Why it matters for the report (optional).",
        "ja": "レポートにとっての注目点（任意）。",
    },
    "trend.modal.from": {
        "en": "From a message in <#{channel}>.",
        "ja": "<#{channel}> のメッセージから。",
    },
    # --- feeds (to the operator channel) ---
    "trend.feed.failed": {
        "en": ":warning: The trend feed {feed} could not be read ({error}). Kiban keeps trying and says so here once it works again.",
        "ja": ":warning: 動向調査のフィード {feed} を読み込めませんでした（{error}）。引き続き再試行し、復旧したらここでお知らせします。",
    },
    "trend.feed.recovered": {
        "en": "The trend feed {feed} works again.",
        "ja": "動向調査のフィード {feed} は復旧しました。",
    },
}
