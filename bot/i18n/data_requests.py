"""Messages of data-introduction requests, introductions and the pipeline: the request modal,
its errors, the operator's request and review, the contact's ask, the email text, the group
DM, the follow-up, the jobs' notes and `/data pipeline`. Placeholders are escaped by callers."""

_STATUS = {
    "submitted": ("waiting for review", "審査待ち"),
    "needs_details": ("details asked", "追加情報の依頼中"),
    "approved": ("approved", "承認"),
    "declined": ("declined", "見送り"),
}
_ANSWERS = {
    "pending": ("waiting for the holder", "データホルダーの回答待ち"),
    "accepted": ("accepted", "承諾"),
    "declined": ("declined", "辞退"),
    "not_now": ("not now", "今は難しい"),
    "ignored": ("no answer", "回答なし"),
    "undelivered": ("not delivered", "未送達"),
}
_STAGES = {
    "introduced": ("Introduced", "紹介済み"),
    "met": ("Met", "面談済み"),
    "nda_signed": ("NDA signed", "NDA締結"),
    "trial": ("Trial", "トライアル"),
    "contract": ("Contract", "契約"),
    "no_fit": ("No fit", "見送り（不適合）"),
}
_STEPS = {
    "requests": ("Requests", "依頼"),
    "approved": ("approved", "承認"),
    "asked": ("holders asked", "打診"),
    "accepted": ("accepted", "承諾"),
    "met": ("met", "面談"),
    "nda_signed": ("NDA", "NDA"),
    "trial": ("trial", "トライアル"),
    "contract": ("contract", "契約"),
}
_OUTCOMES = {
    "request_submitted": ("waiting for review", "審査待ち"),
    "request_needs_details": ("details asked", "追加情報の依頼中"),
    "request_declined": ("declined by the secretariat", "事務局が見送り"),
    "answer_pending": ("waiting for holders", "データホルダーの回答待ち"),
    "answer_declined": ("declined by holders", "データホルダーが辞退"),
    "answer_not_now": ("not now", "今は難しい"),
    "answer_ignored": ("no answer", "回答なし"),
    "answer_undelivered": ("asks not delivered", "打診が届かず"),
    "no_fit": ("no fit", "不適合"),
}


def _table(prefix: str, table: dict) -> dict:
    return {f"{prefix}.{key}": {"en": en, "ja": ja} for key, (en, ja) in table.items()}


CATALOG: dict[str, dict[str, str]] = {
    **_table("datareq.status", _STATUS),
    **_table("intro.answer", _ANSWERS),
    **_table("intro.stage", _STAGES),
    **_table("pipeline.step", _STEPS),
    **_table("pipeline.outcome", _OUTCOMES),
    # --- /data ---
    "data.help": {
        "en": "*`/data` — data-holder introductions*\n• `/data search WORDS` — find data holders (Japanese or English words)\n• `/data request` — request an introduction to data\n• `/data requests [ORG]` — your organization's requests and where they stand\n• `/data pipeline` — the introduction funnel (operators)\n• `/data admin [WORDS]` — manage the directory (operators)",
        "ja": "*`/data` — データホルダーの紹介*\n• `/data search 語句` — データホルダーを探す（日本語・英語）\n• `/data request` — データの紹介を依頼する\n• `/data requests [組織]` — 自組織の依頼と進捗\n• `/data pipeline` — 紹介のファネル（事務局）\n• `/data admin [語句]` — ディレクトリの管理（事務局）",
    },
    "data.unknown_subcommand": {
        "en": "`/data {sub}` is not a Kiban command.",
        "ja": "`/data {sub}` というコマンドはありません。",
    },
    # --- the request modal ---
    "datareq.modal.title": {"en": "Request data intro", "ja": "データ紹介の依頼"},
    "datareq.modal.submit": {"en": "Send request", "ja": "依頼する"},
    "datareq.modal.close": {"en": "Cancel", "ja": "キャンセル"},
    "datareq.modal.intro": {
        "en": "Request a data introduction. The secretariat reviews it and approaches data holders for you; only your organization and the secretariat see it until a holder is approached.",
        "ja": "データ紹介を依頼します。事務局が審査し、データホルダーに打診します。データホルダーに打診するまで、この依頼はあなたの組織と事務局だけが見られます。",
    },
    "datareq.modal.asked": {
        "en": "<@{user}> asked for more details:\n>{text}",
        "ja": "<@{user}> さんから追加情報の依頼があります:\n>{text}",
    },
    "datareq.field.org": {"en": "Organization", "ja": "組織"},
    "datareq.field.data": {"en": "Data needed", "ja": "必要なデータ"},
    "datareq.field.purpose": {"en": "Purpose", "ja": "利用目的"},
    "datareq.field.domains": {"en": "Domains", "ja": "分野"},
    "datareq.field.modalities": {"en": "Modalities", "ja": "モダリティ"},
    "datareq.field.languages": {"en": "Languages", "ja": "言語"},
    "datareq.field.size": {"en": "Approximate size needed", "ja": "必要なおおよその量"},
    "datareq.field.size_hint": {
        "en": "A number and a unit: 500 GB, 10B tokens, 1.2M images, 1,000 hours.",
        "ja": "数値と単位で: 500 GB、100億トークン、120万件、1,000時間 など。",
    },
    "datareq.field.preferred": {"en": "Preferred data holder", "ja": "希望するデータホルダー"},
    "datareq.field.needed_by": {"en": "Needed by", "ja": "必要な時期"},
    # --- errors ---
    "datareq.error.pick_org": {"en": "Choose an organization.", "ja": "組織を選択してください。"},
    "datareq.error.required": {"en": "Enter this field.", "ja": "入力してください。"},
    "datareq.error.too_long": {
        "en": "At most {limit} characters ({count} given).",
        "ja": "{limit}文字以内で入力してください（現在 {count} 文字）。",
    },
    "datareq.error.pick_some": {"en": "Choose at least one.", "ja": "1つ以上選択してください。"},
    "datareq.error.pick_date": {"en": "Choose a date.", "ja": "日付を選択してください。"},
    "datareq.error.past": {
        "en": "This date has passed; choose {today} or later.",
        "ja": "過去の日付です。{today} 以降を選択してください。",
    },
    "datareq.error.no_org": {
        "en": "Data introductions are requested by members of developer organizations, and you are not a member of one in Kiban. Ask the secretariat to add you.",
        "ja": "データ紹介の依頼は開発企業のメンバーが行えます。あなたはKibanでどの開発企業にも所属していません。事務局に追加を依頼してください。",
    },
    "datareq.error.not_member": {
        "en": "You can only request for an organization you belong to.",
        "ja": "所属している組織の依頼のみ行えます。",
    },
    "datareq.error.holder_unavailable": {
        "en": "This data holder is not available for introductions now; choose another or leave it empty.",
        "ja": "このデータホルダーは現在紹介を受け付けていません。別のデータホルダーを選ぶか、空欄にしてください。",
    },
    "datareq.error.gone": {
        "en": "This request cannot be found, or it is not yours to see.",
        "ja": "この依頼は見つからないか、閲覧できません。",
    },
    "datareq.error.not_waiting": {
        "en": "Request #{id} is not waiting for details any more.",
        "ja": "依頼 #{id} は追加情報を待っていません。",
    },
    "datareq.error.already_reviewed": {
        "en": "Request #{id} was already reviewed by <@{user}>: {status}.",
        "ja": "依頼 #{id} は <@{user}> さんが審査済みです: {status}。",
    },
    # --- request messages ---
    "datareq.receipt": {
        "en": "Your data introduction request #{id} for {org} was sent to the secretariat. You will hear at every step.",
        "ja": "{org}のデータ紹介依頼 #{id} を事務局に送りました。進捗は都度お知らせします。",
    },
    "datareq.receipt_details": {
        "en": "The details you added to request #{id} were sent to the secretariat.",
        "ja": "依頼 #{id} に追加した情報を事務局に送りました。",
    },
    "datareq.line.data": {"en": "*Data needed*\n{text}", "ja": "*必要なデータ*\n{text}"},
    "datareq.line.purpose": {"en": "*Purpose*\n{text}", "ja": "*利用目的*\n{text}"},
    "datareq.line.lists": {
        "en": "*Domains:* {domains}  *Modalities:* {modalities}  *Languages:* {languages}",
        "ja": "*分野:* {domains}  *モダリティ:* {modalities}  *言語:* {languages}",
    },
    "datareq.line.size": {
        "en": "*Size needed:* {size}  *Needed by:* {needed_by}",
        "ja": "*必要な量:* {size}  *必要な時期:* {needed_by}",
    },
    "datareq.line.preferred": {
        "en": "*Preferred holder:* {name}",
        "ja": "*希望するデータホルダー:* {name}",
    },
    "datareq.line.meta": {
        "en": "Request #{id} · {org} · <@{user}> · {date}",
        "ja": "依頼 #{id} · {org} · <@{user}> · {date}",
    },
    "datareq.operator.title": {
        "en": "Data introduction request #{id} ({org})",
        "ja": "データ紹介依頼 #{id}（{org}）",
    },
    "datareq.operator.title_details": {
        "en": "Data introduction request #{id} ({org}): details added",
        "ja": "データ紹介依頼 #{id}（{org}）: 追加情報あり",
    },
    "datareq.review_button": {"en": "Review", "ja": "審査する"},
    "datareq.matches.title": {
        "en": "*Suggested matches* (structured score: domains, modalities, languages, size)",
        "ja": "*候補*（構造化スコア: 分野・モダリティ・言語・量）",
    },
    "datareq.matches.line": {
        "en": "{rank}. *{name}* — {score}/100: {why}",
        "ja": "{rank}. *{name}* — {score}/100: {why}",
    },
    "datareq.matches.none": {
        "en": "No data holder in the directory matches this request's domains, modalities or languages.",
        "ja": "分野・モダリティ・言語が一致するデータホルダーはディレクトリにありません。",
    },
    "datareq.matches.llm_title": {"en": "*LLM re-ranking*", "ja": "*LLMによる並べ替え*"},
    "datareq.matches.llm_line": {
        "en": "{rank}. *{name}* — {reason}",
        "ja": "{rank}. *{name}* — {reason}",
    },
    "datareq.matches.llm_failed": {
        "en": "The LLM re-ranking is unavailable right now; the structured score stands alone.",
        "ja": "LLMによる並べ替えは現在利用できません。構造化スコアのみを表示しています。",
    },
    "datareq.crit.domains": {
        "en": "Domains {got}/{of} ({which})",
        "ja": "分野 {got}/{of}（{which}）",
    },
    "datareq.crit.modalities": {
        "en": "Modalities {got}/{of} ({which})",
        "ja": "モダリティ {got}/{of}（{which}）",
    },
    "datareq.crit.languages": {
        "en": "Languages {got}/{of} ({which})",
        "ja": "言語 {got}/{of}（{which}）",
    },
    "datareq.size.meets": {"en": "Size {have} ≥ {need}", "ja": "量 {have} ≥ {need}"},
    "datareq.size.short": {"en": "Size {have} < {need}", "ja": "量 {have} < {need}"},
    "datareq.size.other_unit": {
        "en": "Size {have} (not comparable with {need})",
        "ja": "量 {have}（{need} と比較できません）",
    },
    "datareq.size.unknown": {"en": "Size unknown", "ja": "量は不明"},
    "datareq.reviewed_note.approved": {
        "en": "Approved by <@{user}>.",
        "ja": "<@{user}> さんが承認しました。",
    },
    "datareq.reviewed_note.declined": {
        "en": "Declined by <@{user}>.",
        "ja": "<@{user}> さんが見送りました。",
    },
    "datareq.reviewed_note.needs_details": {
        "en": "<@{user}> asked the requester for details.",
        "ja": "<@{user}> さんが依頼者に追加情報を求めました。",
    },
    "datareq.approached": {"en": "Approaching: {names}.", "ja": "打診先: {names}。"},
    "datareq.reason": {"en": "*Note:* {text}", "ja": "*コメント:* {text}"},
    "datareq.dm.approved": {
        "en": "Your data introduction request #{id} was approved by <@{user}>. The secretariat is asking {names}; you will be told when they answer.",
        "ja": "データ紹介依頼 #{id} が <@{user}> さんにより承認されました。事務局が{names}に打診しています。回答があり次第お知らせします。",
    },
    "datareq.dm.declined": {
        "en": "Your data introduction request #{id} was declined by <@{user}>.",
        "ja": "データ紹介依頼 #{id} は <@{user}> さんにより見送りとなりました。",
    },
    "datareq.dm.needs_details": {
        "en": "<@{user}> needs more details for your data introduction request #{id}. Add them with the button; your request keeps its place.",
        "ja": "<@{user}> さんから、データ紹介依頼 #{id} について追加情報の依頼があります。ボタンから追記してください（依頼はそのまま継続します）。",
    },
    "datareq.dm.submitted": {
        "en": "Request #{id} is waiting for review.",
        "ja": "依頼 #{id} は審査待ちです。",
    },
    "datareq.add_details": {"en": "Add details", "ja": "追加情報を入力"},
    # --- the review modal ---
    "datareq.review.title": {"en": "Review data request", "ja": "データ紹介依頼の審査"},
    "datareq.review.submit": {"en": "Save", "ja": "保存"},
    "datareq.review.decision": {"en": "Decision", "ja": "判断"},
    "datareq.review.approve": {
        "en": "Approve: approach the holders below",
        "ja": "承認: 下のデータホルダーに打診する",
    },
    "datareq.review.decline": {
        "en": "Decline (the reason goes to the requester)",
        "ja": "見送り（理由は依頼者に送られます）",
    },
    "datareq.review.ask": {"en": "Ask the requester for details", "ja": "依頼者に追加情報を求める"},
    "datareq.review.holders": {"en": "Data holders to approach", "ja": "打診するデータホルダー"},
    "datareq.review.text": {"en": "Reason or question", "ja": "理由または質問"},
    "datareq.review.text_hint": {
        "en": "Required to decline (the reason) or to ask for details (the question); sent to the requester.",
        "ja": "見送り（理由）と追加情報の依頼（質問）では必須です。依頼者に送られます。",
    },
    "datareq.review.pick": {"en": "Choose a decision.", "ja": "判断を選択してください。"},
    "datareq.review.need_holders": {
        "en": "Choose at least one data holder to approach.",
        "ja": "打診するデータホルダーを1つ以上選択してください。",
    },
    "datareq.review.need_text_declined": {
        "en": "Give the reason: it is sent to the requester.",
        "ja": "理由を入力してください（依頼者に送られます）。",
    },
    "datareq.review.need_text_needs_details": {
        "en": "Write the question for the requester.",
        "ja": "依頼者への質問を入力してください。",
    },
    # --- /data requests ---
    "datareq.list.title": {"en": "Data introduction requests", "ja": "データ紹介依頼"},
    "datareq.list.empty": {
        "en": "No data introduction requests yet.",
        "ja": "データ紹介依頼はまだありません。",
    },
    "datareq.list.line": {
        "en": "*#{id}* {org} — {status}\n{data}\n_<@{user}>, {date}_",
        "ja": "*#{id}* {org} — {status}\n{data}\n_<@{user}>、{date}_",
    },
    "datareq.idle.title": {
        "en": ":hourglass: Data introduction requests open for more than {days} days without activity",
        "ja": ":hourglass: {days}日以上動きのないデータ紹介依頼",
    },
    "datareq.idle.line": {
        "en": "• #{id} {org} — {status} (<@{user}>, {date})",
        "ja": "• #{id} {org} — {status}（<@{user}>、{date}）",
    },
    "datareq.idle.more": {"en": "…and {count} more.", "ja": "…ほか {count} 件。"},
    # --- the contact's ask ---
    "intro.ask": {
        "en": "<@{user}> of {org} would like an introduction to *{holder}*'s data, needed by {needed_by}. The secretariat approved the request. Would you like to be introduced?",
        "ja": "{org}の <@{user}> さんが *{holder}* のデータについて紹介を希望しています（必要な時期: {needed_by}）。事務局が承認済みです。紹介を受けますか？",
    },
    "intro.ask_note": {
        "en": "Accept: Kiban opens a group DM with the requester, you and the secretariat. Decline: a reason is optional. Not now: the requester is told you cannot at the moment.",
        "ja": "承諾すると、依頼者・あなた・事務局のグループDMを開きます。辞退の理由は任意です。「今は難しい」を選ぶと、依頼者にその旨を伝えます。",
    },
    "intro.button.accept": {"en": "Accept", "ja": "承諾する"},
    "intro.button.decline": {"en": "Decline", "ja": "辞退する"},
    "intro.button.not_now": {"en": "Not now", "ja": "今は難しい"},
    "intro.button.record": {"en": "Record: ", "ja": "記録: "},
    "intro.answered_note": {
        "en": "Answer: *{answer}* (<@{user}>).",
        "ja": "回答: *{answer}*（<@{user}>）。",
    },
    "intro.reason": {"en": "*Reason:* {text}", "ja": "*理由:* {text}"},
    "intro.decline.title": {"en": "Decline introduction", "ja": "紹介を辞退"},
    "intro.decline.submit": {"en": "Decline", "ja": "辞退する"},
    "intro.decline.intro": {
        "en": "Decline the introduction for *{holder}*. A reason helps the requester, but is optional.",
        "ja": "*{holder}* への紹介を辞退します。理由は任意ですが、依頼者の参考になります。",
    },
    "intro.decline.reason": {"en": "Reason (optional)", "ja": "理由（任意）"},
    "intro.email.intro": {
        "en": "*{holder}*'s contact is outside the workspace ({email}). Send them this email for request #{id}, then record their answer with a button below.",
        "ja": "*{holder}* の窓口はワークスペース外です（{email}）。依頼 #{id} について次のメールを送り、回答を下のボタンで記録してください。",
    },
    "intro.email.subject": {
        "en": "Subject: Data introduction request from {org} (generative-AI programme)",
        "ja": "件名: {org}からのデータ紹介のご相談（生成AI基盤モデル開発プログラム）",
    },
    "intro.email.body": {
        "en": "Dear {holder},\n\nThe programme secretariat would like to introduce you to {org}, a developer in the generative-AI foundation-model programme.\n\nData needed: {data}\nPurpose: {purpose}\nNeeded by: {needed_by}\n\nWould you be willing to be introduced? Please reply with yes, no (a reason is welcome), or not now.\n\nKind regards,\nThe programme secretariat",
        "ja": "{holder} ご担当者様\n\n生成AI基盤モデル開発プログラム事務局です。本プログラムの開発企業である{org}様をご紹介したく、ご連絡いたしました。\n\n必要なデータ: {data}\n利用目的: {purpose}\n必要な時期: {needed_by}\n\nご紹介を希望されるか、「はい」「いいえ（理由があればお書きください）」「今は難しい」のいずれかでご返信いただけますと幸いです。\n\nどうぞよろしくお願いいたします。\nプログラム事務局",
    },
    "intro.email.recorded": {
        "en": "Answer recorded for *{holder}*: {answer} (<@{user}>).",
        "ja": "*{holder}* の回答を記録しました: {answer}（<@{user}>）。",
    },
    "intro.group_title": {"en": "Data introduction", "ja": "データ紹介"},
    "intro.group": {
        "en": "<@{user}> ({org}), meet <@{contact}> of *{holder}*, who accepted your request #{id}.\n*Data needed:* {data}\n*Purpose:* {purpose}",
        "ja": "<@{user}> さん（{org}）、依頼 #{id} を承諾された *{holder}* の <@{contact}> さんをご紹介します。\n*必要なデータ:* {data}\n*利用目的:* {purpose}",
    },
    "intro.group_email": {
        "en": "<@{user}> ({org}): *{holder}* accepted your request #{id} by email. Their contact is {email}.\n*Data needed:* {data}\n*Purpose:* {purpose}",
        "ja": "<@{user}> さん（{org}）、*{holder}* がメールで依頼 #{id} を承諾しました。窓口は {email} です。\n*必要なデータ:* {data}\n*利用目的:* {purpose}",
    },
    "intro.group_next": {
        "en": "Kiban will check in later with buttons for the next steps (met, NDA, trial, contract).",
        "ja": "後日、次の段階（面談・NDA・トライアル・契約）を記録するボタンをお送りします。",
    },
    "intro.undelivered": {
        "en": ":warning: The ask to *{holder}* for request #{id} could not be delivered to <@{contact}> (Slack: `{code}`). It is not counted as ignored. Fix the contact in `/data admin`; a new request can then approach the holder.",
        "ja": ":warning: 依頼 #{id} の *{holder}* への打診を <@{contact}> さんに届けられませんでした（Slack: `{code}`）。回答なしとは扱いません。`/data admin` で連絡先を直すと、新しい依頼で改めて打診できます。",
    },
    "intro.undelivered_requester": {
        "en": "Kiban could not reach *{holder}*'s contact for your request #{id}. The secretariat has been told and will follow up.",
        "ja": "依頼 #{id} について、*{holder}* の窓口に連絡できませんでした。事務局に伝えましたので、対応をお待ちください。",
    },
    "intro.requester.declined": {
        "en": "*{holder}* declined the introduction for your request #{id}.",
        "ja": "*{holder}* は依頼 #{id} の紹介を辞退しました。",
    },
    "intro.requester.not_now": {
        "en": "*{holder}* cannot take up your request #{id} at the moment.",
        "ja": "*{holder}* は依頼 #{id} に今は対応できないとのことです。",
    },
    "intro.operators.answer": {
        "en": "*{holder}* answered request #{id} ({org}): {answer} (<@{user}>).",
        "ja": "*{holder}* が依頼 #{id}（{org}）に回答しました: {answer}（<@{user}>）。",
    },
    "intro.follow_up": {
        "en": "How is it going with *{holder}* (request #{id}, {org})? Record where you are:",
        "ja": "*{holder}* との件（依頼 #{id}、{org}）はいかがですか？ 現在の段階を記録してください:",
    },
    "intro.stage_now": {"en": "Now: *{stage}*", "ja": "現在: *{stage}*"},
    "intro.stage_by": {"en": "(recorded by <@{user}>)", "ja": "（<@{user}> さんが記録）"},
    "intro.ignored.requester": {
        "en": "*{holder}* has not answered the introduction for your request #{id} within {days} days. The secretariat has been told.",
        "ja": "*{holder}* から依頼 #{id} の紹介について{days}日以内に回答がありませんでした。事務局に伝えました。",
    },
    "intro.ignored.operators": {
        "en": "*{holder}* did not answer request #{id} within {days} days ({streak} unanswered in a row).",
        "ja": "*{holder}* は依頼 #{id} に{days}日以内に回答しませんでした（連続 {streak} 件）。",
    },
    "intro.ignored.paused": {
        "en": ":warning: *{holder}* has left {streak} introductions unanswered in a row and is now left out of matching. Save it as active in `/data admin` to bring it back.",
        "ja": ":warning: *{holder}* は {streak} 件続けて紹介に回答していないため、候補から外しました。`/data admin` で有効として保存すると戻ります。",
    },
    "intro.error.not_yours": {
        "en": "This introduction is not yours to answer or update.",
        "ja": "この紹介に回答・更新する権限がありません。",
    },
    "intro.error.already_answered": {
        "en": "This introduction was already answered: {answer}.",
        "ja": "この紹介はすでに回答済みです: {answer}。",
    },
    "intro.error.not_accepted": {
        "en": "The holder has not accepted this introduction, so it has no stage to record.",
        "ja": "データホルダーがこの紹介を承諾していないため、段階は記録できません。",
    },
    "intro.error.stage": {
        "en": "This introduction is at “{now}”; it cannot move to “{wanted}”.",
        "ja": "この紹介は「{now}」の段階です。「{wanted}」には変更できません。",
    },
    # --- pipeline ---
    "pipeline.title": {"en": "Data introduction pipeline", "ja": "データ紹介パイプライン"},
    "pipeline.empty": {
        "en": "No data introduction requests yet.",
        "ja": "データ紹介依頼はまだありません。",
    },
    "pipeline.empty_month": {
        "en": "No data introduction requests were made this month.",
        "ja": "この月のデータ紹介依頼はありません。",
    },
    "pipeline.org": {"en": "Organization", "ja": "組織"},
    "pipeline.total": {"en": "Total", "ja": "合計"},
    "pipeline.by_org": {"en": "By organization", "ja": "組織別"},
    "pipeline.by_month": {"en": "By month of request", "ja": "依頼月別"},
}
