"""The driver: a person using the workspace, sending signed requests to the bot.

Every request carries `X-Slack-Request-Timestamp` (now) and `X-Slack-Signature` =
`v0=` + HMAC-SHA256(signing_secret, "v0:{ts}:{raw body}") (SLACK.md "Signed requests").
`send_raw(...)` posts a body signed wrongly, late, or not at all, and `resend(record)` replays a
journalled request byte for byte: tests of the bot's request verification.
Each action measures the bot's ack (`late` when > 3 s, also a failure), applies it the way
Slack would, journals it ("slack->bot"), then calls `settle()` to let the bot finish.

Payload keys follow Slack's (see the java-slack-sdk payload fixtures): slash commands are
form-encoded fields; interactions (button clicks, view submissions, message shortcuts as
`message_action`) are `payload=<json>`; events are JSON `event_callback`s.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode

from . import acks, blockkit, files, forms, store
from .journal import redact
from .state import ACK_DEADLINE, AckResult, Entry, ViewRecord

if TYPE_CHECKING:
    from .sandbox import Sandbox

VERIFICATION_TOKEN = "sandbox-verification-token"  # legacy field Slack still sends; fake


class DriverError(RuntimeError):
    """The person cannot do that (no modal open, no such label or button, ...)."""


def sign(secret: str, timestamp: str, body: str) -> str:
    """Slack's request signature `v0=<hex>` for `body` sent at `timestamp`."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def default_settle(sb: Sandbox, quiet: float = 0.3, limit: float = 15.0) -> None:
    """Wait until no Web API call is in flight and none arrived for `quiet` s (max `limit`)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with sb.state.lock:
            idle = sb.state.inflight == 0 and time.monotonic() - sb.state.last_activity >= quiet
        if idle:
            return
        time.sleep(0.02)


class Driver:
    """Acts like a person; obtain one with `Sandbox.driver(settle=None)`."""

    def __init__(self, sb: Sandbox, settle: Callable[[], None] | None = None) -> None:
        self.sb = sb
        self._settle = settle or (lambda: default_settle(sb))

    # plumbing ------------------------------------------------------------------------------
    def settle(self) -> None:
        """Wait until the bot is done (the callable given to `Sandbox.driver`)."""
        self.sb.state.touch()
        self._settle()

    def _user(self, user_id: str):
        user = self.sb.workspace.user(user_id)
        if user is None:
            raise self._error(f"no user {user_id!r} in the workspace")
        return user

    def _error(self, message: str) -> DriverError:
        self.sb.state.fail(f"driver: {message}")
        return DriverError(message)

    def _send(self, kind: str, body: str, content_type: str) -> AckResult:
        """POST a signed request to the bot; journal it; flag late acks and HTTP ≥ 400."""
        ts = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sign(self.sb.signing_secret, ts, body),
        }
        return self._post(kind, body, headers)

    def send_raw(
        self,
        body: str,
        content_type: str = "application/json",
        *,
        timestamp: int | str | None = None,
        secret: str | None = None,
        signed_body: str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        omit: tuple[str, ...] = (),
    ) -> AckResult:
        """POST `body` as Slack would, or as a forger would (tests of request verification).

        By default it is signed like `_send` (now, the sandbox's secret). `timestamp`: the
        `X-Slack-Request-Timestamp` sent and signed (e.g. 10 minutes ago); `secret`: sign with
        another secret; `signed_body`: sign these bytes but send `body` (altered after
        signing); `signature`: send this `X-Slack-Signature` as is; `headers`: more headers
        (e.g. `X-Slack-Retry-Num`); `omit`: header names to leave out. Journalled with kind
        "raw"; an HTTP error is the caller's to assert, not a sandbox failure. No settle.
        """
        ts = str(int(time.time()) if timestamp is None else timestamp)
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature
            or sign(
                secret or self.sb.signing_secret, ts, body if signed_body is None else signed_body
            ),
            **(headers or {}),
        }
        dropped = {name.lower() for name in omit}
        sent = {k: v for k, v in sent.items() if k.lower() not in dropped}
        return self._post("raw", body, sent, strict=False)

    def resend(self, record: dict, headers: dict[str, str] | None = None) -> AckResult:
        """POST a journalled "slack->bot" request again, byte for byte with its original
        headers (an exact replay), plus `headers`. Like `send_raw`, no failure and no settle."""
        request = record["request"]
        return self._post(
            "raw", request["raw"], {**request["headers"], **(headers or {})}, strict=False
        )

    def _post(
        self, kind: str, body: str, headers: dict[str, str], *, strict: bool = True
    ) -> AckResult:
        sb = self.sb
        if not sb.bot_url:
            raise self._error("sb.bot_url is not set")
        content_type = headers.get("Content-Type", "")
        req = urllib.request.Request(sb.bot_url, data=body.encode(), headers=headers, method="POST")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, text = resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode("utf-8", "replace")
        except OSError as exc:
            status, text = 0, f"{type(exc).__name__}: {exc}"
        elapsed = time.monotonic() - started
        try:
            parsed = json.loads(text) if text.strip() else None
        except json.JSONDecodeError:
            parsed = None
        result = AckResult(
            status=status,
            body=text,
            json=parsed if isinstance(parsed, dict) else None,
            elapsed=elapsed,
            late=elapsed > ACK_DEADLINE,
        )
        failure = None
        if result.late:
            failure = f"{kind}: acknowledged after {elapsed:.2f} s (Slack allows 3 s)"
        if status >= 400 or status == 0:
            failure = (
                failure + "; " if failure else ""
            ) + f"{kind}: bot answered HTTP {status}: {text[:200]}"
        if failure and strict:
            sb.state.fail(failure)
        try:
            if content_type.startswith("application/json"):
                parsed_req: Any = json.loads(body)
            else:
                form = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
                parsed_req = json.loads(form["payload"]) if "payload" in form else form
        except json.JSONDecodeError:
            parsed_req = body  # a forged body (send_raw)
        sb.journal.write(
            direction="slack->bot",
            kind=kind,
            elapsed_ms=elapsed * 1000,
            request={
                "url": sb.bot_url,
                "headers": headers,
                "raw": body,
                "body": redact(parsed_req),
            },
            response={"status": status, "body": text},
            failure=failure,
            redact_request=False,
        )
        return result

    def _interaction(self, kind: str, payload: dict) -> AckResult:
        return self._send(
            kind, urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    def forge_submission(self, user: str, view: dict) -> AckResult:
        """Send a `view_submission` of `view` as `user`, as a forged or stale client would: no
        modal needs to be open and no client-side check runs (tests of server-side checks)."""
        payload = {
            "type": "view_submission",
            "user": {"id": user},
            "team": {"id": self.sb.team_id},
            "api_app_id": self.sb.app_id,
            "token": VERIFICATION_TOKEN,
            "trigger_id": self.sb.state.issue_trigger(user),
            "view": view,
        }
        ack = self._interaction("view_submission", payload)
        self.settle()
        return ack

    def _user_obj(self, user) -> dict:
        return {"id": user.id, "username": user.name, "name": user.name, "team_id": self.sb.team_id}

    def _team(self) -> dict:
        return {"id": self.sb.team_id, "domain": self.sb.workspace.team_domain}

    # slash command ---------------------------------------------------------------------------
    def command(self, user: str, command_line: str, channel: str | None = None) -> AckResult:
        """Run a slash command: "/compute report" → command "/compute", text "report".

        `channel`: "#name" or a channel id; default the user's DM with the app. A JSON ack with
        `text`/`blocks` is shown to the user (ephemeral) or, with `response_type: in_channel`,
        posted in the channel; its blocks are validated like a message's.
        """
        sb = self.sb
        u = self._user(user)
        cmd, _, text = command_line.strip().partition(" ")
        if channel:
            ch = sb.workspace.channel(channel) or sb.workspace.channel_by_name(channel)
            if ch is None:
                raise self._error(f"no channel {channel!r}")
            cid, cname, conv = ch.id, ch.name, f"#{ch.name}"
        else:
            cid, cname, conv = u.dm_id, "directmessage", f"dm:{u.id}"
        rurl = sb.state.issue_response_url(u.id, conv, cid)
        form = {
            "token": VERIFICATION_TOKEN,
            "team_id": sb.team_id,
            "team_domain": sb.workspace.team_domain,
            "channel_id": cid,
            "channel_name": cname,
            "user_id": u.id,
            "user_name": u.name,
            "command": cmd,
            "text": text.strip(),
            "api_app_id": sb.app_id,
            "is_enterprise_install": "false",
            "response_url": f"{sb.base_url}response/{rurl.token}",
            "trigger_id": sb.state.issue_trigger(u.id),
        }
        ack = self._send("slash_command", urlencode(form), "application/x-www-form-urlencoded")
        if ack.status == 200 and ack.body.strip():
            acks.show_command_ack(self.sb, u.id, ack, conv, cid, cmd)
        self.settle()
        return ack

    # modals ------------------------------------------------------------------------------------
    def _top(self, user: str) -> ViewRecord:
        rec = store.top_modal(self.sb, user)
        if rec is None:
            raise self._error(f"no modal is open for {user}")
        return rec

    def fill(
        self,
        user: str,
        values: dict[str, Any],
        submit: bool = True,
        *,
        base_dir: Path | str | None = None,
    ) -> AckResult | None:
        """Type `values` ({input label: value}) into the user's top modal; submit it.

        Labels must equal an input block's `label.text` exactly. Fields not given keep what was
        typed before, else their `initial_*` value. With `submit=False` nothing is sent (None).
        An external_select / multi_external_select value (each value of a list) is typed: unless
        it equals an `initial_option(s)` text or value, the app gets a `block_suggestion` with it
        as the query (see `suggest`) and the offered option whose text or value equals it is
        picked. No such option, a query shorter than `min_query_length` (default 3) or options
        Slack would reject (also recorded as a failure) raise DriverError.
        A file_input takes a local path or a list of paths (relative to `base_dir`, default the
        working directory): each file is uploaded by the user as Slack's client does when it is
        picked (stored like `upload`, downloadable with the bot token) and its file object goes
        in the state; a type outside `filetypes` or more than `max_files` files is refused.
        A required input left empty is refused by Slack's client: an "errors" entry is added,
        nothing is sent, None is returned. Otherwise the `view_submission` ack is applied:
        empty → the top view closes; `response_action` errors / update / push / clear as Slack.
        """
        u = self._user(user)
        rec = self._top(u.id)
        inputs = forms.input_blocks(rec.view)
        for label, value in values.items():
            block = next((b for b in inputs if forms.label_of(b) == label), None)
            if block is None:
                labels = ", ".join(repr(forms.label_of(b)) for b in inputs)
                raise self._error(f"no input labelled {label!r} in the modal; labels: {labels}")
            el = block.get("element") or {}
            try:
                state = forms.typed_state(
                    el,
                    value,
                    self.sb.workspace,
                    upload=lambda name, data: self._attach(u.id, name, data),
                    suggest=lambda query, b=block: self._offered(u, rec, b, query),
                    base_dir=base_dir,
                )
            except forms.FormError as exc:
                raise self._error(f"{label!r}: {exc}") from exc
            rec.typed.setdefault(block["block_id"], {})[el.get("action_id")] = state
        if not submit:
            return None
        view = store.with_state(self.sb, rec)
        missing = {
            b["block_id"]: "This field is required."  # Slack's client-side check
            for b in inputs
            if not b.get("optional")
            and forms.is_empty(view["state"]["values"][b["block_id"]][b["element"]["action_id"]])
        }
        if missing:
            rec.errors = missing
            store.view_entry(
                self.sb, rec, "not submitted: required fields are empty", kind="errors"
            )
            return None
        rec.errors = {}
        payload = {
            "type": "view_submission",
            "team": self._team(),
            "user": self._user_obj(u),
            "api_app_id": self.sb.app_id,
            "token": VERIFICATION_TOKEN,
            "trigger_id": self.sb.state.issue_trigger(u.id),
            "view": view,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        ack = self._interaction("view_submission", payload)
        if ack.status == 200:
            acks.apply_submission_ack(self.sb, u.id, rec, ack)
        self.settle()
        return ack

    def suggest(self, user: str, label: str, query: str) -> list[dict]:
        """The options the app offers when `user` types `query` into the external select
        labelled `label` in their top modal (one `block_suggestion` request), as it sent them
        (option groups flattened). A query shorter than `min_query_length` (default 3) is not
        sent (DriverError); an answer Slack would reject is recorded in failures."""
        u = self._user(user)
        rec = self._top(u.id)
        inputs = forms.input_blocks(rec.view)
        block = next((b for b in inputs if forms.label_of(b) == label), None)
        el = (block or {}).get("element") or {}
        if block is None or el.get("type") not in forms.EXTERNAL_SELECTS:
            raise self._error(f"no external select labelled {label!r} in the modal")
        try:
            forms.check_query(el, query)
        except forms.FormError as exc:
            raise self._error(f"{label!r}: {exc}") from exc
        return self._request_options(u, rec, block, query)[0]

    def _request_options(
        self, u, rec: ViewRecord, block: dict, query: str
    ) -> tuple[list[dict], list[str]]:
        """Send one `block_suggestion` (what Slack's client sends as the person types; keys as
        in Slack's payload) and read the ack `{"options"}` / `{"option_groups"}`: (the options,
        option groups flattened; the problems Slack would reject, each recorded as a failure)."""
        sb = self.sb
        el = block["element"]
        payload = {
            "type": "block_suggestion",
            "user": self._user_obj(u),
            "container": {"type": "view", "view_id": rec.view["id"]},
            "api_app_id": sb.app_id,
            "token": VERIFICATION_TOKEN,
            "action_id": el.get("action_id"),
            "block_id": block["block_id"],
            "value": query,
            "team": self._team(),
            "enterprise": None,
            "is_enterprise_install": False,
            "view": store.with_state(sb, rec),
            "action_ts": sb.state.next_ts(),
        }
        ack = self._interaction("block_suggestion", payload)
        if ack.status != 200:
            return [], [f"HTTP {ack.status}"]  # `_send` recorded it
        body = ack.json if ack.body.strip() else {"options": []}  # empty ack: no options
        problems = (
            blockkit.validate_options_response(body)
            if body is not None
            else [f"ack body is not a JSON object: {ack.body[:100]!r}"]
        )
        if problems:
            sb.state.fail(f"block_suggestion {el.get('action_id')!r}: {'; '.join(problems)}")
        data = body if isinstance(body, dict) else {}
        options = [o for o in data.get("options") or [] if isinstance(o, dict)]
        for group in data.get("option_groups") or []:
            if isinstance(group, dict):
                options += [o for o in group.get("options") or [] if isinstance(o, dict)]
        return options, problems

    def _offered(self, u, rec: ViewRecord, block: dict, query: str) -> list[dict]:
        """`forms.Suggester` for `fill`: the options offered, or FormError when Slack would
        show none (the app's answer failed or broke Slack's limits)."""
        options, problems = self._request_options(u, rec, block, query)
        if problems:
            raise forms.FormError(
                f"the app's options for {query!r} were refused: {'; '.join(problems)[:300]}"
            )
        return options

    def _attach(self, user_id: str, name: str, data: bytes) -> dict:
        """A file picked in a file_input: stored as the user's upload, shared nowhere yet."""
        fid = files.add_file(self.sb, name, data, user=user_id, channels=[])
        return files.file_object(self.sb, fid)

    def modal_errors(self, user: str) -> dict[str, str]:
        """{input label: error message} shown in the user's top modal now ({} if none)."""
        rec = store.top_modal(self.sb, user)
        if rec is None:
            return {}
        labels = {b["block_id"]: forms.label_of(b) for b in forms.input_blocks(rec.view)}
        return {labels.get(bid, bid): msg for bid, msg in rec.errors.items()}

    # buttons -----------------------------------------------------------------------------------
    @staticmethod
    def _find_button(blocks: list[dict] | None, text: str) -> tuple[dict, dict] | None:
        for b in blocks or []:
            els = list(b.get("elements") or []) if b.get("type") == "actions" else []
            if isinstance(b.get("accessory"), dict):
                els.append(b["accessory"])
            for el in els:
                if el.get("type") == "button" and (el.get("text") or {}).get("text") == text:
                    return b, el
                if el.get("type") == "static_select":  # choosing an option acts at once
                    for option in el.get("options") or []:
                        if (option.get("text") or {}).get("text") == text:
                            return b, {**el, "selected_option": option}
        return None

    def _conversation_names(self, user: str, conversation: str) -> list[str]:
        """The conversation(s) `conversation` means to `user`: several for "group"."""
        ws = self.sb.workspace
        if conversation in ("dm", "ephemeral", "home", "modal"):
            return [f"{conversation}:{user}"]
        if conversation == "group":
            names = [g.name for g in ws.group_dms_of(user)]
            if not names:
                raise self._error(f"{user} is in no group DM")
            return names
        group = ws.group_dm(conversation)
        if group:
            if user not in group.members:
                raise self._error(f"{user} is not a member of the group DM {group.name}")
            return [group.name]
        if conversation.startswith("mpim:"):
            raise self._error(f"no group DM {conversation!r} is open")
        if conversation.startswith("#") or ":" in conversation:
            return [conversation]
        ch = ws.channel(conversation)
        if ch:
            return [f"#{ch.name}"]
        raise self._error(f"unknown conversation {conversation!r}")

    def click(self, user: str, button_text: str, conversation: str = "dm") -> AckResult:
        """Click the button labelled `button_text` in the latest entry of `conversation` having one
        (or choose the option with that text in a static select of an actions block or an
        accessory, which Slack sends at once as a `static_select` action).

        `conversation`: "dm", "ephemeral", "home", "modal" (the top view), "group" (the user's
        group DMs: the latest message with that button in any of them), "#name", a group DM's
        id or `mpim:` name, or a full conversation name. Only a member can click in a group DM.
        Sends `block_actions` with Slack's keys; messages get a fresh response_url
        (replace_original / delete_original act on the clicked message).
        """
        sb = self.sb
        u = self._user(user)
        names = self._conversation_names(u.id, conversation)
        name = names[0]
        action_ts = sb.state.next_ts()
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user_obj(u),
            "api_app_id": sb.app_id,
            "token": VERIFICATION_TOKEN,
            "trigger_id": sb.state.issue_trigger(u.id),
            "team": self._team(),
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if name.startswith(("modal:", "home:")):
            with sb.state.lock:
                if name.startswith("modal:"):
                    rec = self._top(u.id)
                else:
                    vid = sb.state.homes.get(u.id)
                    if vid is None:
                        raise self._error(f"{u.id} has no App Home view")
                    rec = sb.state.views[vid]
                found = self._find_button(rec.view.get("blocks"), button_text)
                view = store.with_state(sb, rec)
            if found is None:
                raise self._error(f"no button {button_text!r} in {name}")
            payload.update(
                container={"type": "view", "view_id": rec.view["id"]},
                view=view,
                state=view["state"],
            )
        else:
            entry, found = self._find_message_button(names, button_text)
            name, is_eph = entry.conversation, entry.kind == "ephemeral"
            conv = sb.workspace.resolve_conversation(entry.channel_id) or name
            rurl = sb.state.issue_response_url(u.id, conv, entry.channel_id, entry.ts, name)
            payload.update(
                container={
                    "type": "message",
                    "message_ts": entry.ts,
                    "channel_id": entry.channel_id,
                    "is_ephemeral": is_eph,
                },
                channel={"id": entry.channel_id, "name": self._channel_name(entry.channel_id)},
                state={"values": {}},
                response_url=f"{sb.base_url}response/{rurl.token}",
            )
            if not is_eph:
                payload["message"] = entry.raw
        block, el = found
        if el.get("type") == "static_select":
            action = {
                "action_id": el.get("action_id"),
                "block_id": block.get("block_id"),
                "type": "static_select",
                "selected_option": el["selected_option"],
                "action_ts": action_ts,
            }
            if el.get("placeholder"):
                action["placeholder"] = el["placeholder"]
        else:
            action = {
                "action_id": el.get("action_id"),
                "block_id": block.get("block_id"),
                "text": el.get("text"),
                "type": "button",
                "action_ts": action_ts,
            }
        for key in ("value", "style", "url") if action["type"] == "button" else ():
            if el.get(key) is not None:
                action[key] = el[key]
        payload["actions"] = [action]
        ack = self._interaction("block_actions", payload)
        self.settle()
        return ack

    # shortcuts --------------------------------------------------------------------------------
    def shortcut(
        self,
        user: str,
        callback_id: str,
        conversation: str = "dm",
        message_text_contains: str | None = None,
    ) -> AckResult:
        """Use the message shortcut `callback_id` (a message's ⋮ menu) on the latest message
        of `conversation`, or the latest one whose text (as sent or as read) contains
        `message_text_contains`.

        `conversation`: "dm" (the user's DM with the app), "#name", a channel id, "group" or a
        group DM the user is in (its id or `mpim:` name), or a full conversation name. Slack
        offers no shortcut on ephemeral messages, views or the Home tab (DriverError). Sends
        Slack's `message_action` payload (`callback_id`, `trigger_id`, `response_url`,
        `channel`, `message_ts`, `message` as stored); an ack body is ignored, as Slack does.
        """
        sb = self.sb
        u = self._user(user)
        if conversation.split(":", 1)[0] in ("ephemeral", "modal", "home"):
            raise self._error(f"Slack offers no message shortcut in {conversation!r}")
        names = self._conversation_names(u.id, conversation)
        with sb.state.lock:
            entries = [
                e
                for e in sb.state.entries
                if e.conversation in names
                and e.kind in ("message", "file")
                and not e.deleted
                and (
                    message_text_contains is None
                    or message_text_contains in e.text
                    or message_text_contains in e.rendered
                )
            ]
        if not entries:
            wanted = f" containing {message_text_contains!r}" if message_text_contains else ""
            raise self._error(f"no message{wanted} in {' or '.join(names)}")
        entry = entries[-1]
        conv = sb.workspace.resolve_conversation(entry.channel_id) or entry.conversation
        rurl = sb.state.issue_response_url(u.id, conv, entry.channel_id)
        payload: dict[str, Any] = {
            "type": "message_action",
            "token": VERIFICATION_TOKEN,
            "action_ts": sb.state.next_ts(),
            "team": self._team(),
            "user": self._user_obj(u),
            "channel": {"id": entry.channel_id, "name": self._channel_name(entry.channel_id)},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": sb.state.issue_trigger(u.id),
            "response_url": f"{sb.base_url}response/{rurl.token}",
            "message_ts": entry.ts,
            "message": json.loads(json.dumps(entry.raw)),
        }
        ack = self._interaction("message_action", payload)
        self.settle()
        return ack

    def _find_message_button(self, names: list[str], text: str) -> tuple[Entry, tuple[dict, dict]]:
        with self.sb.state.lock:
            entries = [e for e in self.sb.state.entries if e.conversation in names]
        for entry in reversed(entries):
            if entry.kind in ("message", "ephemeral") and not entry.deleted:
                found = self._find_button(entry.blocks, text)
                if found:
                    return entry, found
        raise self._error(f"no message in {' or '.join(names)} has a button {text!r}")

    def _channel_name(self, channel_id: str) -> str:
        """`channel.name` in payloads: the channel's name, "mpdm-a--b-1" for a group DM (Slack's
        mpim naming), "directmessage" for a DM."""
        ws = self.sb.workspace
        if ch := ws.channel(channel_id):
            return ch.name
        if group := ws.group_dm(channel_id):
            names = sorted(u.name for m in group.members if (u := ws.user(m)))
            return "mpdm-" + "--".join(names) + "-1"
        return "directmessage"

    # events --------------------------------------------------------------------------------------
    def _event(self, event: dict[str, Any], event_time: float) -> AckResult:
        """Send `event` in a signed Events API `event_callback` envelope (JSON), then settle."""
        sb = self.sb
        body = {
            "token": VERIFICATION_TOKEN,
            "team_id": sb.team_id,
            "api_app_id": sb.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": sb.state.new_id("Ev", 10),
            "event_time": int(event_time),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": sb.team_id,
                    "user_id": sb.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": "4-" + sb.state.new_id("", 24),
        }
        ack = self._send("event_callback", json.dumps(body), "application/json")
        self.settle()
        return ack

    def open_home(self, user: str) -> AckResult:
        """Open the app's Home tab: an `app_home_opened` event_callback."""
        sb = self.sb
        u = self._user(user)
        now = time.time()
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": u.id,
            "channel": u.dm_id,
            "tab": "home",
            "event_ts": f"{now:.6f}",
        }
        with sb.state.lock:
            vid = sb.state.homes.get(u.id)
            if vid:
                event["view"] = store.with_state(sb, sb.state.views[vid])
        return self._event(event, now)

    def _upload_target(self, user, conversation: str) -> tuple[str, str, str]:
        """(conversation name, channel id, Slack `channel_type`) a person can upload into."""
        if conversation in ("dm", f"dm:{user.id}"):
            return f"dm:{user.id}", user.dm_id, "im"
        group = self.sb.workspace.group_dm(conversation)
        if group:
            self._conversation_names(user.id, conversation)  # refuses a non-member
            return group.name, group.id, "mpim"
        ch = self.sb.workspace.channel(conversation) or (
            self.sb.workspace.channel_by_name(conversation)
            if conversation.startswith("#")
            else None
        )
        if ch is None:
            raise self._error(f"unknown conversation {conversation!r}")
        if not ch.bot_member:
            raise self._error(f"the app is not in #{ch.name}: Slack would send it no event")
        return f"#{ch.name}", ch.id, "group" if ch.private else "channel"

    def upload(
        self,
        user: str,
        filename: str,
        content: bytes,
        conversation: str = "dm",
        comment: str = "",
    ) -> AckResult:
        """The person shares a file (with an optional comment) in a message.

        `conversation`: "dm" (the user's DM with the app), "#name", a channel id, or a group DM
        the user is in (its id or `mpim:` name; channel_type "mpim"). The file is
        stored like a files_upload_v2 upload (`files.info`, download with the bot token), an
        Entry of kind "file" by the user is added, and the bot gets a `message` event with
        subtype `file_share` (channel_type "im", "channel", or "group" for a private channel).
        """
        return self.upload_many(user, [(filename, content)], conversation, comment)

    def upload_many(
        self,
        user: str,
        shared: list[tuple[str, bytes]],
        conversation: str = "dm",
        comment: str = "",
    ) -> AckResult:
        """Several files shared in one message (as Slack's client allows): one `file_share`
        event listing them all, otherwise as `upload`."""
        sb = self.sb
        u = self._user(user)
        if not shared or not all(name for name, _ in shared):
            raise self._error("upload: empty filename")
        conv, cid, channel_type = self._upload_target(u, conversation)
        fobjs = [
            files.file_object(
                sb, files.add_file(sb, name, bytes(content), user=u.id, channels=[cid])
            )
            for name, content in shared
        ]
        entry = store.add_message(
            sb,
            conv,
            text=comment,
            blocks=None,
            kind="file",
            extra={"subtype": "file_share", "files": fobjs, "upload": False},
            channel_id=cid,
            user=u.id,
        )
        event: dict[str, Any] = {
            "type": "message",
            "subtype": "file_share",
            "channel": cid,
            "channel_type": channel_type,
            "user": u.id,
            "text": comment,
            "files": fobjs,
            "upload": False,
            "ts": entry.ts,
            "event_ts": entry.ts,
        }
        return self._event(event, float(entry.ts))
