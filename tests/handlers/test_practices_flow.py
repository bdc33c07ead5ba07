"""The best-practice library end to end (issue #9), through the sandbox and the real Bolt app:
the message shortcut **Add to best practices** (prefilled modal, receipt, queue post), the
operators' Approve / Edit / Reject in the operator channel and from `/practice queue`, the
submitter's DMs, forged clicks and submissions from non-operators, two operators deciding at
once, search (Japanese, English, folding, literal `%` and `_`), the list by area, and
anonymity on every surface."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.blocks.practices import Ids
from bot.sandbox.driver import VERIFICATION_TOKEN
from bot.sandbox.store import top_modal, with_state
from jobs.practices import run_practice_digest
from storage.members import get_org_by_code
from storage.practices import Practice

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
ORG_NAMES = ("Alpha AI", "みらい言語研究所", "北星データ", "Secretariat / 事務局")
JA_FORM = {"タイトル": "学習データの出典台帳", "分野": "データガバナンス"}


def rows(h) -> list[Practice]:
    with h.session_factory() as session:
        return list(session.exec(select(Practice).order_by(Practice.id)))


def add_by_command(h, user: str, values: dict) -> None:
    h.driver.command(user, "/practice add")
    h.driver.fill(user, values)


def field(h, user: str, block_id: str) -> dict:
    return next(
        b for b in top_modal(h.sandbox, user).view["blocks"] if b.get("block_id") == block_id
    )


def forge_click(h, user: str, action_id: str, value: str) -> dict:
    """A signed click Slack would send if `user` had the button (a forged or replayed one)."""
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
        "container": {"type": "message", "message_ts": "1.000001", "channel_id": "C0OPS"},
        "actions": [{"action_id": action_id, "block_id": "x", "value": value, "type": "button"}],
    }
    ack = h.driver._interaction("block_actions", payload)
    h.settle()
    return ack.json or {}


def forge_submission(h, owner: str, user: str, values: dict) -> dict:
    """`owner`'s open modal, typed into and submitted as if by `user` (a forged view
    submission). Returns the ack's JSON."""
    h.driver.fill(owner, values, submit=False)
    view = with_state(h.sandbox, top_modal(h.sandbox, owner))
    payload = {
        "type": "view_submission",
        "team": {"id": h.sandbox.team_id},
        "user": {"id": user, "username": user.lower(), "team_id": h.sandbox.team_id},
        "api_app_id": h.sandbox.app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": h.sandbox.state.issue_trigger(user),
        "view": view,
        "response_urls": [],
    }
    ack = h.driver._interaction("view_submission", payload)
    h.settle()
    return ack.json or {}


def review_value(h, practice_id: int) -> str:
    """The value of the Approve button of the latest post for `practice_id`."""
    for entry in reversed(h.sandbox.conversation("#secretariat")):
        for block in entry.blocks or []:
            if block.get("block_id") == f"practice_review_{practice_id}":
                return block["elements"][0]["value"]
    raise AssertionError("no queue post")


@pytest.fixture
def h(harness):
    harness.admin_import(SECOND_OPERATOR)
    return harness


# --- added by shortcut, reviewed, found -------------------------------------------------------


def test_added_by_shortcut_reviewed_and_found_by_search(h):
    h.sandbox.say(
        "U0YUKI",
        "#community-digest",
        "学習データは出典台帳で管理 &amp; 毎月棚卸し <https://blog.example.org/ledger/?utm_source=x|台帳>",
    )
    ack = h.driver.shortcut(
        "U0KENJI", Ids.SHORTCUT, "#community-digest", message_text_contains="出典台帳"
    )
    assert ack.status == 200 and ack.elapsed < 1.0
    modal = top_modal(h.sandbox, "U0KENJI")
    assert modal.view["title"]["text"] == "ベストプラクティスに追加"
    assert field(h, "U0KENJI", "body")["element"]["initial_value"] == (
        "学習データは出典台帳で管理 & 毎月棚卸し 台帳 (https://blog.example.org/ledger/?utm_source=x)"
    )
    assert field(h, "U0KENJI", "source")["element"]["initial_value"] == (
        "https://blog.example.org/ledger/?utm_source=x"
    )
    org = field(h, "U0KENJI", "org")["element"]
    assert [o["text"]["text"] for o in org["options"]] == ["匿名", "みらい言語研究所"]
    assert org["initial_option"]["value"] == "anonymous"  # anonymous unless chosen
    h.driver.fill("U0KENJI", {**JA_FORM, "組織": "みらい言語研究所"})
    assert top_modal(h.sandbox, "U0KENJI") is None
    [row] = rows(h)
    assert (row.status, row.origin, row.submitted_by, row.revision) == (
        "pending",
        "shortcut",
        "U0KENJI",
        1,
    )
    assert row.source_url == "https://blog.example.org/ledger/"  # tracking parameter gone
    assert row.source_ref.startswith("view:") and "出典台帳" in row.search_text
    assert "確認に送りました" in h.sandbox.render("dm:U0KENJI")
    ops = h.sandbox.render("#secretariat")
    assert "ベストプラクティス #1 の確認" in ops and "学習データの出典台帳" in ops
    assert "みらい言語研究所" in ops and "kenji" not in ops and "U0KENJI" not in ops
    # not visible before approval
    h.driver.command("U0ALICE", "/practice search ledger")
    assert "No approved best practice contains" in h.sandbox.render("ephemeral:U0ALICE")
    h.driver.click("U0SATO", "承認", "#secretariat")
    assert rows(h)[0].status == "approved" and rows(h)[0].reviewed_by == "U0SATO"
    ops = h.sandbox.render("#secretariat")
    assert "@sato が承認しました" in ops and "(edited)" in ops
    assert "公開されました" in h.sandbox.render("dm:U0KENJI")
    h.driver.command("U0ALICE", "/practice search LEDGER blog")
    found = h.sandbox.render("ephemeral:U0ALICE")
    assert "Best practices matching “LEDGER blog” (1)" in found
    assert "学習データの出典台帳" in found and "Data governance · みらい言語研究所" in found
    h.driver.command("U0HANA", "/practice search 棚卸し")
    assert "学習データの出典台帳" in h.sandbox.render("ephemeral:U0HANA")


def test_the_shortcut_never_prefills_a_permalink_that_names_the_author(h):
    """A Slack permalink leads every member to the message and its author: an entry meant to
    be anonymous must not carry one unless the submitter types it."""
    h.sandbox.say("U0YUKI", "#community-digest", "評価前にレッドチーミングを実施")
    h.driver.shortcut("U0ALICE", Ids.SHORTCUT, "#community-digest")
    assert not field(h, "U0ALICE", "source")["element"].get("initial_value")
    assert top_modal(h.sandbox, "U0ALICE").view["title"]["text"] == "Add to best practices"


def test_who_may_submit_and_inline_errors(h):
    h.driver.command("U0GUEST", "/practice add")
    assert "/kiban member add" in h.sandbox.render("ephemeral:U0GUEST")
    assert top_modal(h.sandbox, "U0GUEST") is None
    h.driver.command("U0ALICE", "/practice add")
    h.driver.fill(
        "U0ALICE",
        {
            "Title": "Red teaming\u202e",
            "Practice": "Run it before release",
            "Area": "Safety evaluation",
            "Source link": "https://user:pw@example.org/x",
        },
    )
    errors = h.driver.modal_errors("U0ALICE")
    assert "U+202E" in errors["Title"] and "user name or password" in errors["Source link"]
    h.driver.fill("U0ALICE", {"Title": "Red teaming", "Source link": "ftp://example.org/x"})
    assert "is not a web link" in h.driver.modal_errors("U0ALICE")["Source link"]
    assert rows(h) == []
    # a forged organization (one Alice does not belong to) is refused inline
    orgb = _org_id(h, "ORGB")
    select_ = field(h, "U0ALICE", "org")["element"]
    select_["options"].append(
        {"text": {"type": "plain_text", "text": "Forged"}, "value": str(orgb)}
    )
    h.driver.fill("U0ALICE", {"Source link": "", "Organization": "Forged"})
    assert (
        "only to an organization you belong to" in h.driver.modal_errors("U0ALICE")["Organization"]
    )
    assert rows(h) == []
    h.driver.fill("U0ALICE", {"Organization": "Alpha AI"})
    [row] = rows(h)
    assert row.organization_id == _org_id(h, "ORGA") and row.source_url is None
    assert "sent to the secretariat for review" in h.sandbox.render("dm:U0ALICE")


def _org_id(h, code: str) -> int:
    with h.session_factory() as session:
        return get_org_by_code(session, code).id


# --- review -----------------------------------------------------------------------------------


def test_edit_updates_the_queue_post_and_reject_tells_the_submitter(h):
    add_by_command(
        h, "U0ALICE", {"Title": "Keep a data ledgr", "Practice": "Track sources", "Area": "Other"}
    )
    h.driver.click("U0SATO", "編集", "#secretariat")
    modal = top_modal(h.sandbox, "U0SATO")
    assert modal.view["title"]["text"] == "プラクティスを編集"
    assert field(h, "U0SATO", "title")["element"]["initial_value"] == "Keep a data ledgr"
    h.driver.fill("U0SATO", {"タイトル": "Keep a data ledger", "分野": "データガバナンス"})
    [row] = rows(h)
    assert (row.title, row.area, row.revision, row.status) == (
        "Keep a data ledger",
        "data_governance",
        2,
        "pending",
    )
    assert "keep a data ledger" in row.search_text
    ops = h.sandbox.render("#secretariat")
    assert ops.count("ベストプラクティス #1 の確認") == 1  # updated in place
    assert "Keep a data ledger" in ops and "第 2 版" in ops
    h.driver.click("U0SATO", "却下", "#secretariat")
    h.driver.fill("U0SATO", {"理由": ""})  # required: Slack's client refuses it
    h.driver.fill("U0SATO", {"理由": "Already covered by the <programme> guideline"})
    [row] = rows(h)
    assert (row.status, row.reviewed_by) == ("rejected", "U0SATO")
    assert row.reject_reason == "Already covered by the <programme> guideline"
    dm = h.sandbox.render("dm:U0ALICE")
    assert "was not accepted by the secretariat" in dm
    assert "Reason: Already covered by the <programme> guideline" in dm
    assert "@sato が却下しました" in h.sandbox.render("#secretariat")
    h.driver.command("U0ALICE", "/practice search ledger")
    assert "No approved best practice" in h.sandbox.render("ephemeral:U0ALICE")


def test_forged_clicks_and_submissions_by_non_operators_change_nothing(h):
    add_by_command(h, "U0ALICE", {"Title": "T", "Practice": "P", "Area": "Privacy"})
    value = review_value(h, 1)
    for action in (Ids.APPROVE, Ids.EDIT, Ids.REJECT):
        forge_click(h, "U0KENJI", action, value)
    refusals = h.sandbox.render("ephemeral:U0KENJI")
    assert refusals.count("事務局（オペレーター）のみ") == 3
    assert top_modal(h.sandbox, "U0KENJI") is None
    # an operator's open modals submitted as someone else
    h.driver.click("U0SATO", "却下", "#secretariat")
    ack = forge_submission(h, "U0SATO", "U0KENJI", {"理由": "x"})
    assert "事務局（オペレーター）のみ" in ack["errors"]["reason"]
    h.sandbox.state.stacks["U0SATO"].clear()
    h.driver.click("U0SATO", "編集", "#secretariat")
    ack = forge_submission(h, "U0SATO", "U0KENJI", {"タイトル": "Hijacked"})
    assert "事務局（オペレーター）のみ" in ack["errors"]["title"]
    [row] = rows(h)
    assert (row.status, row.title, row.revision, row.reviewed_by) == ("pending", "T", 1, None)
    assert "Hijacked" not in h.sandbox.render("#secretariat")
    assert "not accepted" not in h.sandbox.render("dm:U0ALICE")


def test_two_operators_deciding_one_wins_the_other_is_told_who(h):
    add_by_command(h, "U0ALICE", {"Title": "T", "Practice": "P", "Area": "Security"})
    value = review_value(h, 1)
    h.driver.click("U0GAKU", "却下", "#secretariat")  # Gaku opens the reject modal first
    h.driver.click("U0SATO", "承認", "#secretariat")  # Sato approves meanwhile
    h.driver.fill("U0GAKU", {"理由": "Too vague"})
    assert "すでに承認済みです（@sato）" in h.driver.modal_errors("U0GAKU")["理由"]
    forge_click(h, "U0GAKU", Ids.APPROVE, value)  # a stale approve button
    assert "すでに承認済みです（<@U0SATO>）" in h.sandbox.render("ephemeral:U0GAKU") or (
        "すでに承認済みです（@sato）" in h.sandbox.render("ephemeral:U0GAKU")
    )
    [row] = rows(h)
    assert (row.status, row.reviewed_by, row.reject_reason) == ("approved", "U0SATO", None)
    dm = h.sandbox.render("dm:U0ALICE")
    assert dm.count("was approved") == 1 and "not accepted" not in dm


def test_a_decision_on_an_entry_edited_since_is_refused(h):
    add_by_command(h, "U0ALICE", {"Title": "Old", "Practice": "P", "Area": "Security"})
    stale = review_value(h, 1)
    h.driver.click("U0GAKU", "編集", "#secretariat")
    h.driver.fill("U0GAKU", {"タイトル": "New"})
    forge_click(h, "U0SATO", Ids.APPROVE, stale)
    assert "表示後に編集されました（現在 第 2 版）" in h.sandbox.render("ephemeral:U0SATO")
    assert rows(h)[0].status == "pending"
    h.driver.click("U0SATO", "承認", "#secretariat")  # the updated post's button
    assert rows(h)[0].status == "approved"


def test_the_queue_command_lists_pending_entries_with_buttons(h):
    h.driver.command("U0ALICE", "/practice queue")
    assert "only the secretariat" in h.sandbox.render("ephemeral:U0ALICE")
    h.driver.command("U0SATO", "/practice queue")
    assert "確認待ちのベストプラクティスはありません" in h.sandbox.render("ephemeral:U0SATO")
    add_by_command(h, "U0ALICE", {"Title": "First", "Practice": "P1", "Area": "Security"})
    add_by_command(
        h, "U0YUKI", {"タイトル": "二つ目", "プラクティスの内容": "P2", "分野": "プライバシー"}
    )
    h.driver.command("U0SATO", "/practice queue")
    queue = h.sandbox.render("ephemeral:U0SATO")
    assert (
        "確認待ちのベストプラクティス（2 件）" in queue and "First" in queue and "二つ目" in queue
    )
    h.driver.click("U0SATO", "承認", "ephemeral")  # the first entry's button
    assert "承認しました: 「First」を公開しました" in h.sandbox.render("ephemeral:U0SATO")
    h.driver.command("U0SATO", "/practice queue")
    h.driver.click("U0SATO", "却下", "ephemeral")
    h.driver.fill("U0SATO", {"理由": "重複"})
    assert "却下しました" in h.sandbox.render("modal:U0SATO")  # no post to update: shown here
    assert [r.status for r in rows(h)] == ["approved", "rejected"]
    assert "理由: 重複" in h.sandbox.render("dm:U0YUKI")


# --- search and list ------------------------------------------------------------------------------


def approved(h, user: str, values: dict) -> None:
    add_by_command(h, user, values)
    h.driver.click("U0SATO", "承認", "#secretariat")


def test_search_folds_case_and_width_and_takes_wildcards_literally(h):
    approved(
        h,
        "U0ALICE",
        {
            "Title": "PII masking at 100% recall",
            "Practice": "Mask names_and ids",
            "Area": "Privacy",
        },
    )
    approved(
        h,
        "U0YUKI",
        {
            "タイトル": "個人情報のマスキング手順",
            "プラクティスの内容": "学習前に氏名を置換する",
            "分野": "プライバシー",
        },
    )
    approved(h, "U0ALICE", {"Title": "Other recall", "Practice": "nothing here", "Area": "Other"})

    def search(words: str) -> str:
        h.driver.command("U0HANA", f"/practice search {words}")
        return h.sandbox.conversation("ephemeral:U0HANA")[-1].rendered

    assert "PII masking" in search("ｐｉｉ　ＭＡＳＫＩＮＧ") and "（1 件）" in search("pii")
    assert "個人情報のマスキング手順" in search("マスキング手順")  # Japanese, no spaces
    assert "個人情報のマスキング手順" in search("氏名 置換")
    assert "ありません" in search("氏名 recall")  # every word must match
    assert "PII masking" in search("100%") and "（1 件）" in search("100%")
    assert "ありません" in search("10%l")  # `%` is not a wildcard
    assert "（1 件）" in search("names_and") and "ありません" in search("name_")
    assert "（1 件）" in search("_")  # `_` is literal: as a wildcard it would match all three
    h.driver.command("U0HANA", "/practice search")
    assert "検索する語句を指定してください" in h.sandbox.render("ephemeral:U0HANA")


def test_search_caps_results_and_says_how_many_more(h):
    for n in range(12):
        approved(
            h,
            "U0ALICE",
            {"Title": f"Audit log {n}", "Practice": "Keep audit logs", "Area": "Security"},
        )
    h.driver.command("U0ALICE", "/practice search audit")
    shown = h.sandbox.conversation("ephemeral:U0ALICE")[-1].rendered
    assert "(12)" in shown and "and 2 more" in shown
    assert "Audit log 11" in shown and "Audit log 0\n" not in shown


def test_list_by_area_names(h):
    approved(h, "U0ALICE", {"Title": "Ledger", "Practice": "P", "Area": "Data governance"})
    approved(h, "U0YUKI", {"タイトル": "鍵管理", "プラクティスの内容": "P", "分野": "セキュリティ"})
    h.driver.command("U0HANA", "/practice list")
    shown = h.sandbox.conversation("ephemeral:U0HANA")[-1].rendered
    assert "ベストプラクティス（2 件）" in shown
    assert shown.index("データガバナンス") < shown.index("Ledger") < shown.index("セキュリティ")
    for area in ("security", "Security", "ＳＥＣＵＲＩＴＹ", "セキュリティ"):
        h.driver.command("U0HANA", f"/practice list {area}")
        shown = h.sandbox.conversation("ephemeral:U0HANA")[-1].rendered
        assert "セキュリティ（1 件）" in shown and "鍵管理" in shown and "Ledger" not in shown
    h.driver.command("U0ALICE", "/practice list data governance")
    shown = h.sandbox.conversation("ephemeral:U0ALICE")[-1].rendered
    assert "Best practices · Data governance (1)" in shown and "Ledger" in shown
    h.driver.command("U0ALICE", "/practice list licensing and copyright")
    assert "No approved best practice here yet" in h.sandbox.render("ephemeral:U0ALICE")
    h.driver.command("U0ALICE", "/practice list ethics")
    shown = h.sandbox.conversation("ephemeral:U0ALICE")[-1].rendered
    assert (
        "`ethics` is not an area" in shown and "`compute_operations` — Compute operations" in shown
    )


def test_help_and_unknown_subcommands(h):
    h.driver.command("U0ALICE", "/practice")
    h.driver.command("U0ALICE", "/practice remove 3")
    shown = h.sandbox.render("ephemeral:U0ALICE")
    assert (
        "/practice search WORDS" in shown and "`/practice remove` is not a Kiban command" in shown
    )


# --- anonymity --------------------------------------------------------------------------------------


def test_an_anonymous_practice_never_shows_its_submitter_or_an_organization(h):
    # Kenji (みらい言語研究所) shares anonymously from a message Yuki wrote
    h.sandbox.say("U0YUKI", "#community-digest", "モデル公開前に安全性評価の結果を記録")
    h.driver.shortcut("U0KENJI", Ids.SHORTCUT, "#community-digest")
    h.driver.fill(
        "U0KENJI", {"タイトル": "公開前の安全性評価記録", "分野": "安全性評価", "出典リンク": ""}
    )
    [row] = rows(h)
    assert (row.organization_id, row.submitted_by) == (None, "U0KENJI")
    surfaces = {}
    surfaces["receipt"] = h.sandbox.render("dm:U0KENJI")
    surfaces["queue post"] = h.sandbox.render("#secretariat")
    h.driver.command("U0SATO", "/practice queue")
    surfaces["queue list"] = h.sandbox.conversation("ephemeral:U0SATO")[-1].rendered
    h.driver.click("U0SATO", "編集", "#secretariat")
    surfaces["edit modal"] = h.sandbox.render("modal:U0SATO")
    h.driver.fill("U0SATO", {"タイトル": "公開前の安全性評価の記録"})
    h.driver.click("U0SATO", "承認", "#secretariat")
    surfaces["approved post"] = h.sandbox.render("#secretariat")
    surfaces["decision DM"] = h.sandbox.render("dm:U0KENJI")
    h.driver.command("U0ALICE", "/practice search 安全性評価")
    surfaces["search"] = h.sandbox.conversation("ephemeral:U0ALICE")[-1].rendered
    h.driver.command("U0ALICE", "/practice list")
    surfaces["list"] = h.sandbox.conversation("ephemeral:U0ALICE")[-1].rendered
    h.driver.command("U0ALICE", "/practice list safety evaluation")
    surfaces["list by area"] = h.sandbox.conversation("ephemeral:U0ALICE")[-1].rendered
    assert run_practice_digest(deps=h.deps, now=datetime(2026, 7, 1, 0, 45, tzinfo=UTC)) == 1
    surfaces["digest"] = h.sandbox.render("#community-digest").split("モデル公開前に")[1]
    raw = [e.raw for e in h.sandbox.conversation("#secretariat")]
    raw += [e.raw for e in h.sandbox.conversation("#community-digest")][1:]
    surfaces["raw posts"] = repr(raw)
    for name, shown in surfaces.items():
        assert "公開前の安全性評価" in shown or name in ("raw posts",), name
        for secret in ("U0KENJI", "kenji", *ORG_NAMES):
            assert secret not in shown, (name, secret)
    for name in ("search", "list", "digest", "queue post", "queue list"):
        assert ("匿名" in surfaces[name]) or ("Anonymous" in surfaces[name]), name


def test_people_in_no_organization_cannot_read_the_library(h):
    """The library is the community's: search and list, like add, need an organization."""
    for text in ("/practice search data", "/practice list", "/practice list privacy"):
        h.driver.command("U0GUEST", text)
    replies = [h.sandbox.render_entry(e) for e in h.sandbox.conversation("ephemeral:U0GUEST")]
    assert len(replies) == 3 and all("/kiban member add" in r for r in replies)
