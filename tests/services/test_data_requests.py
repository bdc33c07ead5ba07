"""Data-introduction requests and introductions, at the service layer: matching, every
transition of the request and introduction state machines and the forbidden ones, operators
acting at once, the daily checks, confidentiality and the pipeline."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.blocks import data_requests as blocks
from bot.blocks import data_review as review_blocks
from bot.errors import UserError
from bot.services import data_pipeline, data_requests, introductions
from bot.services.admin import import_setup
from bot.services.data_matching import llm_rerank, structured_matches
from bot.services.members import resolve_actor
from bot.settings import Settings
from storage import data_requests as store
from storage.data_holders import DataHolder
from storage.data_requests import Answer, DataRequest, RequestStatus, Stage, stage_allowed
from tests.conftest import SETUP_YAML

NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)  # 09:30 JST
SETTINGS = Settings(_env_file=None, operator_channel="C0OPS", digest_channel="C0DIGEST")


def holder(key, **fields) -> DataHolder:
    row = DataHolder(key=key, name=fields.pop("name", key.title()), **fields)
    row.set_lists(
        domains=fields.get("domains", []) or [],
        modalities=fields.get("modalities", []) or [],
        languages=fields.get("languages", []) or [],
    )
    return row


@pytest.fixture
def programme(session_factory):
    """The test programme, and four holders: a medical text corpus in Japanese (Slack contact
    U0GAKU), a legal corpus (email contact), an image archive, and a paused one."""
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
        rows = [
            DataHolder(
                key="medcorp",
                name="MedCorpus",
                description="Clinical notes",
                domains_json='["medical"]',
                modalities_json='["text"]',
                languages_json='["ja"]',
                size_text="2 TB",
                size_value=2e12,
                size_unit="bytes",
                contact_user="U0GAKU",
            ),
            DataHolder(
                key="lawtext",
                name="LawText",
                description="Court decisions",
                domains_json='["legal"]',
                modalities_json='["text"]',
                languages_json='["ja", "en"]',
                contact_email="data@lawtext.example",
            ),
            DataHolder(
                key="pics",
                name="PicArchive",
                domains_json='["news"]',
                modalities_json='["image"]',
                languages_json='["ja"]',
                contact_user="U0HANA",
            ),
            DataHolder(
                key="paused",
                name="PausedMed",
                domains_json='["medical"]',
                modalities_json='["text"]',
                languages_json='["ja"]',
                status="paused",
                contact_user="U0GAKU",
            ),
        ]
        session.add_all(rows)
        session.flush()
        ids = {row.key: row.id for row in rows}
    return session_factory, ids


def org_id(session, code):
    from storage.members import get_org_by_code

    return get_org_by_code(session, code).id


def actor(session, user, lang="en"):
    return resolve_actor(session, user, lang)


def request_input(session, *, org="ORGB", preferred=None, request_id=None, **over):
    fields = dict(
        org_id=org_id(session, org),
        data_needed="Japanese clinical text for medical QA",
        purpose="Instruction tuning for a medical assistant",
        domains=["medical"],
        modalities=["text"],
        languages=["ja"],
        size_text="500 GB",
        size=(5e11, "bytes"),
        preferred_holder_id=preferred,
        needed_by=date(2026, 6, 30),
        request_id=request_id,
    )
    fields.update(over)
    return blocks.RequestInput(**fields)


def submit(factory, user="U0YUKI", **over):
    with factory.begin() as session:
        notices = data_requests.submit(
            session=session,
            actor=actor(session, user),
            data=request_input(session, **over),
            settings=SETTINGS,
            now=NOW,
        )
        request_id = max(r.id for r in store.all_requests(session))
    return request_id, notices


def review(factory, request_id, decision, holders=(), text="", user="U0SATO", now=NOW):
    meta = blocks.ReviewMeta(request_id=request_id, channel="C0OPS", ts="1.000")
    data = review_blocks.ReviewInput(
        meta=meta, decision=decision, holder_ids=list(holders), text=text
    )
    with factory.begin() as session:
        return data_requests.review(
            session=session, actor=actor(session, user), data=data, settings=SETTINGS, now=now
        )


def answer(factory, intro_id, what, user, reason=None):
    with factory.begin() as session:
        return introductions.answer(
            session=session,
            actor=actor(session, user),
            intro_id=intro_id,
            answer=what,
            reason=reason,
            settings=SETTINGS,
            now=NOW,
            where={"channel": "D1", "ts": "2.000"},
        )


def stage(factory, intro_id, to, user):
    with factory.begin() as session:
        return introductions.set_stage(
            session=session,
            actor=actor(session, user),
            intro_id=intro_id,
            stage=to,
            settings=SETTINGS,
            now=NOW,
            where={"channel": "D1", "ts": "3.000"},
        )


def intros_of(factory, request_id):
    with factory.begin() as session:
        rows = store.introductions_of(session, request_id)
        return [(r.id, r.holder_id, r.answer, r.stage) for r in rows]


def rendered(notice, lang="en"):
    message = notice.render(lang)
    return message.text + "\n" + json.dumps(message.blocks, ensure_ascii=False)


# --- matching -------------------------------------------------------------------------------


def test_the_structured_score_ranks_and_explains_each_criterion(programme):
    factory, ids = programme
    with factory.begin() as session:
        request = DataRequest(
            organization_id=1,
            requested_by="U0YUKI",
            data_needed="x",
            purpose="y",
            domains_json='["medical", "legal"]',
            modalities_json='["text"]',
            languages_json='["ja"]',
            size_text="500 GB",
            size_value=5e11,
            size_unit="bytes",
            created_at=NOW,
            last_activity_at=NOW,
        )
        from storage.data_holders import list_holders

        matches = structured_matches(request, list_holders(session))
    assert [m.name for m in matches] == ["MedCorpus", "LawText"]  # paused and image-only left out
    med = matches[0]
    # domains 1/2 × 35 + modalities 30 + languages 20 + size 15 (2 TB ≥ 500 GB) = 82.5 of 100
    assert med.score == round(100 * (17.5 + 30 + 20 + 15) / 100)
    assert [(c.kind, c.common) for c in med.criteria][:3] == [
        ("domains", ("medical",)),
        ("modalities", ("text",)),
        ("languages", ("ja",)),
    ]
    assert med.criteria[3].verdict == "meets"
    law = matches[1]
    assert law.criteria[3].verdict == "unknown"  # no size given: counts half and says so
    assert blocks.explain(med, "en") == (
        "Domains 1/2 (Medical and health) · Modalities 1/1 (Text) · Languages 1/1 (Japanese)"
        " · Size 2 TB ≥ 500 GB"
    )


def test_the_llm_reranking_keeps_only_known_candidates_and_falls_back(programme):
    factory, _ = programme
    with factory.begin() as session:
        from storage.data_holders import list_holders

        holders = {h.id: h for h in list_holders(session)}
        request = DataRequest(
            organization_id=1,
            requested_by="U0YUKI",
            data_needed="x",
            purpose="y",
            domains_json='["medical", "legal"]',
            modalities_json='["text"]',
            languages_json='["ja"]',
            created_at=NOW,
            last_activity_at=NOW,
        )
        candidates = structured_matches(request, list(holders.values()), limit=10)

        class FakeLLM:
            def __init__(self, answer):
                self.answer, self.asked = answer, []

            def complete_json(self, *, system, user):
                self.asked.append(user)
                return self.answer

        law = next(m for m in candidates if m.name == "LawText")
        good = FakeLLM(
            {
                "ranking": [
                    {"id": 9999, "reason": "made up"},
                    {"id": law.holder_id, "reason": "Court  decisions\nin ja"},
                ]
            }
        )
        ranked = llm_rerank(good, request, holders, candidates)
        assert [(m.name, m.reason) for m in ranked] == [("LawText", "Court decisions in ja")]
        assert "contact" not in json.dumps(good.asked)  # never sends contacts
        assert llm_rerank(FakeLLM(None), request, holders, candidates) is None
        assert (
            llm_rerank(FakeLLM({"ranking": [{"id": 9999}]}), request, holders, candidates) is None
        )
        assert llm_rerank(None, request, holders, candidates) is None


# --- the request state machine --------------------------------------------------------------


def test_submit_sends_a_receipt_and_the_operators_get_matches_and_review(programme):
    factory, ids = programme
    request_id, notices = submit(factory)
    assert [n.kind for n in notices] == ["data_request_receipt", "data_request"]
    assert notices[0].channel == "U0YUKI"
    operator = rendered(notices[1])
    assert "MedCorpus" in operator and "Review" in operator and "100/100" in operator
    assert "U0GAKU" not in operator and "lawtext.example" not in operator
    with factory.begin() as session:
        assert store.get_request(session, request_id).status == "submitted"


def test_approve_asks_each_holder_slack_contact_by_dm_and_email_contact_through_the_operator(
    programme,
):
    factory, ids = programme
    request_id, _ = submit(factory)
    notices = review(factory, request_id, RequestStatus.APPROVED, [ids["medcorp"], ids["lawtext"]])
    kinds = [(n.kind, n.channel) for n in notices]
    assert kinds == [
        ("data_request_approved", "U0YUKI"),
        ("intro_ask", "U0GAKU"),
        ("intro_email_text", "U0SATO"),
        ("data_request_reviewed", "C0OPS"),
    ]
    assert notices[3].ts == "1.000"  # the operator channel's message, updated in place
    ask = rendered(notices[1])
    assert "Accept" in ask and "Decline" in ask and "Not now" in ask and "2026-06-30" in ask
    email = rendered(notices[2], "ja")
    assert "data@lawtext.example" in email and "件名" in email and "Subject" in email
    assert [(i[2], i[3]) for i in intros_of(factory, request_id)] == [("pending", None)] * 2


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (RequestStatus.APPROVED, RequestStatus.DECLINED),
        (RequestStatus.DECLINED, RequestStatus.APPROVED),
        (RequestStatus.DECLINED, RequestStatus.NEEDS_DETAILS),
        (RequestStatus.NEEDS_DETAILS, RequestStatus.APPROVED),
        (RequestStatus.APPROVED, RequestStatus.APPROVED),
    ],
)
def test_a_reviewed_request_cannot_be_reviewed_again(programme, first, then):
    factory, ids = programme
    request_id, _ = submit(factory)
    holders = [ids["medcorp"]]
    review(factory, request_id, first, holders if first == "approved" else (), "because")
    with pytest.raises(UserError) as refused:
        review(
            factory, request_id, then, holders if then == "approved" else (), "again", user="U0SATO"
        )
    assert "already reviewed" in refused.value.en and "<@U0SATO>" in refused.value.en
    with factory.begin() as session:
        assert store.get_request(session, request_id).status == first.value
    assert len(intros_of(factory, request_id)) == (1 if first == "approved" else 0)


def test_ask_for_details_then_resubmit_returns_it_for_review(programme):
    factory, ids = programme
    request_id, _ = submit(factory)
    notices = review(factory, request_id, RequestStatus.NEEDS_DETAILS, (), "Which hospitals?")
    dm = rendered(notices[0])
    assert "Which hospitals?" in dm and "Add details" in dm
    with factory.begin() as session:
        form = data_requests.request_form(
            session=session, actor=actor(session, "U0KENJI"), request_id=request_id
        )
        assert form.existing.id == request_id  # any member of the organization may complete it
    _, notices = submit(
        factory,
        user="U0KENJI",
        request_id=request_id,
        data_needed="Clinical notes from university hospitals",
    )
    assert "details added" in rendered(notices[1])
    with factory.begin() as session:
        request = store.get_request(session, request_id)
        assert (request.status, request.revision) == ("submitted", 2)
        assert request.data_needed.startswith("Clinical notes")
        assert len(store.all_requests(session)) == 1
    with pytest.raises(UserError, match="not waiting for details"):
        submit(factory, request_id=request_id)  # already back in review


def test_bad_review_and_request_input_is_refused_without_change(programme):
    factory, ids = programme
    request_id, _ = submit(factory)
    with pytest.raises(UserError) as paused:
        review(factory, request_id, RequestStatus.APPROVED, [ids["paused"]])
    assert paused.value.field == blocks.Ids.HOLDERS
    with pytest.raises(UserError) as not_operator:
        review(factory, request_id, RequestStatus.DECLINED, (), "no", user="U0YUKI")
    assert "operator" in not_operator.value.en.lower()
    with pytest.raises(UserError) as past:
        submit(factory, needed_by=date(2026, 3, 31))
    assert past.value.field == blocks.Ids.NEEDED_BY
    with pytest.raises(UserError) as other_org:
        submit(factory, org="ORGA")
    assert other_org.value.field == blocks.Ids.ORG
    with pytest.raises(UserError) as paused_pref:
        submit(factory, preferred=ids["paused"])
    assert paused_pref.value.field == blocks.Ids.PREFERRED
    with factory.begin() as session:
        assert store.get_request(session, request_id).status == "submitted"
        assert len(store.all_requests(session)) == 1
        with pytest.raises(UserError):  # the guest belongs to no developer organization
            data_requests.request_form(session=session, actor=actor(session, "U0GUEST"))


def test_two_operators_reviewing_at_once_make_one_transition(programme):
    factory, ids = programme
    request_id, _ = submit(factory)
    results, barrier = [], threading.Barrier(2)

    def act(decision):
        barrier.wait()
        try:
            review(
                factory,
                request_id,
                decision,
                [ids["medcorp"]] if decision == "approved" else (),
                "reason",
            )
            results.append(decision)
        except UserError:
            results.append("refused")

    threads = [
        threading.Thread(target=act, args=(d,))
        for d in (RequestStatus.APPROVED, RequestStatus.DECLINED)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str)[-1] == "refused" and results.count("refused") == 1
    with factory.begin() as session:
        status = store.get_request(session, request_id).status
    winner = next(r for r in results if r != "refused")
    assert status == winner.value
    assert len(intros_of(factory, request_id)) == (1 if status == "approved" else 0)


# --- the introduction state machine ---------------------------------------------------------


@pytest.fixture
def approved(programme):
    factory, ids = programme
    request_id, _ = submit(factory)
    review(factory, request_id, RequestStatus.APPROVED, [ids["medcorp"], ids["lawtext"]])
    (med, _, _, _), (law, _, _, _) = intros_of(factory, request_id)
    return factory, request_id, med, law


def test_accept_opens_the_group_dm_with_requester_contact_and_operator(approved):
    factory, request_id, med, _ = approved
    notices = answer(factory, med, Answer.ACCEPTED, "U0GAKU")
    assert [(n.kind, n.channel) for n in notices] == [
        ("intro_answered", "D1"),
        ("intro_group_dm", "U0YUKI,U0GAKU,U0SATO"),
    ]
    group = rendered(notices[1])
    assert "データ紹介" in group and "Data introduction" in group and "<@U0GAKU>" in group
    assert intros_of(factory, request_id)[0][2:] == ("accepted", "introduced")
    with pytest.raises(UserError, match="already answered: accepted"):
        answer(factory, med, Answer.DECLINED, "U0GAKU")


@pytest.mark.parametrize("what", [Answer.DECLINED, Answer.NOT_NOW])
def test_decline_and_not_now_tell_the_requester_and_the_operators(approved, what):
    factory, request_id, med, _ = approved
    notices = answer(factory, med, what, "U0GAKU", reason="Data is not licensable")
    assert [(n.kind, n.channel) for n in notices] == [
        ("intro_answered", "D1"),
        (f"intro_{what.value}", "U0YUKI"),
        (f"intro_{what.value}_operators", "C0OPS"),
    ]
    assert "Data is not licensable" in rendered(notices[1])
    assert intros_of(factory, request_id)[0][2:] == (what.value, None)


@pytest.mark.parametrize("user", ["U0YUKI", "U0HANA", "U0SATO", "U0GUEST"])
def test_only_the_asked_contact_answers(approved, user):
    factory, request_id, med, _ = approved
    with pytest.raises(UserError, match="not yours"):
        answer(factory, med, Answer.ACCEPTED, user)
    assert intros_of(factory, request_id)[0][2] == "pending"


def test_an_email_contacts_answer_is_recorded_by_an_operator_only(approved):
    factory, request_id, _, law = approved
    with pytest.raises(UserError, match="not yours"):
        answer(factory, law, Answer.ACCEPTED, "U0YUKI")
    notices = answer(factory, law, Answer.ACCEPTED, "U0SATO")
    assert [(n.kind, n.channel) for n in notices] == [
        ("intro_answered", "D1"),
        ("intro_group_dm", "U0YUKI,U0SATO"),  # the requester and the operator
    ]
    assert "data@lawtext.example" in rendered(notices[1])  # the holder agreed to share it
    assert "Answer recorded" in rendered(notices[0])


def test_stages_move_forward_only_and_by_the_right_people(approved):
    factory, request_id, med, law = approved
    with pytest.raises(UserError, match="not accepted"):
        stage(factory, med, Stage.MET, "U0YUKI")
    answer(factory, med, Answer.ACCEPTED, "U0GAKU")
    with pytest.raises(UserError, match="not yours"):
        stage(factory, med, Stage.MET, "U0ALICE")  # another organization
    notices = stage(factory, med, Stage.NDA_SIGNED, "U0KENJI")  # skipping "met" is allowed
    assert "NDA signed" in rendered(notices[0]) and notices[0].ts == "3.000"
    with pytest.raises(UserError, match="“NDA signed”; it cannot move to “Met”"):
        stage(factory, med, Stage.MET, "U0GAKU")
    stage(factory, med, Stage.CONTRACT, "U0GAKU")
    with pytest.raises(UserError, match="cannot move to “No fit”"):
        stage(factory, med, Stage.NO_FIT, "U0SATO")
    assert intros_of(factory, request_id)[0][3] == "contract"


def test_the_stage_rule_table():
    order = [None, "introduced", "met", "nda_signed", "trial", "contract", "no_fit"]
    allowed = {
        (current, new.value) for current in order for new in Stage if stage_allowed(current, new)
    }
    assert allowed == {
        ("introduced", "met"),
        ("introduced", "nda_signed"),
        ("introduced", "trial"),
        ("introduced", "contract"),
        ("introduced", "no_fit"),
        ("met", "nda_signed"),
        ("met", "trial"),
        ("met", "contract"),
        ("met", "no_fit"),
        ("nda_signed", "trial"),
        ("nda_signed", "contract"),
        ("nda_signed", "no_fit"),
        ("trial", "contract"),
        ("trial", "no_fit"),
    }


def test_two_accept_clicks_at_once_record_one_answer_and_one_group_dm(approved):
    factory, request_id, med, _ = approved
    results, barrier = [], threading.Barrier(2)

    def click():
        barrier.wait()
        try:
            results.append(len(answer(factory, med, Answer.ACCEPTED, "U0GAKU")))
        except UserError:
            results.append("refused")

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [2, "refused"]


# --- jobs -----------------------------------------------------------------------------------


def test_unanswered_introductions_become_ignored_and_the_third_pauses_the_holder(programme):
    factory, ids = programme
    for n in range(3):
        request_id, _ = submit(factory)
        review(
            factory,
            request_id,
            RequestStatus.APPROVED,
            [ids["medcorp"]],
            now=NOW + timedelta(days=n),
        )
    later = NOW + timedelta(days=7, hours=1)  # the first is 7 days old; the others not yet
    with factory.begin() as session:
        first = introductions.check_answers(session=session, settings=SETTINGS, now=later)
    assert [n.kind for n in first] == ["intro_ignored", "intro_ignored_operators"]
    with factory.begin() as session:
        notices = introductions.check_answers(
            session=session, settings=SETTINGS, now=later + timedelta(days=2)
        )
        again = introductions.check_answers(
            session=session, settings=SETTINGS, now=later + timedelta(days=2)
        )
    assert len(notices) == 4 and again == []
    assert "left out of matching" in rendered(notices[-1])
    with factory.begin() as session:
        med = session.get(DataHolder, ids["medcorp"])
        assert (med.ignored_streak, med.matching_paused) == (3, True)
    # a late answer still counts, and resets the streak
    request_id = intros_of(factory, 1)[0][0]
    answer(factory, request_id, Answer.ACCEPTED, "U0GAKU")
    with factory.begin() as session:
        assert session.get(DataHolder, ids["medcorp"]).ignored_streak == 0


def test_follow_ups_go_to_both_sides_once_after_the_delay(approved):
    factory, request_id, med, _ = approved
    answer(factory, med, Answer.ACCEPTED, "U0GAKU")
    with factory.begin() as session:
        early = introductions.send_followups(
            session=session, settings=SETTINGS, now=NOW + timedelta(days=13)
        )
        due = introductions.send_followups(
            session=session, settings=SETTINGS, now=NOW + timedelta(days=14, minutes=1)
        )
        again = introductions.send_followups(
            session=session, settings=SETTINGS, now=NOW + timedelta(days=15)
        )
    assert early == [] and again == []
    assert [(n.kind, n.channel) for n in due] == [
        ("intro_follow_up", "U0YUKI"),
        ("intro_follow_up", "U0GAKU"),
    ]
    text = rendered(due[0])
    for button in ("Met", "NDA signed", "Trial", "Contract", "No fit"):
        assert button in text


def test_requests_idle_past_the_deadline_remind_the_operators_once(programme):
    factory, _ = programme
    request_id, _ = submit(factory)
    with factory.begin() as session:
        early = introductions.remind_idle(
            session=session, settings=SETTINGS, now=NOW + timedelta(days=4)
        )
        due = introductions.remind_idle(
            session=session, settings=SETTINGS, now=NOW + timedelta(days=5, minutes=1)
        )
        again = introductions.remind_idle(
            session=session, settings=SETTINGS, now=NOW + timedelta(days=6)
        )
    assert early == [] and again == []
    assert [n.channel for n in due] == ["C0OPS"] and f"#{request_id}" in rendered(due[0])


# --- confidentiality and the pipeline -------------------------------------------------------


def test_other_organizations_never_see_a_request(approved):
    factory, request_id, med, _ = approved
    with factory.begin() as session:
        for user in ("U0ALICE", "U0HANA", "U0GUEST"):
            listing = (
                data_requests.history(
                    session=session, actor=actor(session, user), org_code=None, settings=SETTINGS
                )
                if user != "U0GUEST"
                else None
            )
            if listing is not None:
                assert "clinical" not in json.dumps(listing.blocks).lower()
            with pytest.raises(UserError):
                data_requests.request_form(
                    session=session, actor=actor(session, user), request_id=request_id
                )
            with pytest.raises(UserError):
                data_requests.review_form(
                    session=session,
                    actor=actor(session, user),
                    request_id=request_id,
                    settings=SETTINGS,
                )
        with pytest.raises(UserError):
            data_requests.history(
                session=session, actor=actor(session, "U0ALICE"), org_code="ORGB", settings=SETTINGS
            )
        own = data_requests.history(
            session=session, actor=actor(session, "U0KENJI"), org_code=None, settings=SETTINGS
        )
        text = json.dumps(own.blocks, ensure_ascii=False)
        assert "clinical" in text.lower() and "MedCorpus" in text
        assert "U0GAKU" not in text and "lawtext.example" not in text


def test_the_pipeline_counts_a_funnel_per_organization_and_month(approved):
    factory, request_id, med, law = approved
    answer(factory, med, Answer.ACCEPTED, "U0GAKU")
    stage(factory, med, Stage.NDA_SIGNED, "U0YUKI")
    answer(factory, law, Answer.NOT_NOW, "U0SATO")
    declined, _ = submit(factory, user="U0ALICE", org="ORGA")
    review(factory, declined, RequestStatus.DECLINED, (), "out of scope")
    with factory.begin() as session:
        result = data_pipeline.pipeline(session, SETTINGS)
        with pytest.raises(UserError):
            data_pipeline.pipeline_reply(
                session=session, actor=actor(session, "U0YUKI"), settings=SETTINGS
            )
        reply = data_pipeline.pipeline_reply(
            session=session, actor=actor(session, "U0SATO"), settings=SETTINGS
        )
    steps = result.total.steps
    assert [steps[s] for s in data_pipeline.STEPS] == [2, 1, 2, 1, 1, 1, 0, 0]
    assert result.total.outcomes == {"answer_not_now": 1, "request_declined": 1}
    assert set(result.by_org) == {"Alpha AI", "みらい言語研究所"}
    assert list(result.by_month) == ["2026-04"]
    assert "Requests 2 → approved 1 → holders asked 2 → accepted 1 → met 1 → NDA 1" in (
        reply.text + json.dumps(reply.blocks, ensure_ascii=False)
    )


def test_a_no_fit_after_a_trial_still_counts_the_stages_it_went_through(approved):
    factory, request_id, med, _ = approved
    answer(factory, med, Answer.ACCEPTED, "U0GAKU")
    stage(factory, med, Stage.NDA_SIGNED, "U0YUKI")
    stage(factory, med, Stage.TRIAL, "U0YUKI")
    stage(factory, med, Stage.NO_FIT, "U0YUKI")
    with factory.begin() as session:
        total = data_pipeline.pipeline(session, SETTINGS).total
    assert [total.steps[s] for s in ("accepted", "met", "nda_signed", "trial", "contract")] == [
        1,
        1,
        1,
        1,
        0,
    ]
    assert total.outcomes["no_fit"] == 1


def test_a_request_waiting_for_details_can_still_be_decided_on_what_was_seen(programme):
    factory, ids = programme
    request_id, _ = submit(factory)
    review(factory, request_id, RequestStatus.NEEDS_DETAILS, (), "Which hospitals?")
    with factory.begin() as session:
        view, _ = data_requests.review_form(
            session=session,
            actor=actor(session, "U0SATO"),
            request_id=request_id,
            settings=SETTINGS,
        )
    assert view.status == "needs_details"
    # an operator who opened the review before the question was asked is refused
    with pytest.raises(UserError, match="already reviewed"):
        review(factory, request_id, RequestStatus.DECLINED, (), "stale")
    meta = blocks.ReviewMeta(request_id=request_id, status="needs_details")
    data = review_blocks.ReviewInput(
        meta=meta, decision=RequestStatus.DECLINED, holder_ids=[], text="No answer for weeks"
    )
    with factory.begin() as session:
        notices = data_requests.review(
            session=session, actor=actor(session, "U0SATO"), data=data, settings=SETTINGS, now=NOW
        )
    assert "No answer for weeks" in rendered(notices[0])
    with factory.begin() as session:
        assert store.get_request(session, request_id).status == "declined"
    forged = blocks.ReviewMeta(request_id=request_id, status="approved")  # not a reviewable one
    with factory.begin() as session, pytest.raises(UserError):
        data_requests.review(
            session=session,
            actor=actor(session, "U0SATO"),
            settings=SETTINGS,
            now=NOW,
            data=review_blocks.ReviewInput(
                meta=forged, decision=RequestStatus.DECLINED, holder_ids=[], text="x"
            ),
        )


def test_organization_codes_are_read_full_width_and_any_case_everywhere(approved):
    factory, *_ = approved
    from storage.members import get_org_by_code, get_org_by_code_or_name

    with factory.begin() as session:
        for typed in ("ＯＲＧＢ", "orgb", " ｏｒｇｂ "):
            assert get_org_by_code(session, typed).code == "ORGB"
        assert get_org_by_code_or_name(session, "Ａｌｐｈａ ＡＩ").code == "ORGA"
        own = data_requests.history(
            session=session, actor=actor(session, "U0KENJI"), org_code="ＯＲＧＢ", settings=SETTINGS
        )
    assert "clinical" in json.dumps(own.blocks).lower()
