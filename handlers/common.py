"""Small pieces every handler uses: the deps from Bolt's context, the reader's language, the
actor, and delivering a service's notices after its transaction committed."""

from __future__ import annotations

from bot.clients.slack import Notice
from bot.deps import Deps
from bot.services.members import Actor, resolve_actor


def deps_of(context) -> Deps:
    return context["deps"]


def lang_for(deps: Deps, user_id: str) -> str:
    """The user's language from their Slack locale (users.info, cached)."""
    return deps.slack.user_lang(user_id, deps.settings.default_language)


def load_actor(deps: Deps, session, user_id: str, lang: str) -> Actor:
    return resolve_actor(session, user_id, lang)


def deliver(deps: Deps, notices: list[Notice]) -> None:
    """Post notices; failures are logged by the gateway and never shown as a stack trace."""
    deps.slack.deliver(notices)
