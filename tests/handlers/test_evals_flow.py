"""Evaluation results end to end through the sandbox and the real Bolt app: `/eval submit` with
a real lm-evaluation-harness file, the validator's report, broken files refused inline, a
`--limit` run rejected unless overridden, two operators approving at once, an embargoed
publication, a flag, `/eval status`; assertions on what people saw and the rows stored."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from jobs.evals import run_eval_publication
from storage.evals import EvalFlag, EvalScoreRow, EvalSubmission

FIXTURES = Path(__file__).parents[1] / "fixtures" / "evals"
GSM8K = next(FIXTURES.glob("eleuther_pr2251_*gsm8k*.json"))
SECOND_OPERATOR = """
organizations:
  - code: SEC
    name: Secretariat / 事務局
    kind: secretariat
    channel: C0OPS
    language: ja
    members:
      - {user: U0GAKU, role: operator}
"""


def submissions(h) -> list[EvalSubmission]:
    with h.session_factory() as session:
        return list(session.exec(select(EvalSubmission).order_by(EvalSubmission.id)))


def scores(h) -> list[EvalScoreRow]:
    with h.session_factory() as session:
        return list(session.exec(select(EvalScoreRow).order_by(EvalScoreRow.id)))


def submit(h, path: Path, user="U0ALICE", revision="r1"):
    h.driver.command(user, "/eval submit")
    return h.driver.fill(
        user,
        {
            "Model name": "alpha-8b-instruct",
            "Model revision (commit, checkpoint or tag)": revision,
            "Parameters (B)": "8",
            "Model type": "Instruction-tuned",
            "Results file": str(path),
        },
    )


def review(h, user, decision, reason="", **extra):
    h.driver.click(user, "審査する", "#secretariat")
    fields = {"決定": decision, **extra}
    if reason:
        fields["理由（提出者に送られます。却下・修正依頼・検証結果の上書きには必須）"] = reason
    return h.driver.fill(user, fields)


def test_a_real_harness_file_is_read_validated_and_queued_for_review(harness):
    ack = submit(harness, GSM8K)
    assert ack.body == ""  # the modal closes
    [row] = submissions(harness)
    assert (row.model_name, row.model_revision, row.status, row.file_format) == (
        "alpha-8b-instruct",
        "r1",
        "submitted",
        "lm-eval",
    )
    stored = {(s.task, s.metric, s.filter): s.value for s in scores(harness)}
    assert stored[("gsm8k_cot_llama", "exact_match", "strict-match")] == 0.7725549658832449
    assert stored[("gsm8k_cot_llama", "exact_match", "flexible-extract")] == 0.7778620166793025
    receipt = harness.sandbox.render("dm:U0ALICE")
    assert "Evaluation results received" in receipt and "0.7726" in receipt
    queue = harness.sandbox.render("#secretariat")
    assert "評価結果 #1" in queue and "審査する" in queue
    assert "C0EVALS" not in json.dumps(harness.journal())  # nothing published before review


def test_a_broken_file_is_refused_inline_and_nothing_is_stored(harness, tmp_path):
    broken = tmp_path / "results.json"
    broken.write_text('{"results": {"gsm8k": {"acc,none": 0.5', encoding="utf-8")
    submit(harness, broken)
    errors = harness.driver.modal_errors("U0ALICE")
    assert "Results file" in errors and errors["Results file"]
    assert submissions(harness) == [] and scores(harness) == []


def test_a_limit_run_needs_an_override_reason_and_approval_publishes_it(harness, tmp_path):
    limited = json.loads(GSM8K.read_text(encoding="utf-8"))
    limited["config"]["limit"] = 10
    path = tmp_path / "limited.json"
    path.write_text(json.dumps(limited), encoding="utf-8")
    submit(harness, path)
    assert ":no_entry:" in harness.sandbox.render("dm:U0ALICE")
    review(harness, "U0SATO", "承認")
    assert "上書き" in " ".join(harness.driver.modal_errors("U0SATO").values())
    assert submissions(harness)[0].status == "submitted"
    harness.driver.fill(
        "U0SATO",
        {
            "理由（提出者に送られます。却下・修正依頼・検証結果の上書きには必須）": "Pilot run agreed"
        },
    )
    [row] = submissions(harness)
    assert (row.status, row.override_reason) == ("published", "Pilot run agreed")
    assert "例外として公開" in harness.sandbox.render("#eval-results")
    assert "Evaluation results published" in harness.sandbox.render("#eval-results") or (
        "評価結果の公開" in harness.sandbox.render("#eval-results")
    )
    assert "*Approved and published* by @sato" in harness.sandbox.render("dm:U0ALICE")


def test_two_operators_approving_at_once_make_one_transition(harness):
    harness.admin_import(SECOND_OPERATOR)
    submit(harness, GSM8K)
    harness.driver.click("U0SATO", "審査する", "#secretariat")
    harness.driver.click("U0GAKU", "審査する", "#secretariat")
    harness.driver.fill("U0SATO", {"決定": "承認"})
    harness.driver.fill("U0GAKU", {"決定": "承認"})
    assert "@sato" in " ".join(harness.driver.modal_errors("U0GAKU").values())
    [row] = submissions(harness)
    assert (row.status, row.decided_by) == ("published", "U0SATO")
    posts = [
        r
        for r in harness.journal()
        if r.get("method") == "chat.postMessage" and r["request"].get("channel") == "C0EVALS"
    ]
    assert len(posts) == 1


def test_embargoed_results_publish_when_due_and_members_can_flag_them(harness):
    submit(harness, GSM8K)
    embargo = harness.clock.now() + timedelta(days=2)
    review(
        harness,
        "U0SATO",
        "承認",
        **{"公開日時（任意の解禁日時。空欄なら即時）": int(embargo.timestamp())},
    )
    assert submissions(harness)[0].status == "approved"
    assert "Evaluation results published" not in harness.sandbox.render("#eval-results")
    assert run_eval_publication(deps=harness.deps, now=embargo - timedelta(minutes=1)) == 0
    assert run_eval_publication(deps=harness.deps, now=embargo) == 2  # the post, the DM
    assert "are now published in" in harness.sandbox.render("dm:U0ALICE")
    assert run_eval_publication(deps=harness.deps, now=embargo + timedelta(minutes=5)) == 0
    assert submissions(harness)[0].status == "published"
    assert "alpha-8b-instruct" in harness.sandbox.render("#eval-results")

    harness.driver.click("U0KENJI", "指摘する", "#eval-results")
    harness.driver.fill("U0KENJI", {"指摘の内容": "The n-shot differs from the suite"})
    with harness.session_factory() as session:
        [flag] = session.exec(select(EvalFlag)).all()
    assert (flag.flagged_by, flag.reason) == ("U0KENJI", "The n-shot differs from the suite")
    assert "The n-shot differs from the suite" in harness.sandbox.render("#secretariat")
    assert "The n-shot differs from the suite" in harness.sandbox.render("#eval-results")

    harness.driver.click("U0KENJI", "対応済みにする", "#secretariat")  # members cannot resolve
    with harness.session_factory() as session:
        assert session.exec(select(EvalFlag)).one().resolved_at is None
    harness.driver.click("U0SATO", "対応済みにする", "#secretariat")
    with harness.session_factory() as session:
        assert session.exec(select(EvalFlag)).one().resolved_by == "U0SATO"
    assert "対応済みにしました" in harness.sandbox.render("#secretariat")
    assert "The n-shot differs from the suite" not in harness.sandbox.render("#eval-results")


def test_status_shows_the_organizations_own_submissions_only(harness):
    submit(harness, GSM8K)
    harness.driver.command("U0ALICE", "/eval status")
    assert "alpha-8b-instruct" in harness.sandbox.render("ephemeral:U0ALICE")
    harness.driver.command("U0KENJI", "/eval status")
    assert "alpha-8b-instruct" not in harness.sandbox.render("ephemeral:U0KENJI")
    harness.driver.command("U0KENJI", "/eval status ORGA")
    assert "alpha-8b-instruct" not in harness.sandbox.render("ephemeral:U0KENJI")


def test_the_same_revision_published_meanwhile_needs_an_override_to_approve(harness):
    submit(harness, GSM8K, revision="r1")
    submit(harness, GSM8K, revision="R1")  # the same revision, spelled differently
    review(harness, "U0SATO", "承認")  # #2, the latest entry: published
    review(harness, "U0SATO", "承認")  # #1: the same revision is published now
    assert "提出後に同じモデル" in " ".join(harness.driver.modal_errors("U0SATO").values())
    harness.driver.fill(
        "U0SATO",
        {"理由（提出者に送られます。却下・修正依頼・検証結果の上書きには必須）": "Re-run agreed"},
    )
    assert [s.status for s in submissions(harness)] == ["published", "published"]
    assert [s.override_reason for s in submissions(harness)] == ["Re-run agreed", None]


def test_notes_and_evidence_reach_the_reviewers_and_forged_links_are_refused(harness):
    harness.driver.command("U0ALICE", "/eval submit")
    fields = {
        "Model name": "alpha-8b-instruct",
        "Model revision (commit, checkpoint or tag)": "r1",
        "Model type": "Instruction-tuned",
        "Results file": str(GSM8K),
        "Notes": "Run on 8 × H100, seed 1",
        "Evidence link": "https://example.org/run|click here",
    }
    harness.driver.fill("U0ALICE", fields)
    assert "https://" in harness.driver.modal_errors("U0ALICE")["Evidence link"]
    harness.driver.fill("U0ALICE", {"Evidence link": "https://example.org/run?a=1&b=2"})
    queue = harness.sandbox.render("#secretariat")
    assert "Run on 8 × H100, seed 1" in queue and "根拠: https://example.org/run?a=1&b=2" in queue


def test_operators_see_an_organizations_history_by_code(harness):
    submit(harness, GSM8K)
    review(harness, "U0SATO", "承認")
    harness.driver.command("U0SATO", "/eval history ORGA")
    assert "kiban-evals-ORGA" in harness.sandbox.render("dm:U0SATO")
    harness.driver.command("U0KENJI", "/eval history ORGA")  # another organization's member
    assert "kiban-evals-ORGA" not in harness.sandbox.render("dm:U0KENJI")


def test_a_file_that_is_not_json_or_csv_is_refused_by_kiban_itself():
    """Slack's `filetypes` is only a hint to its client: Kiban checks the name too."""
    import pytest

    from bot.errors import UserError
    from bot.services.evals import read_file

    with pytest.raises(UserError, match="not a .json or .csv") as error:
        read_file(GSM8K.read_bytes(), "results.txt")
    assert error.value.field == "file"
    assert read_file(GSM8K.read_bytes(), "results.JSON").format == "lm-eval"


def test_operators_and_reviewers_are_told_why_they_cannot_submit(harness):
    harness.driver.command("U0SATO", "/eval submit")
    assert "事務局は評価結果を提出しません" in harness.sandbox.render("ephemeral:U0SATO")
    harness.admin_import(
        "organizations:\n  - code: ORGA\n    name: Alpha AI\n    channel: C0ORGA\n"
        "    language: en\n    members:\n      - {user: U0GAKU, role: reviewer}\n"
    )
    harness.driver.command("U0GAKU", "/eval submit")
    assert "審査委員として登録" in harness.sandbox.render("ephemeral:U0GAKU")
