"""Prompt caching as Claude does it, per deployment, so a test sees cache reads and writes.

A request that carries `cache_control` anywhere is cached whole; a later request to the
same deployment whose tools, system prompt and first messages equal a cached prompt reads
that prefix from the cache (within the TTL) and writes the rest. Without `cache_control`
nothing is read or written.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .wire import JSON, count_tokens, dumps

CACHE_TTL_S = 300.0


def _has_cache_control(value: Any) -> bool:
    if isinstance(value, dict):
        return "cache_control" in value or any(_has_cache_control(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_cache_control(v) for v in value)
    return False


def _unmarked(value: Any) -> Any:
    """The value without `cache_control` marks: moving a breakpoint keeps the prefix."""
    if isinstance(value, dict):
        return {k: _unmarked(v) for k, v in value.items() if k != "cache_control"}
    if isinstance(value, list):
        return [_unmarked(v) for v in value]
    return value


def _digest(body: JSON, messages: list[Any]) -> str:
    prompt = _unmarked([body.get("tools"), body.get("system"), messages])
    return hashlib.sha256(dumps(prompt)).hexdigest()


class PromptCache:
    """Cached prompts by (deployment, digest), with the time each was last used."""

    def __init__(self, ttl_s: float = CACHE_TTL_S) -> None:
        self._ttl_s = ttl_s
        self._seen: dict[tuple[str, str], float] = {}

    def use(self, dep_id: str, body: JSON, now: float) -> tuple[int, int]:
        """(tokens read from the cache, tokens written to it) for this request."""
        if not _has_cache_control(body):
            return 0, 0
        messages = list(body.get("messages") or [])
        total = count_tokens([body.get("system"), messages])
        read = 0
        for k in range(len(messages) - 1, 0, -1):
            key = (dep_id, _digest(body, messages[:k]))
            at = self._seen.get(key)
            if at is not None and now - at <= self._ttl_s:
                self._seen[key] = now
                read = min(total, count_tokens([body.get("system"), messages[:k]]))
                break
        self._seen[(dep_id, _digest(body, messages))] = now
        return read, total - read

    def clear(self) -> None:
        self._seen.clear()
