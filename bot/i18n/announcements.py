"""Messages of issue #9 (announcements): the `/announce` modal, the card in the operator channel
with Approve / Cancel, `/announce list`, the publication notes, and the public feed's own
words (`kiban export public`). Keys: `announce.*`."""


def _pair(en: str, ja: str) -> dict[str, str]:
    return {"en": en, "ja": ja}


CATALOG: dict[str, dict[str, str]] = {
    # --- the command --------------------------------------------------------------------------
    "announce.help": _pair(
        "*`/announce`* — announcements from the secretariat (operators):\n"
        "• `/announce` — compose one: title and body in Japanese and/or English, the audience "
        "(community channels, public feed) and when it goes out\n"
        "• `/announce list` — awaiting approval, scheduled and recently published\n"
        "• `/announce edit N` — change your own announcement while it waits\n"
        "• `/announce cancel N` — cancel one before it goes out\n"
        "Anything for the public feed needs a second operator's approval (four-eyes rule).",
        "*`/announce`* — 事務局からのお知らせ（事務局のみ）:\n"
        "• `/announce` — お知らせを作成（日本語・英語のタイトルと本文、公開先〔コミュニティチャンネル・"
        "公開フィード〕、公開日時）\n"
        "• `/announce list` — 承認待ち・予約済み・最近公開したお知らせ\n"
        "• `/announce edit N` — 公開前の自分のお知らせを編集\n"
        "• `/announce cancel N` — 公開前のお知らせを取り消し\n"
        "公開フィードに載るものは、別の事務局メンバーの承認が必要です（ダブルチェック）。",
    ),
    "announce.unknown_subcommand": _pair(
        "I don't know `/announce {sub}`.", "`/announce {sub}` というコマンドはありません。"
    ),
    "announce.error.number": _pair(
        "“{text}” is not an announcement number: give it as in `/announce list` (e.g. `12`).",
        "「{text}」はお知らせの番号ではありません。`/announce list` の番号（例: `12`）を指定してください。",
    ),
    # --- the modal ----------------------------------------------------------------------------
    "announce.modal.title": _pair("Announcement", "お知らせ"),
    "announce.modal.edit_title": _pair("Edit announcement", "お知らせの編集"),
    "announce.modal.submit": _pair("Submit", "送信"),
    "announce.modal.close": _pair("Close", "閉じる"),
    "announce.modal.intro": _pair(
        "For the public feed: title and body in both Japanese and English, and another "
        "operator approves it before it goes out. For the community channels only: at least "
        "one language, no approval needed.",
        "公開フィードに載せる場合は日本語と英語の両方のタイトルと本文が必要で、公開前に別の事務局"
        "メンバーの承認が必要です。コミュニティチャンネルのみの場合は一つの言語で足り、承認は不要です。",
    ),
    "announce.field.title_ja": _pair("Title (Japanese)", "タイトル（日本語）"),
    "announce.field.title_en": _pair("Title (English)", "タイトル（英語）"),
    "announce.field.body_ja": _pair("Body (Japanese)", "本文（日本語）"),
    "announce.field.body_en": _pair("Body (English)", "本文（英語）"),
    "announce.field.audience": _pair("Audience", "公開先"),
    "announce.field.date": _pair("Publish on ({zone})", "公開日（{zone}）"),
    "announce.field.time": _pair("Publish at ({zone})", "公開時刻（{zone}）"),
    "announce.audience.channels": _pair("Community channels", "コミュニティチャンネル"),
    "announce.audience.public": _pair("Public feed", "公開フィード"),
    "announce.audience.public_long": _pair(
        "Public feed (web; needs approval)", "公開フィード（Web・要承認）"
    ),
    "announce.lang.ja": _pair("Japanese", "日本語"),
    "announce.lang.en": _pair("English", "英語"),
    "announce.error.too_long": _pair(
        "Too long: at most {limit} characters (this is {count}).",
        "長すぎます。{limit} 文字以内にしてください（現在 {count} 文字）。",
    ),
    "announce.error.audience": _pair(
        "Choose at least one audience.", "公開先を一つ以上選んでください。"
    ),
    "announce.error.pick_date": _pair("Pick the date.", "日付を選んでください。"),
    "announce.error.pick_time": _pair("Pick the time.", "時刻を選んでください。"),
    "announce.error.public_both": _pair(
        "A public announcement needs its title and body in both Japanese and English.",
        "公開フィードに載せるお知らせには、日本語と英語の両方のタイトルと本文が必要です。",
    ),
    "announce.error.pair": _pair(
        "Give both the title and the body in {language}, or neither.",
        "{language}のタイトルと本文は、両方入力するか両方空にしてください。",
    ),
    "announce.error.no_language": _pair(
        "Give a title and a body in Japanese or English (or both).",
        "日本語または英語（あるいは両方）でタイトルと本文を入力してください。",
    ),
    "announce.error.past": _pair(
        "That time has passed (it is now {now}): pick a later time, or the current time to "
        "publish now.",
        "その時刻は過ぎています（現在 {now}）。これより後の時刻、またはすぐ公開する場合は現在の"
        "時刻を選んでください。",
    ),
    "announce.error.too_far": _pair(
        "Pick a date within a year.", "1 年以内の日付を選んでください。"
    ),
    "announce.done.awaiting": _pair(
        "Announcement #{id} is waiting for another operator's approval in the operator "
        "channel. Once approved it goes out {when}.",
        "お知らせ #{id} は事務局チャンネルで別の事務局メンバーの承認を待っています。承認されると "
        "{when} に公開されます。",
    ),
    "announce.done.scheduled": _pair(
        "Announcement #{id} is scheduled: it goes out {when}. Cancel with `/announce cancel {id}`.",
        "お知らせ #{id} を予約しました。{when} に公開されます。取り消すには `/announce cancel {id}`。",
    ),
    # --- the card ------------------------------------------------------------------------------
    "announce.card.title": _pair("Announcement #{id}: {title}", "お知らせ #{id}: {title}"),
    "announce.card.meta": _pair(
        "Audience: {audience} · Goes out: {when} · Written by <@{author}> · Revision {revision}",
        "公開先: {audience}・公開日時: {when}・作成: <@{author}>・第 {revision} 版",
    ),
    "announce.card.needs_approval": _pair(
        "⏳ Awaiting approval by another operator (four-eyes rule: the author cannot approve). "
        "Goes out {when} once approved.",
        "⏳ 別の事務局メンバーの承認待ちです（ダブルチェック: 作成者は承認できません）。承認後 {when} "
        "に公開されます。",
    ),
    "announce.card.approved": _pair(
        "✅ Approved by <@{user}>: goes out {when}.",
        "✅ <@{user}> が承認しました。{when} に公開されます。",
    ),
    "announce.card.approved_late": _pair(
        "✅ Approved by <@{user}> after its time ({when}): it goes out within a few minutes.",
        "✅ <@{user}> が公開予定（{when}）の後に承認しました。数分以内に公開されます。",
    ),
    "announce.card.scheduled": _pair(
        "🗓 Scheduled (community channels only, no approval needed): goes out {when}.",
        "🗓 予約済み（コミュニティチャンネルのみ・承認不要）。{when} に公開されます。",
    ),
    "announce.card.cancelled": _pair(
        "🚫 Cancelled by <@{user}>: it will not go out.",
        "🚫 <@{user}> が取り消しました。公開されません。",
    ),
    "announce.card.published": _pair("📣 Published {when}.", "📣 {when} に公開しました。"),
    "announce.approve": _pair("Approve", "承認"),
    "announce.cancel": _pair("Cancel", "取り消し"),
    "announce.confirm.approve.title": _pair("Approve?", "承認しますか？"),
    "announce.confirm.approve.text": _pair(
        "Announcement #{id} goes out at its time, to the audience shown.",
        "お知らせ #{id} は表示の公開先に、予定の日時に公開されます。",
    ),
    "announce.confirm.cancel.title": _pair("Cancel it?", "取り消しますか？"),
    "announce.confirm.cancel.text": _pair(
        "Announcement #{id} will not go out.", "お知らせ #{id} は公開されなくなります。"
    ),
    "announce.confirm.deny": _pair("Back", "戻る"),
    "announce.status.awaiting_approval": _pair("awaiting approval", "承認待ち"),
    "announce.status.scheduled": _pair("scheduled", "予約済み"),
    "announce.status.publishing": _pair("being published", "公開処理中"),
    "announce.status.published": _pair("already published", "公開済み"),
    "announce.status.cancelled": _pair("cancelled", "取り消し済み"),
    # --- approving, cancelling, editing ----------------------------------------------------------
    "announce.error.unknown": _pair(
        "There is no announcement #{id} (see `/announce list`).",
        "お知らせ #{id} はありません（`/announce list` で確認できます）。",
    ),
    "announce.error.own": _pair(
        "You wrote announcement #{id}, so you cannot approve it: another operator must "
        "(four-eyes rule).",
        "お知らせ #{id} はご自身が作成したため承認できません。別の事務局メンバーが承認してください"
        "（ダブルチェック）。",
    ),
    "announce.error.stale": _pair(
        "Announcement #{id} was edited after this was shown: approve revision {revision}, "
        "posted in the operator channel.",
        "お知らせ #{id} はこの表示の後に編集されました。事務局チャンネルに投稿された第 {revision} 版を"
        "承認してください。",
    ),
    "announce.error.already_approved": _pair(
        "Announcement #{id} is already approved (by <@{user}>).",
        "お知らせ #{id} は承認済みです（<@{user}>）。",
    ),
    "announce.error.already_cancelled": _pair(
        "Announcement #{id} is already cancelled (by <@{user}>).",
        "お知らせ #{id} は取り消し済みです（<@{user}>）。",
    ),
    "announce.error.cannot_approve": _pair(
        "Announcement #{id} cannot be approved: it is {status}.",
        "お知らせ #{id} は承認できません（{status}）。",
    ),
    "announce.error.cannot_cancel": _pair(
        "Announcement #{id} cannot be cancelled: it is {status}.",
        "お知らせ #{id} は取り消せません（{status}）。",
    ),
    "announce.error.cannot_edit": _pair(
        "Announcement #{id} cannot be edited: it is {status}.",
        "お知らせ #{id} は編集できません（{status}）。",
    ),
    "announce.error.not_author": _pair(
        "Only its author (<@{user}>) can edit announcement #{id}: cancel it and write a new "
        "one instead.",
        "お知らせ #{id} を編集できるのは作成者（<@{user}>）だけです。取り消して新しく作成してください。",
    ),
    "announce.error.changed": _pair(
        "Announcement #{id} changed after you opened the form: open it again with "
        "`/announce edit {id}`.",
        "フォームを開いた後にお知らせ #{id} が変更されました。`/announce edit {id}` で開き直してください。",
    ),
    "announce.approved_dm": _pair(
        "Your announcement #{id} was approved by <@{user}>: it goes out {when}.",
        "お知らせ #{id} が <@{user}> に承認されました。{when} に公開されます。",
    ),
    "announce.approved_late": _pair(
        "Your announcement #{id} was approved by <@{user}>. Its time ({when}) has passed, so it "
        "goes out within the next few minutes.",
        "お知らせ #{id} が <@{user}> に承認されました。公開予定（{when}）を過ぎているため、数分以内に公開されます。",
    ),
    "announce.overdue": _pair(
        "⏰ Announcement #{id} “{title}” was due {when} but is still waiting for a second "
        "operator's approval. It goes out as soon as it is approved; edit its time or cancel it "
        "if it should not.",
        "⏰ お知らせ #{id}「{title}」は {when} に公開予定でしたが、まだ2人目の事務局メンバーの承認を"
        "待っています。承認されるとすぐに公開されます。公開すべきでない場合は日時を編集するか取り消してください。",
    ),
    "announce.cancelled_dm": _pair(
        "Your announcement #{id} “{title}” was cancelled by <@{user}>: it will not go out.",
        "お知らせ #{id}「{title}」は <@{user}> が取り消しました。公開されません。",
    ),
    "announce.withdrawn_dm": _pair(
        "<@{user}> edited announcement #{id} “{title}” after you approved it, so your approval "
        "no longer stands: approve the new revision in the operator channel if it is still right.",
        "<@{user}> があなたの承認後にお知らせ #{id}「{title}」を編集したため、承認は取り消されました。"
        "内容に問題がなければ、事務局チャンネルで新しい版を承認してください。",
    ),
    "announce.cancelled": _pair(
        "Announcement #{id} is cancelled: it will not go out.",
        "お知らせ #{id} を取り消しました。公開されません。",
    ),
    # --- publication ---------------------------------------------------------------------------
    "announce.published.note": _pair(
        "📣 Announcement #{id} “{title}” was published: {where}.",
        "📣 お知らせ #{id}「{title}」を公開しました: {where}",
    ),
    "announce.published.feed": _pair(
        "the public feed (at the next `kiban export public`)",
        "公開フィード（次回の `kiban export public` で反映）",
    ),
    "announce.published.refused": _pair(
        "⚠️ Slack refused the post in {channels}: invite the bot there, then post it by hand.",
        "⚠️ {channels} への投稿は Slack に拒否されました。ボットを招待してから手動で投稿してください。",
    ),
    # --- /announce list ------------------------------------------------------------------------
    "announce.list.title": _pair("Announcements", "お知らせ"),
    "announce.list.empty": _pair(
        "No announcement is waiting, scheduled or recently published.",
        "承認待ち・予約済み・最近公開したお知らせはありません。",
    ),
    "announce.list.line": _pair(
        "*#{id}* {title}\n{status} · {audience} · {when}",
        "*#{id}* {title}\n{status}・{audience}・{when}",
    ),
    "announce.list.more": _pair("…and {count} more.", "…ほか {count} 件。"),
    # --- the public feed -----------------------------------------------------------------------
    "announce.feed.subtitle": _pair(
        "Announcements and monthly generative-AI trend reports of the programme's secretariat.",
        "事務局からのお知らせと、生成AIの月次動向調査レポート。",
    ),
    "announce.feed.empty": _pair(
        "Nothing has been published yet.", "まだ公開されたものはありません。"
    ),
    "announce.feed.subscribe": _pair("Atom feed", "Atom フィード"),
    "announce.feed.published": _pair("Published", "公開日"),
    "announce.feed.kind.announcement": _pair("Announcement", "お知らせ"),
    "announce.feed.kind.trend_report": _pair("Trend report", "動向調査レポート"),
    "announce.feed.error.base_url": _pair(
        "The public base URL “{url}” is not an http(s) address (set PUBLIC_BASE_URL or "
        "--base-url).",
        "公開先のベース URL「{url}」は http(s) のアドレスではありません（PUBLIC_BASE_URL または "
        "--base-url を設定してください）。",
    ),
}
