"""Assigning reviewers to subjects: the set number per subject, never a conflicted pair, loads
as even as possible. Pure: no database, no Slack.

The assignment is a min-cost flow (networkx `max_flow_min_cost`): source → subject (capacity:
the reviewers it still needs) → reviewer (1, only when not conflicted and not already assigned)
→ sink through unit edges whose cost grows with the reviewer's load (the j-th extra subject of a
reviewer already holding `l` costs `l + j`). A convex cost per unit makes the cheapest maximum
flow the one with the most even loads (minimum sum of squared loads), and a maximum flow fills
every subject that can be filled. Existing assignments stay as they are: only the gaps are filled,
so a late conflict or an adjustment moves one reviewer, not the round.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx


@dataclass(frozen=True)
class Plan:
    """New pairs to add and the subjects that cannot get enough reviewers.

    `pairs`: [(subject_id, user_id)] to assign. `short`: {subject_id: (eligible, needed)} for each
    subject whose eligible reviewers (not conflicted) are fewer than it needs: it is assigned all
    of them, and the operators are told.
    """

    pairs: list[tuple[int, str]] = field(default_factory=list)
    short: dict[int, tuple[int, int]] = field(default_factory=dict)


def plan(
    subjects: list[int],
    reviewers: list[str],
    *,
    per_subject: int,
    conflicts: set[tuple[int, str]],
    existing: list[tuple[int, str]] = (),
) -> Plan:
    """Fill every subject up to `per_subject` reviewers, keeping `existing` pairs.

    `subjects` are subject ids, `reviewers` Slack user ids (only those who may be assigned:
    declared their conflicts), `conflicts` {(subject_id, user_id)} never assigned.
    """
    held = set(existing)
    load = {r: sum(1 for _, u in held if u == r) for r in reviewers}
    graph = nx.DiGraph()
    wanted = 0
    short: dict[int, tuple[int, int]] = {}
    for s in subjects:
        have = sum(1 for subject, _ in held if subject == s)
        eligible = [r for r in reviewers if (s, r) not in conflicts and (s, r) not in held]
        needed = max(per_subject - have, 0)
        if len(eligible) + have < per_subject:
            short[s] = (len(eligible) + have, per_subject)
        take = min(needed, len(eligible))
        if not take:
            continue
        wanted += take
        graph.add_edge("source", ("s", s), capacity=take, weight=0)
        for r in eligible:
            graph.add_edge(("s", s), ("r", r), capacity=1, weight=0)
    if not wanted:
        return Plan(short=short)
    for r in reviewers:
        if ("r", r) not in graph:
            continue
        for j in range(1, len(subjects) + 1):
            unit = ("u", r, j)
            graph.add_edge(("r", r), unit, capacity=1, weight=load[r] + j)
            graph.add_edge(unit, "sink", capacity=1, weight=0)
    flow = nx.max_flow_min_cost(graph, "source", "sink")
    pairs = [
        (s, r)
        for s in subjects
        for node, units in flow.get(("s", s), {}).items()
        if units
        for r in [node[1]]
    ]
    return Plan(
        pairs=sorted(pairs, key=lambda p: (subjects.index(p[0]), reviewers.index(p[1]))),
        short=short,
    )
