"""Web API methods of the sandbox, with Slack's response shapes and error codes.

`WebAPI.call(method, params, headers)` returns `(http_status, body, extra_headers)`. Answers
are HTTP 200 `{"ok": true, ...}` / `{"ok": false, "error": ...}`, except the rate limit:
HTTP 429, `Retry-After`, `{"ok": false, "error": "ratelimited"}` (SLACK.md "Web API
behaviour"). Every `ok: false` except `ratelimited` is also recorded as a failure.
Error codes follow Slack's reference (and the OpenAPI spec in the shared fixtures).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import blockkit, store
from .errors import ApiError
from .files import FileMethods

if TYPE_CHECKING:
    from .sandbox import Sandbox

Result = tuple[int, dict, dict[str, str]]
MPIM_MAX_USERS = 8  # conversations.open: "too_many_users: Needs at most 8 users to open"


class TokenBucket:
    """Per-key token bucket: `rate` tokens/s, at most `burst` (chat.postMessage ~1/s/channel)."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> bool:
        """Take one token for `key`; False when the bucket is empty."""
        with self._lock:
            now = time.monotonic()
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1.0, now)
            return True


def _truthy(v: Any) -> bool:
    return v in (True, 1, "1", "true", "True")


class WebAPI(FileMethods):
    """The methods; one instance per sandbox."""

    def __init__(
        self,
        sb: Sandbox,
        *,
        post_rate: float = 1.0,
        post_burst: int = 5,
        workspace_post_rate: float | None = None,
        workspace_post_burst: int = 50,
    ) -> None:
        self.sb = sb
        self.bucket = TokenBucket(post_rate, post_burst)
        # Slack also limits a workspace's posts overall ("several hundred messages per
        # minute", chat.postMessage rate limits); off unless asked for (the fan-out bench)
        self.workspace_bucket = (
            TokenBucket(workspace_post_rate, workspace_post_burst) if workspace_post_rate else None
        )
        self.methods: dict[str, Callable[[dict], dict]] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "views.open": self.views_open,
            "views.push": self.views_push,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "conversations.open": self.conversations_open,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "users.info": self.users_info,
            "users.list": self.users_list,
            "files.getUploadURLExternal": self.files_get_upload_url,
            "files.completeUploadExternal": self.files_complete_upload,
            "files.info": self.files_info,
        }

    # dispatch --------------------------------------------------------------------------
    def call(self, method: str, params: dict, headers: dict[str, str]) -> Result:
        """Authenticate, run one method, and shape the answer (see the module docstring)."""
        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else params.get("token")
        try:
            if method not in self.methods:
                raise ApiError("unknown_method")
            if not token:
                raise ApiError("not_authed")
            if token != self.sb.bot_token:
                raise ApiError("invalid_auth")
            body = {"ok": True, **self.methods[method](params)}
            return 200, body, {}
        except ApiError as exc:
            body = {"ok": False, "error": exc.error, **exc.extra}
            if exc.error == "ratelimited":
                return 429, body, {"Retry-After": "1"}
            detail = "; ".join(exc.extra.get("errors", []))
            self.sb.state.fail(f"{method}: {exc.error}" + (f" ({detail})" if detail else ""))
            return 200, body, {}

    # helpers ---------------------------------------------------------------------------
    def _conversation(self, channel: str | None) -> str:
        if not channel:
            raise ApiError("channel_not_found")
        conv = self.sb.workspace.resolve_conversation(channel)
        if conv is None:
            raise ApiError("channel_not_found")
        ch = self.sb.workspace.channel(channel)
        if ch and not ch.bot_member:
            raise ApiError("not_in_channel")
        return conv

    def _channel_id(self, channel: str) -> str:
        user = self.sb.workspace.user(channel)
        return user.dm_id if user else channel

    def _check_blocks(self, method: str, params: dict) -> list | None:
        blocks = params.get("blocks")
        if blocks is None:
            return None
        errors = blockkit.validate_blocks(blocks)
        if errors:
            raise ApiError("invalid_blocks", **_meta(errors))
        if not params.get("text"):
            self.sb.state.fail(
                f"{method}: missing_text_fallback (blocks posted without `text`; "
                "notifications and screen readers get nothing)"
            )
        return blocks

    def _check_view(self, params: dict) -> dict:
        view = params.get("view")
        if not isinstance(view, dict):
            raise ApiError("invalid_arguments", **_meta(["must be an object [json-pointer:/view]"]))
        errors = blockkit.validate_view(view)
        if errors:
            raise ApiError("invalid_arguments", **_meta(errors))
        return view

    def _user(self, user_id: str | None):
        user = self.sb.workspace.user(user_id or "")
        if not user:
            raise ApiError("user_not_found")
        return user

    # auth / chat -------------------------------------------------------------------------
    def auth_test(self, params: dict) -> dict:
        """auth.test: url, team, user, team_id, user_id, bot_id."""
        sb = self.sb
        return {
            "url": f"https://{sb.workspace.team_domain}.slack.com/",
            "team": "Kiban Sandbox",
            "user": "kiban",
            "team_id": sb.team_id,
            "user_id": sb.bot_user_id,
            "bot_id": sb.bot_id,
            "is_enterprise_install": False,
        }

    def chat_post_message(self, params: dict) -> dict:
        """chat.postMessage: channel C/G/D/U or group DM id; rate 1/s/channel, burst 5 → 429."""
        conv = self._conversation(params.get("channel"))
        if not (params.get("text") or params.get("blocks") or params.get("attachments")):
            raise ApiError("no_text")
        if not self.bucket.take(conv):
            raise ApiError("ratelimited")
        if self.workspace_bucket and not self.workspace_bucket.take("workspace"):
            raise ApiError("ratelimited")
        blocks = self._check_blocks("chat.postMessage", params)
        extra = {"thread_ts": params["thread_ts"]} if params.get("thread_ts") else {}
        if params.get("metadata"):
            extra["metadata"] = _metadata(params["metadata"])
        entry = store.add_message(
            self.sb, conv, text=params.get("text"), blocks=blocks, extra=extra
        )
        return {
            "channel": self._channel_id(params["channel"]),
            "ts": entry.ts,
            "message": entry.raw,
        }

    def chat_post_ephemeral(self, params: dict) -> dict:
        """chat.postEphemeral: shown to `user` only (conversation `ephemeral:USER`); in a group
        DM `user` must be a member (`user_not_in_channel`)."""
        self._conversation(params.get("channel"))
        user = self._user(params.get("user"))
        channel_id = self._channel_id(params["channel"])
        group = self.sb.workspace.group_dm(channel_id)
        if group and user.id not in group.members:
            raise ApiError("user_not_in_channel")
        if not (params.get("text") or params.get("blocks") or params.get("attachments")):
            raise ApiError("no_text")
        blocks = self._check_blocks("chat.postEphemeral", params)
        entry = store.add_message(
            self.sb,
            f"ephemeral:{user.id}",
            text=params.get("text"),
            blocks=blocks,
            kind="ephemeral",
            channel_id=channel_id,
        )
        return {"message_ts": entry.ts}

    def _own_message(self, params: dict):
        conv = self._conversation(params.get("channel"))
        entry = self.sb.state.find_message(conv, str(params.get("ts") or ""))
        if entry is None:
            raise ApiError("message_not_found")
        if entry.user != self.sb.bot_user_id:
            raise ApiError("cant_update_message")
        return entry

    def chat_update(self, params: dict) -> dict:
        """chat.update: the bot's own message by channel + ts; keeps ts, replaces content."""
        entry = self._own_message(params)
        blocks = self._check_blocks("chat.update", params)
        store.replace_message(self.sb, entry, text=params.get("text"), blocks=blocks)
        return {
            "channel": self._channel_id(params["channel"]),
            "ts": entry.ts,
            "text": entry.text,
            "message": entry.raw,
        }

    def chat_delete(self, params: dict) -> dict:
        """chat.delete: remove the bot's own message."""
        entry = self._own_message(params)
        entry.deleted = True
        return {"channel": self._channel_id(params["channel"]), "ts": entry.ts}

    # views -------------------------------------------------------------------------------
    def views_open(self, params: dict) -> dict:
        """views.open: needs a trigger_id issued < 3 s ago and not used before."""
        view = self._check_view(params)
        if view.get("type") != "modal":
            raise ApiError(
                "invalid_arguments", **_meta(["must be modal [json-pointer:/view/type]"])
            )
        user, err = self.sb.state.use_trigger(params.get("trigger_id"))
        if err:
            raise ApiError(err)
        return {"view": store.open_modal(self.sb, user, view).view}

    def views_push(self, params: dict) -> dict:
        """views.push: on top of the open modal; stack of at most 3 (`push_limit_reached`)."""
        view = self._check_view(params)
        user, err = self.sb.state.use_trigger(params.get("trigger_id"))
        if err:
            raise ApiError(err)
        stack = self.sb.state.stacks.get(user) or []
        if not stack:
            raise ApiError("not_found")
        if len(stack) >= 3:
            raise ApiError("push_limit_reached")
        return {"view": store.push_modal(self.sb, user, view).view}

    def views_update(self, params: dict) -> dict:
        """views.update by view_id or external_id; a stale `hash` → `hash_conflict`."""
        view = self._check_view(params)
        state = self.sb.state
        with state.lock:
            rec = None
            if params.get("view_id"):
                rec = state.views.get(params["view_id"])
            elif params.get("external_id"):
                rec = next(
                    (
                        r
                        for r in state.views.values()
                        if r.open and r.view.get("external_id") == params["external_id"]
                    ),
                    None,
                )
            else:
                raise ApiError("invalid_arguments", **_meta(["view_id or external_id required"]))
            if rec is None or not rec.open:
                raise ApiError("not_found")
            if params.get("hash") and params["hash"] != rec.view["hash"]:
                raise ApiError("hash_conflict")
            if view.get("type") != rec.view.get("type"):
                raise ApiError(
                    "invalid_arguments", **_meta(["type cannot change [json-pointer:/view/type]"])
                )
            store.update_view(self.sb, rec, view)
            return {"view": rec.view}

    def views_publish(self, params: dict) -> dict:
        """views.publish: the App Home of `user_id` (`home:USER`)."""
        user = self._user(params.get("user_id"))
        view = self._check_view(params)
        if view.get("type") != "home":
            raise ApiError("invalid_arguments", **_meta(["must be home [json-pointer:/view/type]"]))
        with self.sb.state.lock:
            old = self.sb.state.homes.get(user.id)
            if (
                params.get("hash")
                and old
                and params["hash"] != self.sb.state.views[old].view["hash"]
            ):
                raise ApiError("hash_conflict")
            return {"view": store.publish_home(self.sb, user.id, view).view}

    # conversations / users -------------------------------------------------------------
    def conversations_open(self, params: dict) -> dict:
        """conversations.open: one user id → the stable DM id; 2–8 user ids → the group DM
        (mpim) among them and the app, the same id for the same people in any order; more
        than 8 → `too_many_users` ("Provide 1 to 8 user IDs", conversations.open reference).
        Answers `{"channel": {"id"}}`, with `no_op` / `already_open` when it was open."""
        users = list(dict.fromkeys(u.strip() for u in str(params.get("users") or "").split(",")))
        users = [u for u in users if u]
        if params.get("channel"):
            conv = self.sb.workspace.resolve_conversation(params["channel"])
            if conv is None:
                raise ApiError("channel_not_found")
            return {"channel": {"id": params["channel"]}}
        if not users:
            raise ApiError("users_list_not_supplied")
        if len(users) > MPIM_MAX_USERS:
            raise ApiError("too_many_users")
        found = [self._user(u) for u in users]
        if len(found) == 1:
            return {"channel": {"id": found[0].dm_id}, "no_op": True, "already_open": True}
        group, was_open = self.sb.workspace.open_group_dm([u.id for u in found])
        return {"channel": {"id": group.id}, "no_op": was_open, "already_open": was_open}

    def _messages(self, params: dict, keep) -> list[dict]:
        """Messages of `channel` newer than `oldest` that `keep(raw)` accepts, as Slack shows
        them (`metadata` only with include_all_metadata)."""
        conv = self._conversation(params.get("channel"))
        try:
            oldest = float(params.get("oldest") or 0)
        except ValueError as exc:
            raise ApiError("invalid_ts_oldest") from exc
        with_metadata = _truthy(params.get("include_all_metadata"))
        found = []
        for entry in self.sb.state.conversation(conv):
            if entry.kind != "message" or float(entry.ts) <= oldest or not keep(entry.raw):
                continue
            raw = dict(entry.raw)
            if not with_metadata:
                raw.pop("metadata", None)
            found.append(raw)
        return found

    def conversations_history(self, params: dict) -> dict:
        """conversations.history: the channel's messages (not thread replies), newest first,
        at most `limit` (default 100), newer than `oldest`; scope `*:history`."""
        limit = int(params.get("limit") or 100)
        found = self._messages(params, lambda raw: raw.get("thread_ts") in (None, raw.get("ts")))
        found.reverse()
        return {"messages": found[:limit], "has_more": len(found) > limit}

    def conversations_replies(self, params: dict) -> dict:
        """conversations.replies: the thread of `ts` (its parent first, then replies oldest
        first), at most `limit` (default 100); `thread_not_found` when there is none."""
        ts = params.get("ts")
        limit = int(params.get("limit") or 100)
        found = self._messages(
            {**params, "oldest": None},
            lambda raw: raw.get("ts") == ts or raw.get("thread_ts") == ts,
        )
        if not found:
            raise ApiError("thread_not_found")
        return {"messages": found[:limit], "has_more": len(found) > limit}

    def _user_obj(self, user, include_locale: bool) -> dict:
        obj = {
            "id": user.id,
            "team_id": self.sb.team_id,
            "name": user.name,
            "deleted": False,
            "real_name": user.real_name,
            "tz": user.tz,
            "tz_label": user.tz_label(),
            "tz_offset": user.tz_offset(),
            "is_bot": False,
            "is_app_user": False,
            "profile": {
                "real_name": user.real_name,
                "display_name": user.display_name,
                "team": self.sb.team_id,
            },
        }
        if include_locale:
            obj["locale"] = user.locale
        return obj

    def users_info(self, params: dict) -> dict:
        """users.info: tz, tz_offset now; `locale` only with include_locale=true."""
        user = self._user(params.get("user"))
        return {"user": self._user_obj(user, _truthy(params.get("include_locale")))}

    def users_list(self, params: dict) -> dict:
        """users.list: `members`, paginated by `cursor` / `limit`."""
        limit = int(params.get("limit") or 0) or 200
        cursor = params.get("cursor") or ""
        try:
            start = int(base64.b64decode(cursor).decode().split(":")[1]) if cursor else 0
        except (ValueError, IndexError) as exc:
            raise ApiError("invalid_cursor") from exc
        users = self.sb.workspace.users
        page = users[start : start + limit]
        nxt = start + limit
        next_cursor = base64.b64encode(f"user:{nxt}".encode()).decode() if nxt < len(users) else ""
        include_locale = _truthy(params.get("include_locale"))
        return {
            "members": [self._user_obj(u, include_locale) for u in page],
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }


def _metadata(value: Any) -> dict:
    """chat.postMessage's `metadata` (a JSON object, or its text in a form body), kept as given:
    `{"event_type": str, "event_payload": dict}`; anything else is `invalid_metadata_format`."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ApiError("invalid_metadata_format") from exc
    if not isinstance(value, dict) or not isinstance(value.get("event_type"), str):
        raise ApiError("invalid_metadata_format")
    if not isinstance(value.get("event_payload", {}), dict):
        raise ApiError("invalid_metadata_format")
    return value


def _meta(errors: list[str]) -> dict:
    body = blockkit.error_response(errors)
    return {"errors": body["errors"], "response_metadata": body["response_metadata"]}
