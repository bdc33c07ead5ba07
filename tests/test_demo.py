"""`kiban demo` plays the bundled scenarios: every expectation holds, Slack would accept every
call, every ack came within 3 s, and the transcript shows each part of the flow."""

from __future__ import annotations

import json

from bot.cli import main


def test_bundled_demo_passes_and_shows_the_whole_flow(tmp_path, capsys):
    out = tmp_path / "demo-out"
    assert main(["demo", "--out", str(out)]) == 0
    transcript = (out / "transcript.md").read_text(encoding="utf-8")
    evals = (out / "evals" / "transcript.md").read_text(encoding="utf-8")
    intros = (out / "intros" / "transcript.md").read_text(encoding="utf-8")
    events = (out / "events" / "transcript.md").read_text(encoding="utf-8")
    review = (out / "review" / "transcript.md").read_text(encoding="utf-8")
    trends = (out / "trends" / "transcript.md").read_text(encoding="utf-8")
    programme = (out / "programme" / "transcript.md").read_text(encoding="utf-8")
    for seen in (
        "進捗報告: 生成AIガバナンス調査 — 2026-04",  # a survey project's report
        "英語版も用意すると",  # advice from an operator, in the lead's DM
        "普及対象にしました",  # a result marked for dissemination
        "uses the shortcut practice.add_from_message",  # a best practice added by shortcut
        "が承認しました",  # reviewed
        "「出典台帳 棚卸し」に一致するベストプラクティス（1 件）",  # found by search
        "ご自身が作成したため承認できません",  # the four-eyes rule
        "@mori が承認しました",  # a second operator approves
        "announcements: 1 message(s)",  # published at its time by the job
        "今週共有された調査事業の成果",  # the disseminated result in the weekly digest
        "progress_reminder: ",  # the missing-report reminder
        "feed.xml",  # the public feed files
        "index.html",
        "33 passed, 0 failed",
    ):
        assert seen in programme, seen
    for seen in (
        "動向調査に追加しました",  # an item added by command
        "統合し、あなたのメモを追記しました",  # a duplicate merged
        "uses the shortcut trend.add_from_message",  # an item added by the message shortcut
        "trend_feeds: ",  # the feed job read the local feed
        "LLM が設定されていない",  # a draft without an LLM
        "注目すべき動きです（要約）",  # a draft with the (local fake) LLM
        "今月は大型の公開モデルが相次ぎました",  # an edit
        "生成AI動向レポート: 2026-04",  # approval and publication
        "opens App Home",  # Home for a member, an operator and a reviewer
        "続き",  # a digest long enough to continue in its thread
        "17 passed, 0 failed",
    ):
        assert seen in trends, seen
    for seen in (
        "審査 #1「2026年度 公募 採択審査」（採択審査）を作成しました",  # a round created
        "審査対象を 3 件追加しました",  # applicants from a CSV
        "「2026年度 公募 採択審査」で申告された利益相反: Sora Labs",  # a conflict declared
        "Sora Labs*: 3 名中 2 名",  # assignment, the impossible case reported
        "updated (revision 2)",  # a scorecard edited
        "評価票が 1 件未提出です",  # a reminder
        "scorecards and declarations are locked",  # locked after the deadline
        "⚠️ 外れ値: R3",  # aggregation with an outlier
        "医療データの利用許諾を6月末までに提出すること",  # a conditional decision
        "grants@sora.example",  # release: the external contact's email text
        "review-1-minutes.md",  # the export
        "packet-ORGA-",  # an end-of-term packet
        "29 passed, 0 failed",
    ):
        assert seen in review, seen
    for seen in (
        "2026-04-16 09:00 JST",  # an event created and announced
        "キャンセル待ち 1 番目",  # capacity reached: the waitlist
        "参加* が確定しました",  # a promotion
        "2026-04-15 00:00 JST に締め切られました",  # an answer after the deadline
        "2026-04-15 18:00 PDT",  # the 24 h reminder in Los Angeles time
        "has changed",  # a time change notice
        "チェックイン済みです",  # check-in (and a second click)
        "アンケート結果: 評価ハッカソン説明会",  # the survey summary
        "イベント参加状況: 2026-04",  # the stats
        "作成: 3 件",  # an iCalendar import
        "25 passed, 0 failed",
    ):
        assert seen in events, seen
    for seen in (
        "3 件見つかりました",  # a search, contacts not shown
        "東海メディカルレコード* — 100/100",  # a request with suggested matches
        "@sato さんが承認しました",  # an approval
        "mpim:U0GAKU,U0KENJI,U0SATO",  # the accept and the group DM
        "件名: みらい言語研究所からのデータ紹介のご相談",  # an external contact's email text
        "*Reason:* Our broadcast rights",  # a decline with a reason
        "現在: *NDA締結*",  # a follow-up moving to NDA
        "依頼 2 → 承認 2 → 打診 3 → 承諾 1 → 面談 1 → NDA 1",  # the pipeline
        "22 passed, 0 failed",
    ):
        assert seen in intros, seen
    assert "not_contains='U0GAKU': ok" in intros  # the search shows no contact
    for seen in (
        "gsm8k: *0.7726*",  # a real lm-evaluation-harness file and its validator report
        "データの一部だけで評価した結果です",  # a --limit run rejected
        "llm-jp-eval: *0.7613*",  # an llm-jp-eval file accepted
        "@sato がすでに「公開済み」",  # two operators approving at once
        "公開 2026-04-09 10:00 JST",  # an embargoed publication
        "評価件数が書かれていません",  # a flag
        "kiban-evals-ORGA-",  # the trend chart
        "19 passed, 0 failed",
    ):
        assert seen in evals, seen
    for seen in (
        "Report compute usage",  # the modal
        "GPU-hours must be 0 or more",  # the inline error …
        "Your usage report is recorded",  # … corrected, and the confirmation DM
        "#orga-private",  # the organization channel post
        "Compute use over plan",  # the overuse DM …
        "事務局向けの写し",  # … and the operator copy
        "not a member of any organization",  # guidance for a user in no organization
        "sacct import for ORGC",  # the sacct import summary
        "取り込みプレビュー: abci-a100-march.csv",  # a file sent in a DM, previewed
        "利用実績報告のお願い",  # the monthly reminder
        "週次 計算資源ダイジェスト",  # the weekly digest
        "kiban-compute-2026-03.csv",  # the ministry export …
        "kiban-ORGA-ABCI-H100.png",  # … and a chart
        "46 passed, 0 failed",
    ):
        assert seen in transcript, seen
    assert (out / "files" / "kiban-compute-2026-03.md").read_text(encoding="utf-8").startswith("#")
    records = [json.loads(line) for line in (out / "journal.jsonl").read_text().splitlines()]
    acks = [r for r in records if r["direction"] == "slack->bot"]
    assert acks and all(r["elapsed_ms"] < 3000 for r in acks)
    assert all(r["response"]["status"] == 200 for r in acks)
    api = [r for r in records if r["direction"] == "bot->slack" and "method" in r]
    refused = [
        (i, r)
        for i, r in enumerate(api)
        if isinstance(r["response"].get("body"), dict) and not r["response"]["body"].get("ok")
    ]
    for i, r in refused:  # only Slack's per-channel rate limit, and then retried and posted
        assert r["response"]["body"]["error"] == "ratelimited", r
        retry = next(q for q in api[i + 1 :] if q["request"] == r["request"])
        assert retry["response"]["body"]["ok"]


def test_a_failing_expectation_makes_the_demo_exit_non_zero(tmp_path, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "name: failing\nstart: 2026-04-01T09:00:00+09:00\n"
        "workspace: {users: [{id: U0A, name: a}], channels: []}\n"
        'steps:\n  - {user: U0A, command: "/compute report"}\n'
        '  - expect: {in: "ephemeral:U0A", contains: "this text never appears"}\n',
        encoding="utf-8",
    )
    assert main(["demo", "--scenario", str(scenario), "--out", str(tmp_path / "o")]) == 1
    assert "NOT OK" in capsys.readouterr().out


def test_a_broken_scenario_file_is_a_clear_error(tmp_path, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "name: x\nstart: 2026-04-01T09:00:00+09:00\nworkspace: {}\nsteps:\n  - {dance: true}\n",
        encoding="utf-8",
    )
    assert main(["demo", "--scenario", str(scenario), "--out", str(tmp_path / "o")]) == 2
    assert "step 1: unknown step" in capsys.readouterr().err


def test_a_crash_inside_kiban_fails_the_demo(tmp_path, capsys, monkeypatch):
    """A listener that raised showed the user an apology while the demo still said OK."""
    from bot.services import compute

    def broken(**_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(compute, "status", broken)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "name: crash\nstart: 2026-04-01T09:00:00+09:00\n"
        "workspace: {users: [{id: U0A, name: a}], channels: []}\n"
        'steps:\n  - {user: U0A, command: "/compute status"}\n'
        '  - expect: {in: "ephemeral:U0A", contains: "Kiban"}\n',
        encoding="utf-8",
    )
    assert main(["demo", "--scenario", str(scenario), "--out", str(tmp_path / "o")]) == 1
    transcript = (tmp_path / "o" / "transcript.md").read_text(encoding="utf-8")
    assert "Kiban raised RuntimeError: boom" in transcript
    assert "expectations: 1 passed, 0 failed" in transcript
