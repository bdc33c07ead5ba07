"""Messages of the read side of evaluation results: the leaderboard (`/eval leaderboard`), an
organization's history (`/eval history`) with its trend chart, and the weekly digest's section
on results published that week.

Keys: `evalboard.*`, `evalboard.history.*`, `evalboard.chart.*`, `evalboard.digest.*`,
`evalboard.type.*`.
"""

CATALOG: dict[str, dict[str, str]] = {
    # --- /eval leaderboard -----------------------------------------------------------------
    "evalboard.title": {
        "en": "Evaluation leaderboard",
        "ja": "評価結果リーダーボード",
    },
    "evalboard.title_best": {
        "en": "Evaluation leaderboard: best per organization",
        "ja": "評価結果リーダーボード（組織ごとの最高値）",
    },
    "evalboard.intro": {
        "en": "Published results, shared within the programme only. Each benchmark's headline score from the standard suite; dates are publication dates (JST).",
        "ja": "公表済みの評価結果です（プログラム参加者内のみの共有）。各ベンチマークの標準スイートの代表スコアで、日付は公表日（日本時間）です。",
    },
    "evalboard.benchmark": {
        "en": "*{benchmark}* ({direction})",
        "ja": "*{benchmark}*（{direction}）",
    },
    "evalboard.higher_better": {"en": "higher is better", "ja": "高いほど良い"},
    "evalboard.lower_better": {"en": "lower is better", "ja": "低いほど良い"},
    "evalboard.row": {
        "en": "{rank}. *{org}* · {model} @ {revision} · {params} · {type} · {shots} · *{value}* ({delta}) · {date}{flag}",
        "ja": "{rank}. *{org}* · {model} @ {revision} · {params} · {type} · {shots} · *{value}*（{delta}）· {date}{flag}",
    },
    "evalboard.unranked": {"en": "–", "ja": "–"},
    "evalboard.params": {"en": "{value}B", "ja": "{value}B"},
    "evalboard.params_unknown": {"en": "size not given", "ja": "規模不明"},
    "evalboard.shots": {"en": "{n}-shot", "ja": "{n}ショット"},
    "evalboard.shots_unknown": {"en": "n-shot not given", "ja": "ショット数不明"},
    "evalboard.no_value": {"en": "no value", "ja": "値なし"},
    "evalboard.new": {"en": "new", "ja": "初"},
    "evalboard.delta": {"en": "{delta} vs previous", "ja": "前回比 {delta}"},
    "evalboard.delta_unknown": {"en": "no comparison", "ja": "比較不可"},
    "evalboard.flag": {"en": " :triangular_flag_on_post:", "ja": " :triangular_flag_on_post:"},
    "evalboard.more": {
        "en": "{count} more result(s) not shown.",
        "ja": "ほか {count} 件は表示していません。",
    },
    "evalboard.more_benchmarks": {
        "en": "{count} more benchmark(s) not shown: {names}. Name one to see it: `/eval leaderboard BENCHMARK`.",
        "ja": "表示していないベンチマークが {count} 件あります: {names}。`/eval leaderboard ベンチマーク名` で表示できます。",
    },
    "evalboard.legend": {
        "en": ":triangular_flag_on_post: the result has an open flag. The change is against the organization's previous published result for the benchmark; “new” is its first.",
        "ja": ":triangular_flag_on_post: は未解決の指摘がある結果です。前回比は同じ組織がそのベンチマークで前回公表した結果との差で、「初」は初めての公表です。",
    },
    "evalboard.empty": {
        "en": "No evaluation results have been published yet.",
        "ja": "公表済みの評価結果はまだありません。",
    },
    "evalboard.unknown_benchmark": {
        "en": "There is no published result for a benchmark called “{name}”. Benchmarks with published results: {known}.",
        "ja": "「{name}」というベンチマークの公表済みの結果はありません。公表済みの結果があるベンチマーク: {known}。",
    },
    "evalboard.no_benchmarks": {"en": "none yet", "ja": "まだありません"},
    # --- model types ------------------------------------------------------------------------
    "evalboard.type.pretrained": {"en": "pretrained", "ja": "事前学習"},
    "evalboard.type.continual": {"en": "continual pretraining", "ja": "継続事前学習"},
    "evalboard.type.instruction": {"en": "instruction-tuned", "ja": "指示チューニング"},
    "evalboard.type.chat": {"en": "chat", "ja": "チャット"},
    "evalboard.type.merged": {"en": "merged", "ja": "マージ"},
    # --- /eval history ----------------------------------------------------------------------
    "evalboard.history.title": {
        "en": "{org}: evaluation results over time",
        "ja": "{org}: 評価結果の推移",
    },
    "evalboard.history.title_model": {
        "en": "{org}: evaluation results of {model} over time",
        "ja": "{org}: {model} の評価結果の推移",
    },
    "evalboard.history.intro": {
        "en": "Published results as of {date} (JST), headline score per benchmark. The chart shows every published result.",
        "ja": "{date}（日本時間）時点の公表済みの結果です（ベンチマークごとの代表スコア）。グラフにはすべての公表済みの結果を示しています。",
    },
    "evalboard.history.benchmark": {
        "en": "*{benchmark}* ({direction}): {count} result(s), latest {latest}, best {best}",
        "ja": "*{benchmark}*（{direction}）: {count} 件、最新 {latest}、最高 {best}",
    },
    "evalboard.history.entry": {
        "en": "• {date} {model} @ {revision}: {value} ({delta}){flag}",
        "ja": "• {date} {model} @ {revision}: {value}（{delta}）{flag}",
    },
    "evalboard.history.earlier": {
        "en": "  … and {count} earlier result(s) (in the chart).",
        "ja": "  …ほか以前の結果 {count} 件（グラフに記載）。",
    },
    "evalboard.history.none": {
        "en": "{org} has no published evaluation results yet.",
        "ja": "{org} の公表済みの評価結果はまだありません。",
    },
    "evalboard.history.unknown_model": {
        "en": "{org} has no published results for a model called “{model}”. Models with published results: {models}.",
        "ja": "{org} には「{model}」というモデルの公表済みの結果がありません。公表済みの結果があるモデル: {models}。",
    },
    "evalboard.history.operator_org": {
        "en": "You are in the secretariat, which has no evaluation results of its own. Name the organization whose history to show (its code, e.g. ORGA).",
        "ja": "事務局には自身の評価結果がありません。推移を表示する組織を組織コード（例: ORGA）で指定してください。",
    },
    # --- the trend chart --------------------------------------------------------------------
    "evalboard.chart.y": {"en": "Headline score", "ja": "代表スコア"},
    "evalboard.chart.x": {"en": "Published (JST)", "ja": "公表日（日本時間）"},
    "evalboard.chart.higher": {"en": "{benchmark} (↑ better)", "ja": "{benchmark}（↑ 良）"},
    "evalboard.chart.lower": {"en": "{benchmark} (↓ better)", "ja": "{benchmark}（↓ 良）"},
    "evalboard.chart.no_data": {
        "en": "No published scores to draw",
        "ja": "描画できる公表済みのスコアがありません",
    },
    "evalboard.chart.comment": {
        "en": "Evaluation results over time: {org}",
        "ja": "評価結果の推移: {org}",
    },
    # --- the weekly digest's section --------------------------------------------------------
    "evalboard.digest.title": {
        "en": "*Evaluation results published this week*",
        "ja": "*今週公表された評価結果*",
    },
    "evalboard.digest.line": {
        "en": "• *{org}* {model} @ {revision} ({date}): {scores}",
        "ja": "• *{org}* {model} @ {revision}（{date}）: {scores}",
    },
    "evalboard.digest.score": {
        "en": "{benchmark} {value} ({delta})",
        "ja": "{benchmark} {value}（{delta}）",
    },
    "evalboard.digest.more": {
        "en": "{count} more published result(s): see `/eval leaderboard`.",
        "ja": "ほか {count} 件の公表済み結果は `/eval leaderboard` で確認できます。",
    },
}
