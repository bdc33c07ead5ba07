"""Messages of allocation management: the operators' `/compute admin` list and modal, change
requests (filed by organization leads, reviewed by operators) and the reconciliation warning
(a self-report that disagrees with a measured figure). Placeholders are filled with values the
caller has already escaped for mrkdwn where needed."""

CATALOG: dict[str, dict[str, str]] = {
    # --- /compute admin ---
    "alloc.admin.title": {"en": "Allocations and plans", "ja": "割当と計画"},
    "alloc.admin.intro": {
        "en": "Edit an allocation (grant, end date, monthly plan) or add one. The YAML setup import (`kiban admin import`) does the same in bulk.",
        "ja": "割当（付与量・終了日・月次計画）を編集するか、新しい割当を追加します。一括登録は YAML の取り込み（`kiban admin import`）でもできます。",
    },
    "alloc.admin.new_button": {"en": "New allocation", "ja": "新しい割当"},
    "alloc.admin.none": {"en": "No allocations yet.", "ja": "割当はまだありません。"},
    "alloc.admin.line": {
        "en": "{label}: {granted} GPU-hours granted, {start} – {end}, {planned} planned",
        "ja": "{label}: 付与 {granted} GPU時間、{start}〜{end}、計画 {planned}",
    },
    "alloc.modal.title_new": {"en": "New allocation", "ja": "新しい割当"},
    "alloc.modal.title_edit": {"en": "Edit allocation", "ja": "割当の編集"},
    "alloc.modal.submit": {"en": "Save", "ja": "保存"},
    "alloc.modal.close": {"en": "Cancel", "ja": "キャンセル"},
    "alloc.modal.editing": {
        "en": "*{org}* · {label}, from {start}. Provider, GPU type and start date identify the allocation; to change them, add a new one.",
        "ja": "*{org}* · {label}（{start} 開始）。プロバイダ・GPU種別・開始日で割当を識別します。これらを変える場合は新しい割当を追加してください。",
    },
    "alloc.field.org": {"en": "Organization", "ja": "組織"},
    "alloc.field.provider": {"en": "Provider / cluster", "ja": "プロバイダ / クラスタ"},
    "alloc.field.gpu_type": {"en": "GPU type", "ja": "GPU種別"},
    "alloc.field.granted": {"en": "Granted GPU-hours", "ja": "付与GPU時間"},
    "alloc.field.start": {"en": "Period start", "ja": "期間の開始日"},
    "alloc.field.end": {"en": "Period end", "ja": "期間の終了日"},
    "alloc.field.plans": {"en": "Monthly plan", "ja": "月次計画"},
    "alloc.field.plans_hint": {
        "en": "One month per line, e.g. 2026-04: 1200. This is the whole plan: months left out have no plan.",
        "ja": "1行に1か月（例: 2026-04: 1200）。ここに書いた内容が計画のすべてです。書かれていない月は計画なしになります。",
    },
    "alloc.error.required": {"en": "Enter this field.", "ja": "入力してください。"},
    "alloc.error.pick_org": {"en": "Choose an organization.", "ja": "組織を選択してください。"},
    "alloc.error.end_before_start": {
        "en": "The end date must be on or after the start date.",
        "ja": "終了日は開始日以降の日付にしてください。",
    },
    "alloc.error.end_before_usage": {
        "en": "Usage is reported up to {month}: the period cannot end before that month.",
        "ja": "{month} まで利用実績が報告されています。期間の終了をそれより前にはできません。",
    },
    "alloc.error.plan_outside": {
        "en": "Plan months outside the period {start} – {end}: {months}.",
        "ja": "期間（{start}〜{end}）の外の月があります: {months}",
    },
    "alloc.error.plan_over_grant": {
        "en": "The monthly plans add up to {planned} GPU-hours, more than the {granted} granted.",
        "ja": "月次計画の合計 {planned} GPU時間が、付与量 {granted} GPU時間を超えています。",
    },
    "alloc.error.exists": {
        "en": "{org} already has a {label} allocation starting {start}; edit it from `/compute admin` instead.",
        "ja": "{org} には {start} 開始の {label} の割当がすでにあります。`/compute admin` から編集してください。",
    },
    "alloc.error.gone": {
        "en": "This allocation no longer exists.",
        "ja": "この割当は存在しません。",
    },
    "alloc.saved": {
        "en": "Saved {org} · {label} ({start} – {end}): {granted} GPU-hours granted, {planned} planned over {months} month(s).",
        "ja": "{org} · {label}（{start}〜{end}）を保存しました: 付与 {granted} GPU時間、{months} か月の計画 {planned} GPU時間。",
    },
    # --- change requests: the modal ---
    "change.modal.title": {"en": "Request a change", "ja": "割当の変更申請"},
    "change.modal.submit": {"en": "Send request", "ja": "申請する"},
    "change.modal.close": {"en": "Cancel", "ja": "キャンセル"},
    "change.modal.intro": {
        "en": "The secretariat reviews the request and you are told the decision in a DM. Fill only the field of the kind you choose.",
        "ja": "事務局が審査し、結果をDMでお知らせします。選んだ種類の欄だけを入力してください。",
    },
    "change.field.allocation": {"en": "Allocation", "ja": "割当"},
    "change.field.kind": {"en": "Kind of change", "ja": "変更の種類"},
    "change.field.extra": {"en": "Additional GPU-hours", "ja": "追加するGPU時間"},
    "change.field.new_end": {"en": "New end date", "ja": "新しい終了日"},
    "change.field.plans": {"en": "New monthly plan", "ja": "新しい月次計画"},
    "change.field.plans_hint": {
        "en": "Only the months you list change, one per line, e.g. 2026-05: 1500.",
        "ja": "書いた月だけが変わります。1行に1か月（例: 2026-05: 1500）。",
    },
    "change.field.justification": {"en": "Justification", "ja": "理由"},
    "change.kind.more_hours": {"en": "More GPU-hours", "ja": "GPU時間の追加"},
    "change.kind.extension": {"en": "Later end date", "ja": "期間の延長"},
    "change.kind.reprofile": {"en": "Re-profile the monthly plan", "ja": "月次計画の見直し"},
    "change.error.pick_allocation": {
        "en": "Choose an allocation.",
        "ja": "割当を選択してください。",
    },
    "change.error.pick_kind": {
        "en": "Choose the kind of change.",
        "ja": "変更の種類を選択してください。",
    },
    "change.error.required_for_kind": {
        "en": "Enter this for a “{kind}” request.",
        "ja": "「{kind}」の申請ではこの欄を入力してください。",
    },
    "change.error.not_for_kind": {
        "en": "This field is not used for a “{kind}” request; clear it or choose another kind.",
        "ja": "「{kind}」の申請ではこの欄は使いません。空にするか、種類を選び直してください。",
    },
    "change.error.extra_zero": {
        "en": "Ask for more than 0 GPU-hours.",
        "ja": "0より大きいGPU時間を入力してください。",
    },
    "change.error.end_not_later": {
        "en": "The new end date must be after the current end, {end}.",
        "ja": "新しい終了日は現在の終了日（{end}）より後にしてください。",
    },
    "change.error.too_long": {
        "en": "At most {limit} characters ({count} given).",
        "ja": "{limit}文字以内で入力してください（現在 {count} 文字）。",
    },
    "change.error.not_lead": {
        "en": "Only an organization's leads can request allocation changes. Ask your lead, or the secretariat.",
        "ja": "割当の変更申請は組織責任者のみが行えます。組織責任者か事務局にご相談ください。",
    },
    # --- change requests: messages ---
    "change.receipt": {
        "en": "Your change request #{id} for {org} · {label} is with the secretariat. You will get the decision here.",
        "ja": "{org} · {label} の変更申請 #{id} を事務局に送りました。結果はこのDMでお知らせします。",
    },
    "change.operator.title": {
        "en": "Allocation change request #{id}",
        "ja": "割当の変更申請 #{id}",
    },
    "change.operator.meta": {
        "en": "{org} · {label} · from <@{user}>",
        "ja": "{org} · {label} · 申請者 <@{user}>",
    },
    "change.what.more_hours": {
        "en": "Add {extra} GPU-hours to the {granted} granted (→ {total}).",
        "ja": "付与量 {granted} GPU時間に {extra} GPU時間を追加（→ {total}）。",
    },
    "change.what.extension": {
        "en": "Extend the end date from {end} to {new_end}.",
        "ja": "終了日を {end} から {new_end} に延長。",
    },
    "change.what.reprofile": {
        "en": "Re-profile the plan: {changes}.",
        "ja": "計画の見直し: {changes}",
    },
    "change.justification": {"en": "*Justification:* {text}", "ja": "*理由:* {text}"},
    "change.review_button": {"en": "Review", "ja": "審査する"},
    "change.review.title": {"en": "Review change request", "ja": "変更申請の審査"},
    "change.review.submit": {"en": "Decide", "ja": "決定する"},
    "change.review.decision": {"en": "Decision", "ja": "決定"},
    "change.review.approve": {"en": "Approve", "ja": "承認"},
    "change.review.deny": {"en": "Deny", "ja": "却下"},
    "change.review.reason": {
        "en": "Reason (sent to the requester)",
        "ja": "理由（申請者に送られます）",
    },
    "change.review.pick": {"en": "Choose approve or deny.", "ja": "承認か却下を選択してください。"},
    "change.already_decided": {
        "en": "Request #{id} was already {status} by <@{user}>.",
        "ja": "申請 #{id} は <@{user}> がすでに{status}しました。",
    },
    "change.error.gone": {
        "en": "This change request no longer exists.",
        "ja": "この変更申請は存在しません。",
    },
    "change.error.stale": {
        "en": "The allocation changed since this request was made (now: {now}). Approving would apply it on top; deny it with a reason and ask for a new request if still needed.",
        "ja": "申請後に割当が変更されています（現在: {now}）。承認すると重ねて適用されるため、理由を付けて却下し、必要なら再申請を依頼してください。",
    },
    "change.status.open": {"en": "open", "ja": "審査中"},
    "change.status.approved": {"en": "approved", "ja": "承認"},
    "change.status.denied": {"en": "denied", "ja": "却下"},
    "change.decided_note": {
        "en": "{status} by <@{user}>: {reason}",
        "ja": "<@{user}> が{status}: {reason}",
    },
    "change.decision_dm": {
        "en": "Your change request #{id} for {org} · {label} was *{status}* by <@{user}>.",
        "ja": "{org} · {label} の変更申請 #{id} は <@{user}> により*{status}*されました。",
    },
    "change.reason": {"en": "*Reason:* {text}", "ja": "*理由:* {text}"},
    "change.applied": {"en": "Now: {summary}", "ja": "変更後: {summary}"},
    "change.summary": {
        "en": "{granted} GPU-hours granted, {start} – {end}",
        "ja": "付与 {granted} GPU時間、{start}〜{end}",
    },
    "change.list.title": {"en": "Allocation change requests", "ja": "割当の変更申請"},
    "change.list.empty": {"en": "No change requests yet.", "ja": "変更申請はまだありません。"},
    "change.list.line": {
        "en": "#{id} {org} · {label}: {what} — *{status}* · requested by <@{user}> on {date}",
        "ja": "#{id} {org} · {label}: {what} — *{status}* · 申請 <@{user}>（{date}）",
    },
    # --- reconciliation ---
    "recon.title": {
        "en": "Self-report and measured usage disagree",
        "ja": "自己申告と計測値が一致しません",
    },
    "recon.body": {
        "en": "*{org}* · {label} · {month}: self-reported *{reported}* GPU-hours, {source} measured *{measured}* GPU-hours ({diff} apart, tolerance {tolerance}%). The figure in force is the {latest} one.",
        "ja": "*{org}* · {label} · {month}: 自己申告 *{reported}* GPU時間、{source} の計測 *{measured}* GPU時間（差 {diff}、許容 {tolerance}%）。現在有効なのは{latest}の値です。",
    },
    "recon.latest.modal": {"en": "self-reported", "ja": "自己申告"},
    "recon.latest.measured": {"en": "measured", "ja": "計測"},
}
