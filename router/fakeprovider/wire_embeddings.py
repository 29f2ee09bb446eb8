"""Embeddings on two wires: OpenAI's `POST /v1/embeddings`, and Bedrock InvokeModel for
Amazon Titan Text Embeddings (`/model/amazon.titan-embed-*/invoke`, one text per call,
`{"inputText", "dimensions"}` in, `{"embedding", "inputTextTokenCount"}` out).

Vectors are deterministic: a unit vector drawn from a hash of the input, of `dimensions`
floats (default `DEFAULT_DIMENSIONS`), each a float32 value, as OpenAI's are. Every
deployment answers the same vector for the same input, as one model sold by several
clouds would, and a test can recompute it with `fake_vector`. Neither wire streams; the
chat faults apply to the JSON answer as they do to a non-streamed chat answer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from .wire import JSON, Turn, count_tokens, dumps
from .wire_openai import OpenAIWire

DEFAULT_DIMENSIONS = 16
_OPENAI = OpenAIWire()


def fake_vector(item: object, dimensions: int = DEFAULT_DIMENSIONS) -> list[float]:
    """The vector the fake answers for one input (a string or a list of token ids)."""
    seed = hashlib.sha256(dumps(item)).digest()
    values = np.random.default_rng(int.from_bytes(seed[:8], "little")).normal(size=dimensions)
    unit = (values / np.linalg.norm(values)).astype(np.float32)
    return [float(v) for v in unit]


@dataclass(frozen=True)
class EmbeddingTurn(Turn):
    inputs: tuple[object, ...] = ()
    dimensions: int = DEFAULT_DIMENSIONS


def _inputs(value: object) -> tuple[object, ...]:
    if isinstance(value, list) and value and not isinstance(value[0], int):
        return tuple(value)
    return (value,)


class OpenAIEmbeddingsWire:
    name = "openai-embeddings"
    malformed_event = b'{"object": "list", "data": [{"embedding": [0.1, \n\n'

    def turn(self, dep_id: str, body: JSON, text: str) -> Turn:
        inputs = _inputs(body.get("input", ""))
        return EmbeddingTurn(
            dep_id=dep_id, model=str(body.get("model", "")), text=text,
            prompt_tokens=sum(count_tokens(i) for i in inputs), tool=None,
            include_usage=False, inputs=inputs,
            dimensions=int(body.get("dimensions") or DEFAULT_DIMENSIONS),
        )

    def answer(self, turn: Turn) -> JSON:
        assert isinstance(turn, EmbeddingTurn)
        data = [{"object": "embedding", "index": i,
                 "embedding": fake_vector(item, turn.dimensions)}
                for i, item in enumerate(turn.inputs)]
        return {"object": "list", "data": data, "model": turn.model, "usage": self.usage(turn)}

    def stream(self, turn: Turn) -> list[bytes]:
        return [dumps(self.answer(turn))]

    def usage(self, turn: Turn) -> JSON:
        return {"prompt_tokens": turn.prompt_tokens, "total_tokens": turn.prompt_tokens}

    def empty_answer(self, turn: Turn) -> JSON:
        return {"object": "list", "data": [], "model": turn.model, "usage": self.usage(turn)}

    def empty_stream(self, turn: Turn) -> list[bytes]:
        return [dumps(self.empty_answer(turn))]

    def error(self, status: int) -> JSON:
        return _OPENAI.error(status)

    def context_length_error(self, turn: Turn) -> JSON:
        return _OPENAI.context_length_error(turn)

    def content_filter_error(self) -> JSON:
        return _OPENAI.content_filter_error()


class TitanEmbeddingsWire(OpenAIEmbeddingsWire):
    """Bedrock's InvokeModel for Titan Text Embeddings: one `inputText` per call."""

    name = "bedrock-titan-embeddings"
    malformed_event = b'{"embedding": [0.1, \n\n'

    def turn(self, dep_id: str, body: JSON, text: str) -> Turn:
        item = body.get("inputText", "")
        return EmbeddingTurn(
            dep_id=dep_id, model="", text=text,
            prompt_tokens=count_tokens(item), tool=None, include_usage=False,
            inputs=(item,), dimensions=int(body.get("dimensions") or DEFAULT_DIMENSIONS),
        )

    def answer(self, turn: Turn) -> JSON:
        assert isinstance(turn, EmbeddingTurn)
        return {"embedding": fake_vector(turn.inputs[0], turn.dimensions),
                "inputTextTokenCount": turn.prompt_tokens}

    def usage(self, turn: Turn) -> JSON:
        return {"inputTextTokenCount": turn.prompt_tokens}

    def empty_answer(self, turn: Turn) -> JSON:
        return {"inputTextTokenCount": turn.prompt_tokens}

    def error(self, status: int) -> JSON:
        return {"message": str(_OPENAI.error(status)["error"]["message"])}

    def context_length_error(self, turn: Turn) -> JSON:
        return {"message": "Input is too long for requested model."}

    def content_filter_error(self) -> JSON:
        return {"message": "The request was blocked by a content filter."}
