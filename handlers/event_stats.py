"""`/event stats [YYYY-MM]` (operators): event participation per organization and per event.
The `/event` dispatcher (`handlers.events`) calls `stats` with the text after the subcommand."""

from __future__ import annotations

from bot.services import event_stats
from handlers.common import reply


def stats(deps, user: str, lang: str, rest: str, respond) -> None:
    """Answer ephemerally with the statistics of the month in `rest` (`2026-04`, `2026年4月`,
    `R8.4`, …; already decoded with `from_slack_text`), or of the last 12 months when blank.
    A non-operator or an unreadable month raises UserError (the dispatcher's `guarded` turns
    it into an ephemeral reply in the user's language)."""
    reply(
        deps,
        user,
        lang,
        respond,
        event_stats.stats_reply,
        settings=deps.settings,
        now=deps.now(),
        month=rest.strip() or None,
    )
