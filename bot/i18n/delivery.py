"""Messages of quiet-hours delivery: the note added to a direct message that Kiban held back
during the recipient's quiet hours, weekend or holiday. `{raised}` is the moment the message
was decided, in the recipient's own zone (e.g. `2026-05-02 23:14 PDT`)."""

CATALOG: dict[str, dict[str, str]] = {
    "delivery.deferred.note": {
        "en": ":zzz: Held back during your quiet hours; Kiban raised this at {raised}.",
        "ja": ":zzz: 業務時間外のため配信を保留していました（発生: {raised}）。",
    },
}
