"""/progress end to end: signed requests from the sandbox's driver through the real Bolt app;
assertions on the ack, what people see (rendered conversations) and the rows stored. The
standard workspace gets two survey projects: SURVA (lead U0GAKU, member U0KENJI; Japanese)
and SURVB (lead U0GUEST, in London; English)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import select

from bot.blocks import progress as blocks
from jobs.progress import run_progress_reminder
from storage.progress import Dissemination, ProgressAdvice, ProgressReport
from tests.services.test_progress import add_survey_projects

EN = {
    "Plan for the period": "Survey 200 companies by June",
    "Progress": "120 interviews <!channel> & done",
    "Issues encountered": "Slow answers from SMEs",
    "Improvement plan": "Add an online form",
}
JA = {
    "期間の計画": "6月までに200社を調査",
    "進捗状況": "120社のインタビュー完了",
    "発生した課題": "中小企業の回答が遅い",
    "改善案": "オンラインフォームを追加",
}


@pytest.fixture
def h(harness):
    with harness.session_factory.begin() as session:
        harness.ids = add_survey_projects(session)
    return harness


def reports(h, month="2026-03"):
    with h.session_factory() as session:
        query = select(ProgressReport).where(ProgressReport.month == month)
        return list(session.exec(query.order_by(ProgressReport.id)))


def rows(h, model):
    with h.session_factory() as session:
        return list(session.exec(select(model).order_by(model.id)))


def bot_calls(h, method):
    return [r for r in h.journal() if r["direction"] == "bot->slack" and r.get("method") == method]


def report(h, user="U0GAKU", **values):
    h.driver.command(user, "/progress report")
    return h.driver.fill(user, {**JA, **values})


def test_report_command_opens_the_modal_first_with_last_month(h):
    ack = h.driver.command("U0GUEST", "/progress report")
    assert ack.status == 200 and not ack.late and ack.body == ""
    first = next(
        r
        for r in h.journal()
        if r["direction"] == "bot->slack" and r.get("method") not in ("auth.test", None)
    )
    assert first["method"] == "views.open"
    modal = h.sandbox.conversation("modal:U0GUEST")[-1].rendered  # in the guest's English
    for label in (
        "== Report project progress ==",
        "*Organization:* Data <Holders> Survey",
        "Month: 2026-03",
        "Plan for the period:",
        "Issues encountered:",
        "Improvement plan:",
        "Results to share:",
        "Help needed from the secretariat:",
    ):
        assert label in modal


def test_people_in_no_survey_project_are_told_in_their_language(h):
    h.driver.command("U0ALICE", "/progress report")
    assert "not a member of a survey project" in h.sandbox.render("ephemeral:U0ALICE")
    h.driver.command("U0HANA", "/progress status")
    assert "調査事業にも登録されていない" in h.sandbox.render("ephemeral:U0HANA")
    assert bot_calls(h, "views.open") == []


def test_bad_values_come_back_inline_on_their_fields_and_store_nothing(h):
    d = h.driver
    d.command("U0GUEST", "/progress report")
    ack = d.fill(
        "U0GUEST",
        {
            **EN,
            "Month": "2026-13",
            "Plan for the period": "   ",  # Slack's client lets spaces through
            "Progress": "\u200b\u2060 \ufeff",  # and invisible characters
            "Issues encountered": "bad \u202e text",
        },
    )
    assert ack.json["response_action"] == "errors"
    assert set(ack.json["errors"]) == {"month", "plan", "progress", "issues"}
    errors = d.modal_errors("U0GUEST")
    assert "fill this in" in errors["Plan for the period"]
    assert "fill this in" in errors["Progress"]
    assert "U+202E" in errors["Issues encountered"]
    d.fill("U0GUEST", {**EN, "Month": "2026-05"})
    assert "not started" in d.modal_errors("U0GUEST")["Month"]
    assert reports(h) == [] and reports(h, "2026-05") == []
    assert h.sandbox.conversation("dm:U0GUEST") == []


def test_a_report_is_confirmed_and_posted_for_the_secretariat_with_help_first(h):
    ack = report(
        h,
        **{
            "共有できる成果": "中間報告: 40%が毎日LLMを利用",
            "事務局への支援要望": "<@U0SATO> 業界団体を紹介してほしい",
        },
    )
    assert ack.body == ""
    [row] = reports(h)
    assert (row.revision, row.reporter, row.help_needed) == (
        1,
        "U0GAKU",
        "<@U0SATO> 業界団体を紹介してほしい",
    )
    assert "進捗報告を受け付けました" in h.sandbox.render("dm:U0GAKU")
    post = h.sandbox.render("#secretariat")
    assert "進捗報告: 生成AI利活用調査 — 2026-03" in post
    assert post.index("事務局への支援要望") < post.index("期間の計画")  # help comes first
    assert "[助言する]" in post and "[普及対象にする]" in post
    [sent] = [r for r in bot_calls(h, "chat.postMessage") if r["request"]["channel"] == "C0OPS"]
    assert "&lt;@U0SATO&gt;" in str(sent["request"]["blocks"])  # shown, never a mention


def test_no_dissemination_button_without_results(h):
    report(h)
    post = h.sandbox.render("#secretariat")
    assert "[助言する]" in post and "普及対象にする" not in post


def test_correction_starts_from_the_report_and_makes_a_revision(h):
    report(h)
    h.driver.command("U0GAKU", "/progress report")
    modal = h.sandbox.render("modal:U0GAKU")
    assert "第1版" in modal and "120社のインタビュー完了" in modal
    h.driver.fill("U0GAKU", {"進捗状況": "150社のインタビュー完了"})  # the rest kept
    assert [(r.revision, r.is_current, r.progress, r.plan) for r in reports(h)] == [
        (1, False, "120社のインタビュー完了", "6月までに200社を調査"),
        (2, True, "150社のインタビュー完了", "6月までに200社を調査"),
    ]
    assert "第2版" in h.sandbox.render("dm:U0GAKU")
    assert len(h.sandbox.conversation("#secretariat")) == 2
    h.driver.command("U0KENJI", "/progress report")  # a member, same text: unchanged
    h.driver.fill("U0KENJI", {})
    assert "変更はありません" in h.sandbox.render("dm:U0KENJI")
    assert len(reports(h)) == 2 and len(h.sandbox.conversation("#secretariat")) == 2


def test_text_filled_in_for_one_month_is_not_filed_under_another(h):
    report(h)
    h.driver.command("U0GAKU", "/progress report")
    ack = h.driver.fill("U0GAKU", {"対象月": "2026-02", "進捗状況": "2月の進捗"})
    assert set(ack.json["errors"]) == {"plan", "issues", "improvement_plan"}
    assert reports(h, "2026-02") == []


def test_a_replayed_submission_makes_one_row_and_one_dm(h):
    report(h)
    [submission] = [r for r in h.journal() if r.get("kind") == "view_submission"]
    replay = h.driver._send(
        "view_submission",
        submission["request"]["raw"],
        submission["request"]["headers"]["Content-Type"],
    )
    h.driver.settle()
    assert replay.status == 200
    assert len(reports(h)) == 1
    assert len(h.sandbox.conversation("dm:U0GAKU")) == 1
    assert len(h.sandbox.conversation("#secretariat")) == 1


def test_advice_goes_to_the_leads_and_is_kept_with_the_report(h):
    report(h)
    h.driver.click("U0SATO", "助言する", "#secretariat")
    assert "生成AI利活用調査" in h.sandbox.render("modal:U0SATO")
    ack = h.driver.fill("U0SATO", {"責任者への助言": "業界団体 <!here> に相談を"})
    assert ack.body == ""
    [advice] = rows(h, ProgressAdvice)
    [current] = reports(h)
    assert (advice.report_id, advice.author, advice.text) == (
        current.id,
        "U0SATO",
        "業界団体 <!here> に相談を",
    )
    dm = h.sandbox.render("dm:U0GAKU")
    assert "事務局からの助言" in dm and "2026-03" in dm and "業界団体 <!here> に相談を" in dm
    assert "業界団体" not in h.sandbox.render("dm:U0KENJI")  # members are not leads
    [note] = [
        r
        for r in bot_calls(h, "chat.postMessage")
        if r["request"].get("thread_ts") and r["request"]["channel"] == "C0OPS"
    ]
    assert "責任者（1名）" in note["request"]["text"]


def test_a_forged_advice_or_a_click_by_a_non_operator_is_refused(h):
    report(h, **{"共有できる成果": "中間報告"})
    [current] = reports(h)
    meta = blocks.AdviceMeta(report_id=current.id, org_id=current.organization_id, month="2026-03")
    view = {
        "id": "VFORGED",
        "type": "modal",
        "callback_id": blocks.Ids.ADVICE_SUBMIT,
        "private_metadata": meta.model_dump_json(),
        "blocks": [{"type": "input", "block_id": "advice"}],
        "state": {"values": {"advice": {"value": {"type": "plain_text_input", "value": "x"}}}},
    }
    ack = h.driver.forge_submission("U0GAKU", view)
    assert "事務局" in ack.json["errors"]["advice"]
    assert rows(h, ProgressAdvice) == []
    assert "事務局からの助言" not in h.sandbox.render("dm:U0GAKU")


def test_marking_for_dissemination_updates_the_post_and_keeps_the_text(h):
    report(h, **{"共有できる成果": "中間報告: 40%が毎日LLMを利用"})
    h.driver.click("U0SATO", "普及対象にする", "#secretariat")
    [post] = h.sandbox.conversation("#secretariat")
    assert post.edited and "普及対象にしました" in post.rendered
    assert "[普及対象にする]" not in post.rendered and "[助言する]" in post.rendered
    [marked] = rows(h, Dissemination)
    assert (marked.results, marked.marked_by, marked.month) == (
        "中間報告: 40%が毎日LLMを利用",
        "U0SATO",
        "2026-03",
    )


def test_status_each_sees_their_own_operators_see_all(h):
    report(h, **{"事務局への支援要望": "業界団体の紹介"})
    h.driver.command("U0GUEST", "/progress status")
    mine = h.sandbox.render("ephemeral:U0GUEST")
    assert "Data <Holders> Survey" in mine and "2026-03: not reported yet" in mine
    assert "生成AI" not in mine
    h.driver.command("U0KENJI", "/progress status 2026-03")
    assert "2026-03: 第1版" in h.sandbox.render("ephemeral:U0KENJI")
    h.driver.command("U0SATO", "/progress status")
    ops = h.sandbox.render("ephemeral:U0SATO")
    assert "*未報告（1件）:* Data <Holders> Survey" in ops
    assert "業界団体の紹介" in ops


def test_help_and_unknown_subcommands(h):
    h.driver.command("U0GUEST", "/progress frobnicate")
    text = h.sandbox.render("ephemeral:U0GUEST")
    assert "I don't know `/progress frobnicate`" in text and "/progress report" in text
    h.driver.command("U0GUEST", "/progress")
    assert "/progress status" in h.sandbox.conversation("ephemeral:U0GUEST")[-1].rendered


def _downloads(entry) -> dict[str, bytes]:
    return {
        f["name"]: httpx.get(
            f["url_private_download"], headers={"Authorization": "Bearer xoxb-sandbox"}
        ).content
        for f in entry.raw["files"]
    }


def test_export_is_for_operators_and_lands_in_their_dm(h):
    report(h, **{"進捗状況": '=HYPERLINK("x") 完了'})
    h.driver.command("U0GAKU", "/progress export 2026-03")
    assert "事務局（オペレーター）のみ" in h.sandbox.render("ephemeral:U0GAKU")
    h.driver.command("U0SATO", "/progress export 2026-03")
    [shared] = [e for e in h.sandbox.conversation("dm:U0SATO") if e.kind == "file"]
    files = _downloads(shared)
    assert set(files) == {"progress-2026-03.md", "progress-2026-03.csv"}
    csv_text = files["progress-2026-03.csv"].decode("utf-8-sig")
    assert "生成AI利活用調査" in csv_text and "'=HYPERLINK" in csv_text
    assert "調査事業 2 件中 1 件" in files["progress-2026-03.md"].decode()
    assert "2026-03" in h.sandbox.render("ephemeral:U0SATO")


def test_reminder_on_the_third_business_day_only_and_once(h):
    report(h)  # SURVA reported for March; SURVB did not
    second = datetime(2026, 4, 2, 1, 5, tzinfo=UTC)  # Thu 2 April 10:05 JST
    third = datetime(2026, 4, 3, 1, 5, tzinfo=UTC)  # Fri 3 April: 3rd business day
    assert run_progress_reminder(deps=h.deps, now=second) == 0
    # the London lead's DM is held for their morning; the summary goes at once
    assert run_progress_reminder(deps=h.deps, now=third) == 2
    assert run_progress_reminder(deps=h.deps, now=third) == 0
    summary = h.sandbox.render("#secretariat")
    assert "Data <Holders> Survey" in summary and "2026-03" in summary
    assert "生成AI利活用調査" not in summary.split("リマインド")[-1]
    assert "リマインド" not in h.sandbox.render("dm:U0GAKU")
