"""Messages of review committees (issue #7): `/review`, the reviewers' DMs, the operators'
answers and the result notices. Keys: `review.*`."""


def _pair(en: str, ja: str) -> dict[str, str]:
    return {"en": en, "ja": ja}


CATALOG: dict[str, dict[str, str]] = {
    "review.kind.selection": _pair("selection review", "採択審査"),
    "review.kind.end_of_term": _pair("end-of-term evaluation", "終了時評価"),
    "review.stage.setup": _pair("adding subjects", "審査対象の登録中"),
    "review.stage.conflicts": _pair("declaring conflicts", "利益相反の申告中"),
    "review.stage.scoring": _pair("scoring", "評価中"),
    "review.stage.closed": _pair("scoring closed", "評価締切済み"),
    "review.stage.released": _pair("results released", "結果通知済み"),
    "review.decision.adopt": _pair("adopt", "採択"),
    "review.decision.conditional": _pair("adopt with conditions", "条件付き採択"),
    "review.decision.reject": _pair("reject", "不採択"),
    "review.undecided": _pair("not decided", "未決定"),
    "review.and_more": _pair("and {count} more", "ほか {count} 件"),
    "review.materials": _pair("materials", "資料"),
    "review.help": _pair(
        "*/review* — review committees\n"
        "• `/review list`: your rounds (operators: every round)\n"
        "• `/review create`: a new round (operators)\n"
        "• `/review subjects N` / `/review import N`: add subjects, or applicants from a CSV "
        "(`organization,proposal_title,materials_link,contact`)\n"
        "• `/review conflicts N`: ask every reviewer to declare conflicts of interest\n"
        "• `/review assign N` then `/review adjust N`: assign reviewers, adjust by hand\n"
        "• `/review status N`: completion per reviewer (reviewers: your own subjects)\n"
        "• `/review results N [z]`: after the deadline, the ranking (z: normalised per reviewer) "
        "with a Decide button per subject\n"
        "• `/review edit N`: change the scoring deadline, add reviewers\n"
        "• `/review release N`: send the decided results\n"
        "• `/review export N`: scores, aggregation, decisions, audit log and minutes as files\n"
        "N is the round's number (see `/review list`).",
        "*/review* — 審査委員会\n"
        "• `/review list`: 参加している審査（事務局はすべて）\n"
        "• `/review create`: 審査を作成（事務局）\n"
        "• `/review subjects N` / `/review import N`: 審査対象を追加、または CSV で申請者を取り込み"
        "（`organization,proposal_title,materials_link,contact`）\n"
        "• `/review conflicts N`: 全審査委員に利益相反の申告を依頼\n"
        "• `/review assign N`、`/review adjust N`: 担当の割り当てと手動調整\n"
        "• `/review status N`: 審査委員ごとの進捗（審査委員は自分の担当）\n"
        "• `/review results N [z]`: 締切後の順位表（z: 審査委員ごとに標準化）と対象ごとの「決定」ボタン\n"
        "• `/review edit N`: 評価の締切の変更、審査委員の追加\n"
        "• `/review release N`: 決定した結果を通知\n"
        "• `/review export N`: 評価、集計、決定、監査ログ、議事録をファイルで出力\n"
        "N は審査の番号です（`/review list` で確認できます）。",
    ),
    "review.help_short": _pair(
        "`/review help` lists every subcommand.",
        "`/review help` ですべてのサブコマンドを表示します。",
    ),
    "review.unknown_subcommand": _pair(
        "There is no `/review {sub}`.", "`/review {sub}` というコマンドはありません。"
    ),
    "review.needs_round": _pair(
        "`/review {sub}` needs the round's number, e.g. `/review {sub} 1`.",
        "`/review {sub}` には審査の番号が必要です（例: `/review {sub} 1`）。",
    ),
    "review.created": _pair(
        "Review round #{id} *{name}* ({kind}) created. Next: add its subjects with "
        "`/review subjects {id}` (or `/review import {id}`), then `/review conflicts {id}`.",
        "審査 #{id}「{name}」（{kind}）を作成しました。次に `/review subjects {id}`"
        "（または `/review import {id}`）で審査対象を追加し、`/review conflicts {id}` を実行してください。",
    ),
    "review.subjects_added": _pair(
        "{added} subject(s) added to *{round}*. Subjects now: {names}",
        "「{round}」に審査対象を {added} 件追加しました。現在の審査対象: {names}",
    ),
    "review.list.title": _pair("Review rounds", "審査一覧"),
    "review.list.none": _pair(
        "You are not a reviewer in any review round.", "参加している審査はありません。"
    ),
    "review.list.none_operator": _pair(
        "No review rounds yet. Create one with `/review create`.",
        "審査はまだありません。`/review create` で作成できます。",
    ),
    "review.list.line": _pair(
        "*#{id} {name}* ({kind}) · {stage} · {subjects} subject(s) · deadline {deadline}",
        "*#{id} {name}*（{kind}）· {stage} · 審査対象 {subjects} 件 · 締切 {deadline}",
    ),
    "review.list.mine": _pair(
        "Your scorecards: {scored} of {assigned} done",
        "あなたの評価票: {assigned} 件中 {scored} 件提出済み",
    ),
    "review.conflicts_opened": _pair(
        "The subject list of *{round}* is closed and {count} reviewer(s) were asked to declare "
        "conflicts of interest (a reviewer in their quiet hours gets it on their next business "
        "morning). When they have, run `/review assign`; `/review conflicts` again asks those "
        "who have not.",
        "「{round}」の審査対象を確定し、審査委員 {count} 名に利益相反の申告を依頼しました（夜間・休日"
        "の審査委員には翌営業日の朝に届きます）。申告がそろったら `/review assign` を実行してください。"
        "もう一度 `/review conflicts` を実行すると未申告の審査委員に再度依頼します。",
    ),
    "review.conflicts_asked_again": _pair(
        "{count} reviewer(s) of *{round}* who have not declared were asked again.",
        "「{round}」で未申告の審査委員 {count} 名に再度依頼しました。",
    ),
    "review.edited": _pair(
        "*{round}* updated: scoring closes {deadline}; {added} reviewer(s) added.",
        "「{round}」を更新しました。評価の締切は {deadline}、追加した審査委員は {added} 名です。",
    ),
    "review.declare.request": _pair(
        "You are a reviewer of *{round}* ({kind}). Before any subject is assigned to you, please "
        "declare your conflicts of interest (or that you have none). Scoring closes {deadline}.",
        "あなたは「{round}」（{kind}）の審査委員です。担当の割り当て前に、利益相反の有無を申告して"
        "ください。評価の締切は {deadline} です。",
    ),
    "review.declare.button": _pair("Declare conflicts", "利益相反を申告"),
    "review.declare.more": _pair("Declare a conflict", "利益相反を追加で申告"),
    "review.declared": _pair(
        "Thank you. Your declared conflicts in *{round}*: {names}. You will not be assigned these.",
        "申告を受け付けました。「{round}」で申告された利益相反: {names}。これらは担当になりません。",
    ),
    "review.declared_none": _pair(
        "Thank you: you declared no conflict of interest in *{round}*.",
        "申告を受け付けました。「{round}」での利益相反はなしです。",
    ),
    "review.declared_moved": _pair(
        "Withdrawn from your subjects: {names}. The secretariat has been told.",
        "次の担当から外しました: {names}。事務局に伝えました。",
    ),
    "review.late_conflict": _pair(
        "*{round}*: <@{user}> declared a conflict after the assignment and was withdrawn from:",
        "「{round}」: 割り当て後に <@{user}> が利益相反を申告したため、次の担当から外しました:",
    ),
    "review.late_taken": _pair(
        "• *{subject}*: given to {users}", "• *{subject}*: {users} に割り当てました"
    ),
    "review.late_not_taken": _pair(
        "• *{subject}*: no other reviewer is free to take it",
        "• *{subject}*: 割り当てられる審査委員がいません",
    ),
    "review.late_dropped": _pair(
        "<@{user}>'s scorecards for these no longer count: {names}",
        "<@{user}> の次の評価票は集計から除外されます: {names}",
    ),
    "review.adjust_dropped": _pair(
        "Scorecards that no longer count: {names}", "集計から除外される評価票: {names}"
    ),
    "review.short": _pair(
        "These subjects cannot get enough reviewers without a conflict (add reviewers with "
        "`/review edit`, then `/review conflicts` and `/review adjust`):",
        "次の審査対象は利益相反のない審査委員が足りません（`/review edit` で審査委員を追加し、"
        "`/review conflicts` と `/review adjust` で調整してください）:",
    ),
    "review.short_line": _pair(
        "• *{subject}*: {have} of {need} reviewer(s)", "• *{subject}*: {need} 名中 {have} 名"
    ),
    "review.all_declared": _pair(
        "Every reviewer of *{round}* has declared. Assign with `/review assign {id}`.",
        "「{round}」の全審査委員が利益相反を申告しました。`/review assign {id}` で割り当てられます。",
    ),
    "review.scoring.intro": _pair(
        "*{round}*: your subjects ({done} of {total} scored). You can edit a scorecard until "
        "{deadline}.",
        "「{round}」のあなたの担当（{total} 件中 {done} 件評価済み）。評価票は {deadline} まで"
        "編集できます。",
    ),
    "review.scoring.locked": _pair(
        "*{round}*: scoring closed {deadline}; scorecards are locked ({done} of {total} scored).",
        "「{round}」の評価は {deadline} に締め切られ、評価票は確定しました（{total} 件中 {done} 件評価済み）。",
    ),
    "review.scoring.nothing": _pair(
        "No subject is assigned to you in this round.", "この審査であなたの担当はありません。"
    ),
    "review.scoring.done": _pair("✅ scored", "✅ 評価済み"),
    "review.scoring.todo": _pair("⬜ not scored yet", "⬜ 未評価"),
    "review.scoring.score": _pair("Score: {subject}", "評価する: {subject}"),
    "review.scoring.edit": _pair("Edit: {subject}", "編集: {subject}"),
    "review.scoring.pick": _pair("Score any subject…", "対象を選んで評価…"),
    "review.results.pick": _pair("Decide any subject…", "対象を選んで決定…"),
    "review.scoring.private": _pair(
        "Your scores are seen by the secretariat only; no reviewer sees another's.",
        "評価は事務局のみが見ます。ほかの審査委員の評価は互いに見えません。",
    ),
    "review.packet": _pair(
        "Review packet for *{subject}*: the programme's monitoring data (usage vs plan, reports, "
        "instructions, evaluations, introductions, events).",
        "「{subject}」の審査資料: プログラムのモニタリングデータ（計画対比の利用実績、報告、指示、"
        "評価結果、紹介、イベント）です。",
    ),
    "review.assigned": _pair(
        "*{round}* is assigned and reviewers have their subjects. Reviewers and their loads "
        "(adjust with `/review adjust {id}`):",
        "「{round}」の担当を割り当て、審査委員に通知しました。審査委員ごとの担当数"
        "（`/review adjust {id}` で調整できます）:",
    ),
    "review.load_line": _pair("• <@{user}>: {count} subject(s)", "• <@{user}>: {count} 件"),
    "review.undeclared": _pair(
        "Not assigned because they have not declared conflicts yet: {users}",
        "利益相反が未申告のため割り当てていない審査委員: {users}",
    ),
    "review.adjusted": _pair(
        "Assignments of *{round}* adjusted: {count} reviewer(s) got an updated list.",
        "「{round}」の割り当てを調整しました。{count} 名の審査委員に更新した担当一覧を送りました。",
    ),
    "review.adjusted_off": _pair(
        "Not at {per} reviewers: {subjects}", "審査委員が {per} 名でない審査対象: {subjects}"
    ),
    "review.scored": _pair(
        "Scorecard for *{subject}* saved. You can edit it until {deadline}.",
        "「{subject}」の評価票を保存しました。{deadline} まで編集できます。",
    ),
    "review.scored_edit": _pair(
        "Scorecard for *{subject}* updated (revision {revision}). You can edit it until {deadline}.",
        "「{subject}」の評価票を更新しました（第 {revision} 版）。{deadline} まで編集できます。",
    ),
    "review.status.title": _pair("Completion: {round}", "進捗: {round}"),
    "review.status.head": _pair(
        "{stage} · {subjects} subject(s) · deadline {deadline} {locked}",
        "{stage} · 審査対象 {subjects} 件 · 締切 {deadline} {locked}",
    ),
    "review.status.locked": _pair("(closed)", "（締切済み）"),
    "review.status.line": _pair(
        "• <@{user}>: {scored} of {assigned} scored",
        "• <@{user}>: {assigned} 件中 {scored} 件評価済み",
    ),
    "review.status.undeclared_line": _pair(
        "• <@{user}>: conflicts not declared yet", "• <@{user}>: 利益相反が未申告"
    ),
    "review.status.total": _pair(
        "Scorecards: {scored} of {assigned}", "評価票: {assigned} 件中 {scored} 件"
    ),
    "review.reminder": _pair(
        "Reminder: {left} scorecard(s) of *{round}* are still open. Scoring closes {deadline}.",
        "リマインダー: 「{round}」の評価票が {left} 件未提出です。締切は {deadline} です。",
    ),
    "review.closed": _pair(
        "Scoring of *{round}* has closed: {scored} of {assigned} scorecard(s) in. See the ranking "
        "with `/review results {id}`.",
        "「{round}」の評価を締め切りました。評価票 {assigned} 件中 {scored} 件。順位表は "
        "`/review results {id}` で確認できます。",
    ),
    "review.results.title": _pair("Results: {round}", "審査結果: {round}"),
    "review.results.rules": _pair(
        "Ranked by weighted mean (each scorecard Σ weight × score / Σ weight, then the mean over "
        "reviewers); sd = sample standard deviation; z = mean of per-reviewer z-scores; outlier = "
        "a score 2 points or more from the others' mean (3 scorecards or more).",
        "加重平均（評価票ごとに Σ 重み × 点 / Σ 重み、その審査委員間の平均）の順。sd は標本標準偏差、"
        "z は審査委員ごとの z スコアの平均、外れ値は他の委員の平均から 2 点以上離れた評価です"
        "（評価票 3 件以上）。",
    ),
    "review.results.rules_z": _pair(
        "Ranked by z (each reviewer's scores normalised by their own mean and sd, then averaged); "
        "mean = weighted mean; sd = sample standard deviation; outlier = a score 2 points or more "
        "from the others' mean (3 scorecards or more).",
        "z の順（審査委員ごとの平均と標準偏差で標準化した点の平均）。mean は加重平均、sd は標本標準偏差、"
        "外れ値は他の委員の平均から 2 点以上離れた評価です（評価票 3 件以上）。",
    ),
    "review.results.line": _pair(
        "*{rank}. {subject}* — mean {mean} · sd {stdev} · z {z} · {cards} scorecard(s)\n"
        "Recommendations: {recs}",
        "*{rank}. {subject}* — 平均 {mean} · sd {stdev} · z {z} · 評価票 {cards} 件\n推薦: {recs}",
    ),
    "review.results.outlier": _pair("⚠️ Outlier: {reviewers}", "⚠️ 外れ値: {reviewers}"),
    "review.results.decision": _pair("Decision: *{decision}* {note}", "決定: *{decision}* {note}"),
    "review.results.decide": _pair("Decide: {subject}", "決定: {subject}"),
    "review.results.chair_notes": _pair(
        "*Confidential notes to the chair*", "*委員長への非公開メモ*"
    ),
    "review.results.csv": _pair("Ranking of *{round}* (CSV).", "「{round}」の順位表（CSV）"),
    "review.export": _pair(
        "Export of *{round}*: scores, aggregation, decisions and audit log (CSV), minutes "
        "(Markdown). Scores name reviewers: keep these files in the secretariat.",
        "「{round}」のエクスポート: 評価、集計、決定、監査ログ（CSV）と議事録（Markdown）。評価には審査委員"
        "が記載されているため、事務局内で管理してください。",
    ),
    "review.done_title": _pair("Done", "完了"),
    "review.done_close": _pair("Close", "閉じる"),
    "review.decided": _pair(
        "Decision recorded for *{subject}*: {decision}.",
        "「{subject}」の決定を記録しました: {decision}",
    ),
    "review.result": _pair(
        "Result of *{round}* for *{subject}*: *{decision}*.",
        "「{round}」における「{subject}」の審査結果: *{decision}*",
    ),
    "review.result_note": _pair("Note: {note}", "補足: {note}"),
    "review.email": _pair(
        "Subject: Result of {round}\n\nDear {subject},\n\nThank you for your proposal "
        '"{proposal}". After review by the committee, the result is: {decision}.{note}\n\n'
        "The programme secretariat",
        "件名: {round} の審査結果について\n\n{subject} 御中\n\n「{proposal}」のご提案をいただき"
        "ありがとうございました。審査委員会による審査の結果、{decision}となりましたのでお知らせします。"
        "{note}\n\nプログラム事務局",
    ),
    "review.email_to": _pair(
        "Ready-to-send email for *{subject}* ({email}):",
        "「{subject}」（{email}）宛ての送信用メール:",
    ),
    "review.released": _pair(
        "Results of *{round}* released for {count} subject(s): {names}",
        "「{round}」の結果を {count} 件通知しました: {names}",
    ),
    "review.released_none": _pair(
        "No result of *{round}* was released.", "「{round}」の結果は通知されませんでした。"
    ),
    "review.unreachable": _pair(
        "Not released, as they have no Slack contact or email: {names}. Send their results "
        "another way.",
        "Slack の連絡先もメールアドレスもないため通知していない対象: {names}。別の方法で結果を伝えて"
        "ください。",
    ),
    "review.release_failed": _pair(
        "Slack refused every result DM for: {names} (the contact may have left the workspace). "
        "They are not marked as released; fix the contact and release again.",
        "次の対象は結果の DM をすべて Slack に拒否されました（連絡先がワークスペースを離れた可能性が"
        "あります）: {names}。通知済みにはしていません。連絡先を確認して再度通知してください。",
    ),
    "review.undecided_left": _pair(
        "Not decided yet (not released): {names}", "未決定のため未通知: {names}"
    ),
    # errors
    "review.error.no_round": _pair(
        "There is no review round `{ref}` that you take part in. `/review list` shows yours.",
        "あなたが参加している審査に `{ref}` はありません。`/review list` で確認できます。",
    ),
    "review.error.no_such_round": _pair(
        "There is no review round `{ref}`. `/review list` shows them all.",
        "審査 `{ref}` はありません。`/review list` ですべての審査を確認できます。",
    ),
    "review.error.name_taken": _pair(
        "A review round is already called “{name}”.", "「{name}」という審査はすでにあります。"
    ),
    "review.error.deadline_past": _pair(
        "The scoring deadline must be in the future.", "評価の締切は未来の日時にしてください。"
    ),
    "review.error.too_few_reviewers": _pair(
        "{count} reviewer(s) cannot give each subject {per}: choose more reviewers or fewer per "
        "subject.",
        "審査委員 {count} 名では各審査対象に {per} 名を割り当てられません。審査委員を増やすか、"
        "対象あたりの人数を減らしてください。",
    ),
    "review.error.subjects_closed": _pair(
        "The subject list of “{round}” is closed: conflicts were already declared against it.",
        "「{round}」の審査対象は確定済みです（利益相反の申告が始まっています）。",
    ),
    "review.error.too_many_subjects": _pair(
        "A round holds at most {limit} subjects: {left} more can be added.",
        "1 つの審査の対象は {limit} 件までです（あと {left} 件追加できます）。",
    ),
    "review.error.wrong_subject_kind": _pair(
        "Selection reviews take applicants and end-of-term evaluations take funded "
        "organizations: this round ({kind}) cannot take these subjects.",
        "採択審査は応募者を、終了時評価は採択済みの組織を審査対象とします。この審査（{kind}）には"
        "追加できません。",
    ),
    "review.error.subject_exists": _pair(
        "Already subjects of this round: {names}.", "すでにこの審査の対象です: {names}"
    ),
    "review.on_line": _pair("{name} (line {line})", "{name}（{line} 行目）"),
    "review.error.no_subjects": _pair(
        "Round #{id} has no subjects yet: add them with `/review subjects {id}`.",
        "審査 #{id} には審査対象がありません。`/review subjects {id}` で追加してください。",
    ),
    "review.error.all_declared_already": _pair(
        "Every reviewer of “{round}” has already declared.",
        "「{round}」の審査委員は全員申告済みです。",
    ),
    "review.error.deadline_passed": _pair(
        "The scoring deadline of round #{id} has passed: extend it first with `/review edit {id}`.",
        "審査 #{id} の評価の締切を過ぎています。先に `/review edit {id}` で締切を延長してください。",
    ),
    "review.error.released_round": _pair(
        "The results of “{round}” have been released: it can no longer be changed.",
        "「{round}」は結果を通知済みのため変更できません。",
    ),
    "review.error.insider_reviewers": _pair(
        "An end-of-term evaluation's reviewers receive each funded organization's confidential "
        "review packet, so they cannot be members of a participating organization: {users}.",
        "終了時評価の審査委員には各事業者の非公開の審査資料が届くため、参加組織のメンバーは"
        "審査委員にできません: {users}",
    ),
    "review.error.cannot_remove_reviewer": _pair(
        "Reviewers cannot be removed from a round ({users}): withdraw their subjects with "
        "`/review adjust` instead.",
        "審査委員は審査から外せません（{users}）。担当は `/review adjust` で外してください。",
    ),
    "review.error.conflicts_first": _pair(
        "Ask the reviewers to declare conflicts first: `/review conflicts {id}`.",
        "先に利益相反の申告を依頼してください: `/review conflicts {id}`",
    ),
    "review.error.already_assigned": _pair(
        "“{round}” is already assigned; change it with `/review adjust`.",
        "「{round}」は割り当て済みです。`/review adjust` で変更できます。",
    ),
    "review.error.nobody_declared": _pair(
        "No reviewer of “{round}” has declared conflicts yet, so nobody can be assigned.",
        "「{round}」ではまだ誰も利益相反を申告していないため、割り当てできません。",
    ),
    "review.error.not_assigned_yet": _pair(
        "Round #{id} has not been assigned yet.", "審査 #{id} はまだ割り当てが済んでいません。"
    ),
    "review.error.no_subject": _pair(
        "That subject is not part of this round.", "その審査対象はこの審査にありません。"
    ),
    "review.error.not_declared_reviewer": _pair(
        "<@{user}> is not a reviewer of this round who has declared conflicts.",
        "<@{user}> はこの審査で利益相反を申告済みの審査委員ではありません。",
    ),
    "review.error.conflicted_pair": _pair(
        "<@{user}> declared a conflict of interest with {subject}.",
        "<@{user}> は {subject} との利益相反を申告しています。",
    ),
    "review.error.not_reviewer": _pair(
        "You are not a reviewer of “{round}”.", "あなたは「{round}」の審査委員ではありません。"
    ),
    "review.error.declarations_not_open": _pair(
        "Conflict declarations of “{round}” have not opened yet.",
        "「{round}」の利益相反の申告はまだ始まっていません。",
    ),
    "review.error.locked": _pair(
        "Scoring of “{round}” has closed: scorecards and declarations are locked.",
        "「{round}」の評価は締め切られました。評価票と申告は変更できません。",
    ),
    "review.error.none_and_conflicts": _pair(
        "Tick either the subjects you have a conflict with or “no conflict”, not both.",
        "利益相反のある対象か「利益相反なし」のどちらか一方を選んでください。",
    ),
    "review.error.declare_something": _pair(
        "Tick the subjects you have a conflict with, or “no conflict”.",
        "利益相反のある対象、または「利益相反なし」を選んでください。",
    ),
    "review.error.cannot_withdraw": _pair(
        "A declared conflict cannot be withdrawn here ({names}); ask the secretariat.",
        "申告済みの利益相反はここでは取り消せません（{names}）。事務局に連絡してください。",
    ),
    "review.error.not_assigned": _pair(
        "That subject is not assigned to you.", "その審査対象はあなたの担当ではありません。"
    ),
    "review.error.score_range": _pair(
        "Pick a score from 1 to {max}.", "1〜{max} の点数を選んでください。"
    ),
    "review.error.not_closed": _pair(
        "Scoring of “{round}” is still open; results come after the deadline.",
        "「{round}」はまだ評価期間中です。結果は締切後に確認できます。",
    ),
    "review.error.already_released": _pair(
        "The result for “{subject}” has already been released.",
        "「{subject}」の結果はすでに通知済みです。",
    ),
    "review.error.conditions_needed": _pair(
        "Write the conditions of the adoption in the note.",
        "補足欄に採択の条件を記入してください。",
    ),
    "review.error.decided_meanwhile": _pair(
        "<@{user}> recorded a decision for this subject meanwhile; reopen it to see theirs.",
        "この対象には <@{user}> が先に決定を記録しました。開き直して確認してください。",
    ),
    "review.error.nothing_to_release": _pair(
        "Nothing to release in “{round}”: record decisions first (Decide in `/review results`).",
        "「{round}」には通知する結果がありません。先に `/review results` の「決定」で決定を記録して"
        "ください。",
    ),
    "review.error.all_released": _pair(
        "Every decided result of “{round}” has already been released.",
        "「{round}」の決定済みの結果はすべて通知済みです。",
    ),
    "review.error.csv_too_large": _pair(
        "The file is too large for an applicant list (512 KB at most).",
        "申請者一覧としては大きすぎるファイルです（512 KB まで）。",
    ),
}
