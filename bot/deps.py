"""What every listener and job needs, put in Bolt's context by one middleware as `deps`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import sessionmaker

from bot.clients.slack import SlackGateway
from bot.settings import Settings


def utc_now() -> datetime:
    """The real clock (aware, UTC)."""
    return datetime.now(UTC)


@dataclass
class Deps:
    """Settings, the session factory, the Slack gateway and the clock (`now()` → aware UTC)."""

    settings: Settings
    session_factory: sessionmaker
    slack: SlackGateway
    clock: Callable[[], datetime] = utc_now
    llm: object | None = None  # bot.clients.llm.LLMClient when LLM_BASE_URL is set

    def now(self) -> datetime:
        return self.clock()
