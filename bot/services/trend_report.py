"""The monthly trend report (issue #8): a draft in Japanese and English, reviewed and approved
by an operator before anything is published.

On the first business day of a month (job `trend_draft`) Kiban drafts the previous month's
report: per theme (`storage.trends.TrendTheme`) the items collected with a short summary each,
and the programme's own figures (GPU-hours used vs plan, evaluation results published,
introductions by stage, event participation) from the other domains. The summaries come from
the LLM (`bot.clients.llm`, an OpenAI-compatible endpoint, bounded timeout, one retry) when it
is configured and answers with usable JSON; otherwise the draft is built from a plain template
of the items' own titles and notes, and says so. The figures are always computed, never
written by the LLM.

The draft goes to the operator channel with **Edit** (a modal per section), **Regenerate** and
**Approve and publish**; publication posts it to `TREND_CHANNELS` (default: the digest
channel) and shares it as Markdown files (ja, en). A report is published once (one
conditional UPDATE); editing or regenerating a published report is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from bot.blocks import trend_report as blocks
from bot.blocks.common import escape, truncate_mrkdwn
from bot.blocks.introductions import funnel_line
from bot.blocks.trend_report import safe_link
from bot.clients.llm import LLMClient
from bot.clients.slack import Notice
from bot.i18n import LANGS, t
from bot.parsing.urls import clean_link
from bot.services import data_pipeline, event_stats, practices, progress
from bot.services.compute_export import month_end_moment, series_for
from bot.services.members import Actor, user_error
from bot.settings import Settings
from bot.timeutil import month_of, month_start, previous_month
from storage import trends as store
from storage.evals import EvalStatus, EvalSubmission
from storage.trends import TrendItem, TrendReport, TrendTheme

THEMES = [theme.value for theme in TrendTheme]
SECTIONS = [*THEMES, "figures"]
SECTION_MAX = 2900  # a section's text in one Block Kit section (3000) with room for its title
ITEMS_FOR_LLM = 120  # the most items sent in one prompt

SYSTEM_PROMPT = (
    "You write the monthly generative-AI trend report of a government-funded foundation-model "
    "programme, for its participants and the ministry. You receive the month's collected items "
    "(id, theme, title, url, note). For each theme write a short lead paragraph, and for each "
    "item a one-sentence summary based only on its title and note (never invent facts, numbers "
    'or sources). Write everything twice: Japanese ("ja") and English ("en"). Reply with one '
    'JSON object only: {"sections": {"international": {"ja": "...", "en": "..."}, '
    '"use_cases": {...}, "economic": {...}, "other": {...}}, "items": {"<id>": {"ja": "...", '
    '"en": "..."}}}. A theme without items gets empty strings. Do not write links: Kiban adds '
    "each item's link itself."
)


@dataclass(frozen=True)
class Figures:
    """The programme's own figures for a month (GPU-hours; counts)."""

    planned: float
    used: float
    unreported: int  # allocations with no report for the month
    evals_published: int
    funnel: object  # data_pipeline.Funnel of the month
    events: int
    went: int
    # (project, its report's month, text) marked for dissemination during the month
    results: tuple[tuple[str, str, str], ...] = ()


def figures(session: Session, settings: Settings, month: str) -> Figures:
    """Plan and usage of every allocation in `month`, results published, introductions of the
    month by stage, events and attendance (each from its domain's own service)."""
    planned = used = 0.0
    unreported = 0
    for series in series_for(session=session, settings=settings, month=month):
        for point in series.points:
            if point.month == month:
                planned += point.planned
                if point.actual is None:
                    unreported += 1
                else:
                    used += point.actual
    start = month_end_moment(previous_month_of(month), settings)
    end = month_end_moment(month, settings)
    published = session.exec(
        select(func.count())
        .select_from(EvalSubmission)
        .where(
            EvalSubmission.status == EvalStatus.PUBLISHED.value,
            EvalSubmission.published_at >= start,
            EvalSubmission.published_at < end,
        )
    ).one()
    funnel = data_pipeline.pipeline(session, settings, month).by_month.get(month)
    stats = event_stats.participation(session, settings, month=month, now=end)
    return Figures(
        planned=planned,
        used=used,
        unreported=unreported,
        evals_published=published,
        funnel=funnel,
        events=len(stats.events),
        went=stats.total.went,
        results=tuple(progress.disseminated_between(session, start, end)),
    )


def previous_month_of(month: str) -> str:
    first = month_start(month)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def figures_text(data: Figures, lang: str) -> str:
    lines = [
        t(
            "trendreport.fig.compute",
            lang,
            used=f"{data.used:,.0f}",
            planned=f"{data.planned:,.0f}",
            unreported=data.unreported,
        ),
        t("trendreport.fig.evals", lang, count=data.evals_published),
        t(
            "trendreport.fig.intros",
            lang,
            funnel=funnel_line(data.funnel, lang) if data.funnel else t("trendreport.none", lang),
        ),
        t("trendreport.fig.events", lang, events=data.events, went=data.went),
    ]
    if data.results:
        lines.append(t("trendreport.fig.results", lang))
        lines += [
            f"  ◦ *{escape(name)}* ({of}): {escape(' '.join(text.split()))}"
            for name, of, text in data.results
        ]
    return _fit("\n".join(lines))


def template_sections(items: list[TrendItem], summaries: dict | None = None) -> dict:
    """Each theme's items as lines (link, then the LLM's summary, or the item's note), in both
    languages; `summaries` maps item id → {"ja", "en"}."""
    sections = {}
    for theme in THEMES:
        mine = [i for i in items if i.theme == theme]
        sections[theme] = {lang: _item_lines(mine, lang, summaries or {}) for lang in LANGS}
    return sections


_ADDER = re.compile(r"^\[[UW][A-Z0-9]+\]\s*")


def _item_lines(items: list[TrendItem], lang: str, summaries: dict) -> str:
    lines = []
    for item in items:
        href = clean_link(item.original_url)
        line = "• " + safe_link(href, item.title or href)
        summary = (summaries.get(str(item.id)) or {}).get(lang) or " / ".join(
            _ADDER.sub("", note) for note in (item.note or "").splitlines() if note.strip()
        )
        if summary:
            line += f" — {escape(summary)}"
        lines.append(line)
    return _fit("\n".join(lines))


def _fit(text: str) -> str:
    return truncate_mrkdwn(text, SECTION_MAX)


def llm_sections(llm: LLMClient | None, month: str, items: list[TrendItem]) -> dict | None:
    """The LLM's sections ({theme: {"ja", "en"}}: its lead paragraph, then Kiban's link lines
    with its one-line summaries), or None when there is no LLM, it failed, or its reply lacks
    a theme or a language. Called after any ack and outside any transaction."""
    if llm is None or not items:
        return None
    payload = {
        "month": month,
        "items": [
            {"id": i.id, "theme": i.theme, "title": i.title, "url": i.url, "note": i.note}
            for i in items[:ITEMS_FOR_LLM]
        ],
    }
    reply = llm.complete_json(system=SYSTEM_PROMPT, user=payload) or {}
    sections = reply.get("sections")
    if not isinstance(sections, dict):
        return None
    summaries = {
        str(k): {g: str(v.get(g, ""))[:500] for g in LANGS}
        for k, v in (reply.get("items") or {}).items()
        if isinstance(v, dict)
    }
    lines = template_sections(items, summaries)
    out = {}
    for theme in THEMES:
        entry = sections.get(theme) or {}
        if not isinstance(entry, dict) or not all(isinstance(entry.get(g), str) for g in LANGS):
            return None
        out[theme] = {
            g: _fit("\n".join(p for p in (escape(entry[g].strip()), lines[theme][g]) if p))
            for g in LANGS
        }
    return out


def draft(
    *,
    session: Session,
    settings: Settings,
    month: str,
    now: datetime,
    written: dict | None,
    llm_configured: bool,
    actor: Actor | None = None,
) -> tuple[TrendReport, list[Notice]]:
    """Store `month`'s draft (or a new revision of it, when `actor` regenerates it) and the
    notice for the operator channel (posted, or updated in place when posted before).
    `written`: the LLM's sections from `llm_sections`, asked *outside* this transaction (it
    may take its whole timeout); None → the template, and the draft says why. Raises UserError
    when the month's report is already published (or `actor` is not an operator)."""
    if actor is not None:
        actor.require_operator()
    if month >= month_of(now, settings.tz):  # the current month, or one still to come
        raise user_error("trend.error.month_not_over", month=month)
    report = store.report_of(session, month)
    if report is not None and report.status == "published":
        raise user_error("trendreport.error.published", month=month)
    items = store.items_of_month(session, month)
    sections = dict(written) if written else template_sections(items)
    data = figures(session, settings, month)
    sections["figures"] = {lang: figures_text(data, lang) for lang in LANGS}
    approved = practices.approved_between(
        session,
        month_end_moment(previous_month_of(month), settings),
        month_end_moment(month, settings),
    )
    if approved:  # the best practices approved in the month close the "other" section
        sections["other"] = {
            lang: _fit(
                "\n".join(
                    part
                    for part in (
                        (sections.get("other") or {}).get(lang, ""),
                        t("trendreport.practices", lang),
                        practices.practice_lines(approved, lang),
                    )
                    if part
                )
            )
            for lang in LANGS
        }
    if report is None:
        report = TrendReport(month=month, drafted_at=now)
    else:
        report.revision += 1
        report.drafted_at = now
    report.sections = sections
    report.generated_with = "llm" if written else "template"
    report.approved_by = None
    session.add(report)
    session.flush()
    why = "llm"
    if not written:
        why = "no_items" if not items else ("llm_failed" if llm_configured else "no_llm")
    by = ("regenerated" if report.revision > 1 else "drafted", actor.user_id) if actor else None
    return report, [draft_notice(report, settings, len(items), why, by=by)]


def items_for(session: Session, month: str) -> list[TrendItem]:
    """The month's items, read before asking the LLM (outside the drafting transaction)."""
    return store.items_of_month(session, month)


def draft_notice(
    report: TrendReport, settings: Settings, count: int, why: str, *, by: tuple | None
) -> Notice:
    """`why`: how the themes were written (llm, no_llm, llm_failed, no_items, edited); `by`:
    (what, user) when a person drafted, regenerated or edited it. The draft goes to the
    operator channel with its buttons, in place when already posted."""
    snapshot = (report.id, report.month, dict(report.sections), report.revision)
    return Notice(
        channel=report.channel or settings.operator_channel,
        ts=report.message_ts,
        lang=settings.default_language,
        kind="trend_draft",
        ref=f"trend-report:{report.id}",
        render=lambda lang: blocks.draft_message(*snapshot, count, why, by, lang),
    )


def posted(session: Session, notice: Notice, ts: str) -> None:
    """Remember where a draft notice (ref "trend-report:<id>") was posted, to update it in
    place."""
    report_id, channel = int(notice.ref.split(":")[1]), notice.channel
    session.exec(
        update(TrendReport)
        .where(TrendReport.id == report_id)
        .values(channel=channel, message_ts=ts)
    )


def edit_section(
    *,
    session: Session,
    actor: Actor,
    report_id: int,
    section: str,
    texts: dict[str, str],
    settings: Settings,
) -> list[Notice]:
    """An operator's edit of one section in both languages; the draft is re-rendered."""
    report = _draft_for_operator(session, actor, report_id)
    if section not in SECTIONS:
        raise user_error("trendreport.error.section")
    sections = dict(report.sections)
    sections[section] = {g: _fit(texts.get(g, "")) for g in LANGS}
    report.sections = sections
    report.revision += 1
    session.add(report)
    count = len(store.items_of_month(session, report.month))
    why = "llm" if report.generated_with == "llm" else "template"
    return [draft_notice(report, settings, count, why, by=("edited", actor.user_id))]


def _draft_for_operator(session: Session, actor: Actor, report_id: int) -> TrendReport:
    actor.require_operator()
    report = session.get(TrendReport, report_id)
    if report is None:
        raise user_error("trendreport.error.unknown")
    if report.status == "published":
        raise user_error("trendreport.error.published", month=report.month)
    return report


def section_form(*, session: Session, actor: Actor, report_id: int) -> TrendReport:
    return _draft_for_operator(session, actor, report_id)


def approve(
    *, session: Session, actor: Actor, report_id: int, settings: Settings, now: datetime
) -> tuple[list[Notice], list[str]]:
    """Publish the draft (operators): one conditional UPDATE, so two approvals publish once;
    the channels get the report in their language and the Markdown files (ja, en). Returns the
    notices and a list the caller fills with the channels Slack refused *before* delivering
    the last notice (the draft's confirmation, which names where the report went)."""
    report = _draft_for_operator(session, actor, report_id)
    done = session.exec(
        update(TrendReport)
        .where(TrendReport.id == report.id, TrendReport.status == "draft")
        .values(status="published", approved_by=actor.user_id, published_at=now)
    )
    if done.rowcount != 1:
        raise user_error("trendreport.error.published", month=report.month)
    session.refresh(report)
    snapshot = (report.month, dict(report.sections))
    files = [
        (f"trend-report-{report.month}-{lang}.md", blocks.markdown(*snapshot, lang))
        for lang in LANGS
    ]
    channels = settings.trend_channels or [settings.digest_channel]
    notices = [
        Notice(
            channel=channel,
            lang=settings.default_language,
            kind="trend_published",
            render=lambda lang: blocks.published_message(*snapshot, lang),
        )
        for channel in channels
        if channel
    ]
    notices += [
        Notice(
            channel=channel,
            lang=settings.default_language,
            kind="trend_files",
            files=files,
            render=lambda lang: blocks.files_comment(snapshot[0], lang),
        )
        for channel in channels
        if channel
    ]
    failed: list[str] = []  # filled by the caller after delivery (`published_in`)
    where = [c for c in channels if c]
    notices.append(
        Notice(
            channel=report.channel or settings.operator_channel,
            ts=report.message_ts,
            lang=settings.default_language,
            kind="trend_approved",
            ref="trend-approved",
            render=lambda lang: blocks.approved_message(
                snapshot[0], actor.user_id, [c for c in where if c not in failed], failed, lang
            ),
        )
    )
    return notices, failed


def month_to_draft(now: datetime, settings: Settings) -> str:
    """The month a draft made at `now` reports on: the previous one, in the programme zone."""
    return previous_month(now, settings.tz)


__all__ = [
    "SECTIONS",
    "approve",
    "draft",
    "items_for",
    "llm_sections",
    "edit_section",
    "figures",
    "month_to_draft",
    "posted",
    "section_form",
]
