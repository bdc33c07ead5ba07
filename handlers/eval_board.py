"""`/eval leaderboard [benchmark] [--best]` and `/eval history [model]`: the read side of
evaluation results, dispatched here from `handlers/evals.py`."""

from __future__ import annotations

from bot.i18n import t
from bot.services import eval_leaderboard
from handlers.common import deliver, load_actor, reply


def board_command(deps, user: str, lang: str, sub: str, args: list[str], respond) -> None:
    if sub == "leaderboard":
        words = [a for a in args if a != "--best"]
        reply(
            deps,
            user,
            lang,
            respond,
            eval_leaderboard.leaderboard,
            benchmark=words[0] if words else None,
            best="--best" in args,
            settings=deps.settings,
        )
        return
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, lang)
        notices = eval_leaderboard.history(
            session=session,
            actor=actor,
            model=args[0] if args else None,
            org_code=None,
            settings=deps.settings,
            now=deps.now(),
        )
    if deliver(deps, notices):
        respond(text=t("error.generic", lang))
        return
    respond(text=t("compute.chart.done", lang))
