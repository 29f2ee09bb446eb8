"""What the demo simulates: two clouds selling three Claude tiers, and the gateway config.

The tiers, models and prices are those of `config/default.yaml` (litellm's table:
Haiku 4.5 $1/$5, Sonnet 4.5 $3/$15, Opus 4.5 $5/$25 per million input/output
tokens). Each tier is sold by two simulated clouds, one per wire format:

- `sim-compat`: an OpenAI-compatible cloud reselling the models (OpenAI chat wire).
  It is listed first in every tier and it is flaky: the first call to each of its
  deployments fails with a 503, then 8% of calls fail at random (429, 5xx, reset),
  so the fallback to the other cloud shows from the first request on.
- `sim-anthropic`: the Anthropic API (Anthropic messages wire), healthy. Its Sonnet
  has the 1M-token window (a beta on the real API); every other window is 200k.

Everything is built in code, so the demo runs from an installed wheel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from router.fakeprovider import Fault, FaultKind, anthropic_base, openai_base
from router.fakeprovider.simulate import Profile

DEMO_KEY = "demo-key-not-a-secret"  # the simulated clouds accept any key
FLAKY_RATE = 0.08
FLAKY_FAULTS = (Fault(FaultKind.HTTP_ERROR, status=503, times=1),
                Fault(FaultKind.RANDOM, rate=FLAKY_RATE))
WINDOW = 200_000
LONG_WINDOW = 1_000_000


@dataclass(frozen=True)
class TierSpec:
    name: str
    alias: str
    max_difficulty: float | None
    model: str
    price: tuple[float, float]  # USD per 1M input / output tokens
    ttft_s: float
    tokens_per_s: float
    answer_tokens: tuple[int, int]


@dataclass(frozen=True)
class Cloud:
    name: str
    wire: str  # "openai" | "anthropic"
    description: str
    flaky: bool

    def deployment(self, tier: TierSpec) -> str:
        return f"sim-{self.name}-{tier.alias}"


TIERS = (
    TierSpec("small", "haiku", 0.33, "claude-haiku-4-5", (1.0, 5.0), 0.4, 160, (60, 140)),
    TierSpec("medium", "sonnet", 0.66, "claude-sonnet-4-5", (3.0, 15.0), 0.8, 75, (120, 260)),
    TierSpec("large", "opus", None, "claude-opus-4-5", (5.0, 25.0), 1.5, 45, (200, 400)),
)
CLOUDS = (
    Cloud("compat", "openai", "OpenAI wire; the first call per tier fails (503), then "
          f"{FLAKY_RATE:.0%} at random", flaky=True),
    Cloud("anthropic", "anthropic", "Anthropic wire; healthy; Sonnet with a 1M-token window",
          flaky=False),
)


def window(cloud: Cloud, tier: TierSpec) -> int:
    return LONG_WINDOW if cloud.name == "anthropic" and tier.name == "medium" else WINDOW


def profiles(cloud: Cloud) -> dict[str, Profile]:
    """How each of the cloud's deployments answers."""
    return {
        cloud.deployment(t): Profile(t.name, t.model, t.ttft_s, t.tokens_per_s, t.answer_tokens)
        for t in TIERS
    }


def _deployment(cloud: Cloud, url: str, tier: TierSpec) -> dict[str, Any]:
    name = cloud.deployment(tier)
    base = openai_base(url, name) if cloud.wire == "openai" else anthropic_base(url, name)
    return {
        "name": name,
        "model": f"{cloud.wire}/{tier.model}",
        "api_base": base,
        "api_key": DEMO_KEY,
        "max_context": window(cloud, tier),
        "supports": ["tools", "vision", "json"],
        "price": {"input": tier.price[0], "output": tier.price[1]},
    }


def demo_config(urls: dict[str, str], port: int) -> dict[str, Any]:
    """The gateway config (as YAML would give it) for clouds listening at `urls`."""
    tiers = []
    for tier in TIERS:
        entry: dict[str, Any] = {
            "name": tier.name,
            "aliases": [tier.alias],
            "deployments": [_deployment(c, urls[c.name], tier) for c in CLOUDS],
        }
        if tier.max_difficulty is not None:
            entry["max_difficulty"] = tier.max_difficulty
        tiers.append(entry)
    return {
        "server": {"host": "127.0.0.1", "port": port},
        "resilience": {
            # No retry on the same cloud: a failed call moves straight to the other one,
            # which is what the demo is there to show (config/default.yaml retries twice).
            "retries": 0,
            "request_timeout_s": 60,
            "attempt_timeout_s": 30,
            "cooldown_s": 10,
            "failures_before_cooldown": 3,
            "escalate": True,
        },
        "classifier": {"kind": "learned"},
        "tiers": tiers,
    }
