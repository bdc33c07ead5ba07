"""The sandbox workspace: its members and channels (configuration, not conversation state).

`Workspace.from_dict` takes the shape used by scenarios and tests::

    {"users": [{"id": "U0ALICE", "name": "alice", "tz": "America/Los_Angeles", "locale": "en-US"}],
     "channels": [{"id": "C0OPS", "name": "secretariat", "private": True},
                  {"id": "C0X", "name": "x", "bot_member": False}]}

Defaults: `tz` "Asia/Tokyo", `locale` "ja-JP", `real_name` = name, `bot_member` True.
Each user has one direct-message channel with the app, id `D` + the user id without its first
letter (stable across runs, like Slack's own stable DM ids).

Group DMs (Slack's `mpim`s) are opened at run time by `conversations.open` with 2–8 user ids
("Provide 1 to 8 user IDs … more than 1 will create a multi-person direct message",
conversations.open reference). The app's bot user is always a member. The id is `G0` + 9 hex
digits derived from the sorted member ids, so the same people in any order get the same id, in
every run. Conversation names (what `Sandbox.conversation` / `render` take):

- `#name` for a channel, `dm:USER` for a user's DM with the app (USER = the user id);
- `mpim:U1,U2,U3` for a group DM: its members' user ids, sorted, the bot not listed. Lookups
  also accept the members' names or ids in any order (`mpim:carol,alice,bob`).
"""

from __future__ import annotations

import hashlib
import threading
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


@dataclass(frozen=True)
class GroupDM:
    """A multi-person DM (`mpim`) among `members` (user ids, sorted) and the app."""

    id: str
    members: tuple[str, ...]

    @property
    def name(self) -> str:
        """The conversation name, `mpim:U1,U2,U3` (see the module docstring)."""
        return "mpim:" + ",".join(self.members)


@dataclass
class Workspace:
    """Members and channels of the sandbox workspace, with lookups by id and name."""

    users: list[User] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    team_id: str = "T0KIBAN"
    team_domain: str = "kiban-sandbox"
    group_dms: list[GroupDM] = field(default_factory=list)  # opened by conversations.open
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

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

    def open_group_dm(self, user_ids: list[str]) -> tuple[GroupDM, bool]:
        """The group DM among these users (ids, any order) and the app, opened when new;
        (group DM, True when it was already open)."""
        members = tuple(sorted(set(user_ids)))
        with self._lock:
            found = next((g for g in self.group_dms if g.members == members), None)
            if found:
                return found, True
            digest = hashlib.sha256(",".join(members).encode()).hexdigest()
            group = GroupDM(id="G0" + digest[:9].upper(), members=members)
            self.group_dms.append(group)
            return group, False

    def group_dm(self, ref: str) -> GroupDM | None:
        """The open group DM with this `G…` id or `mpim:` name (members by id or name, any
        order), or None."""
        if ref.startswith("mpim:"):
            users = [self.user(r) or self.user_by_name(r) for r in ref[5:].split(",")]
            if not all(users):
                return None
            members = tuple(sorted({u.id for u in users if u}))
            return next((g for g in list(self.group_dms) if g.members == members), None)
        return next((g for g in list(self.group_dms) if g.id == ref), None)

    def group_dms_of(self, user_id: str) -> list[GroupDM]:
        """The open group DMs `user_id` is a member of, oldest first."""
        return [g for g in list(self.group_dms) if user_id in g.members]

    def resolve_conversation(self, ref: str) -> str | None:
        """Map a channel reference to a conversation name, or None when unknown.

        `C…`/`G…` id → "#name"; group DM id (or `mpim:` name) → "mpim:U1,U2,…"; `D…` id →
        "dm:USER"; `U…` id → "dm:USER" (Slack's chat.postMessage accepts a user id and posts
        into the DM with the app).
        """
        ch = self.channel(ref)
        if ch:
            return f"#{ch.name}"
        group = self.group_dm(ref)
        if group:
            return group.name
        user = self.user_by_dm(ref) or self.user(ref)
        if user:
            return f"dm:{user.id}"
        return None
