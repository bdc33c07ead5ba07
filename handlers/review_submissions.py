"""The review committee modals' submissions (issue #7): each parsed, validated and stored
before the ack (inline errors need the database), notices delivered after the commit."""

from __future__ import annotations

from pydantic import BaseModel

from bot.blocks import review_forms as forms
from bot.blocks import reviews as blocks
from bot.parsing.review_subjects import read_subjects_csv
from bot.services import (
    review_assignments,
    review_conflicts,
    review_decisions,
    review_edit,
    review_scoring,
    reviews,
)
from handlers.common import deliver, deps_of, lang_for, load_actor, read_upload, submit_modal
from handlers.errors import guarded
from handlers.home import refresh_home

MAX_CSV_BYTES = 512 * 1024  # 90 applicants with long titles fit in a few kilobytes


def register(app) -> None:
    for callback_id, handler in (
        (forms.Ids.ROUND_SUBMIT, handle_round),
        (forms.Ids.SUBJECTS_SUBMIT, handle_subjects),
        (forms.Ids.IMPORT_SUBMIT, handle_import),
        (forms.Ids.DECLARE_SUBMIT, handle_declaration),
        (forms.Ids.SCORE_SUBMIT, handle_score),
        (forms.Ids.ADJUST_SUBMIT, handle_adjust),
        (forms.Ids.DECIDE_SUBMIT, handle_decision),
        (forms.Ids.EDIT_SUBMIT, handle_edit),
    ):
        app.view(callback_id)(guarded(handler))


class _Lang(BaseModel):
    """The language every review modal's private_metadata carries (other fields ignored)."""

    lang: str = "ja"


def _lang(view: dict) -> str:
    return _Lang.model_validate_json(view.get("private_metadata") or "{}").lang


# the submissions after which the reviewer's Home changes (scorecards, declarations)
REFRESH_HOME = (forms.Ids.SCORE_SUBMIT, forms.Ids.DECLARE_SUBMIT)


def _submit(ack, body, view, context, default_field: str, parse, act) -> None:
    """`act(session, actor, data, now)` → notices; the shape every submission here shares."""
    deps = deps_of(context)
    lang = _lang(view)
    user = body["user"]["id"]
    now = deps.now()
    callback = view.get("callback_id")

    packets: list[int] = []
    answers: list = []

    def store(session, data):
        result = act(session, load_actor(deps, session, user, lang), data, now, deps)
        if isinstance(result, reviews.Outcome):
            packets.extend(result.packets)
            answers.extend([result.answer] if result.answer else [])
            return result.notices
        return result

    def done():  # an answer replaces the modal: a confirmation without a message
        return blocks.done_view(answers[0](lang), lang) if answers else None

    failures = submit_modal(deps, ack, lang, default_field, parse, store, view=view, done=done)
    send_packets(deps, packets, now)  # after the ack: a packet's chart takes a moment
    if failures is not None and callback in REFRESH_HOME:
        refresh_home(deps, user)


def send_packets(deps, assignment_ids: list[int], now) -> None:
    """Build and send the review packets an operation left to send (after its commit)."""
    if assignment_ids:
        notices = review_assignments.packet_notices(
            session_factory=deps.session_factory,
            settings=deps.settings,
            assignment_ids=assignment_ids,
            lang_of=lambda user_id: lang_for(deps, user_id),
            now=now,
        )
        deliver(deps, notices)


def handle_round(ack, body, view, context) -> None:
    zone = deps_of(context).settings.timezone
    _submit(
        ack,
        body,
        view,
        context,
        forms.Ids.NAME,
        lambda: forms.parse_round_submission(view, zone=zone),
        lambda session, actor, data, now, deps: reviews.create_round(
            session=session, actor=actor, data=data, now=now
        ),
    )


def handle_edit(ack, body, view, context) -> None:
    zone = deps_of(context).settings.timezone
    _submit(
        ack,
        body,
        view,
        context,
        forms.Ids.DEADLINE_DATE,
        lambda: forms.parse_edit(view, zone=zone),
        lambda session, actor, data, now, deps: review_edit.edit_round(
            session=session, actor=actor, data=data, now=now
        ),
    )


def handle_subjects(ack, body, view, context) -> None:
    def act(session, actor, data, now, deps):
        round_id, applicants, org_ids = data
        return reviews.add_subjects(
            session=session,
            actor=actor,
            round_id=round_id,
            applicants=applicants,
            org_ids=org_ids,
            now=now,
        )

    _submit(
        ack,
        body,
        view,
        context,
        forms.Ids.ORG_NAME,
        lambda: forms.parse_subject_submission(view),
        act,
    )


def handle_import(ack, body, view, context) -> None:
    deps = deps_of(context)
    meta = forms.import_meta_of(view)

    def parse():
        _, file = forms.parse_import(view)
        return read_upload(
            deps,
            file,
            forms.Ids.FILE,
            max_bytes=MAX_CSV_BYTES,
            too_large="review.error.csv_too_large",
            read=read_subjects_csv,
        )

    def act(session, actor, applicants, now, deps):
        return reviews.add_subjects(
            session=session,
            actor=actor,
            round_id=meta.round_id,
            applicants=applicants,
            org_ids=[],
            now=now,
        )

    _submit(ack, body, view, context, forms.Ids.FILE, parse, act)


def handle_declaration(ack, body, view, context) -> None:
    def act(session, actor, data, now, deps):
        return review_conflicts.declare(
            session=session,
            actor=actor,
            round_id=data.round_id,
            subject_ids=data.subject_ids,
            none=data.none,
            settings=deps.settings,
            now=now,
        )

    _submit(ack, body, view, context, forms.Ids.NONE, lambda: forms.parse_declaration(view), act)


def handle_score(ack, body, view, context) -> None:
    _submit(
        ack,
        body,
        view,
        context,
        forms.Ids.RECOMMENDATION,
        lambda: forms.parse_score(view),
        lambda session, actor, data, now, deps: review_scoring.save_scorecard(
            session=session, actor=actor, data=data, now=now
        ),
    )


def handle_adjust(ack, body, view, context) -> None:
    def act(session, actor, data, now, deps):
        round_id, chosen = data
        return review_assignments.adjust(
            session=session,
            actor=actor,
            round_id=round_id,
            chosen=chosen,
            now=now,
        )

    _submit(
        ack, body, view, context, forms.Ids.SUBJECT_PREFIX, lambda: forms.parse_adjust(view), act
    )


def handle_decision(ack, body, view, context) -> None:
    _submit(
        ack,
        body,
        view,
        context,
        forms.Ids.DECISION,
        lambda: forms.parse_decision(view),
        lambda session, actor, data, now, deps: review_decisions.decide(
            session=session,
            actor=actor,
            subject_id=data.subject_id,
            decision=data.decision,
            note=data.note,
            seen=data.seen,
            now=now,
        ),
    )
