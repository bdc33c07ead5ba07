"""Aggregating a round's scorecards: per subject the weighted mean, spread, normalised score,
recommendations and outliers; the ranking. Pure: no database, no Slack.

Rules (stated here because the committee minutes quote them):
- A scorecard's score is the weighted mean of its criteria: Σ wᵢ·sᵢ / Σ wᵢ (points on the
  round's 1..scale_max scale).
- A subject's `mean` is the plain mean of its scorecards' scores; `stdev` their *sample*
  standard deviation (n − 1; none with one scorecard).
- Normalised (z-score) option: each reviewer's scores are centred and scaled by that reviewer's
  own mean and sample standard deviation over all their scorecards in the round, so a harsh and
  a lenient reviewer weigh alike; a reviewer with fewer than two scorecards, or who gave every
  subject the same score, contributes 0. A subject's `z` is the mean of its reviewers' z.
- Outlier: a scorecard whose score is ≥ 2 points from the mean of the *other* scorecards of the
  same subject. It needs at least three scorecards: with two, each is the other's "others",
  and flagging both would tell the chair nothing.
- Ranking: by `mean` (or `z` with the option) descending, then by subject name; values are
  compared to 9 decimals, so floating-point noise (a z of 2.8e-16 against 5.6e-17) is a tie.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

OUTLIER_POINTS = 2.0
OUTLIER_MIN_CARDS = 3


@dataclass(frozen=True)
class Card:
    """One scorecard's essentials: `scores` maps criterion key → points."""

    subject_id: int
    reviewer: str
    scores: dict[str, int]
    recommendation: str


@dataclass
class SubjectResult:
    subject_id: int
    name: str
    cards: int = 0
    mean: float | None = None
    stdev: float | None = None
    z: float | None = None
    criteria_means: dict[str, float] = field(default_factory=dict)
    recommendations: Counter = field(default_factory=Counter)
    card_scores: dict[str, float] = field(default_factory=dict)  # reviewer → weighted score
    outliers: list[str] = field(default_factory=list)  # reviewers whose score is an outlier
    rank: int | None = None


def card_score(scores: dict[str, int], criteria: list[dict]) -> float:
    """Σ wᵢ·sᵢ / Σ wᵢ over the round's criteria (`[{"key", "weight"}]`)."""
    total = sum(float(c["weight"]) for c in criteria)
    return sum(float(c["weight"]) * scores[c["key"]] for c in criteria) / total


def aggregate(
    subjects: list[tuple[int, str]],
    cards: list[Card],
    criteria: list[dict],
    *,
    normalise: bool = False,
) -> list[SubjectResult]:
    """Results for `subjects` ([(id, name)]) ranked; subjects without scorecards come last
    unranked."""
    by_reviewer: dict[str, list[float]] = {}
    results = {sid: SubjectResult(subject_id=sid, name=name) for sid, name in subjects}
    for card in cards:
        if card.subject_id not in results:
            continue
        score = card_score(card.scores, criteria)
        result = results[card.subject_id]
        result.card_scores[card.reviewer] = score
        result.recommendations[card.recommendation] += 1
        by_reviewer.setdefault(card.reviewer, []).append(score)
    for card in cards:
        if card.subject_id in results:
            for c in criteria:
                results[card.subject_id].criteria_means.setdefault(c["key"], 0.0)
                results[card.subject_id].criteria_means[c["key"]] += card.scores[c["key"]]
    for result in results.values():
        scores = list(result.card_scores.values())
        result.cards = len(scores)
        if not scores:
            continue
        result.criteria_means = {k: v / len(scores) for k, v in result.criteria_means.items()}
        result.mean = statistics.fmean(scores)
        result.stdev = statistics.stdev(scores) if len(scores) > 1 else None
        result.z = statistics.fmean(
            _z(score, by_reviewer[reviewer]) for reviewer, score in result.card_scores.items()
        )
        result.outliers = _outliers(result.card_scores)
    key = "z" if normalise else "mean"
    scored = [r for r in results.values() if r.mean is not None]
    scored.sort(key=lambda r: (-round(getattr(r, key), 9), r.name))
    for rank, result in enumerate(scored, start=1):
        result.rank = rank
    return scored + [r for r in results.values() if r.mean is None]


def _z(score: float, own: list[float]) -> float:
    if len(own) < 2:
        return 0.0
    spread = statistics.stdev(own)
    return 0.0 if spread == 0 else (score - statistics.fmean(own)) / spread


def _outliers(card_scores: dict[str, float]) -> list[str]:
    if len(card_scores) < OUTLIER_MIN_CARDS:
        return []
    flagged = []
    for reviewer, score in card_scores.items():
        others = [s for r, s in card_scores.items() if r != reviewer]
        if abs(score - statistics.fmean(others)) >= OUTLIER_POINTS - 1e-9:
            flagged.append(reviewer)
    return flagged
