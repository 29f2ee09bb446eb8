"""Conversation affinity: keep a conversation where its prompt cache is. Pure: no I/O.

A provider caches a conversation's prefix per model and per cloud account: a cache
read costs 0.1x the input price, a 5-minute write 1.25x. Routing each turn afresh
throws that away. After the policy's Decision, `steer` looks at where the
conversation was served last (a `Memory`):

- a first turn (no earlier assistant turn), nothing remembered, or longer ago than the
  cache lives: `new`, the Decision as is;
- the turn needs a higher tier than the one remembered: `moved-up`, as decided;
  (a deployment of that tier that already holds the conversation's cache goes first);
- otherwise compare the expected cost of the next `horizon_turns` turns (each costed
  like this one) on the remembered deployment, its cache read, with the cost on the
  Decision's first choice, where the first turn reads whatever cache that deployment
  still holds of the conversation and writes the rest: stay (`kept`, the remembered
  deployment tried first) unless moving is cheaper (`moved-down`: a lower tier, or a
  cheaper deployment of the tier).

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
    """Where a conversation was served last, and every deployment whose prompt cache holds
    it: deployment name -> (when it served the conversation, the prompt's tokens then)."""

    tier: str
    deployment: str
    warm: Mapping[str, tuple[float, int]]

    def then(self, tier: str, deployment: str, at: float, prompt_tokens: int,
             ttl_s: float) -> Memory:
        """This memory after `deployment` served a turn (caches older than the TTL dropped)."""
        warm = {d: w for d, w in self.warm.items() if at - w[0] <= ttl_s}
        warm[deployment] = (at, prompt_tokens)
        return Memory(tier, deployment, warm)

    @staticmethod
    def first(tier: str, deployment: str, at: float, prompt_tokens: int) -> Memory:
        return Memory(tier, deployment, {deployment: (at, prompt_tokens)})


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


def turn_cost(info: ModelInfo, turn: Turn, cached: int) -> float:
    """Expected USD of this turn when `cached` prompt tokens are read from the cache; the
    rest of the prompt is written to it (the client marks each turn's end for caching)."""
    cached = min(cached, turn.prompt_tokens)
    return info.cost_of(Tokens(output=turn.output_tokens, cache_read=cached,
                               cache_write=turn.prompt_tokens - cached))


def _warm_tokens(memory: Memory, deployment: str, now: float, ttl_s: float) -> int:
    at, tokens = memory.warm.get(deployment, (0.0, 0))
    return tokens if deployment in memory.warm and now - at <= ttl_s else 0


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


def _first(decision: Decision, candidate: Candidate, label: str, reason: str) -> Steer:
    rest = tuple(c for c in decision.candidates if c is not candidate)
    steered = dataclasses.replace(
        decision, tier=candidate.tier, candidates=(candidate, *rest),
        reason=f"{decision.reason}; affinity: {candidate.deployment.name} first ({reason})")
    return Steer(steered, label, candidate.deployment.name, reason)


def steer(decision: Decision, memory: Memory | None, now: float, turn: Turn,
          catalog: Mapping[str, ModelInfo], config: Config) -> Steer:
    """Where this turn should go, given where the conversation was (see module doc)."""
    settings: AffinityConfig = config.affinity
    ttl = settings.cache_ttl_s
    if memory is None or not decision.candidates or not any(
            now - at <= ttl for at, _ in memory.warm.values()):
        return Steer(decision, NEW)

    def cost(candidate: Candidate, cached: int) -> float:
        return turn_cost(catalog[candidate.deployment.name], turn, cached)

    def warm(candidate: Candidate) -> int:
        return _warm_tokens(memory, candidate.deployment.name, now, ttl)

    wanted = decision.candidates[0]
    if _tier_index(config, decision.tier) > _tier_index(config, memory.tier):
        # Up: within the new tier, a deployment that already holds the conversation first.
        same_tier = [c for c in decision.candidates if c.tier == decision.tier]
        best = min(same_tier, key=lambda c: cost(c, warm(c)))
        if best is not wanted:
            return _first(decision, best, MOVED_UP, "its cache is warm")
        return Steer(decision, MOVED_UP)
    stay = _remembered(memory, decision)
    if stay is None:
        return Steer(decision, MOVED_DOWN, reason="the remembered deployment cannot take it")
    if stay is wanted:
        return _first(decision, stay, KEPT, "it served the conversation last")
    # Stay, or move and pay for the cache once: compare over the next `horizon_turns`
    # turns, each costed as this one (after a move, the new deployment's cache is warm).
    horizon = settings.horizon_turns
    stay_usd = horizon * cost(stay, warm(stay))
    move_usd = cost(wanted, warm(wanted)) + (horizon - 1) * cost(wanted, turn.prompt_tokens)
    reason = f"{horizon} turns: stay ${stay_usd:.6f}, move ${move_usd:.6f}"
    if move_usd < stay_usd:
        return Steer(decision, MOVED_DOWN, reason=reason)
    return _first(decision, stay, KEPT, reason)


def served_label(steered: Steer, served_deployment: str) -> str:
    """The x-tianji-affinity value once the call is done."""
    if steered.preferred is not None and served_deployment != steered.preferred:
        return FAILED_OVER
    return steered.label
