"""Conversation affinity shared through Redis: `RedisAffinity` implements `AffinityStore`
(router/affinity_store.py). Each conversation's `Memory` is one JSON value that expires
with the prompt cache (`affinity.cache_ttl_s`), so Redis holds only warm conversations.
Every memory is also kept in this process's bounded map: while Redis is unavailable the
gateway answers from it, as a single process does.
"""

from __future__ import annotations

import json

from router.affinity import Memory
from router.affinity_store import InProcessAffinity
from router.state.link import RedisLink


def dump(memory: Memory) -> str:
    return json.dumps({"tier": memory.tier, "deployment": memory.deployment,
                       "warm": {d: list(w) for d, w in memory.warm.items()}},
                      separators=(",", ":"))


def load(raw: bytes | str) -> Memory | None:
    try:
        data = json.loads(raw)
        warm = {str(d): (float(w[0]), int(w[1])) for d, w in data["warm"].items()}
        return Memory(str(data["tier"]), str(data["deployment"]), warm)
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # written by an incompatible version: as if unknown


class RedisAffinity:
    """Memories in Redis (with a TTL), and a local copy for when Redis is unavailable."""

    def __init__(self, link: RedisLink, max_conversations: int, ttl_s: float) -> None:
        self.link = link
        self.local = InProcessAffinity(max_conversations)
        self._ttl_ms = max(1, int(ttl_s * 1000))

    async def get(self, key: str) -> Memory | None:
        if self.link.up:
            raw = await self.link.call("GET", self.link.key("aff", key))
            if self.link.up:
                return load(raw) if raw is not None else None
        return await self.local.get(key)

    async def put(self, key: str, memory: Memory) -> None:
        await self.local.put(key, memory)
        await self.link.call("SET", self.link.key("aff", key), dump(memory), "PX", self._ttl_ms)
