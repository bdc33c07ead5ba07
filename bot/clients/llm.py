"""An OpenAI-compatible chat endpoint (settings `LLM_BASE_URL`, `LLM_MODEL`, `LLM_API_KEY`,
`LLM_TIMEOUT_SECONDS`), through the `openai` client: one bounded timeout, the client's own
retry layer (one retry on connection errors, 408/409/429/5xx), and no other.

Never call it before an ack: it may take the whole timeout. Every failure (network, HTTP,
a reply that is not a JSON object) is logged without the key and returns None, so callers
fall back to what they can do without it.
"""

from __future__ import annotations

import json
import logging
import re

import httpx
import openai

from bot.settings import Settings

log = logging.getLogger(__name__)

_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


class LLMClient:
    """`complete_json(system, user)` → the reply's JSON object, or None."""

    def __init__(self, settings: Settings, *, http_client: httpx.Client | None = None):
        self.model = settings.llm_model
        self._client = openai.OpenAI(
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key.get_secret_value() or "none",
            timeout=settings.llm_timeout_seconds,
            max_retries=1,
            http_client=http_client,
        )

    def complete_json(self, *, system: str, user: dict) -> dict | None:
        """Ask with a system prompt and `user` (sent as JSON); the first JSON object in the
        reply (models often wrap it in prose or a code fence), or None on any failure."""
        try:
            reply = self._client.chat.completions.create(
                model=self.model,
                temperature=0,
                messages=[
                    {"role": "system", "content": system},
                    {"role": "user", "content": json.dumps(user, ensure_ascii=False)},
                ],
            )
            content = reply.choices[0].message.content or ""
        except (openai.OpenAIError, IndexError, AttributeError) as error:
            log.warning("LLM call failed: %s", type(error).__name__)
            return None
        found = _OBJECT.search(content)
        try:
            parsed = json.loads(found[0]) if found else None
        except json.JSONDecodeError:
            parsed = None
        if not isinstance(parsed, dict):
            log.warning("LLM reply was not a JSON object; ignored")
            return None
        return parsed


def llm_from(settings: Settings) -> LLMClient | None:
    """The configured client, or None when `LLM_BASE_URL` or `LLM_MODEL` is empty."""
    if not settings.llm_base_url or not settings.llm_model:
        return None
    return LLMClient(settings)
