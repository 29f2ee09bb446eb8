"""Simulated models: realistic latency, answer length and an answer that names its source.

`SimulatedProvider` is a `FakeProvider` whose deployments, when given a `Profile`,
answer like a model of a given tier: the first token after `ttft_s` (plus or minus
a fifth), then `tokens_per_s`, with an answer of a length drawn from
`answer_tokens` (never more than the request's `max_tokens`). The answer says
which tier, deployment and model produced it. Deployments without a profile, and
every `FakeProvider`, answer exactly as before: this is opt-in.

    profiles = {"small-a": Profile(tier="small", model="claude-haiku-4-5", ttft_s=0.4,
                                   tokens_per_s=160, answer_tokens=(60, 140))}
    with SimulatedProvider(profiles, seed=7) as sim:
        ...  # api_base=sim.anthropic_base("small-a")
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .faults import Fault
from .provider import FakeProvider
from .service import Behaviour

JITTER = 0.2  # latency and speed vary by up to this fraction either way
QUOTE_WORDS = 12  # words of the prompt the answer quotes
FILLER = ("This stand-in text is as long as a typical answer from this tier, so that latency, "
          "token counts and cost behave as they would with real traffic.")


@dataclass(frozen=True)
class Profile:
    """How one simulated deployment answers."""

    tier: str
    model: str  # the model it stands in for, as the answer names it
    ttft_s: float  # time to first token
    tokens_per_s: float  # generation speed after the first token
    answer_tokens: tuple[int, int]  # the answer's length, drawn uniformly from this range


def answer_text(profile: Profile, dep_id: str, prompt: str, tokens: int) -> str:
    """An answer of exactly `tokens` words (the fake counts one token per word)."""
    quoted = " ".join(prompt.split()[:QUOTE_WORDS])
    words = (f"[tier {profile.tier} | deployment {dep_id} | model {profile.model}] "
             f'Simulated answer, no model ran. You asked: "{quoted}".').split(" ")
    while len(words) < tokens:
        words.extend(FILLER.split(" "))
    return " ".join(words[:max(1, tokens)])


def last_user_text(body: Mapping[str, Any]) -> str:
    """The text of the last user message, in either wire format."""
    for message in reversed(body.get("messages") or []):
        if not isinstance(message, dict) or message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            return " ".join(str(part.get("text", "")) for part in content
                            if isinstance(part, dict) and part.get("type") == "text")
    return ""


class SimulatedProvider(FakeProvider):
    """A `FakeProvider` whose profiled deployments behave like real models of their tier."""

    def __init__(self, profiles: Mapping[str, Profile], *, seed: int = 0, **kwargs: Any) -> None:
        super().__init__(seed=seed, **kwargs)
        self._profiles = dict(profiles)
        self._sim_rng = random.Random(seed)
        self._sim_lock = threading.Lock()

    def shape(self, dep_id: str, body: dict[str, Any], stream: bool, fault: Fault | None,
              behaviour: Behaviour) -> Behaviour:
        profile = self._profiles.get(dep_id)
        if profile is None:
            return behaviour
        with self._sim_lock:
            low, high = profile.answer_tokens
            tokens = self._sim_rng.randint(low, high)
            ttft = profile.ttft_s * self._sim_rng.uniform(1 - JITTER, 1 + JITTER)
            speed = profile.tokens_per_s * self._sim_rng.uniform(1 - JITTER, 1 + JITTER)
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        if isinstance(limit, int) and limit > 0:
            tokens = min(tokens, limit)
        if fault is not None:  # a failure arrives after about the time to first token
            return replace(behaviour, latency=ttft)
        text = answer_text(profile, dep_id, last_user_text(body), tokens)
        # The fake formats `text` with {dep_id} and {model}: keep the prompt's braces literal.
        escaped = text.replace("{", "{{").replace("}", "}}")
        if stream:
            return replace(behaviour, latency=ttft, chunk_delay=1 / speed, text=escaped)
        return replace(behaviour, latency=ttft + tokens / speed, text=escaped)
