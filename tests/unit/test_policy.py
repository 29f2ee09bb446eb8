"""The policy is pure: (config, catalog, needs, assessment, route) -> Decision."""

from __future__ import annotations

import pytest

from router.classify.base import Assessment
from router.config import parse_config
from router.costs import build_catalog
from router.policy import PolicyError, Route, decide, needs_of

ALL = ["tools", "vision", "json"]  # the models are not in litellm's table: say what they take


def config(escalate=True, small_window=8000, small_supports=ALL):
    small = {"name": "s", "model": "openai/m-small", "api_key": "k", "max_context": small_window,
             "supports": small_supports}
    return parse_config({
        "resilience": {"escalate": escalate},
        "tiers": [
            {"name": "small", "aliases": ["haiku"], "max_difficulty": 0.3, "deployments": [small]},
            {"name": "medium", "max_difficulty": 0.7, "deployments": [
                {"name": "m", "model": "openai/m-medium", "api_key": "k", "max_context": 32000,
                 "supports": ALL}]},
            {"name": "large", "deployments": [
                {"name": "l", "model": "openai/m-large", "api_key": "k", "max_context": 200000,
                 "supports": ALL},
                {"name": "l2", "model": "anthropic/claude-x", "api_key": "${NOPE}",
                 "max_context": 200000, "supports": ALL}]},
        ],
    }, env={})


def run(cfg, body=None, difficulty=0.1, **route):
    body = body or {"messages": [{"role": "user", "content": "hello"}]}
    return decide(cfg, build_catalog(cfg), needs_of(body), Assessment(difficulty, "chat"),
                  Route(**route))


@pytest.mark.parametrize("difficulty, tier", [(0.0, "small"), (0.3, "small"), (0.31, "medium"),
                                              (0.7, "medium"), (0.71, "large"), (1.0, "large")])
def test_thresholds_pick_the_cheapest_covering_tier(difficulty, tier):
    assert run(config(), difficulty=difficulty).tier == tier


def test_candidates_are_the_tier_then_the_tiers_above():
    decision = run(config())
    assert [c.deployment.name for c in decision.candidates] == ["s", "m", "l"]
    assert decision.excluded == {"l2": "missing credentials: NOPE"}


def test_without_escalation_only_the_chosen_tier_is_tried():
    assert [c.deployment.name for c in run(config(escalate=False)).candidates] == ["s"]


def test_pinned_tier_keeps_its_deployments_only():
    decision = run(config(), model="haiku", difficulty=0.99)
    assert decision.tier == "small"
    assert [c.deployment.name for c in decision.candidates] == ["s"]


def test_floor_and_ceiling():
    assert run(config(), min_tier="medium").tier == "medium"
    capped = run(config(), difficulty=0.9, max_tier="medium")
    assert capped.tier == "medium"
    assert [c.deployment.name for c in capped.candidates] == ["m"]
    with pytest.raises(PolicyError, match="above"):
        run(config(), min_tier="large", max_tier="small")


def test_long_prompt_skips_windows_that_are_too_small():
    body = {"messages": [{"role": "user", "content": "x" * 60000}]}  # ~15k tokens
    decision = run(config(), body)
    assert decision.tier == "medium"
    assert "context window 8000" in decision.excluded["s"]
    assert "raised to medium" in decision.reason


def test_requested_output_counts_against_the_window():
    body = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 100_000}
    assert run(config(), body).tier == "large"
    body["max_tokens"] = 10_000_000
    with pytest.raises(PolicyError) as info:
        run(config(), body)
    assert info.value.code == "context_length_exceeded"


def test_capabilities_are_hard_constraints():
    tools = [{"type": "function", "function": {"name": "f"}}]
    cfg = config(small_supports=["json"])
    assert (
        run(cfg, {"messages": [{"role": "user", "content": "x"}], "tools": tools}).tier == "medium"
    )
    image = {"messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AA"}}]}]}
    assert run(cfg, image).tier == "medium"
    assert needs_of(image).capabilities == {"vision"}


def test_the_whole_conversation_counts_toward_size():
    turns = [{"role": "user" if i % 2 == 0 else "assistant", "content": "y" * 4000}
             for i in range(10)]
    assert needs_of({"messages": turns}).prompt_tokens >= 10_000
