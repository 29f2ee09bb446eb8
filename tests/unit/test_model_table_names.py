"""The names router/costs.py looks a deployment's model up under in litellm's table: the ones
litellm 1.106.2's `get_model_info` tries, so that a model id litellm prices and describes
(Bedrock's `invoke/` and `converse/` routes, cross-region inference profiles, an AWS region
path, Vertex AI's `@version` ids) gets the same price, window and capabilities in Tianji.
Small tables pin each rule; the bundled table is checked against litellm itself."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from router.config import parse_config
from router.costs import litellm_table, lookup, model_info

HAIKU = {"input_cost_per_token": 1e-06, "output_cost_per_token": 5e-06,
         "max_input_tokens": 200_000, "supports_function_calling": True,
         "supports_vision": True, "litellm_provider": "bedrock"}
REGIONAL = {**HAIKU, "input_cost_per_token": 1.1e-06, "output_cost_per_token": 5.5e-06}
SONNET = {**HAIKU, "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05}
GEO = ("us", "eu", "apac", "global", "jp", "au", "us-gov")


def deployment(model: str) -> Any:
    raw = {"tiers": [{"name": "small", "deployments": [{"model": model, "api_key": "k"}]}]}
    return parse_config(raw, env={}).tiers[0].deployments[0]


@pytest.mark.parametrize("route", ["invoke/", "converse/", "nova/", "chat_completions/", ""])
def test_a_bedrock_route_prefix_is_read_past(route):
    table = {"us.anthropic.claude-haiku-4-5-v1:0": REGIONAL}
    assert lookup(f"bedrock/{route}us.anthropic.claude-haiku-4-5-v1:0", table) is REGIONAL


@pytest.mark.parametrize("geo", GEO)
def test_a_cross_region_profile_behind_a_route_falls_back_to_the_base_model(geo):
    table = {"anthropic.claude-haiku-4-5-v1:0": HAIKU}
    for route in ("invoke/", "converse/", ""):
        model = f"bedrock/{route}{geo}.anthropic.claude-haiku-4-5-v1:0"
        assert lookup(model, table) is HAIKU, model


def test_the_profiles_own_price_wins_over_the_base_models():
    table = {"us.anthropic.claude-haiku-4-5-v1:0": REGIONAL,
             "anthropic.claude-haiku-4-5-v1:0": HAIKU}
    assert lookup("bedrock/invoke/us.anthropic.claude-haiku-4-5-v1:0", table) is REGIONAL


def test_an_entry_under_the_route_prefix_itself_wins():
    table = {"bedrock/invoke/anthropic.claude-3-5-sonnet-v1:0": SONNET,
             "anthropic.claude-3-5-sonnet-v1:0": HAIKU}
    assert lookup("bedrock/invoke/anthropic.claude-3-5-sonnet-v1:0", table) is SONNET


@pytest.mark.parametrize("model", [
    "bedrock/us-east-1/anthropic.claude-haiku-4-5-v1:0",
    "bedrock/invoke/eu-west-3/anthropic.claude-haiku-4-5-v1:0",
    "bedrock/anthropic.claude-haiku-4-5-v1:0:51k",
    "bedrock/anthropic.claude-haiku-4-5-v1:0[1m]",
    "bedrock/arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
    "us.anthropic.claude-haiku-4-5-v1:0",
])
def test_a_region_path_a_throughput_suffix_and_an_arn_are_read_past(model):
    assert lookup(model, {"anthropic.claude-haiku-4-5-v1:0": HAIKU}) is HAIKU


def test_vertex_at_version_ids_are_read_as_listed_and_a_numbered_version_falls_back():
    claude = {**SONNET, "litellm_provider": "vertex_ai-anthropic_models"}
    gemini = {**SONNET, "litellm_provider": "vertex_ai-language-models"}
    table = {"vertex_ai/claude-haiku-4-5@20251001": claude, "vertex_ai/gemini-2.0-flash": gemini}
    assert lookup("vertex_ai/claude-haiku-4-5@20251001", table) is claude
    assert lookup("vertex_ai/gemini-2.0-flash-001", table) is gemini
    assert lookup("vertex_ai/claude-haiku-4-5@20990101", table) == {}


def test_names_match_case_insensitively():
    table = {"us.anthropic.claude-haiku-4-5-v1:0": REGIONAL}
    assert lookup("bedrock/invoke/US.Anthropic.Claude-Haiku-4-5-v1:0", table) is REGIONAL


def test_a_derived_name_listing_another_providers_model_is_not_taken():
    anthropic = {**HAIKU, "litellm_provider": "anthropic"}
    assert lookup("groq/claude-haiku-4-5", {"claude-haiku-4-5": anthropic}) == {}
    assert lookup("anthropic/claude-haiku-4-5", {"claude-haiku-4-5": anthropic}) is anthropic


def test_an_unknown_id_behind_a_route_is_assumed_text_only_and_unpriced():
    info = model_info(deployment("bedrock/invoke/us.acme.in-house-v1:0"),
                      {"anthropic.claude-haiku-4-5-v1:0": HAIKU})
    assert not info.priced and info.assumed_text_only and info.supports == frozenset()


@pytest.mark.parametrize(("model", "input_per_m", "output_per_m"), [
    ("bedrock/invoke/us.anthropic.claude-haiku-4-5-20251001-v1:0", 1.1, 5.5),
    ("bedrock/converse/us.anthropic.claude-haiku-4-5-20251001-v1:0", 1.1, 5.5),
    ("bedrock/converse/anthropic.claude-3-5-sonnet-20240620-v1:0", 3.0, 15.0),
    ("bedrock/invoke/apac.anthropic.claude-3-5-sonnet-20240620-v1:0", 3.0, 15.0),
    ("bedrock/global.anthropic.claude-haiku-4-5-20251001-v1:0", 1.0, 5.0),
    ("bedrock/us-east-1/anthropic.claude-3-5-sonnet-20240620-v1:0", 3.0, 15.0),
    ("vertex_ai/claude-haiku-4-5@20251001", 1.0, 5.0),
])
def test_the_bundled_table_prices_and_describes_route_prefixed_claude_ids(
        model, input_per_m, output_per_m):
    info = model_info(deployment(model))
    assert info.cost(1_000_000, 0) == pytest.approx(input_per_m)
    assert info.cost(0, 1_000_000) == pytest.approx(output_per_m)
    assert info.max_context == 200_000
    assert {"tools", "vision", "json"} <= info.supports and not info.assumed_text_only


FIELDS = ("input_cost_per_token", "output_cost_per_token", "max_input_tokens", "max_tokens",
          "supports_function_calling", "supports_vision", "supports_response_schema")


def _ids(table: Mapping[str, Mapping[str, Any]]) -> Iterator[str]:
    """Every chat model's key, with its provider prefix; each Bedrock model behind each route,
    cross-region prefix and a region path."""
    for key, entry in table.items():
        provider = entry.get("litellm_provider")
        if not isinstance(provider, str) or entry.get("mode", "chat") != "chat":
            continue
        yield key
        if provider.startswith("bedrock"):
            base = key.removeprefix("bedrock/")
            yield f"bedrock/us-east-1/{base}"
            for route in ("", "invoke/", "converse/"):
                yield f"bedrock/{route}{base}"
                if base.split(".", 1)[0] not in GEO:
                    yield from (f"bedrock/{route}{geo}.{base}" for geo in GEO[:4])
        elif provider.startswith("vertex_ai"):
            yield "vertex_ai/" + key.removeprefix("vertex_ai/")
        elif not key.startswith(f"{provider}/"):
            yield f"{provider}/{key}"


def test_every_id_litellm_prices_resolves_to_the_same_entry_in_tianji():
    assert os.environ.get("LITELLM_LOCAL_MODEL_COST_MAP") == "True"
    import litellm

    mismatched, missing, checked = [], [], 0
    for model in sorted(set(_ids(litellm_table()))):
        try:
            key = litellm.get_model_info(model)["key"]
        except Exception:  # litellm raises for an id it cannot map
            continue
        theirs = litellm.model_cost.get(key)
        if theirs is None:  # described by a rule, not priced by the table
            continue
        checked += 1
        ours = lookup(model)
        if not ours:
            missing.append(model)
        elif any(ours.get(f) != theirs.get(f) for f in FIELDS):
            mismatched.append(model)
    assert checked > 5_000
    assert missing == [] and mismatched == []
