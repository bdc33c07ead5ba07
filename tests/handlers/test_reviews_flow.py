"""Review committees end to end (issue #7) through the sandbox's driver and the real Bolt app:
a selection round created, applicants added, conflicts declared, assignment, scoring with an
edit, locking at the deadline, aggregation, decisions, release and export; access refusals
with nothing changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.sandbox.store import top_modal
from storage.members import Organization
from storage.reviews import (
    ReviewAssignment,
    ReviewAudit,
    ReviewConflict,
    ReviewRound,
    ReviewSubject,
    Scorecard,
)

REVIEWERS = ["U0GUEST", "U0GAKU", "U0HANA"]


def rows(h, model):
    with h.session_factory() as session:
        return list(session.exec(select(model).order_by(model.id)))


def create_round(h, **fields):
    h.driver.command("U0SATO", "/review create")
    values = {
        "名称": "2026年度 採択審査",
        "種類": "採択審査",
        "評点の段階（1点からこの点数まで）": "5",
        "1件あたりの審査委員数": "2",
        "評価の締切日": "2026-04-10",
        "評価の締切時刻": "17:00",
        "審査委員": REVIEWERS,
    } | fields
    return h.driver.fill("U0SATO", values)


def add_applicant(h, name, title, **extra):
    h.driver.command("U0SATO", "/review subjects 1")
    return h.driver.fill("U0SATO", {"組織名": name, "提案名": title} | extra)


def declare(h, user, conflicts=(), none=False):
    h.driver.click(user, _declare_label(user), "dm")
    values = {}
    modal = top_modal(h.sandbox, user).view
    labels = [b["label"]["text"] for b in modal["blocks"] if b["type"] == "input"]
    if conflicts:
        values[labels[0]] = list(conflicts)
    if none:
        values[labels[-1]] = [labels and _none_option(modal)]
    return h.driver.fill(user, values)


def _declare_label(user):
    return "Declare conflicts" if user == "U0GUEST" else "利益相反を申告"


def _none_option(modal):
    block = [b for b in modal["blocks"] if b["type"] == "input"][-1]
    return block["element"]["options"][0]["text"]["text"]


def setup_round(h):
    """A round with three applicants, declarations (Hana conflicted with Beta), assigned.
    17:30 JST: also a working hour in London, where Guest reads the (quiet-hours) DMs."""
    h.clock.moment = datetime(2026, 4, 1, 8, 30, tzinfo=UTC)
    assert create_round(h).body == ""
    add_applicant(h, "Alpha AI", "日本語基盤モデル", **{"連絡先（Slack）": "U0ALICE"})
    add_applicant(h, "Beta Labs", "医療特化モデル", **{"連絡先メールアドレス": "ceo@beta.example"})
    add_applicant(h, "Gamma Inc", "コード生成モデル")
    h.driver.command("U0SATO", "/review conflicts 1")
    declare(h, "U0GUEST", none=True)
    declare(h, "U0GAKU", none=True)
    declare(h, "U0HANA", conflicts=["Beta Labs"])
    h.driver.command("U0SATO", "/review assign 1")


def score(h, user, subject, points, recommendation="採択", comments="", note=""):
    h.driver.click(user, _score_button(h, user, subject), "dm")
    modal = top_modal(h.sandbox, user).view
    selects = [
        b["label"]["text"]
        for b in modal["blocks"]
        if b["type"] == "input" and b["element"]["type"] == "static_select"
    ]
    values = dict(zip(selects, [str(p) for p in points], strict=True))
    labels = {b["block_id"]: b["label"]["text"] for b in modal["blocks"] if b["type"] == "input"}
    values[labels["recommendation"]] = recommendation
    if comments:
        values[labels["comments"]] = comments
    if note:
        values[labels["chair_note"]] = note
    return h.driver.fill(user, values)


def _score_button(h, user, subject):
    """The Score/Edit button next to `subject` in the reviewer's latest scoring DM."""
    for entry in reversed(h.sandbox.conversation(f"dm:{user}")):
        for block in entry.raw.get("blocks") or []:
            accessory = block.get("accessory") or {}
            if subject in (block.get("text") or {}).get("text", "") and accessory:
                return accessory["text"]["text"]
    raise AssertionError(f"no Score button for {subject} in dm:{user}")


def test_a_selection_round_from_creation_to_release(harness):
    h = harness
    setup_round(h)
    [round_] = rows(h, ReviewRound)
    assert round_.stage == "scoring" and round_.reviewers_per_subject == 2
    assert round_.deadline == datetime(2026, 4, 10, 8, 0, tzinfo=UTC)  # 17:00 JST
    assert [c.name for c in []] == []
    subjects = {s.id: s.name for s in rows(h, ReviewSubject)}
    pairs = {(subjects[a.subject_id], a.user_id) for a in rows(h, ReviewAssignment)}
    assert ("Beta Labs", "U0HANA") not in pairs  # the conflict is respected
    assert len(pairs) == 6
    loads = sorted(sum(1 for _, u in pairs if u == r) for r in REVIEWERS)
    assert loads == [2, 2, 2]
    assert [(c.user_id) for c in rows(h, ReviewConflict)] == ["U0HANA"]
    assert "Alpha AI" in h.sandbox.render("dm:U0GUEST") or "Beta Labs" in h.sandbox.render(
        "dm:U0GUEST"
    )

    # every reviewer scores their two subjects; Guest edits one
    mine = {
        r: [subjects[a.subject_id] for a in rows(h, ReviewAssignment) if a.user_id == r]
        for r in REVIEWERS
    }
    for reviewer, names in mine.items():
        for name in names:
            recommendation = "Adopt" if reviewer == "U0GUEST" else "採択"
            assert score(h, reviewer, name, [4] * 5, recommendation).body == ""
    first = mine["U0GUEST"][0]
    score(h, "U0GUEST", first, [1] * 5, "Reject", comments="weak", note="for the chair only")
    cards = rows(h, Scorecard)
    assert len(cards) == 6
    edited = [c for c in cards if c.user_id == "U0GUEST" and c.revision == 2]
    assert len(edited) == 1 and edited[0].chair_note == "for the chair only"
    # nobody sees another reviewer's scores or name in their DMs
    for reviewer in REVIEWERS:
        dm = h.sandbox.render(f"dm:{reviewer}")
        assert not any(
            f"@{o}" in dm for o in ("guest", "gaku", "hana") if o not in reviewer.lower()
        )

    # results before the deadline are refused
    h.driver.command("U0SATO", "/review results 1")
    assert "評価期間中" in h.sandbox.render("ephemeral:U0SATO")

    # at the deadline, scorecards lock
    h.clock.moment = datetime(2026, 4, 10, 8, 0, tzinfo=UTC)
    h.driver.command("U0SATO", "/review status 1")
    h.driver.command("U0GUEST", "/review status 1")
    assert "closed" in h.sandbox.render("ephemeral:U0GUEST")

    h.driver.command("U0SATO", "/review results 1")
    results = h.sandbox.render("ephemeral:U0SATO")
    assert "外れ値" in results  # Guest's 1 against the other reviewer's 4
    assert "for the chair only" in results  # Sato created the round: the chair
    assert any(f.endswith("-ranking.csv") for f in _files(h, "U0SATO"))

    # decisions, one conditional without conditions refused inline
    h.driver.click("U0SATO", "決定: Alpha AI", "ephemeral")
    errors = h.driver.fill("U0SATO", {"採否": "条件付き採択"})
    assert "条件" in errors.json["errors"]["note"]
    dms_before = len(h.sandbox.conversation("dm:U0SATO"))
    h.driver.fill("U0SATO", {"採否": "条件付き採択", "備考": "計算資源計画の見直し"})
    # the modal shows the decision in place: no DM per decision
    assert "決定を記録しました" in h.sandbox.render("modal:U0SATO")
    assert len(h.sandbox.conversation("dm:U0SATO")) == dms_before
    decided = [s for s in rows(h, ReviewSubject) if s.decision]
    assert len(decided) == 1 and decided[0].decision == "conditional"

    h.driver.command("U0SATO", "/review release 1")
    released = [s for s in rows(h, ReviewSubject) if s.released_at]
    assert [s.id for s in released] == [decided[0].id]
    actions = [a.action for a in rows(h, ReviewAudit)]
    for action in (
        "round.created",
        "subject.added",
        "conflicts.opened",
        "conflicts.declared",
        "assignment.added",
        "scorecard.submitted",
        "scorecard.edited",
        "decision.recorded",
        "result.released",
    ):
        assert action in actions, action

    h.driver.command("U0SATO", "/review export 1")
    names = _files(h, "U0SATO")
    assert {"review-1-scores.csv", "review-1-minutes.md", "review-1-audit.csv"} <= set(names)


def _files(h, user):
    return [
        f["name"]
        for entry in h.sandbox.conversation(f"dm:{user}")
        for f in entry.raw.get("files", [])
    ]


def test_outsiders_are_refused_and_nothing_changes(harness):
    h = harness
    setup_round(h)
    before = (len(rows(h, Scorecard)), len(rows(h, ReviewAudit)))
    # a member of an organization, not a reviewer: every subcommand refused
    for text in (
        "/review status 1",
        "/review results 1",
        "/review release 1",
        "/review assign 1",
        "/review export 1",
    ):
        h.driver.command("U0KENJI", text)
        assert "参加している審査に `1` はありません" in h.sandbox.render("ephemeral:U0KENJI")
    h.driver.command("U0KENJI", "/review list")
    assert "参加している審査はありません" in h.sandbox.render("ephemeral:U0KENJI")
    # a reviewer asking for operator actions is told it is for the secretariat
    h.driver.command("U0GAKU", "/review results 1")
    assert "事務局" in h.sandbox.render("ephemeral:U0GAKU")
    assert (len(rows(h, Scorecard)), len(rows(h, ReviewAudit))) == before


def test_a_forged_score_for_an_unassigned_subject_is_refused(harness):
    h = harness
    setup_round(h)
    beta = next(s for s in rows(h, ReviewSubject) if s.name == "Beta Labs")
    # Hana is conflicted with Beta and was never assigned it: press a forged Score button
    h.driver.click("U0HANA", _score_button(h, "U0HANA", "Alpha AI"), "dm")
    view = top_modal(h.sandbox, "U0HANA").view
    forged = dict(view)
    forged["private_metadata"] = view["private_metadata"].replace(
        f'"subject_id":{_meta_subject(view)}', f'"subject_id":{beta.id}'
    )
    h.driver.forge_submission("U0HANA", forged)
    assert not [c for c in rows(h, Scorecard) if c.subject_id == beta.id]


def _meta_subject(view):
    import json

    return json.loads(view["private_metadata"])["subject_id"]


def test_a_late_conflict_withdraws_the_assignment_and_reassigns(harness):
    h = harness
    setup_round(h)
    subjects = {s.name: s.id for s in rows(h, ReviewSubject)}
    gaku = [a for a in rows(h, ReviewAssignment) if a.user_id == "U0GAKU" and not a.removed_at]
    name = next(n for n, i in subjects.items() if i == gaku[0].subject_id)
    h.driver.click("U0GAKU", "利益相反を追加で申告", "dm")
    modal = top_modal(h.sandbox, "U0GAKU").view
    inputs = [b["label"]["text"] for b in modal["blocks"] if b["type"] == "input"]
    # "no conflict" is still ticked from the first declaration: the added subject wins
    assert h.driver.fill("U0GAKU", {inputs[0]: [name]}).body == ""
    active = [a for a in rows(h, ReviewAssignment) if not a.removed_at]
    assert (subjects[name], "U0GAKU") not in {(a.subject_id, a.user_id) for a in active}
    now_on = sum(1 for a in active if a.subject_id == subjects[name])
    told = h.sandbox.render("#secretariat")
    assert "次の担当から外しました" in told and name in told
    if now_on == 2:  # someone free took it over
        assert "に割り当てました" in told and "が利益相反を申告したため" in told
    else:  # nobody could: said so, and the subject is reported short
        assert now_on == 1 and "割り当てられる審査委員がいません" in told and "2 名中 1 名" in told


def test_reminders_three_days_and_one_day_before_then_closed(harness):
    from jobs.reviews import run_review_reminders

    h = harness
    setup_round(h)
    deadline = datetime(2026, 4, 10, 8, 0, tzinfo=UTC)
    assert run_review_reminders(deps=h.deps, now=deadline - timedelta(days=4)) == 0
    sent = run_review_reminders(deps=h.deps, now=deadline - timedelta(days=3))
    assert sent == 3  # nobody has scored yet
    assert run_review_reminders(deps=h.deps, now=deadline - timedelta(days=2)) == 0
    assert run_review_reminders(deps=h.deps, now=deadline - timedelta(hours=23)) == 3
    assert run_review_reminders(deps=h.deps, now=deadline) == 1  # the operators' notice
    assert run_review_reminders(deps=h.deps, now=deadline + timedelta(hours=1)) == 0
    assert "締め切りました" in h.sandbox.render("#secretariat")


def test_end_of_term_packets_follow_the_assignment_and_a_late_conflict(harness):
    """The packet goes with the assignment, after the ack; a late conflict sends the subject
    and its packet to the reviewer who takes it over, once."""
    h = harness
    h.clock.moment = datetime(2026, 4, 1, 8, 30, tzinfo=UTC)
    create_round(
        h,
        **{
            "名称": "終了時評価",
            "種類": "終了時評価",
            "1件あたりの審査委員数": "1",
            "審査委員": ["U0GAKU", "U0GUEST"],
        },
    )
    h.driver.command("U0SATO", "/review subjects 1")
    h.driver.fill("U0SATO", {"組織": ["Alpha AI"]})
    h.driver.command("U0SATO", "/review conflicts 1")
    declare(h, "U0GAKU", none=True)
    declare(h, "U0GUEST", none=True)
    h.driver.command("U0SATO", "/review assign 1")
    [first] = [a for a in rows(h, ReviewAssignment)]
    assert first.packet_sent_at is not None
    assert any(f.startswith("packet-ORGA") for f in _files(h, first.user_id))
    other = "U0GUEST" if first.user_id == "U0GAKU" else "U0GAKU"
    assert not _files(h, other)

    label = "Declare a conflict" if first.user_id == "U0GUEST" else "利益相反を追加で申告"
    h.driver.click(first.user_id, label, "dm")
    modal = top_modal(h.sandbox, first.user_id).view
    inputs = [b["label"]["text"] for b in modal["blocks"] if b["type"] == "input"]
    ack = h.driver.fill(first.user_id, {inputs[0]: ["Alpha AI"], inputs[-1]: []})
    assert ack.body == "" and ack.elapsed < 3
    active = [a for a in rows(h, ReviewAssignment) if not a.removed_at]
    assert [a.user_id for a in active] == [other] and active[0].packet_sent_at
    packets = [f for f in _files(h, other) if f.startswith("packet-ORGA")]
    assert len(packets) == 1
    # the first reviewer's packet is not sent again, nor the new one twice
    assert len([f for f in _files(h, first.user_id) if f.startswith("packet-")]) == 1


def _operator_actor(h, user="U0SATO"):
    from bot.services.members import resolve_actor

    with h.session_factory() as session:
        return resolve_actor(session, user, "ja")


def test_a_reviewer_reaches_every_subject_of_a_long_list_and_the_operator_decides_any(harness):
    """45 subjects for one reviewer: 40 listed with buttons, every one in the select."""
    from bot.blocks.review_forms import SubjectInput
    from bot.services import reviews

    h = harness
    h.clock.moment = datetime(2026, 4, 1, 8, 30, tzinfo=UTC)
    create_round(h, **{"1件あたりの審査委員数": "1", "審査委員": ["U0GAKU"]})
    with h.session_factory.begin() as session:
        reviews.add_subjects(
            session=session,
            actor=_operator_actor(h),
            round_id=1,
            applicants=[SubjectInput(f"Org{i:02}", f"p{i}") for i in range(1, 46)],
            org_ids=[],
            now=h.clock.moment,
        )
    h.driver.command("U0SATO", "/review conflicts 1")
    declare(h, "U0GAKU", none=True)
    h.driver.command("U0SATO", "/review assign 1")
    dm = h.sandbox.render("dm:U0GAKU")
    assert "ほか 5 件" in dm and "[評価する: Org45]" not in dm
    h.driver.click("U0GAKU", "Org45", "dm")  # the option in the "Score any subject…" select
    assert "Org45" in str(top_modal(h.sandbox, "U0GAKU").view["blocks"])
    ok = score(h, "U0GAKU", "Org01", [3] * 5)  # a listed one, by its button
    assert ok.body == ""

    h.clock.moment = datetime(2026, 4, 10, 8, 0, tzinfo=UTC)
    h.driver.command("U0SATO", "/review results 1")
    h.driver.click("U0SATO", "Org44", "ephemeral")  # the "Decide any subject…" select
    h.driver.fill("U0SATO", {"採否": "不採択"})
    decided = {s.name: s.decision for s in rows(h, ReviewSubject) if s.decision}
    assert decided == {"Org44": "reject"}


def test_nobody_reviews_their_own_organization_or_application(harness):
    """End-of-term reviewers are outsiders (they get every organization's packet); one who
    joins an organization later is conflicted with it automatically, and so is an applicant's
    own contact in a selection round."""
    from storage.members import upsert_member

    h = harness
    h.clock.moment = datetime(2026, 4, 1, 8, 30, tzinfo=UTC)
    eot = {"名称": "終了時評価", "種類": "終了時評価", "1件あたりの審査委員数": "1"}
    refused = create_round(h, **eot, **{"審査委員": ["U0HANA", "U0GAKU"]})
    assert "参加組織のメンバーは審査委員にできません" in refused.json["errors"]["reviewers"]
    create_round(h, **eot, **{"審査委員": ["U0GUEST", "U0GAKU"]})
    h.driver.command("U0SATO", "/review subjects 1")
    h.driver.fill("U0SATO", {"組織": ["北星データ", "みらい言語研究所"]})
    with h.session_factory.begin() as session:  # Gaku joins みらい after the round was made
        org = session.exec(select(Organization).where(Organization.code == "ORGB")).one()
        upsert_member(session, slack_user_id="U0GAKU", org_id=org.id, role="member")
    h.driver.command("U0SATO", "/review conflicts 1")
    h.driver.click("U0GAKU", "利益相反を申告", "dm")
    modal = top_modal(h.sandbox, "U0GAKU").view
    checks = [b for b in modal["blocks"] if b["type"] == "input"][0]["element"]
    assert [o["text"]["text"] for o in checks["initial_options"]] == ["みらい言語研究所"]
    none_label = [b for b in modal["blocks"] if b["type"] == "input"][-1]["label"]["text"]
    # "no conflict" besides one's own organization is a valid declaration
    assert h.driver.fill("U0GAKU", {none_label: [_none_option(modal)]}).body == ""
    declare(h, "U0GUEST", none=True)
    h.driver.command("U0SATO", "/review assign 1")
    subjects = {s.id: s.name for s in rows(h, ReviewSubject)}
    pairs = {(subjects[a.subject_id], a.user_id) for a in rows(h, ReviewAssignment)}
    assert pairs == {("北星データ", "U0GAKU"), ("みらい言語研究所", "U0GUEST")}

    # a selection round: Kenji's own application is a conflict without being declared
    create_round(
        h, **{"名称": "採択", "1件あたりの審査委員数": "1", "審査委員": ["U0KENJI", "U0GUEST"]}
    )
    h.driver.command("U0SATO", "/review subjects 2")
    h.driver.fill("U0SATO", {"組織名": "Kenji Labs", "提案名": "x", "連絡先（Slack）": "U0KENJI"})
    h.driver.command("U0SATO", "/review conflicts 2")
    declare(h, "U0KENJI", none=True)
    declare(h, "U0GUEST", none=True)
    h.driver.command("U0SATO", "/review assign 2")
    round2 = [a for a in rows(h, ReviewAssignment) if a.round_id == 2]
    assert [a.user_id for a in round2] == ["U0GUEST"]


def test_a_csv_repeating_a_subject_is_an_error_on_the_file_field(harness, tmp_path):
    h = harness
    create_round(h)
    add_applicant(h, "Alpha AI", "日本語基盤モデル")
    csv = tmp_path / "applicants.csv"
    csv.write_text("organization,proposal_title\nＡＬＰＨＡ ai,重複\n", encoding="utf-8")
    h.driver.command("U0SATO", "/review import 1")
    ack = h.driver.fill("U0SATO", {"CSVファイル": str(csv)})
    assert list(ack.json["errors"]) == ["file"]
    assert "すでにこの審査の対象です" in ack.json["errors"]["file"]
    assert [s.name for s in rows(h, ReviewSubject)] == ["Alpha AI"]


def test_typed_names_stay_inert_in_errors_and_plain_in_inline_errors(harness):
    h = harness
    create_round(h, **{"名称": "<!here> 審査"})
    add_applicant(h, "Alpha AI", "日本語基盤モデル")
    h.driver.command("U0SATO", "/review conflicts 1")
    h.driver.command("U0SATO", "/review assign 1")  # nobody declared: refused, names the round
    said = h.sandbox.conversation("ephemeral:U0SATO")[-1].raw["text"]
    assert "<!here>" not in said and "&lt;!here&gt;" in said
    ack = create_round(h, **{"名称": "<!HERE> 審査"})  # the same name, another case
    assert ack.json["errors"]["name"] == "「<!HERE> 審査」という審査はすでにあります。"


def test_release_skips_subjects_nobody_can_receive_and_undoes_refused_dms(harness):
    h = harness
    setup_round(h)
    with h.session_factory.begin() as session:  # Alpha's contact left the workspace
        alpha = session.exec(select(ReviewSubject).where(ReviewSubject.name == "Alpha AI")).one()
        alpha.contact_user = "U0LEFT"
    # Slack no longer knows the departed user: its DM is refused
    h.expected_failures = ["users.info: user_not_found", "chat.postMessage: channel_not_found"]
    h.clock.moment = datetime(2026, 4, 10, 8, 0, tzinfo=UTC)
    h.driver.command("U0SATO", "/review results 1")
    for name in ("Alpha AI", "Beta Labs", "Gamma Inc"):
        h.driver.click("U0SATO", f"決定: {name}", "ephemeral")
        h.driver.fill("U0SATO", {"採否": "不採択"})
    h.driver.command("U0SATO", "/review release 1")
    said = h.sandbox.render("ephemeral:U0SATO")
    assert "通知していない対象: Gamma Inc" in said  # no contact at all
    assert "結果を 1 件通知しました: Beta Labs" in said  # not Alpha, whose DM was refused
    assert "Alpha AI。通知済みにはしていません" in said.replace("\n", "")
    released = {s.name for s in rows(h, ReviewSubject) if s.released_at}
    assert released == {"Beta Labs"}  # the email contact's text was given
    actions = [a.action for a in rows(h, ReviewAudit)]
    assert "result.release_failed" in actions
