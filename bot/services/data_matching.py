"""Matching a data request to holders: a structured score, explained per criterion, and an
optional LLM re-ranking with a one-line reason per match.

Structured score (0–100): the share of the request's domains, modalities and languages the
holder covers, and whether its approximate size meets the size needed, weighted
domains 35 / modalities 30 / languages 20 / size 15. A criterion the request leaves empty is
left out and the rest re-weighted; a size in another unit than the request's (GB vs tokens)
or not given counts half, and says so. A holder sharing no domain and no modality with the
request scores 0 and is not suggested (a shared language alone is no match). Only matchable holders (active, not left out for ignored introductions) take part.

The LLM (`bot.clients.llm`, when configured) gets the request's text and the top structured
candidates' public fields (never contacts), and returns an order with reasons; anything it
returns that is not one of the candidates is dropped. It is only called after the ack.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.parsing.data_size import comparable
from storage.data_holders import DataHolder
from storage.data_requests import DataRequest

log = logging.getLogger(__name__)

WEIGHTS = {"domains": 35, "modalities": 30, "languages": 20, "size": 15}
TOP = 3  # matches shown with a request
LLM_CANDIDATES = 10  # structured candidates the LLM may re-rank


@dataclass(frozen=True)
class Criterion:
    """One criterion's result: `kind` (domains/modalities/languages/size), `fraction` 0–1,
    and what explains it: the common and wanted codes, or for size `verdict` (meets, short,
    other_unit, unknown) with the holder's and the needed size."""

    kind: str
    fraction: float
    common: tuple[str, ...] = ()
    wanted: tuple[str, ...] = ()
    verdict: str = ""
    have: tuple[float, str] | None = None
    need: tuple[float, str] | None = None


@dataclass
class Match:
    holder_id: int
    name: str
    score: int  # 0–100
    criteria: list[Criterion] = field(default_factory=list)
    reason: str | None = None  # the LLM's one line, when re-ranked


def size_of(row) -> tuple[float, str] | None:
    return (row.size_value, row.size_unit) if row.size_value is not None else None


def score(request: DataRequest, holder: DataHolder) -> Match:
    """The structured score of `holder` for `request`, with its criteria."""
    criteria: list[Criterion] = []
    for kind in ("domains", "modalities", "languages"):
        wanted = getattr(request, kind)
        if not wanted:
            continue
        have = set(getattr(holder, kind))
        if kind == "languages" and "multi" in have:
            have |= set(wanted)  # a multilingual holder covers the languages asked for
        common = tuple(code for code in wanted if code in have)
        criteria.append(Criterion(kind, len(common) / len(wanted), common, tuple(wanted)))
    need = size_of(request)
    if need is not None:
        have_size = size_of(holder)
        if have_size is None:
            criteria.append(Criterion("size", 0.5, verdict="unknown", need=need))
        elif not comparable(have_size, need):
            criteria.append(Criterion("size", 0.5, verdict="other_unit", have=have_size, need=need))
        else:
            fraction = min(1.0, have_size[0] / need[0]) if need[0] else 1.0
            verdict = "meets" if fraction >= 1 else "short"
            criteria.append(Criterion("size", fraction, verdict=verdict, have=have_size, need=need))
    total = sum(WEIGHTS[c.kind] for c in criteria)
    got = sum(WEIGHTS[c.kind] * c.fraction for c in criteria)
    # what the data is (a domain or a modality) must overlap: a shared language alone is no match
    overlap = any(c.common for c in criteria if c.kind in ("domains", "modalities"))
    value = round(100 * got / total) if total and overlap else 0
    return Match(holder_id=holder.id, name=holder.name, score=value, criteria=criteria)


def structured_matches(
    request: DataRequest, holders: list[DataHolder], limit: int = TOP
) -> list[Match]:
    """The best `limit` matchable holders with a score above 0, best first (ties by name)."""
    scored = [score(request, h) for h in holders if h.matchable]
    ranked = sorted((m for m in scored if m.score > 0), key=lambda m: (-m.score, m.name))
    return ranked[:limit]


def llm_rerank(llm, request: DataRequest, holders: dict[int, DataHolder], candidates: list[Match]):
    """Re-rank `candidates` with the LLM: the top TOP in its order, each with its reason, or
    None when no LLM is configured or it failed (logged; the structured score stands)."""
    if llm is None or not candidates:
        return None
    listing = [
        {
            "id": m.holder_id,
            "name": holders[m.holder_id].name,
            "description": holders[m.holder_id].description[:600],
            "domains": holders[m.holder_id].domains,
            "modalities": holders[m.holder_id].modalities,
            "languages": holders[m.holder_id].languages,
            "size": holders[m.holder_id].size_text,
            "access_conditions": holders[m.holder_id].access_conditions[:300],
            "structured_score": m.score,
        }
        for m in candidates
    ]
    ask = {
        "data_needed": request.data_needed[:1500],
        "purpose": request.purpose[:1500],
        "domains": request.domains,
        "modalities": request.modalities,
        "languages": request.languages,
        "size_needed": request.size_text,
    }
    answer = llm.complete_json(
        system=(
            "You match a foundation-model developer's data request to data holders. Return JSON "
            '{"ranking": [{"id": <holder id>, "reason": "<one line, at most 120 characters>"}]} '
            f"with the best {TOP} candidates, best first. Use only the ids given."
        ),
        user={"request": ask, "candidates": listing},
    )
    if answer is None:
        return None
    by_id = {m.holder_id: m for m in candidates}
    ranked: list[Match] = []
    for item in answer.get("ranking") or []:
        if not isinstance(item, dict):
            continue
        holder_id = item.get("id")
        if holder_id in by_id and by_id[holder_id] not in ranked:
            reason = " ".join(str(item.get("reason") or "").split())[:200]
            match = by_id[holder_id]
            ranked.append(Match(match.holder_id, match.name, match.score, match.criteria, reason))
    if not ranked:
        log.warning("LLM re-ranking returned no known candidate; structured score only")
        return None
    return ranked[:TOP]
