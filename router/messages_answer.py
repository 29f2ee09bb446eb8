"""The Messages JSON answer of an Anthropic event stream, as the provider's non-streamed
answer would be.

Anthropic's stream is the JSON answer taken apart: `message_start` carries the `message`
with empty `content` and the prompt's usage; each content block opens with
`content_block_start` (the block with its text, thinking or `input` empty), grows by
`content_block_delta`s and closes with `content_block_stop`; `message_delta` sets the
top-level fields (`stop_reason`, `stop_sequence`, ...) and carries the final usage (its
counts are totals, so they replace the start's). Putting it back together keeps every
field the provider sent, including ones this module does not know.

litellm 1.106.2 has an assembler of its own (`_rebuild_anthropic_response_from_sse` in
its agentic streaming iterator), but it rebuilds a fixed shape: it drops fields of the
`message` and of blocks it does not list (text citations, server tool inputs, `container`,
usage beyond tokens) and turns tool input that is not JSON into `{"_raw": ...}`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

from router.errors import MalformedAnswer

JSON = dict[str, Any]

# Which field of the block each delta type adds to (strings are appended).
_DELTA_FIELD = {"text_delta": ("text", "text"), "thinking_delta": ("thinking", "thinking"),
                "signature_delta": ("signature", "signature")}


async def assemble_message(first: Mapping[str, Any], rest: AsyncIterator[Any]) -> JSON:
    """The `message` of a stream whose first event is `first` (`message_start`) and whose
    other events come from `rest`. Raises MalformedAnswer for a stream that is not one
    answer (no `message_start`, a delta for a block never started, tool input that is not
    JSON)."""
    if first.get("type") != "message_start" or not isinstance(first.get("message"), Mapping):
        raise MalformedAnswer("the provider's stream did not start with message_start")
    message: JSON = dict(first["message"])
    usage: JSON = dict(message.get("usage") or {})
    blocks: dict[int, JSON] = {}
    partial_json: dict[int, list[str]] = {}
    async for event in rest:
        kind = event.get("type")
        if kind == "content_block_start":
            blocks[int(event.get("index", len(blocks)))] = dict(event.get("content_block") or {})
        elif kind == "content_block_delta":
            index = int(event.get("index", 0))
            if index not in blocks:
                raise MalformedAnswer(f"the provider's stream sent a delta for block {index}, "
                                      "which it never started")
            _add(blocks[index], event.get("delta") or {}, partial_json.setdefault(index, []))
        elif kind == "content_block_stop":
            index = int(event.get("index", 0))
            if partial_json.get(index) and index in blocks:
                blocks[index]["input"] = _tool_input(partial_json.pop(index))
        elif kind == "message_delta":
            message.update(event.get("delta") or {})
            usage.update({k: v for k, v in (event.get("usage") or {}).items() if v is not None})
    message["content"] = [blocks[i] for i in sorted(blocks)]
    message["usage"] = usage
    return message


def _add(block: JSON, delta: Mapping[str, Any], partial_json: list[str]) -> None:
    """One delta into its block: text, thinking and signatures appended, tool input
    (`input_json_delta`) kept to parse at the block's end, citations listed."""
    kind = delta.get("type")
    if kind == "input_json_delta":
        partial_json.append(str(delta.get("partial_json") or ""))
    elif kind == "citations_delta":
        block.setdefault("citations", []).append(delta.get("citation"))
    elif kind in _DELTA_FIELD:
        field, source = _DELTA_FIELD[kind]
        block[field] = str(block.get(field) or "") + str(delta.get(source) or "")
    else:  # a delta type newer than this module: its fields, strings appended
        for name, value in delta.items():
            if name == "type":
                continue
            before = block.get(name)
            block[name] = before + value if isinstance(before, str) and isinstance(
                value, str) else value


def _tool_input(parts: list[str]) -> Any:
    text = "".join(parts)
    try:
        return json.loads(text)
    except ValueError:
        raise MalformedAnswer("the provider's stream sent tool input that is not JSON: "
                              f"{text[:100]}") from None
