"""The sandbox's HTTP side: a WSGI app served by waitress from a daemon thread.

Routes (all on 127.0.0.1, ephemeral port):
- `POST /api/<method>`: the Web API (`webapi.WebAPI`), JSON or form bodies plus query params;
  `blocks`, `view`, `files`, `attachments` given as JSON strings are decoded.
- `POST /upload/<file_id>`: step 2 of files_upload_v2 (the bytes).
- `GET /files/<file_id>/<name>`: download (`Authorization: Bearer <bot token>` required).
- `POST /response/<token>`: response_url (JSON `text`, `blocks`, `response_type`,
  `replace_original`, `delete_original`); at most 5 uses in 30 min (SLACK.md), the 6th gets
  HTTP 404 `used_url`.
"""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import waitress

from . import blockkit, files, store
from .state import RESPONSE_URL_TTL, RESPONSE_URL_USES

if TYPE_CHECKING:
    from .sandbox import Sandbox

JSON_FIELDS = ("blocks", "view", "files", "attachments")


def parse_params(environ: dict, raw: bytes) -> dict[str, Any]:
    """Query string + body (JSON or form) as one dict, JSON-string fields decoded."""
    params: dict[str, Any] = {
        k: v[-1]
        for k, v in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()
    }
    ctype = environ.get("CONTENT_TYPE", "")
    if raw:
        if "json" in ctype:
            body = json.loads(raw.decode("utf-8") or "{}")
            if isinstance(body, dict):
                params.update(body)
        else:
            form = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
            params.update({k: v[-1] for k, v in form.items()})
    for key in JSON_FIELDS:
        if isinstance(params.get(key), str):
            try:
                params[key] = json.loads(params[key])
            except json.JSONDecodeError:
                pass  # left as a string: validation reports it
    return params


def start_in_thread(server, name: str) -> threading.Thread:
    """Run a waitress server's loop in a daemon thread."""
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    return thread


def stop_in_thread(server, thread: threading.Thread | None, timeout: float = 5.0) -> None:
    """Stop a waitress server started with `start_in_thread`, cleanly.

    The worker threads are shut down first (a request in flight finishes and wakes the loop
    through the trigger while it is still open: closing it first made a late worker write to
    a closed pipe, EBADF). Then the channels, the trigger included, are closed from inside
    the server's own loop, so it never polls a closed socket and ends once its map is empty.
    """

    def close_all() -> None:
        for channel in list(server._map.values()):
            channel.close()

    server.task_dispatcher.shutdown(cancel_pending=True, timeout=2)
    try:
        server.trigger.pull_trigger(close_all)
    except OSError:  # EBADF: the trigger's pipe is already closed; close from here instead
        close_all()
    if thread is not None:
        thread.join(timeout)


class SandboxServer:
    """WSGI application + waitress server thread for one sandbox."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        self.server = None
        self.thread: threading.Thread | None = None

    def start(self) -> int:
        """Listen on 127.0.0.1:<ephemeral> in a daemon thread; return the port."""
        self.server = waitress.create_server(self.app, host="127.0.0.1", port=0, threads=8)
        self.thread = start_in_thread(self.server, "slack-sandbox")
        return self.server.effective_port

    def stop(self) -> None:
        """Close the listening socket and the worker threads; wait for the loop to end."""
        if self.server is None:
            return
        stop_in_thread(self.server, self.thread)
        self.server = self.thread = None

    # WSGI --------------------------------------------------------------------------------
    def app(self, environ: dict, start_response) -> list[bytes]:
        """Route one request (see the module docstring)."""
        state = self.sb.state
        state.begin_request()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(length) if length else b""
            path = environ.get("PATH_INFO", "")
            verb = environ.get("REQUEST_METHOD", "GET")
            headers = {
                k[5:].replace("_", "-").lower(): v
                for k, v in environ.items()
                if k.startswith("HTTP_")
            }
            if path.startswith("/api/") and verb == "POST":
                status, body, extra = self.api(path[5:], environ, raw, headers)
            elif path.startswith("/upload/") and verb == "POST":
                status, body, extra = self.upload(path[8:], raw)
            elif path.startswith("/files/") and verb == "GET":
                return self.download(path[7:], headers, start_response)
            elif path.startswith("/response/") and verb == "POST":
                status, body, extra = self.response_url(path[10:], raw)
            else:
                status, body, extra = 404, {"ok": False, "error": "not_found"}, {}
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            ctype = "text/plain" if isinstance(body, bytes) else "application/json; charset=utf-8"
            hdrs = [("Content-Type", ctype), ("Content-Length", str(len(data)))]
            hdrs += list(extra.items())
            start_response(_status_line(status), hdrs)
            return [data]
        finally:
            state.end_request()

    def api(self, method: str, environ: dict, raw: bytes, headers: dict) -> tuple:
        """One Web API call, journalled."""
        started = time.monotonic()
        try:
            params = parse_params(environ, raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            params = None
        if params is None:
            status, body, extra = 200, {"ok": False, "error": "invalid_json"}, {}
            self.sb.state.fail(f"{method}: invalid_json")
        else:
            status, body, extra = self._call(method, params, headers)
        failure = None
        if not body.get("ok") and body.get("error") != "ratelimited":
            failure = f"{method}: {body.get('error')}"
        self.sb.journal.write(
            direction="bot->slack",
            method=method,
            request=params if params is not None else raw.decode("utf-8", "replace"),
            response={"status": status, "body": body},
            elapsed_ms=(time.monotonic() - started) * 1000,
            failure=failure,
        )
        return status, body, extra

    def _call(self, method: str, params: dict, headers: dict) -> tuple:
        """The method's answer, unless an injected fault (`bot.sandbox.faults`) spoils it."""
        fault = self.sb.faults.take(method)
        if fault is None:
            return self.sb.webapi.call(method, params, headers)
        answer = None
        if fault.after:
            answer = self.sb.webapi.call(method, params, headers)
        if fault.kind == "timeout":
            time.sleep(fault.delay)
            return answer or self.sb.webapi.call(method, params, headers)
        return fault.answer()

    def upload(self, fid: str, raw: bytes) -> tuple:
        """Step 2 of the external upload: store the bytes."""
        with self.sb.state.lock:
            rec = self.sb.state.files.get(fid)
            if rec is None:
                return 404, b"file not found", {}
            if rec["length"] != len(raw):
                self.sb.state.fail(
                    f"upload {fid}: {len(raw)} bytes sent, files.getUploadURLExternal said "
                    f"{rec['length']}"
                )
            rec["data"] = raw
        self.sb.journal.write(
            direction="bot->slack",
            kind="file_upload",
            elapsed_ms=0,
            request={"file_id": fid, "bytes": len(raw)},
            response={"status": 200},
        )
        return 200, f"OK - {len(raw)}".encode(), {}

    def download(self, rest: str, headers: dict, start_response) -> list[bytes]:
        """GET a file's bytes with the bot token; HTTP 403 without it or with another token
        (Slack redirects to its login page for a private URL)."""
        fid = rest.split("/", 1)[0]
        auth = headers.get("authorization", "")
        rec = self.sb.state.files.get(fid)
        if auth != f"Bearer {self.sb.bot_token}":
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"forbidden"]
        if rec is None or rec["data"] is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        start_response(
            "200 OK",
            [
                ("Content-Type", files.guess_types(rec["name"])[0]),
                ("Content-Length", str(len(rec["data"]))),
            ],
        )
        return [rec["data"]]

    def response_url(self, token: str, raw: bytes) -> tuple:
        """POST to a response_url (see the module docstring); journalled."""
        started = time.monotonic()
        sb, state = self.sb, self.sb.state
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        status, answer = 200, {"ok": True}
        with state.lock:
            rec = state.response_urls.get(token)
            now = time.monotonic()
            if rec is None:
                status, answer = 404, {"ok": False, "error": "invalid_url"}
            elif now - rec.issued > RESPONSE_URL_TTL:
                status, answer = 404, {"ok": False, "error": "expired_url"}
            elif len(rec.uses) >= RESPONSE_URL_USES:
                status, answer = 404, {"ok": False, "error": "used_url"}
            elif not isinstance(body, dict):
                status, answer = 400, {"ok": False, "error": "invalid_payload"}
            else:
                rec.uses.append(now)
                status, answer = self._respond(rec, body)
        failure = None
        if status != 200:
            failure = f"response_url: {answer['error']}" + (
                f" (already used {RESPONSE_URL_USES} times; Slack allows"
                f" {RESPONSE_URL_USES} uses in 30 min)"
                if answer["error"] == "used_url"
                else ""
            )
            if answer.get("errors"):
                failure += " (" + "; ".join(answer["errors"]) + ")"
            state.fail(failure)
        sb.journal.write(
            direction="bot->slack",
            kind="response_url",
            request=body,
            response={"status": status, "body": answer},
            elapsed_ms=(time.monotonic() - started) * 1000,
            failure=failure,
        )
        return status, answer, {}

    def _respond(self, rec, body: dict) -> tuple[int, dict]:
        sb = self.sb
        blocks = body.get("blocks")
        if blocks is not None:
            errors = blockkit.validate_blocks(blocks)
            if errors:
                return 400, blockkit.error_response(errors)
            if not body.get("text"):
                sb.state.fail("response_url: missing_text_fallback (blocks without `text`)")
        original = (
            sb.state.find_message(rec.message_conversation, rec.message_ts)
            if rec.message_ts and rec.message_conversation
            else None
        )
        if _truthy(body.get("delete_original")):
            if original is None:
                return 404, {"ok": False, "error": "message_not_found"}
            original.deleted = True
            return 200, {"ok": True}
        if _truthy(body.get("replace_original")):
            if original is None:
                return 404, {"ok": False, "error": "message_not_found"}
            # a response_url replacement is a whole new message: no blocks given → none kept
            store.replace_message(
                sb, original, text=body.get("text") or "", blocks=blocks if blocks else []
            )
            return 200, {"ok": True}
        if not (body.get("text") or blocks):
            return 400, {"ok": False, "error": "no_text"}
        if body.get("response_type") == "in_channel":
            store.add_message(sb, rec.conversation, text=body.get("text"), blocks=blocks)
        else:
            store.add_message(
                sb,
                f"ephemeral:{rec.user}",
                text=body.get("text"),
                blocks=blocks,
                kind="ephemeral",
                channel_id=rec.channel_id,
            )
        return 200, {"ok": True}


def _truthy(v: Any) -> bool:
    return v in (True, 1, "1", "true", "True")


def _status_line(status: int) -> str:
    reasons = {
        200: "OK",
        400: "Bad Request",
        403: "Forbidden",
        404: "Not Found",
        429: "Too Many Requests",
        500: "Internal Server Error",
    }
    return f"{status} {reasons.get(status, 'Unknown')}"
