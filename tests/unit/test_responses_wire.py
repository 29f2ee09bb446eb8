"""The Responses <-> chat translation on its own: what the fake provider never sends (an
answer cut by the token limit) and the events of a stream that ends early."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from router.errors import GatewayError
from router.responses_wire import ResponseEvents, to_chat, to_response

BODY = {"model": "auto", "input": "Write a long story.", "max_output_tokens": 5}


def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"id": "chatcmpl-1", "created": 1, "model": "gpt-x", "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}


async def _iterate(items: list[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    for item in items:
        yield item


async def _events(chunks: list[dict[str, Any]], finished: bool = True) -> list[dict[str, Any]]:
    events = ResponseEvents(BODY, "resp_test", chunks[0], _iterate(chunks[1:]), lambda c: None,
                            lambda: finished)
    return [event async for event in events]


def test_the_chat_request_carries_the_limit_and_nothing_stateful():
    chat = to_chat({**BODY, "instructions": "Be brief.", "metadata": {"k": "v"}})
    assert chat["max_tokens"] == 5 and chat["stream"] is False
    assert chat["messages"][0] == {"role": "system", "content": "Be brief."}
    assert "metadata" not in chat


def test_an_answer_cut_by_max_output_tokens_is_incomplete():
    answer = {"id": "chatcmpl-1", "created": 1, "model": "gpt-x", "object": "chat.completion",
              "choices": [{"index": 0, "finish_reason": "length",
                           "message": {"role": "assistant", "content": "Once upon"}}],
              "usage": {"prompt_tokens": 4, "completion_tokens": 5, "total_tokens": 9}}
    response = to_response(BODY, answer, "resp_test")
    assert response["status"] == "incomplete" and response["id"] == "resp_test"
    assert response["incomplete_details"] == {"reason": "max_output_tokens"}
    assert response["usage"]["output_tokens"] == 5 and response["store"] is False


def test_a_stream_cut_by_max_output_tokens_ends_with_response_incomplete():
    events = asyncio.run(_events([
        chunk({"role": "assistant", "content": "Once"}), chunk({"content": " upon"}, "length"),
        {**chunk({}), "choices": [], "usage": {"prompt_tokens": 4, "completion_tokens": 5,
                                               "total_tokens": 9}}]))
    assert events[-1]["type"] == "response.incomplete"
    assert events[-1]["response"]["usage"]["output_tokens"] == 5
    assert [e["sequence_number"] for e in events] == list(range(len(events)))


@pytest.mark.parametrize("finished", [True, False], ids=["no finish reason", "provider cut"])
def test_a_stream_that_ends_without_the_providers_end_raises_instead_of_completing(finished):
    chunks = [chunk({"role": "assistant", "content": "Once"}), chunk({"content": " upon"})]
    if not finished:
        chunks.append(chunk({}, "stop"))
    with pytest.raises(ConnectionError):
        asyncio.run(_events(chunks, finished=finished))


def test_the_failure_events_name_the_error_and_fail_the_response():
    async def run() -> list[dict[str, Any]]:
        first = chunk({"role": "assistant", "content": "Once"})
        events = ResponseEvents(BODY, "resp_test", first, _iterate([]), lambda c: None, None)
        await anext(events)  # response.created
        return events.failure(GatewayError(502, "cut", "upstream_error", "stream_interrupted"))

    error, failed = asyncio.run(run())
    assert error["type"] == "error" and error["code"] == "stream_interrupted"
    assert error["error"]["message"] == "cut" and error["sequence_number"] == 1
    assert failed["type"] == "response.failed" and failed["response"]["status"] == "failed"
    assert failed["response"]["id"] == "resp_test" and failed["sequence_number"] == 2
