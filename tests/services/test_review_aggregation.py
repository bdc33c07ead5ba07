"""Aggregation numbers against hand-computed values (issue #7)."""

import math

import pytest

from bot.services.review_aggregation import Card, aggregate, card_score

CRITERIA = [{"key": "c1", "weight": 2}, {"key": "c2", "weight": 1}]
CARDS = [
    Card(1, "R1", {"c1": 5, "c2": 2}, "adopt"),  # (2·5 + 1·2) / 3 = 4
    Card(1, "R2", {"c1": 4, "c2": 4}, "adopt"),  # 4
    Card(1, "R3", {"c1": 1, "c2": 1}, "reject"),  # 1: 3 points from the others' mean of 4
    Card(2, "R1", {"c1": 3, "c2": 3}, "conditional"),  # 3
    Card(2, "R2", {"c1": 2, "c2": 5}, "adopt"),  # (4 + 5) / 3 = 3
    Card(2, "R3", {"c1": 2, "c2": 2}, "reject"),  # 2
]
SUBJECTS = [(1, "Alpha"), (2, "Beta"), (3, "Gamma")]


def test_card_score_is_the_weighted_mean():
    assert card_score({"c1": 5, "c2": 2}, CRITERIA) == pytest.approx(4.0)
    assert card_score(
        {"c1": 2, "c2": 5}, [{"key": "c1", "weight": 0.5}, {"key": "c2", "weight": 1.5}]
    ) == pytest.approx(4.25)


def test_means_spreads_outliers_and_recommendations():
    alpha, beta, gamma = aggregate(SUBJECTS, CARDS, CRITERIA)
    assert (alpha.name, alpha.rank, alpha.cards) == ("Alpha", 1, 3)
    assert alpha.mean == pytest.approx(3.0)
    assert alpha.stdev == pytest.approx(math.sqrt(3))  # deviations 1, 1, −2: 6 / (3 − 1)
    assert alpha.criteria_means == pytest.approx({"c1": 10 / 3, "c2": 7 / 3})
    assert alpha.outliers == ["R3"]  # |1 − 4| ≥ 2; R1: |4 − 2.5| = 1.5 is not
    assert dict(alpha.recommendations) == {"adopt": 2, "reject": 1}
    assert beta.rank == 2 and beta.mean == pytest.approx(8 / 3)
    assert beta.stdev == pytest.approx(math.sqrt(1 / 3))
    assert beta.outliers == []
    assert gamma.rank is None and gamma.mean is None and gamma.cards == 0  # unscored, last


def test_z_scores_normalise_each_reviewer():
    alpha, beta, _ = aggregate(SUBJECTS, CARDS, CRITERIA, normalise=True)
    # R1 and R2 gave 4 then 3 (mean 3.5, sd √0.5): z ±0.7071; R3 gave 1 then 2: z ∓0.7071
    assert alpha.z == pytest.approx((0.70711 + 0.70711 - 0.70711) / 3, abs=1e-4)
    assert beta.z == pytest.approx(-alpha.z)
    assert (alpha.rank, beta.rank) == (1, 2)


def test_ranking_by_z_can_differ_from_ranking_by_mean():
    # a harsh reviewer H scores A and B, a lenient L scores C and D: each reviewer's best
    # subject is ahead in z, whatever the reviewer's leniency
    cards = [
        Card(1, "H", {"c1": 3, "c2": 3}, "adopt"),
        Card(2, "H", {"c1": 1, "c2": 1}, "reject"),
        Card(3, "L", {"c1": 5, "c2": 5}, "adopt"),
        Card(4, "L", {"c1": 4, "c2": 4}, "adopt"),
    ]
    subjects = [(1, "A"), (2, "B"), (3, "C"), (4, "D")]
    by_mean = aggregate(subjects, cards, CRITERIA)
    by_z = aggregate(subjects, cards, CRITERIA, normalise=True)
    assert [r.name for r in by_mean] == ["C", "D", "A", "B"]  # 5, 4, 3, 1
    assert [r.name for r in by_z] == ["A", "C", "B", "D"]  # z +0.71, +0.71, −0.71, −0.71
    assert by_z[0].z == pytest.approx(math.sqrt(0.5))


def test_one_scorecard_has_no_spread_and_no_outlier_and_a_constant_reviewer_is_zero():
    cards = [Card(1, "R1", {"c1": 4, "c2": 4}, "adopt"), Card(2, "R1", {"c1": 4, "c2": 4}, "adopt")]
    first, second = aggregate([(1, "A"), (2, "B")], cards, CRITERIA, normalise=True)
    assert first.stdev is None and first.outliers == [] and first.z == 0.0
    assert second.z == 0.0


def test_exactly_two_points_is_an_outlier_and_two_scorecards_flag_nothing():
    three = [
        Card(1, "R1", {"c1": 5, "c2": 5}, "adopt"),
        Card(1, "R2", {"c1": 3, "c2": 3}, "adopt"),
        Card(1, "R3", {"c1": 3, "c2": 3}, "adopt"),
    ]
    (result,) = aggregate([(1, "A")], three, CRITERIA)
    assert result.outliers == ["R1"]  # |5 − 3| = 2 exactly; R2: |3 − 4| = 1
    (pair,) = aggregate([(1, "A")], three[:2], CRITERIA)
    assert pair.outliers == []  # two scorecards 2 apart: each is "the others", so no flag


def test_rounding_noise_is_a_tie_broken_by_name():
    # every reviewer's z sums to zero over their subjects; Gamma and Alpha both land at ~0
    cards = [
        Card(1, "R1", {"c1": 3, "c2": 3}, "adopt"),
        Card(2, "R1", {"c1": 3, "c2": 3}, "adopt"),
        Card(1, "R2", {"c1": 2, "c2": 2}, "adopt"),
        Card(2, "R2", {"c1": 2, "c2": 2}, "adopt"),
    ]
    ranked = aggregate([(1, "Gamma"), (2, "Alpha")], cards, CRITERIA, normalise=True)
    assert [r.name for r in ranked] == ["Alpha", "Gamma"]
