"""Messages of the event participation statistics (issue #6): `/event stats [YYYY-MM]`
(operators) and the event section of the monthly report.

Keys: `eventstats.*`, `eventstats.col.*` (table columns), `eventstats.md.*` (the report).
"""

CATALOG: dict[str, dict[str, str]] = {
    "eventstats.title": {"en": "Event participation", "ja": "イベント参加状況"},
    "eventstats.title_period": {
        "en": "Event participation: {period}",
        "ja": "イベント参加状況: {period}",
    },
    "eventstats.last_12_months": {
        "en": "last 12 months ({start} – {end})",
        "ja": "過去12か月（{start}〜{end}）",
    },
    "eventstats.definitions": {
        "en": "Events not cancelled that started in the period, dates in the programme's zone ({zone}). A person counts for every organization they belong to. *Answered*: RSVPs with any answer; *went*: confirmed “going” answers (not waitlisted) for events that have started; *checked in*: people checked in at the event. An organization's events are those its members answered.",
        "ja": "期間内に開始した（中止されていない）イベントが対象で、日付はプログラムのタイムゾーン（{zone}）です。複数の組織に所属する人はそれぞれの組織で数えます。*回答*: 出欠回答の数（回答の種類を問わず）、*参加*: 開始済みのイベントへの確定した「参加」回答（キャンセル待ちを除く）、*チェックイン*: 会場でチェックインした人数です。組織別のイベント数は、その組織のメンバーが回答したイベントの数です。",
    },
    "eventstats.by_org": {"en": "By organization", "ja": "組織別"},
    "eventstats.by_event": {"en": "By event", "ja": "イベント別"},
    "eventstats.org_line": {
        "en": "• *{org}*: {people} of {members} member(s) answered · {events} event(s) · answered {answered} · went {went} · checked in {checked_in}",
        "ja": "• *{org}*: 回答者 {people} / {members} 人 · イベント {events} 件 · 回答 {answered} · 参加 {went} · チェックイン {checked_in}",
    },
    "eventstats.org_line_no_members": {
        "en": "• *{org}*: {people} person(s) answered · {events} event(s) · answered {answered} · went {went} · checked in {checked_in}",
        "ja": "• *{org}*: 回答者 {people} 人 · イベント {events} 件 · 回答 {answered} · 参加 {went} · チェックイン {checked_in}",
    },
    "eventstats.total_line": {
        "en": "*Total*: {events} event(s) · {people} person(s) answered · answered {answered} · went {went} · checked in {checked_in}",
        "ja": "*合計*: イベント {events} 件 · 回答者 {people} 人 · 回答 {answered} · 参加 {went} · チェックイン {checked_in}",
    },
    "eventstats.event_line": {
        "en": "• *{title}* · {date}{upcoming} · going {going}/{capacity} · checked in {checked_in} · survey {surveys} answer(s), {rating}",
        "ja": "• *{title}* · {date}{upcoming} · 参加 {going}/{capacity} · チェックイン {checked_in} · アンケート {surveys} 件、{rating}",
    },
    "eventstats.upcoming": {"en": " (not started yet)", "ja": "（未開始）"},
    "eventstats.waitlisted": {"en": " (+{count} waitlisted)", "ja": "（キャンセル待ち {count}）"},
    "eventstats.no_limit": {"en": "no limit", "ja": "上限なし"},
    "eventstats.rating": {"en": "mean rating {rating}/5", "ja": "平均評価 {rating}/5"},
    "eventstats.no_rating": {"en": "no rating", "ja": "評価なし"},
    "eventstats.no_org": {"en": "No organization", "ja": "所属組織なし"},
    "eventstats.more_events": {
        "en": "{count} more event(s) not shown.",
        "ja": "ほか {count} 件のイベントは表示していません。",
    },
    "eventstats.more_orgs": {
        "en": "{count} more organization(s) not shown.",
        "ja": "ほか {count} 組織は表示していません。",
    },
    "eventstats.empty": {
        "en": "No event started in this period.",
        "ja": "この期間に開始したイベントはありません。",
    },
    "eventstats.usage": {
        "en": "Usage: `/event stats [YYYY-MM]` (without a month: the last 12 months).",
        "ja": "使い方: `/event stats [YYYY-MM]`（月を省略すると過去12か月）",
    },
    # --- table columns (the report) ------------------------------------------------------
    "eventstats.col.org": {"en": "Organization", "ja": "組織"},
    "eventstats.col.members": {"en": "Members", "ja": "メンバー数"},
    "eventstats.col.people": {"en": "People who answered", "ja": "回答者数"},
    "eventstats.col.events": {"en": "Events", "ja": "イベント数"},
    "eventstats.col.answered": {"en": "Answered", "ja": "回答"},
    "eventstats.col.went": {"en": "Went", "ja": "参加"},
    "eventstats.col.checked_in": {"en": "Checked in", "ja": "チェックイン"},
    "eventstats.col.title": {"en": "Event", "ja": "イベント"},
    "eventstats.col.start": {"en": "Start", "ja": "開始日"},
    "eventstats.col.going": {"en": "Going / capacity", "ja": "参加 / 定員"},
    "eventstats.col.surveys": {"en": "Survey answers", "ja": "アンケート回答"},
    "eventstats.col.rating": {"en": "Mean rating", "ja": "平均評価"},
    "eventstats.total": {"en": "Total", "ja": "合計"},
    "eventstats.md.definitions": {
        "en": "Events not cancelled that started in the month ({zone}). A person counts for every organization they belong to. Answered: RSVPs with any answer; went: confirmed “going” answers (not waitlisted) for events that had started; checked in: people checked in at the event. Events (per organization): events its members answered.",
        "ja": "その月に開始した（中止されていない）イベントが対象です（{zone}）。複数の組織に所属する人はそれぞれの組織で数えます。回答: 出欠回答の数（回答の種類を問わず）、参加: 開始済みのイベントへの確定した「参加」回答（キャンセル待ちを除く）、チェックイン: 会場でチェックインした人数。イベント数（組織別）: その組織のメンバーが回答したイベントの数。",
    },
    "eventstats.md.empty": {
        "en": "No event started in this month.",
        "ja": "この月に開始したイベントはありません。",
    },
}
