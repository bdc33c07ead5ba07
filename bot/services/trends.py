"""Collecting trend items for the monthly trend report (issue #8).

Who: members of an organization (not only as a reviewer) and operators add links; someone in
no organization is told how to be added (`error.no_org`), like everywhere else. Operators
see every item of a month and change its theme; members list the items they added.

An item is one page: its URL normalised (`bot.parsing.urls`), unique. Adding a link already
collected merges: the adder's note is appended as a line `[U123] note` (their id alone when
they wrote none, so the list shows who shared it), the first title is kept. `month` is the
month, in the programme's zone, the item was added (a feed's: published).

Titles are never fetched here: the handler fetches the page after Slack's ack and stores it
with `set_title` (a failed fetch stores the URL as the title). Themes come from keyword rules
(`classify`, English and Japanese) at once, then from the LLM when one is configured
(`classify_with_llm`, one call per batch, only after acks: it may take its whole timeout),
and an operator's choice (`set_theme`) is never overwritten by either.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.blocks import trends as blocks
from bot.blocks.common import Message, escape, truncate
from bot.clients.fetch import clean_text
from bot.i18n import t
from bot.parsing.months import parse_month
from bot.parsing.urls import normalize_url, unwrap_link
from bot.services.members import Actor, user_error
from bot.settings import Settings
from storage import trends as store
from storage.db import advisory_lock, insert_once
from storage.members import Role
from storage.trends import TrendItem, TrendTheme

log = logging.getLogger(__name__)

TITLE_MAX = 500
NOTES_MAX = 3000  # TrendItem.note
LLM_BATCH = 30  # items per LLM call
SUMMARY_MAX = 400

# --- themes by keywords -------------------------------------------------------------------------

# English keywords match as words (any case; digits may follow: "GPT-4o", "Qwen2"); Japanese
# ones anywhere in the text. The theme with the most matches wins; a tie goes to the first in
# `RULES` (economic, then use cases, then international: company and model names are mentioned
# in passing more often than an economic figure).
RULES: dict[TrendTheme, tuple[str, ...]] = {
    TrendTheme.ECONOMIC: (
        "productivity",
        "gdp",
        "economic",
        "economy",
        "economics",
        "economist",
        "market",
        "markets",
        "jobs",
        "employment",
        "labor",
        "labour",
        "wage",
        "wages",
        "workforce",
        "investment",
        "revenue",
        "cost savings",
        "macroeconomic",
        "生産性",
        "経済",
        "市場",
        "雇用",
        "労働",
        "賃金",
        "投資",
        "売上",
        "コスト削減",
        "人手不足",
        "経済効果",
    ),
    TrendTheme.USE_CASES: (
        "use case",
        "use cases",
        "case study",
        "adoption",
        "deployment",
        "data",
        "dataset",
        "datasets",
        "healthcare",
        "medical",
        "hospital",
        "clinical",
        "finance",
        "banking",
        "manufacturing",
        "legal",
        "education",
        "retail",
        "customer service",
        "agriculture",
        "public sector",
        "活用",
        "事例",
        "導入",
        "データ",
        "医療",
        "病院",
        "金融",
        "製造",
        "法務",
        "教育",
        "自治体",
        "行政",
        "実証",
        "業務",
    ),
    TrendTheme.INTERNATIONAL: (
        "gpt",
        "chatgpt",
        "llama",
        "gemini",
        "gemma",
        "claude",
        "mistral",
        "mixtral",
        "qwen",
        "deepseek",
        "grok",
        "phi",
        "openai",
        "anthropic",
        "google",
        "deepmind",
        "meta",
        "microsoft",
        "nvidia",
        "alibaba",
        "xai",
        "hugging face",
        "huggingface",
        "arxiv",
        "llm",
        "llms",
        "foundation model",
        "language model",
        "parameters",
        "benchmark",
        "benchmarks",
        "leaderboard",
        "open weights",
        "open-weight",
        "state of the art",
        "sota",
        "mmlu",
        "パラメータ",
        "海外",
        "基盤モデル",
        "大規模言語モデル",
        "ベンチマーク",
        "米国",
        "中国",
        "欧州",
        "オープンウェイト",
    ),
}


def _pattern(words: Iterable[str]) -> re.Pattern:
    ascii_words = sorted((w for w in words if w.isascii()), key=len, reverse=True)
    other = sorted((w for w in words if not w.isascii()), key=len, reverse=True)
    parts = []
    if ascii_words:
        escaped = "|".join(re.escape(w).replace(r"\ ", r"[\s_-]+") for w in ascii_words)
        parts.append(rf"(?<![a-z0-9])(?:{escaped})(?![a-z])")
    if other:
        parts.append("|".join(re.escape(w) for w in other))
    return re.compile("|".join(parts), re.IGNORECASE)


_PATTERNS = {theme: _pattern(words) for theme, words in RULES.items()}


def classify(title: str | None, note: str | None, url: str | None) -> TrendTheme:
    """The theme by keyword rules over the title, the note and the URL's words (English and
    Japanese); `other` when nothing matches."""
    words_of_url = re.sub(r"[^A-Za-z0-9]+", " ", url or "")
    text = " ".join(filter(None, (title, note, words_of_url)))
    scores = {theme: len(pattern.findall(text)) for theme, pattern in _PATTERNS.items()}
    best = max(scores.values())
    if best == 0:
        return TrendTheme.OTHER
    return next(theme for theme in RULES if scores[theme] == best)


# --- who may --------------------------------------------------------------------------------------


def require_collector(actor: Actor) -> None:
    """Operators, and members of an organization in a role other than reviewer. Raises
    UserError: `error.reviewer_only` for a reviewer only, `error.no_org` for someone in none."""
    if actor.is_operator:
        return
    if any(role != Role.REVIEWER.value for role in actor.roles.values()):
        return
    raise user_error("error.reviewer_only" if actor.orgs else "error.no_org")


def month_of(moment: datetime, settings: Settings) -> str:
    """`YYYY-MM` of `moment` (aware) in the programme's zone."""
    return f"{moment.astimezone(settings.tz):%Y-%m}"


# --- adding ------------------------------------------------------------------------------------


def _append_note(item: TrendItem, user_id: str | None, note: str) -> bool:
    """Add the contribution line unless that exact line is there; True when added."""
    line = blocks.note_line(user_id, note)
    if not line:
        return False
    existing = item.note.splitlines()
    if line in existing or (not note and any(e.startswith(f"[{user_id}]") for e in existing)):
        return False
    item.note = truncate("\n".join([*existing, line]) if existing else line, NOTES_MAX)
    return True


def add_item(
    session: Session,
    *,
    actor: Actor,
    url: str,
    note: str,
    source: str,
    now: datetime,
    settings: Settings,
    title: str | None = None,
) -> tuple[TrendItem, bool]:
    """Collect the link `url` (as typed: Slack's `<url|label>` form accepted) with the actor's
    `note`. Returns (the item, merged): merged is True when the page was already collected
    (the note appended, its first title kept; the same person repeating adds nothing).

    Raises UserError for someone who may not add (`require_collector`), a link that is not an
    http(s) URL (`trend.error.bad_url`), or a note with characters no column stores or over
    `blocks.NOTE_MAX` characters.
    """
    require_collector(actor)
    normal = normalize_url(url)
    note = blocks.check_note(note)
    title = clean_text(title, TITLE_MAX) if title else ""
    advisory_lock(session, f"trend:{normal}")
    item = store.item_by_url(session, normal)
    if item is None:
        candidate = TrendItem(
            url=normal,
            original_url=unwrap_link(url),
            title=title,
            note=blocks.note_line(actor.user_id, note) if note else "",
            source=source,
            added_by=actor.user_id,
            added_at=now,
            month=month_of(now, settings),
            theme=classify(title, note, normal).value,
            theme_by="rules",
        )
        inserted = insert_once(session, candidate)
        if inserted is not None:
            return inserted, False
        item = store.item_by_url(session, normal)  # another request stored it first
    if note or item.added_by != actor.user_id:  # the adder repeating it adds nothing
        _append_note(item, actor.user_id, note)
    if title and needs_title(item):
        item.title = title
    return item, True


def needs_title(item: TrendItem) -> bool:
    """Whether the item has no real title yet (none, or the URL put there by a failed fetch)."""
    return not item.title or item.title == item.original_url


def set_title(session: Session, *, item_id: int, title: str | None) -> bool:
    """Store a fetched title (None or empty: the URL, so the list shows what failed) unless the
    item already has a real one; re-run the keyword rules when they set the theme. True when
    stored."""
    item = session.get(TrendItem, item_id)
    if item is None or not needs_title(item):
        return False
    cleaned = clean_text(title, TITLE_MAX) if title else ""
    item.title = cleaned or truncate(item.original_url, TITLE_MAX)
    if cleaned and item.theme_by == "rules":
        item.theme = classify(cleaned, item.note, item.url).value
    return True


def added_text(item: TrendItem, merged: bool, noted: bool, lang: str) -> str:
    """The adder's reply: added (month, theme), or already collected (merged, note added)."""
    url = escape(item.original_url)
    if not merged:
        theme = blocks.theme_label(item.theme, lang)
        return t("trend.added", lang, month=item.month, url=url, theme=theme)
    key = "trend.merged_note" if noted else "trend.merged"
    return t(key, lang, month=item.month, url=url)


# --- listing and themes -------------------------------------------------------------------------


def item_view(item: TrendItem, *, notes_of: str | None = None) -> blocks.ItemView:
    """The item as listed; with `notes_of` (a member's id), only that person's own notes (a
    merged item carries notes by people of other organizations)."""
    note = item.note
    if notes_of is not None:
        note = "\n".join(line for line in note.splitlines() if line.startswith(f"[{notes_of}]"))
    return blocks.ItemView(
        id=item.id,
        url=item.original_url or item.url,
        title=item.title,
        theme=item.theme,
        theme_by=item.theme_by,
        source=item.source,
        feed=item.feed,
        added_by=item.added_by,
        note=note,
        month=item.month,
        summary=dict(item.summary or {}),
    )


def _added_or_noted_by(item: TrendItem, user_id: str) -> bool:
    return item.added_by == user_id or any(
        line.startswith(f"[{user_id}]") for line in item.note.splitlines()
    )


def list_items(
    *,
    session: Session,
    actor: Actor,
    settings: Settings,
    now: datetime,
    month: str | None = None,
) -> Message:
    """`/trend list [YYYY-MM]` (default: this month in the programme's zone): operators see
    every item of the month with a theme menu each; members the items they added or noted.
    Raises UserError for someone who may not collect, or a month the month parser refuses."""
    require_collector(actor)
    chosen = f"{parse_month(month):%Y-%m}" if month else month_of(now, settings)
    items = store.items_of_month(session, chosen)
    if not actor.is_operator:
        items = [item for item in items if _added_or_noted_by(item, actor.user_id)]
    return blocks.build_list(
        [item_view(item, notes_of=None if actor.is_operator else actor.user_id) for item in items],
        month=chosen,
        lang=actor.lang,
        operator=actor.is_operator,
        mine=not actor.is_operator,
    )


def set_theme(
    session: Session, *, actor: Actor, item_id: int, theme: str, now: datetime
) -> Message:
    """An operator sets an item's theme (`theme_by` "operator": neither the rules nor the LLM
    change it again). Returns the confirmation in the actor's language. Raises UserError for a
    non-operator, an unknown theme or an item that is gone."""
    actor.require_operator()
    if theme not in {th.value for th in TrendTheme}:
        raise user_error("trend.error.bad_theme")
    item = session.get(TrendItem, item_id)
    if item is None:
        raise user_error("trend.error.unknown_item")
    item.theme, item.theme_by = theme, "operator"
    log.info("trend item %s: theme %s set by %s at %s", item_id, theme, actor.user_id, now)
    text = t(
        "trend.theme_set",
        actor.lang,
        title=escape(item.title or item.original_url),
        theme=blocks.theme_label(theme, actor.lang),
    )
    return Message(text)


# --- the LLM ------------------------------------------------------------------------------------

LLM_SYSTEM = """You sort links collected by the secretariat of a Japanese government programme
that supports companies building generative-AI foundation models, for its monthly trend report.
Themes:
- "international": international development of generative AI: players, models, parameter
  counts, performance, benchmarks, releases, research;
- "use_cases": advanced use cases and data utilisation: deployments in industry, healthcare,
  finance, the public sector; datasets and data sharing;
- "economic": economic and productivity effects: productivity, markets, jobs, investment, GDP;
- "other": anything else.
For each item choose one theme and write a one-sentence summary in Japanese and in English,
from the title, note and URL given only (do not invent facts). Reply with one JSON object:
{"themes": {"<id>": "<theme>"}, "summaries": {"<id>": {"ja": "...", "en": "..."}}}"""


@dataclass(frozen=True)
class Verdict:
    """The LLM's answer for one item: a theme (None when it gave no valid one) and a summary
    {"ja", "en"} (None when it gave none)."""

    theme: TrendTheme | None
    summary: dict | None


def classify_with_llm(llm, items: Iterable) -> dict[int, Verdict]:
    """Themes and summaries from the LLM for `items` (anything with `id`, `title`, `note`,
    `url`), one call per `LLM_BATCH` items. {} without an LLM; an item the reply leaves out
    or gets wrong is left out. Never call it before an ack."""
    items = [item for item in items if item.id is not None]
    if llm is None or not items:
        return {}
    verdicts: dict[int, Verdict] = {}
    for start in range(0, len(items), LLM_BATCH):
        batch = items[start : start + LLM_BATCH]
        payload = {
            "items": [
                {
                    "id": item.id,
                    "title": item.title or "",
                    "note": truncate(item.note or "", 600),
                    "url": item.url,
                }
                for item in batch
            ]
        }
        reply = llm.complete_json(system=LLM_SYSTEM, user=payload)
        if not isinstance(reply, dict):
            continue
        verdicts.update(_verdicts(reply, {item.id for item in batch}))
    return verdicts


def _verdicts(reply: dict, ids: set[int]) -> dict[int, Verdict]:
    themes = reply.get("themes") if isinstance(reply.get("themes"), dict) else {}
    summaries = reply.get("summaries") if isinstance(reply.get("summaries"), dict) else {}
    found: dict[int, Verdict] = {}
    for item_id in ids:
        raw_theme = themes.get(str(item_id), themes.get(item_id))
        theme = TrendTheme(raw_theme) if raw_theme in {th.value for th in TrendTheme} else None
        raw_summary = summaries.get(str(item_id), summaries.get(item_id))
        summary = None
        if isinstance(raw_summary, dict):
            summary = {
                lang: clean_text(raw_summary[lang], SUMMARY_MAX)
                for lang in ("ja", "en")
                if isinstance(raw_summary.get(lang), str) and raw_summary[lang].strip()
            } or None
        if theme is not None or summary is not None:
            found[item_id] = Verdict(theme, summary)
    return found


def apply_verdicts(session: Session, verdicts: dict[int, Verdict]) -> int:
    """Store the LLM's themes (not over an operator's) and summaries. Returns how many items
    changed."""
    changed = 0
    for item_id, verdict in verdicts.items():
        item = session.get(TrendItem, item_id)
        if item is None:
            continue
        if verdict.theme is not None and item.theme_by != "operator":
            item.theme, item.theme_by = verdict.theme.value, "llm"
        if verdict.summary:
            item.summary = {**(item.summary or {}), **verdict.summary}
        changed += 1
    return changed


@dataclass(frozen=True)
class _ForLLM:
    id: int
    title: str
    note: str
    url: str


def refine_with_llm(session_factory, llm, item_ids: list[int]) -> int:
    """Ask the LLM about the items `item_ids` and store its answers: a short read, the call
    outside any transaction, then a short write. Returns how many items changed (0 without an
    LLM). For handlers after their ack and for jobs."""
    if llm is None or not item_ids:
        return 0
    with session_factory() as session:
        items = [
            _ForLLM(id=item.id, title=item.title, note=item.note, url=item.url)
            for item_id in item_ids
            if (item := session.get(TrendItem, item_id)) is not None
        ]
    verdicts = classify_with_llm(llm, items)
    if not verdicts:
        return 0
    with session_factory.begin() as session:
        return apply_verdicts(session, verdicts)
