"""Instructions (指示) end to end: `/compute instruct` and `/compute instructions` through the
sandbox's driver and the real Bolt app, the Acknowledge button, and the reminder job the day
before the due date; assertions on the ack, what people saw and the rows stored."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.errors import UserError
from bot.services import instructions as service
from bot.services.members import resolve_actor
from jobs.delivery import run_outbox
from jobs.instructions import run_instruction_reminders
from jobs.scheduler import JOBS, trigger_for
from storage.instructions import Instruction

JST = ZoneInfo("Asia/Tokyo")
ORGA = "Alpha AI (ORGA)"
ORGB = "みらい言語研究所 (ORGB)"


def rows(h) -> list[Instruction]:
    with h.session_factory() as session:
        return list(session.exec(select(Instruction).order_by(Instruction.id)))


def bot_calls(h, method):
    return [r for r in h.journal() if r["direction"] == "bot->slack" and r.get("method") == method]


def issue(h, org=ORGA, title="Submit the Q1 plan", body="Details", due="2026-04-10"):
    """Sato (an operator, Japanese locale) issues an instruction through the modal."""
    h.driver.command("U0SATO", "/compute instruct")
    return h.driver.fill("U0SATO", {"組織": org, "件名": title, "本文": body, "期限": due})


def test_operator_issues_an_instruction_leads_channel_and_operators_are_told(harness):
    ack = harness.driver.command("U0SATO", "/compute instruct")
    assert ack.status == 200 and not ack.late
    modal = harness.sandbox.render("modal:U0SATO")
    assert "指示を出す" in modal and "件名" in modal and "期限" in modal
    assert "Secretariat" not in modal.split("組織")[-1]  # the secretariat is not offered
    ack = harness.driver.fill(
        "U0SATO",
        {
            "組織": ORGA,
            "件名": "Plan <!channel>",
            "本文": "Send it <https://evil.example|here> & <@U0KENJI>",
            "期限": "2026-04-10",
        },
    )
    assert ack.body == ""  # the modal closes
    [row] = rows(harness)
    assert (row.title, row.due_date, row.issued_by) == (
        "Plan <!channel>",
        date(2026, 4, 10),
        "U0SATO",
    )
    assert row.issued_at == harness.clock.now() and row.issued_at.tzinfo is not None
    assert row.acknowledged_by is None and row.reminded_at is None

    dm = harness.sandbox.render("dm:U0ALICE")
    assert "Instruction from the secretariat" in dm and "Acknowledge" in dm and "2026-04-10" in dm
    assert "Copy for the organization" in harness.sandbox.render("#orga-private")
    note = harness.sandbox.render("#secretariat")
    assert "指示を出しました" in note and "Alpha AI" in note and "@alice" in note
    for post in bot_calls(harness, "chat.postMessage"):
        raw = json.dumps(post["request"])
        assert "<!channel>" not in raw and "<https://evil" not in raw and "<@U0KENJI>" not in raw
    assert "&lt;!channel&gt;" in json.dumps(bot_calls(harness, "chat.postMessage"))


def test_a_member_is_refused_politely_and_no_modal_opens(harness):
    harness.driver.command("U0ALICE", "/compute instruct")
    assert "only the secretariat" in harness.sandbox.render("ephemeral:U0ALICE")
    assert bot_calls(harness, "views.open") == []


def test_a_past_due_date_is_an_inline_error_and_nothing_is_stored(harness):
    issue(harness, due="2026-03-31")
    errors = harness.driver.modal_errors("U0SATO")
    assert "今日（2026-04-01）以降" in errors["期限"]
    assert rows(harness) == []
    assert harness.sandbox.conversation("dm:U0ALICE") == []
    # today (in Tokyo) is accepted
    ack = harness.driver.fill("U0SATO", {"期限": "2026-04-01"})
    assert ack.body == "" and len(rows(harness)) == 1


def test_empty_title_is_refused_by_the_client_and_a_blank_one_inline(harness):
    assert issue(harness, title="") is None  # a required field: Slack's client refuses
    issue(harness, title="   ")
    assert "入力してください" in harness.driver.modal_errors("U0SATO")["件名"]
    assert rows(harness) == []


def test_acknowledge_is_recorded_once_and_the_dm_says_who(harness):
    harness.driver.command("U0SATO", "/kiban member add <@U0GUEST> ORGA org_lead")
    issue(harness)
    ack = harness.driver.click("U0ALICE", "Acknowledge", "dm")
    assert ack.status == 200
    [dm] = harness.sandbox.conversation("dm:U0ALICE")
    assert dm.edited and "Acknowledged by @alice" in dm.rendered
    assert "[Acknowledge]" not in dm.rendered
    [row] = rows(harness)
    first_at = row.acknowledged_at
    assert row.acknowledged_by == "U0ALICE" and first_at == harness.clock.now()

    # the other lead is in London, where it was 01:30: their DM was held for the morning
    assert harness.sandbox.conversation("dm:U0GUEST") == []
    # the other lead clicks later: their DM shows who acknowledged; the record is unchanged
    harness.clock.moment = datetime(2026, 4, 2, 1, tzinfo=UTC)
    assert run_outbox(deps=harness.deps, now=harness.clock.now()) == 1
    harness.driver.click("U0GUEST", "Acknowledge", "dm")
    [other] = harness.sandbox.conversation("dm:U0GUEST")
    assert other.edited and "Acknowledged by @alice" in other.rendered
    [row] = rows(harness)
    assert (row.acknowledged_by, row.acknowledged_at) == ("U0ALICE", first_at)


def test_only_the_organization_or_an_operator_may_acknowledge(harness):
    issue(harness)
    [row] = rows(harness)
    with harness.session_factory.begin() as session:
        kenji = resolve_actor(session, "U0KENJI", "ja")  # a member of ORGB
        with pytest.raises(UserError) as refused:
            service.acknowledge(
                session=session,
                actor=kenji,
                instruction_id=row.id,
                channel="D0ALICE",
                ts="1",
                blocks_shown=[],
                now=harness.clock.now(),
            )
    assert "別の組織宛て" in refused.value.ja
    assert rows(harness)[0].acknowledged_by is None
    # through Slack: Kenji pressing the button on ORGA's instruction is told so
    harness.driver.click("U0KENJI", "Acknowledge", "dm:U0ALICE")
    assert rows(harness)[0].acknowledged_by is None
    assert not harness.sandbox.conversation("dm:U0ALICE")[0].edited
    assert "別の組織宛て" in harness.sandbox.render("ephemeral:U0KENJI")


def test_reminder_goes_to_leads_the_day_before_the_due_date_once(harness):
    issue(harness, due="2026-04-03")
    issue(harness, org=ORGB, due="2026-04-03", title="For ORGB")
    issue(harness, due="2026-04-10", title="Later")
    harness.driver.click("U0YUKI", "確認しました", "dm")  # ORGB's is acknowledged
    day_before = datetime(2026, 4, 2, 9, tzinfo=JST)
    assert (
        run_instruction_reminders(deps=harness.deps, now=datetime(2026, 4, 1, 9, tzinfo=JST)) == 0
    )
    assert run_instruction_reminders(deps=harness.deps, now=day_before) == 1  # alice
    assert run_instruction_reminders(deps=harness.deps, now=day_before) == 0  # slot claimed
    reminders = [
        e for e in harness.sandbox.conversation("dm:U0ALICE") if "due tomorrow" in e.rendered
    ]
    assert len(reminders) == 1 and "Submit the Q1 plan" in reminders[0].rendered
    assert "Acknowledge" in reminders[0].rendered
    assert not any("リマインド" in e.rendered for e in harness.sandbox.conversation("dm:U0YUKI"))
    reminded = {r.title: r.reminded_at for r in rows(harness)}
    assert reminded["Submit the Q1 plan"] == day_before.astimezone(UTC)
    assert reminded["For ORGB"] is None and reminded["Later"] is None
    # a second run of the service (another process on a new slot) reminds no instruction twice
    with harness.session_factory.begin() as session:
        assert service.remind_due(session=session, settings=harness.settings, now=day_before) == []


def test_reminder_fires_daily_at_nine_in_tokyo():
    [spec] = [s for s in JOBS if s.id == "instruction_reminder"]
    after = datetime(2026, 4, 5, 12, tzinfo=JST)
    fire = trigger_for(spec, "Asia/Tokyo").get_next_fire_time(None, after)
    assert fire == datetime(2026, 4, 6, 9, tzinfo=JST)


def test_instructions_list_shows_each_organization_only_its_own(harness):
    issue(harness, title="For Alpha only")
    issue(harness, org=ORGB, title="ORGB向けの指示")
    harness.driver.command("U0KENJI", "/compute instructions")
    kenji = harness.sandbox.render("ephemeral:U0KENJI")
    assert "ORGB向けの指示" in kenji and "For Alpha only" not in kenji
    harness.driver.command("U0ALICE", "/compute instructions")
    alice = harness.sandbox.render("ephemeral:U0ALICE")
    assert "For Alpha only" in alice and "ORGB向けの指示" not in alice
    harness.driver.command("U0SATO", "/compute instructions")
    sato = harness.sandbox.render("ephemeral:U0SATO")
    assert "For Alpha only" in sato and "ORGB向けの指示" in sato
    harness.driver.command("U0GUEST", "/compute instructions")
    assert "not a member of any organization" in harness.sandbox.render("ephemeral:U0GUEST")
    # acknowledged instructions are no longer open
    harness.driver.click("U0ALICE", "Acknowledge", "dm")
    harness.driver.command("U0SATO", "/compute instructions")
    latest = harness.sandbox.conversation("ephemeral:U0SATO")[-1].rendered
    assert "For Alpha only" not in latest and "ORGB向けの指示" in latest
