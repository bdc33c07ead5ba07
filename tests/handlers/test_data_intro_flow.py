"""Data-introduction requests end to end through the sandbox and the real Bolt app: a search
result's Request introduction, the request modal with its external select, the operators'
review with a multi external select, the contact's accept and the group DM, asking for
details, inline errors, and forged clicks, submissions and options requests from people who
may not act (refused, nothing changed)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from bot.blocks import data_requests as blocks
from bot.blocks import introductions as intro_blocks
from bot.blocks.data_directory import Ids as DirectoryIds
from bot.sandbox.driver import VERIFICATION_TOKEN
from bot.services.data_directory import import_holders
from storage.data_requests import DataRequest, Introduction

HOLDERS = """
data_holders:
  - {key: tokai-med, name: 東海メディカルレコード, organization: 東海大学病院, description: 診療記録,
     domains: [medical], modalities: [text], languages: [ja], size: 2 TB, contact: U0GAKU}
  - {key: kansai-legal, name: Kansai Legal Corpus, organization: Kansai Law, description: Court decisions,
     domains: [legal], modalities: [text], languages: [ja, en], size: 40B tokens,
     contact: data@kansai-legal.example}
"""

REQUEST = {
    "Data needed": "Japanese clinical notes",
    "Purpose": "Medical QA tuning",
    "Domains": ["Medical and health"],
    "Modalities": ["Text"],
    "Languages": ["Japanese"],
    "Approximate size needed": "500 GB",
    "Needed by": "2026-06-30",
}


@pytest.fixture
def h(harness):
    with harness.session_factory.begin() as session:
        import_holders(
            session=session, text=HOLDERS, filename="holders.yaml", now=harness.deps.now()
        )
    return harness


def rows(h, model):
    with h.session_factory() as session:
        return list(session.exec(select(model).order_by(model.id)))


def alice_requests(h, **extra) -> None:
    h.driver.command("U0ALICE", "/data request")
    h.driver.fill("U0ALICE", {**REQUEST, **extra})


def review(h, values: dict) -> None:
    h.driver.click("U0SATO", "審査する", "#secretariat")
    h.driver.fill("U0SATO", values)


def forge(h, user: str, action_id: str, value: str, kind: str = "block_actions") -> dict:
    """Send a signed interaction Slack would deliver if `user` had such a button: what a
    forged or replayed request looks like. Returns the ack's JSON (or {})."""
    dm = h.sandbox.workspace.user(user).dm_id
    rurl = h.sandbox.state.issue_response_url(user, f"dm:{user}", dm)
    payload = {
        "type": "block_actions",
        "response_url": f"{h.sandbox.base_url}response/{rurl.token}",
        "user": {"id": user, "username": user.lower(), "team_id": h.sandbox.team_id},
        "api_app_id": h.sandbox.app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": h.sandbox.state.issue_trigger(user),
        "team": {"id": h.sandbox.team_id},
        "container": {"type": "message", "message_ts": "1.000001", "channel_id": "D0X"},
        "actions": [
            {
                "action_id": action_id,
                "block_id": "x",
                "value": value,
                "type": "button",
                "action_ts": "1.2",
            }
        ],
    }
    ack = h.driver._interaction(kind, payload)
    h.settle()
    return ack.json or {}


def test_request_review_accept_and_group_dm(h):
    h.driver.command("U0KENJI", "/data search medical")
    h.driver.click("U0KENJI", "紹介を依頼", "ephemeral")
    modal = h.sandbox.render("modal:U0KENJI")
    assert "希望するデータホルダー: 東海メディカルレコード" in modal  # preselected from the result
    h.driver.fill(
        "U0KENJI",
        {
            "必要なデータ": "日本語の診療記録",
            "利用目的": "医療QA",
            "分野": ["医療・ヘルスケア"],
            "モダリティ": ["テキスト"],
            "言語": ["日本語"],
            "必要なおおよその量": "500 GB",
            "必要な時期": "2026-06-30",
        },
    )
    (request,) = rows(h, DataRequest)
    assert (request.requested_by, request.status, request.size_unit) == (
        "U0KENJI",
        "submitted",
        "bytes",
    )
    assert "事務局に送りました" in h.sandbox.render("dm:U0KENJI")
    ops = h.sandbox.render("#secretariat")
    assert "東海メディカルレコード* — 100/100" in ops and "U0GAKU" not in ops

    review(
        h,
        {
            "判断": "承認: 下のデータホルダーに打診する",
            "打診するデータホルダー": ["東海メディカルレコード — 東海大学病院"],
        },
    )
    assert [i.answer for i in rows(h, Introduction)] == ["pending"]
    ask = h.sandbox.render("dm:U0GAKU")
    assert "紹介を受けますか" in ask and "希望するデータホルダー" not in ask  # not who else
    h.driver.click("U0GAKU", "承諾する", "dm")
    opened = [
        e
        for e in h.journal()
        if e.get("method") == "conversations.open" and "," in str(e["request"].get("users"))
    ]
    assert [sorted(e["request"]["users"].split(",")) for e in opened] == [
        ["U0GAKU", "U0KENJI", "U0SATO"]
    ]
    group = h.sandbox.render("mpim:U0GAKU,U0KENJI,U0SATO")
    assert "データ紹介 / Data introduction" in group and "<@U0GAKU>" not in group  # rendered @gaku
    assert "@gaku" in group
    assert [(i.answer, i.stage) for i in rows(h, Introduction)] == [("accepted", "introduced")]
    # a second click on the (now updated) message has no button left; a replay is refused
    value = intro_blocks.IntroMeta(intro_id=rows(h, Introduction)[0].id).model_dump_json()
    forge(h, "U0GAKU", intro_blocks.Ids.ACCEPT, value)
    assert "すでに回答済みです: 承諾" in h.sandbox.render("ephemeral:U0GAKU")
    assert (
        len(
            [
                e
                for e in h.journal()
                if e.get("method") == "conversations.open" and "," in str(e["request"].get("users"))
            ]
        )
        == 1
    )


def test_review_inline_errors_and_ask_for_details(h):
    alice_requests(h)
    review(h, {"判断": "見送り（理由は依頼者に送られます）"})
    errors = h.driver.modal_errors("U0SATO")
    assert "理由を入力してください" in errors["理由または質問"]
    assert "打診するデータホルダー" not in errors  # the preset suggestions do not get in the way
    h.driver.fill(
        "U0SATO", {"判断": "依頼者に追加情報を求める", "理由または質問": "Which departments?"}
    )
    assert rows(h, DataRequest)[0].status == "needs_details"
    assert "Which departments?" in h.sandbox.render("dm:U0ALICE")
    h.driver.click("U0ALICE", "Add details", "dm")
    modal = h.sandbox.render("modal:U0ALICE")
    assert "Japanese clinical notes" in modal and "Which departments?" in modal
    h.driver.fill("U0ALICE", {"Data needed": "Clinical notes from internal medicine"})
    request = rows(h, DataRequest)[0]
    assert (request.status, request.revision) == ("submitted", 2)
    assert "データ紹介依頼 #1（Alpha AI）: 追加情報あり" in h.sandbox.render("#secretariat")


def test_request_modal_errors_name_each_field(h):
    alice_requests(h, **{"Approximate size needed": "a lot", "Needed by": "2026-03-01"})
    errors = h.driver.modal_errors("U0ALICE")  # every wrong field at once
    assert "not a size Kiban can read" in errors["Approximate size needed"]
    assert "has passed; choose 2026-04-01 or later" in errors["Needed by"]
    h.driver.fill("U0ALICE", {"Approximate size needed": "0 GB", "Needed by": "2026-04-01"})
    assert set(h.driver.modal_errors("U0ALICE")) == {"Approximate size needed"}
    assert rows(h, DataRequest) == []
    h.driver.fill("U0ALICE", {"Approximate size needed": "1000 tokens"})
    assert [(r.size_value, r.size_unit) for r in rows(h, DataRequest)] == [(1000, "tokens")]


def test_forged_actions_and_submissions_are_refused_and_change_nothing(h):
    alice_requests(h)
    review(
        h,
        {
            "判断": "承認: 下のデータホルダーに打診する",
            "打診するデータホルダー": ["東海メディカルレコード — 東海大学病院"],
        },
    )
    intro = rows(h, Introduction)[0]
    request_id = rows(h, DataRequest)[0].id
    value = intro_blocks.IntroMeta(intro_id=intro.id, lang="en").model_dump_json()
    for user in ("U0ALICE", "U0YUKI", "U0GUEST", "U0SATO"):  # requester, other org, none, operator
        forge(h, user, intro_blocks.Ids.ACCEPT, value)
        forge(h, user, f"{intro_blocks.Ids.STAGE}:contract", value)
        shown = h.sandbox.render(f"ephemeral:{user}")
        assert ("not yours" if user in ("U0ALICE", "U0GUEST") else "権限がありません") in shown
    review_value = blocks.ReviewMeta(request_id=request_id).model_dump_json()
    for user in ("U0ALICE", "U0YUKI"):
        forge(h, user, blocks.Ids.REVIEW, review_value)
        forge(h, user, blocks.Ids.ADD_DETAILS, review_value)  # not waiting / not theirs
    assert "only the secretariat" in h.sandbox.render("ephemeral:U0ALICE")
    assert "事務局（オペレーター）のみ" in h.sandbox.render("ephemeral:U0YUKI")
    assert "見つからないか" in h.sandbox.render("ephemeral:U0YUKI")
    # a forged review submission (a modal Slack never showed them) by a non-operator
    view = {
        "id": "V0FORGED",
        "type": "modal",
        "callback_id": blocks.Ids.REVIEW_SUBMIT,
        "private_metadata": review_value,
        "hash": "1",
        "state": {
            "values": {
                "decision": {
                    "value": {
                        "type": "radio_buttons",
                        "selected_option": {
                            "value": "declined",
                            "text": {"type": "plain_text", "text": "x"},
                        },
                    }
                },
                "holders": {
                    DirectoryIds.HOLDER_PICK: {
                        "type": "multi_external_select",
                        "selected_options": [],
                    }
                },
                "text": {"value": {"type": "plain_text_input", "value": "forged"}},
            }
        },
    }
    ack = h.driver.forge_submission("U0YUKI", view)
    assert ack.json["response_action"] == "errors"
    assert (rows(h, Introduction)[0].answer, rows(h, DataRequest)[0].status) == (
        "pending",
        "approved",
    )
    assert rows(h, DataRequest)[0].reason is None


def test_the_holder_picker_answers_members_and_refuses_people_in_no_organization(h):
    h.driver.command("U0ALICE", "/data request")
    offered = h.driver.suggest("U0ALICE", "Preferred data holder", "kansai")
    assert [o["text"]["text"] for o in offered] == ["Kansai Legal Corpus — Kansai Law"]
    payload = {
        "type": "block_suggestion",
        "user": {"id": "U0GUEST"},
        "team": {"id": h.sandbox.team_id},
        "api_app_id": h.sandbox.app_id,
        "token": VERIFICATION_TOKEN,
        "action_id": DirectoryIds.HOLDER_PICK,
        "block_id": "preferred",
        "value": "kansai",
        "container": {"type": "view", "view_id": "V1"},
        "view": {"id": "V1", "type": "modal"},
    }
    ack = h.driver._interaction("block_suggestion", payload)
    assert json.loads(ack.body) == {"options": []}


def test_the_llm_reranks_after_the_ack_and_its_failure_is_said(h):
    import time

    class SlowLLM:
        def __init__(self, answer):
            self.answer = answer

        def complete_json(self, *, system, user):
            time.sleep(3.5)  # longer than Slack waits for an ack
            return self.answer

    with h.session_factory() as session:
        from storage.data_holders import list_holders

        ids = {row.name: row.id for row in list_holders(session)}
    h.deps.llm = SlowLLM(
        {"ranking": [{"id": ids["東海メディカルレコード"], "reason": "Clinical notes in Japanese"}]}
    )
    h.driver.command("U0ALICE", "/data request")
    ack = h.driver.fill("U0ALICE", REQUEST)
    assert ack.status == 200 and not ack.late
    ops = h.sandbox.render("#secretariat")
    assert "LLMによる並べ替え" in ops and "Clinical notes in Japanese" in ops

    h.deps.llm = SlowLLM(None)  # the endpoint failed: the structured score stands, and says so
    h.driver.command("U0ALICE", "/data request")
    h.driver.fill("U0ALICE", REQUEST)
    assert "LLMによる並べ替えは現在利用できません" in h.sandbox.render("#secretariat")


def test_an_ask_slack_refuses_is_marked_undelivered_not_ignored(h):
    with h.session_factory.begin() as session:
        import_holders(
            session=session,
            filename="ghost.yaml",
            now=h.deps.now(),
            text="- {key: ghost, name: Ghost Data, organization: Gone Inc, domains: [medical],"
            " modalities: [text], languages: [ja], contact: U0GHOST}\n",
        )
    h.expected_failures = ["users.info: user_not_found", "chat.postMessage: channel_not_found"]
    alice_requests(h)
    review(
        h,
        {
            "判断": "承認: 下のデータホルダーに打診する",
            "打診するデータホルダー": ["Ghost Data — Gone Inc"],
        },
    )
    (intro,) = rows(h, Introduction)
    assert intro.answer == "undelivered"
    ops = h.sandbox.render("#secretariat")
    assert "*Ghost Data* への打診を" in ops and "回答なしとは扱いません" in ops
    assert "送信できませんでした" not in ops  # one note, naming the holder, not two
    assert "could not reach *Ghost Data*'s contact" in h.sandbox.render("dm:U0ALICE")
    from datetime import timedelta

    from bot.services import introductions

    with h.session_factory.begin() as session:  # a week later: not counted as ignored
        assert (
            introductions.check_answers(
                session=session, settings=h.deps.settings, now=h.deps.now() + timedelta(days=8)
            )
            == []
        )
        from storage.data_holders import get_holder_by_key

        assert get_holder_by_key(session, "ghost").ignored_streak == 0


def test_the_request_modal_picks_any_of_more_than_100_holders(h):
    lines = "".join(
        f"- {{key: gen-{i:03d}, name: Corpus {i:03d}, organization: Gen, domains: [legal],"
        f" modalities: [text], languages: [ja], contact: U0GAKU}}\n"
        for i in range(150)
    )
    with h.session_factory.begin() as session:
        import_holders(session=session, text=lines, filename="gen.yaml", now=h.deps.now())
    h.driver.command("U0ALICE", "/data request")
    assert len(h.driver.suggest("U0ALICE", "Preferred data holder", "corpus")) == 100
    h.driver.fill("U0ALICE", {**REQUEST, "Preferred data holder": "Corpus 149 — Gen"})
    (request,) = rows(h, DataRequest)
    with h.session_factory() as session:
        from storage.data_holders import get_holder

        assert get_holder(session, request.preferred_holder_id).key == "gen-149"


def test_data_commands_take_a_japanese_ime_space_and_full_width_subcommands(h):
    h.driver.command("U0KENJI", "/data ｓｅａｒｃｈ　medical")  # U+3000 between the words
    assert "東海メディカルレコード" in h.sandbox.render("ephemeral:U0KENJI")
    h.driver.command("U0KENJI", "/data what")
    assert "`/data what` というコマンドはありません" in h.sandbox.render("ephemeral:U0KENJI")


def test_only_members_of_developer_organizations_get_the_request_button(h):
    h.driver.command("U0KENJI", "/data search medical")
    assert "[紹介を依頼]" in h.sandbox.render("ephemeral:U0KENJI")
    h.driver.command("U0SATO", "/data search medical")  # the secretariat does not request
    shown = h.sandbox.render("ephemeral:U0SATO")
    assert "東海メディカルレコード" in shown and "[紹介を依頼]" not in shown
