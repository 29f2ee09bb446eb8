"""Which deployments /v1/responses calls on their own Responses API (the rest take litellm's
bridge to chat completions), and how their event streams end (router/upstream_responses.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import litellm
import pytest

from router.config import Deployment
from router.upstream_responses import ResponseStream, native


@pytest.mark.parametrize(("entry", "expected"), [
    ({"model": "openai/gpt-5-mini"}, True),
    ({"model": "openai/gpt-5-mini", "api_base": "https://api.openai.com/v1"}, True),
    ({"model": "openai/llama-3", "api_base": "http://vllm.internal:8000/v1"}, False),
    ({"model": "openai/llama-3", "api_base": "http://proxy.internal/v1", "responses_api": True},
     True),
    ({"model": "openai/gpt-5-mini", "responses_api": False}, False),
    ({"model": "azure/my-gpt-5", "api_base": "https://x.openai.azure.com"}, True),
    ({"model": "azure/my-gpt-5", "responses_api": False}, False),
    ({"model": "anthropic/claude-haiku-4-5"}, False),
    ({"model": "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0"}, False),
], ids=["openai", "openai-api-base", "openai-compatible", "opted-in", "opted-out", "azure",
        "azure-opted-out", "anthropic", "bedrock"])
def test_which_deployments_have_their_own_responses_api(entry, expected):
    assert native(Deployment(**entry)) is expected


async def _events(events: list[dict]) -> AsyncIterator[dict]:
    for event in events:
        yield event


async def _nothing() -> None:
    return None


def _read(events: list[dict]) -> tuple[list[dict], ResponseStream]:
    stream = ResponseStream(_events(events), _nothing, "gpt-x")

    async def read() -> list[dict]:
        return [event async for event in stream]

    return asyncio.run(read()), stream


def test_a_native_stream_ends_at_its_final_event_and_keeps_its_response():
    done = {"type": "response.completed", "response": {"id": "resp_1", "output": [{}]}}
    read, stream = _read([{"type": "response.created"}, done, {"type": "late"}])
    assert [e["type"] for e in read] == ["response.created", "response.completed"]
    assert stream.final == {"id": "resp_1", "output": [{}]}
    assert stream.received_finish_reason == "response.completed"


@pytest.mark.parametrize(("event", "error"), [
    ({"type": "error", "code": "rate_limit_exceeded", "message": "slow down"},
     litellm.RateLimitError),
    ({"type": "response.failed", "response": {"error": {"code": "server_error",
                                                        "message": "boom"}}},
     litellm.APIError),
], ids=["error-event", "response.failed"])
def test_an_error_inside_a_native_stream_raises_as_its_status(event, error):
    with pytest.raises(error):
        _read([{"type": "response.created"}, event])
