"""A local OpenAI-compatible chat endpoint for scenarios (issue #8): `POST /v1/chat/completions`
on 127.0.0.1 answers deterministically, so a demo shows a draft written "by the LLM" without
any network or key.

It reads the trend-report prompt's items (the user message's JSON `items`: id, theme, title,
note) and answers `{"sections": {theme: {"ja", "en"}}, "items": {id: {"ja", "en"}}}`: a lead
line per theme and a summary per item; any other request gets `{}`. Started and stopped by the scenario runner (`llm: on` step).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

THEMES = ("international", "use_cases", "economic", "other")


def answer(payload: dict) -> dict:
    """The JSON object the fake model replies with for a chat request `payload`."""
    messages = payload.get("messages") or []
    try:
        user = json.loads(messages[-1]["content"]) if messages else {}
    except (KeyError, TypeError, json.JSONDecodeError):
        user = {}
    items = user.get("items") if isinstance(user, dict) else None
    if not isinstance(items, list):
        return {}
    sections, summaries = {}, {}
    for theme in THEMES:
        mine = [i for i in items if isinstance(i, dict) and i.get("theme") == theme]
        sections[theme] = {
            "ja": f"今月は {len(mine)} 件の動きがありました。" if mine else "",
            "en": f"{len(mine)} development(s) this month." if mine else "",
        }
        for item in mine:
            summaries[str(item.get("id"))] = {
                "ja": "注目すべき動きです（要約）",
                "en": "a development worth noting (summary)",
            }
    return {"sections": sections, "items": summaries}


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length") or 0)
        try:
            payload = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            payload = {}
        body = json.dumps(
            {
                "id": "fake",
                "object": "chat.completion",
                "created": 0,
                "model": payload.get("model") or "fake",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {
                            "role": "assistant",
                            "content": json.dumps(answer(payload), ensure_ascii=False),
                        },
                    }
                ],
            },
            ensure_ascii=False,
        ).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet: the transcript shows what matters
        pass


class FakeLLM:
    """`with FakeLLM() as fake:` → `fake.base_url` is `http://127.0.0.1:PORT/v1`."""

    def __init__(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def __enter__(self) -> FakeLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
