"""The interface every fake wire format implements, and what they share."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

JSON = dict[str, Any]


@dataclass(frozen=True)
class Turn:
    """What a fake answer depends on, read from one request."""

    dep_id: str
    model: str
    text: str
    prompt_tokens: int
    tool: str | None  # the function the request forces a call to
    include_usage: bool
    thinking: bool = False  # the request turned extended thinking on (Anthropic wire)
    cache_read: int = 0  # prompt tokens read from / written to the prompt cache (Anthropic)
    cache_write: int = 0
    options: frozenset[str] = frozenset()  # what else the request asked of the wire

    @property
    def pieces(self) -> list[str]:
        """The answer split into stream deltas, one word (with its leading space) each."""
        words = self.text.split(" ")
        return [words[0], *(" " + w for w in words[1:])]

    @property
    def completion_tokens(self) -> int:
        return len(self.pieces)

    @property
    def tool_input(self) -> JSON:
        """The forced tool's input on the Claude wires: the answer when it is a JSON object
        (as a model asked for JSON writes it there), else no arguments."""
        try:
            value = json.loads(self.text)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    @property
    def tool_input_pieces(self) -> list[str]:
        """The tool's input as a stream sends it: its JSON in pieces of up to 8 characters."""
        encoded = _ENCODER.encode(self.tool_input)
        return [encoded[i:i + 8] for i in range(0, len(encoded), 8)]


class Wire(Protocol):
    """One provider's wire format: how to read a request and write answers and errors.

    Implementations: `wire_openai.OpenAIWire`, `wire_anthropic.AnthropicWire`,
    `wire_responses.ResponsesWire`, and the cloud and embeddings wires.
    """

    name: str
    malformed_event: bytes

    def turn(self, dep_id: str, body: JSON, text: str) -> Turn: ...

    def answer(self, turn: Turn) -> JSON: ...

    def stream(self, turn: Turn) -> list[bytes]:
        """Every SSE event of a streamed answer, each ending in a blank line."""
        ...

    def usage(self, turn: Turn) -> JSON:
        """The token usage an answer to `turn` reports."""
    def empty_answer(self, turn: Turn) -> JSON:
        """A success body with no answer in it (OpenAI: `choices: []`)."""
        ...

    def empty_stream(self, turn: Turn) -> list[bytes]:
        """A success stream with no answer in it (OpenAI: events without choices)."""
        ...

    def error(self, status: int) -> JSON: ...

    def context_length_error(self, turn: Turn) -> JSON: ...

    def content_filter_error(self) -> JSON: ...


_ENCODER = json.JSONEncoder(separators=(",", ":"))


def count_tokens(value: object) -> int:
    """A deterministic stand-in for a tokenizer: about four characters per token."""
    return max(1, len(_ENCODER.encode(value)) // 4)


def dumps(value: object) -> bytes:
    return _ENCODER.encode(value).encode()
