"""Messages of programme events (issue #6, groundwork): the announcement."""

CATALOG: dict[str, dict[str, str]] = {
    "event.when": {"en": ":calendar: {start} – {end}", "ja": ":calendar: {start} – {end}"},
    "event.where": {"en": ":round_pushpin: {place}", "ja": ":round_pushpin: {place}"},
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
}
