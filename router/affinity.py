"""Conversation affinity: keep a conversation where its prompt cache is. Pure: no I/O.

A provider caches a conversation's prefix per model and per cloud account: a cache
read costs 0.1x the input price, a 5-minute write 1.25x. Routing each turn afresh
throws that away. After the policy's Decision, `steer` looks at where the
conversation was served last (a `Memory`):

- a first turn (no earlier assistant turn), nothing remembered, or longer ago than the
  cache lives: `new`, the Decision as is;
- the turn needs a higher tier than the one remembered: `moved-up`, as decided;
- otherwise compare this turn's expected cost on the remembered deployment (the
  prefix read from cache) with its cost on the Decision's first choice (the prefix
  written anew): stay (`kept`, the remembered deployment tried first) unless moving
  is cheaper (`moved-down` to a lower tier, or to another deployment of the tier).

If the deployment it stayed on fails, the next candidate answers: `failed-over`.

    steer(decision, memory, now, turn, catalog, config) -> Steer(decision, label)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from router.config import AffinityConfig, Config
from router.costs import ModelInfo, Tokens
from router.policy import Candidate, Decision

NEW, KEPT, MOVED_UP, MOVED_DOWN, FAILED_OVER = (
    "new", "kept", "moved-up", "moved-down", "failed-over")


@dataclass(frozen=True)
class Memory:
    """Where a conversation was served last, when, and how long its prompt was then."""

    tier: str
    deployment: str
    at: float
    prompt_tokens: int


@dataclass(frozen=True)
class Turn:
    """This turn's size: the prompt (estimated) and the output expected."""

    prompt_tokens: int
    output_tokens: int


@dataclass(frozen=True)
class Steer:
    decision: Decision
    label: str
    preferred: str | None = None  # the deployment affinity put first, if any
    reason: str = ""


def conversation_key(headers: Mapping[str, str], body: Mapping[str, Any],
                     view: Mapping[str, Any]) -> str:
    """Which conversation this request continues: `x-tianji-session`, Claude Code's
    session header, Anthropic `metadata.user_id`, OpenAI `prompt_cache_key`, else a hash
    of the system prompt and first user turn. The client's model name is part of the key,
    so a client's background calls on a small model do not move its main conversation."""
    metadata = body.get("metadata")
    user_id = metadata.get("user_id") if isinstance(metadata, Mapping) else None
    for kind, value in (("session", headers.get("x-tianji-session")),
                        ("claude-code", headers.get("x-claude-code-session-id")),
                        ("user", user_id), ("cache-key", body.get("prompt_cache_key"))):
        if isinstance(value, str) and value:
            return f"{kind}:{value}:{body.get('model', '')}"
    messages = view.get("messages") or []
    system = [m.get("content") for m in messages if m.get("role") == "system"][:1]
    first = [m.get("content") for m in messages if m.get("role") == "user"][:1]
    digest = hashlib.sha256(json.dumps([system, first, body.get("model", "")], default=str,
                                       sort_keys=True).encode()).hexdigest()[:32]
    return f"prefix:{digest}"


def turn_cost(info: ModelInfo, turn: Turn, cached: int, *, warm: bool) -> float:
    """Expected USD of this turn with `cached` prefix tokens: read from the cache when
    `warm`, otherwise written to it anew; the rest of the prompt is written too (the
    client marks the end of each turn for caching)."""
    fresh = max(0, turn.prompt_tokens - cached)
    tokens = (Tokens(output=turn.output_tokens, cache_read=cached, cache_write=fresh) if warm
              else Tokens(output=turn.output_tokens, cache_write=cached + fresh))
    return info.cost_of(tokens)


def _tier_index(config: Config, tier: str) -> int:
    index = config.tier_index(tier)
    return -1 if index is None else index


def _remembered(memory: Memory, decision: Decision) -> Candidate | None:
    """The remembered deployment if the Decision allows it: it fits this turn and lies
    within the tiers the policy would try (the chosen one and, with escalation, those
    above it up to any ceiling)."""
    for candidate in decision.candidates:
        if candidate.deployment.name == memory.deployment:
            return candidate
    return None


def steer(decision: Decision, memory: Memory | None, now: float, turn: Turn,
          catalog: Mapping[str, ModelInfo], config: Config) -> Steer:
    """Where this turn should go, given where the conversation was (see module doc)."""
    settings: AffinityConfig = config.affinity
    if memory is None or not decision.candidates or now - memory.at > settings.cache_ttl_s:
        return Steer(decision, NEW)
    stay = _remembered(memory, decision)
    wanted = decision.candidates[0]
    if stay is None:
        up = _tier_index(config, wanted.tier) > _tier_index(config, memory.tier)
        return Steer(decision, MOVED_UP if up else MOVED_DOWN,
                     reason="the remembered deployment cannot take this turn")
    if _tier_index(config, decision.tier) > _tier_index(config, memory.tier):
        return Steer(decision, MOVED_UP)
    cached = min(memory.prompt_tokens, turn.prompt_tokens)
    stay_usd = turn_cost(catalog[stay.deployment.name], turn, cached, warm=True)
    move_usd = turn_cost(catalog[wanted.deployment.name], turn, cached, warm=False)
    reason = f"stay ${stay_usd:.6f} vs move ${move_usd:.6f}"
    if wanted.deployment.name != stay.deployment.name and move_usd < stay_usd:
        # Another deployment of the same tier (another cloud) that is cheaper is a move down
        # in cost as well.
        return Steer(decision, MOVED_DOWN, reason=reason)
    rest = tuple(c for c in decision.candidates if c.deployment.name != stay.deployment.name)
    kept = dataclasses.replace(decision, tier=stay.tier, candidates=(stay, *rest),
                               reason=f"{decision.reason}; affinity keeps {stay.deployment.name}")
    return Steer(kept, KEPT, stay.deployment.name, reason)


def served_label(steered: Steer, served_deployment: str) -> str:
    """The x-tianji-affinity value once the call is done."""
    if steered.preferred is not None and served_deployment != steered.preferred:
        return FAILED_OVER
    return steered.label
