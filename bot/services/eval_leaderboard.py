"""The read side of evaluation results: the leaderboard, an organization's history with its
trend chart, and the weekly digest's lines. Only **published** submissions are read
(`EvalSubmission.status == "published"` with a `published_at`); submitted, approved (under
embargo), rejected or changes-requested ones are never shown here.

A *result* is a published submission's headline score for a benchmark (`EvalScoreRow` with
`headline` and a `benchmark`; one per submission and benchmark, the first stored if a
submission has several). Values are as published, in the metric's unit; None is a missing
score, listed after every scored result and never ranked as 0.

* **Direction** of a benchmark: lower is better when every headline score of it that says
  (`higher_is_better` not None) says False; otherwise higher is better.
* **Ranking**: by score in that direction; equal scores share a rank (1, 2, 2, 4) and are
  listed earlier-published first; missing scores come last, unranked.
* **Delta**: the result's score minus the same organization's previous published result
  for the benchmark (by `published_at`, then submission id), whatever the model; "new" when
  there is none; unknown when either score is missing.
* **Who sees what**: the leaderboard is group-wide (every member of a participating
  organization, and operators; reviewers, who are committee members, and people in no
  organization are refused politely). History is one organization's: the actor's own, or
  for operators any (`bot.services.members.visible_orgs`).

Times are stored in UTC; dates are shown `YYYY-MM-DD` in `settings.tz` (JST).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.blocks import eval_leaderboard as blocks
from bot.blocks.common import Message, escape
from bot.clients.slack import Notice
from bot.errors import UserError
from bot.i18n import t
from bot.render.eval_charts import TrendLine, trend_png
from bot.services.eval_suite import Suite, load_suite
from bot.services.members import Actor, own_orgs, user_error, visible_orgs
from bot.settings import Settings
from storage.evals import EvalFlag, EvalScoreRow, EvalStatus, EvalSubmission
from storage.members import Organization, Role

TOP_ROWS = 10
"""Rows shown per benchmark on the leaderboard; the rest are counted."""
JST = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class Result:
    """One published headline score, with its submission and organization (plain values,
    safe to use after the session closes). `published_at` is aware (UTC)."""

    submission_id: int
    org_id: int
    org_code: str
    org_name: str
    model_name: str
    model_revision: str
    parameters_b: float | None
    model_type: str
    published_at: datetime
    benchmark: str
    value: float | None
    n_shot: int | None
    higher_is_better: bool | None


def published_results(
    session: Session, *, org_ids: list[int] | None = None, benchmark: str | None = None
) -> list[Result]:
    """Headline results of published submissions (of `org_ids`, or every organization; of
    `benchmark` exactly, or every benchmark), oldest first (published_at, submission id)."""
    query = (
        select(EvalScoreRow, EvalSubmission, Organization)
        .join(EvalSubmission, EvalSubmission.id == EvalScoreRow.submission_id)
        .join(Organization, Organization.id == EvalSubmission.organization_id)
        .where(
            EvalSubmission.status == EvalStatus.PUBLISHED.value,
            EvalSubmission.published_at.is_not(None),
            EvalScoreRow.headline.is_(True),
            EvalScoreRow.benchmark.is_not(None),
        )
        .order_by(EvalSubmission.published_at, EvalSubmission.id, EvalScoreRow.id)
    )
    if org_ids is not None:
        query = query.where(EvalSubmission.organization_id.in_(org_ids))
    if benchmark is not None:
        query = query.where(EvalScoreRow.benchmark == benchmark)
    results, seen = [], set()
    for score, submission, org in session.exec(query):
        if (submission.id, score.benchmark) in seen:
            continue  # one headline per submission and benchmark
        seen.add((submission.id, score.benchmark))
        results.append(
            Result(
                submission_id=submission.id,
                org_id=org.id,
                org_code=org.code,
                org_name=org.name,
                model_name=submission.model_name,
                model_revision=submission.model_revision,
                parameters_b=submission.parameters_b,
                model_type=submission.model_type,
                published_at=submission.published_at,
                benchmark=score.benchmark,
                value=score.value,
                n_shot=score.n_shot,
                higher_is_better=score.higher_is_better,
            )
        )
    return results


def higher_is_better(results: list[Result], declared: bool | None = None) -> bool:
    """A benchmark's direction: the standard suite's `higher_is_better` when the benchmark is
    in it (`declared`: the programme decides, not each file); otherwise False only when every
    result that says says lower is better."""
    if declared is not None:
        return declared
    said = {r.higher_is_better for r in results if r.higher_is_better is not None}
    return said != {False}


def declared_direction(suite: Suite, name: str) -> bool | None:
    """The suite's direction for benchmark `name`, or None when it is not in the suite."""
    benchmark = suite.benchmark(name)
    return benchmark.higher_is_better if benchmark is not None else None


def rank_key(result: Result, higher: bool) -> tuple:
    """Sort key: scored results best first (ties: earlier published first), missing last."""
    if result.value is None:
        return (1, 0.0, result.published_at, result.submission_id)
    return (0, -result.value if higher else result.value, result.published_at, result.submission_id)


@dataclass(frozen=True)
class Delta:
    """A result against its organization's previous published result for the benchmark."""

    delta: float | None
    is_new: bool


def deltas(results: list[Result]) -> dict[tuple[int, str], Delta]:
    """(submission id, benchmark) → Delta, for every result in `results` (oldest first; pass
    all of an organization's results for a benchmark, not a window of them)."""
    previous: dict[tuple[int, str], Result] = {}
    out = {}
    for result in sorted(results, key=lambda r: (r.published_at, r.submission_id)):
        key = (result.org_id, result.benchmark)
        before = previous.get(key)
        if before is None:
            out[(result.submission_id, result.benchmark)] = Delta(None, True)
        elif result.value is None or before.value is None:
            out[(result.submission_id, result.benchmark)] = Delta(None, False)
        else:
            out[(result.submission_id, result.benchmark)] = Delta(
                result.value - before.value, False
            )
        previous[key] = result
    return out


def flagged_submissions(session: Session, submission_ids: set[int]) -> set[int]:
    """The submissions among `submission_ids` with at least one open (unresolved) flag."""
    if not submission_ids:
        return set()
    query = select(EvalFlag.submission_id).where(
        EvalFlag.resolved_at.is_(None), EvalFlag.submission_id.in_(sorted(submission_ids))
    )
    return set(session.exec(query))


def _day(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).date().isoformat()


def require_group_member(actor: Actor) -> None:
    """Published results are for the group: operators and members of any organization
    (any role but reviewer). Raises the polite UserError of `own_orgs` otherwise."""
    if actor.is_operator or any(role != Role.REVIEWER.value for role in actor.roles.values()):
        return
    own_orgs(actor)  # raises: not in any organization (a reviewer only: the same answer)
    raise user_error("error.no_org")  # pragma: no cover (own_orgs raised)


def benchmark_histories(
    session: Session, results: list[Result], change: dict, settings: Settings
) -> list[tuple[blocks.BenchmarkHistory, list[Result]]]:
    """One organization's published `results` per benchmark (by name): its history (entries
    oldest first with their change in `change`, from `deltas`; the direction the suite declares
    or the results imply) and the results themselves. Dates in the programme's zone."""
    flagged = flagged_submissions(session, {r.submission_id for r in results})
    suite = load_suite(settings.eval_suite_file or None)
    by_benchmark: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_benchmark[result.benchmark].append(result)
    out = []
    for name in _benchmark_names(results):
        group = by_benchmark[name]
        entries = []
        for r in group:
            delta = change[(r.submission_id, r.benchmark)]
            entries.append(
                blocks.HistoryEntry(
                    published=_day(r.published_at, settings.tz),
                    model_name=r.model_name,
                    model_revision=r.model_revision,
                    value=r.value,
                    delta=delta.delta,
                    is_new=delta.is_new,
                    flagged=r.submission_id in flagged,
                )
            )
        higher = higher_is_better(group, declared_direction(suite, name))
        out.append((blocks.BenchmarkHistory(name, higher, entries), group))
    return out


def _benchmark_names(results: list[Result]) -> list[str]:
    return sorted({r.benchmark for r in results}, key=lambda name: (name.casefold(), name))


# --- /eval leaderboard ----------------------------------------------------------------------


def leaderboard(
    *, session: Session, actor: Actor, benchmark: str | None, best: bool, settings: Settings
) -> Message:
    """`/eval leaderboard [BENCHMARK] [--best]`, the ephemeral reply.

    Per benchmark (every benchmark with a published result, in name order, or only
    `benchmark`, matched case-insensitively): the top :data:`TOP_ROWS` results ranked by
    headline score in the benchmark's direction (module docstring), missing scores last, with
    organization, model, revision, parameters (B), type, n-shot, publication date (JST,
    `settings.tz`), the delta against the organization's previous result for the benchmark
    (or "new") and a flag marker when the submission has an open flag. `best`: only each
    organization's best result on the benchmark (its latest when it has no score at all).

    Raises UserError for an actor outside the group, or a benchmark with no published result
    (listing those that have one).
    """
    require_group_member(actor)
    results = published_results(session)
    names = _benchmark_names(results)
    if benchmark is not None and benchmark.strip():
        wanted = benchmark.strip().casefold()
        match = [name for name in names if name.casefold() == wanted]
        if not match:
            raise _unknown_benchmark(benchmark.strip(), names)
        names = match[:1]
    change = deltas(results)
    flagged = flagged_submissions(session, {r.submission_id for r in results})
    by_benchmark: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_benchmark[result.benchmark].append(result)
    boards = []
    suite = load_suite(settings.eval_suite_file or None)  # the programme decides directions
    for name in names:
        group = by_benchmark[name]
        higher = higher_is_better(group, declared_direction(suite, name))
        if best:
            group = _best_per_org(group, higher)
        ordered = sorted(group, key=lambda r: rank_key(r, higher))
        rows = _ranked_rows(ordered[:TOP_ROWS], change, flagged, settings.tz)
        boards.append(
            blocks.BenchmarkBoard(
                benchmark=name,
                higher_is_better=higher,
                rows=rows,
                more=max(0, len(ordered) - TOP_ROWS),
            )
        )
    return blocks.build_leaderboard(boards, best=best, lang=actor.lang)


def _unknown_benchmark(name: str, known: list[str]) -> UserError:
    """The refusal for a benchmark with no published result, naming those that have one
    (user text escaped: the reply is mrkdwn)."""
    listed = ", ".join(escape(k) for k in known)
    en, ja = (
        t(
            "evalboard.unknown_benchmark",
            lang,
            name=escape(name),
            known=listed or t("evalboard.no_benchmarks", lang),
        )
        for lang in ("en", "ja")
    )
    return UserError(en, ja)


def _best_per_org(results: list[Result], higher: bool) -> list[Result]:
    """Each organization's best result (its latest when none has a score)."""
    best: dict[int, Result] = {}
    for result in results:
        current = best.get(result.org_id)
        if current is None:
            best[result.org_id] = result
        elif current.value is None and result.value is None:
            best[result.org_id] = result  # oldest first: the latest wins
        elif rank_key(result, higher) < rank_key(current, higher):
            best[result.org_id] = result
    return list(best.values())


def _ranked_rows(
    ordered: list[Result],
    change: dict[tuple[int, str], Delta],
    flagged: set[int],
    tz: tzinfo,
) -> list[blocks.BoardRow]:
    rows, rank, last_value = [], 0, None
    for position, result in enumerate(ordered, 1):
        if result.value is not None and result.value != last_value:
            rank = position  # equal scores share a rank: 1, 2, 2, 4
        last_value = result.value
        delta = change[(result.submission_id, result.benchmark)]
        rows.append(
            blocks.BoardRow(
                rank=None if result.value is None else rank,
                org_name=result.org_name,
                model_name=result.model_name,
                model_revision=result.model_revision,
                parameters_b=result.parameters_b,
                model_type=result.model_type,
                n_shot=result.n_shot,
                published=_day(result.published_at, tz),
                value=result.value,
                delta=delta.delta,
                is_new=delta.is_new,
                flagged=result.submission_id in flagged,
            )
        )
    return rows


# --- /eval history ----------------------------------------------------------------------------


def history(
    *,
    session: Session,
    actor: Actor,
    model: str | None,
    org_code: str | None,
    settings: Settings,
    now: datetime,
) -> list[Notice]:
    """`/eval history [MODEL]`: an organization's published results over time, for the
    actor's DM: the summary per benchmark (`blocks.build_history`) as the comment of a PNG
    trend chart (headline score per benchmark over publication time, one line each;
    `kiban-evals-ORG[-model]-YYYYMMDD.png`, the date of `now` in `settings.tz`).

    The organization is the actor's own (one notice per organization they belong to that has
    published results), or `org_code` (a code or name): operators any, members only their
    own. `model` keeps the results of that model name (case-insensitive).

    Raises UserError for an actor outside the group, an operator naming no organization,
    another organization (`error.not_your_org`), an unknown organization, no published result
    at all, or a model with none (listing the models that have some).
    """
    require_group_member(actor)
    try:
        orgs = visible_orgs(session, actor, org_code)
    except UserError:
        if not org_code and actor.is_operator:
            raise user_error("evalboard.history.operator_org") from None
        raise
    wanted = model.strip().casefold() if model and model.strip() else None
    as_of = _day(now, settings.tz)
    notices, models_seen = [], set()
    for org in orgs:
        results = published_results(session, org_ids=[org.id])
        models_seen |= {r.model_name for r in results}
        if wanted is not None:
            results = [r for r in results if r.model_name.casefold() == wanted]
        if not results:
            continue
        notices.append(_history_notice(session, actor, org, results, model, settings, as_of))
    if notices:
        return notices
    names = ", ".join(escape(org.name) for org in orgs)
    if wanted is not None and models_seen:
        raise user_error(
            "evalboard.history.unknown_model",
            org=names,
            model=escape(model.strip()),
            models=", ".join(escape(m) for m in sorted(models_seen, key=str.casefold)),
        )
    raise user_error("evalboard.history.none", org=names)


def _history_notice(
    session: Session,
    actor: Actor,
    org: Organization,
    results: list[Result],
    model: str | None,
    settings: Settings,
    as_of: str,
) -> Notice:
    # deltas against the organization's previous result, whatever the model (module docstring)
    change = deltas(published_results(session, org_ids=[org.id]))
    histories, lines = [], []
    for history, group in benchmark_histories(session, results, change, settings):
        histories.append(history)
        lines.append(
            TrendLine(
                history.benchmark,
                history.higher_is_better,
                [(r.published_at, r.value) for r in group],
            )
        )
    model_name = results[0].model_name if model else None
    png = trend_png(
        lines,
        org_code=org.code,
        org_name=org.name,
        model=model_name,
        lang=actor.lang,
        tz=settings.tz,
    )
    slug = f"-{_slug(model_name)}" if model_name else ""
    file_name = f"kiban-evals-{org.code}{slug}-{as_of.replace('-', '')}.png"
    org_name = org.name

    def render(lang: str) -> Message:
        return blocks.build_history(
            org_name=org_name, model=model_name, as_of=as_of, benchmarks=histories, lang=lang
        )

    return Notice(
        channel=actor.user_id, kind="eval_history", files=[(file_name, png)], render=render
    )


def _slug(text: str) -> str:
    """A file-name-safe form of a model name (ASCII letters, digits, `.`, `_`, `-`)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")[:60] or "model"


# --- the weekly digest ----------------------------------------------------------------------


def digest_lines(
    *, session: Session, since: datetime, until: datetime, tz: tzinfo = JST
) -> list[blocks.EvalDigestLine]:
    """The submissions published in [`since`, `until`) (aware datetimes), oldest first (then
    organization code), each with its headline scores (benchmarks in name order) and their
    deltas against the organization's previous published result for the benchmark (which may
    be older than `since`). Dates `YYYY-MM-DD` in `tz` (JST). [] when none."""
    results = published_results(session)
    change = deltas(results)
    window: dict[int, list[Result]] = defaultdict(list)
    for result in results:
        if since <= result.published_at < until:
            window[result.submission_id].append(result)
    groups = sorted(
        window.values(), key=lambda g: (g[0].published_at, g[0].org_code, g[0].submission_id)
    )
    lines = []
    for group in groups:
        first = group[0]
        scores = []
        for r in sorted(group, key=lambda r: (r.benchmark.casefold(), r.benchmark)):
            delta = change[(r.submission_id, r.benchmark)]
            scores.append(blocks.DigestScore(r.benchmark, r.value, delta.delta, delta.is_new))
        lines.append(
            blocks.EvalDigestLine(
                org_name=first.org_name,
                model_name=first.model_name,
                model_revision=first.model_revision,
                published=_day(first.published_at, tz),
                scores=scores,
            )
        )
    return lines
