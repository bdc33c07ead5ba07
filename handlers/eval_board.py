"""`/eval leaderboard [benchmark] [--best]` and `/eval history [ORG] [model]`: the read side of
evaluation results, dispatched here from `handlers/evals.py`."""

from __future__ import annotations

from bot.i18n import t
from bot.services import eval_leaderboard
from handlers.common import deliver, load_actor, reply
from storage import members as member_store


def board_command(deps, user: str, lang: str, sub: str, args: list[str], respond) -> None:
    if sub == "leaderboard":
        words = [a for a in args if a != "--best"]  # a benchmark name may have spaces
        reply(
            deps,
            user,
            lang,
            respond,
            eval_leaderboard.leaderboard,
            benchmark=" ".join(words) or None,
            best="--best" in args,
            settings=deps.settings,
        )
        return
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, lang)
        org_code = None  # `/eval history [ORG] [model]`: a first word naming an organization
        if args and member_store.get_org_by_code(session, args[0]) is not None:
            org_code, args = args[0], args[1:]
        notices = eval_leaderboard.history(
            session=session,
            actor=actor,
            model=" ".join(args) or None,
            org_code=org_code,
            settings=deps.settings,
            now=deps.now(),
        )
    if deliver(deps, notices):
        respond(text=t("error.generic", lang))
        return
    respond(text=t("compute.chart.done", lang))
