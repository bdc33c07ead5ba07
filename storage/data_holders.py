"""The data-holder directory: who holds what data, on what terms, and whom to contact.

Lists (domains, modalities, languages) are stored as JSON arrays of vocabulary codes
(`bot.services.data_vocab`). `key` is the holder's stable short key (from the import file, or
derived from the name in the modal), unique, so a re-import updates rather than duplicates.
The contact is a Slack user (`contact_user`) or, for people outside the workspace, an email
address (`contact_email`); never shown to members.

`ignored_streak` counts the introductions the contact left unanswered in a row; at three the
holder is left out of matching (`matching_paused`) until an operator saves it as active again.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime

IGNORED_LIMIT = 3  # unanswered introductions in a row before a holder leaves matching


class HolderStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


class CodeLists:
    """The vocabulary lists stored as JSON arrays (`domains_json`, …), read as lists."""

    @property
    def domains(self) -> list[str]:
        return json.loads(self.domains_json)

    @property
    def modalities(self) -> list[str]:
        return json.loads(self.modalities_json)

    @property
    def languages(self) -> list[str]:
        return json.loads(self.languages_json)


class DataHolder(CodeLists, SQLModel, table=True):
    """One data holder in the directory.

    `size_value` + `size_unit` is the approximate size parsed from `size_text` (units:
    `bytes`, `tokens`, `items`, `hours`; see `bot.parsing.data_size`), None when not given.
    """

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=200)
    organization: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=3000)
    domains_json: str = Field(default="[]", max_length=1000)
    modalities_json: str = Field(default="[]", max_length=500)
    languages_json: str = Field(default="[]", max_length=500)
    size_text: str = Field(default="", max_length=100)
    size_value: float | None = None
    size_unit: str | None = Field(default=None, max_length=16)
    licence: str = Field(default="", max_length=1000)
    access_conditions: str = Field(default="", max_length=2000)
    contact_user: str | None = Field(default=None, max_length=32)
    contact_email: str | None = Field(default=None, max_length=254)
    status: str = Field(default=HolderStatus.ACTIVE.value, max_length=16, index=True)
    ignored_streak: int = 0
    matching_paused: bool = False
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_by: str | None = Field(default=None, max_length=32)

    def set_lists(self, *, domains, modalities, languages) -> None:
        self.domains_json = json.dumps(list(domains))
        self.modalities_json = json.dumps(list(modalities))
        self.languages_json = json.dumps(list(languages))

    @property
    def matchable(self) -> bool:
        """Active and not left out of matching for ignored introductions."""
        return self.status == HolderStatus.ACTIVE.value and not self.matching_paused


def get_holder(session: Session, holder_id: int) -> DataHolder | None:
    return session.get(DataHolder, holder_id)


def get_holder_by_key(session: Session, key: str) -> DataHolder | None:
    return session.exec(select(DataHolder).where(DataHolder.key == key)).first()


def list_holders(session: Session, *, matchable_only: bool = False) -> list[DataHolder]:
    """All holders ordered by name (only matchable ones when asked)."""
    query = select(DataHolder).order_by(DataHolder.name, DataHolder.id)
    if matchable_only:
        query = query.where(
            DataHolder.status == HolderStatus.ACTIVE.value, DataHolder.matching_paused.is_(False)
        )
    return list(session.exec(query))
