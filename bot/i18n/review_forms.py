"""Messages of the review committee modals (issue #7): `reviewform.*`."""

CATALOG: dict[str, dict[str, str]] = {
    "reviewform.close": {"en": "Cancel", "ja": "キャンセル"},
    "reviewform.save": {"en": "Save", "ja": "保存する"},
    # --- "Create a review round" ---
    "reviewform.round.title": {"en": "Create a review round", "ja": "審査ラウンドの作成"},
    "reviewform.round.submit": {"en": "Create", "ja": "作成する"},
    "reviewform.round.name": {"en": "Name", "ja": "名称"},
    "reviewform.round.kind": {"en": "Kind", "ja": "種類"},
    "reviewform.kind.selection": {"en": "Selection review", "ja": "採択審査"},
    "reviewform.kind.end_of_term": {"en": "End-of-term evaluation", "ja": "終了時評価"},
    "reviewform.round.criteria": {"en": "Criteria", "ja": "評価項目"},
    "reviewform.round.criteria_hint": {
        "en": "One per line, “name: weight” (e.g. “Feasibility: 2”); without a weight it is 1. At most {limit}.",
        "ja": "1行に1項目、「項目名: 重み」の形式で（例: 「実現可能性: 2」）。重みを省くと1になります。最大{limit}項目。",
    },
    "reviewform.criterion.technical_merit": {"en": "Technical merit", "ja": "技術的優位性"},
    "reviewform.criterion.feasibility": {"en": "Feasibility", "ja": "実現可能性"},
    "reviewform.criterion.compute_plan": {"en": "Compute plan", "ja": "計算資源計画"},
    "reviewform.criterion.data_plan": {"en": "Data plan", "ja": "データ計画"},
    "reviewform.criterion.societal_impact": {"en": "Societal impact", "ja": "社会的インパクト"},
    "reviewform.round.scale": {
        "en": "Scale (scores from 1 to this)",
        "ja": "評点の段階（1点からこの点数まで）",
    },
    "reviewform.round.per_subject": {"en": "Reviewers per subject", "ja": "1件あたりの審査委員数"},
    "reviewform.round.deadline_date": {"en": "Scoring deadline (date)", "ja": "評価の締切日"},
    "reviewform.round.deadline_time": {"en": "Scoring deadline (time)", "ja": "評価の締切時刻"},
    "reviewform.round.zone_note": {
        "en": "The deadline is in {zone}, the programme's time zone.",
        "ja": "締切はプログラムのタイムゾーン（{zone}）で入力します。",
    },
    "reviewform.round.reviewers": {"en": "Reviewers", "ja": "審査委員"},
    # --- "Add subjects" ---
    "reviewform.subjects.title": {"en": "Add subjects", "ja": "審査対象の追加"},
    "reviewform.subjects.submit": {"en": "Add", "ja": "追加する"},
    "reviewform.subjects.round": {
        "en": "Review round: *{round}*",
        "ja": "審査ラウンド: *{round}*",
    },
    "reviewform.subjects.org_name": {"en": "Organization name", "ja": "組織名"},
    "reviewform.subjects.proposal": {"en": "Proposal title", "ja": "提案名"},
    "reviewform.subjects.materials": {"en": "Materials link", "ja": "資料のリンク"},
    "reviewform.subjects.materials_hint": {
        "en": "A link starting with https:// (or http://).",
        "ja": "https://（または http://）で始まるリンク。",
    },
    "reviewform.subjects.contact_user": {"en": "Contact in Slack", "ja": "連絡先（Slack）"},
    "reviewform.subjects.contact_user_hint": {
        "en": "One person, who receives the result. An applicant outside Slack: give an email address below.",
        "ja": "結果を受け取る1人。Slack にいない応募者は、下にメールアドレスを入力してください。",
    },
    "reviewform.subjects.contact_email": {"en": "Contact email", "ja": "連絡先メールアドレス"},
    "reviewform.subjects.orgs": {"en": "Organizations", "ja": "組織"},
    "reviewform.subjects.no_orgs": {
        "en": "Every funded organization is already a subject of this round.",
        "ja": "採択されたすべての組織が、すでにこの審査ラウンドの対象です。",
    },
    # --- "Import applicants" ---
    "reviewform.import.title": {"en": "Import applicants", "ja": "応募者の取り込み"},
    "reviewform.import.submit": {"en": "Import", "ja": "取り込む"},
    "reviewform.import.file": {"en": "CSV file", "ja": "CSVファイル"},
    "reviewform.import.columns": {
        "en": "A CSV file (UTF-8 or Shift_JIS) with a header line and one line per applicant, at most {limit}. Columns: `organization` and `proposal_title` (required), `materials_link` (https://…), `contact` (a Slack user ID such as U0123ABCD, or an email address).",
        "ja": "ヘッダー行と、応募者ごとに1行（最大{limit}行）のCSVファイル（UTF-8 または Shift_JIS）。列: `organization`（組織名）と `proposal_title`（提案名）は必須、`materials_link`（https://…）、`contact`（U0123ABCD のような Slack のユーザーID、またはメールアドレス）。",
    },
    # --- "Declare conflicts" ---
    "reviewform.declare.title": {"en": "Declare conflicts", "ja": "利益相反の申告"},
    "reviewform.declare.submit": {"en": "Declare", "ja": "申告する"},
    "reviewform.declare.intro": {
        "en": "*{round}*\nTick every subject you have a conflict of interest with: employment, an advisory role, a financial interest, close collaboration in the last 3 years, or family. Once declared, a conflict cannot be withdrawn here.",
        "ja": "*{round}*\n利益相反のある審査対象をすべて選んでください（雇用関係、顧問などの役職、金銭的な利害、過去3年以内の緊密な共同研究・協業、親族関係）。申告した利益相反は、ここでは取り消せません。",
    },
    "reviewform.declare.before": {
        "en": "You have declared before: you can add conflicts; those already declared stay.",
        "ja": "申告済みです。利益相反を追加できます（申告済みのものはそのまま残ります）。",
    },
    "reviewform.declare.group": {
        "en": "Subjects {first}–{last}",
        "ja": "審査対象 {first}〜{last}",
    },
    "reviewform.declare.none_label": {"en": "No conflict", "ja": "利益相反なし"},
    "reviewform.declare.none_option": {
        "en": "I have no conflict of interest with any subject",
        "ja": "いずれの審査対象とも利益相反はありません",
    },
    # --- "Scorecard" ---
    "reviewform.score.title": {"en": "Scorecard", "ja": "評価票"},
    "reviewform.score.subject": {
        "en": "*{subject}* · {round}\n{proposal}",
        "ja": "*{subject}* · {round}\n{proposal}",
    },
    "reviewform.score.materials": {"en": "Materials: {link}", "ja": "資料: {link}"},
    "reviewform.score.editable": {
        "en": "You can edit your scorecard until {deadline}.",
        "ja": "{deadline} まで評価票を編集できます。",
    },
    "reviewform.score.comments": {"en": "Comments", "ja": "コメント"},
    "reviewform.score.recommendation": {"en": "Recommendation", "ja": "推奨"},
    "reviewform.score.chair_note": {
        "en": "Confidential note to the committee chair",
        "ja": "委員長への非公開メモ",
    },
    "reviewform.score.chair_note_hint": {
        "en": "Only the committee chair reads it.",
        "ja": "委員長だけが読みます。",
    },
    "reviewform.rec.adopt": {"en": "Adopt", "ja": "採択"},
    "reviewform.rec.conditional": {"en": "Adopt with conditions", "ja": "条件付き採択"},
    "reviewform.rec.reject": {"en": "Reject", "ja": "不採択"},
    # --- "Adjust assignments" ---
    "reviewform.adjust.title": {"en": "Adjust assignments", "ja": "担当の調整"},
    "reviewform.adjust.note": {
        "en": "*{round}*: each subject should have {per} reviewers. A reviewer with a declared conflict of interest with the subject is refused.",
        "ja": "*{round}*: 各審査対象の審査委員は{per}人です。その審査対象と利益相反を申告した審査委員は割り当てられません。",
    },
    # --- "Decision" ---
    "reviewform.decide.title": {"en": "Decision", "ja": "採否の決定"},
    "reviewform.decide.submit": {"en": "Record", "ja": "記録する"},
    "reviewform.decide.subject": {"en": "*{subject}* · {round}", "ja": "*{subject}* · {round}"},
    "reviewform.decide.decision": {"en": "Decision", "ja": "採否"},
    "reviewform.decide.note": {"en": "Note", "ja": "備考"},
    "reviewform.decide.note_hint": {
        "en": "Required for a conditional adoption: the conditions.",
        "ja": "条件付き採択の場合は必須です（条件を書いてください）。",
    },
    # --- errors in the modals ---
    "reviewform.error.required": {"en": "Please fill this in.", "ja": "入力してください。"},
    "reviewform.error.too_long": {
        "en": "Use at most {limit} characters.",
        "ja": "{limit}文字以内で入力してください。",
    },
    "reviewform.error.pick": {"en": "Pick one.", "ja": "選んでください。"},
    "reviewform.error.pick_score": {"en": "Pick a score.", "ja": "評点を選んでください。"},
    "reviewform.error.pick_date": {"en": "Pick a date.", "ja": "日付を選んでください。"},
    "reviewform.error.pick_time": {"en": "Pick a time.", "ja": "時刻を選んでください。"},
    "reviewform.error.no_such_time": {
        "en": "{time} does not exist in {zone}, or exists twice (a daylight-saving change). Pick another time.",
        "ja": "{time} は {zone} では存在しないか、2回あります（夏時間の切り替え）。別の時刻を選んでください。",
    },
    "reviewform.error.number": {
        "en": "Give a whole number from {min} to {max}.",
        "ja": "{min}から{max}までの整数を入力してください。",
    },
    "reviewform.error.reviewers": {
        "en": "Pick at least one reviewer.",
        "ja": "審査委員を1人以上選んでください。",
    },
    "reviewform.error.criteria_count": {
        "en": "Give from 1 to {limit} criteria, one per line (there are {count}).",
        "ja": "評価項目は1行に1つ、1〜{limit}項目で入力してください（現在{count}項目）。",
    },
    "reviewform.error.criterion_weight": {
        "en": "Line {line}: the weight “{weight}” is not a positive number up to {max}; write e.g. “Feasibility: 2” or “Feasibility: 1.5”.",
        "ja": "{line}行目: 重み「{weight}」が{max}以下の正の数ではありません。「実現可能性: 2」や「実現可能性: 1.5」のように書いてください。",
    },
    "reviewform.error.criterion_no_name": {
        "en": "Line {line}: the criterion has no name.",
        "ja": "{line}行目: 評価項目の名前がありません。",
    },
    "reviewform.error.criterion_too_long": {
        "en": "Line {line}: a criterion's name is at most {limit} characters.",
        "ja": "{line}行目: 評価項目の名前は{limit}文字以内にしてください。",
    },
    "reviewform.error.criterion_duplicate": {
        "en": "Line {line}: “{name}” is already on line {first}.",
        "ja": "{line}行目: 「{name}」は{first}行目にもあります。",
    },
    "reviewform.error.link": {
        "en": "Give a link starting with https:// or http://, without spaces.",
        "ja": "https:// または http:// で始まる、空白のないリンクを入力してください。",
    },
    "reviewform.error.email": {
        "en": "“{email}” is not an email address.",
        "ja": "「{email}」はメールアドレスではありません。",
    },
    "reviewform.error.orgs": {
        "en": "Pick at least one organization.",
        "ja": "組織を1つ以上選んでください。",
    },
    "reviewform.error.forged": {
        "en": "That choice is not offered here. Open the form again.",
        "ja": "その選択肢はありません。フォームを開き直してください。",
    },
    "reviewform.error.one_file": {
        "en": "Attach one CSV file.",
        "ja": "CSVファイルを1つ添付してください。",
    },
    "reviewform.error.conditions": {
        "en": "Write the conditions of the conditional adoption here.",
        "ja": "条件付き採択の条件をここに書いてください。",
    },
    # --- the applicants CSV ---
    "reviewform.csv.line": {"en": "Line {line}: {message}", "ja": "{line}行目: {message}"},
    "reviewform.csv.problems": {
        "en": "The file was not imported ({count} problems; no applicant was added):\n{problems}",
        "ja": "ファイルを取り込めませんでした（問題 {count} 件。応募者は追加されていません）:\n{problems}",
    },
    "reviewform.csv.more": {"en": "… and {count} more.", "ja": "… ほか {count} 件。"},
    "reviewform.csv.not_text": {
        "en": "Line {line}: the file is not text in UTF-8 or Shift_JIS. In Excel, save it as “CSV UTF-8”.",
        "ja": "{line}行目: ファイルが UTF-8 または Shift_JIS のテキストではありません。Excel では「CSV UTF-8」で保存してください。",
    },
    "reviewform.csv.empty": {
        "en": "The file is empty: it needs a header line (organization,proposal_title,materials_link,contact) and a line per applicant.",
        "ja": "ファイルが空です。ヘッダー行（organization,proposal_title,materials_link,contact）と、応募者ごとに1行が必要です。",
    },
    "reviewform.csv.no_rows": {
        "en": "The file has a header line (line {line}) but no applicants.",
        "ja": "ヘッダー行（{line}行目）はありますが、応募者の行がありません。",
    },
    "reviewform.csv.too_many": {
        "en": "Line {line}: a round takes at most {limit} applicants; this is applicant {count}. Split the file, or leave some out.",
        "ja": "{line}行目: 1つの審査ラウンドの応募者は最大{limit}件です（この行は{count}件目）。ファイルを分けるか、一部を除いてください。",
    },
    "reviewform.csv.required": {"en": "{column} is empty.", "ja": "{column} が空です。"},
    "reviewform.csv.too_long": {
        "en": "{column} is longer than {limit} characters.",
        "ja": "{column} が{limit}文字を超えています。",
    },
    "reviewform.csv.link": {
        "en": "materials_link “{value}” is not a link starting with https:// or http://.",
        "ja": "materials_link「{value}」が https:// または http:// で始まるリンクではありません。",
    },
    "reviewform.csv.contact": {
        "en": "contact “{value}” is neither a Slack user ID (U0123ABCD, or a mention <@U0123ABCD>) nor an email address.",
        "ja": "contact「{value}」が Slack のユーザーID（U0123ABCD、またはメンション <@U0123ABCD>）でもメールアドレスでもありません。",
    },
    "reviewform.csv.duplicate": {
        "en": "organization “{name}” is also on line {first}.",
        "ja": "organization「{name}」は{first}行目にもあります。",
    },
    "reviewform.csv.extra_cell": {
        "en": "column {column} has a value but no name in the header line.",
        "ja": "{column}列目に値がありますが、ヘッダー行に列名がありません。",
    },
    "reviewform.edit.title": {"en": "Edit review round", "ja": "審査の変更"},
    "reviewform.edit.intro": {
        "en": "*{round}*: change the scoring deadline or add reviewers (new reviewers are asked "
        "to declare conflicts; a reviewer cannot be removed here: withdraw their subjects with "
        "`/review adjust`).",
        "ja": "「{round}」: 評価の締切の変更や審査委員の追加ができます（追加した審査委員には利益相反の"
        "申告を依頼します。審査委員はここでは外せません。担当は `/review adjust` で外してください）。",
    },
}
