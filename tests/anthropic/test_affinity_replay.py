"""The Claude Code-shaped replay (bench/affinity_replay.py) through the real gateway and the
fake's prompt cache: every affinity decision, the cost accounting, and the three totals."""

from __future__ import annotations

import asyncio

import pytest

from bench.affinity_replay import PRICES, generated, replay, total
from router.costs import Tokens
from router.fakeprovider import FakeProvider

# main-loop turn -> (x-tianji-affinity, deployment); background calls are each "new".
EXPECTED = [
    ("new", "anthropic-sonnet"), ("kept", "anthropic-sonnet"), ("kept", "anthropic-sonnet"),
    ("kept", "anthropic-sonnet"), ("kept", "anthropic-sonnet"), ("kept", "anthropic-sonnet"),
    ("kept", "anthropic-sonnet"), ("kept", "anthropic-sonnet"),
    ("moved-up", "anthropic-opus"),      # the hard turn needs the top tier
    ("moved-down", "anthropic-sonnet"),  # Sonnet's cache is still warm: moving back pays
    ("failed-over", "bedrock-sonnet"),   # the Anthropic API is down
    ("kept", "bedrock-sonnet"), ("kept", "bedrock-sonnet"), ("kept", "bedrock-sonnet"),
]
TIER_OF = {"haiku": "small", "sonnet": "medium", "opus": "large"}


@pytest.fixture(scope="module")
def runs(fake):
    async def all_modes():
        return {mode: await replay(fake, mode) for mode in ("per-turn", "top", "affinity")}

    results = asyncio.run(all_modes())
    return results


@pytest.fixture(scope="module")
def fake():
    with FakeProvider() as provider:
        yield provider


def test_each_affinity_decision(runs):
    main = [(c.affinity, c.deployment) for c in runs["affinity"] if c.kind == "main"]
    assert main == EXPECTED
    background = [c for c in runs["affinity"] if c.kind == "background"]
    assert [(c.affinity, c.tier) for c in background] == [("new", "small")] * 3


def test_the_cost_is_what_the_provider_reported_at_cache_prices(fake):
    """The gateway's x-tianji-cost-usd sum equals the fake's own usage priced by hand:
    input, output, cache reads at 0.1x and cache writes at 1.25x the input price."""
    calls = asyncio.run(replay(fake, "affinity"))
    by_hand = 0.0
    for dep_id in {c.deployment for c in calls}:
        price_in, price_out = PRICES[TIER_OF[dep_id.split("-")[1]]]
        for recorded in fake.calls(dep_id):
            if recorded.status != 200:
                continue
            tokens = Tokens.of(recorded.usage)
            by_hand += (tokens.input * price_in + tokens.output * price_out
                        + tokens.cache_read * 0.1 * price_in
                        + tokens.cache_write * 1.25 * price_in) / 1e6
    assert total(calls) == pytest.approx(by_hand, rel=1e-6)
    sonnet = [Tokens.of(r.usage) for r in fake.calls("anthropic-sonnet") if r.usage]
    assert sum(t.cache_read for t in sonnet) > 10 * sum(t.cache_write for t in sonnet[1:])


def test_affinity_costs_less_than_routing_each_turn_and_than_the_top_tier(runs):
    totals = {mode: total(calls) for mode, calls in runs.items()}
    assert totals["affinity"] < totals["per-turn"] < totals["top"], totals


def test_a_generated_session_costs_less_with_affinity_too(fake):
    """The session the documented recipe draws from seed 1 (not written by hand): affinity
    still costs less than per-turn routing and than the top tier."""
    session = generated(1)

    async def all_modes():
        return {mode: total(await replay(fake, mode, session))
                for mode in ("per-turn", "top", "affinity")}

    totals = asyncio.run(all_modes())
    assert totals["affinity"] < totals["per-turn"] < totals["top"], totals
