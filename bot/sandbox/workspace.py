"""The sandbox workspace: its members and channels (configuration, not conversation state).

`Workspace.from_dict` takes the shape used by scenarios and tests::

    {"users": [{"id": "U0ALICE", "name": "alice", "tz": "America/Los_Angeles", "locale": "en-US"}],
     "channels": [{"id": "C0OPS", "name": "secretariat", "private": True},
                  {"id": "C0X", "name": "x", "bot_member": False}]}

Defaults: `tz` "Asia/Tokyo", `locale` "ja-JP", `real_name` = name, `bot_member` True.
Each user has one direct-message channel with the app, id `D` + the user id without its first
letter (stable across runs, like Slack's own stable DM ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Tokyo"
DEFAULT_LOCALE = "ja-JP"


@dataclass(frozen=True)
class User:
    """A workspace member (a person; the app's bot user is not listed here)."""

    id: str
    name: str
    real_name: str
    tz: str | None = DEFAULT_TZ
    locale: str = DEFAULT_LOCALE
    display_name: str = ""

    @property
    def dm_id(self) -> str:
        """The id of this user's DM with the app (`D…`)."""
        return "D" + self.id[1:]

    def tz_offset(self, now: datetime | None = None) -> int:
        """Offset of the user's zone from UTC in seconds *now* (as `users.info` gives it)."""
        if not self.tz:
            return 0
        when = now or datetime.now(ZoneInfo("UTC"))
        off = when.astimezone(ZoneInfo(self.tz)).utcoffset()
        return int(off.total_seconds()) if off else 0

    def tz_label(self, now: datetime | None = None) -> str:
        """A label such as "Japan Standard Time" / "JST" for the user's zone now."""
        if not self.tz:
            return "Coordinated Universal Time"
        when = now or datetime.now(ZoneInfo("UTC"))
        return when.astimezone(ZoneInfo(self.tz)).tzname() or self.tz


@dataclass(frozen=True)
class Channel:
    """A public (`C…`) or private channel; `bot_member` False makes posts fail `not_in_channel`."""

    id: str
    name: str
    private: bool = False
    bot_member: bool = True


@dataclass
class Workspace:
    """Members and channels of the sandbox workspace, with lookups by id and name."""

    users: list[User] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    team_id: str = "T0KIBAN"
    team_domain: str = "kiban-sandbox"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Workspace:
        """Build from `{"users": [...], "channels": [...]}` (see the module docstring).

        Raises ValueError on a duplicate id or a user without `id`/`name`.
        """
        users = []
        for u in data.get("users", []):
            name = u["name"]
            users.append(
                User(
                    id=u["id"],
                    name=name,
                    real_name=u.get("real_name", name),
                    tz=u.get("tz", DEFAULT_TZ),
                    locale=u.get("locale", DEFAULT_LOCALE),
                    display_name=u.get("display_name", name),
                )
            )
        channels = [
            Channel(
                id=c["id"],
                name=c["name"].lstrip("#"),
                private=bool(c.get("private", False)),
                bot_member=bool(c.get("bot_member", True)),
            )
            for c in data.get("channels", [])
        ]
        ids = [u.id for u in users] + [c.id for c in channels]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate user or channel id in workspace config")
        return cls(users=users, channels=channels)

    def user(self, user_id: str) -> User | None:
        """The user with this id, or None."""
        return next((u for u in self.users if u.id == user_id), None)

    def user_by_name(self, name: str) -> User | None:
        """The user with this `name` (a leading "@" is ignored), or None."""
        name = name.lstrip("@")
        return next((u for u in self.users if u.name == name), None)

    def user_by_dm(self, dm_id: str) -> User | None:
        """The user whose DM with the app has this `D…` id, or None."""
        return next((u for u in self.users if u.dm_id == dm_id), None)

    def channel(self, channel_id: str) -> Channel | None:
        """The channel with this id, or None."""
        return next((c for c in self.channels if c.id == channel_id), None)

    def channel_by_name(self, name: str) -> Channel | None:
        """The channel named `name` (a leading "#" is ignored), or None."""
        name = name.lstrip("#")
        return next((c for c in self.channels if c.name == name), None)

    def resolve_conversation(self, ref: str) -> str | None:
        """Map a channel reference to a conversation name, or None when unknown.

        `C…`/`G…` id → "#name"; `D…` id → "dm:USER"; `U…` id → "dm:USER" (Slack's
        chat.postMessage accepts a user id and posts into the DM with the app).
        """
        ch = self.channel(ref)
        if ch:
            return f"#{ch.name}"
        user = self.user_by_dm(ref) or self.user(ref)
        if user:
            return f"dm:{user.id}"
        return None
