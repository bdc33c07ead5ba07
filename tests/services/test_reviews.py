"""Review rounds at the service layer (issue #7), on SQLite and PostgreSQL: every operation
refused to whoever may not do it with nothing changed, stage order, locking at the deadline,
concurrent decisions, release once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.blocks.review_forms import EditInput, RoundInput, ScoreInput, SubjectInput
from bot.errors import UserError
from bot.services import (
    review_assignments,
    review_conflicts,
    review_decisions,
    review_edit,
    review_scoring,
    reviews,
)
from bot.services.admin import import_setup
from bot.services.members import resolve_actor
from bot.settings import Settings
from storage.reviews import ReviewAudit, ReviewSubject, Scorecard
from tests.conftest import SETUP_YAML

NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
DEADLINE = NOW + timedelta(days=7)
SETTINGS = Settings(operator_channel="C0OPS", _env_file=None)
REVIEWERS = ["U0GUEST", "U0GAKU"]


def actor(session, user, lang="ja"):
    return resolve_actor(session, user, lang)


def make_round(session_factory, *, assigned=True):
    """Round 1: two applicants, two reviewers, one per subject, declared and assigned."""
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
    with session_factory.begin() as session:
        sato = actor(session, "U0SATO")
        reviews.create_round(
            session=session,
            actor=sato,
            data=RoundInput(
                name="R",
                kind="selection",
                criteria=[("Technical merit", 2.0), ("独自の観点", 1.0)],
                scale_max=5,
                per_subject=1,
                deadline=DEADLINE,
                reviewers=REVIEWERS,
            ),
            now=NOW,
        )
        reviews.add_subjects(
            session=session,
            actor=sato,
            round_id=1,
            applicants=[SubjectInput("A", "a", contact_user="U0KENJI"), SubjectInput("B", "b")],
            org_ids=[],
            now=NOW,
        )
        review_conflicts.open_declarations(session=session, actor=sato, round_id=1, now=NOW)
    for user in REVIEWERS:
        with session_factory.begin() as session:
            review_conflicts.declare(
                session=session,
                actor=actor(session, user),
                round_id=1,
                subject_ids=[],
                none=True,
                settings=SETTINGS,
                now=NOW,
            )
    if assigned:
        with session_factory.begin() as session:
            review_assignments.assign(
                session=session, actor=actor(session, "U0SATO"), round_id=1, now=NOW
            )


def assigned_subject(session_factory, user) -> int:
    from storage import reviews as store

    with session_factory() as session:
        return store.assignments(session, 1, user_id=user)[0].subject_id


def score(session_factory, user, subject_id, points=(4, 4), now=NOW):
    with session_factory.begin() as session:
        return review_scoring.save_scorecard(
            session=session,
            actor=actor(session, user),
            data=ScoreInput(1, subject_id, {"c1": points[0], "c2": points[1]}, "", "adopt", ""),
            now=now,
        )


def snapshot(session_factory):
    with session_factory() as session:
        return (
            len(session.exec(select(ReviewAudit)).all()),
            [(c.subject_id, c.user_id, c.revision) for c in session.exec(select(Scorecard))],
            [(s.decision, s.released_at) for s in session.exec(select(ReviewSubject))],
        )


def test_default_criteria_keep_their_key_and_typed_ones_do_not(session_factory):
    make_round(session_factory, assigned=False)
    from storage.reviews import ReviewRound

    with session_factory() as session:
        criteria = session.get(ReviewRound, 1).criteria
    assert [(c["key"], c["default"], c["weight"]) for c in criteria] == [
        ("c1", "technical_merit", 2.0),
        ("c2", None, 1.0),
    ]


OPERATOR_ONLY = {
    "conflicts": lambda s, a: review_conflicts.open_declarations(
        session=s, actor=a, round_id=1, now=NOW
    ),
    "assign": lambda s, a: review_assignments.assign(session=s, actor=a, round_id=1, now=NOW),
    "adjust": lambda s, a: review_assignments.adjust(
        session=s, actor=a, round_id=1, chosen={1: ["U0GAKU"]}, now=NOW
    ),
    "subjects": lambda s, a: reviews.add_subjects(
        session=s, actor=a, round_id=1, applicants=[SubjectInput("C", "c")], org_ids=[], now=NOW
    ),
    "results": lambda s, a: review_decisions.results(
        session=s, actor=a, ref="1", normalise=False, now=DEADLINE
    ),
    "decide": lambda s, a: review_decisions.decide(
        session=s, actor=a, subject_id=1, decision="adopt", note="", seen=None, now=DEADLINE
    ),
    "release": lambda s, a: review_decisions.release(session=s, actor=a, ref="1", now=DEADLINE),
    "export": lambda s, a: review_decisions.export(session=s, actor=a, ref="1", now=DEADLINE),
}


@pytest.mark.parametrize("operation", sorted(OPERATOR_ONLY))
@pytest.mark.parametrize("user", ["U0KENJI", "U0ALICE", "U0GAKU", "U0HANA"])
def test_operator_operations_are_refused_to_everyone_else(session_factory, operation, user):
    """A member, an organization lead, a reviewer of the round, someone in no round."""
    make_round(session_factory)
    before = snapshot(session_factory)
    with pytest.raises(UserError) as refused, session_factory.begin() as session:
        OPERATOR_ONLY[operation](session, actor(session, user, "en"))
    if user == "U0GAKU":  # a reviewer of the round: told it is the secretariat's
        assert "secretariat" in refused.value.en
    else:  # anyone else is told there is no such round for them
        assert "no review round `1` that you take part in" in refused.value.en
    assert snapshot(session_factory) == before


def test_a_reviewer_cannot_score_a_subject_not_assigned_to_them(session_factory):
    make_round(session_factory)
    theirs = assigned_subject(session_factory, "U0GUEST")
    before = snapshot(session_factory)
    with pytest.raises(UserError, match="not assigned to you"):
        score(session_factory, "U0GAKU", theirs)
    with pytest.raises(UserError, match="no review round"):  # not a reviewer at all
        score(session_factory, "U0KENJI", theirs)
    assert snapshot(session_factory) == before


def test_scorecards_lock_at_the_deadline(session_factory):
    make_round(session_factory)
    mine = assigned_subject(session_factory, "U0GUEST")
    score(session_factory, "U0GUEST", mine, now=DEADLINE - timedelta(seconds=1))
    with pytest.raises(UserError, match="closed"):
        score(session_factory, "U0GUEST", mine, (1, 1), now=DEADLINE)
    with pytest.raises(UserError, match="closed"), session_factory() as session:
        review_scoring.scorecard_form(
            session=session,
            actor=actor(session, "U0GUEST"),
            round_id=1,
            subject_id=mine,
            now=DEADLINE,
        )
    with session_factory() as session:
        [card] = session.exec(select(Scorecard)).all()
    assert card.scores == {"c1": 4, "c2": 4} and card.revision == 1


def test_an_edit_is_a_new_revision_audited_before_and_after(session_factory):
    make_round(session_factory)
    mine = assigned_subject(session_factory, "U0GUEST")
    score(session_factory, "U0GUEST", mine, (4, 4))
    score(session_factory, "U0GUEST", mine, (2, 5))
    with session_factory() as session:
        [card] = session.exec(select(Scorecard)).all()
        edit = session.exec(
            select(ReviewAudit).where(ReviewAudit.action == "scorecard.edited")
        ).one()
    assert card.revision == 2 and card.scores == {"c1": 2, "c2": 5}
    assert "c1=4 c2=4" in edit.before and "c1=2 c2=5" in edit.after


def test_stages_go_in_order(session_factory):
    make_round(session_factory, assigned=False)
    with pytest.raises(UserError, match="closed"), session_factory.begin() as session:
        reviews.add_subjects(
            session=session,
            actor=actor(session, "U0SATO", "en"),
            round_id=1,
            applicants=[SubjectInput("C", "c")],
            org_ids=[],
            now=NOW,
        )
    with pytest.raises(UserError, match="not been assigned"), session_factory() as session:
        review_decisions.results(
            session=session,
            actor=actor(session, "U0SATO", "en"),
            ref="1",
            normalise=False,
            now=DEADLINE,
        )


def test_two_operators_deciding_at_once_make_one_decision(session_factory):
    make_round(session_factory)
    with session_factory.begin() as session:  # another operator
        import_setup(
            session=session,
            text=SETUP_YAML.replace(
                "U0SATO, role: operator}",
                "U0SATO, role: operator}\n      - {user: U0OPS2, role: operator}",
            ),
        )
    with session_factory.begin() as session:
        review_decisions.decide(
            session=session,
            actor=actor(session, "U0SATO"),
            subject_id=1,
            decision="adopt",
            note="",
            seen=None,
            now=DEADLINE,
        )
    # the second operator's modal was opened when the subject was undecided
    with pytest.raises(UserError) as late, session_factory.begin() as session:
        review_decisions.decide(
            session=session,
            actor=actor(session, "U0OPS2", "en"),
            subject_id=1,
            decision="reject",
            note="",
            seen=None,
            now=DEADLINE,
        )
    assert "<@U0SATO> recorded a decision" in late.value.en
    with session_factory() as session:
        assert session.get(ReviewSubject, 1).decision == "adopt"


def test_release_sends_each_result_once_and_keeps_undecided_ones(session_factory):
    make_round(session_factory)
    with session_factory.begin() as session:
        review_decisions.decide(
            session=session,
            actor=actor(session, "U0SATO"),
            subject_id=1,
            decision="adopt",
            note="",
            seen=None,
            now=DEADLINE,
        )
    with session_factory.begin() as session:
        first = review_decisions.release(
            session=session, actor=actor(session, "U0SATO"), ref="1", now=DEADLINE
        )
    assert [n.channel for n in first.notices] == ["U0KENJI"]
    assert "Not decided yet (not released): B" in str(first.answer("en").blocks)
    with pytest.raises(UserError, match="already been released"), session_factory.begin() as s:
        review_decisions.release(session=s, actor=actor(s, "U0SATO", "en"), ref="1", now=DEADLINE)
    with pytest.raises(UserError, match="already been released"), session_factory.begin() as s:
        review_decisions.decide(
            session=s,
            actor=actor(s, "U0SATO", "en"),
            subject_id=1,
            decision="reject",
            note="",
            seen="adopt",
            now=DEADLINE,
        )


def _second_operator(session_factory):
    with session_factory.begin() as session:
        import_setup(
            session=session,
            text=SETUP_YAML.replace(
                "U0SATO, role: operator}",
                "U0SATO, role: operator}\n      - {user: U0OPS2, role: operator}",
            ),
        )


def test_the_notes_to_the_chair_are_only_in_the_chairs_own_export(session_factory):
    make_round(session_factory)
    _second_operator(session_factory)
    mine = assigned_subject(session_factory, "U0GUEST")
    with session_factory.begin() as session:
        review_scoring.save_scorecard(
            session=session,
            actor=actor(session, "U0GUEST"),
            data=ScoreInput(1, mine, {"c1": 4, "c2": 4}, "", "adopt", "CHAIR-ONLY"),
            now=NOW,
        )

    def scores_csv(user):
        with session_factory() as session:
            outcome = review_decisions.export(
                session=session, actor=actor(session, user, "en"), ref="1", now=DEADLINE
            )
        files = dict(outcome.notices[0].files)
        return files["review-1-scores.csv"].decode("utf-8-sig")

    assert "CHAIR-ONLY" in scores_csv("U0SATO")  # Sato created the round: the chair
    other = scores_csv("U0OPS2")
    assert "CHAIR-ONLY" not in other and "withheld" in other


def test_a_held_three_day_reminder_expires_when_the_one_day_one_is_due(session_factory):
    make_round(session_factory)
    with session_factory.begin() as session:
        [*notices] = review_scoring.remind(
            session=session, settings=SETTINGS, now=DEADLINE - timedelta(days=2, hours=20)
        )
    assert {n.expires_at for n in notices} == {DEADLINE - timedelta(days=1)}
    assert all(n.quiet_hours for n in notices)
    with session_factory.begin() as session:
        later = review_scoring.remind(
            session=session, settings=SETTINGS, now=DEADLINE - timedelta(hours=20)
        )
    assert {n.expires_at for n in later} == {DEADLINE}


def test_conflicts_again_asks_only_those_who_have_not_declared(session_factory):
    make_round(session_factory, assigned=False)
    with session_factory.begin() as session:  # a third reviewer added late, not yet declared
        review_edit.edit_round(
            session=session,
            actor=actor(session, "U0SATO"),
            data=EditInput(1, DEADLINE, [*REVIEWERS, "U0HANA"]),
            now=NOW,
        )
    with session_factory.begin() as session:
        again = review_conflicts.open_declarations(
            session=session, actor=actor(session, "U0SATO", "en"), round_id=1, now=NOW
        )
    assert [n.channel for n in again.notices] == ["U0HANA"]
    assert "asked again" in again.answer("en").text
    with pytest.raises(UserError, match="extend it first"), session_factory.begin() as session:
        review_conflicts.open_declarations(
            session=session, actor=actor(session, "U0SATO", "en"), round_id=1, now=DEADLINE
        )


def test_editing_extends_the_deadline_adds_reviewers_and_never_removes_one(session_factory):
    make_round(session_factory)
    later = DEADLINE + timedelta(days=7)
    with pytest.raises(UserError, match="cannot be removed"), session_factory.begin() as s:
        review_edit.edit_round(
            session=s,
            actor=actor(s, "U0SATO", "en"),
            data=EditInput(1, later, ["U0GUEST"]),
            now=NOW,
        )
    with pytest.raises(UserError, match="future"), session_factory.begin() as s:
        review_edit.edit_round(
            session=s, actor=actor(s, "U0SATO", "en"), data=EditInput(1, NOW, REVIEWERS), now=NOW
        )
    with session_factory.begin() as s:
        outcome = review_edit.edit_round(
            session=s,
            actor=actor(s, "U0SATO", "en"),
            data=EditInput(1, later, [*REVIEWERS, "U0HANA"]),
            now=NOW,
        )
    # Hana is asked to declare; both reviewers with scorecards left get the new deadline
    assert [n.kind for n in outcome.notices] == [
        "review_declare",
        "review_scoring",
        "review_scoring",
        "review_edited",
    ]
    # after the old deadline, scoring is open again until the new one
    score(session_factory, "U0GUEST", assigned_subject(session_factory, "U0GUEST"), now=DEADLINE)


def test_names_are_duplicates_whatever_their_case_and_width(session_factory):
    make_round(session_factory, assigned=False)
    with session_factory.begin() as session:
        sato = actor(session, "U0SATO", "en")
        with pytest.raises(UserError, match="already called"):
            reviews.create_round(
                session=session,
                actor=sato,
                data=RoundInput("ｒ", "selection", [("x", 1.0)], 5, 1, DEADLINE, REVIEWERS),
                now=NOW,
            )
        assert reviews.find_round(session, sato, "Ｒ").id == 1  # found by name, folded too


def test_a_moved_deadline_is_reminded_and_closed_again(session_factory):
    make_round(session_factory)
    with session_factory.begin() as session:
        first = review_scoring.remind(session=session, settings=SETTINGS, now=DEADLINE)
    assert [n.kind for n in first] == ["review_closed"]
    later = DEADLINE + timedelta(days=5)
    with session_factory.begin() as session:
        review_edit.edit_round(
            session=session,
            actor=actor(session, "U0SATO"),
            data=EditInput(1, later, REVIEWERS),
            now=DEADLINE + timedelta(hours=1),
        )
    with session_factory.begin() as session:
        again = review_scoring.remind(
            session=session, settings=SETTINGS, now=later - timedelta(hours=20)
        )
    assert [n.kind for n in again] == ["review_reminder", "review_reminder"]
    with session_factory.begin() as session:
        closed = review_scoring.remind(session=session, settings=SETTINGS, now=later)
    assert [n.kind for n in closed] == ["review_closed"]
