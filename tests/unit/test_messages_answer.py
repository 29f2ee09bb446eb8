"""Anthropic events put back into the `message` (router/messages_answer.py): what the fake
provider does not send, from Anthropic's documented stream shapes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from router.errors import MalformedAnswer
from router.messages_answer import assemble_message

START = {"type": "message_start", "message": {
    "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-x", "content": [],
    "stop_reason": None, "stop_sequence": None, "container": None,
    "usage": {"input_tokens": 10, "cache_read_input_tokens": 4, "output_tokens": 1}}}


async def _events(events: list[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    for event in events:
        yield event


def assemble(events: list[dict[str, Any]], first: dict[str, Any] = START) -> dict[str, Any]:
    return asyncio.run(assemble_message(first, _events(events)))


def test_citations_server_tool_input_and_unknown_fields_are_kept():
    message = assemble([
        {"type": "content_block_start", "index": 0, "content_block": {
            "type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {}}},
        {"type": "content_block_delta", "index": 0,
         "delta": {"type": "input_json_delta", "partial_json": '{"query": '}},
        {"type": "content_block_delta", "index": 0,
         "delta": {"type": "input_json_delta", "partial_json": '"tides"}'}},
        {"type": "content_block_stop", "index": 0},
        {"type": "content_block_start", "index": 1,
         "content_block": {"type": "text", "text": "", "citations": []}},
        {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta",
                                                             "text": "High at 6."}},
        {"type": "content_block_delta", "index": 1, "delta": {
            "type": "citations_delta", "citation": {"type": "web_search_result_location",
                                                    "url": "https://tides.example"}}},
        {"type": "content_block_stop", "index": 1},
        {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None,
                                            "container": {"id": "c1"}},
         "usage": {"output_tokens": 30, "server_tool_use": {"web_search_requests": 1},
                   "input_tokens": None}},
        {"type": "message_stop"},
    ])
    assert message["content"] == [
        {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search",
         "input": {"query": "tides"}},
        {"type": "text", "text": "High at 6.", "citations": [
            {"type": "web_search_result_location", "url": "https://tides.example"}]},
    ]
    assert message["stop_reason"] == "end_turn" and message["container"] == {"id": "c1"}
    assert message["usage"] == {"input_tokens": 10, "cache_read_input_tokens": 4,
                                "output_tokens": 30,
                                "server_tool_use": {"web_search_requests": 1}}


@pytest.mark.parametrize(("first", "events", "says"), [
    ({"type": "ping"}, [], "message_start"),
    (START, [{"type": "content_block_delta", "index": 3,
              "delta": {"type": "text_delta", "text": "x"}}], "never started"),
    (START, [{"type": "content_block_start", "index": 0,
              "content_block": {"type": "tool_use", "id": "t", "name": "f", "input": {}}},
             {"type": "content_block_delta", "index": 0,
              "delta": {"type": "input_json_delta", "partial_json": '{"a": '}},
             {"type": "content_block_stop", "index": 0}], "not JSON"),
], ids=["no-message-start", "unstarted-block", "broken-tool-input"])
def test_a_stream_that_is_not_one_answer_is_a_malformed_answer(first, events, says):
    with pytest.raises(MalformedAnswer, match=says):
        assemble(events, first)
