"""Block Kit for the read side of evaluation results: the `/eval leaderboard` reply, the
`/eval history` summary (the comment of its trend chart) and the weekly digest's section on
results published that week. Pure: no I/O; the data comes from
`bot.services.eval_leaderboard`.

Scores are headline scores as published, in their metric's own unit (accuracy 0–1,
perplexity, …); `None` is a missing score, shown as "no value" and never as 0. A delta is the
score minus the same organization's previous published score for the benchmark (signed, same
unit); "new" marks its first. Dates are `YYYY-MM-DD` in the programme's zone (JST).
Organization, model and revision names are escaped (typed by people).

Slack limits: at most 50 blocks per message, section text at most 3000 characters
(`bot.blocks.common`); the builders stay inside both, whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.models.blocks import Block

from bot.blocks.common import (
    SECTION_TEXT_MAX,
    Message,
    context,
    escape,
    header,
    long_sections,
    section,
    truncate,
)
from bot.i18n import CATALOG, t

MAX_BLOCKS = 50
DIGEST_MAX_LINES = 15
"""Most submissions the digest section lists; the rest are counted."""
DIGEST_LINE_MAX = 400
"""Longest line of the digest section (a submission with very many benchmarks is cut)."""


# --- numbers -------------------------------------------------------------------------------


def format_score(value: float | None, lang: str) -> str:
    """A score for display: as published, rounded to 4 decimals without trailing zeros and
    grouped (`0.7123`, `0.65`, `12.5`, `1,234.5`); None → "no value" (never 0)."""
    if value is None:
        return t("evalboard.no_value", lang)
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_delta(delta: float | None, is_new: bool, lang: str) -> str:
    """ "new" for a first result, "+0.0123 vs previous" (signed, like :func:`format_score`;
    `±0` for no change), or "no comparison" when either score is missing."""
    if is_new:
        return t("evalboard.new", lang)
    if delta is None:
        return t("evalboard.delta_unknown", lang)
    text = format_score(abs(delta), lang)
    text = "±0" if text == "0" else ("+" if delta > 0 else "-") + text
    return t("evalboard.delta", lang, delta=text)


def _direction(higher_is_better: bool, lang: str) -> str:
    return t("evalboard.higher_better" if higher_is_better else "evalboard.lower_better", lang)


def _model_type(model_type: str, lang: str) -> str:
    key = f"evalboard.type.{model_type}"
    return t(key, lang) if key in CATALOG else escape(model_type)


# --- the leaderboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    """One published result on a benchmark's board. `rank` is None for a missing score
    (listed after the ranked ones); `published` is `YYYY-MM-DD` (JST); `parameters_b` is
    billions of parameters; `delta` / `is_new` as in the module docstring; `flagged` when the
    submission has an open flag."""

    rank: int | None
    org_name: str
    model_name: str
    model_revision: str
    parameters_b: float | None
    model_type: str
    n_shot: int | None
    published: str
    value: float | None
    delta: float | None
    is_new: bool
    flagged: bool


@dataclass(frozen=True)
class BenchmarkBoard:
    """A benchmark's board: its top rows in order, and how many more results it has."""

    benchmark: str
    higher_is_better: bool
    rows: list[BoardRow]
    more: int = 0


def _params(value: float | None, lang: str) -> str:
    if value is None:
        return t("evalboard.params_unknown", lang)
    return t("evalboard.params", lang, value=f"{value:g}")


def _shots(n: int | None, lang: str) -> str:
    return t("evalboard.shots_unknown", lang) if n is None else t("evalboard.shots", lang, n=n)


def board_row_text(row: BoardRow, lang: str) -> str:
    """One row of a board as mrkdwn (user text escaped)."""
    return t(
        "evalboard.row",
        lang,
        rank=t("evalboard.unranked", lang) if row.rank is None else row.rank,
        org=escape(row.org_name),
        model=escape(row.model_name),
        revision=escape(row.model_revision),
        params=_params(row.parameters_b, lang),
        type=_model_type(row.model_type, lang),
        shots=_shots(row.n_shot, lang),
        value=format_score(row.value, lang),
        delta=format_delta(row.delta, row.is_new, lang),
        date=row.published,
        flag=t("evalboard.flag", lang) if row.flagged else "",
    )


def _board_blocks(board: BenchmarkBoard, lang: str) -> list[Block]:
    title = t(
        "evalboard.benchmark",
        lang,
        benchmark=escape(board.benchmark),
        direction=_direction(board.higher_is_better, lang),
    )
    rows = [board_row_text(row, lang) for row in board.rows]
    blocks: list[Block] = list(long_sections("\n".join([title, *rows])))
    if board.more:
        blocks.append(context(t("evalboard.more", lang, count=board.more)))
    return blocks


def build_leaderboard(boards: list[BenchmarkBoard], *, best: bool, lang: str) -> Message:
    """The `/eval leaderboard` reply: one board per benchmark, in the order given. Boards that
    would take the message past 50 blocks are left out and named in a closing note (the
    user can ask for one by name). No boards: "nothing published yet"."""
    title = t("evalboard.title_best" if best else "evalboard.title", lang)
    head: list[Block] = [header(title), context(t("evalboard.intro", lang))]
    if not boards:
        blocks = [*head, section(t("evalboard.empty", lang))]
        return Message.of(f"{title}: {t('evalboard.empty', lang)}", blocks)
    legend = context(t("evalboard.legend", lang))
    budget = MAX_BLOCKS - len(head) - 2  # the legend and a note on boards left out
    body: list[Block] = []
    left_out: list[str] = []
    for board in boards:
        blocks = _board_blocks(board, lang)
        if left_out or len(body) + len(blocks) > budget:
            left_out.append(board.benchmark)
            continue
        body += blocks
    blocks = [*head, *body, legend]
    if left_out:
        names = ", ".join(escape(name) for name in left_out)
        blocks.append(
            context(t("evalboard.more_benchmarks", lang, count=len(left_out), names=names))
        )
    shown = [b.benchmark for b in boards if b.benchmark not in left_out]
    return Message.of(f"{title}: {', '.join(escape(name) for name in shown)}", blocks)


# --- an organization's history ------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One published result of the organization on a benchmark (see :class:`BoardRow`)."""

    published: str
    model_name: str
    model_revision: str
    value: float | None
    delta: float | None
    is_new: bool
    flagged: bool = False


@dataclass(frozen=True)
class BenchmarkHistory:
    """A benchmark's results of one organization, oldest first."""

    benchmark: str
    higher_is_better: bool
    entries: list[HistoryEntry] = field(default_factory=list)

    def best(self) -> float | None:
        values = [e.value for e in self.entries if e.value is not None]
        if not values:
            return None
        return max(values) if self.higher_is_better else min(values)


def build_history(
    *, org_name: str, model: str | None, as_of: str, benchmarks: list[BenchmarkHistory], lang: str
) -> Message:
    """The `/eval history` summary, sent as the comment of the trend chart (so the text
    carries everything; blocks repeat it for a plain post). Per benchmark: the number of
    results, the latest and best score, and the newest few results with their deltas (5 per
    benchmark, 3 with more than 5 benchmarks, 1 with more than 10; the chart has them all).
    `as_of` is `YYYY-MM-DD` (JST). Text within 3000 characters."""

    def _title(esc) -> str:
        if model:
            return t("evalboard.history.title_model", lang, org=esc(org_name), model=esc(model))
        return t("evalboard.history.title", lang, org=esc(org_name))

    title = _title(escape)
    intro = t("evalboard.history.intro", lang, date=as_of)
    per = 5 if len(benchmarks) <= 5 else 3 if len(benchmarks) <= 10 else 1
    parts = []
    for history in benchmarks:
        latest = history.entries[-1].value if history.entries else None
        lines = [
            t(
                "evalboard.history.benchmark",
                lang,
                benchmark=escape(history.benchmark),
                direction=_direction(history.higher_is_better, lang),
                count=len(history.entries),
                latest=format_score(latest, lang),
                best=format_score(history.best(), lang),
            )
        ]
        for entry in reversed(history.entries[-per:]):
            lines.append(
                t(
                    "evalboard.history.entry",
                    lang,
                    date=entry.published,
                    model=escape(entry.model_name),
                    revision=escape(entry.model_revision),
                    value=format_score(entry.value, lang),
                    delta=format_delta(entry.delta, entry.is_new, lang),
                    flag=t("evalboard.flag", lang) if entry.flagged else "",
                )
            )
        earlier = len(history.entries) - per
        if earlier > 0:
            lines.append(t("evalboard.history.earlier", lang, count=earlier))
        parts.append("\n".join(lines))
    text = truncate("\n\n".join([f"*{title}*\n{intro}", *parts]), SECTION_TEXT_MAX)
    blocks: list[Block] = [header(_title(str)), context(intro)]  # plain text: not escaped
    for part in parts:
        blocks += long_sections(part)
    return Message(text=text, blocks=[block.to_dict() for block in blocks[:MAX_BLOCKS]])


# --- the weekly digest's section -----------------------------------------------------------


@dataclass(frozen=True)
class DigestScore:
    """A headline score in the digest: benchmark, score, delta against the organization's
    previous published score for the benchmark (see the module docstring)."""

    benchmark: str
    value: float | None
    delta: float | None
    is_new: bool


@dataclass(frozen=True)
class EvalDigestLine:
    """One submission published in the digest's week: who, which model, when (`YYYY-MM-DD`,
    JST) and its headline scores (benchmarks in name order)."""

    org_name: str
    model_name: str
    model_revision: str
    published: str
    scores: list[DigestScore]


def build_eval_digest_section(lines: list[EvalDigestLine], lang: str) -> list[Block]:
    """The weekly digest's "Evaluation results published this week" section: a title and one
    line per submission (at most :data:`DIGEST_MAX_LINES`, then a note counting the rest),
    in at most 4 blocks, each section within 3000 characters. [] when nothing was published,
    so a quiet week adds nothing to the digest."""
    if not lines:
        return []
    rows = []
    for line in lines[:DIGEST_MAX_LINES]:
        scores = ", ".join(
            t(
                "evalboard.digest.score",
                lang,
                benchmark=escape(s.benchmark),
                value=format_score(s.value, lang),
                delta=format_delta(s.delta, s.is_new, lang),
            )
            for s in line.scores
        )
        rows.append(
            truncate(
                t(
                    "evalboard.digest.line",
                    lang,
                    org=escape(line.org_name),
                    model=escape(line.model_name),
                    revision=escape(line.model_revision),
                    date=line.published,
                    scores=scores,
                ),
                DIGEST_LINE_MAX,
            )
        )
    blocks: list[Block] = list(long_sections("\n".join([t("evalboard.digest.title", lang), *rows])))
    if len(lines) > DIGEST_MAX_LINES:
        blocks.append(
            context(t("evalboard.digest.more", lang, count=len(lines) - DIGEST_MAX_LINES))
        )
    blocks.append(context(t("eval.published.confidential", lang)))
    return blocks
