"""What the policy tells a client and an operator: the reason, the errors a request gets
(code, param, message), the confidence rule, the size estimate and `/v1/route`'s account."""

from __future__ import annotations

import pytest

from router.classify.base import Assessment
from router.config import parse_config
from router.costs import build_catalog
from router.policy import (
    CHARS_PER_TOKEN,
    MIN_CHEAP_CONFIDENCE,
    TOKENS_PER_IMAGE,
    TOKENS_PER_MESSAGE,
    PolicyError,
    Route,
    decide,
    needs_of,
)

HELLO = {"messages": [{"role": "user", "content": "hello"}]}


def three_tiers(small_key: str = "k", medium_key: str = "k", large_window: int = 200_000,
                escalate: bool = True):
    return parse_config({
        "resilience": {"escalate": escalate},
        "tiers": [
            {"name": "small", "aliases": ["haiku"], "max_difficulty": 0.3, "deployments": [
                {"name": "s", "model": "openai/m-small", "api_key": small_key,
                 "max_context": 8000, "supports": []}]},
            {"name": "medium", "aliases": ["sonnet"], "max_difficulty": 0.7, "deployments": [
                {"name": "m", "model": "openai/m-medium", "api_key": medium_key,
                 "max_context": 32000, "supports": ["tools"]}]},
            {"name": "large", "deployments": [
                {"name": "l", "model": "openai/m-large", "api_key": "k",
                 "max_context": large_window, "supports": ["tools", "vision", "json"]}]},
        ],
    }, env={})


def route(cfg, body=None, difficulty=0.1, confidence=1.0, **bounds):
    assessment = Assessment(difficulty, "chat", {"words": 1.0}, "general", confidence)
    return decide(cfg, build_catalog(cfg), needs_of(body or HELLO), assessment, Route(**bounds))


def test_a_tier_header_that_names_no_tier_is_refused_with_the_tiers_offered():
    with pytest.raises(PolicyError) as info:
        route(three_tiers(), min_tier="tiny")
    assert info.value.code == "invalid_tier"
    assert info.value.param is None
    assert str(info.value) == (
        "x-tianji-min-tier 'tiny' is not a tier; tiers are: small, haiku, medium, sonnet, large")
    with pytest.raises(PolicyError, match="^x-tianji-max-tier 'huge' is not a tier") as info:
        route(three_tiers(), max_tier="huge")
    assert info.value.code == "invalid_tier"
    with pytest.raises(PolicyError, match="^model 'gpt-9' is not a tier") as info:
        route(three_tiers(), model="gpt-9")
    assert info.value.code == "invalid_tier"


def test_a_floor_above_the_ceiling_is_refused():
    with pytest.raises(PolicyError) as info:
        route(three_tiers(), min_tier="large", max_tier="haiku")
    assert info.value.code == "invalid_tier"
    assert str(info.value) == "x-tianji-min-tier 'large' is above x-tianji-max-tier 'haiku'"
    assert route(three_tiers(), min_tier="medium", max_tier="sonnet").tier == "medium"


def test_aliases_bound_the_choice_like_tier_names():
    assert route(three_tiers(), difficulty=0.9, max_tier="haiku").tier == "small"
    assert route(three_tiers(), difficulty=0.0, min_tier="sonnet").tier == "medium"


def test_the_reason_says_how_the_tier_was_chosen():
    plain = route(three_tiers(), difficulty=0.1)
    assert plain.reason == "difficulty 0.100 (chat, general) -> small"
    bounded = route(three_tiers(), difficulty=0.9, max_tier="medium")
    assert bounded.reason == (
        "difficulty 0.900 (chat, general) -> large, bounded to medium by min/max tier")
    assert route(three_tiers(), model="sonnet").reason == "pinned to medium by model 'sonnet'"
    tools = {**HELLO, "tools": [{"type": "function", "function": {"name": "f"}}]}
    raised = route(three_tiers(), tools)
    assert raised.tier == "medium"
    assert raised.reason == (
        "difficulty 0.100 (chat, general) -> small; raised to medium (lower tiers: "
        "does not support tools)")


def test_an_unsure_easy_request_goes_one_tier_up():
    unsure = route(three_tiers(), difficulty=0.1, confidence=0.49)
    assert unsure.tier == "medium"
    assert unsure.reason == (
        "difficulty 0.100 (chat, general) -> small, raised to medium: confidence 0.49 < "
        f"{MIN_CHEAP_CONFIDENCE} that it is easy")
    assert route(three_tiers(), difficulty=0.1, confidence=MIN_CHEAP_CONFIDENCE).tier == "small"
    # Only the cheapest tier asks for confidence; a single tier has nowhere to go.
    assert route(three_tiers(), difficulty=0.5, confidence=0.1).tier == "medium"
    one = parse_config({"tiers": [{"name": "only", "deployments": [
        {"model": "openai/m", "api_key": "k"}]}]}, env={})
    assert route(one, difficulty=0.1, confidence=0.1).tier == "only"
    # A ceiling still holds an unsure request down.
    assert route(three_tiers(), difficulty=0.1, confidence=0.1, max_tier="small").tier == "small"


def test_unsupported_capabilities_are_a_400_naming_no_parameter():
    cfg = three_tiers()
    image = {"messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AA"}}]}]}
    with pytest.raises(PolicyError) as info:
        route(cfg, image, max_tier="medium")
    assert info.value.code == "unsupported_capability"
    assert info.value.param is None
    assert str(info.value) == (
        "no deployment up to tier 'medium' can take this request: "
        "s: does not support vision; m: does not support vision")


def test_a_prompt_no_window_holds_is_context_length_exceeded_on_messages():
    with pytest.raises(PolicyError) as info:
        route(three_tiers(large_window=9000), {**HELLO, "max_tokens": 50_000})
    assert (info.value.code, info.value.param) == ("context_length_exceeded", "messages")
    assert str(info.value).endswith(
        "; l: context window 9000 < 50005 tokens (prompt ~5 + max output 50000)")


def test_a_request_that_exactly_fills_the_window_fits():
    prompt = needs_of(HELLO).prompt_tokens
    assert route(three_tiers(), {**HELLO, "max_tokens": 8000 - prompt}).tier == "small"
    assert route(three_tiers(), {**HELLO, "max_tokens": 8001 - prompt}).tier == "medium"


def test_missing_credentials_leave_no_candidate_without_a_policy_error():
    cfg = parse_config({"tiers": [
        {"name": "small", "max_difficulty": 0.5, "deployments": [
            {"name": "a", "model": "openai/m", "api_key": "${NO_A}"}]},
        {"name": "large", "deployments": [
            {"name": "b", "model": "anthropic/claude-x", "api_key": "${NO_B}"},
            {"name": "c", "model": "openai/m2", "api_key": "${NO_A}"}]},
    ]}, env={})
    decision = route(cfg)
    assert decision.candidates == ()
    assert decision.tier == "small"
    assert decision.missing_env == ("NO_A", "NO_B")
    # With other deployments to try, the missing variable is still named.
    partial = route(three_tiers(small_key="${NO_S}"))
    assert [c.deployment.name for c in partial.candidates] == ["m", "l"]
    assert partial.reason == (
        "difficulty 0.100 (chat, general) -> small; raised to medium (lower tiers: "
        "missing credentials)")
    assert partial.missing_env == ("NO_S",)


def test_the_route_account_names_tier_candidates_and_exclusions():
    decision = route(three_tiers(medium_key="${NO_M}"), difficulty=0.2)
    assert decision.explain() == {
        "tier": "small", "difficulty": 0.2, "task": "chat", "domain": "general",
        "confidence": 1.0, "reason": "difficulty 0.200 (chat, general) -> small",
        "signals": {"words": 1.0},
        "candidates": [{"tier": "small", "deployment": "s", "model": "openai/m-small"},
                       {"tier": "large", "deployment": "l", "model": "openai/m-large"}],
        "excluded": {"m": "missing credentials: NO_M"},
    }
    assert [c.window for c in decision.candidates] == [8000, 200_000]


def test_the_size_estimate_counts_text_messages_images_and_output():
    text = "x" * 400
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,A"}}
    body = {"messages": [{"role": "system", "content": text},
                         {"role": "user", "content": [{"type": "text", "text": text}, image]}],
            "max_tokens": 50}
    needs = needs_of(body)
    assert needs.prompt_tokens == int(800 / CHARS_PER_TOKEN) + 2 * TOKENS_PER_MESSAGE + (
        TOKENS_PER_IMAGE)
    assert needs.output_tokens == 50
    assert needs.total_tokens == needs.prompt_tokens + 50
    assert needs_of({**body, "max_completion_tokens": 70}).output_tokens == 70
    assert needs_of(HELLO).output_tokens == 0


@pytest.mark.parametrize("extra, capabilities", [
    ({"functions": [{"name": "f"}]}, {"tools"}),
    ({"tools": []}, set()),
    ({"response_format": {"type": "json_object"}}, {"json"}),
    ({"response_format": {"type": "json_schema", "json_schema": {"name": "x"}}}, {"json"}),
    ({"response_format": {"type": "text"}}, set()),
    ({"response_format": "json_object"}, set()),
])
def test_the_capabilities_a_request_needs(extra, capabilities):
    assert needs_of({**HELLO, **extra}).capabilities == capabilities


def test_a_last_tier_with_a_threshold_still_takes_the_hardest_requests():
    cfg = parse_config({"tiers": [
        {"name": "small", "max_difficulty": 0.3, "deployments": [
            {"model": "openai/m-small", "api_key": "k"}]},
        {"name": "medium", "max_difficulty": 0.6, "deployments": [
            {"model": "openai/m-medium", "api_key": "k"}]},
        {"name": "large", "max_difficulty": 0.9, "deployments": [
            {"model": "openai/m-large", "api_key": "k"}]}]}, env={})
    assert route(cfg, difficulty=0.95).tier == "large"


def test_with_two_tiers_an_unsure_easy_request_takes_the_second():
    cfg = parse_config({"tiers": [
        {"name": "small", "max_difficulty": 0.3, "deployments": [
            {"model": "openai/m-small", "api_key": "k"}]},
        {"name": "large", "deployments": [{"model": "openai/m-large", "api_key": "k"}]}]}, env={})
    assert route(cfg, difficulty=0.1, confidence=0.2).tier == "large"


def test_every_reason_a_deployment_is_left_out_is_listed():
    cfg = parse_config({"tiers": [
        {"name": "small", "max_difficulty": 0.3, "deployments": [
            {"name": "s", "model": "openai/m-small", "api_key": "${NO_KEY}",
             "api_base": "${NO_BASE}", "supports": ["tools", "vision"]},
            {"name": "t", "model": "openai/m-tiny", "api_key": "k", "supports": []}]},
        {"name": "medium", "max_difficulty": 0.6, "deployments": [
            {"name": "m", "model": "openai/m-medium", "api_key": "k", "max_context": 100,
             "supports": ["tools", "vision"]}]},
        {"name": "large", "deployments": [
            {"name": "l", "model": "openai/m-large", "api_key": "k",
             "supports": ["tools", "vision"]}]}]}, env={})
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AA"}}
    body = {"messages": [{"role": "user", "content": [image]}],
            "tools": [{"type": "function", "function": {"name": "f"}}]}
    decision = route(cfg, body)
    assert decision.excluded["s"] == "missing credentials: NO_BASE, NO_KEY"
    assert decision.excluded["t"] == "does not support tools, vision"
    assert decision.excluded["m"].startswith("context window 100 < 1604 tokens")
    # Missing credentials are not a reason the request could not fit.
    assert decision.reason.endswith(
        "; raised to large (lower tiers: context window 100; does not support tools, vision)")


def test_missing_credentials_somewhere_turn_a_misfit_into_no_candidates_not_a_400():
    cfg = parse_config({"tiers": [
        {"name": "small", "max_difficulty": 0.3, "deployments": [
            {"name": "s", "model": "openai/m-small", "api_key": "${NO_KEY}",
             "supports": ["tools"]}]},
        {"name": "large", "deployments": [
            {"name": "l", "model": "openai/m-large", "api_key": "k", "supports": []}]}]}, env={})
    tools = {**HELLO, "tools": [{"type": "function", "function": {"name": "f"}}]}
    decision = route(cfg, tools)
    assert decision.candidates == ()
    assert decision.missing_env == ("NO_KEY",)
    assert decision.excluded == {"s": "missing credentials: NO_KEY",
                                 "l": "does not support tools"}
