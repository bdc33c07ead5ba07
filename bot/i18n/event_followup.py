"""Messages of what follows an RSVP (issue #6): reminders, check-in, the survey and its summary,
and the non-responder reminder in the announcement's thread. Placeholders are filled with
values the caller has already escaped for mrkdwn where needed. Texts that can appear as an
inline modal error (plain text) carry no mrkdwn and no date token."""

CATALOG: dict[str, dict[str, str]] = {
    # --- reminder DMs ---
    "eventfu.reminder.day": {
        "en": ":bell: Reminder: *{title}* is coming up.",
        "ja": ":bell: リマインダー: *{title}* が近づいています。",
    },
    "eventfu.reminder.hour": {
        "en": ":bell: *{title}* starts soon.",
        "ja": ":bell: まもなく *{title}* が始まります。",
    },
    "eventfu.reminder.going": {
        "en": "You said you are going. If you can no longer come, change your answer on the announcement so that someone on the waitlist can have your seat.",
        "ja": "参加と回答いただいています。参加できなくなった場合は、キャンセル待ちの方に席を譲れるよう、告知の投稿で回答を変更してください。",
    },
    # --- at the start ---
    "eventfu.start.dm": {
        "en": ":arrow_forward: *{title}* is starting now.",
        "ja": ":arrow_forward: *{title}* が始まります。",
    },
    "eventfu.start.link": {"en": "Join here: {place}", "ja": "参加はこちら: {place}"},
    "eventfu.start.check_in_hint": {
        "en": "Press *Check in* when you are there (until the event ends).",
        "ja": "参加したら *チェックイン* を押してください（イベント終了まで）。",
    },
    "eventfu.start.thread": {
        "en": ":arrow_forward: *{title}* is starting now. Taking part? Press *Check in* (until the event ends).",
        "ja": ":arrow_forward: *{title}* が始まります。参加される方は *チェックイン* を押してください（イベント終了まで）。",
    },
    "eventfu.check_in": {"en": "Check in", "ja": "チェックイン"},
    # --- check-in replies (ephemeral) ---
    "eventfu.checked_in": {
        "en": ":white_check_mark: You are checked in to *{title}* ({time}). Thank you for coming!",
        "ja": ":white_check_mark: *{title}* にチェックインしました（{time}）。ご参加ありがとうございます。",
    },
    "eventfu.checked_in.walk_in": {
        "en": "You had not answered the invitation, so you are now recorded as going.",
        "ja": "出欠の回答がなかったため、参加として記録しました。",
    },
    "eventfu.checked_in.already": {
        "en": "You already checked in to *{title}* at {time}.",
        "ja": "*{title}* には {time} にチェックイン済みです。",
    },
    "eventfu.error.gone": {
        "en": "This event was cancelled or no longer exists.",
        "ja": "このイベントは中止されたか、存在しません。",
    },
    "eventfu.error.too_early": {
        "en": "Check-in for *{title}* opens at {opens}, 15 minutes before the start. Please press Check in again then.",
        "ja": "*{title}* のチェックインは開始15分前の {opens} から受け付けます。その時刻以降にもう一度チェックインを押してください。",
    },
    "eventfu.error.over": {
        "en": "*{title}* ended at {ended}, so check-in is closed. If you took part, tell the secretariat.",
        "ja": "*{title}* は {ended} に終了したため、チェックインは締め切りました。参加された場合は事務局にお知らせください。",
    },
    # --- the survey DM ---
    "eventfu.survey.dm": {
        "en": ":clipboard: Thank you for taking part in *{title}*. Would you answer a one-minute survey? It helps the secretariat plan the next events.",
        "ja": ":clipboard: *{title}* へのご参加ありがとうございました。1分ほどのアンケートにご協力ください。次回以降のイベントの参考にします。",
    },
    "eventfu.survey.open_until": {
        "en": "Open until {closes}; you can change your answer until then.",
        "ja": "回答期限は {closes} です。期限までは回答を変更できます。",
    },
    "eventfu.survey.answered": {
        "en": ":white_check_mark: Thank you, your answer is recorded (rating {rating}/5).",
        "ja": ":white_check_mark: ご回答ありがとうございました（評価 {rating}/5）。",
    },
    "eventfu.survey.button": {"en": "Answer the survey", "ja": "アンケートに回答"},
    "eventfu.survey.change_button": {"en": "Change my answer", "ja": "回答を変更"},
    # --- the survey modal ---
    "eventfu.survey.modal.title": {"en": "Event survey", "ja": "イベントアンケート"},
    "eventfu.survey.modal.submit": {"en": "Send", "ja": "送信"},
    "eventfu.survey.modal.close": {"en": "Cancel", "ja": "キャンセル"},
    "eventfu.survey.modal.intro": {
        "en": "*{title}*\nThe secretariat gets a summary 48 hours after the event; comments are quoted without your name.",
        "ja": "*{title}*\nイベント終了48時間後に、集計結果を事務局に送ります。コメントはお名前を伏せて引用します。",
    },
    "eventfu.survey.rating": {"en": "How useful was it?", "ja": "役に立ちましたか"},
    "eventfu.survey.rating.5": {"en": "5 — very useful", "ja": "5 — とても役に立った"},
    "eventfu.survey.rating.4": {"en": "4 — useful", "ja": "4 — 役に立った"},
    "eventfu.survey.rating.3": {"en": "3 — somewhat", "ja": "3 — まあまあ"},
    "eventfu.survey.rating.2": {"en": "2 — a little", "ja": "2 — あまり役に立たなかった"},
    "eventfu.survey.rating.1": {"en": "1 — not useful", "ja": "1 — 役に立たなかった"},
    "eventfu.survey.useful": {"en": "What was useful", "ja": "役に立ったこと"},
    "eventfu.survey.change": {"en": "What would you change", "ja": "改善してほしいこと"},
    "eventfu.error.pick_rating": {
        "en": "Choose a rating from 1 to 5.",
        "ja": "1〜5 の評価を選択してください。",
    },
    "eventfu.error.too_long": {
        "en": "At most {limit} characters ({count} given).",
        "ja": "{limit}文字以内で入力してください（現在 {count} 文字）。",
    },
    "eventfu.error.not_attendee": {
        "en": "Only people who took part in this event (checked in, or answered Going) can answer its survey.",
        "ja": "このイベントのアンケートには、参加した方（チェックイン済み、または「参加」と回答した方）のみ回答できます。",
    },
    "eventfu.error.survey_not_open": {
        "en": "The survey opens when the event ends.",
        "ja": "アンケートはイベント終了後に回答できます。",
    },
    "eventfu.error.survey_closed": {
        "en": "The survey for this event has closed and its results went to the secretariat. Thank you all the same.",
        "ja": "このイベントのアンケートは締め切られ、結果は事務局に送られました。ご協力ありがとうございました。",
    },
    # --- the operators' summary ---
    "eventfu.summary.title": {"en": "Survey results: {title}", "ja": "アンケート結果: {title}"},
    "eventfu.summary.counts": {
        "en": "*{answers}* answers from *{asked}* attendees ({checked} checked in).",
        "ja": "参加者 *{asked}* 名中 *{answers}* 名が回答（チェックイン {checked} 名）。",
    },
    "eventfu.summary.mean": {"en": "Mean rating: *{mean}* / 5", "ja": "平均評価: *{mean}* / 5"},
    "eventfu.summary.no_answers": {"en": "No answers.", "ja": "回答はありませんでした。"},
    "eventfu.summary.useful": {"en": "*What was useful*", "ja": "*役に立ったこと*"},
    "eventfu.summary.change": {"en": "*What would you change*", "ja": "*改善してほしいこと*"},
    "eventfu.summary.cut": {
        "en": "{count} more comment(s) are not shown: Slack's limit on one message.",
        "ja": "ほか {count} 件のコメントは、Slack のメッセージの上限のため表示していません。",
    },
    "eventfu.summary.final": {
        "en": "The survey is now closed; comments are quoted without names.",
        "ja": "アンケートは締め切りました。コメントは氏名を伏せて引用しています。",
    },
    # --- the non-responder reminder (announcement thread) ---
    "eventfu.nonresponders": {
        "en": ":wave: Answers for *{title}* close {deadline}. Not answered yet: {mentions}\nPlease press Going, Maybe or Can't go on the announcement above.",
        "ja": ":wave: *{title}* の出欠回答の締め切りは {deadline} です。まだ回答していない方: {mentions}\n上の告知の「参加」「未定」「不参加」のいずれかを押してください。",
    },
}
