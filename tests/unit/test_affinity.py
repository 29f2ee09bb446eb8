"""Conversation affinity is pure: (decision, memory, now, turn, catalog, config) -> Steer."""

from __future__ import annotations

import pytest

from router.affinity import Memory, Turn, conversation_key, served_label, steer, turn_cost
from router.classify.base import Assessment
from router.config import parse_config
from router.costs import Tokens, build_catalog
from router.policy import Route, decide, needs_of

PRICES = {"haiku": (1, 5), "sonnet": (3, 15), "opus": (5, 25)}
PREFIX = 100_000  # the worked example of the README


def config(**affinity):
    tiers = []
    for i, (name, alias) in enumerate((("small", "haiku"), ("medium", "sonnet"),
                                       ("large", "opus"))):
        deps = [{"name": f"{cloud}-{alias}", "model": f"anthropic/claude-{alias}", "api_key": "k",
                 "price": {"input": PRICES[alias][0], "output": PRICES[alias][1]}}
                for cloud in ("anthropic", "bedrock")]
        tier = {"name": name, "aliases": [alias], "deployments": deps}
        if i < 2:
            tier["max_difficulty"] = (0.33, 0.66)[i]
        tiers.append(tier)
    return parse_config({"tiers": tiers, "affinity": affinity}, env={})


CFG = config()
CATALOG = build_catalog(CFG)
TURN = Turn(PREFIX + 2_000, 500)


def decision(difficulty):
    body = {"messages": [{"role": "user", "content": "x"}]}
    return decide(CFG, CATALOG, needs_of(body), Assessment(difficulty, "t"), Route())


def memory(deployment, tier, at=1000.0, tokens=PREFIX, **warm):
    return Memory(tier, deployment, {deployment: (at, tokens), **warm})


def run(difficulty, mem, now=1010.0, turn=TURN):
    return steer(decision(difficulty), mem, now, turn, CATALOG, CFG)


def test_a_new_conversation_keeps_the_decision():
    result = run(0.5, None)
    assert result.label == "new" and result.decision == decision(0.5)


def test_a_cold_cache_is_new():
    result = run(0.1, memory("anthropic-sonnet", "medium"), now=1000.0 + 301)
    assert result.label == "new" and result.decision.candidates[0].deployment.name == (
        "anthropic-haiku")


def test_an_easier_turn_stays_where_the_cache_is_warm():
    """Sonnet -> Haiku on a 100k cached prefix: staying reads it at 0.1x of Sonnet's price,
    moving writes it at 1.25x of Haiku's: stay."""
    result = run(0.1, memory("anthropic-sonnet", "medium"))
    assert result.label == "kept"
    assert result.decision.tier == "medium"
    assert [c.deployment.name for c in result.decision.candidates][:2] == [
        "anthropic-sonnet", "anthropic-haiku"]
    stay = turn_cost(CATALOG["anthropic-sonnet"], TURN, PREFIX)
    move = turn_cost(CATALOG["anthropic-haiku"], TURN, 0)
    assert stay < move
    assert stay == pytest.approx((PREFIX * 0.3 + 2_000 * 3.75 + 500 * 15) / 1e6)
    assert move == pytest.approx(((PREFIX + 2_000) * 1.25 + 500 * 5) / 1e6)


def test_moving_down_when_the_cheaper_tier_holds_the_cache_too():
    mem = memory("anthropic-sonnet", "medium", **{"anthropic-haiku": (1005.0, PREFIX)})
    assert run(0.1, mem).label == "moved-down"


def test_a_small_prefix_moves_down():
    small = Turn(3_000, 500)
    result = run(0.1, memory("anthropic-sonnet", "medium", tokens=1_000), turn=small)
    assert result.label == "moved-down"
    assert result.decision.candidates[0].deployment.name == "anthropic-haiku"


def test_a_longer_horizon_moves_down_sooner():
    cfg = config(horizon_turns=20)
    d = decide(cfg, CATALOG, needs_of({"messages": [{"role": "user", "content": "x"}]}),
               Assessment(0.1, "t"), Route())
    assert steer(d, memory("anthropic-sonnet", "medium"), 1010.0, TURN, CATALOG,
                 cfg).label == "moved-down"


def test_a_harder_turn_moves_up_to_a_warm_deployment_of_that_tier():
    assert run(0.9, memory("anthropic-sonnet", "medium")).label == "moved-up"
    mem = memory("anthropic-sonnet", "medium", **{"bedrock-opus": (1005.0, PREFIX)})
    result = run(0.9, mem)
    assert result.label == "moved-up"
    assert result.decision.candidates[0].deployment.name == "bedrock-opus"


def test_another_cloud_stays_when_it_served_last():
    result = run(0.5, memory("bedrock-sonnet", "medium"))
    assert result.label == "kept"
    assert result.decision.candidates[0].deployment.name == "bedrock-sonnet"


def test_failing_over_from_the_kept_deployment():
    result = run(0.5, memory("bedrock-sonnet", "medium"))
    assert served_label(result, "bedrock-sonnet") == "kept"
    assert served_label(result, "anthropic-sonnet") == "failed-over"


def test_memory_forgets_cold_caches():
    mem = memory("anthropic-sonnet", "medium", at=0.0).then("small", "anthropic-haiku", 400.0,
                                                            5, ttl_s=300)
    assert set(mem.warm) == {"anthropic-haiku"} and mem.deployment == "anthropic-haiku"


@pytest.mark.parametrize("headers,body,prefix", [
    ({"x-tianji-session": "s1", "x-claude-code-session-id": "c"}, {}, "session:s1"),
    ({"x-claude-code-session-id": "c"}, {"metadata": {"user_id": "u"}}, "claude-code:c"),
    ({}, {"metadata": {"user_id": "u"}, "prompt_cache_key": "p"}, "user:u"),
    ({}, {"prompt_cache_key": "p"}, "cache-key:p"),
    ({}, {}, "prefix:"),
])
def test_conversation_key_precedence(headers, body, prefix):
    view = {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]}
    assert conversation_key(headers, {**body, "model": "m"}, view).startswith(prefix)


def test_the_prefix_key_ignores_later_turns_but_not_the_model():
    first = {"messages": [{"role": "user", "content": "u"}]}
    later = {"messages": [*first["messages"], {"role": "assistant", "content": "a"},
                          {"role": "user", "content": "more"}]}
    assert conversation_key({}, {"model": "m"}, first) == conversation_key({}, {"model": "m"},
                                                                          later)
    assert conversation_key({}, {"model": "m"}, first) != conversation_key({}, {"model": "n"},
                                                                          first)


@pytest.mark.parametrize("usage,tokens", [
    ({"input_tokens": 5, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 20,
      "output_tokens": 7}, Tokens(5, 7, 100, 20)),
    ({"prompt_tokens": 125, "completion_tokens": 7, "prompt_tokens_details": {
        "cached_tokens": 100}, "cache_creation_input_tokens": 20}, Tokens(5, 7, 100, 20)),
    ({"prompt_tokens": 10, "completion_tokens": 2}, Tokens(10, 2)),
])
def test_tokens_from_either_wire(usage, tokens):
    assert Tokens.of(usage) == tokens


def test_cache_prices_default_to_anthropics_multipliers_and_follow_price():
    info = CATALOG["anthropic-sonnet"]
    assert info.cost_of(Tokens(0, 0, 1_000_000, 0)) == pytest.approx(0.3)
    assert info.cost_of(Tokens(0, 0, 0, 1_000_000)) == pytest.approx(3.75)
    cfg = parse_config({"tiers": [{"name": "t", "deployments": [{
        "model": "anthropic/x", "api_key": "k",
        "price": {"input": 2, "output": 4, "cache_read": 0.5, "cache_write": 3}}]}]}, env={})
    own = build_catalog(cfg)["anthropic/x"]
    assert own.cost_of(Tokens(1_000_000, 1_000_000, 1_000_000, 1_000_000)) == pytest.approx(
        2 + 4 + 0.5 + 3)
