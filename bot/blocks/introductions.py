"""Block Kit for introductions: the contact's ask DM (Accept / Decline / Not now) and its
answered form, the email text for a contact outside the workspace (with record buttons), the
decline modal, the group DM introduction (Japanese and English: its readers' languages
differ), the notes to the requester and operators, the follow-up with stage buttons, the idle
reminder and the `/data pipeline` reply. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel
from slack_sdk.models.blocks import ActionsBlock, ButtonElement
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import Message, context, escape, header, long_sections, section
from bot.blocks.compute import FormErrors
from bot.blocks.data_requests import RequestView, form_error, summary_blocks
from bot.i18n import t
from storage.data_requests import FINAL_STAGES, REASON_MAX, STAGE_ORDER, Answer, Stage

# the funnel's steps, in order: requests, approved, holders asked, accepted, then the stages
STEPS = ("requests", "approved", "asked", "accepted", *[s.value for s in STAGE_ORDER[1:]])


class Ids:
    ACCEPT = "intro.accept"
    DECLINE = "intro.decline"
    NOT_NOW = "intro.not_now"
    DECLINE_SUBMIT = "intro.decline.submit"
    STAGE = "intro.stage"  # + ":<stage>"
    REASON = "reason"


class IntroMeta(BaseModel):
    """A button's value, and the decline modal's metadata (with the clicked message)."""

    intro_id: int
    lang: str = "ja"
    channel: str | None = None
    ts: str | None = None


@dataclass(frozen=True)
class AskCard:
    intro_id: int
    holder_name: str
    request: RequestView
    answer: str = Answer.PENDING.value
    answered_by: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class FollowUpCard:
    intro_id: int
    holder_name: str
    org_name: str
    request_id: int
    stage: str | None
    stage_by: str | None = None


@dataclass(frozen=True)
class IgnoredCard:
    request_id: int
    holder_name: str
    days: int
    streak: int
    paused_now: bool


@dataclass(frozen=True)
class UndeliveredCard:
    request_id: int
    holder_name: str
    contact: str
    code: str


def build_undelivered(card: UndeliveredCard, lang: str) -> Message:
    """The operators' note: an ask Slack refused, and what to do."""
    text = t(
        "intro.undelivered",
        lang,
        holder=escape(card.holder_name),
        id=card.request_id,
        contact=card.contact,
        code=escape(card.code),
    )
    return Message.of(text, [section(text)])


def build_undelivered_for_requester(card: UndeliveredCard, lang: str) -> Message:
    text = t(
        "intro.undelivered_requester", lang, holder=escape(card.holder_name), id=card.request_id
    )
    return Message.of(text, [section(text)])


def answer_label(answer: str, lang: str) -> str:
    return t(f"intro.answer.{answer}", lang)


def stage_label(stage: str, lang: str) -> str:
    return t(f"intro.stage.{stage}", lang)


def _button(action_id: str, text: str, intro_id: int, lang: str, style: str | None = None):
    value = IntroMeta(intro_id=intro_id, lang=lang).model_dump_json()
    return ButtonElement(action_id=action_id, text=text, value=value, style=style)


def _answer_buttons(card: AskCard, lang: str, prefix: str = "") -> ActionsBlock:
    return ActionsBlock(
        block_id="intro_answer",
        elements=[
            _button(
                Ids.ACCEPT, prefix + t("intro.button.accept", lang), card.intro_id, lang, "primary"
            ),
            _button(Ids.DECLINE, prefix + t("intro.button.decline", lang), card.intro_id, lang),
            _button(Ids.NOT_NOW, prefix + t("intro.button.not_now", lang), card.intro_id, lang),
        ],
    )


def _ask_text(card: AskCard, lang: str) -> str:
    view = card.request
    return t(
        "intro.ask",
        lang,
        user=view.requested_by,
        org=escape(view.org_name),
        holder=escape(card.holder_name),
        needed_by=view.needed_by,
    )


def build_ask_dm(card: AskCard, lang: str) -> Message:
    """The contact's DM: who asks, for what, what data, by when; Accept / Decline / Not now."""
    text = _ask_text(card, lang)
    blocks = [
        section(text),
        *summary_blocks(card.request, lang, for_holder=True),
        context(t("intro.ask_note", lang)),
        _answer_buttons(card, lang),
    ]
    return Message.of(text, blocks)


def _answered_note(card: AskCard, lang: str) -> str:
    note = t(
        "intro.answered_note", lang, answer=answer_label(card.answer, lang), user=card.answered_by
    )
    if card.reason:
        note += "\n" + t("intro.reason", lang, text=escape(card.reason))
    return note


def build_ask_answered(card: AskCard, lang: str) -> Message:
    """The ask DM once answered: the same request, the answer instead of the buttons."""
    text = _ask_text(card, lang)
    blocks = [
        section(text),
        *summary_blocks(card.request, lang, for_holder=True),
        *long_sections(_answered_note(card, lang)),
    ]
    return Message.of(text, blocks)


def email_text(card: AskCard, lang: str) -> tuple[str, str]:
    """(subject, body) of the email to a contact outside the workspace, in `lang`."""
    view = card.request
    subject = t("intro.email.subject", lang, org=view.org_name)
    body = t(
        "intro.email.body",
        lang,
        holder=card.holder_name,
        org=view.org_name,
        data=view.data_needed,
        purpose=view.purpose,
        needed_by=view.needed_by,
    )
    return subject, body


def _email_blocks(card: AskCard, email: str, lang: str) -> list:
    parts = []
    for language in ("ja", "en"):  # the contact's language is not known: both
        subject, body = email_text(card, language)
        parts.append(f"{subject}\n\n{body}")
    return [
        section(
            t(
                "intro.email.intro",
                lang,
                holder=escape(card.holder_name),
                email=escape(email),
                id=card.request.id,
            )
        ),
        *long_sections("```" + "\n\n----------\n\n".join(parts).replace("```", "'''") + "```"),
    ]


def build_email_text(card: AskCard, email: str, lang: str) -> Message:
    """For the approving operator: the ready-to-send email, and buttons to record the
    answer the contact gives by email."""
    text = t(
        "intro.email.intro",
        lang,
        holder=escape(card.holder_name),
        email=escape(email),
        id=card.request.id,
    )
    blocks = _email_blocks(card, email, lang) + [
        _answer_buttons(card, lang, prefix=t("intro.button.record", lang))
    ]
    return Message.of(text, blocks)


def build_email_recorded(card: AskCard, lang: str) -> Message:
    """The email-text message once the answer is recorded: no buttons, what was recorded."""
    text = t(
        "intro.email.recorded",
        lang,
        holder=escape(card.holder_name),
        answer=answer_label(card.answer, lang),
        user=card.answered_by,
    )
    return Message.of(text, [section(text), *long_sections(_answered_note(card, lang))])


def build_decline_modal(holder_name: str, meta: IntroMeta, lang: str) -> View:
    """Decline an introduction, with an optional reason (callback `intro.decline.submit`)."""
    blocks = [
        section(t("intro.decline.intro", lang, holder=escape(holder_name))),
        forms.text(
            Ids.REASON,
            t("intro.decline.reason", lang),
            multiline=True,
            max_length=REASON_MAX,
            optional=True,
        ),
    ]
    return forms.modal(
        Ids.DECLINE_SUBMIT,
        title=t("intro.decline.title", lang),
        submit=t("intro.decline.submit", lang),
        close=t("datareq.modal.close", lang),
        metadata=meta.model_copy(update={"lang": lang}).model_dump_json(),
        blocks=blocks,
    )


def decline_meta(view: dict) -> IntroMeta:
    return IntroMeta.model_validate_json(view.get("private_metadata") or "{}")


def parse_decline_submission(view: dict) -> str | None:
    """The optional reason (None when empty). Raises FormErrors when too long."""
    reason = forms.typed(forms.values_of(view), Ids.REASON)
    if len(reason) > REASON_MAX:
        too_long = form_error(
            "datareq.error.too_long", limit=f"{REASON_MAX:,}", count=f"{len(reason):,}"
        )
        raise FormErrors({Ids.REASON: too_long})
    return reason or None


def build_group_intro(card: AskCard, email: str | None) -> Message:
    """The introduction in the group DM, Japanese then English. For a contact outside the
    workspace, the email address the holder agreed to share."""
    view = card.request
    parts = []
    for lang in ("ja", "en"):
        key = "intro.group_email" if email else "intro.group"
        parts.append(
            t(
                key,
                lang,
                user=view.requested_by,
                org=escape(view.org_name),
                holder=escape(card.holder_name),
                contact=card.answered_by,
                email=escape(email or ""),
                id=view.id,
                data=escape(view.data_needed[:500]),
                purpose=escape(view.purpose[:500]),
            )
        )
    blocks = [header(t("intro.group_title", "ja") + " / " + t("intro.group_title", "en"))]
    for part in parts:
        blocks += long_sections(part)
    blocks.append(context(t("intro.group_next", "ja") + "\n" + t("intro.group_next", "en")))
    return Message.of(parts[0], blocks)


def _with_reason(text: str, card: AskCard, lang: str) -> Message:
    blocks = [section(text)]
    if card.reason:
        blocks += long_sections(t("intro.reason", lang, text=escape(card.reason)))
    return Message.of(text, blocks)


def build_answer_for_requester(card: AskCard, lang: str) -> Message:
    """The requester's DM when the holder declines or cannot now."""
    text = t(
        f"intro.requester.{card.answer}", lang, holder=escape(card.holder_name), id=card.request.id
    )
    return _with_reason(text, card, lang)


def build_answer_for_operators(card: AskCard, lang: str) -> Message:
    text = t(
        "intro.operators.answer",
        lang,
        holder=escape(card.holder_name),
        answer=answer_label(card.answer, lang),
        id=card.request.id,
        org=escape(card.request.org_name),
        user=card.answered_by,
    )
    return _with_reason(text, card, lang)


def build_follow_up(card: FollowUpCard, lang: str) -> Message:
    """ "How is it going?" with a button per stage still ahead (none once final)."""
    text = t(
        "intro.follow_up",
        lang,
        holder=escape(card.holder_name),
        org=escape(card.org_name),
        id=card.request_id,
    )
    blocks = [section(text)]
    if card.stage:
        now = t("intro.stage_now", lang, stage=stage_label(card.stage, lang))
        if card.stage_by:
            now += " " + t("intro.stage_by", lang, user=card.stage_by)
        blocks.append(context(now))
    ahead = stages_ahead(card.stage)
    if ahead:
        blocks.append(
            ActionsBlock(
                block_id="intro_stage",
                elements=[
                    _button(
                        f"{Ids.STAGE}:{stage.value}",
                        stage_label(stage.value, lang),
                        card.intro_id,
                        lang,
                        "danger" if stage == Stage.NO_FIT else None,
                    )
                    for stage in ahead
                ],
            )
        )
    return Message.of(text, blocks)


def stages_ahead(stage: str | None) -> list[Stage]:
    """The stages an introduction at `stage` may still move to."""
    if stage is None or Stage(stage) in FINAL_STAGES:
        return []
    index = STAGE_ORDER.index(Stage(stage))
    return [*STAGE_ORDER[index + 1 :], Stage.NO_FIT]


def build_ignored_for_requester(card: IgnoredCard, lang: str) -> Message:
    text = t(
        "intro.ignored.requester",
        lang,
        holder=escape(card.holder_name),
        id=card.request_id,
        days=card.days,
    )
    return Message.of(text, [section(text)])


def build_ignored_for_operators(card: IgnoredCard, lang: str) -> Message:
    text = t(
        "intro.ignored.operators",
        lang,
        holder=escape(card.holder_name),
        id=card.request_id,
        days=card.days,
        streak=card.streak,
    )
    blocks = [section(text)]
    if card.paused_now:
        blocks.append(
            section(
                t("intro.ignored.paused", lang, holder=escape(card.holder_name), streak=card.streak)
            )
        )
    return Message.of(text, blocks)


def build_idle_reminder(items, days: int, tz, lang: str) -> Message:
    """The operators' reminder of open requests: (id, org, created, user, status)."""
    title = t("datareq.idle.title", lang, days=days)
    lines = [
        t(
            "datareq.idle.line",
            lang,
            id=request_id,
            org=escape(org),
            user=user,
            date=created.astimezone(tz).date().isoformat(),
            status=t(f"datareq.status.{status}", lang),
        )
        for request_id, org, created, user, status in items[:40]
    ]
    if len(items) > 40:
        lines.append(t("datareq.idle.more", lang, count=len(items) - 40))
    return Message.of(title, [section(title), *long_sections("\n".join(lines))])


def funnel_line(funnel, lang: str) -> str:
    """`Requests 5 → approved 3 → asked 4 → accepted 2 → met 1 → …` plus the other outcomes."""
    steps = " → ".join(f"{t(f'pipeline.step.{s}', lang)} {funnel.steps[s]}" for s in STEPS)
    others = outcomes_text(funnel, lang)
    return steps + (f"\n{others}" if others else "")


def outcomes_text(funnel, lang: str) -> str:
    """The outcomes besides the funnel (`holders declined 1、not now 1`), "" when none."""
    return ("、" if lang == "ja" else ", ").join(
        f"{t(f'pipeline.outcome.{k}', lang)} {v}" for k, v in sorted(funnel.outcomes.items()) if v
    )


def build_pipeline(pipeline, lang: str) -> Message:
    """`/data pipeline`: the funnel overall, per organization and per month."""
    title = t("pipeline.title", lang)
    if not pipeline.total.steps["requests"]:
        text = t("pipeline.empty", lang)
        return Message.of(text, [header(title), section(text)])
    blocks = [header(title), section(funnel_line(pipeline.total, lang))]
    for key, groups in (
        ("pipeline.by_org", pipeline.by_org),
        ("pipeline.by_month", pipeline.by_month),
    ):
        lines = [f"*{t(key, lang)}*"] + [
            f"• {escape(name)}: {funnel_line(f, lang).replace(chr(10), ' · ')}"
            for name, f in list(groups.items())[:30]
        ]
        blocks += long_sections("\n".join(lines))
    return Message.of(title, blocks[:50])
