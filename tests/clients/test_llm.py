"""The LLM client against an OpenAI-compatible endpoint served by httpx's MockTransport: the
request it sends, the JSON it reads out of a chatty reply, and None (never an exception, never
the key in a log) for every way the endpoint can fail."""

from __future__ import annotations

import json
import logging

import httpx

from bot.clients.llm import LLMClient, llm_from
from bot.settings import Settings

SETTINGS = Settings(
    _env_file=None,
    llm_base_url="http://llm.test/v1",
    llm_model="tiny-model",
    llm_api_key="sk-secret-123",
    llm_timeout_seconds=5,
)


def client(handler) -> LLMClient:
    return LLMClient(SETTINGS, http_client=httpx.Client(transport=httpx.MockTransport(handler)))


def reply(content: str) -> dict:
    return {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "tiny-model",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
    }


def test_it_sends_the_model_and_reads_the_json_object_out_of_the_reply():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        text = 'Sure! ```json\n{"ranking": [{"id": 3, "reason": "医療テキスト"}]}\n```'
        return httpx.Response(200, json=reply(text))

    answer = client(handler).complete_json(system="rank", user={"request": "医療"})
    assert answer == {"ranking": [{"id": 3, "reason": "医療テキスト"}]}
    (request,) = seen
    assert request.url == "http://llm.test/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-secret-123"
    body = json.loads(request.content)
    assert body["model"] == "tiny-model" and body["temperature"] == 0
    assert json.loads(body["messages"][1]["content"]) == {"request": "医療"}


def test_failures_return_none_with_one_retry_and_no_secret_in_logs(caplog):
    calls = []

    def server_error(request):
        calls.append(1)
        return httpx.Response(500, json={"error": {"message": "boom"}})

    caplog.set_level(logging.DEBUG)
    assert client(server_error).complete_json(system="s", user={}) is None
    assert len(calls) == 2  # the client's one retry layer, no more

    def down(request):
        raise httpx.ConnectError("refused")

    assert client(down).complete_json(system="s", user={}) is None
    assert (
        client(lambda r: httpx.Response(200, json=reply("no json here"))).complete_json(
            system="s", user={}
        )
        is None
    )
    assert (
        client(lambda r: httpx.Response(200, json=reply("[1, 2]"))).complete_json(
            system="s", user={}
        )
        is None
    )
    assert (
        client(lambda r: httpx.Response(200, json={"choices": []})).complete_json(
            system="s", user={}
        )
        is None
    )
    assert "sk-secret-123" not in caplog.text


def test_no_endpoint_means_no_client():
    assert llm_from(Settings(_env_file=None)) is None
    assert llm_from(Settings(_env_file=None, llm_base_url="http://x/v1")) is None  # no model
    assert isinstance(llm_from(SETTINGS), LLMClient)
