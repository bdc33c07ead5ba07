"""The App Home (issue #8) at the service layer, on SQLite and PostgreSQL: each role's sections
from real rows, a member never shown another organization's figures, user text escaped,
English and Japanese, and a large programme still within Slack's 100 blocks with every block
valid (the sandbox's validator: slack_sdk models plus SLACK.md's limits)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.blocks import home as blocks
from bot.blocks.compute import ReportInput
from bot.blocks.instructions import InstructionInput
from bot.blocks.review_forms import RoundInput, ScoreInput, SubjectInput
from bot.blocks.reviews import ScoringItem
from bot.errors import UserError
from bot.i18n import t
from bot.sandbox.blockkit import validate_view
from bot.services import (
    compute,
    home,
    instructions,
    review_assignments,
    review_conflicts,
    review_scoring,
    reviews,
    rsvp,
)
from bot.services.admin import import_setup
from bot.services.members import resolve_actor
from bot.settings import Settings
from storage import members as member_store
from storage import reviews as review_store
from storage.alerts import AlertRecord
from storage.change_requests import ChangeRequest
from storage.compute import ComputeAllocation, UsagePlan
from storage.data_requests import DataRequest
from storage.evals import EvalSubmission
from storage.events import Event, RsvpAnswer
from storage.instructions import Instruction
from storage.members import Organization
from storage.reviews import (
    ReviewAssignment,
    ReviewRound,
    ReviewSubject,
    RoundReviewer,
    Scorecard,
)
from tests.conftest import SETUP_YAML

NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)  # 09:30 JST
SETTINGS = Settings(_env_file=None, operator_channel="C0OPS", digest_channel="C0DIGEST")
REVIEWERS = ["U0GUEST", "U0GAKU"]


@pytest.fixture
def loaded(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
    return session_factory


def org_id(session, code: str) -> int:
    return member_store.get_org_by_code(session, code).id


def view_for(factory, user: str, lang: str, now: datetime = NOW) -> dict:
    with factory() as session:
        actor = resolve_actor(session, user, lang)
        view = home.home_view(session=session, actor=actor, settings=SETTINGS, now=now)
    assert view["type"] == "home"
    assert len(view["blocks"]) <= blocks.VIEW_MAX
    assert validate_view(view) == []
    return view


def text_of(view: dict) -> str:
    """Every text a person can read in the view, buttons and select options included."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in ("plain_text", "mrkdwn"):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(view["blocks"])
    return "\n".join(found)


def buttons(view: dict) -> list[dict]:
    out = []
    for block in view["blocks"]:
        elements = list(block.get("elements") or []) if block["type"] == "actions" else []
        if block.get("accessory"):
            elements.append(block["accessory"])
        out += [e for e in elements if e["type"] == "button"]
    return out


# --- programme data -------------------------------------------------------------------------


def report(factory, code: str, month: str, hours: float, user: str) -> None:
    with factory.begin() as session:
        org = member_store.get_org_by_code(session, code)
        [allocation, *_] = compute.store.allocations_for_org(session, org.id)
        compute.submit_report(
            session=session,
            actor=resolve_actor(session, user, "en"),
            data=ReportInput(org.id, allocation.id, month, hours, None, None, None),
            settings=SETTINGS,
            now=NOW,
        )


def instruct(factory, code: str, title: str, due: date) -> int:
    with factory.begin() as session:
        instructions.issue(
            session=session,
            actor=resolve_actor(session, "U0SATO", "ja"),
            data=InstructionInput(org_id(session, code), title, "Details", due),
            settings=SETTINGS,
            now=NOW - timedelta(days=30),  # issued earlier, so a due date may now be past
        )
        return max(i.id for i, _ in instructions.store.open_instructions(session))


def submission(session, org: int, user: str, model: str, status: str = "submitted", n: int = 0):
    session.add(
        EvalSubmission(
            organization_id=org,
            submitted_by=user,
            submitted_at=NOW - timedelta(days=2, minutes=n),
            model_name=model,
            model_revision=f"v{n}",
            model_type="pretrained",
            file_name="results.json",
            file_format="lm_eval",
            file_sha256="0" * 64,
            report_json="{}",
            status=status,
        )
    )


def data_request(session, org: int, user: str, text: str, status: str = "submitted"):
    session.add(
        DataRequest(
            organization_id=org,
            requested_by=user,
            data_needed=text,
            purpose="pretraining",
            status=status,
            created_at=NOW - timedelta(days=3),
            last_activity_at=NOW - timedelta(days=3),
        )
    )


def event(session, title: str, orgs: list[int], days: int = 7) -> int:
    row = Event(
        title=title,
        starts_at=NOW + timedelta(days=days),
        ends_at=NOW + timedelta(days=days, hours=2),
        created_by="U0SATO",
        invited_orgs=",".join(str(o) for o in orgs),
    )
    session.add(row)
    session.flush()
    return row.id


def programme(factory) -> dict:
    """ORGA (Alice) and ORGB (Yuki, Kenji) each with a report, an instruction, a submission,
    a data request and an event of their own, plus one event for everyone."""
    report(factory, "ORGA", "2026-02", 1100, "U0ALICE")
    report(factory, "ORGB", "2026-03", 777, "U0YUKI")
    ids = {
        "ins_a": instruct(factory, "ORGA", "Send the <!channel> plan", date(2026, 4, 10)),
        "ins_b": instruct(factory, "ORGB", "ORGB secret instruction", date(2026, 3, 20)),
    }
    with factory.begin() as session:
        a, b = org_id(session, "ORGA"), org_id(session, "ORGB")
        submission(session, a, "U0ALICE", "alpha-7b")
        submission(session, b, "U0YUKI", "mirai-13b-secret")
        data_request(session, a, "U0ALICE", "Japanese legal corpus")
        data_request(session, b, "U0YUKI", "ORGB medical secret")
        ids["ev_a"] = event(session, "Alpha briefing", [a])
        ids["ev_b"] = event(session, "Mirai closed workshop", [b])
        ids["ev_all"] = event(session, "Community meetup", [], days=10)
    with factory.begin() as session:
        rsvp.answer(
            session=session,
            event_id=ids["ev_all"],
            user_id="U0ALICE",
            choice=RsvpAnswer.GOING,
            now=NOW,
        )
    return ids


# --- member ---------------------------------------------------------------------------------


def test_a_member_sees_their_organizations_sections_from_real_rows(loaded):
    ids = programme(loaded)
    view = view_for(loaded, "U0ALICE", "en")
    text = text_of(view)
    assert "Your organization" in text and "*Alpha AI*" in text
    # GPU-hours against plan through March: 1,100 reported of 3,000 planned, 13,000 granted
    assert "ABCI (H100): *1,100* of 3,000 planned (37%) · granted 13,000" in text
    assert "Reports due" in text and "ABCI (H100): 2026-01, 2026-03" in text
    # the instruction, escaped, with the Home's own Acknowledge button
    assert "Instructions to acknowledge* (1)" in text
    assert "&lt;!channel&gt;" in text and "<!channel>" not in json.dumps(view)
    [ack] = [b for b in buttons(view) if b["action_id"] == blocks.Ids.INSTRUCTION_ACK]
    assert ack["text"]["text"] == "Acknowledge"
    assert json.loads(ack["value"]) == {"instruction_id": ids["ins_a"]}
    assert "alpha-7b v0 · Alpha AI · in review" in text
    assert "Japanese legal corpus · Alpha AI · waiting for review" in text
    assert "Alpha briefing" in text and "Community meetup" in text
    assert "You: *going*" in text and "You: not answered" in text
    assert "<!date^" in text  # event times are date tokens: each reader's own zone
    assert "`/event list`" in text and "`/eval status`" in text


def test_a_member_never_sees_another_organizations_figures(loaded):
    programme(loaded)
    alice = json.dumps(view_for(loaded, "U0ALICE", "en"), ensure_ascii=False)
    for secret in (
        "みらい言語研究所",
        "AWS",
        "777",
        "ORGB secret instruction",
        "mirai-13b-secret",
        "ORGB medical secret",
        "Mirai closed workshop",
        "北星データ",
        "Habrok",
    ):
        assert secret not in alice, secret
    kenji = json.dumps(view_for(loaded, "U0KENJI", "ja"), ensure_ascii=False)
    for secret in ("Alpha AI", "ABCI (H100)", "1,100", "plan", "alpha-7b", "legal corpus"):
        assert secret not in kenji, secret
    assert "Alpha briefing" not in kenji and "Community meetup" in kenji
    # Kenji sees his organization's instruction and request, not Yuki's submission (not his)
    assert "ORGB secret instruction" in kenji and "ORGB medical secret" in kenji
    assert "mirai-13b-secret" not in kenji


def test_a_member_reads_it_in_japanese(loaded):
    programme(loaded)
    text = text_of(view_for(loaded, "U0YUKI", "ja"))
    assert "Kiban ホーム" in text and "あなたの組織" in text
    assert "ABCI (A100): *777*（計画 200、388%）· 割当 2,400 · 期間終了前の 2026-06-03" in text
    assert "AWS (H100): *0*（計画 2,400、0%）· 割当 9,600 · データなし" in text
    assert "*未提出の利用実績報告*" in text and "ABCI (A100): 2026-01, 2026-02\n" in text
    assert "確認待ちの指示*（1 件）" in text and "期限超過" in text
    assert "確認しました" in text  # the Acknowledge button
    assert "mirai-13b-secret v0 · みらい言語研究所 · 審査中" in text
    assert "Mirai closed workshop" in text and "あなた: 未回答" in text
    assert "Your organization" not in text and "Acknowledge" not in text


def test_home_acknowledgement_follows_the_instruction_rules(loaded):
    ids = programme(loaded)
    with loaded.begin() as session:
        with pytest.raises(UserError):
            home.acknowledge_instruction(
                session=session,
                actor=resolve_actor(session, "U0ALICE", "en"),
                instruction_id=ids["ins_b"],
                now=NOW,
            )
    with loaded.begin() as session:
        home.acknowledge_instruction(
            session=session,
            actor=resolve_actor(session, "U0ALICE", "en"),
            instruction_id=ids["ins_a"],
            now=NOW,
        )
    with loaded() as session:
        assert session.get(Instruction, ids["ins_a"]).acknowledged_by == "U0ALICE"
        assert session.get(Instruction, ids["ins_b"]).acknowledged_by is None
    text = text_of(view_for(loaded, "U0ALICE", "en"))
    assert "Instructions to acknowledge*: none." in text


# --- operator -------------------------------------------------------------------------------


def test_an_operator_sees_every_queue_with_its_count_and_command(loaded):
    programme(loaded)
    with loaded.begin() as session:
        a = org_id(session, "ORGA")
        allocation = compute.store.allocations_for_org(session, a)[0]
        session.add(
            ChangeRequest(
                organization_id=a,
                allocation_id=allocation.id,
                kind="more_hours",
                extra_gpu_hours=500,
                before_json="{}",
                justification="more",
                requested_by="U0ALICE",
                requested_at=NOW,
            )
        )
        for key, sent, acked in (
            ("k1", NOW - timedelta(days=2), None),
            ("k2", NOW - timedelta(days=3), "U0ALICE"),
            ("k3", NOW - timedelta(days=90), None),  # too old to wait in the queue
        ):
            session.add(
                AlertRecord(
                    kind="overuse", key=key, organization_id=a, sent_at=sent, acknowledged_by=acked
                )
            )
        submission(session, a, "U0ALICE", "alpha-7b", status="published", n=1)
        data_request(session, a, "U0ALICE", "done", status="approved")
    en = text_of(view_for(loaded, "U0SATO", "en"))
    assert "Secretariat: waiting for you" in en
    assert "*2* evaluation submissions to review" in en and "`/eval status`" in en
    assert "*2* data introduction requests to review" in en and "`/data requests`" in en
    assert "*1* compute change requests pending" in en and "`/compute requests`" in en
    # k1 and the over-plan alert ORGB's 777 GPU-hours raised (k2 acknowledged, k3 too old)
    assert "*2* alerts not acknowledged (last 30 days)" in en
    assert "*2* instructions not yet acknowledged (1 overdue)" in en
    # March reports: ORGA reported February only, ORGB one of its two allocations, ORGC none
    assert "*3* organizations have not reported 2026-03" in en
    assert "Not reported for 2026-03*\n• Alpha AI\n• みらい言語研究所\n• 北星データ" in en
    assert "none needs action" in en
    ja = text_of(view_for(loaded, "U0SATO", "ja"))
    assert "事務局: 対応待ち" in ja and "審査待ちの評価結果 *2* 件" in ja
    assert "Secretariat: waiting" not in ja


def make_round(factory, *, name="R", assigned=True, per_subject=1, subjects=("A", "B")):
    """A selection round with two reviewers, declared and (optionally) assigned."""
    with factory.begin() as session:
        sato = resolve_actor(session, "U0SATO", "ja")
        reviews.create_round(
            session=session,
            actor=sato,
            data=RoundInput(
                name=name,
                kind="selection",
                criteria=[("Technical merit", 2.0), ("独自の観点", 1.0)],
                scale_max=5,
                per_subject=per_subject,
                deadline=NOW + timedelta(days=7),
                reviewers=REVIEWERS,
            ),
            now=NOW,
        )
        round_id = max(r.id for r in review_store.rounds(session))
        reviews.add_subjects(
            session=session,
            actor=sato,
            round_id=round_id,
            applicants=[SubjectInput(s, f"{s} proposal <b>") for s in subjects],
            org_ids=[],
            now=NOW,
        )
        review_conflicts.open_declarations(session=session, actor=sato, round_id=round_id, now=NOW)
    if not assigned:
        return round_id
    for user in REVIEWERS:
        with factory.begin() as session:
            review_conflicts.declare(
                session=session,
                actor=resolve_actor(session, user, "en"),
                round_id=round_id,
                subject_ids=[],
                none=True,
                settings=SETTINGS,
                now=NOW,
            )
    with factory.begin() as session:
        review_assignments.assign(
            session=session,
            actor=resolve_actor(session, "U0SATO", "ja"),
            round_id=round_id,
            now=NOW,
        )
    return round_id


def test_operators_see_each_round_with_its_next_step(loaded):
    scoring = make_round(loaded, name="Scoring round")
    waiting = make_round(loaded, name="Waiting round", assigned=False)
    with loaded.begin() as session:
        reviews.create_round(
            session=session,
            actor=resolve_actor(session, "U0SATO", "ja"),
            data=RoundInput(
                name="Setup round",
                kind="end_of_term",
                criteria=[("Technical merit", 1.0)],
                scale_max=5,
                per_subject=1,
                deadline=NOW + timedelta(days=20),
                reviewers=["U0GUEST"],
            ),
            now=NOW,
        )
    text = text_of(view_for(loaded, "U0SATO", "en"))
    assert "Review rounds needing action* (3)" in text
    assert f"*#{scoring} Scoring round* (selection review) · scoring" in text
    assert f"Scorecards 0 of 2: `/review status {scoring}`" in text
    assert f"2 of 2 reviewers have not declared conflicts: `/review conflicts {waiting}`" in text
    assert "0 subjects so far" in text and "end-of-term evaluation" in text
    # after the deadline: the results to decide
    later = text_of(view_for(loaded, "U0SATO", "en", now=NOW + timedelta(days=8)))
    assert f"0 of 2 decided: `/review results {scoring}`" in later


# --- reviewer -------------------------------------------------------------------------------


def test_a_reviewer_sees_only_their_own_subjects_with_the_score_buttons(loaded):
    round_id = make_round(
        loaded, subjects=("Applicant A", "Applicant B", "Applicant C", "Applicant D")
    )
    with loaded() as session:
        mine = [
            a.subject_id for a in review_store.assignments(session, round_id, user_id="U0GUEST")
        ]
        theirs = [
            a.subject_id for a in review_store.assignments(session, round_id, user_id="U0GAKU")
        ]
        names = {s.id: s.name for s in review_store.subjects(session, round_id)}
    assert mine and theirs and not set(mine) & set(theirs)
    with loaded.begin() as session:
        review_scoring.save_scorecard(
            session=session,
            actor=resolve_actor(session, "U0GUEST", "en"),
            data=ScoreInput(round_id, mine[0], {"c1": 4, "c2": 3}, "", "adopt", ""),
            now=NOW,
        )
    view = view_for(loaded, "U0GUEST", "en")
    text = text_of(view)
    assert "Your review rounds" in text and "*#1 R* (selection review) · scoring" in text
    assert f"Your scorecards: *1* of {len(mine)} done" in text
    assert "<!date^" in text and "2026-04-08 09:30 JST" in text  # the deadline, JST fallback
    assert "proposal &lt;b&gt;" in text
    score_buttons = [b for b in buttons(view) if b["action_id"] == "review.score"]
    assert {json.loads(b["value"])["subject_id"] for b in score_buttons} == set(mine)
    assert f"Edit: {names[mine[0]]}" in text
    for subject in theirs:
        assert names[subject] not in text
    assert "Declare conflicts" not in text  # declared already
    ja = text_of(view_for(loaded, "U0GAKU", "ja"))
    assert "担当する審査" in ja and "評価する:" in ja and "あなたの評価票" in ja
    # past the deadline: locked, no buttons
    later = view_for(loaded, "U0GUEST", "en", now=NOW + timedelta(days=8))
    assert "scorecards are locked" in text_of(later)
    assert not [b for b in buttons(later) if b["action_id"] == "review.score"]


def test_a_reviewer_who_has_not_declared_gets_the_declare_button(loaded):
    round_id = make_round(loaded, assigned=False)
    view = view_for(loaded, "U0GUEST", "en")
    [declare] = [b for b in buttons(view) if b["action_id"] == "review.declare"]
    assert json.loads(declare["value"]) == {"round_id": round_id}
    assert "Please declare your conflicts" in text_of(view)


def test_someone_with_no_role_is_told_how_to_be_added(loaded):
    en = view_for(loaded, "U0GUEST", "en")
    assert len(en["blocks"]) == 3 and "`/kiban member add @you ORG`" in text_of(en)
    ja = text_of(view_for(loaded, "U0NOBODY", "ja"))
    assert "まだ表示する内容がありません" in ja and "/kiban member add" in ja


def test_a_person_with_several_roles_gets_each_section(loaded):
    make_round(loaded)
    with loaded.begin() as session:
        member_store.upsert_member(
            session, slack_user_id="U0GAKU", org_id=org_id(session, "SEC"), role="operator"
        )
    text = text_of(view_for(loaded, "U0GAKU", "en"))
    assert "Secretariat: waiting for you" in text and "Your review rounds" in text
    assert "Your organization" not in text  # the secretariat reports nothing


# --- a large programme ----------------------------------------------------------------------


def big_programme(factory) -> None:
    """50 organizations with allocations (none reported), one person (U0BIG) a member of five
    of them, an operator and on 3 committees: hundreds of instructions, submissions, requests
    and events, 90 subjects assigned to them in one round, and 30 rounds for the secretariat."""
    with factory.begin() as session:
        sec = org_id(session, "SEC")
        member_store.upsert_member(session, slack_user_id="U0BIG", org_id=sec, role="operator")
        orgs = []
        for n in range(50):
            org = Organization(code=f"O{n:02d}", name=f"Org <{n}> 組織{n}", kind="developer")
            session.add(org)
            session.flush()
            orgs.append(org.id)
            allocation = ComputeAllocation(
                organization_id=org.id,
                provider=f"Cloud{n}",
                gpu_type="H100",
                granted_gpu_hours=10000,
                period_start=date(2025, 4, 1),
                period_end=date(2027, 3, 31),
            )
            session.add(allocation)
            session.flush()
            session.add(
                UsagePlan(allocation_id=allocation.id, month="2026-03", planned_gpu_hours=500)
            )
            if n < 5:
                member_store.upsert_member(
                    session, slack_user_id="U0BIG", org_id=org.id, role="org_lead"
                )
        for n in range(300):
            session.add(
                Instruction(
                    organization_id=orgs[n % 5],
                    title=f"Instruction {n} " + "<!here> " * 15,
                    body="b",
                    due_date=date(2026, 4, 1) + timedelta(days=n % 20 - 5),
                    issued_by="U0SATO",
                    issued_at=NOW,
                )
            )
            submission(session, orgs[n % 5], "U0BIG", "model-" + "x" * 150, n=n)
            data_request(session, orgs[n % 5], "U0BIG", "data " + "& " * 100)
        for n in range(150):
            event(session, f"Event {n} " + "<@U0ALICE> " * 10, [orgs[n % 5]], days=1 + n % 60)
        for n in range(30):
            round_ = ReviewRound(
                name=f"Round {n} " + "名" * 150,
                kind="selection",
                criteria=[{"key": "c1", "name": "Technical merit", "weight": 1.0}],
                deadline=NOW + timedelta(days=5),
                stage=("setup", "conflicts", "scoring")[n % 3],
                chair="U0SATO",
                created_at=NOW,
            )
            session.add(round_)
            session.flush()
            if n % 10:
                continue  # the reviewer sits on rounds 0, 10 and 20
            session.add(RoundReviewer(round_id=round_.id, user_id="U0BIG", declared_at=NOW))
            for s in range(90):
                subject = ReviewSubject(
                    round_id=round_.id,
                    name=f"Applicant {n}-{s} " + "長" * 60,
                    proposal_title="P" * 300,
                    materials_link="https://example.org/x?a=1&b=2",
                )
                session.add(subject)
                session.flush()
                session.add(
                    ReviewAssignment(
                        round_id=round_.id, subject_id=subject.id, user_id="U0BIG", assigned_at=NOW
                    )
                )
                if s % 3 == 0:
                    session.add(
                        Scorecard(
                            round_id=round_.id,
                            subject_id=subject.id,
                            user_id="U0BIG",
                            scores={"c1": 3},
                            recommendation="adopt",
                            submitted_at=NOW,
                            updated_at=NOW,
                        )
                    )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_large_programme_stays_within_100_valid_blocks(loaded, lang):
    big_programme(loaded)
    view = view_for(loaded, "U0BIG", lang)  # ≤ 100 blocks, each valid (view_for)
    text = text_of(view)
    more = "more" if lang == "en" else "ほか"
    assert text.count(more) >= 5  # every long list says how much it left out
    assert t("home.member.title", lang) in text
    assert t("home.operator.title", lang) in text
    assert t("home.reviewer.title", lang) in text
    assert "<!here>" not in json.dumps(view) and "<@U0ALICE>" not in json.dumps(view)
    # 90 subjects in the scoring round: some with buttons, every one in the select
    selects = [
        e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["type"] == "static_select"
    ]
    assert selects and len(selects[0]["options"]) == 90
    assert any(b["action_id"] == blocks.Ids.INSTRUCTION_ACK for b in buttons(view))
    assert any(b["action_id"] == "review.score" for b in buttons(view))
    # one role at a time fills its own share, still within the limit
    for user, role in (("U0OPONLY", "operator"), ("U0REVONLY", "reviewer")):
        with loaded.begin() as session:
            if role == "operator":
                member_store.upsert_member(
                    session, slack_user_id=user, org_id=org_id(session, "SEC"), role="operator"
                )
            else:
                for round_ in review_store.rounds_of_reviewer(session, "U0BIG"):
                    session.add(RoundReviewer(round_id=round_.id, user_id=user))
        view_for(loaded, user, lang)


# --- the budget itself ----------------------------------------------------------------------


def _round(i: int) -> ReviewRound:
    return ReviewRound(
        id=i,
        name=f"R{i}",
        kind="selection",
        deadline=NOW + timedelta(days=3),
        stage="scoring",
        chair="U0SATO",
        created_at=NOW,
    )


def _reviewer_data(rounds: int, subjects: int) -> blocks.ReviewerHome:
    return blocks.ReviewerHome(
        rounds=[
            blocks.ReviewerRound(
                round_=_round(r),
                stage="scoring",
                locked=False,
                declared=r % 2 == 0,
                items=[
                    ScoringItem(
                        subject=ReviewSubject(id=r * 100 + s, round_id=r, name=f"S{s}"),
                        scored=s % 2 == 0,
                    )
                    for s in range(subjects)
                ],
            )
            for r in range(1, rounds + 1)
        ]
    )


def _member_data(instructions_count: int, orgs: int) -> blocks.MemberHome:
    items = [
        blocks.InstructionItem(
            id=i, org_name="O", title=f"I{i}", due=date(2026, 4, 1), overdue=False
        )
        for i in range(instructions_count)
    ]
    return blocks.MemberHome(
        through="2026-03",
        orgs=[blocks.OrgCompute(name=f"O{i}", allocations=[]) for i in range(orgs)],
        instructions=items,
        instructions_total=instructions_count,
        evals=[],
        evals_total=0,
        requests=[],
        requests_total=0,
        events=[],
        events_total=0,
    )


@pytest.mark.parametrize("budget", range(blocks.MIN_SECTION, blocks.VIEW_MAX - 1))
def test_every_section_keeps_to_any_budget_it_is_given(budget):
    for rounds, subjects in ((1, 90), (3, 90), (40, 5), (200, 0)):
        built = blocks.reviewer_blocks(_reviewer_data(rounds, subjects), "en", budget)
        assert len(built) <= budget, (rounds, subjects)
    for count, orgs in ((0, 1), (500, 1), (500, 8)):
        assert len(blocks.member_blocks(_member_data(count, orgs), "ja", budget)) <= budget


def test_the_shares_are_fair_and_never_exceed_the_total():
    def part(need):
        return lambda budget: [None] * min(need, budget)

    assert blocks.share_budget([part(10), part(500), part(500)], 98) == [10, 44, 44]
    assert blocks.share_budget([part(5), part(6)], 98) == [5, 6]
    assert blocks.share_budget([part(500)] * 3, 98) == [32, 33, 33]  # all 98 used
    assert blocks.share_budget([], 98) == []


def test_a_view_of_every_role_at_their_largest_is_at_most_100_blocks():
    data = blocks.HomeData(
        now=NOW,
        member=_member_data(500, 8),
        operator=blocks.OperatorHome(
            evals=1,
            data_requests=2,
            change_requests=3,
            alerts=4,
            alert_days=30,
            instructions=5,
            instructions_overdue=1,
            month="2026-03",
            unreported=[f"Org {n}" for n in range(500)],
            rounds=[],
            rounds_total=0,
        ),
        reviewer=_reviewer_data(3, 90),
    )
    for lang in ("en", "ja"):
        view = blocks.build_home(data, lang)
        assert len(view["blocks"]) <= blocks.VIEW_MAX and validate_view(view) == []


def test_an_operator_sees_the_survey_practice_and_announcement_queues(loaded):
    """Issue #9's queues: survey projects missing last month's progress report, best practices
    to review, public announcements waiting for a second operator (not channel-only ones)."""
    from storage.announcements import Announcement
    from storage.members import OrgKind, upsert_org
    from storage.practices import Practice

    with loaded.begin() as session:
        for code in ("SURVA", "SURVB"):
            upsert_org(session, code=code, name=code, kind=OrgKind.SURVEY_PROJECT.value)
        for status in ("pending", "pending", "approved"):
            session.add(
                Practice(
                    title="t",
                    body="b",
                    area="other",
                    status=status,
                    submitted_by="U0KENJI",
                    submitted_at=NOW,
                )
            )
        for status, public in (("awaiting_approval", True), ("scheduled", False)):
            session.add(
                Announcement(
                    title={"en": "t"},
                    body={"en": "b"},
                    to_public=public,
                    publish_at=NOW,
                    status=status,
                    author="U0SATO",
                    created_at=NOW,
                )
            )
    en = text_of(view_for(loaded, "U0SATO", "en"))
    assert "*2* survey projects have not reported progress for 2026-03: `/progress status`" in en
    assert "*2* best practices to review: `/practice queue`" in en
    assert "*1* public announcements waiting for a second operator's approval" in en
