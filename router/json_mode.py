"""JSON mode's finish reason on a streamed Claude answer.

Where Tianji sends `response_format: json_object` to Claude as litellm's JSON tool
(router/params.py `_json_mode`), litellm's `json_mode` turns the tool's input into the
message's content. Its Anthropic stream decoder then reports finish reason `stop`, as a
JSON answer does; its Bedrock Converse decoder (litellm 1.106.2) still maps the tool call's
`stopReason: tool_use` to `tool_calls`, so a client would be told to run a tool it never
got. litellm's own tool path avoids that by faking the stream from a whole answer
(`fake_stream`), which would hold every token back until the last and trip Tianji's
first-token timer; Tianji streams, and reads the finish reason as the answer has it.
"""

from __future__ import annotations

from typing import Any


class JsonModeStream:
    """A litellm chat stream whose finish reason `tool_calls` reads `stop` unless a tool
    call (one of the client's tools) went out in it. Everything else is the stream's own
    (`received_finish_reason`, `aclose`, ...)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._called_tools = False

    def __aiter__(self) -> JsonModeStream:
        return self

    async def __anext__(self) -> Any:
        chunk = await anext(self._stream)
        for choice in getattr(chunk, "choices", None) or ():
            if choice.delta is not None and choice.delta.tool_calls:
                self._called_tools = True
            if choice.finish_reason == "tool_calls" and not self._called_tools:
                choice.finish_reason = "stop"
        return chunk

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
