"""The introduction pipeline: how many requests and introductions reached each step, overall,
per organization and per month (of the request, in the programme's zone).

A stage counts every introduction that reached it or went further (a contract was also met;
one that ended as no fit after a trial counts as met, NDA and trial), so the counts read as a
funnel; `no_fit` is also counted on its own. Used by `/data pipeline`
(operators), the weekly operator digest and the monthly report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session

from bot.blocks import introductions as blocks
from bot.blocks.common import Message
from bot.services.members import Actor
from bot.settings import Settings
from storage import data_requests as store
from storage import members as member_store
from storage.data_requests import STAGE_ORDER, Answer, RequestStatus, Stage

STEPS = blocks.STEPS


@dataclass
class Funnel:
    """Counts of one slice: `steps` (STEPS → count), `outcomes` (declined requests, holder
    declines, not now, ignored, no fit, waiting for review or details)."""

    steps: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)


@dataclass
class Pipeline:
    total: Funnel
    by_org: dict[str, Funnel]
    by_month: dict[str, Funnel]


def pipeline(session: Session, settings: Settings, month: str | None = None) -> Pipeline:
    """The funnel over every request (or those created in `month`, `YYYY-MM`)."""
    total = Funnel()
    by_org: dict[str, Funnel] = defaultdict(Funnel)
    by_month: dict[str, Funnel] = defaultdict(Funnel)
    orgs = {org.id: org.name for org in member_store.list_orgs(session)}
    intros = defaultdict(list)
    for intro in store.all_introductions(session):
        intros[intro.request_id].append(intro)
    for request in store.all_requests(session):
        created = request.created_at.astimezone(settings.tz).strftime("%Y-%m")
        if month and created != month:
            continue
        for funnel in (total, by_org[orgs[request.organization_id]], by_month[created]):
            _count(funnel, request, intros[request.id])
    return Pipeline(total, dict(sorted(by_org.items())), dict(sorted(by_month.items())))


def _count(funnel: Funnel, request, intros) -> None:
    funnel.steps["requests"] += 1
    if request.status == RequestStatus.APPROVED.value:
        funnel.steps["approved"] += 1
    else:
        funnel.outcomes[f"request_{request.status}"] += 1
    for intro in intros:
        funnel.steps["asked"] += 1
        if intro.answer != Answer.ACCEPTED.value:
            funnel.outcomes[f"answer_{intro.answer}"] += 1
            continue
        funnel.steps["accepted"] += 1
        if intro.stage == Stage.NO_FIT.value:
            funnel.outcomes["no_fit"] += 1
        reached = STAGE_ORDER.index(Stage(intro.reached or Stage.INTRODUCED.value))
        for stage in STAGE_ORDER[1 : reached + 1]:
            funnel.steps[stage.value] += 1


def pipeline_reply(*, session: Session, actor: Actor, settings: Settings) -> Message:
    """`/data pipeline` (operators). Raises UserError for anyone else."""
    actor.require_operator()
    return blocks.build_pipeline(pipeline(session, settings), actor.lang)
