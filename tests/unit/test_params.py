"""What each deployment honours (router/params.py), against litellm 1.106.2's own mapping,
row by row of the README's parameter table; tests/gateway/test_parameters_clouds.py checks
the same rows over HTTP (Bedrock Converse and InvokeModel, Vertex AI's Claude and Gemini)."""

from __future__ import annotations

import hashlib

import pytest

from router.config import parse_config
from router.params import for_provider, honoured, required

BEDROCK = "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0"  # Converse (litellm's default)
BEDROCK_INVOKE = "bedrock/invoke/anthropic.claude-3-5-sonnet-20240620-v1:0"
VERTEX = "vertex_ai/claude-sonnet-4-5@20250929"
ANTHROPIC = "anthropic/claude-sonnet-4-5"


def dep(model: str):
    raw = {"tiers": [{"name": "t", "deployments": [{"model": model, "api_key": "k"}]}]}
    return parse_config(raw, env={}).tiers[0].deployments[0]


# Translated by litellm on every Claude wire.
COMMON = ("temperature", "top_p", "max_tokens", "max_completion_tokens", "stop", "tools",
          "tool_choice", "parallel_tool_calls", "response_format")
# Never honoured by a Claude wire: such a request goes to the OpenAI wire.
NEVER = ("n", "seed", "presence_penalty", "frequency_penalty", "logit_bias", "logprobs",
         "top_logprobs", "functions", "function_call", "verbosity", "modalities", "audio",
         "prediction")


@pytest.mark.parametrize("model", [ANTHROPIC, BEDROCK, BEDROCK_INVOKE, VERTEX])
@pytest.mark.parametrize("param", COMMON)
def test_claude_wires_honour_the_mapped_parameters(model, param):
    assert param in honoured(dep(model))


@pytest.mark.parametrize(("model", "takes"), [
    (ANTHROPIC, True), (BEDROCK, True), (VERTEX, True),
    (BEDROCK_INVOKE, False), ("anthropic/claude-in-house", False)])
def test_reasoning_effort_only_where_litellm_knows_a_reasoning_model(model, takes):
    assert ("reasoning_effort" in honoured(dep(model))) is takes


@pytest.mark.parametrize("model", [ANTHROPIC, BEDROCK, BEDROCK_INVOKE, VERTEX])
@pytest.mark.parametrize("param", NEVER)
def test_claude_wires_do_not_honour_openai_only_parameters(model, param):
    assert param not in honoured(dep(model))


@pytest.mark.parametrize("model", [ANTHROPIC, BEDROCK_INVOKE, VERTEX, BEDROCK])
def test_every_claude_wire_takes_an_end_user_id(model):
    assert {"user", "safety_identifier"} <= honoured(dep(model))


@pytest.mark.parametrize(("model", "takes"), [(ANTHROPIC, True), (BEDROCK_INVOKE, True),
                                              (VERTEX, True), (BEDROCK, False)])
def test_web_search_where_litellm_maps_it(model, takes):
    # Bedrock's Converse API has no hosted web search in litellm's mapping.
    assert ("web_search_options" in honoured(dep(model))) is takes


@pytest.mark.parametrize(("user", "sent"), [
    ("user-42", "user-42"),
    ("ada@example.com", "ada@example.com"),
    ("ada<script>", "user-" + hashlib.sha256(b"ada<script>").hexdigest()[:32]),
])
def test_bedrock_converse_gets_the_user_as_request_metadata(user, sent):
    out = for_provider(dep(BEDROCK), {"messages": [], "user": user})
    assert out == {"messages": [], "requestMetadata": {"user_id": sent}}


def test_a_safety_identifier_is_the_user_where_only_user_exists():
    assert for_provider(dep(BEDROCK), {"messages": [], "safety_identifier": "s"}) == {
        "messages": [], "requestMetadata": {"user_id": "s"}}
    assert for_provider(dep(ANTHROPIC), {"messages": [], "safety_identifier": "s"}) == {
        "messages": [], "user": "s"}


@pytest.mark.parametrize("model", ["openai/gpt-4.1", "openai/in-house", "azure/gpt-4.1"])
def test_the_openai_wire_honours_every_accepted_parameter(model):
    assert set(NEVER) | set(COMMON) | {"user", "web_search_options"} <= honoured(dep(model))


def test_an_unmapped_parameter_goes_to_the_openai_wire_in_extra_body():
    out = for_provider(dep("openai/in-house"), {"messages": [], "user": "u", "seed": 1})
    assert out == {"messages": [], "seed": 1, "extra_body": {"user": "u"}}


@pytest.mark.parametrize(("body", "needed"), [
    ({"n": 1, "logprobs": False, "presence_penalty": 0, "logit_bias": {},
      "parallel_tool_calls": True, "modalities": ["text"], "service_tier": "auto",
      "response_format": {"type": "text"}, "store": False, "metadata": {"a": "b"},
      "prompt_cache_key": "k", "stream": True}, set()),
    ({"n": 2, "service_tier": "priority", "modalities": ["text", "audio"]},
     {"n", "service_tier: priority", "modalities"}),
    ({"thinking": {"type": "enabled"}, "temperature": 0.2}, {"temperature"}),
])
def test_default_values_and_tianjis_own_parameters_ask_nothing_of_a_deployment(body, needed):
    assert required(body) == needed


GEMINI = "vertex_ai/gemini-2.5-flash"


@pytest.mark.parametrize("model", [
    BEDROCK, ANTHROPIC,  # native structured output: JSON mode goes as litellm's JSON tool
    VERTEX, BEDROCK_INVOKE, "anthropic/claude-in-house", "openai/gpt-4.1", GEMINI])
def test_json_mode_is_response_format_wherever_that_is_honoured(model):
    assert required({"response_format": {"type": "json_object"}}) == {"response_format"}
    assert "response_format" in honoured(dep(model))


@pytest.mark.parametrize(("model", "tiers"), [
    (BEDROCK, {"flex", "priority"}), (GEMINI, {"flex", "priority"}), (VERTEX, set()),
    ("openai/gpt-4.1", {"flex", "scale", "priority"})])
def test_the_service_tiers_each_wire_takes(model, tiers):
    assert {k.split(": ")[1] for k in honoured(dep(model)) if k.startswith("service_tier:")} == (
        tiers)


@pytest.mark.parametrize("model", [GEMINI, BEDROCK, VERTEX])
def test_what_litellm_lists_but_does_not_carry_is_not_honoured(model):
    assert not {"functions", "function_call"} & honoured(dep(model))
    assert ("parallel_tool_calls" in honoured(dep(model))) is (model != GEMINI)


@pytest.mark.parametrize("model", [GEMINI, BEDROCK, ANTHROPIC])
@pytest.mark.parametrize("tier", ["auto", "default"])
def test_standard_processing_is_not_sent_off_the_openai_wire(model, tier):
    assert for_provider(dep(model), {"messages": [], "service_tier": tier}) == {"messages": []}
