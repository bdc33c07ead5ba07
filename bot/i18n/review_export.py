"""Messages of review committees (issue #7): `review_export` — the secretariat's export of a
review round (scores, aggregation, decisions and audit CSVs; the committee minutes). Keys are
`review_export.*`."""

_EXPORT: dict[str, dict[str, str]] = {
    # errors
    "error.unknown_round": {
        "en": "There is no review round {round}. Give its number or its exact name ({known}).",
        "ja": "審査 {round} は見つかりません。番号または正確な名前を指定してください（{known}）。",
    },
    "error.no_rounds": {"en": "no rounds yet", "ja": "審査はまだありません"},
    # words
    "kind.selection": {"en": "Selection review", "ja": "採択審査"},
    "kind.end_of_term": {"en": "End-of-term evaluation", "ja": "終了時評価"},
    "stage.setup": {"en": "Setup", "ja": "準備中"},
    "stage.conflicts": {"en": "Conflict declarations", "ja": "利益相反の申告中"},
    "stage.scoring": {"en": "Scoring", "ja": "評価中"},
    "stage.closed": {"en": "Scoring closed", "ja": "評価締切済み"},
    "stage.released": {"en": "Results released", "ja": "結果通知済み"},
    "rec.adopt": {"en": "Adopt", "ja": "採択"},
    "rec.conditional": {"en": "Adopt with conditions", "ja": "条件付き採択"},
    "rec.reject": {"en": "Reject", "ja": "不採択"},
    # CSV columns
    "col.rank": {"en": "Rank", "ja": "順位"},
    "col.subject": {"en": "Subject", "ja": "審査対象"},
    "col.reviewer": {"en": "Reviewer", "ja": "審査委員"},
    "col.reviewer_user": {"en": "Reviewer Slack user ID", "ja": "審査委員のSlackユーザーID"},
    "col.scorecards": {"en": "Scorecards", "ja": "評価票数"},
    "col.weighted_score": {"en": "Weighted score", "ja": "加重平均点"},
    "col.weighted_mean": {"en": "Weighted mean", "ja": "加重平均点の平均"},
    "col.stdev": {"en": "Standard deviation", "ja": "標準偏差"},
    "col.z": {"en": "z-score", "ja": "zスコア"},
    "col.criterion_mean": {"en": "{criterion} (mean)", "ja": "{criterion}（平均）"},
    "col.adopt": {"en": "Adopt", "ja": "採択"},
    "col.conditional": {"en": "Adopt with conditions", "ja": "条件付き採択"},
    "col.reject": {"en": "Reject", "ja": "不採択"},
    "col.outliers": {"en": "Outliers", "ja": "外れ値"},
    "col.decision": {"en": "Decision", "ja": "決定"},
    "col.recommendation": {"en": "Recommendation", "ja": "推奨"},
    "col.comments": {"en": "Comments", "ja": "コメント"},
    "col.chair_note": {
        "en": "Note to the chair (confidential)",
        "ja": "委員長への所見（非公開）",
    },
    "withheld": {
        "en": "(withheld: for the chair only)",
        "ja": "（非公開: 委員長のみ）",
    },
    "col.revision": {"en": "Revision", "ja": "改訂番号"},
    "col.submitted_at": {"en": "Submitted (UTC)", "ja": "提出日時（UTC）"},
    "col.updated_at": {"en": "Updated (UTC)", "ja": "更新日時（UTC）"},
    "col.note": {"en": "Note", "ja": "備考"},
    "col.decided_by": {"en": "Decided by", "ja": "決定者"},
    "col.decided_at": {"en": "Decided (UTC)", "ja": "決定日時（UTC）"},
    "col.released_at": {"en": "Released (UTC)", "ja": "通知日時（UTC）"},
    "col.at": {"en": "When (UTC)", "ja": "日時（UTC）"},
    "col.actor": {"en": "Actor", "ja": "実行者"},
    "col.action": {"en": "Action", "ja": "操作"},
    "col.before": {"en": "Before", "ja": "変更前"},
    "col.after": {"en": "After", "ja": "変更後"},
    # minutes
    "md.title": {"en": "Review committee minutes: {name}", "ja": "審査委員会 議事録: {name}"},
    "md.kind": {"en": "Kind: {kind}", "ja": "種別: {kind}"},
    "md.stage": {"en": "Stage: {stage}", "ja": "進行状況: {stage}"},
    "md.scale": {
        "en": "Scale: 1–{max} points per criterion",
        "ja": "評価尺度: 各基準 1〜{max} 点",
    },
    "md.deadline": {"en": "Scoring deadline: {jst} ({utc})", "ja": "評価締切: {jst}（{utc}）"},
    "md.reviewers": {"en": "Reviewers: {count}", "ja": "審査委員: {count} 名"},
    "md.conflicts": {
        "en": "Conflicts of interest declared: {count}",
        "ja": "利益相反の申告: {count} 件",
    },
    "md.criteria": {"en": "Criteria", "ja": "評価基準"},
    "md.criterion": {"en": "Criterion", "ja": "基準"},
    "md.weight": {"en": "Weight", "ja": "重み"},
    "md.no_criteria": {"en": "No criteria are set.", "ja": "評価基準は設定されていません。"},
    "md.ranking": {"en": "Ranking", "ja": "順位"},
    "md.mean_stdev": {"en": "Mean ± stdev", "ja": "平均 ± 標準偏差"},
    "md.recommendations": {
        "en": "Adopt / conditional / reject",
        "ja": "採択 / 条件付き / 不採択",
    },
    "md.no_subjects": {"en": "The round has no subjects.", "ja": "審査対象はありません。"},
    "md.outliers": {"en": "Outlying scorecards", "ja": "外れ値の評価票"},
    "md.outlier_line": {
        "en": "{subject}: {reviewer} scored {score} (the others {others} on average)",
        "ja": "{subject}: {reviewer} の評点 {score}（他の委員の平均 {others}）",
    },
    "md.no_outliers": {"en": "None.", "ja": "ありません。"},
    "md.reviewer_labels": {
        "en": "Reviewers are shown as R1, R2, … (the same label throughout the round).",
        "ja": "審査委員は R1, R2, … と表記しています（審査を通じて同じ表記）。",
    },
    "md.decisions": {"en": "Decisions", "ja": "決定"},
    "md.undecided": {"en": "Not decided", "ja": "未決定"},
    "md.rules_heading": {"en": "How scores are aggregated", "ja": "集計方法"},
    "md.rules": {
        "en": "A scorecard's score is the weighted mean of its criteria (Σ weight × points / "
        "Σ weight). A subject's mean is the plain mean of its scorecards' scores and the "
        "spread their sample standard deviation (n − 1; none with a single scorecard). The "
        "z-score centres and scales each reviewer's scores by that reviewer's own mean and "
        "sample standard deviation over the round (a reviewer with fewer than two scorecards, "
        "or the same score everywhere, contributes 0), and a subject's z is the mean of its "
        "reviewers' z. A scorecard is an outlier when its score is {points} points or more "
        "from the mean of the other scorecards of the same subject (subjects with three "
        "scorecards or more). Subjects are ranked by "
        "mean, highest first, then by name; only scorecards whose assignment is in force "
        "count.",
        "ja": "評価票の評点は各基準の加重平均（Σ 重み × 点 / Σ 重み）です。審査対象の平均は"
        "その評価票の評点の単純平均、ばらつきは標本標準偏差（n − 1。評価票が1件のときはなし）"
        "です。zスコアは各審査委員の評点を、その委員の当該審査における平均と標本標準偏差で"
        "標準化したもので（評価票が2件未満、またはすべて同じ評点の委員は0）、審査対象のzは"
        "その審査委員のzの平均です。同じ審査対象の他の評価票の平均から {points} 点以上離れた"
        "評価票を外れ値とします（評価票が3件以上の審査対象のみ）。順位は平均の高い順、同点は名前順で、割当が有効な評価票のみを"
        "集計しています。",
    },
    "md.audit": {"en": "Audit log", "ja": "操作記録"},
    "md.audit_count": {
        "en": "{count} entries in the audit log (see {file}).",
        "ja": "操作記録は {count} 件です（{file} を参照）。",
    },
    "md.audit_by_action": {"en": "By action: {actions}", "ja": "操作別: {actions}"},
}

CATALOG: dict[str, dict[str, str]] = {
    f"review_export.{key}": entry for key, entry in _EXPORT.items()
}
