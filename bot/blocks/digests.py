"""Block Kit for scheduled messages: the monthly report reminder, the weekly digests and the
operator digest's compute figures.

The weekly digest is composed of sections, one per domain, each left out when it has nothing
to say (`build_community_digest`, `build_operator_activity`):

* compute: month-to-date GPU-hours against plan per organization, or with
  `DIGEST_VISIBILITY=status` only who reported last month;
* evaluation results published in the last seven days (with `status`, only how many);
* data introductions of the week, as counts only (operators: also the whole funnel);
* events in the next two weeks and last week's participation;
* trend items collected in the week, by theme, each a link;
* operators only: unacknowledged alerts, open change requests, review rounds in progress.

When every section of the shared digest is empty it says "a quiet week" once. A digest longer
than Slack's 50 blocks becomes several messages (`compose`): the first for the channel, the
others for its thread, each starting with a "continued (2/3)" line. Where a section splits
depends only on how many items it has, never on the language.

Limits (SLACK.md): section text 3000 characters and header 150, counted in code points with
the "…" of a cut; a line that alone is longer is cut by `bot.blocks.common.truncate` (never
inside an entity or after a lone combining mark); titles typed by people are escaped and cut
to `TITLE_MAX` before they become a link's label, so a link is never cut in half.

All amounts are GPU-hours; months are `YYYY-MM` and dates `YYYY-MM-DD` in the programme's zone
(JST). None of these messages carries the notes people wrote with their reports, the names of
requesters or data holders, or any contact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block

from bot.blocks.change_requests import RequestView, describe, kind_label
from bot.blocks.common import (
    SECTION_TEXT_MAX,
    Message,
    context,
    date_token,
    divider,
    escape,
    header,
    link_target,
    long_sections,
    section,
    truncate,
)
from bot.blocks.compute import hours
from bot.blocks.eval_leaderboard import EvalDigestLine, build_eval_digest_section
from bot.blocks.events import EventView, counts_line, when
from bot.blocks.introductions import funnel_line
from bot.blocks.reviews import JST
from bot.i18n import CATALOG, t
from bot.parsing.numbers import format_gpu_hours

_DASH = "—"
MAX_BLOCKS = 50  # Slack's limit per message
LINES_PER_SECTION = 20  # lines packed into one section (each section also within 3000 chars)
TITLE_MAX = 200  # an event's or trend item's title, as shown
TREND_MAX = 100  # trend items listed (the rest are counted)
RESULT_MAX = 500  # a disseminated result's text, as shown
EVENT_MAX = 20  # upcoming events listed (the rest are counted)
TREND_THEMES = ("international", "use_cases", "economic", "other")


def build_reminder(org_name: str, month: str, allocations: list[str], lang: str) -> Message:
    """A lead's DM: which allocations still lack a report for `month`."""
    title = t("reminder.title", lang)
    body = t(
        "reminder.body",
        lang,
        org=escape(org_name),
        month=month,
        allocations=", ".join(escape(a) for a in allocations),
    )
    return Message.of(f"{title}: {body}", [header(title), section(body)])


@dataclass(frozen=True)
class DigestLine:
    """One organization in the shared digest with figures: GPU-hours of its allocations active
    in the month (reported so far, planned)."""

    org_name: str
    used: float
    planned: float


@dataclass(frozen=True)
class ComputeFigures:
    """The compute section with `DIGEST_VISIBILITY=figures`: this month's figures per
    organization and who has not reported last month (`missing`, already labelled)."""

    month: str
    as_of: str
    lines: list[DigestLine]
    last_month: str
    missing: list[str]


@dataclass(frozen=True)
class ReportingStatus:
    """One organization with an allocation active in the month: the labels of the allocations
    not reported for it (empty: every one is reported)."""

    org_name: str
    missing: list[str]


@dataclass(frozen=True)
class ComputeStatus:
    """The compute section with `DIGEST_VISIBILITY=status`: for each organization with an
    allocation in `month` (last month), only whether it reported."""

    month: str
    as_of: str
    statuses: list[ReportingStatus]


@dataclass(frozen=True)
class IntroCounts:
    """Data introductions in the week: requests received, introductions a holder accepted,
    introductions that reached met / NDA / trial / contract. Counts only."""

    requests: int = 0
    accepted: int = 0
    progressed: int = 0

    def __bool__(self) -> bool:
        return bool(self.requests or self.accepted or self.progressed)


@dataclass(frozen=True)
class EvalQueue:
    """Operators only: submissions waiting for a decision (the oldest's submission date) and
    approved ones waiting for their publication time."""

    waiting: int = 0
    oldest: str | None = None
    embargoed: int = 0

    def __bool__(self) -> bool:
        return bool(self.waiting or self.embargoed)


@dataclass(frozen=True)
class DigestEvent:
    """An event in the next two weeks as the digest shows it; `invited` names the invited
    organizations (operators' digest only; empty: open to every organization)."""

    view: EventView
    zone: ZoneInfo
    invited: tuple[str, ...] = ()


@dataclass(frozen=True)
class PastEvent:
    """An event that started in the last seven days: confirmed attendees of a started event
    (`went`), check-ins, and (operators only) the survey's answers and mean rating."""

    title: str
    day: str  # YYYY-MM-DD in the programme's zone
    went: int
    checked_in: int
    surveys: int = 0
    mean_rating: float | None = None


@dataclass(frozen=True)
class TrendLine:
    """A trend item collected in the week: its title as stored (unescaped), its link, and its
    theme (`storage.trends.TrendTheme` values; anything else reads as "other")."""

    title: str
    url: str
    theme: str


@dataclass(frozen=True)
class SharedResult:
    """A survey project's result an operator marked for dissemination in the week: the
    organization's name, the report's month (`YYYY-MM`) and the text as marked (unescaped)."""

    org_name: str
    month: str
    text: str


@dataclass(frozen=True)
class RoundProgress:
    """Operators only: a review round not yet released, with its stage as shown
    (`bot.blocks.reviews.shown_stage`), scorecards done of those assigned, and its deadline."""

    name: str
    kind: str
    stage: str
    scored: int
    assigned: int
    deadline: datetime  # aware


@dataclass(frozen=True)
class OpenAlert:
    """Operators only: one organization × allocation × kind of alert sent in the window and not
    acknowledged: the highest level, when the last was sent and how many were sent."""

    org_name: str
    allocation: str | None
    kind: str
    level: int
    last_sent: str  # YYYY-MM-DD
    count: int = 1


@dataclass(frozen=True)
class Activity:
    """What a digest shows of the programme beyond compute. The shared digest's carries only
    what the community may see (published results, counts of introductions, events open to
    every organization); the operator fields stay empty there."""

    evals: list[EvalDigestLine] = field(default_factory=list)
    evals_count_only: bool = False  # DIGEST_VISIBILITY=status: how many, not who or what
    intros: IntroCounts = field(default_factory=IntroCounts)
    upcoming: list[DigestEvent] = field(default_factory=list)
    upcoming_restricted: int = 0  # events for invited organizations only, left out
    past: list[PastEvent] = field(default_factory=list)
    past_restricted: int = 0
    trends: list[TrendLine] = field(default_factory=list)
    results: list[SharedResult] = field(default_factory=list)  # marked for dissemination
    # operators only
    eval_queue: EvalQueue = field(default_factory=EvalQueue)
    funnel: object | None = None  # data_pipeline.Funnel over every request, None when none
    alerts: list[OpenAlert] = field(default_factory=list)
    alert_days: int = 30
    changes: list[RequestView] = field(default_factory=list)
    reviews: list[RoundProgress] = field(default_factory=list)


@dataclass(frozen=True)
class CommunityDigest:
    """The shared digest: compute as `DIGEST_VISIBILITY` allows, and the community's activity."""

    as_of: str
    compute: ComputeFigures | ComputeStatus
    activity: Activity


# --- composing a digest of sections --------------------------------------------------------


def line_sections(lines: list[str], *, per_section: int = LINES_PER_SECTION) -> list[Block]:
    """Sections holding `lines` (mrkdwn, already escaped), at most `per_section` lines and
    3000 characters each; a line longer than 3000 on its own is cut there, "…" included."""
    chunks: list[list[str]] = []
    size = 0
    for line in lines:
        line = truncate(line, SECTION_TEXT_MAX)
        if chunks and len(chunks[-1]) < per_section and size + 1 + len(line) <= SECTION_TEXT_MAX:
            chunks[-1].append(line)
            size += 1 + len(line)
        else:
            chunks.append([line])
            size = len(line)
    return [section("\n".join(chunk)) for chunk in chunks]


def _pack(head: list[Block], sections: list[list[Block]]) -> list[list[Block]]:
    """Blocks per message: the head, then the sections in order with a divider between two
    in the same message, at most 50 blocks a message and 49 in a continuation (which gets its
    "continued" line). A section that does not fit in what is left of a message already
    holding a section starts the next message; one too long for any message flows on block
    by block."""
    parts: list[list[Block]] = [list(head)]
    holds_section = False

    def room() -> int:
        return (MAX_BLOCKS if len(parts) == 1 else MAX_BLOCKS - 1) - len(parts[-1])

    for blocks in sections:
        if holds_section and len(blocks) + 1 > room() and len(blocks) <= MAX_BLOCKS - 1:
            parts.append([])
        elif holds_section and room() > 1:
            parts[-1].append(divider())
        for block in blocks:
            if room() <= 0:
                parts.append([])
            parts[-1].append(block)
        holds_section = True
    return parts


def compose(title: str, sections: list[list[Block]], lang: str) -> list[Message]:
    """The messages of a digest titled `title`: the first (header, then the sections) for the
    channel, the others for its thread, each opening with "continued (n/N)". Sections that
    are empty are left out. The fallback `text` of each is its title only (short, as a
    notification); everything else is in the blocks."""
    parts = _pack([header(title)], [blocks for blocks in sections if blocks])
    messages = [Message.of(title, parts[0])]
    for number, blocks in enumerate(parts[1:], start=2):
        label = t("digest.weekly.continued", lang, title=title, part=number, total=len(parts))
        messages.append(Message.of(label, [context(label), *blocks]))
    return messages


# --- the shared digest ----------------------------------------------------------------------


def build_community_digest(data: CommunityDigest, lang: str) -> list[Message]:
    """The digest channel's weekly post, as messages (one unless it exceeds 50 blocks): compute
    (figures or status), evaluation results, introductions, events, trends. "A quiet week"
    when every section is empty. Never notes, names of requesters or holders, or contacts."""
    compute = (
        compute_status_blocks(data.compute, lang)
        if isinstance(data.compute, ComputeStatus)
        else compute_figures_blocks(data.compute, lang)
    )
    sections = [compute, *activity_sections(data.activity, lang, operator=False)]
    if not any(sections):
        sections = [[section(t("digest.weekly.quiet", lang))]]
    return compose(t("digest.weekly.title", lang, date=data.as_of), sections, lang)


def compute_figures_blocks(data: ComputeFigures, lang: str) -> list[Block]:
    """Month-to-date GPU-hours vs plan per organization (figures only, never notes), and the
    organizations that have not reported last month. [] when no organization had an
    allocation in either month."""
    if not data.lines and not data.missing:
        return []
    blocks = [
        section(t("digest.section.compute", lang)),
        context(t("digest.intro", lang, month=data.month, date=data.as_of)),
    ]
    if not data.lines:
        blocks.append(section(t("digest.no_orgs", lang)))
    rows = []
    for line in data.lines:
        percent = f"{line.used / line.planned:.0%}" if line.planned else "–"
        rows.append(
            t(
                "digest.org_line",
                lang,
                org=escape(line.org_name),
                used=hours(line.used, lang),
                planned=hours(line.planned, lang),
                percent=percent,
            )
        )
    blocks += line_sections(rows)
    missing = ", ".join(escape(m) for m in data.missing)
    blocks += line_sections(
        [
            t("digest.missing", lang, month=data.last_month, orgs=missing)
            if data.missing
            else t("digest.all_reported", lang, month=data.last_month)
        ]
    )
    return blocks


def compute_status_blocks(data: ComputeStatus, lang: str) -> list[Block]:
    """With `DIGEST_VISIBILITY=status`: for each organization with an allocation in the month
    (last month), only "reported" or "not reported" (naming the allocations). No GPU-hours,
    percentages or totals of any organization, and no notes. [] when none had one."""
    if not data.statuses:
        return []
    rows = [
        t(
            "digest.status.not_reported",
            lang,
            org=escape(s.org_name),
            allocations=", ".join(escape(a) for a in s.missing),
        )
        if s.missing
        else t("digest.status.reported", lang, org=escape(s.org_name))
        for s in data.statuses
    ]
    return [
        section(t("digest.section.compute", lang)),
        context(t("digest.status.intro", lang, month=data.month, date=data.as_of)),
        *line_sections(rows),
    ]


# --- the other domains ---------------------------------------------------------------------


def activity_sections(activity: Activity, lang: str, *, operator: bool) -> list[list[Block]]:
    """The sections beyond compute, in the digest's order (each [] when it has nothing to say):
    operators first get what needs their attention (alerts, change requests, review rounds)."""
    sections = []
    if operator:
        sections += [
            alert_blocks(activity.alerts, activity.alert_days, lang),
            change_blocks(activity.changes, lang),
            review_blocks(activity.reviews, lang),
        ]
    return sections + [
        eval_blocks(activity, lang, operator=operator),
        intro_blocks(activity, lang, operator=operator),
        upcoming_blocks(activity, lang, operator=operator),
        past_event_blocks(activity, lang, operator=operator),
        result_blocks(activity.results, lang),
        trend_blocks(activity.trends, lang),
    ]


def eval_blocks(activity: Activity, lang: str, *, operator: bool) -> list[Block]:
    """Results published in the week: each with its scores and deltas (the evaluation
    section of `bot.blocks.eval_leaderboard`), or with `status` visibility only how many.
    Operators also see what waits for review or for its publication time."""
    lines = activity.evals
    if activity.evals_count_only and not operator:
        return [section(t("digest.evals.count", lang, count=len(lines)))] if lines else []
    blocks = build_eval_digest_section(lines, lang)
    queue = activity.eval_queue
    if operator and queue:
        parts = []
        if queue.waiting:
            parts.append(t("digest.evals.waiting", lang, count=queue.waiting, date=queue.oldest))
        if queue.embargoed:
            parts.append(t("digest.evals.embargoed", lang, count=queue.embargoed))
        if not blocks:
            blocks = [section(t("digest.section.evals", lang))]
        blocks.append(context(" · ".join(parts)))
    return blocks


def intro_blocks(activity: Activity, lang: str, *, operator: bool) -> list[Block]:
    """The week's introductions as counts (never who asked or who holds the data); operators
    also get the funnel over every request (`bot.services.data_pipeline`)."""
    counts = activity.intros
    lines = []
    if counts:
        lines.append(
            t(
                "digest.intros.counts",
                lang,
                requests=counts.requests,
                accepted=counts.accepted,
                progressed=counts.progressed,
            )
        )
    if operator and activity.funnel is not None:
        lines.append(f"*{t('pipeline.title', lang)}*\n{funnel_line(activity.funnel, lang)}")
    if not lines:
        return []
    return line_sections([t("digest.section.intros", lang), *lines])


def _title(text: str) -> str:
    return escape(truncate(text.strip(), TITLE_MAX)) or _DASH


def upcoming_blocks(activity: Activity, lang: str, *, operator: bool) -> list[Block]:
    """Events starting in the next two weeks, soonest first: title, time (a date token: each
    reader sees their own zone), live counts; operators also see the invited organizations.
    The shared digest lists the events open to every organization and counts the others."""
    events = activity.upcoming
    if not events and not activity.upcoming_restricted:
        return []
    blocks: list[Block] = [section(t("digest.section.upcoming", lang))]
    for event in events[:EVENT_MAX]:
        lines = [
            f"*{_title(event.view.title)}*",
            when(event.view, event.zone, lang),
            counts_line(event.view, lang),
        ]
        if operator and event.invited:
            invited = ", ".join(escape(name) for name in event.invited)
            lines.append(t("digest.events.invited", lang, orgs=invited))
        blocks.append(section(truncate("\n".join(lines), SECTION_TEXT_MAX)))
    notes = []
    if len(events) > EVENT_MAX:
        notes.append(t("digest.events.more", lang, count=len(events) - EVENT_MAX))
    if activity.upcoming_restricted:
        notes.append(t("digest.events.restricted", lang, count=activity.upcoming_restricted))
    if notes:
        blocks.append(context(" ".join(notes)))
    return blocks


def past_event_blocks(activity: Activity, lang: str, *, operator: bool) -> list[Block]:
    """Events that started in the last seven days: how many went and checked in (operators:
    and the survey). The shared digest counts events for invited organizations only."""
    if not activity.past and not activity.past_restricted:
        return []
    lines = []
    for event in activity.past:
        line = t(
            "digest.events.past_line",
            lang,
            title=_title(event.title),
            date=event.day,
            went=event.went,
            checked_in=event.checked_in,
        )
        if operator and event.surveys:
            rating = f"{event.mean_rating:.1f}" if event.mean_rating is not None else _DASH
            line += t("digest.events.survey", lang, count=event.surveys, rating=rating)
        lines.append(line)
    if activity.past_restricted:
        lines.append(t("digest.events.restricted", lang, count=activity.past_restricted))
    return line_sections([t("digest.section.past", lang), *lines])


def trend_link(item: TrendLine) -> str:
    """`<url|title>` with the title escaped and cut to `TITLE_MAX`; the URL keeps only what a
    link may carry (`<`, `>`, `|` and spaces percent-encoded, `&` escaped). A URL that is not
    http(s) is not linked: the title (or the URL itself) is shown as plain text."""
    title = escape(truncate(" ".join(item.title.split()), TITLE_MAX))
    url = item.url.strip()
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return title or escape(truncate(url, TITLE_MAX))
    return f"<{link_target(url)}|{title or escape(truncate(url, TITLE_MAX))}>"


def result_blocks(results: list[SharedResult], lang: str) -> list[Block]:
    """Survey projects' results marked for dissemination in the week: one line each, the
    organization and month in bold, the text escaped and cut to `RESULT_MAX` characters."""
    if not results:
        return []
    lines = [
        f"• *{escape(r.org_name)}* ({r.month}): {escape(truncate(' '.join(r.text.split()), RESULT_MAX))}"
        for r in results
    ]
    return line_sections([t("digest.section.results", lang), *lines])


def trend_blocks(items: list[TrendLine], lang: str) -> list[Block]:
    """Trend items collected in the week, by theme (international development, use cases and
    data, economic effects, other), each a section with its link; the first `TREND_MAX`,
    then how many more."""
    if not items:
        return []
    blocks: list[Block] = [section(t("digest.section.trends", lang))]
    by_theme: dict[str, list[TrendLine]] = {theme: [] for theme in TREND_THEMES}
    for item in items[:TREND_MAX]:
        by_theme[item.theme if item.theme in by_theme else "other"].append(item)
    for theme, listed in by_theme.items():
        if not listed:
            continue
        blocks.append(context(t(f"digest.trends.theme.{theme}", lang, count=len(listed))))
        blocks += [section(trend_link(item)) for item in listed]
    if len(items) > TREND_MAX:
        blocks.append(context(t("digest.trends.more", lang, count=len(items) - TREND_MAX)))
    return blocks


# --- operators only ------------------------------------------------------------------------


def _kind(kind: str, lang: str) -> str:
    key = f"kind.{kind}"
    return t(key, lang) if key in CATALOG else kind


def alert_blocks(alerts: list[OpenAlert], days: int, lang: str) -> list[Block]:
    """Alerts sent in the last `days` days that nobody acknowledged, one line per
    organization, allocation and kind."""
    if not alerts:
        return []
    lines = [
        t(
            "digest.alerts.line",
            lang,
            org=escape(a.org_name),
            allocation=f" {escape(a.allocation)}" if a.allocation else "",
            kind=_kind(a.kind, lang),
            level=a.level,
            date=a.last_sent,
            count=a.count,
        )
        for a in alerts
    ]
    return line_sections([t("digest.section.alerts", lang, days=days), *lines])


def change_blocks(changes: list[RequestView], lang: str) -> list[Block]:
    """Change requests waiting for a decision, oldest first."""
    if not changes:
        return []
    lines = [
        t(
            "digest.changes.line",
            lang,
            id=c.id,
            org=escape(c.org_name),
            allocation=escape(c.label),
            kind=kind_label(c.kind, lang),
            what=describe(c, lang),
            date=c.requested_on,
        )
        for c in changes
    ]
    return line_sections([t("digest.section.changes", lang), *lines])


def review_blocks(rounds: list[RoundProgress], lang: str) -> list[Block]:
    """Review rounds not yet released: stage, scorecards done of those assigned, deadline (a
    date token, JST fallback)."""
    if not rounds:
        return []
    lines = []
    for r in rounds:
        local = r.deadline.astimezone(JST)
        fallback = f"{local:%Y-%m-%d %H:%M} JST"
        deadline = date_token(r.deadline, "{date_short_pretty} {time}", fallback)
        lines.append(
            t(
                "digest.reviews.line",
                lang,
                name=escape(r.name),
                kind=t(f"review.kind.{r.kind}", lang),
                stage=t(f"review.stage.{r.stage}", lang),
                scored=r.scored,
                assigned=r.assigned,
                deadline=deadline,
            )
        )
    return line_sections([t("digest.section.reviews", lang), *lines])


def build_operator_activity(activity: Activity, as_of: str, lang: str) -> list[Message]:
    """The operator channel's second weekly post (after the compute figures with their
    charts): alerts, change requests, review rounds, evaluations (with the review queue),
    introductions (with the funnel), events, trends. [] when every section is empty."""
    sections = activity_sections(activity, lang, operator=True)
    if not any(sections):
        return []
    return compose(t("digest.ops.activity.title", lang, date=as_of), sections, lang)


@dataclass(frozen=True)
class AllocationFigures:
    """One allocation in the operator digest, cumulative from the start of its period through
    the digest's month: GPU-hours planned and reported (unreported months count as 0), the
    forecast at period end (None without a burn rate), the status code
    (`bot.services.compute_outlook.Status`), the run-out date (`YYYY-MM-DD`) if early, and
    the normalisation factor of its GPU type (None: no normalised figures)."""

    label: str
    planned_to_date: float
    actual_to_date: float
    forecast_end: float | None
    status: str
    runs_out: str | None = None
    factor: float | None = None


@dataclass(frozen=True)
class OrgFigures:
    """An organization of the operator digest and its allocations."""

    code: str
    name: str
    allocations: list[AllocationFigures]


def _gh(value: float | None, lang: str) -> str:
    return _DASH if value is None else format_gpu_hours(value, lang)


def _variance(actual: float, planned: float, lang: str) -> str:
    """`+350.5 (+11.7%)`: actual − planned GPU-hours, and in % of planned when planned > 0."""
    diff = actual - planned
    text = format_gpu_hours(diff, lang)
    if diff > 0 and text != "< 0.01":
        text = "+" + text
    return f"{text} ({diff / planned * 100:+.1f}%)" if planned > 0 else text


def _allocation_lines(a: AllocationFigures, lang: str) -> list[str]:
    lines = [
        t(
            "digest.ops.allocation",
            lang,
            allocation=escape(a.label),
            planned=_gh(a.planned_to_date, lang),
            actual=_gh(a.actual_to_date, lang),
            variance=_variance(a.actual_to_date, a.planned_to_date, lang),
            forecast=_gh(a.forecast_end, lang),
            status=t(f"compute.status.word.{a.status}", lang, date=a.runs_out or ""),
        )
    ]
    if a.factor is not None:
        f = a.factor
        lines.append(
            t(
                "digest.ops.normalised",
                lang,
                factor=f"{f:g}",
                planned=_gh(a.planned_to_date * f, lang),
                actual=_gh(a.actual_to_date * f, lang),
                variance=_variance(a.actual_to_date * f, a.planned_to_date * f, lang),
                forecast=_gh(None if a.forecast_end is None else a.forecast_end * f, lang),
            )
        )
    return lines


def _operator_parts(
    through: str, as_of: str, orgs: list[OrgFigures], charts_missing: list[str], lang: str
) -> tuple[str, str, list[str]]:
    """The operator digest's title, intro and paragraphs (one per organization, then the
    organizations whose chart is missing)."""
    parts = []
    for org in orgs:
        lines = [t("digest.ops.org", lang, org=escape(org.name), code=escape(org.code))]
        for allocation in org.allocations:
            lines += _allocation_lines(allocation, lang)
        parts.append("\n".join(lines))
    if not orgs:
        parts.append(t("digest.ops.no_allocations", lang))
    if charts_missing:
        parts.append(
            t("digest.ops.chart_missing", lang, orgs=", ".join(escape(o) for o in charts_missing))
        )
    title = t("digest.ops.title", lang)
    return title, t("digest.ops.intro", lang, through=through, date=as_of), parts


def build_operator_digest(
    *,
    through: str,
    as_of: str,
    orgs: list[OrgFigures],
    charts_missing: list[str],
    lang: str,
) -> Message:
    """The operator channel's weekly compute figures, as the comment of the uploaded charts:
    per organization and allocation, plan to date, actual, variance, forecast and status
    through `through` (the last ended month), with normalised GPU-hours where the GPU type
    has a factor; `charts_missing` names the organizations whose chart could not be drawn.

    The text carries everything (a file's comment shows no blocks) and is not cut at 3000
    characters; the blocks repeat its start. Without any chart, post
    `build_operator_digest_posts` instead.
    """
    title, intro, parts = _operator_parts(through, as_of, orgs, charts_missing, lang)
    blocks = [header(title), context(intro)]
    for part in parts:
        blocks += long_sections(part)
    text = "\n\n".join([f"*{title}*\n{intro}", *parts])
    return Message(text=text, blocks=[block.to_dict() for block in blocks[:50]])


def build_operator_digest_posts(
    *,
    through: str,
    as_of: str,
    orgs: list[OrgFigures],
    charts_missing: list[str],
    lang: str,
) -> list[Message]:
    """The same figures as a plain post when no chart could be drawn: the blocks carry them
    (one section or more per organization), split into a first message and its thread's
    continuation beyond 50 blocks (`compose`); the fallback text is the title."""
    title, intro, parts = _operator_parts(through, as_of, orgs, charts_missing, lang)
    body: list[Block] = [context(intro)]
    for part in parts:
        body += long_sections(part)
    return compose(title, [body], lang)
