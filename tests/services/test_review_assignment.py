"""Assigning reviewers (issue #7): conflicts never assigned, loads balanced, impossible cases
reported, existing assignments kept."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.review_assignment import plan


def test_each_subject_gets_its_reviewers_and_loads_are_even():
    result = plan([1, 2, 3, 4, 5], ["A", "B", "C", "D", "E"], per_subject=3, conflicts=set())
    per_subject = Counter(s for s, _ in result.pairs)
    assert per_subject == {1: 3, 2: 3, 3: 3, 4: 3, 5: 3}
    assert set(Counter(r for _, r in result.pairs).values()) == {3}  # 15 slots / 5 reviewers
    assert result.short == {}


def test_uneven_total_spreads_by_one_at_most():
    result = plan([1, 2, 3, 4], ["A", "B", "C"], per_subject=1, conflicts=set())
    assert sorted(Counter(r for _, r in result.pairs).values()) == [1, 1, 2]


def test_conflicted_pairs_are_never_assigned_and_others_carry_the_load():
    conflicts = {(1, "A"), (1, "B"), (2, "A")}
    result = plan([1, 2, 3], ["A", "B", "C", "D"], per_subject=2, conflicts=conflicts)
    assert not set(result.pairs) & conflicts
    assert Counter(s for s, _ in result.pairs) == {1: 2, 2: 2, 3: 2}
    assert sorted(Counter(r for _, r in result.pairs).values()) == [1, 1, 2, 2]


def test_a_subject_without_enough_eligible_reviewers_is_reported_and_gets_all_it_can():
    conflicts = {(1, "A"), (1, "B")}
    result = plan([1, 2], ["A", "B", "C"], per_subject=2, conflicts=conflicts)
    assert result.short == {1: (1, 2)}  # only C is free of a conflict with subject 1
    assert [p for p in result.pairs if p[0] == 1] == [(1, "C")]
    assert Counter(s for s, _ in result.pairs)[2] == 2


def test_a_subject_everyone_is_conflicted_with_gets_nobody_and_is_reported():
    result = plan([1], ["A", "B"], per_subject=1, conflicts={(1, "A"), (1, "B")})
    assert result.pairs == [] and result.short == {1: (0, 1)}


def test_existing_assignments_are_kept_and_only_gaps_filled():
    # after a late conflict: subject 1 keeps B, needs one more; A is conflicted with it
    existing = [(1, "B"), (2, "A"), (2, "C")]
    result = plan([1, 2], ["A", "B", "C"], per_subject=2, conflicts={(1, "A")}, existing=existing)
    assert result.pairs == [(1, "C")]


def test_no_reviewers_at_all_reports_every_subject():
    result = plan([1, 2], [], per_subject=2, conflicts=set())
    assert result.pairs == [] and result.short == {1: (0, 2), 2: (0, 2)}


@settings(max_examples=60, deadline=None)
@given(
    subjects=st.integers(min_value=1, max_value=12),
    reviewers=st.integers(min_value=1, max_value=8),
    per_subject=st.integers(min_value=1, max_value=4),
    conflict_bits=st.lists(st.booleans(), min_size=96, max_size=96),
)
def test_properties_hold_for_any_round(subjects, reviewers, per_subject, conflict_bits):
    subject_ids = list(range(1, subjects + 1))
    names = [f"R{i}" for i in range(reviewers)]
    conflicts = {
        (s, r)
        for i, (s, r) in enumerate((s, r) for s in subject_ids for r in names)
        if conflict_bits[i % 96] and i % 3 == 0
    }
    result = plan(subject_ids, names, per_subject=per_subject, conflicts=conflicts)
    assert not set(result.pairs) & conflicts
    assert len(set(result.pairs)) == len(result.pairs)
    for s in subject_ids:
        eligible = sum(1 for r in names if (s, r) not in conflicts)
        got = sum(1 for p in result.pairs if p[0] == s)
        assert got == min(per_subject, eligible)  # every subject filled as far as possible
        assert (s in result.short) == (eligible < per_subject)
    loads = Counter(r for _, r in result.pairs)
    if not conflicts and result.pairs:  # without conflicts the loads differ by one at most
        assert max(loads[r] for r in names) - min(loads[r] for r in names) <= 1
