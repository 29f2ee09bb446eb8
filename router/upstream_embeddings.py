"""One embeddings call to one deployment, through litellm's `aembedding`.

`Upstream.complete(decision, request.upstream_params(), stream=False, ...,
call=EmbeddingCall(request))` walks the `embeddings:` deployments exactly as it walks a
tier for chat (retries, health, cooldown, fallback, the deadline); only the call differs.
The call returns the answer as a dict whose vectors are numpy arrays (numbers hold no
secret, so the upstream's answer scrubbing passes them by), checked against the request:
one vector per input, of the asked `dimensions`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import litellm

from router.embeddings import EmbeddingRequest, vector
from router.errors import MalformedAnswer

# litellm's OpenAI and Azure embedding handlers turn `max_retries=0` into this default
# (`max_retries or litellm.DEFAULT_MAX_RETRIES`), and the OpenAI SDK would then retry
# inside one attempt, out of sight of Tianji's retries, cooldowns and attempt count.
litellm.DEFAULT_MAX_RETRIES = 0

# Keyword arguments the upstream passes to every call that only a chat call takes.
_CHAT_ONLY = ("stream", "stream_options", "_skip_mcp_handler")


class EmbeddingCall:
    """The `call` of `Upstream.complete` for embeddings (a `router.upstream.WireCall`).
    Embeddings have no stream: the answer is always fetched as JSON."""

    def __init__(self, request: EmbeddingRequest) -> None:
        self.request = request

    def takes(self, dep: Any) -> bool:
        return True  # every deployment of the request's decision

    def streams(self, params: dict[str, Any]) -> bool:
        return False

    def has_answer(self, body: dict[str, Any]) -> bool:
        return "data" in body

    async def first(self, events: Any) -> Any:
        raise TypeError("embeddings are never streamed")

    async def assemble(self, first: Any, rest: AsyncIterator[Any], events: Any,
                       params: dict[str, Any]) -> dict[str, Any]:
        raise TypeError("embeddings are never streamed")

    async def __call__(self, **kwargs: Any) -> dict[str, Any]:
        for key in _CHAT_ONLY:
            kwargs.pop(key, None)
        response = await litellm.aembedding(**kwargs)
        data = sorted(getattr(response, "data", None) or (),
                      key=lambda item: _field(item, "index") or 0)  # in the inputs' order
        if len(data) != self.request.count:
            raise MalformedAnswer(
                f"the provider answered {len(data)} vectors for {self.request.count} inputs"
            )
        vectors = [vector(_field(item, "embedding")) for item in data]
        wanted = self.request.dimensions
        if wanted is not None and any(v.shape != (wanted,) for v in vectors):
            raise MalformedAnswer(
                f"the provider answered vectors of {vectors[0].size} dimensions, not {wanted}"
            )
        usage = getattr(response, "usage", None)
        return {
            "model": getattr(response, "model", None),
            "data": [{"embedding": v} for v in vectors],
            "usage": usage.model_dump(exclude_none=True) if usage is not None else {},
        }


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)
