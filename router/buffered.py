"""A complete answer sent as a stream: for streams the verified cascade answers first and
streams after (`verify.streaming: buffer`).

`as_stream(served)` turns a Served holding a JSON answer, in OpenAI's chat shape or
Anthropic's message shape, into a Served whose stream carries the events that answer would
have come in (OpenAI: a delta with the whole text, one with the finish reason, one with the
usage; Anthropic: `message_events`). The front doors relay it as
any stream (router/api/core.py `relay_stream`), so the client sees its own wire format.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from typing import Any

from router.upstream import Served

JSON = dict[str, Any]


def chat_chunks(response: JSON) -> list[JSON]:
    """An OpenAI chat completion as the chunks of a stream (usage last, as with
    stream_options.include_usage; the writer leaves it out when the client did not ask)."""
    head: JSON = {k: response[k] for k in ("id", "created", "model", "system_fingerprint")
            if k in response}
    head["object"] = "chat.completion.chunk"
    chunks: list[JSON] = []
    for choice in response.get("choices") or ():
        index = choice.get("index", 0)
        message = choice.get("message") or {}
        delta = {k: v for k, v in message.items() if v is not None}
        delta.setdefault("role", "assistant")
        chunks.append({**head, "choices": [{"index": index, "delta": delta,
                                            "finish_reason": None}]})
        chunks.append({**head, "choices": [{"index": index, "delta": {},
                                            "finish_reason": choice.get("finish_reason")
                                            or "stop"}]})
    if response.get("usage"):
        chunks.append({**head, "choices": [], "usage": response["usage"]})
    return chunks


def message_events(message: JSON) -> list[JSON]:
    """A complete `message` as the stream events that would have carried it."""
    usage = dict(message.get("usage") or {})
    start = {**message, "content": [], "stop_reason": None, "stop_sequence": None,
             "usage": {**usage, "output_tokens": 0}}
    events: list[JSON] = [{"type": "message_start", "message": start}]
    for index, block in enumerate(message.get("content") or ()):
        kind = block.get("type")
        empty = {"text": {"text": ""}, "thinking": {"thinking": "", "signature": ""},
                 "tool_use": {"input": {}}}.get(kind, {})
        events.append({"type": "content_block_start", "index": index,
                       "content_block": {**block, **empty}})
        deltas: list[JSON] = []
        if kind == "text":
            deltas = [{"type": "text_delta", "text": block.get("text", "")}]
        elif kind == "thinking":
            deltas = [{"type": "thinking_delta", "thinking": block.get("thinking", "")},
                      {"type": "signature_delta", "signature": block.get("signature", "")}]
        elif kind == "tool_use":
            deltas = [{"type": "input_json_delta",
                       "partial_json": json.dumps(block.get("input") or {})}]
        events += [{"type": "content_block_delta", "index": index, "delta": d}
                   for d in deltas]
        events.append({"type": "content_block_stop", "index": index})
    events.append({"type": "message_delta",
                   "delta": {"stop_reason": message.get("stop_reason"),
                             "stop_sequence": message.get("stop_sequence")},
                   "usage": {"output_tokens": usage.get("output_tokens", 0)}})
    events.append({"type": "message_stop"})
    return events


def as_stream(served: Served) -> Served:
    """`served` (a JSON answer) as a stream whose first chunk is in hand."""
    response = served.response or {}
    events = chat_chunks(response) if "choices" in response else message_events(response)
    return dataclasses.replace(
        served, response=None, first_chunk=events[0], chunks=_each(events[1:]),
        close=None, provider_finished=lambda: True,
    )


async def _each(events: list[JSON]) -> AsyncIterator[JSON]:
    for event in events:
        yield event
