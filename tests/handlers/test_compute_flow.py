"""/compute end to end: signed requests from the sandbox's driver through the real Bolt app;
assertions on the ack, what Slack received (the journal) and the rows stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import select

from bot.errors import UserError
from bot.services import alerts
from bot.services.members import resolve_actor
from jobs.delivery import run_outbox
from storage.compute import UsageReport
from storage.members import Member


def reports(h, month="2026-03"):
    with h.session_factory() as session:
        return list(
            session.exec(
                select(UsageReport).where(UsageReport.month == month).order_by(UsageReport.id)
            )
        )


def bot_calls(h, method):
    return [r for r in h.journal() if r["direction"] == "bot->slack" and r.get("method") == method]


def test_report_command_acks_fast_and_opens_the_modal_first(harness):
    ack = harness.driver.command("U0ALICE", "/compute report")
    assert ack.status == 200 and not ack.late and ack.body == ""
    after_command = [r for r in harness.journal() if r["direction"] == "bot->slack"]
    # views.open is the bot's first Slack call after the command (trigger_id lives 3 s)
    first = next(r for r in after_command if r.get("method") != "auth.test")
    assert first["method"] == "views.open"
    modal = harness.sandbox.render("modal:U0ALICE")
    for label in (
        "Month",
        "Cluster / provider",
        "GPU-hours used",
        "Progress",
        "Issues encountered",
        "Improvement plan",
    ):
        assert label in modal
    assert "Month: 2026-03" in modal  # default: the previous month in JST


def test_japanese_user_sees_japanese_labels(harness):
    harness.driver.command("U0KENJI", "/compute report")
    modal = harness.sandbox.render("modal:U0KENJI")
    assert "使用GPU時間" in modal and "クラスタ / プロバイダ" in modal and "対象月" in modal


def test_bad_values_come_back_inline_and_store_nothing(harness):
    d = harness.driver
    d.command("U0ALICE", "/compute report")
    ack = d.fill("U0ALICE", {"Month": "2026-13", "GPU-hours used": "-5"}, submit=True)
    assert ack.json["response_action"] == "errors"
    assert set(ack.json["errors"]) == {"month", "gpu_hours"}
    errors = d.modal_errors("U0ALICE")
    assert "0 or more" in errors["GPU-hours used"]
    assert reports(harness) == []
    assert harness.sandbox.conversation("dm:U0ALICE") == []


def test_inline_errors_in_japanese_for_japanese_users(harness):
    d = harness.driver
    d.command("U0KENJI", "/compute report")
    d.fill("U0KENJI", {"クラスタ / プロバイダ": "AWS (H100)", "使用GPU時間": "1,20"}, submit=True)
    message = d.modal_errors("U0KENJI")["使用GPU時間"]
    assert any("\u3040" <= ch <= "\u30ff" for ch in message)  # kana: it is Japanese


def test_month_outside_the_allocation_or_in_the_future_is_an_inline_error(harness):
    d = harness.driver
    d.command("U0ALICE", "/compute report")
    d.fill("U0ALICE", {"Month": "2025-12", "GPU-hours used": "10"}, submit=True)
    assert "outside" in d.modal_errors("U0ALICE")["Month"]
    d.fill("U0ALICE", {"Month": "2026-05", "GPU-hours used": "10"}, submit=True)
    assert "not started" in d.modal_errors("U0ALICE")["Month"]
    assert reports(harness, "2025-12") == [] and reports(harness, "2026-05") == []


def test_valid_report_is_stored_confirmed_and_posted_escaped(harness):
    d = harness.driver
    d.command("U0ALICE", "/compute report")
    ack = d.fill(
        "U0ALICE",
        {
            "GPU-hours used": "１，２００.5",
            "Progress": "<!channel> look <https://evil.example|here> & <@U0SATO>",
        },
        submit=True,
    )
    assert ack.body == ""  # the modal closes
    [row] = reports(harness)
    assert row.gpu_hours == 1200.5 and row.revision == 1 and row.is_current
    assert row.progress.startswith("<!channel>")  # stored as typed, escaped only when shown
    assert "1,200.5 GPU-hours" in harness.sandbox.render("dm:U0ALICE")
    [post] = [
        r for r in bot_calls(harness, "chat.postMessage") if r["request"]["channel"] == "C0ORGA"
    ]
    raw = str(post["request"]["blocks"])
    assert "&lt;!channel&gt;" in raw and "&lt;https://evil.example|here&gt;" in raw
    assert "&amp;" in raw and "<!channel>" not in raw and "&lt;@U0SATO&gt;" in raw


def test_resubmitting_replaces_as_a_new_revision_and_says_so(harness):
    d = harness.driver
    for hours in ("780", "790"):
        d.command("U0KENJI", "/compute report")
        d.fill("U0KENJI", {"クラスタ / プロバイダ": "AWS (H100)", "使用GPU時間": hours})
    rows = reports(harness)
    assert [(r.gpu_hours, r.revision, r.is_current) for r in rows] == [
        (780.0, 1, False),
        (790.0, 2, True),
    ]
    assert "第2版" in harness.sandbox.render("dm:U0KENJI")


def test_a_retried_or_double_submitted_view_makes_one_row_and_one_dm(harness):
    d = harness.driver
    d.command("U0ALICE", "/compute report")
    d.fill("U0ALICE", {"GPU-hours used": "900"})
    [submission] = [r for r in harness.journal() if r.get("kind") == "view_submission"]
    # Slack delivering the same submission again (double click, retry)
    replay = d._send(
        "view_submission",
        submission["request"]["raw"],
        submission["request"]["headers"]["Content-Type"],
    )
    d.settle()
    assert replay.status == 200
    assert len(reports(harness)) == 1
    confirmations = [
        e for e in harness.sandbox.conversation("dm:U0ALICE") if "recorded" in e.rendered
    ]
    assert len(confirmations) == 1


def test_same_figure_from_a_new_modal_is_unchanged_not_a_revision(harness):
    d = harness.driver
    for _ in range(2):
        d.command("U0ALICE", "/compute report")
        d.fill("U0ALICE", {"GPU-hours used": "900"})
    assert len(reports(harness)) == 1
    assert "nothing changed" in harness.sandbox.render("dm:U0ALICE")
    channel = harness.sandbox.conversation("#orga-private")
    assert len(channel) == 1


def test_overuse_alerts_leads_and_operators_once_per_band(harness):
    d = harness.driver
    for hours in ("1150", "1160", "1250", "1120"):  # 15 %, 16 % (same band), 25 %, down
        d.command("U0ALICE", "/compute report")
        d.fill("U0ALICE", {"GPU-hours used": hours})
    alerts = [e for e in harness.sandbox.conversation("dm:U0ALICE") if "over plan" in e.rendered]
    assert [("15.0%" in a.rendered, "25.0%" in a.rendered) for a in alerts] == [
        (True, False),
        (False, True),
    ]
    copies = harness.sandbox.conversation("#secretariat")
    assert len(copies) == 2 and "@alice" in copies[0].rendered


def test_acknowledge_updates_the_alert_in_place(harness):
    d = harness.driver
    d.command("U0ALICE", "/compute report")
    d.fill("U0ALICE", {"GPU-hours used": "2000"})
    ack = d.click("U0ALICE", "Acknowledge", "dm")
    assert ack.status == 200
    alert = [e for e in harness.sandbox.conversation("dm:U0ALICE") if "over plan" in e.rendered][0]
    assert alert.edited and "Acknowledged by @alice" in alert.rendered
    assert "[Acknowledge]" not in alert.rendered


def test_user_in_no_organization_is_told_how_to_join_in_their_language(harness):
    ack = harness.driver.command("U0GUEST", "/compute report")
    assert ack.status == 200 and not ack.late
    text = harness.sandbox.render("ephemeral:U0GUEST")
    assert "not a member of any organization" in text and "/kiban member add" in text
    harness.driver.command("U0GAKU", "/compute status")
    assert "どの組織にも登録されていない" in harness.sandbox.render("ephemeral:U0GAKU")
    assert bot_calls(harness, "views.open") == []


def test_status_shows_own_org_only(harness):
    d = harness.driver
    d.command("U0ALICE", "/compute report")
    d.fill("U0ALICE", {"GPU-hours used": "1000", "Progress": "secret notes"})
    d.command("U0KENJI", "/compute status")
    mine = harness.sandbox.render("ephemeral:U0KENJI")
    assert (
        "みらい言語研究所" in mine and "AWS (H100)" in mine and "2026-01, 2026-02, 2026-03" in mine
    )
    d.command("U0KENJI", "/compute status ORGA")
    text = harness.sandbox.render("ephemeral:U0KENJI")
    assert "Alpha AI" not in text and "1,000" not in text.split("AWS")[0]
    assert "自分の組織の情報のみ" in text
    d.command("U0SATO", "/compute status ORGA")
    assert "Alpha AI" in harness.sandbox.render("ephemeral:U0SATO")


def test_help_and_unknown_subcommands(harness):
    harness.driver.command("U0ALICE", "/compute frobnicate")
    text = harness.sandbox.render("ephemeral:U0ALICE")
    assert "I don't know `/compute frobnicate`" in text and "/compute report" in text


def test_member_add_is_for_operators_only(harness):
    d = harness.driver
    d.command("U0ALICE", "/kiban member add <@U0GUEST|guest> ORGA org_lead")
    assert "only the secretariat" in harness.sandbox.render("ephemeral:U0ALICE")
    d.command("U0SATO", "/kiban member add <@U0GUEST|guest> orga org_lead")
    assert "追加しました" in harness.sandbox.render("ephemeral:U0SATO")
    d.command("U0SATO", "/kiban member add <@U0GUEST|guest> ORGA org_lead")
    assert "変更はありません" in harness.sandbox.render("ephemeral:U0SATO")
    d.command("U0SATO", "/kiban member add <@U0GUEST> NOPE")
    assert "NOPE" in harness.sandbox.render("ephemeral:U0SATO")
    with harness.session_factory() as session:
        rows = session.exec(select(Member).where(Member.slack_user_id == "U0GUEST")).all()
    assert [(m.role) for m in rows] == ["org_lead"]


def test_status_covers_every_own_org_and_only_ended_months(harness):
    d = harness.driver
    d.command("U0SATO", "/kiban member add <@U0KENJI> ORGC member")
    d.command("U0KENJI", "/compute status")
    text = harness.sandbox.render("ephemeral:U0KENJI")
    assert "みらい言語研究所" in text and "北星データ" in text
    # on 1 April only months through March count: 3 × 800 planned for AWS (H100)
    assert "2026-03 までの報告: *0*（計画 2,400" in text


def test_operators_without_an_org_are_told_how_to_look_at_one(harness):
    harness.driver.command("U0SATO", "/compute report")
    assert "/compute status 組織コード" in harness.sandbox.render("ephemeral:U0SATO")


def test_someone_from_another_org_cannot_acknowledge_an_alert(harness):
    d = harness.driver
    d.command("U0ALICE", "/compute report")
    d.fill("U0ALICE", {"GPU-hours used": "2000"})
    [button] = [
        block["elements"][0]
        for entry in harness.sandbox.conversation("dm:U0ALICE")
        for block in entry.blocks or []
        if block["type"] == "actions"
    ]
    with harness.session_factory.begin() as session:
        kenji = resolve_actor(session, "U0KENJI", "ja")
        with pytest.raises(UserError) as refused:
            alerts.acknowledge(
                session=session,
                actor=kenji,
                alert_id=json.loads(button["value"])["alert_id"],
                channel="D0ALICE",
                ts="1",
                blocks_shown=[],
                now=harness.clock.now(),
            )
    assert "別の組織宛て" in refused.value.ja


def test_member_add_refuses_unknown_users_and_operator_outside_the_secretariat(harness):
    d = harness.driver
    harness.expected_failures.append("users.info: user_not_found")
    d.command("U0SATO", "/kiban member add <@U0NOBODY> ORGA")
    assert "U0NOBODY" in harness.sandbox.render("ephemeral:U0SATO")
    d.command("U0SATO", "/kiban member add <@U0GUEST> ORGA operator")
    assert "事務局ではありません" in harness.sandbox.render("ephemeral:U0SATO")
    d.command("U0SATO", "/kiban member remove <@U0GUEST> ORGA")
    assert "`/kiban member remove` というコマンドはありません" in harness.sandbox.render(
        "ephemeral:U0SATO"
    )
    with harness.session_factory() as session:
        assert (
            session.exec(
                select(Member).where(Member.slack_user_id.in_(["U0NOBODY", "U0GUEST"]))
            ).all()
            == []
        )


def test_correcting_a_report_starts_from_it_so_notes_are_kept(harness):
    d = harness.driver
    d.command("U0ALICE", "/compute report")
    d.fill("U0ALICE", {"GPU-hours used": "900", "Progress": "on track"})
    d.command("U0ALICE", "/compute report")
    modal = harness.sandbox.render("modal:U0ALICE")
    assert "current report for 2026-03 (revision 1)" in modal
    d.fill("U0ALICE", {"GPU-hours used": "950"})  # only the figure is corrected
    rows = reports(harness)
    assert [(r.gpu_hours, r.progress, r.revision) for r in rows] == [
        (900.0, "on track", 1),
        (950.0, "on track", 2),
    ]


def test_a_second_lead_sees_who_acknowledged_first(harness):
    d = harness.driver
    d.command("U0SATO", "/kiban member add <@U0GUEST> ORGA org_lead")
    d.command("U0ALICE", "/compute report")
    d.fill("U0ALICE", {"GPU-hours used": "2000"})
    d.click("U0ALICE", "Acknowledge", "dm")
    # the guest is in London, where it is 01:30: their alert waits for 08:00 BST (07:00 UTC)
    assert harness.sandbox.conversation("dm:U0GUEST") == []
    harness.clock.moment = datetime(2026, 4, 1, 7, tzinfo=UTC)
    assert run_outbox(deps=harness.deps, now=harness.clock.now()) == 1
    d.click("U0GUEST", "Acknowledge", "dm")
    [alert] = [e for e in harness.sandbox.conversation("dm:U0GUEST") if "over plan" in e.rendered]
    assert "Acknowledged by @alice" in alert.rendered and "[Acknowledge]" not in alert.rendered


def test_values_filled_in_for_one_month_are_not_filed_under_another(harness):
    d = harness.driver
    d.command("U0ALICE", "/compute report")
    d.fill("U0ALICE", {"GPU-hours used": "1500", "Progress": "March: secret dataset X"})
    d.command("U0ALICE", "/compute report")  # filled in from March
    ack = d.fill("U0ALICE", {"Month": "2026-02"})
    assert ack.json["response_action"] == "errors"
    assert set(ack.json["errors"]) == {"gpu_hours", "progress"}
    assert reports(harness, "2026-02") == []
    d.fill("U0ALICE", {"GPU-hours used": "900", "Progress": ""})  # rewritten for February
    [february] = reports(harness, "2026-02")
    assert (february.gpu_hours, february.progress) == (900.0, None)


def _downloads(entry) -> dict[str, bytes]:
    """The files shared in an entry, downloaded as Slack serves them (bearer token)."""
    return {
        f["name"]: httpx.get(
            f["url_private_download"], headers={"Authorization": "Bearer xoxb-sandbox"}
        ).content
        for f in entry.raw["files"]
    }


def test_export_is_for_operators_and_lands_in_the_operator_channel(harness):
    d = harness.driver
    d.command("U0ALICE", "/compute report")
    d.fill("U0ALICE", {"GPU-hours used": "1200", "Progress": '=HYPERLINK("x") done'})
    d.command("U0ALICE", "/compute export 2026-03")
    assert "only the secretariat" in harness.sandbox.render("ephemeral:U0ALICE")
    d.command("U0SATO", "/compute export 2026-03")
    [shared] = [e for e in harness.sandbox.conversation("#secretariat") if e.kind == "file"]
    files = _downloads(shared)
    assert set(files) == {"kiban-compute-2026-03.md", "kiban-compute-2026-03.csv"}
    csv_text = files["kiban-compute-2026-03.csv"].decode("utf-8-sig")
    assert "Alpha AI" in csv_text and "1200" in csv_text
    assert "'=HYPERLINK" in csv_text  # a spreadsheet will not run it
    assert "#secretariat" in harness.sandbox.render("ephemeral:U0SATO")


def test_chart_goes_to_the_members_dm_only_for_their_org(harness):
    d = harness.driver
    d.command("U0ALICE", "/compute report")
    d.fill("U0ALICE", {"GPU-hours used": "1200"})
    d.command("U0ALICE", "/compute chart")
    [shared] = [e for e in harness.sandbox.conversation("dm:U0ALICE") if e.kind == "file"]
    [(name, png)] = _downloads(shared).items()
    assert name == "kiban-ORGA-ABCI-H100.png" and png.startswith(b"\x89PNG")
    d.command("U0ALICE", "/compute chart ORGB")
    assert "only see your own" in harness.sandbox.render("ephemeral:U0ALICE")


def test_condition_alert_buttons_snooze_and_explain(harness):
    from jobs.compute import run_condition_alerts

    d = harness.driver
    d.command("U0ALICE", "/compute report")
    d.fill("U0ALICE", {"GPU-hours used": "2000"})  # will run out before December
    assert run_condition_alerts(deps=harness.deps, now=harness.clock.now()) >= 1
    assert "Allocation will run out early" in harness.sandbox.render("dm:U0ALICE")
    d.click("U0ALICE", "Explain", "dm")
    d.fill("U0ALICE", {"Explanation for the secretariat": "<!here> a one-off training run"})
    ops = harness.sandbox.render("#secretariat")
    assert "a one-off training run" in ops and "<!here> a one-off" in ops  # shown, inert
    d.click("U0ALICE", "Snooze 3 days", "dm")
    assert "Snoozed by @alice" in harness.sandbox.render("dm:U0ALICE")
    d.command("U0ALICE", "/compute alerts")
    history = harness.sandbox.render("ephemeral:U0ALICE")
    assert "runs out early" in history and "over plan" in history
    d.command("U0KENJI", "/compute alerts ORGA")
    assert "自分の組織の情報のみ" in harness.sandbox.render("ephemeral:U0KENJI")


def test_an_organization_can_be_named_with_spaces(harness):
    harness.driver.command("U0SATO", "/compute status Alpha AI")
    reply = harness.sandbox.render("ephemeral:U0SATO")
    assert "Alpha AI" in reply and "組織コード `Alpha`" not in reply


def test_subcommands_are_read_full_width(harness):
    harness.driver.command("U0KENJI", "/compute ｓｔａｔｕｓ")
    shown = harness.sandbox.render("ephemeral:U0KENJI")
    assert "2026-02" in shown and "というコマンドはありません" not in shown
