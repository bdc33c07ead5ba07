"""Block Kit for the App Home tab (issue #8): one `home` view per person, with a section for each
role that applies (member, operator, reviewer) or, for someone with none, how to be added.
Pure: no I/O; `bot.services.home` gathers what is shown.

**The block budget.** A Home view holds at most 100 blocks (SLACK.md). The view's top takes
`TOP_BLOCKS`; the rest is shared by the role sections, max-min fair: each section is first
measured at the whole remaining budget, a section needing no more than an equal share gets what
it needs, and what it leaves is shared among the others (`share_budget`). Every section builder
returns at most the budget it is given (at least `MIN_SECTION`, which the fair share always
is: 98 // 3 = 32), so the view never passes 100 blocks however many rows there are. Inside a
section, lists of text go into one section block each, as many lines as fit in its 3000
characters, then "and N more"; only the rows that carry a button (instructions to acknowledge,
subjects to score) take one block each, at most `INSTRUCTIONS_SHOWN` / `SUBJECTS_SHOWN` and
what the budget leaves, with "k shown …and N more" and a command (or a select of every
subject) for the rest.

Buttons reuse the listeners that exist: the review **Score** / **Declare conflicts** buttons and
the subject select are `bot.blocks.reviews`' own ids and values; an instruction's
**Acknowledge** is `Ids.INSTRUCTION_ACK` (handled in `handlers/home.py`: the DM's button
updates its message, which a Home view does not have). Everything else names the command to run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block, ButtonElement
from slack_sdk.models.views import View

from bot.blocks import reviews as review_blocks
from bot.blocks.common import (
    SECTION_TEXT_MAX,
    context,
    date_token,
    divider,
    escape,
    header,
    section,
    truncate,
)
from bot.blocks.events import ListedEvent, when, your_answer
from bot.blocks.instructions import InstructionAck
from bot.i18n import t
from bot.parsing.numbers import format_gpu_hours
from storage.reviews import ReviewRound

VIEW_MAX = 100  # blocks per Home view (SLACK.md)
TOP_BLOCKS = 2  # the header and the "updated" line
MIN_SECTION = 12  # the least budget a role section is ever given (an equal share is ≥ 32)
ORGS_MAX = 3  # organizations with their own compute block; the rest are named as a line
INSTRUCTIONS_SHOWN = 10  # instructions with a button, at most (the rest: a count and a command)
SUBJECTS_SHOWN = 30  # a round's subjects with a button, at most (the rest: a select of all)
LINES_MAX = 20  # lines of one list shown in its section
NAME_MAX = 80  # user text (titles, names) in list lines, before escaping
TEXT_ROOM = SECTION_TEXT_MAX - 300  # list lines in one section; the rest for "and N more", hints
JST = ZoneInfo("Asia/Tokyo")


class Ids:
    INSTRUCTION_ACK = "home.instruction.ack"  # value: bot.blocks.instructions.InstructionAck


# --- what the service gathers ----------------------------------------------------------------


@dataclass(frozen=True)
class AllocationLine:
    """One allocation's position through the last ended month (GPU-hours)."""

    label: str
    granted: float
    used: float
    planned_to_date: float
    status: str  # bot.services.compute_outlook.Status
    runs_out: date | None
    missing_months: list[str]  # ended months (YYYY-MM) with no report


@dataclass(frozen=True)
class OrgCompute:
    name: str
    allocations: list[AllocationLine]


@dataclass(frozen=True)
class InstructionItem:
    id: int
    org_name: str
    title: str
    due: date
    overdue: bool


@dataclass(frozen=True)
class EvalItem:
    org_name: str
    model: str
    revision: str
    status: str  # storage.evals.EvalStatus
    submitted: str  # YYYY-MM-DD in the programme's zone


@dataclass(frozen=True)
class RequestItem:
    id: int
    org_name: str
    data_needed: str
    status: str  # storage.data_requests.RequestStatus
    created: str  # YYYY-MM-DD in the programme's zone


@dataclass
class MemberHome:
    """A member's own organizations only: never another organization's rows."""

    through: str  # the last ended month, YYYY-MM
    orgs: list[OrgCompute]
    instructions: list[InstructionItem]
    instructions_total: int
    evals: list[EvalItem]
    evals_total: int
    requests: list[RequestItem]
    requests_total: int
    events: list[ListedEvent]
    events_total: int


@dataclass(frozen=True)
class RoundStatus:
    """A round as the secretariat sees it: what to do next (`action`, a `home.round.*` key)
    and the figures that key names."""

    round_: ReviewRound
    stage: str  # as shown (bot.blocks.reviews.shown_stage)
    action: str
    params: dict[str, int] = field(default_factory=dict)


@dataclass
class OperatorHome:
    evals: int  # submissions waiting for review
    data_requests: int  # introduction requests waiting for review
    change_requests: int  # compute change requests open
    alerts: int  # alerts not acknowledged, sent within `alert_days`
    alert_days: int
    instructions: int  # open (unacknowledged)
    instructions_overdue: int
    month: str  # the month whose reports are looked for (last month)
    unreported: list[str]  # names of organizations missing that month's report
    rounds: list[RoundStatus]
    rounds_total: int
    progress_missing: int = 0  # survey projects without last month's progress report
    practices: int = 0  # best practices waiting for review
    announcements: int = 0  # public announcements waiting for a second operator


@dataclass(frozen=True)
class ReviewerRound:
    round_: ReviewRound
    stage: str  # as shown
    locked: bool  # the deadline passed
    declared: bool  # the reviewer declared conflicts
    items: list[review_blocks.ScoringItem]  # own assignments only, unscored first


@dataclass
class ReviewerHome:
    rounds: list[ReviewerRound]


@dataclass
class HomeData:
    """Everything one person's Home shows; a role that does not apply is None."""

    now: datetime
    member: MemberHome | None = None
    operator: OperatorHome | None = None
    reviewer: ReviewerHome | None = None


# --- the view ---------------------------------------------------------------------------------


def build_home(data: HomeData, lang: str) -> dict:
    """The `home` view (a dict for `views.publish`, validated by slack_sdk), at most VIEW_MAX
    blocks whatever `data` holds (module docstring)."""
    local = data.now.astimezone(JST)
    updated = date_token(data.now, "{date_short_pretty} {time}", f"{local:%Y-%m-%d %H:%M} JST")
    blocks: list[Block] = [
        header(t("home.title", lang)),
        context(t("home.updated", lang, when=updated)),
    ]
    parts: list[Callable[[int], list[Block]]] = []
    if data.member is not None:
        parts.append(lambda budget, m=data.member: member_blocks(m, lang, budget))
    if data.operator is not None:
        parts.append(lambda budget, o=data.operator: operator_blocks(o, lang, budget))
    if data.reviewer is not None:
        parts.append(lambda budget, r=data.reviewer: reviewer_blocks(r, lang, budget))
    if not parts:
        blocks.append(section(t("home.none", lang)))
    for part, budget in zip(parts, share_budget(parts, VIEW_MAX - TOP_BLOCKS), strict=True):
        blocks += part(budget)
    if len(blocks) > VIEW_MAX:  # the budget makes this impossible; never let Slack refuse it
        raise AssertionError(f"Home view of {len(blocks)} blocks")
    return View(type="home", callback_id="home", blocks=blocks).to_dict()


def share_budget(parts: list[Callable[[int], list]], total: int) -> list[int]:
    """Max-min fair shares of `total` blocks: each part's need is its size given everything;
    parts needing less than an equal share get their need, the rest share what is left equally.
    The shares sum to at most `total`."""
    if not parts:
        return []
    needs = [len(part(total)) for part in parts]
    shares = [0] * len(parts)
    left, waiting = total, sorted(range(len(parts)), key=lambda i: needs[i])
    while waiting:
        equal = left // len(waiting)
        i = waiting.pop(0)
        shares[i] = min(needs[i], equal)
        left -= shares[i]
    return shares


def _lines(title: str, lines: list[str], total: int, lang: str, hint: str = "") -> Block:
    """One section: `title`, as many of `lines` as fit in Slack's 3000 characters (at most
    LINES_MAX), "and N more" (N = `total` − shown, `total` counting rows not even fetched),
    then `hint`."""
    text, shown = title, 0
    for line in lines[:LINES_MAX]:
        if len(text) + 1 + len(line) > TEXT_ROOM:
            break
        text += "\n" + line
        shown += 1
    if total > shown:
        text += "\n" + t("home.and_more", lang, count=total - shown)
    if hint:
        text += "\n" + hint
    return section(text)


def _name(text: str) -> str:
    """User text for a list line: cut to NAME_MAX, then escaped (once)."""
    return escape(truncate(text or "", NAME_MAX))


# --- member -----------------------------------------------------------------------------------


def member_blocks(data: MemberHome, lang: str, budget: int) -> list[Block]:
    """The member's organizations: GPU-hours against plan and reports due, instructions to
    acknowledge (a button each, at most INSTRUCTIONS_SHOWN and what `budget` leaves), own
    evaluation submissions, introduction requests, upcoming events with the member's answer.
    At most `budget` blocks (≥ MIN_SECTION)."""
    blocks: list[Block] = [header(t("home.member.title", lang))]
    shown_orgs = data.orgs[:ORGS_MAX]
    for i, org in enumerate(shown_orgs):
        text = _org_compute(org, data.through, lang)
        if i == len(shown_orgs) - 1 and len(data.orgs) > ORGS_MAX:
            text += "\n" + t("home.member.more_orgs", lang, count=len(data.orgs) - ORGS_MAX)
        blocks.append(section(truncate(text, SECTION_TEXT_MAX)))
    tail = [
        _evals(data, lang),
        _requests(data, lang),
        _events(data, lang),
        divider(),
    ]
    room = budget - len(blocks) - len(tail) - 1  # 1: the instructions' title
    shown = data.instructions[: max(min(room, INSTRUCTIONS_SHOWN), 0)]
    blocks.append(_instructions_title(data, len(shown), lang))
    for item in shown:
        line = t(
            "home.member.instruction",
            lang,
            title=_name(item.title),
            org=_name(item.org_name),
            due=item.due.isoformat(),
        )
        if item.overdue:
            line += f" ({t('instruction.list.overdue', lang)})"
        button = ButtonElement(
            text=t("instruction.ack_button", lang),
            action_id=Ids.INSTRUCTION_ACK,
            value=InstructionAck(instruction_id=item.id).model_dump_json(),
            style="primary",
        )
        blocks.append(section(line, accessory=button))
    return blocks + tail


def _org_compute(org: OrgCompute, through: str, lang: str) -> str:
    lines = [t("home.member.compute", lang, org=_name(org.name), through=through)]
    if not org.allocations:
        lines.append(t("compute.status.no_allocations", lang))
    due = []
    for a in org.allocations[:10]:
        percent = f"{a.used / a.planned_to_date:.0%}" if a.planned_to_date else "–"
        word = t(f"compute.status.word.{a.status}", lang, date=a.runs_out or "")
        lines.append(
            t(
                "home.member.allocation",
                lang,
                allocation=_name(a.label),
                used=format_gpu_hours(a.used, lang),
                planned=format_gpu_hours(a.planned_to_date, lang),
                percent=percent,
                granted=format_gpu_hours(a.granted, lang),
                status=word,
            )
        )
        if a.missing_months:
            months = ", ".join(a.missing_months[:12])
            if len(a.missing_months) > 12:
                months += " " + t("home.and_more", lang, count=len(a.missing_months) - 12)
            due.append(t("home.member.due_line", lang, allocation=_name(a.label), months=months))
    if len(org.allocations) > 10:
        lines.append(t("home.and_more", lang, count=len(org.allocations) - 10))
    if due:
        lines.append(t("home.member.reports_due", lang) + "\n" + "\n".join(due))
    elif org.allocations:
        lines.append(t("home.member.reports_done", lang))
    return "\n".join(lines)


def _instructions_title(data: MemberHome, shown: int, lang: str) -> Block:
    total = data.instructions_total
    if not total:
        return section(t("home.member.instructions.none", lang))
    text = t("home.member.instructions.title", lang, count=total)
    if shown < total:
        text += "\n" + t("home.member.instructions.more", lang, shown=shown, count=total - shown)
    return section(text)


def _evals(data: MemberHome, lang: str) -> Block:
    if not data.evals_total:
        return section(t("home.member.evals.none", lang))
    lines = [
        t(
            "home.member.eval",
            lang,
            model=_name(e.model),
            revision=_name(e.revision),
            org=_name(e.org_name),
            status=t(f"eval.status.{e.status}", lang),
            date=e.submitted,
        )
        for e in data.evals
    ]
    title = t("home.member.evals.title", lang, count=data.evals_total)
    return _lines(title, lines, data.evals_total, lang, t("home.member.evals.hint", lang))


def _requests(data: MemberHome, lang: str) -> Block:
    if not data.requests_total:
        return section(t("home.member.requests.none", lang))
    lines = [
        t(
            "home.member.request",
            lang,
            id=r.id,
            data=_name(r.data_needed),
            org=_name(r.org_name),
            status=t(f"datareq.status.{r.status}", lang),
            date=r.created,
        )
        for r in data.requests
    ]
    title = t("home.member.requests.title", lang, count=data.requests_total)
    return _lines(title, lines, data.requests_total, lang, t("home.member.requests.hint", lang))


def _events(data: MemberHome, lang: str) -> Block:
    if not data.events_total:
        return section(t("home.member.events.none", lang))
    lines = [
        t(
            "home.member.event",
            lang,
            title=_name(item.view.title),
            when=when(item.view, item.zone, lang),
            answer=your_answer(item, lang),
        )
        for item in data.events
    ]
    title = t("home.member.events.title", lang, count=data.events_total)
    return _lines(title, lines, data.events_total, lang, t("home.member.events.hint", lang))


# --- operator ---------------------------------------------------------------------------------


def operator_blocks(data: OperatorHome, lang: str, budget: int) -> list[Block]:
    """The secretariat's queues with a count and the command (or button) to act, the
    organizations missing last month's report, and the review rounds needing action. At most
    five blocks (≤ MIN_SECTION ≤ `budget`)."""
    queues = [
        t("home.queue.evals", lang, count=data.evals),
        t("home.queue.data", lang, count=data.data_requests),
        t("home.queue.changes", lang, count=data.change_requests),
        t("home.queue.alerts", lang, count=data.alerts, days=data.alert_days),
        t(
            "home.queue.instructions",
            lang,
            count=data.instructions,
            overdue=data.instructions_overdue,
        ),
        t("home.queue.reports", lang, count=len(data.unreported), month=data.month),
        t("home.queue.progress", lang, count=data.progress_missing, month=data.month),
        t("home.queue.practices", lang, count=data.practices),
        t("home.queue.announcements", lang, count=data.announcements),
    ]
    blocks: list[Block] = [
        header(t("home.operator.title", lang)),
        section("\n".join(queues)),
    ]
    if data.unreported:
        names = [f"• {_name(n)}" for n in data.unreported]
        title = t("home.operator.unreported", lang, month=data.month)
        hint = t("home.operator.unreported_hint", lang)
        blocks.append(_lines(title, names, len(data.unreported), lang, hint))
    if data.rounds_total:
        lines = [_round_line(r, lang) for r in data.rounds]
        title = t("home.operator.rounds", lang, count=data.rounds_total)
        blocks.append(_lines(title, lines, data.rounds_total, lang, t("home.rounds_hint", lang)))
    else:
        blocks.append(section(t("home.operator.rounds_none", lang)))
    blocks.append(divider())
    return blocks[:budget]


def _round_line(item: RoundStatus, lang: str) -> str:
    r = item.round_
    head = t(
        "home.round.line",
        lang,
        id=r.id,
        name=_name(r.name),
        kind=review_blocks.kind_label(r.kind, lang),
        stage=t(f"review.stage.{item.stage}", lang),
        deadline=review_blocks.deadline_text(r),
    )
    return head + "\n    " + t(f"home.round.{item.action}", lang, id=r.id, **item.params)


# --- reviewer ---------------------------------------------------------------------------------


def reviewer_blocks(data: ReviewerHome, lang: str, budget: int) -> list[Block]:
    """The reviewer's rounds: stage, deadline, own scorecards done of assigned, a **Declare
    conflicts** button while undeclared, and each own subject with its **Score** button while
    scoring is open (unscored first; past SUBJECTS_SHOWN or the budget, "k of n shown" and a
    select of every subject). Never another reviewer's subjects or scores. At most `budget` blocks."""
    blocks: list[Block] = [header(t("home.reviewer.title", lang))]
    room = budget - 2  # the header and the closing divider
    rounds = data.rounds
    if not rounds:
        return blocks + [section(t("home.reviewer.none", lang)), divider()]
    more_rounds = 0
    if len(rounds) > room:
        more_rounds = len(rounds) - (room - 1)
        rounds = rounds[: room - 1]
    room -= len(rounds) + (1 if more_rounds else 0)
    for item in rounds:
        scorable = item.items if _scoring_open(item) else []
        shown = scorable
        picker = False
        if len(scorable) > min(room, SUBJECTS_SHOWN):  # the rest in a select of every subject
            shown = scorable[: max(min(room - 1, SUBJECTS_SHOWN), 0)]
            picker = room >= 1
        room -= len(shown) + (1 if picker else 0)
        blocks.append(_reviewer_round(item, len(shown), lang))
        for entry in shown:
            blocks.append(_subject(item.round_, entry, lang))
        if picker:
            choices = [
                (
                    entry.subject.name,
                    review_blocks.SubjectValue(
                        round_id=item.round_.id, subject_id=entry.subject.id
                    ),
                )
                for entry in scorable
            ]
            blocks.append(
                review_blocks.picker(
                    t("review.scoring.pick", lang), review_blocks.Ids.SCORE_PICK, choices
                )
            )
    if more_rounds:
        blocks.append(context(t("home.reviewer.more_rounds", lang, count=more_rounds)))
    blocks.append(divider())
    return blocks


def _scoring_open(item: ReviewerRound) -> bool:
    return item.stage == "scoring" and not item.locked


def _reviewer_round(item: ReviewerRound, shown: int, lang: str) -> Block:
    r = item.round_
    lines = [
        t(
            "home.round.line",
            lang,
            id=r.id,
            name=_name(r.name),
            kind=review_blocks.kind_label(r.kind, lang),
            stage=t(f"review.stage.{item.stage}", lang),
            deadline=review_blocks.deadline_text(r),
        )
    ]
    scored = sum(1 for i in item.items if i.scored)
    if item.items:
        lines.append(t("home.reviewer.progress", lang, scored=scored, assigned=len(item.items)))
    accessory = None
    undeclared = not item.declared and not item.locked and item.stage in ("conflicts", "scoring")
    if undeclared:
        lines.append(t("home.reviewer.declare", lang))
        accessory = ButtonElement(
            text=t("review.declare.button", lang),
            action_id=review_blocks.Ids.DECLARE,
            value=review_blocks.RoundValue(round_id=r.id).model_dump_json(),
            style="primary",
        )
    elif item.locked:
        lines.append(t("home.reviewer.locked", lang))
    elif item.stage == "setup":
        lines.append(t("home.reviewer.setup", lang))
    elif item.stage == "conflicts":
        lines.append(t("home.reviewer.waiting", lang))
    elif not item.items:
        lines.append(t("review.scoring.nothing", lang))
    if _scoring_open(item) and shown < len(item.items):
        lines.append(t("home.reviewer.shown", lang, shown=shown, total=len(item.items), id=r.id))
    return section("\n".join(lines), accessory=accessory)


def _subject(round_: ReviewRound, item: review_blocks.ScoringItem, lang: str) -> Block:
    """As in the reviewer's scoring DM: name, proposal, materials, done or not, and the same
    Score / Edit button (its listener opens the scorecard)."""
    s = item.subject
    line = f"*{_name(s.name)}*"
    if s.proposal_title:
        line += f"\n{_name(s.proposal_title)}"
    if s.materials_link:
        line += f"\n<{escape(s.materials_link)}|{t('review.materials', lang)}>"
    line += "\n" + t("review.scoring.done" if item.scored else "review.scoring.todo", lang)
    key = "review.scoring.edit" if item.scored else "review.scoring.score"
    button = ButtonElement(
        text=t(key, lang, subject=truncate(s.name, review_blocks.BUTTON_NAME_MAX)),
        action_id=review_blocks.Ids.SCORE,
        value=review_blocks.SubjectValue(round_id=round_.id, subject_id=s.id).model_dump_json(),
        style=None if item.scored else "primary",
    )
    return section(line, accessory=button)
