"""`/review`: review committees (issue #7). Subcommands: create, subjects, import, conflicts,
assign, adjust, status, results, release, list, help; the Declare conflicts, Score and Decide
buttons. Modal submissions are in `handlers.review_submissions`. Bolt calls only the first
listener matching a command, so this one dispatches them all."""

from __future__ import annotations

from bot.blocks import review_forms as forms
from bot.blocks import reviews as blocks
from bot.blocks.common import escape, from_slack_text
from bot.i18n import t
from bot.parsing.text import normalize_input
from bot.services import (
    review_assignments,
    review_conflicts,
    review_decisions,
    review_edit,
    review_scoring,
    reviews,
)
from handlers import review_submissions
from handlers.common import (
    clicked_at,
    deps_of,
    lang_for,
    load_actor,
    open_for_actor,
    transaction,
)
from handlers.errors import guarded
from handlers.review_submissions import send_packets
from storage import reviews as review_store

MODALS = ("create", "subjects", "import", "adjust", "edit")


def register(app) -> None:
    app.command("/review")(guarded(handle_review_command))
    app.action(blocks.Ids.DECLARE)(guarded(handle_declare_button))
    app.action(blocks.Ids.SCORE)(guarded(handle_score_button))
    app.action(blocks.Ids.DECIDE)(guarded(handle_decide_button))
    app.action(blocks.Ids.SCORE_PICK)(guarded(handle_score_button))
    app.action(blocks.Ids.DECIDE_PICK)(guarded(handle_decide_button))
    review_submissions.register(app)


def handle_review_command(ack, command, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = command["user_id"]
    words = from_slack_text(command.get("text")).split()
    sub = normalize_input(words[0]).lower() if words else "list"
    ref = words[1] if len(words) > 1 else ""
    if sub in MODALS and (sub == "create" or ref):  # views.open before any other Slack call
        _open_command_modal(deps, user, command["trigger_id"], respond, sub, ref)
        return
    lang = lang_for(deps, user)
    now = deps.now()
    if sub in ("list", "status") and (sub == "list" or ref):
        with deps.session_factory.begin() as session:
            actor = load_actor(deps, session, user, lang)
            if sub == "list":
                message = reviews.list_rounds(
                    session=session, actor=actor, settings=deps.settings, now=now
                )
            else:
                message = review_scoring.status(
                    session=session, actor=actor, ref=ref, settings=deps.settings, now=now
                )
        respond(text=message.text, blocks=message.blocks)
        return
    if sub in _KNOWN[1:] and ref:
        _run(deps, user, lang, respond, sub, ref, words[2:], now)
        return
    help_text = t("review.help", lang)
    if sub not in ("help",):
        key = "review.needs_round" if sub in _KNOWN + _NEEDS_ROUND else "review.unknown_subcommand"
        help_text = t(key, lang, sub=escape(sub)) + "\n" + help_text
    respond(text=help_text)


_KNOWN = ("status", "conflicts", "assign", "results", "release", "export")
# a modal subcommand without the round's number is told so (create takes none)
_NEEDS_ROUND = ("subjects", "import", "adjust", "edit")


def _run(deps, user: str, lang: str, respond, sub: str, ref: str, extra: list[str], now) -> None:
    """An operator subcommand on a round: store, deliver its notices, answer ephemerally."""
    with transaction(deps) as work:
        session = work.session
        actor = load_actor(deps, session, user, lang)
        round_id = reviews.find_round(session, actor, ref).id
        if sub == "conflicts":
            outcome = review_conflicts.open_declarations(
                session=session, actor=actor, round_id=round_id, now=now
            )
        elif sub == "assign":
            outcome = review_assignments.assign(
                session=session,
                actor=actor,
                round_id=round_id,
                now=now,
            )
        elif sub == "results":
            normalise = any(normalize_input(w).lower() in ("z", "zscore", "z-score") for w in extra)
            outcome = review_decisions.results(
                session=session, actor=actor, ref=str(round_id), normalise=normalise, now=now
            )
        elif sub == "release":
            outcome = review_decisions.release(
                session=session, actor=actor, ref=str(round_id), now=now
            )
        else:
            outcome = review_decisions.export(
                session=session, actor=actor, ref=str(round_id), now=now
            )
        work.send(outcome.notices)
    failures = work.failures
    if sub == "release":
        outcome.refused += _undo_failed_releases(deps, user, lang, outcome.notices, failures, now)
    if outcome.answer:
        message = outcome.answer(lang)
        respond(text=message.text, blocks=message.blocks)
    send_packets(deps, outcome.packets, now)


def _undo_failed_releases(deps, user, lang, notices, failures, now) -> list[str]:
    """A subject whose every result DM Slack refused is not released after all: its names."""
    ids = review_decisions.refused_subjects(notices, failures)
    if not ids:
        return []
    with deps.session_factory.begin() as session:
        return review_decisions.unrelease(
            session=session, actor=load_actor(deps, session, user, lang), subject_ids=ids, now=now
        )


def _value(body: dict) -> str:
    """A button's value, or the chosen option's of a select (the pickers of long lists)."""
    action = body["actions"][0]
    return action.get("value") or (action.get("selected_option") or {}).get("value") or "{}"


def _open_command_modal(deps, user: str, trigger_id: str, respond, sub: str, ref: str) -> None:
    guess = deps.slack.known_lang(user) or deps.settings.default_language
    zone = deps.settings.timezone

    def build(session, actor):
        if sub == "create":
            actor.require_operator()
            return lambda lang: forms.build_round_modal(lang, zone=zone)
        if sub == "edit":
            round_ = review_edit.edit_form(session=session, actor=actor, ref=ref)
            current = [r.user_id for r in review_store.reviewers(session, round_.id)]
            return lambda lang: forms.build_edit_modal(
                round_.id, round_.name, round_.deadline, current, lang, zone=zone
            )
        if sub == "adjust":
            round_, subjects, current = review_assignments.adjust_form(
                session=session, actor=actor, ref=ref
            )
            pairs = [(s.id, s.name) for s in subjects]
            return lambda lang: forms.build_adjust_modal(
                round_.id, round_.name, round_.reviewers_per_subject, pairs, current, lang
            )
        round_, orgs = reviews.subject_form(session=session, actor=actor, ref=ref)
        if sub == "import":
            return lambda lang: forms.build_import_modal(round_.id, round_.name, lang)
        return lambda lang: forms.build_subject_modal(
            round_.id, round_.name, round_.kind, orgs, lang
        )

    open_for_actor(deps, user, trigger_id, respond, guess, build)


def _clicked(ack, body, context, model):
    """Ack a review button (or select) and read it: (deps, user, its value as `model`, the
    language already known for the user, now)."""
    ack()
    deps = deps_of(context)
    user = body["user"]["id"]
    value = model.model_validate_json(_value(body))
    return (
        deps,
        user,
        value,
        deps.slack.known_lang(user) or deps.settings.default_language,
        deps.now(),
    )


def handle_declare_button(ack, body, context, respond) -> None:
    deps, user, value, guess, now = _clicked(ack, body, context, blocks.RoundValue)

    def build(session, actor):
        round_, subjects, declared, has_declared = review_conflicts.declaration_form(
            session=session, actor=actor, ref=str(value.round_id), now=now
        )
        pairs = [(s.id, s.name) for s in subjects]
        return lambda lang: forms.build_declaration_modal(
            round_.id, round_.name, pairs, declared, has_declared, lang
        )

    open_for_actor(deps, user, body["trigger_id"], respond, guess, build)


def handle_score_button(ack, body, context, respond) -> None:
    deps, user, value, guess, now = _clicked(ack, body, context, blocks.SubjectValue)
    where = clicked_at(body)  # the scoring list, updated in place after the save
    in_dm = where["ts"] and not (body.get("container") or {}).get("is_ephemeral")
    opened_from = (where["channel"], where["ts"]) if in_dm else None

    def build(session, actor):
        round_, subject, card = review_scoring.scorecard_form(
            session=session,
            actor=actor,
            round_id=value.round_id,
            subject_id=value.subject_id,
            now=now,
        )
        prefill = None
        if card:
            prefill = {
                "scores": dict(card.scores),
                "comments": card.comments,
                "recommendation": card.recommendation,
                "chair_note": card.chair_note,
            }
        deadline = blocks.deadline_text(round_)
        return lambda lang: forms.build_score_modal(
            round_.id,
            round_.name,
            subject.name,
            subject.proposal_title,
            subject.materials_link,
            round_.criteria,
            round_.scale_max,
            prefill,
            deadline,
            lang,
            subject_id=subject.id,
            opened_from=opened_from,
        )

    open_for_actor(deps, user, body["trigger_id"], respond, guess, build)


def handle_decide_button(ack, body, context, respond) -> None:
    deps, user, value, guess, now = _clicked(ack, body, context, blocks.SubjectValue)

    def build(session, actor):
        round_, subject = review_decisions.decision_form(
            session=session, actor=actor, subject_id=value.subject_id, now=now
        )
        return lambda lang: forms.build_decision_modal(
            subject.id, subject.name, round_.name, subject.decision, subject.decision_note, lang
        )

    open_for_actor(deps, user, body["trigger_id"], respond, guess, build)
