"""Messages of instructions (指示) from the secretariat to organizations: the modal, its
errors, the DM with Acknowledge, the channel copy, the operator note, the reminder and the
`/compute instructions` list. Placeholders are filled with values the caller has already
escaped for mrkdwn where needed."""

CATALOG: dict[str, dict[str, str]] = {
    # --- the modal ---
    "instruction.modal.title": {"en": "Issue an instruction", "ja": "指示を出す"},
    "instruction.modal.submit": {"en": "Issue", "ja": "指示を出す"},
    "instruction.modal.close": {"en": "Cancel", "ja": "キャンセル"},
    "instruction.modal.intro": {
        "en": "The organization's leads get it in a DM with an Acknowledge button, its channel a copy. If it is not acknowledged, the leads are reminded the day before it is due.",
        "ja": "組織責任者に「確認しました」ボタン付きのDMで届き、組織のチャンネルにも写しが投稿されます。確認されていない場合は、期限の前日に組織責任者へリマインドします。",
    },
    "instruction.field.org": {"en": "Organization", "ja": "組織"},
    "instruction.field.title": {"en": "Title", "ja": "件名"},
    "instruction.field.body": {"en": "Body", "ja": "本文"},
    "instruction.field.due": {"en": "Due date", "ja": "期限"},
    "instruction.error.pick_org": {
        "en": "Choose an organization.",
        "ja": "組織を選択してください。",
    },
    "instruction.error.unknown_org": {
        "en": "This organization cannot receive instructions; choose another.",
        "ja": "この組織には指示を出せません。別の組織を選択してください。",
    },
    "instruction.error.required": {"en": "Enter this field.", "ja": "入力してください。"},
    "instruction.error.too_long": {
        "en": "At most {limit} characters ({count} given).",
        "ja": "{limit}文字以内で入力してください（現在 {count} 文字）。",
    },
    "instruction.error.pick_due": {"en": "Choose a due date.", "ja": "期限を選択してください。"},
    "instruction.error.due_past": {
        "en": "The due date must be today ({today}) or later.",
        "ja": "期限は今日（{today}）以降の日付を選択してください。",
    },
    "instruction.error.no_orgs": {
        "en": "There is no organization to send an instruction to yet.",
        "ja": "指示を出せる組織がまだありません。",
    },
    "instruction.error.not_yours": {
        "en": "This instruction is for another organization; only its members and the secretariat can acknowledge it.",
        "ja": "この指示は別の組織宛てです。確認できるのはその組織のメンバーと事務局のみです。",
    },
    # --- messages ---
    "instruction.message.title": {
        "en": "Instruction from the secretariat",
        "ja": "事務局からの指示",
    },
    "instruction.message.meta": {
        "en": "To *{org}* · due *{due}* · issued by <@{user}>",
        "ja": "宛先 *{org}* · 期限 *{due}* · 発信 <@{user}>",
    },
    "instruction.ack_button": {"en": "Acknowledge", "ja": "確認しました"},
    "instruction.acknowledged": {
        "en": "Acknowledged by <@{user}>.",
        "ja": "<@{user}> さんが確認しました。",
    },
    "instruction.channel_copy": {
        "en": "Copy for the organization: sent to {leads} to acknowledge.",
        "ja": "組織向けの写し: {leads} に確認を依頼しました。",
    },
    "instruction.operator_note": {
        "en": "<@{user}> issued an instruction to *{org}*: *{title}* (due {due}). Sent to {leads}.",
        "ja": "<@{user}> さんが *{org}* に指示を出しました: *{title}*（期限 {due}）。送信先: {leads}。",
    },
    "instruction.no_leads": {"en": "no org lead registered", "ja": "組織責任者が未登録"},
    "instruction.reminder.title": {
        "en": "Reminder: instruction due tomorrow",
        "ja": "リマインド: 明日が期限の指示",
    },
    "instruction.reminder.intro": {
        "en": "This instruction is due tomorrow ({due}) and has not been acknowledged yet.",
        "ja": "この指示の期限は明日（{due}）ですが、まだ確認されていません。",
    },
    "instruction.reminder.no_leads": {
        "en": "*{org}* has no org lead to remind of the instruction *{title}*, due tomorrow ({due}) and not yet acknowledged.",
        "ja": "*{org}* には組織責任者が未登録のため、明日（{due}）が期限で未確認の指示 *{title}* をリマインドできませんでした。",
    },
    # --- /compute instructions ---
    "instruction.list.title": {"en": "Open instructions", "ja": "未確認の指示"},
    "instruction.list.line": {
        "en": "*{title}*\n{org} · due {due} · issued by <@{user}>",
        "ja": "*{title}*\n{org} · 期限 {due} · 発信 <@{user}>",
    },
    "instruction.list.overdue": {"en": "overdue", "ja": "期限超過"},
    "instruction.list.empty": {
        "en": "There are no open instructions.",
        "ja": "未確認の指示はありません。",
    },
    "instruction.list.more": {
        "en": "… and {count} more.",
        "ja": "…ほか {count} 件。",
    },
}
