"""Anthropic messages: `message` objects, the real SSE event sequence, error bodies.

A request with `thinking` on (`enabled` or `adaptive`) is answered with a thinking
block (and its signature) before the text or tool call, as Claude does."""

from __future__ import annotations

import itertools

from .wire import JSON, Turn, count_tokens, dumps

_IDS = itertools.count(1)
THINKING = "Let me think about this."


def signature(dep_id: str) -> str:
    """The thinking signature a deployment signs with (a test can check it came back)."""
    return f"sig-{dep_id}-EqQBCkYIARgC"

_ERRORS: dict[int, tuple[str, str]] = {
    400: ("invalid_request_error", "Invalid request."),
    401: ("authentication_error", "invalid x-api-key"),
    403: ("permission_error", "Your API key does not have permission to use the specified "
                              "resource."),
    404: ("not_found_error", "The requested resource could not be found."),
    413: ("request_too_large", "Request exceeds the maximum allowed number of bytes."),
    429: ("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit."),
    529: ("overloaded_error", "Overloaded"),
}
_SERVER_ERROR = ("api_error", "Internal server error")


def _forced_tool(body: JSON) -> str | None:
    tools = body.get("tools") or []
    choice = body.get("tool_choice") or {}
    if not tools:
        return None
    if choice.get("type") == "any":
        return str(tools[0]["name"])
    if choice.get("type") == "tool":
        return str(choice["name"])
    return None


def _prompt_usage(turn: Turn) -> JSON:
    usage: JSON = {"input_tokens": turn.prompt_tokens - turn.cache_read - turn.cache_write}
    if turn.cache_read or turn.cache_write:
        usage["cache_read_input_tokens"] = turn.cache_read
        usage["cache_creation_input_tokens"] = turn.cache_write
    return usage


def _ev(name: str, data: JSON) -> JSON:
    return {"type": name, **data}


def _sse(event: JSON) -> bytes:
    return b"event: " + str(event["type"]).encode() + b"\ndata: " + dumps(event) + b"\n\n"


class AnthropicWire:
    name = "anthropic"
    malformed_event = b'event: content_block_delta\ndata: {"type": "content_block_delta", \n\n'

    def turn(self, dep_id: str, body: JSON, text: str) -> Turn:
        return Turn(
            dep_id=dep_id,
            model=str(body.get("model", "")),
            text=text,
            prompt_tokens=count_tokens([body.get("system"), body.get("messages", [])]),
            tool=_forced_tool(body),
            include_usage=True,
            thinking=(body.get("thinking") or {}).get("type") in ("enabled", "adaptive"),
        )

    def answer(self, turn: Turn) -> JSON:
        return {
            **self._message(turn),
            "content": [*self._thinking(turn, full=True), self._block(turn, full=True)],
            "stop_reason": "end_turn" if turn.tool is None else "tool_use",
            "usage": self.usage(turn),
        }

    def events(self, turn: Turn) -> list[JSON]:
        """The events of a streamed answer, in order."""
        start = {**self._message(turn), "content": [], "stop_reason": None,
                 "usage": {**_prompt_usage(turn), "output_tokens": 1}}
        if turn.tool is None:
            deltas = [{"type": "text_delta", "text": piece} for piece in turn.pieces]
        else:
            deltas = [{"type": "input_json_delta", "partial_json": part}
                      for part in turn.tool_input_pieces]
        index = 1 if turn.thinking else 0
        thinking = [
            _ev("content_block_start",
                   {"index": 0, "content_block": self._thinking(turn, full=False)[0]}),
            _ev("content_block_delta", {"index": 0, "delta": {
                "type": "thinking_delta", "thinking": THINKING}}),
            _ev("content_block_delta", {"index": 0, "delta": {
                "type": "signature_delta", "signature": signature(turn.dep_id)}}),
            _ev("content_block_stop", {"index": 0}),
        ] if turn.thinking else []
        return [
            _ev("message_start", {"message": start}),
            *thinking,
            _ev("content_block_start",
                   {"index": index, "content_block": self._block(turn, full=False)}),
            _ev("ping", {}),
            *(_ev("content_block_delta", {"index": index, "delta": d}) for d in deltas),
            _ev("content_block_stop", {"index": index}),
            _ev("message_delta", {
                "delta": {"stop_reason": "end_turn" if turn.tool is None else "tool_use",
                          "stop_sequence": None},
                "usage": {"output_tokens": self._output_tokens(turn)},
            }),
            _ev("message_stop", {}),
        ]

    def stream(self, turn: Turn) -> list[bytes]:
        return [_sse(event) for event in self.events(turn)]

    def empty_answer(self, turn: Turn) -> JSON:
        return {**self._message(turn), "content": [], "stop_reason": "end_turn",
                "usage": {"input_tokens": turn.prompt_tokens, "output_tokens": 0}}

    def empty_stream(self, turn: Turn) -> list[bytes]:
        start = {**self._message(turn), "content": [], "stop_reason": None,
                 "usage": {"input_tokens": turn.prompt_tokens, "output_tokens": 0}}
        return [_sse(_ev("message_start", {"message": start})), _sse(_ev("message_stop", {}))]

    def error(self, status: int) -> JSON:
        kind, message = _ERRORS.get(status, _SERVER_ERROR)
        return {"type": "error", "error": {"type": kind, "message": message}}

    def context_length_error(self, turn: Turn) -> JSON:
        limit = 200_000
        return {"type": "error", "error": {
            "type": "invalid_request_error",
            "message": f"prompt is too long: {limit + turn.prompt_tokens} tokens > {limit} maximum",
        }}

    def content_filter_error(self) -> JSON:
        return {"type": "error", "error": {
            "type": "invalid_request_error",
            "message": "Output blocked by content filtering policy",
        }}

    def usage(self, turn: Turn) -> JSON:
        return {**_prompt_usage(turn), "output_tokens": self._output_tokens(turn)}

    @staticmethod
    def _message(turn: Turn) -> JSON:
        return {"id": f"msg_fake{next(_IDS)}", "type": "message", "role": "assistant",
                "model": turn.model, "stop_sequence": None}

    @staticmethod
    def _thinking(turn: Turn, *, full: bool) -> list[JSON]:
        if not turn.thinking:
            return []
        return [{"type": "thinking", "thinking": THINKING if full else "",
                 "signature": signature(turn.dep_id) if full else ""}]

    @staticmethod
    def _block(turn: Turn, *, full: bool) -> JSON:
        if turn.tool is None:
            return {"type": "text", "text": turn.text if full else ""}
        return {"type": "tool_use", "id": f"toolu_fake_{turn.dep_id}", "name": turn.tool,
                "input": turn.tool_input if full else {}}

    @staticmethod
    def _output_tokens(turn: Turn) -> int:
        return 2 if turn.tool is not None else turn.completion_tokens
