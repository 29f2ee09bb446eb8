"""What a deployment costs, how much it can read and what it supports (router/costs.py).

The config's `price`, `max_context` and `supports` win; otherwise litellm's model table is
read, under the model's own name, its name without the provider prefix, or (for Bedrock
cross-region inference profiles such as `us.anthropic...`) without the region prefix (every
name litellm tries: tests/unit/test_model_table_names.py). These
figures drive the x-tianji-cost-usd header, the savings metric and the tier constraints.
"""

from __future__ import annotations

import pytest

from router.config import parse_config
from router.costs import Savings, build_catalog, litellm_table, model_info, reference_deployment

HAIKU = {"input_cost_per_token": 1e-06, "output_cost_per_token": 5e-06,
         "max_input_tokens": 200_000, "max_tokens": 64_000, "supports_function_calling": True,
         "supports_vision": True}


def deployment(**entry):
    raw = {"tiers": [{"name": "small", "deployments": [{"api_key": "k", **entry}]}]}
    return parse_config(raw, env={}).tiers[0].deployments[0]


def test_a_configured_price_per_million_tokens_gives_the_cost_of_a_call():
    info = model_info(deployment(model="openai/my-model", price={"input": 3.0, "output": 15.0}),
                      table={})
    assert info.priced
    assert info.cost(1_000_000, 0) == pytest.approx(3.0, rel=1e-12)
    assert info.cost(1_000, 2_000) == pytest.approx(0.003 + 0.03, rel=1e-12)


def test_the_configured_price_wins_over_litellms():
    priced = deployment(model="anthropic/claude-haiku-4-5", price={"input": 2, "output": 4})
    info = model_info(priced, table={"claude-haiku-4-5": HAIKU})
    assert info.cost(1_000_000, 1_000_000) == pytest.approx(6.0, rel=1e-12)


@pytest.mark.parametrize(
    ("model", "key"),
    [("claude-haiku-4-5", "claude-haiku-4-5"),
     ("anthropic/claude-haiku-4-5", "claude-haiku-4-5"),
     ("openrouter/anthropic/claude-haiku-4-5", "anthropic/claude-haiku-4-5"),
     ("bedrock/us.anthropic.claude-haiku-4-5-v1:0", "anthropic.claude-haiku-4-5-v1:0"),
     ("bedrock/eu.anthropic.claude-haiku-4-5-v1:0", "anthropic.claude-haiku-4-5-v1:0"),
     ("bedrock/apac.anthropic.claude-haiku-4-5-v1:0", "anthropic.claude-haiku-4-5-v1:0"),
     ("bedrock/global.anthropic.claude-haiku-4-5-v1:0", "anthropic.claude-haiku-4-5-v1:0")],
)
def test_without_a_price_litellms_table_is_read_under_the_names_it_uses(model, key):
    info = model_info(deployment(model=model), table={key: HAIKU})
    assert info.cost(1_000_000, 1_000_000) == pytest.approx(6.0)
    assert info.max_context == 200_000
    assert info.supports == {"tools", "vision", "json"}


def test_the_most_specific_name_wins():
    regional = {**HAIKU, "input_cost_per_token": 1.1e-06}
    table = {"us.anthropic.claude-haiku-4-5-v1:0": regional,
             "anthropic.claude-haiku-4-5-v1:0": HAIKU}
    info = model_info(deployment(model="bedrock/us.anthropic.claude-haiku-4-5-v1:0"), table)
    assert info.cost(1_000_000, 0) == pytest.approx(1.1)


def test_litellms_bundled_table_is_read_by_default():
    info = model_info(deployment(model="anthropic/claude-haiku-4-5"))
    assert info.priced and info.cost(1_000_000, 0) > 0
    assert "sample_spec" not in litellm_table()


def test_an_unknown_model_without_a_price_costs_nothing_and_is_assumed_text_only():
    info = model_info(deployment(model="openai/in-house-model"), table={})
    assert not info.priced
    assert info.cost(1_000, 1_000) == 0.0
    assert info.max_context is None
    assert info.supports == frozenset() and info.assumed_text_only


def test_supports_in_the_config_says_what_an_unknown_model_takes():
    info = model_info(deployment(model="openai/in-house-model", supports=["tools"]), table={})
    assert info.supports == {"tools"} and not info.assumed_text_only


def test_a_price_with_only_one_side_known_is_not_a_price():
    table = {"half": {"input_cost_per_token": 1e-6}}
    info = model_info(deployment(model="openai/half"), table)
    assert not info.priced and info.cost(10, 10) == 0.0


def test_the_context_window_comes_from_the_config_then_input_tokens_then_max_tokens():
    table = {"a": {"max_input_tokens": 100_000, "max_tokens": 4_096}, "b": {"max_tokens": 8_192}}
    assert model_info(deployment(model="openai/a", max_context=32_000), table).max_context == 32_000
    assert model_info(deployment(model="openai/a"), table).max_context == 100_000
    assert model_info(deployment(model="openai/b"), table).max_context == 8_192


@pytest.mark.parametrize(
    ("entry", "supports"),
    [({"supports_function_calling": True}, {"tools", "json"}),
     ({"supports_vision": True}, {"vision"}),
     ({"supports_response_schema": True}, {"json"}),
     ({"max_tokens": 4_096}, set())],
)
def test_capabilities_come_from_litellms_table_and_tools_imply_json_mode(entry, supports):
    assert model_info(deployment(model="openai/m"), table={"m": entry}).supports == supports


def test_configured_capabilities_win_over_the_table():
    info = model_info(deployment(model="openai/m", supports=["vision"]),
                      table={"m": {"supports_function_calling": True}})
    assert info.supports == {"vision"}


def test_savings_are_measured_against_the_top_tiers_first_deployment():
    def dep(name: str, model: str, price: float) -> dict:
        return {"name": name, "model": model, "api_key": "k",
                "price": {"input": price, "output": price}}

    raw = {"tiers": [
        {"name": "small", "max_difficulty": 0.5, "deployments": [dep("cheap", "openai/a", 1)]},
        {"name": "large", "deployments": [dep("top", "openai/b", 9), dep("top-2", "openai/c", 5)]},
    ]}
    config = parse_config(raw, env={})
    assert reference_deployment(config) == "top"
    catalog = build_catalog(config)
    assert set(catalog) == {"cheap", "top", "top-2"}
    call = Savings(catalog["cheap"].cost(1_000_000, 0), catalog["top"].cost(1_000_000, 0))
    assert call.saved_usd == pytest.approx(8.0)
