"""Where conversations were served: `AffinityStore`, one tiny async interface, and the
in-process implementation. A shared one (Redis) implements the same two methods.

    store = InProcessAffinity(max_conversations=100_000)
    await store.put("claude-code:abc:claude-opus-5-5", Memory("large", "anthropic-opus", t, n))
    memory = await store.get("claude-code:abc:claude-opus-5-5")
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

from router.affinity import Memory


class AffinityStore(Protocol):
    async def get(self, key: str) -> Memory | None: ...

    async def put(self, key: str, memory: Memory) -> None: ...


class InProcessAffinity:
    """A bounded map in this process; the least recently used conversation goes first."""

    def __init__(self, max_conversations: int) -> None:
        self._max = max_conversations
        self._memories: OrderedDict[str, Memory] = OrderedDict()

    async def get(self, key: str) -> Memory | None:
        memory = self._memories.get(key)
        if memory is not None:
            self._memories.move_to_end(key)
        return memory

    async def put(self, key: str, memory: Memory) -> None:
        self._memories[key] = memory
        self._memories.move_to_end(key)
        while len(self._memories) > self._max:
            self._memories.popitem(last=False)
