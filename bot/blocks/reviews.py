"""Block Kit for review committees (issue #7): the DMs to reviewers (declare conflicts, the
scoring list, reminders), the operators' answers (round list, assignment, completion, ranking
with **Decide** buttons, release) and the result notice. Pure: no I/O.

Reviewers are never named to each other: operator views label them R1, R2, … except where an
operator manages the committee itself (completion, assignment loads). Deadlines are shown as
`<!date^…>` tokens (each reader's zone) with a JST fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    Option,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.common import (
    Message,
    context,
    date_token,
    divider,
    escape,
    header,
    section,
    truncate,
)
from bot.i18n import t
from storage.reviews import ReviewRound, ReviewSubject

if TYPE_CHECKING:  # the aggregation's result shape only
    from bot.services.review_aggregation import SubjectResult

JST = ZoneInfo("Asia/Tokyo")
BUTTON_NAME_MAX = 40  # a button's text holds 75 characters (Block Kit reference)
LIST_MAX = 40  # subjects listed with a button each: within Slack's 50 blocks per message


class Ids:
    DECLARE = "review.declare"
    SCORE = "review.score"
    DECIDE = "review.decide"
    SCORE_PICK = "review.score_pick"  # a select of every subject, past LIST_MAX
    DECIDE_PICK = "review.decide_pick"


class RoundValue(BaseModel):
    round_id: int


class SubjectValue(BaseModel):
    round_id: int
    subject_id: int


@dataclass(frozen=True)
class ListedRound:
    round_: ReviewRound
    subjects: int
    assigned: int  # the reader's own assignments
    scored: int


@dataclass(frozen=True)
class ScoringItem:
    subject: ReviewSubject
    scored: bool


def deadline_text(round_: ReviewRound) -> str:
    local = round_.deadline.astimezone(JST)
    return date_token(round_.deadline, "{date_short_pretty} {time}", f"{local:%Y-%m-%d %H:%M} JST")


def shown_stage(round_: ReviewRound, now: datetime | None) -> str:
    """The stage as people see it: a round still at `scoring` whose deadline has passed shows
    as `closed` (the stored stage only moves on at release)."""
    if round_.stage == "scoring" and now is not None and now >= round_.deadline:
        return "closed"
    return round_.stage


def kind_label(kind: str, lang: str) -> str:
    return t(f"review.kind.{kind}", lang)


def decision_label(decision: str | None, lang: str) -> str:
    return t(f"review.decision.{decision}", lang) if decision else t("review.undecided", lang)


def picker(label: str, action_id: str, choices: list[tuple[str, BaseModel]]) -> ActionsBlock:
    """A select of every subject (a list longer than LIST_MAX sections still reaches each one;
    a round holds at most 90, within Slack's 100 options)."""
    options = [
        Option(text=PlainTextObject(text=truncate(name, 75)), value=value.model_dump_json())
        for name, value in choices[:100]
    ]
    return ActionsBlock(
        elements=[
            StaticSelectElement(
                action_id=action_id, placeholder=PlainTextObject(text=label), options=options
            )
        ]
    )


def _button(text: str, action_id: str, value: BaseModel, *, primary: bool = False):
    return ButtonElement(
        text=text,
        action_id=action_id,
        value=value.model_dump_json(),
        style="primary" if primary else None,
    )


def round_created(round_id: int, name: str, kind: str, lang: str) -> Message:
    text = t("review.created", lang, id=round_id, name=escape(name), kind=kind_label(kind, lang))
    return Message(text)


def subjects_added(round_name: str, added: int, names: list[str], lang: str) -> Message:
    listed = ", ".join(escape(n) for n in names[:LIST_MAX])
    more = len(names) - LIST_MAX
    if more > 0:
        listed += " " + t("review.and_more", lang, count=more)
    return Message(
        t("review.subjects_added", lang, round=escape(round_name), added=added, names=listed)
    )


def round_list(
    items: list[ListedRound], lang: str, *, operator: bool, zone: ZoneInfo, now: datetime
) -> Message:
    if not items:
        return Message(t("review.list.none_operator" if operator else "review.list.none", lang))
    blocks = [header(t("review.list.title", lang))]
    for item in items[:LIST_MAX]:
        r = item.round_
        line = t(
            "review.list.line",
            lang,
            id=r.id,
            name=escape(r.name),
            kind=kind_label(r.kind, lang),
            stage=t(f"review.stage.{shown_stage(r, now)}", lang),
            subjects=item.subjects,
            deadline=deadline_text(r),
        )
        if item.assigned:
            line += "\n" + t("review.list.mine", lang, scored=item.scored, assigned=item.assigned)
        blocks.append(section(line))
    blocks.append(context(t("review.help_short", lang)))
    return Message.of(t("review.list.title", lang), blocks)


def declarations_opened(name: str, count: int, lang: str, *, again: bool = False) -> Message:
    key = "review.conflicts_asked_again" if again else "review.conflicts_opened"
    return Message(t(key, lang, round=escape(name), count=count))


def edited(name: str, round_: ReviewRound, added: int, lang: str) -> Message:
    return Message(
        t("review.edited", lang, round=escape(name), deadline=deadline_text(round_), added=added)
    )


def declaration_request(round_: ReviewRound, lang: str) -> Message:
    text = t(
        "review.declare.request",
        lang,
        round=escape(round_.name),
        kind=kind_label(round_.kind, lang),
        deadline=deadline_text(round_),
    )
    button = _button(
        t("review.declare.button", lang), Ids.DECLARE, RoundValue(round_id=round_.id), primary=True
    )
    return Message.of(text, [section(text), ActionsBlock(elements=[button])])


def declared(round_name: str, names: list[str], moved: list[str], lang: str) -> Message:
    if names:
        text = t(
            "review.declared",
            lang,
            round=escape(round_name),
            names=", ".join(escape(n) for n in names),
        )
    else:
        text = t("review.declared_none", lang, round=escape(round_name))
    if moved:
        text += "\n" + t("review.declared_moved", lang, names=", ".join(escape(n) for n in moved))
    return Message(text)


def reassigned(
    name: str,
    user: str,
    moved: list[str],
    taken: dict[str, list[str]],
    short: dict[str, tuple],
    dropped: list[str],
    lang: str,
) -> Message:
    """Reviewer `user` declared a conflict after the assignment: what was withdrawn, who took
    each over (or that nobody could), and whose scorecards no longer count."""
    lines = [t("review.late_conflict", lang, round=escape(name), user=user)]
    for subject in moved:
        if subject in taken:
            users = ", ".join(f"<@{u}>" for u in taken[subject])
            lines.append(t("review.late_taken", lang, subject=escape(subject), users=users))
        else:
            lines.append(t("review.late_not_taken", lang, subject=escape(subject)))
    if dropped:
        names = ", ".join(escape(n) for n in dropped)
        lines.append(t("review.late_dropped", lang, names=names, user=user))
    if short:
        lines.append(_short_text(short, lang))
    return Message("\n".join(lines))


def _short_text(short: dict[str, tuple[int, int]], lang: str) -> str:
    lines = [
        t("review.short_line", lang, subject=escape(n), have=have, need=need)
        for n, (have, need) in short.items()
    ]
    return t("review.short", lang) + "\n" + "\n".join(lines)


def all_declared(name: str, round_id: int, lang: str) -> Message:
    return Message(t("review.all_declared", lang, round=escape(name), id=round_id))


def scoring_list(
    round_: ReviewRound,
    items: list[ScoringItem],
    lang: str,
    *,
    locked: bool,
    saved: tuple[str, int] | None = None,
) -> Message:
    """The reviewer's subjects: Score (or Edit once scored) each, until the deadline; `saved`
    (subject, revision) adds a line saying that scorecard was just saved."""
    done = sum(1 for i in items if i.scored)
    intro_key = "review.scoring.locked" if locked else "review.scoring.intro"
    intro = t(
        intro_key,
        lang,
        round=escape(round_.name),
        deadline=deadline_text(round_),
        done=done,
        total=len(items),
    )
    blocks = [section(intro)]
    if saved:
        name, revision = saved
        key = "review.scored_edit" if revision > 1 else "review.scored"
        note = t(key, lang, subject=escape(name), revision=revision, deadline=deadline_text(round_))
        blocks.append(context("✅ " + note))
    if not items:
        blocks.append(context(t("review.scoring.nothing", lang)))
    items = sorted(items, key=lambda i: i.scored)  # what is left to score first
    for item in items[:LIST_MAX]:
        s = item.subject
        line = f"*{escape(s.name)}*"
        if s.proposal_title:
            line += f"\n{escape(s.proposal_title)}"
        if s.materials_link:
            line += f"\n<{escape(s.materials_link)}|{t('review.materials', lang)}>"
        line += "\n" + t("review.scoring.done" if item.scored else "review.scoring.todo", lang)
        accessory = None
        if not locked:
            accessory = _button(
                t(
                    "review.scoring.edit" if item.scored else "review.scoring.score",
                    lang,
                    subject=truncate(s.name, BUTTON_NAME_MAX),
                ),
                Ids.SCORE,
                SubjectValue(round_id=round_.id, subject_id=s.id),
                primary=not item.scored,
            )
        blocks.append(section(line, accessory=accessory))
    if len(items) > LIST_MAX:
        blocks.append(context(t("review.and_more", lang, count=len(items) - LIST_MAX)))
        if not locked:
            choices = [
                (i.subject.name, SubjectValue(round_id=round_.id, subject_id=i.subject.id))
                for i in items
            ]
            blocks.append(picker(t("review.scoring.pick", lang), Ids.SCORE_PICK, choices))
    if not locked:
        blocks.append(
            ActionsBlock(
                elements=[
                    _button(
                        t("review.declare.more", lang), Ids.DECLARE, RoundValue(round_id=round_.id)
                    )
                ]
            )
        )
        blocks.append(context(t("review.scoring.private", lang)))
    return Message.of(intro, blocks)


def packet_comment(name: str, lang: str) -> Message:
    return Message(t("review.packet", lang, subject=escape(name)))


def assignment_summary(
    round_: ReviewRound,
    loads: dict[str, int],
    short: dict[str, tuple[int, int]],
    undeclared: list[str],
    lang: str,
) -> Message:
    text = t("review.assigned", lang, round=escape(round_.name), id=round_.id)
    lines = [t("review.load_line", lang, user=u, count=c) for u, c in sorted(loads.items())]
    blocks = [section(text), section("\n".join(lines) or "—")]
    if short:
        blocks.append(section(_short_text(short, lang)))
    if undeclared:
        users = ", ".join(f"<@{u}>" for u in undeclared)
        blocks.append(section(t("review.undeclared", lang, users=users)))
    return Message.of(text, blocks)


def adjusted(
    round_name: str, changed: int, off: dict[str, int], per: int, dropped: list[str], lang: str
) -> Message:
    text = t("review.adjusted", lang, round=escape(round_name), count=changed)
    if off:
        lines = ", ".join(f"{escape(n)} ({c})" for n, c in off.items())
        text += "\n" + t("review.adjusted_off", lang, per=per, subjects=lines)
    if dropped:
        text += "\n" + t("review.adjust_dropped", lang, names=", ".join(dropped))
    return Message(text)


def scored(name: str, revision: int, deadline: datetime, lang: str) -> Message:
    local = deadline.astimezone(JST)
    when = date_token(deadline, "{date_short_pretty} {time}", f"{local:%Y-%m-%d %H:%M} JST")
    key = "review.scored_edit" if revision > 1 else "review.scored"
    return Message(t(key, lang, subject=escape(name), revision=revision, deadline=when))


def completion(
    round_: ReviewRound,
    rows: list[tuple[str, int, int, bool]],
    subjects: int,
    lang: str,
    *,
    zone: ZoneInfo,
    now: datetime,
) -> Message:
    title = t("review.status.title", lang, round=escape(round_.name))
    head = t(
        "review.status.head",
        lang,
        stage=t(f"review.stage.{shown_stage(round_, now)}", lang),
        subjects=subjects,
        deadline=deadline_text(round_),
        locked=t("review.status.locked", lang) if now >= round_.deadline else "",
    )
    lines = []
    for user, scored_, assigned, declared_ in rows:
        if not declared_:
            lines.append(t("review.status.undeclared_line", lang, user=user))
        else:
            lines.append(
                t("review.status.line", lang, user=user, scored=scored_, assigned=assigned)
            )
    total_scored = sum(r[1] for r in rows)
    total = sum(r[2] for r in rows)
    blocks = [
        header(title),
        section(head),
        section("\n".join(lines) or "—"),
        context(t("review.status.total", lang, scored=total_scored, assigned=total)),
    ]
    return Message.of(title, blocks)


def reminder(round_: ReviewRound, left: int, lang: str) -> Message:
    return Message(
        t(
            "review.reminder",
            lang,
            round=escape(round_.name),
            left=left,
            deadline=deadline_text(round_),
        )
    )


def closed(round_: ReviewRound, rows: list, subjects: int, lang: str) -> Message:
    scored_ = sum(r[1] for r in rows)
    assigned = sum(r[2] for r in rows)
    return Message(
        t(
            "review.closed",
            lang,
            round=escape(round_.name),
            id=round_.id,
            scored=scored_,
            assigned=assigned,
        )
    )


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def results(
    round_: ReviewRound,
    ranked: list[SubjectResult],
    subjects: dict[int, ReviewSubject],
    labels: dict[str, str],
    notes: list[tuple[str, str, str]],
    lang: str,
    *,
    normalise: bool,
) -> Message:
    """The ranking, one section per subject with its Decide button."""
    title = t("review.results.title", lang, round=escape(round_.name))
    blocks = [
        header(title),
        context(t("review.results.rules_z" if normalise else "review.results.rules", lang)),
    ]
    for result in ranked[:LIST_MAX]:
        subject = subjects[result.subject_id]
        recs = ", ".join(
            f"{t(f'review.decision.{k}', lang)} {v}"
            for k, v in sorted(result.recommendations.items())
        )
        line = t(
            "review.results.line",
            lang,
            rank=result.rank or "—",
            subject=escape(subject.name),
            mean=_num(result.mean),
            stdev=_num(result.stdev),
            z=_num(result.z),
            cards=result.cards,
            recs=recs or "—",
        )
        if result.outliers:
            flagged = ", ".join(labels.get(u, "?") for u in result.outliers)
            line += "\n" + t("review.results.outlier", lang, reviewers=flagged)
        line += "\n" + t(
            "review.results.decision",
            lang,
            decision=decision_label(subject.decision, lang),
            note=escape(subject.decision_note),
        )
        accessory = None
        if subject.released_at is None:
            accessory = _button(
                t("review.results.decide", lang, subject=truncate(subject.name, BUTTON_NAME_MAX)),
                Ids.DECIDE,
                SubjectValue(round_id=round_.id, subject_id=subject.id),
            )
        blocks.append(section(line, accessory=accessory))
    if len(ranked) > LIST_MAX:
        blocks.append(context(t("review.and_more", lang, count=len(ranked) - LIST_MAX)))
        choices = [
            (subjects[r.subject_id].name, SubjectValue(round_id=round_.id, subject_id=r.subject_id))
            for r in ranked
            if subjects[r.subject_id].released_at is None
        ]
        if choices:
            blocks.append(picker(t("review.results.pick", lang), Ids.DECIDE_PICK, choices))
    if notes:
        blocks.append(divider())
        text = "\n".join(
            f"• *{escape(subject)}* ({label}): {escape(note)}" for subject, label, note in notes
        )
        blocks.append(section(t("review.results.chair_notes", lang) + "\n" + text))
    return Message.of(title, blocks)


def ranking_file_comment(name: str, lang: str) -> Message:
    return Message(t("review.results.csv", lang, round=escape(name)))


def export_comment(name: str, lang: str) -> Message:
    return Message(t("review.export", lang, round=escape(name)))


def done_view(message: Message, lang: str) -> View:
    """A modal's last screen: what was done, and Close (no new message)."""
    return View(
        type="modal",
        title=PlainTextObject(text=t("review.done_title", lang)),
        close=PlainTextObject(text=t("review.done_close", lang)),
        blocks=[section(message.text)],
    )


def decided(name: str, decision: str, lang: str) -> Message:
    return Message(
        t("review.decided", lang, subject=escape(name), decision=decision_label(decision, lang))
    )


def result_notice(round_: ReviewRound, subject: ReviewSubject, lang: str) -> Message:
    """The result as sent to the applicant (or the organization's leads)."""
    text = t(
        "review.result",
        lang,
        round=escape(round_.name),
        subject=escape(subject.name),
        decision=decision_label(subject.decision, lang),
    )
    if subject.decision_note:
        text += "\n" + t("review.result_note", lang, note=escape(subject.decision_note))
    return Message(text)


def external_text(round_: ReviewRound, subject: ReviewSubject) -> str:
    """The ready-to-send email for an external contact: Japanese, then English; the decision's
    note before the signature."""
    parts = []
    for lang in ("ja", "en"):
        note = ""
        if subject.decision_note:
            note = "\n\n" + t("review.result_note", lang, note=subject.decision_note)
        parts.append(
            t(
                "review.email",
                lang,
                round=round_.name,
                subject=subject.name,
                proposal=subject.proposal_title,
                decision=decision_label(subject.decision, lang),
                note=note,
            )
        )
    return "\n\n----\n\n".join(parts)


def released(
    round_: ReviewRound,
    names: list[str],
    external: list[ReviewSubject],
    unreachable: list[str],
    undecided: list[str],
    refused: list[str],
    lang: str,
) -> Message:
    """What a release did: results sent, ready-to-send emails, and what was not sent."""
    if names:
        text = t(
            "review.released",
            lang,
            round=escape(round_.name),
            count=len(names),
            names=", ".join(escape(n) for n in names),
        )
    else:
        text = t("review.released_none", lang, round=escape(round_.name))
    blocks = [section(text)]
    for subject in external[:10]:
        if subject.name in refused:
            continue
        blocks.append(
            section(
                t(
                    "review.email_to",
                    lang,
                    email=escape(subject.contact_email),
                    subject=escape(subject.name),
                )
                + "\n```"
                + escape(external_text(round_, subject))[:2800]
                + "```"
            )
        )
    if refused:
        blocks.append(
            section(t("review.release_failed", lang, names=", ".join(escape(n) for n in refused)))
        )
    if unreachable:
        blocks.append(
            section(t("review.unreachable", lang, names=", ".join(escape(n) for n in unreachable)))
        )
    if undecided:
        blocks.append(
            context(t("review.undecided_left", lang, names=", ".join(escape(n) for n in undecided)))
        )
    return Message.of(text, blocks)
