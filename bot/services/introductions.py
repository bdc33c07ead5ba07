"""Introductions: the double opt-in with each approached data holder, the group DM, the
follow-up, and the jobs that watch them.

- Asking: a contact in the workspace gets a DM (who asks, for what, what data, by when) with
  **Accept**, **Decline** (reason optional), **Not now**; for a contact outside the workspace
  the approving operator gets a ready-to-send email text and records the answer with buttons.
- Accept: a group DM with the requester, the contact and the approving operator gets the
  introduction (for an email contact: the requester and the operator, with the address the
  holder agreed to share). Decline / Not now: the requester and the operators are told.
- Pipeline: after `INTRO_FOLLOWUP_DAYS` both sides get "How is it going?" with stage buttons;
  stages move forward only (`storage.data_requests.stage_allowed`).
- Jobs (daily): answers not given within `INTRO_ANSWER_DAYS` count as ignored (three in a row
  take the holder out of matching, and the operators are told); requests waiting for review
  longer than `DATA_REQUEST_IDLE_DAYS` remind the operators.

Authorization: only the asked contact answers (an operator for an email contact); only the
requesting organization's members, the contact and operators move the stage.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.blocks import data_requests as request_blocks
from bot.blocks import introductions as blocks
from bot.clients.slack import Notice
from bot.errors import UserError
from bot.services.data_views import org_name, request_view
from bot.services.members import Actor, user_error, user_error_in
from bot.settings import Settings
from storage import data_holders as holder_store
from storage import data_requests as store
from storage.data_holders import IGNORED_LIMIT, DataHolder
from storage.data_requests import Answer, Introduction, Stage, stage_allowed


def ask_notices(
    intro: Introduction, holder: DataHolder, view: request_blocks.RequestView, settings: Settings
) -> list[Notice]:
    """The ask for one approved introduction: the contact's DM with the answer buttons, or
    the email text (with record buttons) for the approving operator."""
    card = blocks.AskCard(intro_id=intro.id, holder_name=holder.name, request=view)
    if intro.contact_user:
        return [
            Notice(
                channel=intro.contact_user,
                render=lambda lang: blocks.build_ask_dm(card, lang),
                kind="intro_ask",
                ref=f"intro:{intro.id}",
                report_failure=False,  # asks_undelivered names the holder and the request
            )
        ]
    email = intro.contact_email or ""
    return [
        Notice(
            channel=intro.approved_by,
            render=lambda lang: blocks.build_email_text(card, email, lang),
            kind="intro_email_text",
        )
    ]


def asks_undelivered(
    *, session: Session, failures: list, settings: Settings, now: datetime
) -> list[Notice]:
    """After delivering asks: each ask Slack refused (not a failure in transit, which may
    have arrived) becomes `undelivered` — not the holder ignoring it, so no streak — and the
    operators are told which holder, which request, and Slack's reason, to fix the contact in
    `/data admin`; the requester hears that this holder could not be reached. Returns those
    notes."""
    notices: list[Notice] = []
    for failure in failures:
        ref = failure.notice.ref or ""
        if failure.notice.kind != "intro_ask" or failure.transport or not ref.startswith("intro:"):
            continue
        intro_id = int(ref.split(":", 1)[1])
        if not store.close_pending(session, intro_id, answer=Answer.UNDELIVERED, now=now):
            continue
        intro = store.get_introduction(session, intro_id)
        holder = holder_store.get_holder(session, intro.holder_id)
        card = blocks.UndeliveredCard(
            request_id=intro.request_id,
            holder_name=holder.name,
            contact=intro.contact_user,
            code=failure.code,
        )
        request = store.get_request(session, intro.request_id)
        notices += _tell_both(
            request.requested_by,
            settings,
            "intro_undelivered",
            lambda lang, card=card: blocks.build_undelivered_for_requester(card, lang),
            lambda lang, card=card: blocks.build_undelivered(card, lang),
        )
    return notices


def answer(
    *,
    session: Session,
    actor: Actor,
    intro_id: int,
    answer: Answer,
    reason: str | None,
    settings: Settings,
    now: datetime,
    where: dict | None = None,
) -> list[Notice]:
    """Record the contact's answer (once). `where` is the clicked message (`channel`, `ts`)
    to update in place. Returns the group DM introduction (accept), the requester's and the
    operators' notes (decline / not now), and the updated message.

    Raises UserError when the actor is not the asked contact (nor an operator recording for
    an email contact), or the answer was already given (saying which).
    """
    intro = _intro_for_contact(session, actor, intro_id)
    holder = holder_store.get_holder(session, intro.holder_id)
    if not store.record_answer(
        session, intro.id, answer=answer, user_id=actor.user_id, reason=reason, now=now
    ):
        raise _already_answered(intro)
    holder.ignored_streak = 0  # an answer, whatever it is, is not ignoring
    request = store.get_request(session, intro.request_id)
    view = request_view(session, request, settings)
    card = blocks.AskCard(
        intro_id=intro.id,
        holder_name=holder.name,
        request=view,
        answer=answer.value,
        answered_by=actor.user_id,
        reason=reason,
    )
    notices: list[Notice] = []
    if where and where.get("channel") and where.get("ts"):
        render = (
            (lambda lang: blocks.build_email_recorded(card, lang))
            if intro.contact_email and not intro.contact_user
            else (lambda lang: blocks.build_ask_answered(card, lang))
        )
        notices.append(
            Notice(
                channel=where["channel"],
                ts=where["ts"],
                render=render,
                lang=actor.lang,  # the clicked message's language (a DM id is not a user)
                kind="intro_answered",
            )
        )
    if answer == Answer.ACCEPTED:
        people = [request.requested_by, intro.contact_user, intro.approved_by]
        members = ",".join(dict.fromkeys(p for p in people if p))
        email = intro.contact_email if not intro.contact_user else None
        notices.append(
            Notice(
                channel=members,
                render=lambda lang: blocks.build_group_intro(card, email),
                lang=settings.default_language,
                kind="intro_group_dm",
            )
        )
        return notices
    return notices + _tell_both(
        request.requested_by,
        settings,
        f"intro_{answer.value}",
        lambda lang: blocks.build_answer_for_requester(card, lang),
        lambda lang: blocks.build_answer_for_operators(card, lang),
    )


def answer_form(*, session: Session, actor: Actor, intro_id: int) -> str:
    """The holder's name, for the decline modal, once the actor may answer."""
    intro = _intro_for_contact(session, actor, intro_id)
    if intro.answer not in store.ANSWERABLE:
        raise _already_answered(intro)
    return holder_store.get_holder(session, intro.holder_id).name


def set_stage(
    *,
    session: Session,
    actor: Actor,
    intro_id: int,
    stage: Stage,
    settings: Settings,
    now: datetime,
    where: dict | None = None,
) -> list[Notice]:
    """Move an accepted introduction's stage forward (or to no fit). Returns the clicked
    follow-up message updated in place.

    Raises UserError when the actor is neither in the requesting organization, the contact,
    nor an operator; when the introduction was not accepted; or for a move back or out of a
    final stage (naming the current stage).
    """
    intro = store.get_introduction(session, intro_id)
    request = store.get_request(session, intro.request_id) if intro else None
    allowed = request is not None and (
        actor.is_operator
        or actor.belongs_to(request.organization_id)
        or actor.user_id == intro.contact_user
    )
    if not allowed:
        raise user_error("intro.error.not_yours")
    current = intro.stage
    if not stage_allowed(current, stage) or not store.move_stage(
        session, intro.id, expect=current, to=stage, user_id=actor.user_id, now=now
    ):
        session.refresh(intro)
        raise _stage_refused(intro.stage, stage)
    holder = holder_store.get_holder(session, intro.holder_id)
    card = blocks.FollowUpCard(
        intro_id=intro.id,
        holder_name=holder.name,
        org_name=org_name(session, request),
        request_id=request.id,
        stage=stage.value,
        stage_by=actor.user_id,
    )
    if not (where and where.get("channel") and where.get("ts")):
        return []
    return [
        Notice(
            channel=where["channel"],
            ts=where["ts"],
            render=lambda lang: blocks.build_follow_up(card, lang),
            lang=actor.lang,
            kind="intro_stage",
        )
    ]


# --- jobs -----------------------------------------------------------------------------------


def check_answers(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """Introductions unanswered for `INTRO_ANSWER_DAYS` become ignored: the requester and the
    operators are told; a holder's third ignored introduction in a row takes it out of
    matching (the operators are told once)."""
    notices: list[Notice] = []
    cutoff = now - timedelta(days=settings.intro_answer_days)
    for intro in store.pending_introductions(session, asked_before=cutoff):
        if not store.close_pending(session, intro.id, answer=Answer.IGNORED, now=now):
            continue
        holder = holder_store.get_holder(session, intro.holder_id)
        holder.ignored_streak += 1
        paused_now = holder.ignored_streak >= IGNORED_LIMIT and not holder.matching_paused
        if paused_now:
            holder.matching_paused = True
        request = store.get_request(session, intro.request_id)
        card = blocks.IgnoredCard(
            request_id=request.id,
            holder_name=holder.name,
            days=settings.intro_answer_days,
            streak=holder.ignored_streak,
            paused_now=paused_now,
        )
        notices += _tell_both(
            request.requested_by,
            settings,
            "intro_ignored",
            lambda lang, card=card: blocks.build_ignored_for_requester(card, lang),
            lambda lang, card=card: blocks.build_ignored_for_operators(card, lang),
        )
    return notices


def send_followups(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """ "How is it going?" to the requester and the contact of each introduction made
    `INTRO_FOLLOWUP_DAYS` ago, once (claimed, so two replicas send one)."""
    notices: list[Notice] = []
    cutoff = now - timedelta(days=settings.intro_followup_days)
    for intro in store.due_followups(session, introduced_before=cutoff):
        if not store.claim_followup(session, intro.id, now=now):
            continue
        request = store.get_request(session, intro.request_id)
        holder = holder_store.get_holder(session, intro.holder_id)
        card = blocks.FollowUpCard(
            intro_id=intro.id,
            holder_name=holder.name,
            org_name=org_name(session, request),
            request_id=request.id,
            stage=intro.stage,
        )
        for person in dict.fromkeys(p for p in (request.requested_by, intro.contact_user) if p):
            notices.append(
                Notice(
                    channel=person,
                    render=lambda lang, card=card: blocks.build_follow_up(card, lang),
                    kind="intro_follow_up",
                    quiet_hours=True,
                )
            )
    return notices


def remind_idle(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """One operator-channel reminder listing requests waiting for review longer than
    `DATA_REQUEST_IDLE_DAYS` (each reminded again only after another such period)."""
    if not settings.operator_channel:
        return []
    cutoff = now - timedelta(days=settings.data_request_idle_days)
    idle = store.idle_requests(session, before=cutoff)
    if not idle:
        return []
    items = []
    for request in idle:
        request.reminded_at = now
        org = org_name(session, request)
        items.append((request.id, org, request.created_at, request.requested_by, request.status))
    days = settings.data_request_idle_days
    tz = settings.tz
    return [
        Notice(
            channel=settings.operator_channel,
            render=lambda lang: blocks.build_idle_reminder(items, days, tz, lang),
            lang=settings.default_language,
            kind="data_request_idle",
        )
    ]


# --- pieces ---------------------------------------------------------------------------------


def _tell_both(requester: str, settings: Settings, kind: str, for_requester, for_operators):
    """The requester's DM and the operator channel's note about one introduction event
    (`kind`, `kind_operators`); the note only when an operator channel is configured."""
    notices = [Notice(channel=requester, render=for_requester, kind=kind)]
    if settings.operator_channel:
        notices.append(
            Notice(
                channel=settings.operator_channel,
                render=for_operators,
                lang=settings.default_language,
                kind=f"{kind}_operators",
            )
        )
    return notices


def _intro_for_contact(session: Session, actor: Actor, intro_id: int) -> Introduction:
    """The introduction when the actor is its contact (or an operator, for a contact outside
    the workspace); the same refusal otherwise, whether it exists or not."""
    intro = store.get_introduction(session, intro_id)
    if intro is None:
        raise user_error("intro.error.not_yours")
    if intro.contact_user:
        if actor.user_id != intro.contact_user:
            raise user_error("intro.error.not_yours")
    elif not actor.is_operator:
        raise user_error("intro.error.not_yours")
    return intro


def _stage_refused(current: str | None, wanted: Stage) -> UserError:
    if current is None:
        return user_error("intro.error.not_accepted")
    return user_error_in(
        "intro.error.stage",
        lambda lang: dict(
            now=blocks.stage_label(current, lang), wanted=blocks.stage_label(wanted.value, lang)
        ),
    )


def _already_answered(intro: Introduction) -> UserError:
    return user_error_in(
        "intro.error.already_answered",
        lambda lang: dict(answer=blocks.answer_label(intro.answer, lang)),
    )
