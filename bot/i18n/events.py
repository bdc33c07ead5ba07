"""Messages of programme events (issue #6): the announcement, the event modal, RSVP replies,
change / cancel / promotion DMs and `/event list` (`/event import` has its own catalog)."""

CATALOG: dict[str, dict[str, str]] = {
    "event.when": {"en": ":calendar: {start} – {end}", "ja": ":calendar: {start} – {end}"},
    "event.when_days": {"en": ":calendar: {days} (all day)", "ja": ":calendar: {days}（終日）"},
    "event.where": {"en": ":round_pushpin: {place}", "ja": ":round_pushpin: {place}"},
    "event.hosts": {
        "en": ":bust_in_silhouette: Hosts: {hosts}",
        "ja": ":bust_in_silhouette: 主催: {hosts}",
    },
    "event.purpose": {
        "en": "*Purpose and expected outcome*\n{text}",
        "ja": "*目的と期待される成果*\n{text}",
    },
    "event.counts": {
        "en": "Going {going} · Maybe {maybe} · Can't go {cant}",
        "ja": "参加 {going} · 未定 {maybe} · 不参加 {cant}",
    },
    "event.counts_waitlist": {"en": " · Waitlist {count}", "ja": " · キャンセル待ち {count}"},
    "event.cancelled_title": {"en": "Cancelled: {title}", "ja": "中止: {title}"},
    "event.going": {"en": "Going", "ja": "参加"},
    "event.maybe": {"en": "Maybe", "ja": "未定"},
    "event.cant": {"en": "Can't go", "ja": "不参加"},
    "event.calendar": {"en": "Add to calendar", "ja": "カレンダーに追加"},
    "event.help": {
        "en": "*`/event` — programme events*\n• `/event list [YYYY-MM]` — upcoming events (or a month's) and your answers\n• `/event create` — create and announce an event (operators)\n• `/event import` — create events from an iCalendar (.ics) file (operators)\n• `/event stats [YYYY-MM]` — participation per organization (operators)",
        "ja": "*`/event` — プログラムのイベント*\n• `/event list [YYYY-MM]` — 今後（または指定月）のイベントとあなたの回答\n• `/event create` — イベントを作成して告知する（事務局）\n• `/event import` — iCalendar（.ics）ファイルからイベントを作成する（事務局）\n• `/event stats [YYYY-MM]` — 組織ごとの参加状況（事務局）",
    },
    "event.unknown_subcommand": {
        "en": "`/event {sub}` is not a Kiban command.",
        "ja": "`/event {sub}` というコマンドはありません。",
    },
    # --- the event modal ---
    "event.modal.title": {"en": "Create an event", "ja": "イベントの作成"},
    "event.modal.edit_title": {"en": "Edit event", "ja": "イベントの編集"},
    "event.modal.create": {"en": "Create", "ja": "作成する"},
    "event.modal.save": {"en": "Save", "ja": "保存する"},
    "event.modal.close": {"en": "Cancel", "ja": "キャンセル"},
    "event.modal.times_note": {
        "en": "Times are in the event's time zone. Each reader sees them in their own zone. Answers close at the end of the RSVP deadline day (or at the start).",
        "ja": "日時はイベントのタイムゾーンで入力します。告知は読む人それぞれのタイムゾーンで表示されます。回答は締切日の終わり（または開始時刻）まで受け付けます。",
    },
    "event.field.title": {"en": "Title", "ja": "タイトル"},
    "event.field.description": {"en": "Description", "ja": "説明"},
    "event.field.purpose": {"en": "Purpose and expected outcome", "ja": "目的と期待される成果"},
    "event.field.start_date": {"en": "Starts (date)", "ja": "開始日"},
    "event.field.start_time": {"en": "Starts (time)", "ja": "開始時刻"},
    "event.field.end_date": {"en": "Ends (date, if another day)", "ja": "終了日（別の日の場合）"},
    "event.field.end_time": {"en": "Ends (time)", "ja": "終了時刻"},
    "event.field.zone": {"en": "Time zone", "ja": "タイムゾーン"},
    "event.field.location": {"en": "Location or link", "ja": "場所またはリンク"},
    "event.field.capacity": {"en": "Capacity", "ja": "定員"},
    "event.field.deadline": {"en": "RSVP deadline", "ja": "回答締切日"},
    "event.field.channel": {"en": "Announce in", "ja": "告知するチャンネル"},
    "event.field.channel_hint": {
        "en": "Invite Kiban to the channel first. Leave empty to announce later.",
        "ja": "先に Kiban をチャンネルに招待してください。空欄なら後で告知できます。",
    },
    "event.field.hosts": {"en": "Hosts", "ja": "主催者"},
    "event.field.invited": {
        "en": "Invited organizations (empty: all)",
        "ja": "招待する組織（空欄: すべて）",
    },
    "event.error.required": {"en": "Please fill this in.", "ja": "入力してください。"},
    "event.error.too_long": {
        "en": "Please keep this within {limit} characters.",
        "ja": "{limit} 文字以内で入力してください。",
    },
    "event.error.zone": {
        "en": "Pick a time zone from the list.",
        "ja": "一覧からタイムゾーンを選んでください。",
    },
    "event.error.pick_date": {"en": "Pick a date.", "ja": "日付を選んでください。"},
    "event.error.pick_time": {"en": "Pick a time.", "ja": "時刻を選んでください。"},
    "event.error.no_such_time": {
        "en": "{time} does not exist or happens twice in {zone} (the clocks change that night). Pick another time.",
        "ja": "{time} は {zone} では存在しないか 2 回あります（その夜に時計が切り替わります）。別の時刻を選んでください。",
    },
    "event.error.end_before_start": {
        "en": "The end must be after the start (set the end date if it ends the next day).",
        "ja": "終了は開始より後にしてください（翌日に終わる場合は終了日を指定してください）。",
    },
    "event.error.deadline_after_start": {
        "en": "The RSVP deadline must be on or before the start date.",
        "ja": "回答締切日は開始日以前にしてください。",
    },
    "event.error.capacity": {
        "en": "The capacity is a whole number from 1 to {limit} (leave it empty for no limit).",
        "ja": "定員は 1〜{limit} の整数で入力してください（上限なしなら空欄）。",
    },
    "event.error.unknown_org": {
        "en": "One of the organizations no longer exists. Reopen the form.",
        "ja": "選んだ組織の一部が見つかりません。フォームを開き直してください。",
    },
    "event.error.not_invited": {
        "en": "“{title}” is for the organizations the secretariat invited, and yours is not one of them. Ask the secretariat if you should take part.",
        "ja": "「{title}」は事務局が招待した組織向けのイベントで、あなたの組織は含まれていません。参加が必要な場合は事務局に相談してください。",
    },
    "event.updated": {
        "en": "Saved; the announcement shows the change.",
        "ja": "保存しました。告知にも反映しました。",
    },
    "event.over_capacity": {
        "en": "{going} people are going, more than the new capacity of {capacity}: nobody loses their seat, new answers wait for one.",
        "ja": "参加者が {going} 人で、新しい定員 {capacity} 人を超えています。すでに参加の人はそのままで、新しい回答はキャンセル待ちになります。",
    },
    "event.error.start_past": {
        "en": "The start is in the past. Pick a later date or time.",
        "ja": "開始日時が過去です。後の日時を選んでください。",
    },
    "event.error.closed": {
        "en": "Answers for “{title}” closed at {closed}. Ask the hosts or the secretariat if your plans changed.",
        "ja": "「{title}」の回答受付は {closed} に締め切られました。予定が変わった場合は主催者か事務局に連絡してください。",
    },
    # --- after saving ---
    "event.saved": {
        "en": "Saved. It is not announced in a channel yet: edit it from `/event list` to announce it.",
        "ja": "保存しました。まだチャンネルで告知していません。`/event list` から編集して告知できます。",
    },
    "event.announced": {
        "en": "Saved and announced in <#{channel}>.",
        "ja": "保存し、<#{channel}> で告知しました。",
    },
    "event.announce_failed": {
        "en": "Saved, but Slack refused the announcement in <#{channel}> ({code}). Invite Kiban to the channel (`/invite @Kiban`), then edit the event from `/event list` to announce it.",
        "ja": "保存しましたが、<#{channel}> での告知を Slack が拒否しました（{code}）。Kiban をチャンネルに招待（`/invite @Kiban`）し、`/event list` から編集して告知してください。",
    },
    # --- RSVP ---
    "event.reply.going": {
        "en": "You're going to “{title}”. Kiban will remind you 24 hours and 1 hour before.",
        "ja": "「{title}」に参加で登録しました。24 時間前と 1 時間前にお知らせします。",
    },
    "event.reply.maybe": {
        "en": "You answered maybe for “{title}”.",
        "ja": "「{title}」に未定で回答しました。",
    },
    "event.reply.cant": {
        "en": "You answered can't go for “{title}”.",
        "ja": "「{title}」に不参加で回答しました。",
    },
    "event.reply.waitlisted": {
        "en": "“{title}” is full: you are number {position} on the waitlist. Kiban will tell you if a seat frees up.",
        "ja": "「{title}」は満席のため、キャンセル待ち {position} 番目です。空きが出たらお知らせします。",
    },
    "event.promoted": {
        "en": "A seat freed up: you're now *going* to *{title}*.\n{facts}\nIf you can no longer come, answer Can't go so the next person gets the seat.",
        "ja": "空きが出たため、*{title}* に *参加* が確定しました。\n{facts}\n参加できなくなった場合は「不参加」と回答してください。次の方に席が回ります。",
    },
    "event.promoted_short": {"en": "You're in: {title}", "ja": "参加確定: {title}"},
    "event.changed": {
        "en": "*{title}* has changed.\n*Before*\n{before}\n*Now*\n{after}",
        "ja": "*{title}* の日時または場所が変わりました。\n*変更前*\n{before}\n*変更後*\n{after}",
    },
    "event.changed_short": {"en": "Changed: {title}", "ja": "変更: {title}"},
    "event.cancelled_dm": {
        "en": "*{title}* is cancelled.\n{facts}",
        "ja": "*{title}* は中止になりました。\n{facts}",
    },
    "event.cancelled_done": {
        "en": "“{title}” is cancelled; everyone who answered was told.",
        "ja": "「{title}」を中止しました。回答した全員に連絡しました。",
    },
    "event.calendar_dm": {
        "en": "“{title}” as a calendar file: open it to add the event to your calendar.",
        "ja": "「{title}」のカレンダーファイルです。開くとカレンダーに追加できます。",
    },
    # --- /event list ---
    "event.list.title": {"en": "Upcoming events", "ja": "今後のイベント"},
    "event.list.empty": {"en": "No upcoming events.", "ja": "今後のイベントはありません。"},
    "event.list.create": {
        "en": "Create one with `/event create`.",
        "ja": "`/event create` で作成できます。",
    },
    "event.list.announced": {"en": "Announced in <#{channel}>", "ja": "<#{channel}> で告知"},
    "event.list.more": {"en": "…and {count} more.", "ja": "…ほか {count} 件。"},
    "event.yours.going": {"en": "You: *going*", "ja": "あなた: *参加*"},
    "event.yours.maybe": {"en": "You: *maybe*", "ja": "あなた: *未定*"},
    "event.yours.cant": {"en": "You: *can't go*", "ja": "あなた: *不参加*"},
    "event.yours.none": {"en": "You: not answered", "ja": "あなた: 未回答"},
    "event.yours.waitlisted": {
        "en": "You: *waitlist #{position}*",
        "ja": "あなた: *キャンセル待ち {position} 番目*",
    },
    "event.edit": {"en": "Edit", "ja": "編集"},
    "event.cancel_event": {"en": "Cancel event", "ja": "中止する"},
    "event.cancel_confirm.title": {"en": "Cancel this event?", "ja": "イベントを中止しますか？"},
    "event.cancel_confirm.text": {
        "en": "Everyone who answered “{title}” gets a DM. This cannot be undone.",
        "ja": "「{title}」に回答した全員に DM が届きます。元に戻せません。",
    },
    "event.cancel_confirm.yes": {"en": "Cancel the event", "ja": "中止する"},
    "event.cancel_confirm.no": {"en": "Keep it", "ja": "やめる"},
}
