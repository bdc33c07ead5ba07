"""Messages of `/event import` (issue #6): the "Import a calendar" modal, everything that makes
an iCalendar file unreadable (each naming the event and, where known, the property), and the
operator's result DM.

Keys: `eventimport.*`, `eventimport.rule.*` (why a repetition rule cannot be used, the
`{reason}` of `eventimport.bad_rule`).
"""

CATALOG: dict[str, dict[str, str]] = {
    # --- the modal ---
    "eventimport.title": {"en": "Import a calendar", "ja": "カレンダーの取り込み"},
    "eventimport.submit": {"en": "Import", "ja": "取り込む"},
    "eventimport.intro": {
        "en": "Kiban creates an event for each event of the file; recurring ones for the next 90 days. Importing the same file again updates what changed, and cancels what the calendar cancelled.",
        "ja": "ファイルの各イベントからイベントを作成します。繰り返しのイベントは今後 90 日分です。同じファイルをもう一度取り込むと、変更点が更新され、カレンダーで中止されたイベントは中止されます。",
    },
    "eventimport.file": {"en": "Calendar file (.ics)", "ja": "カレンダーファイル（.ics）"},
    "eventimport.zone": {
        "en": "Time zone for times without one",
        "ja": "タイムゾーン指定のない時刻のタイムゾーン",
    },
    "eventimport.channel_hint": {
        "en": "New events, and imported ones not announced yet, are announced there (at most 10 at once).",
        "ja": "新しいイベントと、取り込み済みで未告知のイベントをここで告知します（一度に 10 件まで）。",
    },
    "eventimport.one_file": {
        "en": "Attach one .ics file.",
        "ja": ".ics ファイルを 1 つ添付してください。",
    },
    "eventimport.too_large": {
        "en": "The file is larger than 2 MB, the most Kiban reads for a calendar.",
        "ja": "ファイルがカレンダーの上限 2 MB を超えています。",
    },
    "eventimport.announce_many": {
        "en": "This would announce {count} events at once (new ones and imported ones not announced yet; at most {limit}, to keep the channel readable). Leave Announce in empty, or import a smaller file.",
        "ja": "{count} 件のイベント（新しいものと、取り込み済みで未告知のもの）を一度に告知することになります（チャンネルが読みにくくならないよう上限は {limit} 件）。告知チャンネルを空欄にするか、小さなファイルを取り込んでください。",
    },
    # --- a file Kiban cannot read ---
    "eventimport.not_text": {
        "en": "The file is not text in an encoding Kiban reads (UTF-8, UTF-16 with a byte order mark, or Shift_JIS), so it is not an iCalendar file Kiban can read.",
        "ja": "ファイルが Kiban の読める文字コード（UTF-8、BOM 付きの UTF-16、Shift_JIS）のテキストではないため、iCalendar ファイルとして読めません。",
    },
    "eventimport.too_many_vevents": {
        "en": "The file holds {count} events (VEVENT), past ones included; Kiban reads at most {limit} from one file. Export only the coming months from your calendar app.",
        "ja": "ファイルには過去のものを含め {count} 件のイベント（VEVENT）があります。1 ファイルから読めるのは {limit} 件までです。カレンダーアプリから今後数か月分だけを書き出してください。",
    },
    "eventimport.not_calendar": {
        "en": "This is not an iCalendar (.ics) file Kiban can read: {detail}",
        "ja": "iCalendar（.ics）ファイルとして読めません: {detail}",
    },
    "eventimport.not_vcalendar": {
        "en": "This is not an iCalendar file: it must start with BEGIN:VCALENDAR.",
        "ja": "iCalendar ファイルではありません（BEGIN:VCALENDAR で始まる必要があります）。",
    },
    "eventimport.no_start": {
        "en": "The event “{title}” has no start time (DTSTART).",
        "ja": "イベント「{title}」に開始日時（DTSTART）がありません。",
    },
    "eventimport.no_uid": {
        "en": "The event “{title}” has no UID: Kiban needs it to recognise the event when the calendar is imported again. Export the calendar again from your calendar app.",
        "ja": "イベント「{title}」に UID がありません。もう一度取り込んだときに同じイベントだと分かるよう UID が必要です。カレンダーアプリから書き出し直してください。",
    },
    "eventimport.duplicate_uid": {
        "en": "Two events in the file have the same UID “{uid}” (“{title}” and “{other}”) and neither is a changed occurrence of a repeating event (RECURRENCE-ID), so Kiban cannot tell which one is meant. Remove one of them, or give it its own UID.",
        "ja": "ファイル内の 2 つのイベント（「{title}」と「{other}」）が同じ UID「{uid}」を持ち、どちらも繰り返しイベントの変更（RECURRENCE-ID）ではないため、どちらが正しいか判断できません。一方を削除するか、別の UID を付けてください。",
    },
    "eventimport.duplicate_recurrence": {
        "en": "The repeating event “{title}” (UID “{uid}”) changes its occurrence of {when} twice (two events with the same RECURRENCE-ID). Remove one of them.",
        "ja": "繰り返しイベント「{title}」（UID「{uid}」）の {when} の回が 2 回変更されています（RECURRENCE-ID が同じイベントが 2 つ）。一方を削除してください。",
    },
    "eventimport.bad_line": {
        "en": "The event “{title}” has a line Kiban cannot read ({detail}).",
        "ja": "イベント「{title}」に読めない行があります（{detail}）。",
    },
    "eventimport.bad_property": {
        "en": "The event “{title}” has a value Kiban cannot read in {prop}: “{value}” ({detail}).",
        "ja": "イベント「{title}」の {prop} が読めません: 「{value}」（{detail}）。",
    },
    "eventimport.repeated_property": {
        "en": "The event “{title}” has {prop} more than once; it may have only one.",
        "ja": "イベント「{title}」に {prop} が複数あります（1 つだけにしてください）。",
    },
    "eventimport.bad_type": {
        "en": "The event “{title}” has a {prop} that is not a date or a date-time.",
        "ja": "イベント「{title}」の {prop} が日付でも日時でもありません。",
    },
    "eventimport.end_type": {
        "en": "The event “{title}” starts on a date (all day) and ends at a time, or the other way round: DTSTART and DTEND must both be dates or both be date-times.",
        "ja": "イベント「{title}」は開始が日付（終日）で終了が日時、またはその逆です。DTSTART と DTEND はどちらも日付か、どちらも日時にしてください。",
    },
    "eventimport.end_and_duration": {
        "en": "The event “{title}” has both an end (DTEND) and a length (DURATION); it may have only one.",
        "ja": "イベント「{title}」に終了（DTEND）と長さ（DURATION）の両方があります（どちらか一方にしてください）。",
    },
    "eventimport.days_duration": {
        "en": "The all-day event “{title}” lasts {value} (DURATION), which is not a whole number of days.",
        "ja": "終日イベント「{title}」の長さ（DURATION）{value} が日単位ではありません。",
    },
    "eventimport.end_before_start": {
        "en": "The event “{title}” ends ({end}) before or when it starts ({start}). Correct its end (DTEND or DURATION).",
        "ja": "イベント「{title}」の終了（{end}）が開始（{start}）より前か同じです。終了（DTEND または DURATION）を直してください。",
    },
    "eventimport.unknown_zone": {
        "en": "The event “{title}” gives its {prop} in the time zone “{tzid}”, which Kiban does not know: it is not an IANA name (such as Asia/Tokyo), not a Windows zone name, and not defined by a VTIMEZONE in the file. Export the calendar again with a standard time zone.",
        "ja": "イベント「{title}」の {prop} のタイムゾーン「{tzid}」が分かりません（Asia/Tokyo のような IANA 名でも Windows のタイムゾーン名でもなく、ファイル内の VTIMEZONE にも定義がありません）。標準のタイムゾーンでカレンダーを書き出し直してください。",
    },
    "eventimport.zone_unmatched": {
        "en": "The time zone “{tzid}” defined in the file (used by the event “{title}”) matches no time zone Kiban knows: its UTC offsets around the coming months are those of no IANA zone.",
        "ja": "ファイルで定義されたタイムゾーン「{tzid}」（イベント「{title}」が使用）が、Kiban の知っているどのタイムゾーンとも一致しません（今後数か月の UTC との時差が一致する IANA タイムゾーンがありません）。",
    },
    "eventimport.cannot_read": {
        "en": "Kiban cannot read the event “{title}”: {detail}.",
        "ja": "イベント「{title}」を読めません: {detail}。",
    },
    "eventimport.cannot_expand": {
        "en": "Kiban cannot work out the dates of the repeating event “{title}”: {detail}.",
        "ja": "繰り返しイベント「{title}」の日付を求められません: {detail}。",
    },
    "eventimport.bad_rule": {
        "en": "The repeating event “{title}” has a repetition rule Kiban cannot use (RRULE:{rule}): {reason}.",
        "ja": "繰り返しイベント「{title}」の繰り返しルール（RRULE:{rule}）を使えません: {reason}。",
    },
    "eventimport.rule.no_freq": {"en": "it has no FREQ", "ja": "FREQ がありません"},
    "eventimport.rule.unknown_part": {
        "en": "{part} is not a part of an RFC 5545 repetition rule",
        "ja": "{part} は RFC 5545 の繰り返しルールにない項目です",
    },
    "eventimport.rule.count_and_until": {
        "en": "it has both COUNT and UNTIL, and may have only one",
        "ja": "COUNT と UNTIL の両方があります（どちらか一方にしてください）",
    },
    "eventimport.rule.at_least_one": {
        "en": "{part} must be 1 or more",
        "ja": "{part} は 1 以上でなければなりません",
    },
    "eventimport.rule.range": {
        "en": "{part}={value} is outside the values it may take",
        "ja": "{part}={value} は取り得る値の範囲外です",
    },
    "eventimport.rule.not_with": {
        "en": "{part} cannot be used with FREQ={freq}",
        "ja": "{part} は FREQ={freq} と一緒に使えません",
    },
    "eventimport.rule.setpos_alone": {
        "en": "BYSETPOS needs another BY… part to choose from",
        "ja": "BYSETPOS には選ぶ対象となる他の BY… 項目が必要です",
    },
    "eventimport.rule.often_on_days": {
        "en": "an event repeating every hour, minute or second may be narrowed only by BYHOUR, BYMINUTE and BYSECOND (not {part})",
        "ja": "毎時・毎分・毎秒の繰り返しを絞り込めるのは BYHOUR・BYMINUTE・BYSECOND だけです（{part} は使えません）",
    },
    "eventimport.rule.often_all_day": {
        "en": "an all-day event cannot repeat every hour, minute or second",
        "ja": "終日イベントを毎時・毎分・毎秒繰り返すことはできません",
    },
    "eventimport.rule.never": {
        "en": "it gives no date at all (its parts contradict each other, such as 30 February)",
        "ja": "日付が 1 つも生じません（2 月 30 日のように項目が矛盾しています）",
    },
    "eventimport.rule.library": {"en": "{detail}", "ja": "{detail}"},
    "eventimport.too_many": {
        "en": "The file holds more than {limit} events from now to {days} days ahead (the limit is passed at “{title}”); Kiban imports at most {limit} at once. Import a calendar covering less.",
        "ja": "ファイルには今後 {days} 日に {limit} 件を超えるイベントがあります（「{title}」で上限を超えました）。一度に取り込めるのは {limit} 件までです。期間の短いカレンダーを取り込んでください。",
    },
    "eventimport.repeats_too_often": {
        "en": "The repeating event “{title}” alone has more than {limit} events in the next {days} days (RRULE:{rule}); Kiban imports at most {limit} events at once. Give it an end (COUNT or UNTIL) or a longer interval.",
        "ja": "繰り返しイベント「{title}」だけで今後 {days} 日に {limit} 件を超えるイベントがあります（RRULE:{rule}）。一度に取り込めるのは {limit} 件までです。終わり（COUNT または UNTIL）を付けるか、間隔を広げてください。",
    },
    "eventimport.too_long": {
        "en": "Working out the dates of the repeating event “{title}” (RRULE:{rule}, from {start}) means going through about {steps} candidate dates, more than the {limit} Kiban goes through for one file. Give it a later start (DTSTART), an end (COUNT or UNTIL), or a simpler rule.",
        "ja": "繰り返しイベント「{title}」（RRULE:{rule}、{start} から）の日付を求めるには約 {steps} 個の候補日を調べる必要があり、1 ファイルの上限 {limit} を超えます。開始日（DTSTART）を遅くするか、終わり（COUNT または UNTIL）を付けるか、ルールを簡単にしてください。",
    },
    # --- the result DM ---
    "eventimport.done": {"en": "Calendar imported.", "ja": "カレンダーを取り込みました。"},
    "eventimport.nothing": {
        "en": "The file holds no events.",
        "ja": "ファイルにイベントがありません。",
    },
    "eventimport.created": {"en": "*Created: {count}*", "ja": "*作成: {count} 件*"},
    "eventimport.updated": {"en": "*Updated: {count}*", "ja": "*更新: {count} 件*"},
    "eventimport.cancelled": {
        "en": "*Cancelled, as in the calendar: {count}* (everyone who answered was told)",
        "ja": "*カレンダーで中止されたため中止: {count} 件*（回答した全員に通知しました）",
    },
    "eventimport.unchanged": {"en": "*Unchanged: {count}*", "ja": "*変更なし: {count} 件*"},
    "eventimport.kept_cancelled": {
        "en": "*Already cancelled in Kiban, left as they are: {count}*",
        "ja": "*Kiban で中止済みのため変更せず: {count} 件*",
    },
    "eventimport.started": {
        "en": "*Not imported, already started: {count}*",
        "ja": "*開始済みのため取り込まず: {count} 件*",
    },
    "eventimport.cancelled_skipped": {
        "en": "*Not imported, cancelled in the calendar: {count}*",
        "ja": "*カレンダーで中止済みのため取り込まず: {count} 件*",
    },
    "eventimport.past": {
        "en": "*Not imported, already ended: {count}*",
        "ja": "*終了済みのため取り込まず: {count} 件*",
    },
    "eventimport.later": {
        "en": "*Not imported yet, repeating events with no date in the next {days} days: {count}* (the next date is shown; import the calendar again nearer the time)",
        "ja": "*今後 {days} 日に日付がない繰り返しイベントのため未取り込み: {count} 件*（次の日付を表示しています。近くなってからもう一度取り込んでください）",
    },
    "eventimport.announced": {
        "en": "Announced in <#{channel}>: {count} events.",
        "ja": "<#{channel}> で {count} 件のイベントを告知しました。",
    },
    "eventimport.not_announced": {
        "en": "*Saved but not announced: {count}*",
        "ja": "*保存済み・告知できなかったイベント: {count} 件*",
    },
    "eventimport.not_announced_item": {
        "en": "• {title} — <#{channel}>: Slack said `{code}`",
        "ja": "• {title} — <#{channel}>: Slack のエラー `{code}`",
    },
    "eventimport.not_announced_fix": {
        "en": "To announce them: invite Kiban to the channel (`/invite @Kiban`), then edit each event from `/event list` and save it (or import the file again with Announce in set).",
        "ja": "告知するには、Kiban をチャンネルに招待（`/invite @Kiban`）してから、`/event list` で各イベントを編集して保存してください（告知チャンネルを指定してもう一度取り込んでも告知されます）。",
    },
}
