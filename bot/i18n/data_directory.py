"""Messages of the data-holder directory: the operators' `/data admin` list and "Data holder"
modal, `/data search` for members, the external-select options, and the holders import
(`kiban import holders`). Placeholders are filled with values the caller has already escaped
for mrkdwn where needed."""

CATALOG: dict[str, dict[str, str]] = {
    # --- /data admin ---
    "directory.admin.title": {"en": "Data holders", "ja": "データホルダー"},
    "directory.admin.intro": {
        "en": "Edit a data holder or add one. Contacts are shown to operators only. Narrow the list with `/data admin WORDS` (name, key, contact, domain…). In bulk: `kiban import holders FILE`.",
        "ja": "データホルダーを編集するか、新しく追加します。連絡先はオペレーターにだけ表示されます。`/data admin 語` で絞り込めます（名称・キー・連絡先・分野など）。一括登録は `kiban import holders ファイル` でもできます。",
    },
    "directory.admin.none": {
        "en": "No data holders yet.",
        "ja": "データホルダーはまだ登録されていません。",
    },
    "directory.admin.none_match": {
        "en": "No data holders match “{words}”.",
        "ja": "「{words}」に一致するデータホルダーはありません。",
    },
    "directory.admin.more": {
        "en": "Showing {shown} of {total}. Add words to narrow the list: `/data admin WORDS`.",
        "ja": "{total} 件中 {shown} 件を表示しています。語を加えて絞り込んでください: `/data admin 語`",
    },
    "directory.admin.new_button": {"en": "New data holder", "ja": "新しいデータホルダー"},
    "directory.admin.edit_button": {"en": "Edit", "ja": "編集"},
    "directory.admin.line": {
        "en": "*{name}* · {organization} · `{holder_key}`\n{status} · contact: {contact}",
        "ja": "*{name}* · {organization} · `{holder_key}`\n{status} · 連絡先: {contact}",
    },
    "directory.admin.no_contact": {"en": "none", "ja": "なし"},
    "directory.admin.ignored": {
        "en": "{count} introduction(s) left unanswered in a row",
        "ja": "紹介への無回答が {count} 回連続",
    },
    "directory.admin.left_out": {
        "en": "left out of matching (save it as active to include it again)",
        "ja": "マッチング対象外（有効として保存すると対象に戻ります）",
    },
    "directory.status.active": {"en": "active", "ja": "有効"},
    "directory.status.paused": {"en": "paused", "ja": "休止中"},
    # --- the modal ---
    "directory.modal.title": {"en": "Data holder", "ja": "データホルダー"},
    "directory.modal.submit": {"en": "Save", "ja": "保存"},
    "directory.modal.close": {"en": "Cancel", "ja": "キャンセル"},
    "directory.modal.intro": {
        "en": "Members see everything here except the contact. `/data search` matches the name, domains, modalities, languages, organization and description.",
        "ja": "連絡先以外の内容はメンバーに表示されます。`/data search` は名称・分野・モダリティ・言語・組織名・説明を検索します。",
    },
    "directory.modal.editing": {
        "en": "Key: `{holder_key}` (fixed: import files use it to update this holder).",
        "ja": "キー: `{holder_key}`（変更できません。取り込みファイルはこのキーで更新します）",
    },
    "directory.field.key": {"en": "Key", "ja": "キー"},
    "directory.field.key_hint": {
        "en": "Optional: made from the name when empty. Letters, digits, hyphens; it cannot be changed later.",
        "ja": "省略すると名称から作成します。英数字・ハイフンなど。後から変更できません。",
    },
    "directory.field.name": {"en": "Name", "ja": "名称"},
    "directory.field.organization": {"en": "Organization", "ja": "組織名"},
    "directory.field.description": {"en": "Description", "ja": "説明"},
    "directory.field.domains": {"en": "Domains", "ja": "分野"},
    "directory.field.modalities": {"en": "Modalities", "ja": "モダリティ"},
    "directory.field.languages": {"en": "Languages", "ja": "言語"},
    "directory.field.size": {"en": "Approximate size", "ja": "おおよその規模"},
    "directory.field.size_hint": {
        "en": "e.g. 500 GB, 10B tokens, 1.2M images, 1,000 hours",
        "ja": "例: 500 GB、100億トークン、30万件、1,000時間",
    },
    "directory.field.licence": {"en": "Licence or terms", "ja": "ライセンス・利用規約"},
    "directory.field.access": {"en": "Access conditions", "ja": "アクセス条件"},
    "directory.field.contact_user": {"en": "Contact in Slack", "ja": "Slack の連絡先"},
    "directory.field.contact_email": {"en": "Contact email", "ja": "連絡先メールアドレス"},
    "directory.field.contact_hint": {
        "en": "Give one contact: a Slack user, or an email address for someone outside the workspace. Never shown to members.",
        "ja": "連絡先はどちらか一方: Slack のユーザー、またはワークスペース外の方のメールアドレス。メンバーには表示されません。",
    },
    "directory.field.status": {"en": "Status", "ja": "状態"},
    "directory.status.active_option": {
        "en": "Active: listed and matched",
        "ja": "有効（掲載・マッチング対象）",
    },
    "directory.status.paused_option": {
        "en": "Paused: hidden from members",
        "ja": "休止（メンバーには表示しない）",
    },
    "directory.saved": {
        "en": "Saved the data holder *{name}* (`{holder_key}`): {status}.",
        "ja": "データホルダー *{name}*（`{holder_key}`）を保存しました: {status}",
    },
    # --- errors (modal and import) ---
    "directory.error.required": {"en": "Enter this field.", "ja": "入力してください。"},
    "directory.error.missing": {
        "en": "{field} is required.",
        "ja": "{field} は必須です。",
    },
    "directory.error.too_long": {
        "en": "{field}: at most {limit} characters (this has {length}).",
        "ja": "{field}: {limit} 文字以内にしてください（現在 {length} 文字）。",
    },
    "directory.error.key_format": {
        "en": "“{holder_key}” cannot be a key: use letters, digits, hyphens, dots or underscores (at most 64), e.g. kyoto-medical.",
        "ja": "「{holder_key}」はキーに使えません。英数字・ハイフン・ドット・アンダースコア（64文字以内）で入力してください（例: kyoto-medical）。",
    },
    "directory.error.key_taken": {
        "en": "The key “{holder_key}” is already used by {name}.",
        "ja": "キー「{holder_key}」はすでに {name} で使われています。",
    },
    "directory.error.contact_missing": {
        "en": "Give a contact: a Slack user, or an email address for someone outside the workspace.",
        "ja": "連絡先を指定してください（Slack のユーザー、またはワークスペース外の方のメールアドレス）。",
    },
    "directory.error.contact_both": {
        "en": "Give only one contact: clear the email address or the Slack user.",
        "ja": "連絡先はどちらか一方だけにしてください（メールアドレスか Slack のユーザーを空にしてください）。",
    },
    "directory.error.bad_email": {
        "en": "“{email}” is not an email address (name@example.org).",
        "ja": "「{email}」はメールアドレスではありません（例: name@example.org）。",
    },
    "directory.error.bad_contact": {
        "en": "contact: “{value}” is neither a Slack user id (U…, or a mention <@U…>) nor an email address.",
        "ja": "contact: 「{value}」は Slack のユーザーID（U…、またはメンション <@U…>）でもメールアドレスでもありません。",
    },
    "directory.error.same_name": {
        "en": "Two holders would be “{name} — {organization}” ({first} and {second}): pickers and lists could not tell them apart. Give one a different name or organization.",
        "ja": "「{name} — {organization}」というデータホルダーが2つになります（{first} と {second}）。一覧や選択肢で区別できないため、名称か組織名を変えてください。",
    },
    "directory.error.bad_status": {
        "en": "status: “{value}” is not active or paused.",
        "ja": "status: 「{value}」は active（有効）か paused（休止）のどちらかにしてください。",
    },
    "directory.error.unknown_words": {
        "en": "{field}: Kiban does not know {words}. Use: {accepted} (or their English or Japanese names).",
        "ja": "{field}: {words} は使えません。次のいずれか（または日本語・英語の名称）を使ってください: {accepted}",
    },
    "directory.error.not_text": {
        "en": "{field}: write text, not {kind}.",
        "ja": "{field}: テキストで入力してください（{kind}は使えません）。",
    },
    "directory.error.not_word_list": {
        "en": "{field}: must be a list of words, e.g. [medical, legal], or words separated by commas; an item here is {kind}.",
        "ja": "{field}: 語のリスト（例: [medical, legal]）か、カンマ区切りの語で書いてください。項目に{kind}は使えません。",
    },
    # the kind of a YAML value that is not text, as the messages above name it
    "directory.kind.mapping": {"en": "a mapping", "ja": "マッピング"},
    "directory.kind.list": {"en": "a list", "ja": "リスト"},
    "directory.kind.bool": {"en": "true/false", "ja": "真偽値（true/false）"},
    "directory.kind.binary": {"en": "binary data", "ja": "バイナリデータ"},
    "directory.kind.set": {"en": "a set", "ja": "集合"},
    "directory.kind.other": {"en": "that kind of value", "ja": "その種類の値"},
    "directory.error.unknown_fields": {
        "en": "unknown field(s) {fields}; the fields are: {accepted}.",
        "ja": "不明な項目 {fields} があります。使える項目: {accepted}",
    },
    "directory.error.duplicate_key": {
        "en": "the key “{holder_key}” is also on line {other}.",
        "ja": "キー「{holder_key}」は {other} 行目にもあります。",
    },
    "directory.error.gone": {
        "en": "This data holder no longer exists.",
        "ja": "このデータホルダーは存在しません。",
    },
    "directory.error.no_org": {
        "en": "The data directory is open to the programme's organizations. Ask the secretariat to add you with `/kiban member add @you ORG`.",
        "ja": "データホルダーの一覧はプログラム参加組織の方が利用できます。事務局に `/kiban member add @あなた 組織コード` で追加するよう依頼してください。",
    },
    # --- the import ---
    "directory.import.problems": {
        "en": "The data holders file has {count} problem(s); nothing was imported:\n{problems}",
        "ja": "データホルダーのファイルに {count} 件の問題があるため、何も取り込みませんでした:\n{problems}",
    },
    "directory.import.line": {"en": "line {line}: {message}", "ja": "{line}行目: {message}"},
    "directory.import.shape": {
        "en": "The file must be a list of data holders, or a mapping with a `data_holders:` list.",
        "ja": "ファイルはデータホルダーのリスト、または `data_holders:` のリストを持つマッピングにしてください。",
    },
    "directory.import.not_mapping": {
        "en": "each data holder must be a mapping of fields (key: …, name: …).",
        "ja": "データホルダーは項目のマッピング（key: …, name: …）で書いてください。",
    },
    "directory.import.bad_yaml": {
        "en": "not valid YAML ({problem}).",
        "ja": "YAML として読めません（{problem}）。",
    },
    "directory.import.format": {
        "en": "Cannot tell the format of {file}: name it .yaml, .yml or .csv.",
        "ja": "{file} の形式が分かりません。拡張子を .yaml、.yml または .csv にしてください。",
    },
    "directory.import.duplicate_column": {
        "en": "the column “{column}” appears twice in the header (columns {first} and {second}); keep one.",
        "ja": "ヘッダーに列「{column}」が2回あります（{first}列目と{second}列目）。1つにしてください。",
    },
    "directory.import.unnamed_column": {
        "en": "column {column} has a value, but the header (line {header}) gives it no name.",
        "ja": "{column}列目に値がありますが、ヘッダー（{header}行目）にその列名がありません。",
    },
    "directory.import.cell_too_long": {
        "en": "a cell is longer than {limit} characters, more than any field takes ({field}: at most {longest}); check the quotes.",
        "ja": "{limit} 文字を超えるセルがあります。どの項目にも入りません（最長の {field} でも {longest} 文字まで）。引用符を確認してください。",
    },
    "directory.import.unclosed_quote": {
        "en": 'a quoted cell starting on this row is never closed (a " is missing).',
        "ja": 'この行から始まる引用符（"）で囲んだセルが閉じられていません。',
    },
    "directory.import.bad_quote": {
        "en": 'a quoted cell has text after its closing quote; write a " inside a quoted cell as "".',
        "ja": '引用符で囲んだセルの閉じ引用符の後に文字があります。セル内の " は "" と書いてください。',
    },
    "directory.import.bad_csv": {
        "en": "not valid CSV ({problem}).",
        "ja": "CSV として読めません（{problem}）。",
    },
    "directory.import.no_header": {
        "en": "The CSV file is empty: its first line must name the columns (key,name,…).",
        "ja": "CSV ファイルが空です。1行目に列名（key,name,…）を書いてください。",
    },
    # --- /data search ---
    "directory.search.usage": {
        "en": "Search the data directory: `/data search WORDS`, e.g. `/data search medical images` or `/data search 法律 日本語`. Words match names, domains, modalities, languages, organizations and descriptions, in Japanese or English.",
        "ja": "データホルダーを検索します: `/data search 語`（例: `/data search 医療 画像`、`/data search legal Japanese`）。名称・分野・モダリティ・言語・組織名・説明を日本語でも英語でも検索できます。",
    },
    "directory.search.title": {
        "en": "Data holders for “{words}”",
        "ja": "「{words}」のデータホルダー",
    },
    "directory.search.count": {
        "en": "{count} found, best matches first. Ask for an introduction with the button; the secretariat contacts the holder.",
        "ja": "{count} 件見つかりました（一致度の高い順）。ボタンから紹介を依頼すると、事務局がデータホルダーに連絡します。",
    },
    "directory.search.more": {
        "en": "Showing the best {shown} of {total}: add words to narrow the search.",
        "ja": "{total} 件中、上位 {shown} 件を表示しています。語を加えて絞り込んでください。",
    },
    "directory.search.none": {
        "en": "No data holders match “{words}”. Try fewer or broader words, in either language: a domain (medical, 法律), a modality (images, テキスト) or a language (Japanese). The secretariat can also look for data with you.",
        "ja": "「{words}」に一致するデータホルダーはありません。語を減らすか、より広い語を日本語か英語で試してください: 分野（医療、legal）、モダリティ（画像、text）、言語（日本語）など。事務局と一緒にデータを探すこともできます。",
    },
    "directory.search.request_button": {"en": "Request introduction", "ja": "紹介を依頼"},
    "directory.field.size_short": {"en": "Size", "ja": "規模"},
    # --- external select options ---
    "directory.option.paused": {"en": "(paused)", "ja": "（休止中）"},
    "directory.option.left_out": {"en": "(left out of matching)", "ja": "（マッチング対象外）"},
}
