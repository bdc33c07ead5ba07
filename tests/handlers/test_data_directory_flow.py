"""The data-holder directory end to end through the sandbox and the real Bolt app: the
operators' `/data admin` list (found by key, contact or pasted mention too), buttons and
"Data holder" modal (inline errors, control characters included, nothing half-written, a holder
brought back into matching), `/data search` as members read it (never a contact), refusals,
and the holder options Slack loads for an external select.

`/data search` and `/data admin` come through the `/data` dispatcher (`handlers/data.py`),
which calls `handlers.data_directory.search` / `admin`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.blocks import forms
from bot.blocks.data_directory import HolderInput, Ids
from bot.services import data_directory as service
from handlers.common import deps_of
from handlers.errors import guarded
from storage.data_holders import DataHolder

HOLDERS = Path(__file__).parents[1] / "fixtures" / "data" / "holders.yaml"
NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
CONTACTS = (
    "U0GAKU",
    "@gaku",
    "legal-data@hokusei.example.jp",
    "archive@minato-tv.example.jp",
    "data-office@sakura-sonpo.example.jp",
    "voice-data@kansai-tele.example.jp",
)


def wire(app) -> None:
    """`/pickholder`, a test-only command: a modal with an external select of holders, as the
    introduction request modal has."""

    def handle_pick_command(ack, command, context) -> None:
        ack()
        view = forms.modal(
            "test.pick",
            title="Pick",
            submit="OK",
            close="Cancel",
            metadata="{}",
            blocks=[forms.external("holder", "Holder", Ids.HOLDER_PICK, min_query_length=1)],
        )
        deps_of(context).slack.client.views_open(trigger_id=command["trigger_id"], view=view)

    app.command("/pickholder")(guarded(handle_pick_command))


@pytest.fixture
def h(harness):
    wire(harness.app)
    with harness.session_factory.begin() as session:
        service.import_holders(
            session=session,
            text=HOLDERS.read_text(encoding="utf-8"),
            filename=HOLDERS.name,
            now=NOW,
        )
    return harness


def holder(h, key: str) -> DataHolder | None:
    with h.session_factory() as session:
        return session.exec(select(DataHolder).where(DataHolder.key == key)).first()


def count(h) -> int:
    with h.session_factory() as session:
        return session.exec(select(func.count()).select_from(DataHolder)).one()


def latest_blocks(h, conversation: str) -> list[dict]:
    return h.sandbox.conversation(conversation)[-1].blocks or []


# --- /data admin ----------------------------------------------------------------------------


def test_admin_lists_holders_with_contacts_for_operators_only(h):
    h.driver.command("U0SATO", "/data admin")
    listing = h.sandbox.render("ephemeral:U0SATO")
    assert "データホルダー" in listing and "京都臨床データコンソーシアム" in listing
    assert "連絡先: @gaku" in listing and "legal-data@hokusei.example.jp" in listing
    assert "休止中" in listing and "[編集]" in listing and "[新しいデータホルダー]" in listing

    h.driver.command("U0ALICE", "/data admin")
    assert "only the secretariat" in h.sandbox.render("ephemeral:U0ALICE")
    h.driver.command("U0YUKI", "/data admin")
    refusal = h.sandbox.render("ephemeral:U0YUKI")
    assert "事務局（オペレーター）のみ" in refusal and "gaku" not in refusal


def test_new_holder_bad_input_gets_inline_errors_and_nothing_is_stored(h):
    h.driver.command("U0SATO", "/data admin")
    h.driver.click("U0SATO", "新しいデータホルダー", "ephemeral")
    modal = h.sandbox.render("modal:U0SATO")
    assert "== データホルダー ==" in modal and "キー" in modal
    h.driver.fill(
        "U0SATO",
        {
            "名称": "東京判例アーカイブ",
            "組織名": "東京法務データ協会",
            "分野": ["法律"],
            "モダリティ": ["テキスト"],
            "言語": ["日本語", "英語"],
            "おおよその規模": "たくさん",
        },
    )
    errors = h.driver.modal_errors("U0SATO")
    assert "サイズとして読み取れません" in errors["おおよその規模"]
    assert "連絡先を指定してください" in errors["Slack の連絡先"]

    h.driver.fill("U0SATO", {"おおよその規模": "２ＴＢ", "連絡先メールアドレス": "data@tokyo"})
    errors = h.driver.modal_errors("U0SATO")
    assert (
        list(errors) == ["連絡先メールアドレス"]
        and "メールアドレスではありません" in errors["連絡先メールアドレス"]
    )

    h.driver.fill(
        "U0SATO", {"連絡先メールアドレス": "data@tokyo.example.jp", "Slack の連絡先": "gaku"}
    )
    assert "どちらか一方" in h.driver.modal_errors("U0SATO")["連絡先メールアドレス"]
    assert count(h) == 6  # nothing half-written

    h.driver.fill("U0SATO", {"Slack の連絡先": None})
    assert h.driver.modal_errors("U0SATO") == {}
    row = holder(h, "東京判例アーカイブ")  # the key comes from the name
    assert (row.name, row.domains, row.languages) == ("東京判例アーカイブ", ["legal"], ["ja", "en"])
    assert (row.size_value, row.size_unit, row.size_text) == (2e12, "bytes", "２ＴＢ")
    assert (row.contact_user, row.contact_email) == (None, "data@tokyo.example.jp")
    assert (row.status, row.updated_by) == ("active", "U0SATO")
    assert "データホルダー *東京判例アーカイブ*" in h.sandbox.render("dm:U0SATO")


def test_a_key_in_use_is_refused_on_the_key_field(h):
    h.driver.command("U0SATO", "/data admin")
    h.driver.click("U0SATO", "新しいデータホルダー", "ephemeral")
    h.driver.fill("U0SATO", {"キー": "Hokusei-Legal", "名称": "Another", "Slack の連絡先": "gaku"})
    assert "Hokusei Legal Corpus" in h.driver.modal_errors("U0SATO")["キー"]
    h.driver.fill("U0SATO", {"キー": "bad key!"})
    assert "キーに使えません" in h.driver.modal_errors("U0SATO")["キー"]
    assert count(h) == 6


def test_editing_a_holder_saved_as_active_brings_it_back_into_matching(h):
    with h.session_factory.begin() as session:
        row = session.exec(select(DataHolder).where(DataHolder.key == "hokusei-legal")).one()
        row.ignored_streak, row.matching_paused = 3, True
    h.driver.command("U0SATO", "/data admin hokusei")
    listing = h.sandbox.render("ephemeral:U0SATO")
    assert "紹介への無回答が 3 回連続" in listing and "マッチング対象外" in listing
    assert "京都臨床" not in listing  # filtered
    h.driver.command("U0ALICE", "/data search legal")
    assert "Hokusei" not in h.sandbox.render("ephemeral:U0ALICE")  # left out of matching

    h.driver.click("U0SATO", "編集", "ephemeral")
    modal = h.sandbox.render("modal:U0SATO")
    assert "hokusei-legal" in modal and "Hokusei Legal Corpus" in modal and "CC BY-NC 4.0" in modal
    assert "変更できません" in modal and "省略すると名称から作成します" not in modal  # no Key input
    h.driver.fill("U0SATO", {"ライセンス・利用規約": "CC BY 4.0"})
    assert h.driver.modal_errors("U0SATO") == {}
    row = holder(h, "hokusei-legal")
    assert (row.licence, row.ignored_streak, row.matching_paused) == ("CC BY 4.0", 0, False)
    assert (row.languages, row.contact_email) == (["ja", "en"], "legal-data@hokusei.example.jp")
    h.driver.command("U0ALICE", "/data search legal")
    assert "Hokusei Legal Corpus" in h.sandbox.render("ephemeral:U0ALICE")


# --- /data search ---------------------------------------------------------------------------


def test_japanese_and_english_searches_find_the_same_holder_without_contacts(h):
    h.driver.command("U0ALICE", "/data search medical")
    english = h.sandbox.render("ephemeral:U0ALICE")
    assert "京都臨床データコンソーシアム" in english and "Medical and health" in english
    assert "12B tokens" in english and "[Request introduction]" in english
    first = next(b for b in latest_blocks(h, "ephemeral:U0ALICE") if "accessory" in b)
    button = first["accessory"]
    assert button["action_id"] == Ids.REQUEST_INTRO
    assert json.loads(button["value"]) == {"holder_id": holder(h, "kyoto-clinical").id}

    h.driver.command("U0YUKI", "/data search 医療")
    h.driver.command("U0KENJI", "/data search ＭＥＤＩＣＡＬ")  # full-width
    for user in ("U0YUKI", "U0KENJI"):
        blocks = latest_blocks(h, f"ephemeral:{user}")
        first = next(b for b in blocks if "accessory" in b)
        assert "京都臨床データコンソーシアム" in first["text"]["text"]
        assert "[紹介を依頼]" in h.sandbox.render(f"ephemeral:{user}")

    for words in ("legal", "音声", "archive", "text", "ja"):
        h.driver.command("U0ALICE", f"/data search {words}")
        h.driver.command("U0SATO", f"/data search {words}")  # operators too
    for user in ("U0ALICE", "U0YUKI", "U0KENJI", "U0SATO"):
        shown = h.sandbox.render(f"ephemeral:{user}")
        raw = json.dumps([e.blocks for e in h.sandbox.conversation(f"ephemeral:{user}")])
        for contact in CONTACTS:
            assert contact not in shown and contact not in raw, (user, contact)


def test_search_help_no_match_and_people_in_no_organization(h):
    h.driver.command("U0ALICE", "/data search")
    assert "/data search WORDS" in h.sandbox.render("ephemeral:U0ALICE")
    h.driver.command("U0YUKI", "/data search 量子占星術")
    assert "一致するデータホルダーはありません" in h.sandbox.render("ephemeral:U0YUKI")
    h.driver.command("U0GUEST", "/data search medical")
    refusal = h.sandbox.render("ephemeral:U0GUEST")
    assert "Ask the secretariat to add you" in refusal and "京都" not in refusal


# --- external select options ----------------------------------------------------------------


def test_options_load_for_an_external_select(h):
    with h.session_factory.begin() as session:
        service.apply_holders(
            session=session,
            holders=[
                HolderInput(key=f"gen-{i:03d}", name=f"Corpus {i:03d}", contact_user="U0GAKU")
                for i in range(150)
            ],
            now=NOW,
        )
    h.driver.command("U0ALICE", "/pickholder")
    assert len(h.driver.suggest("U0ALICE", "Holder", "corpus")) == 100  # Slack's limit
    narrowed = h.driver.suggest("U0ALICE", "Holder", "Corpus 14")
    assert [o["text"]["text"] for o in narrowed] == [f"Corpus 14{i}" for i in range(10)]
    assert h.driver.suggest("U0ALICE", "Holder", "tohoku") == []  # paused: members do not see it
    h.driver.fill("U0ALICE", {"Holder": "Minato Broadcast Archive — みなとテレビ"}, submit=False)

    h.driver.command("U0SATO", "/pickholder")
    [paused] = h.driver.suggest("U0SATO", "Holder", "tohoku")
    assert paused["text"]["text"].endswith("（休止中）")
    assert paused["value"] == str(holder(h, "tohoku-agri").id)

    h.driver.command("U0GUEST", "/pickholder")
    assert h.driver.suggest("U0GUEST", "Holder", "corpus") == []


# --- operators find holders by key and contact ----------------------------------------------


def test_admin_words_find_a_holder_by_key_contact_or_pasted_mention(h):
    with h.session_factory.begin() as session:
        service.apply_holders(
            session=session,
            holders=[HolderInput(key="tokai-med", name="東海メディカル", contact_user="U0HANA")],
            now=NOW,
        )
    for words, name in (
        ("tokai-med", "東海メディカル"),
        ("tokai", "東海メディカル"),
        ("legal-data@hokusei.example.jp", "Hokusei Legal Corpus"),
        ("<@U0HANA|hana>", "東海メディカル"),  # a mention as Slack escapes it
    ):
        h.driver.command("U0SATO", f"/data admin {words}")
        listing = [b for b in latest_blocks(h, "ephemeral:U0SATO") if "accessory" in b]
        assert len(listing) == 1 and name in listing[0]["text"]["text"], words
    h.driver.command("U0ALICE", "/data search tokai")  # members: never by key
    assert "No data holders match “tokai”" in h.sandbox.render("ephemeral:U0ALICE")


def test_a_control_character_typed_in_the_modal_is_an_inline_error(h):
    h.driver.command("U0SATO", "/data admin")
    h.driver.click("U0SATO", "新しいデータホルダー", "ephemeral")
    h.driver.fill(
        "U0SATO",
        {
            "名称": "Bell\x07Corpus",
            "ライセンス・利用規約": "ok\tand\nfine",
            "Slack の連絡先": "gaku",
        },
    )
    errors = h.driver.modal_errors("U0SATO")
    assert list(errors) == ["名称"]
    assert "5 文字目に制御文字（U+0007）があり、保存できません" in errors["名称"]
    assert "name:" not in errors["名称"]  # the error stands under the field: no internal id
    assert count(h) == 6
    h.driver.fill("U0SATO", {"名称": "Bell Corpus"})
    assert h.driver.modal_errors("U0SATO") == {}
    assert holder(h, "bell-corpus").licence == "ok\tand\nfine"
