"""Announcements through the sandbox (issue #9): an operator composes one in the `/announce`
modal; the author cannot approve it (four-eyes rule), a member cannot, a second operator does;
the `announcements` job publishes it at its time (not before) in the community channel, notes
it in the operator channel, and it reaches the public feed. Also: members refused with
nothing opened, inline validation, channel-only scheduling, list, cancel before the time
(never posted), editing (a new revision needs a new approval) and help."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.render.public_feed import export_public
from bot.sandbox.store import top_modal
from jobs.announcements import run_announcements
from storage.announcements import Announcement
from storage.members import get_org_by_code, upsert_member

PUBLISH = datetime(2026, 4, 2, 1, 0, tzinfo=UTC)  # Thu 2 Apr 10:00 JST
FIELDS = {
    "タイトル（日本語）": "春のコミュニティ会合",
    "タイトル（英語）": "Spring community meetup",
    "本文（日本語）": "4月に会合を開きます。詳細: <https://example.org/meetup|案内>",
    "本文（英語）": "We meet in April. Details: <https://example.org/meetup|notice>",
    "公開先": ["コミュニティチャンネル", "公開フィード（Web・要承認）"],
    "公開日（JST）": "2026-04-02",
    "公開時刻（JST）": "10:00",
}


@pytest.fixture
def h(harness):
    """The harness with U0GAKU as a second operator."""
    with harness.session_factory.begin() as session:
        sec = get_org_by_code(session, "SEC")
        upsert_member(session, slack_user_id="U0GAKU", org_id=sec.id, role="operator")
    return harness


def rows(h) -> list[Announcement]:
    with h.session_factory() as session:
        return list(session.exec(select(Announcement).order_by(Announcement.id)))


def compose(h, user="U0SATO", **changes):
    h.driver.command(user, "/announce")
    return h.driver.fill(user, {**FIELDS, **changes})


def test_approved_by_a_second_operator_and_published_at_its_time(h):
    ack = compose(h)
    assert json.loads(ack.body)["response_action"] == "update"
    assert "承認を待っています" in h.sandbox.render("modal:U0SATO")
    card = h.sandbox.render("#secretariat")
    assert "お知らせ #1: 春のコミュニティ会合" in card
    assert "Spring community meetup" in card and "2026-04-02 10:00 JST" in card
    assert "公開フィード" in card and "承認待ち" in card

    # the author is refused (four-eyes rule), and so is a member
    h.driver.click("U0SATO", "承認", "#secretariat")
    assert "ご自身が作成したため承認できません" in h.sandbox.render("ephemeral:U0SATO")
    h.driver.click("U0KENJI", "承認", "#secretariat")
    assert "事務局（オペレーター）のみ" in h.sandbox.render("ephemeral:U0KENJI")
    assert rows(h)[0].status == "awaiting_approval"

    # a second operator approves: the card is updated in place, the author told
    posts = len(h.sandbox.conversation("#secretariat"))
    h.driver.click("U0GAKU", "承認", "#secretariat")
    assert len(h.sandbox.conversation("#secretariat")) == posts
    assert "@gaku が承認しました" in h.sandbox.render("#secretariat")
    assert "承認されました" in h.sandbox.render("dm:U0SATO")
    [row] = rows(h)
    assert (row.status, row.approved_by) == ("scheduled", "U0GAKU")

    # not before its time
    assert run_announcements(deps=h.deps, now=PUBLISH - timedelta(minutes=5)) == 0
    assert h.sandbox.conversation("#community-digest") == []
    with h.session_factory() as session:
        files = dict(
            export_public(session, settings=h.settings, base_url="https://k.example/", now=PUBLISH)
        )
    assert "Spring community meetup" not in files["index.html"]

    # at its time, through the job on the harness clock
    h.clock.moment = PUBLISH
    assert run_announcements(deps=h.deps, now=h.clock.now()) == 1
    assert run_announcements(deps=h.deps, now=h.clock.now() + timedelta(minutes=5)) == 0
    [post] = h.sandbox.conversation("#community-digest")
    assert "春のコミュニティ会合" in post.rendered and "Spring community meetup" in post.rendered
    assert "案内" in post.rendered and "notice" in post.rendered  # both languages, links kept
    assert "📣 お知らせ #1「春のコミュニティ会合」を公開しました" in h.sandbox.render(
        "#secretariat"
    )
    [row] = rows(h)
    assert row.status == "published" and row.published_at == PUBLISH
    assert row.posted == [{"channel": "C0DIGEST", "ts": post.ts}]

    # …and the public feed has it
    with h.session_factory() as session:
        files = dict(
            export_public(session, settings=h.settings, base_url="https://k.example/", now=PUBLISH)
        )
    assert "Spring community meetup" in files["index.html"]
    assert (
        '<a href="https://example.org/meetup" rel="nofollow noopener">案内</a>'
        in files["index.html"]
    )


def test_a_member_gets_a_refusal_and_nothing_opens(h):
    h.driver.command("U0KENJI", "/announce")
    assert top_modal(h.sandbox, "U0KENJI") is None
    assert "事務局（オペレーター）のみ" in h.sandbox.render("ephemeral:U0KENJI")
    h.driver.command("U0ALICE", "/announce list")
    assert "only the secretariat" in h.sandbox.render("ephemeral:U0ALICE")
    assert rows(h) == []


def test_inline_validation(h):
    ack = compose(h, **{"タイトル（英語）": "", "本文（英語）": ""})
    errors = json.loads(ack.body)["errors"]
    assert errors == {
        "title_en": "公開フィードに載せるお知らせには、日本語と英語の両方のタイトルと本文が必要です。"
    }
    ack = h.driver.fill("U0SATO", {**FIELDS, "公開先": []})
    assert json.loads(ack.body)["errors"] == {"audience": "公開先を一つ以上選んでください。"}
    ack = h.driver.fill(
        "U0SATO", {**FIELDS, "公開日（JST）": "2026-04-01", "公開時刻（JST）": "09:00"}
    )
    assert (
        "その時刻は過ぎています（現在 2026-04-01 09:30 JST）"
        in json.loads(ack.body)["errors"]["publish_time"]
    )
    ack = h.driver.fill("U0SATO", {**FIELDS, "本文（日本語）": "bad\u202echars"})
    assert "body_ja" in json.loads(ack.body)["errors"]
    assert rows(h) == []  # nothing half-written
    ack = h.driver.fill("U0SATO", FIELDS)
    assert json.loads(ack.body)["response_action"] == "update"
    assert len(rows(h)) == 1


def test_channel_only_is_scheduled_listed_and_cancelled_before_its_time(h):
    compose(
        h,
        **{"公開先": ["コミュニティチャンネル"], "タイトル（英語）": "", "本文（英語）": ""},
    )
    assert "予約しました" in h.sandbox.render("modal:U0SATO")
    assert "承認不要" in h.sandbox.render("#secretariat")
    assert rows(h)[0].status == "scheduled"

    h.driver.command("U0GAKU", "/announce list")
    listed = h.sandbox.render("ephemeral:U0GAKU")
    assert "#1" in listed and "予約済み" in listed and "コミュニティチャンネル" in listed

    h.driver.command("U0GAKU", "/announce cancel 1")
    assert "お知らせ #1 を取り消しました" in h.sandbox.render("ephemeral:U0GAKU")
    h.clock.moment = PUBLISH
    assert run_announcements(deps=h.deps, now=PUBLISH) == 0
    assert h.sandbox.conversation("#community-digest") == []  # never posted
    h.driver.command("U0SATO", "/announce cancel 1")
    assert "取り消し済み" in h.sandbox.render("ephemeral:U0SATO")


def test_the_cancel_button_on_the_card(h):
    compose(h)
    h.driver.click("U0GAKU", "取り消し", "#secretariat")
    assert "@gaku が取り消しました" in h.sandbox.render("#secretariat")
    assert rows(h)[0].status == "cancelled"
    h.clock.moment = PUBLISH
    assert run_announcements(deps=h.deps, now=PUBLISH) == 0
    assert h.sandbox.conversation("#community-digest") == []


def test_cancel_after_publication_says_it_is_published(h):
    compose(h, **{"公開先": ["コミュニティチャンネル"]})
    h.clock.moment = PUBLISH
    assert run_announcements(deps=h.deps, now=PUBLISH) == 1
    h.driver.command("U0SATO", "/announce cancel #1")
    assert "お知らせ #1 は取り消せません（公開済み）" in h.sandbox.render("ephemeral:U0SATO")


def test_an_edit_needs_a_new_approval(h):
    compose(h)
    h.driver.click("U0GAKU", "承認", "#secretariat")
    h.driver.command("U0GAKU", "/announce edit 1")  # not the author
    assert "編集できるのは作成者（@sato）だけです" in h.sandbox.render("ephemeral:U0GAKU")
    assert top_modal(h.sandbox, "U0GAKU") is None

    h.driver.command("U0SATO", "/announce edit 1")
    modal = json.dumps(top_modal(h.sandbox, "U0SATO").view, ensure_ascii=False)
    assert "春のコミュニティ会合" in modal and "お知らせの編集" in modal
    h.driver.fill("U0SATO", {"タイトル（英語）": "Spring community meetup (new date)"})
    [row] = rows(h)
    assert (row.status, row.revision, row.approved_by) == ("awaiting_approval", 2, None)
    assert "第 2 版" in h.sandbox.render("#secretariat")
    h.driver.click("U0GAKU", "承認", "#secretariat")  # the new card's button
    assert rows(h)[0].status == "scheduled"


def test_help_and_unknown(h):
    h.driver.command("U0SATO", "/announce help")
    assert "/announce list" in h.sandbox.render("ephemeral:U0SATO")
    h.driver.command("U0ALICE", "/announce frobnicate")
    text = h.sandbox.render("ephemeral:U0ALICE")
    assert "I don't know `/announce frobnicate`" in text and "four-eyes" in text
    h.driver.command("U0SATO", "/announce cancel abc")
    assert "「abc」はお知らせの番号ではありません" in h.sandbox.render("ephemeral:U0SATO")


def test_each_announcement_has_one_card_that_every_step_updates_in_place(h):
    """An edit, a cancel by command and the publication all update the card posted first: no
    second card, no stale "approved" text or Cancel button left on an older one."""
    compose(h)
    h.driver.click("U0GAKU", "承認", "#secretariat")
    h.driver.command("U0SATO", "/announce edit 1")
    h.driver.fill("U0SATO", {"本文（日本語）": "日程を変更しました。"})
    cards = [
        e
        for e in h.sandbox.conversation("#secretariat")
        if "お知らせ #1" in h.sandbox.render_entry(e)
    ]
    final = h.sandbox.render("#secretariat")
    assert len({e.raw.get("ts") for e in cards}) == 1  # one message, updated
    assert "第 2 版" in final and "承認待ち" in final and "日程を変更しました" in final

    compose(h, **{"公開先": ["コミュニティチャンネル"], "タイトル（英語）": "", "本文（英語）": ""})
    h.driver.command("U0SATO", "/announce cancel 2")
    second = [
        h.sandbox.render_entry(e)
        for e in h.sandbox.conversation("#secretariat")
        if "お知らせ #2" in h.sandbox.render_entry(e)
    ]
    assert "取り消しました" in second[-1] and "[取り消し]" not in second[-1]

    h.driver.click("U0GAKU", "承認", "#secretariat")  # revision 2 of #1
    h.clock.moment = PUBLISH + timedelta(minutes=1)
    assert run_announcements(deps=h.deps, now=h.clock.moment) == 1
    first = [
        h.sandbox.render_entry(e)
        for e in h.sandbox.conversation("#secretariat")
        if "お知らせ #1:" in h.sandbox.render_entry(e)
    ]
    assert "公開しました" in first[-1] and "[取り消し]" not in first[-1]


def test_a_public_announcement_past_its_time_unapproved_is_told_once_and_goes_out_when_approved(h):
    compose(h)
    h.clock.moment = PUBLISH + timedelta(minutes=5)
    for _ in range(2):  # two runs (or two processes): one notice
        assert run_announcements(deps=h.deps, now=h.clock.moment) == 0
    told = [
        h.sandbox.render_entry(e)
        for e in h.sandbox.conversation("#secretariat")
        if "まだ2人目の事務局メンバーの承認を待っています" in h.sandbox.render_entry(e)
    ]
    assert len(told) == 1 and "2026-04-02 10:00 JST" in told[0]
    h.driver.click("U0GAKU", "承認", "#secretariat")
    assert "公開予定（2026-04-02 10:00 JST）を過ぎているため、数分以内に公開されます" in (
        h.sandbox.render("dm:U0SATO")
    )
    assert "公開予定（2026-04-02 10:00 JST）の後に承認しました。数分以内に公開されます" in (
        h.sandbox.render("#secretariat")
    )
    assert run_announcements(deps=h.deps, now=h.clock.moment + timedelta(minutes=5)) == 1


def test_the_author_hears_of_a_cancel_and_the_approver_of_an_edit_that_undid_the_approval(h):
    compose(h)
    h.driver.click("U0GAKU", "承認", "#secretariat")
    h.driver.command("U0SATO", "/announce edit 1")
    h.driver.fill("U0SATO", {"本文（日本語）": "日程を変更しました。"})
    assert "編集したため、承認は取り消されました" in h.sandbox.render("dm:U0GAKU")
    h.driver.command("U0GAKU", "/announce cancel 1")
    assert "@gaku が取り消しました。公開されません" in h.sandbox.render("dm:U0SATO")
