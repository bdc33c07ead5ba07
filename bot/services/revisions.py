"""Reports kept as revisions (usage reports, progress reports): what storing one did, and the
retry that makes concurrent writers of one key compare with each other's revision.

Each domain locks its key (an advisory lock on PostgreSQL) and compares with the current
revision itself; the partial unique index on the current revision is the backstop this
module's retry relies on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.clients.slack import Notice

CONFLICT_RETRIES = 3
R = TypeVar("R")


@dataclass
class StoreOutcome(Generic[R]):
    """What storing did: `status` is created / revised / unchanged / duplicate (the same
    `source_ref` again: a retried or double-clicked submission); `report` the revision in
    force, `previous` the one it superseded."""

    status: str
    report: R
    previous: R | None = None


@dataclass
class SubmitResult(Generic[R]):
    outcome: StoreOutcome[R]
    notices: list[Notice] = field(default_factory=list)


def store_with_retries(
    session: Session, store_once: Callable[[], StoreOutcome[R]], what: str
) -> StoreOutcome[R]:
    """Run `store_once` in a savepoint; when the database's unique indexes refuse it (another
    transaction stored a revision first), compare again, up to `CONFLICT_RETRIES` times.

    Raises RuntimeError when it keeps conflicting (a bug or a stuck writer, not user input).
    """
    for _attempt in range(CONFLICT_RETRIES):
        try:
            with session.begin_nested():
                return store_once()
        except IntegrityError:
            continue  # another transaction stored a revision first: compare with it
    raise RuntimeError(f"{what} kept conflicting; giving up")
