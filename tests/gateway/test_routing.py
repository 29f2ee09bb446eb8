"""Routing as a client sees it: tiers, pins, floors/ceilings, constraints, headers, pass-through."""

from __future__ import annotations

import json

import openai
import pytest

from router.classify import load_classifier
from tests.conftest import deployment, make_config, run_gateway

HEADERS = ("x-tianji-tier", "x-tianji-model", "x-tianji-provider", "x-tianji-difficulty",
           "x-tianji-attempts", "x-tianji-cost-usd")


@pytest.fixture
def three_tiers(fake):
    return make_config([[deployment(fake, "s1"), deployment(fake, "s2", "anthropic")],
                        [deployment(fake, "m1")],
                        [deployment(fake, "l1", "anthropic")]])


def ask(gw, content: str, **kwargs):
    raw = gw.client.chat.completions.with_raw_response.create(
        model=kwargs.pop("model", "auto"), messages=[{"role": "user", "content": content}], **kwargs
    )
    return raw.headers, raw.parse()


def test_easy_and_hard_prompts_land_in_different_tiers_with_the_default_classifier(fake):
    config = make_config([[deployment(fake, "s1")], [deployment(fake, "m1")],
                          [deployment(fake, "l1")]])
    classifier = load_classifier(config.classifier.kind)
    with run_gateway(config, classifier) as gw:
        easy, _ = ask(gw, "Translate 'good morning' into French.")
        hard, _ = ask(gw, (
            "Let n be a positive integer. Prove that the number of partitions of n into distinct "
            "parts equals the number of partitions of n into odd parts, then determine all n < 50 "
            "for which this number is prime, justifying each step rigorously."))
    assert float(easy["x-tianji-difficulty"]) < float(hard["x-tianji-difficulty"])
    assert easy["x-tianji-tier"] == "small"
    assert hard["x-tianji-tier"] in ("medium", "large")


def test_answer_carries_every_tianji_header(fake, three_tiers):
    with run_gateway(three_tiers) as gw:
        headers, completion = ask(gw, "[medium] hi")
    for name in HEADERS:
        assert name in headers, name
    assert headers["x-tianji-tier"] == "medium"
    assert headers["x-tianji-provider"] == "m1"
    assert headers["x-tianji-model"] == "openai/gpt-fake-m1"
    assert headers["x-tianji-attempts"] == "1"
    assert float(headers["x-tianji-cost-usd"]) > 0
    assert completion.choices[0].message.content == "Hello from m1! This is a fake answer."


def test_models_lists_auto_tiers_and_aliases(fake, three_tiers):
    with run_gateway(three_tiers) as gw:
        ids = [m.id for m in gw.client.models.list()]
    assert ids == ["auto", "small", "haiku", "medium", "sonnet", "large", "opus"]


@pytest.mark.parametrize("model, tier", [("haiku", "small"), ("medium", "medium"),
                                         ("opus", "large")])
def test_tier_name_or_alias_pins_the_tier(fake, three_tiers, model, tier):
    with run_gateway(three_tiers) as gw:
        headers, _ = ask(gw, "[hard] pinned anyway", model=model)
    assert headers["x-tianji-tier"] == tier


def test_unknown_model_is_404_naming_the_models_that_exist(fake, three_tiers):
    with run_gateway(three_tiers) as gw, pytest.raises(openai.NotFoundError) as info:
        ask(gw, "hi", model="gpt-4o")
    error = info.value.body
    assert error["code"] == "model_not_found"
    assert "auto, small, haiku, medium, sonnet, large, opus" in error["message"]
    assert fake.calls("s1") == []


def test_floor_and_ceiling_headers_bound_the_tier(fake, three_tiers):
    with run_gateway(three_tiers) as gw:
        floor, _ = ask(gw, "[easy] hi", extra_headers={"x-tianji-min-tier": "sonnet"})
        ceiling, _ = ask(gw, "[hard] hi", extra_headers={"x-tianji-max-tier": "small"})
        with pytest.raises(openai.BadRequestError) as info:
            ask(gw, "hi", extra_headers={"x-tianji-min-tier": "huge"})
    assert floor["x-tianji-tier"] == "medium"
    assert ceiling["x-tianji-tier"] == "small"
    assert "'huge' is not a tier" in info.value.body["message"]


def test_route_endpoint_explains_without_calling_a_provider(fake, three_tiers):
    with run_gateway(three_tiers) as gw:
        decision = gw.http.post("/v1/route", json={
            "model": "auto", "messages": [{"role": "user", "content": "[hard] why?"}]}).json()
    assert decision["tier"] == "large"
    assert decision["difficulty"] == 0.9
    assert [c["deployment"] for c in decision["candidates"]] == ["l1"]
    assert all(fake.calls(d) == [] for d in ("s1", "s2", "m1", "l1"))


def test_openai_parameters_reach_the_provider(fake, three_tiers):
    tools = [{"type": "function", "function": {
        "name": "lookup", "description": "look up", "parameters": {"type": "object"}}}]
    with run_gateway(three_tiers) as gw:
        ask(gw, "hi", temperature=0.3, top_p=0.9, max_tokens=77, stop=["END"], seed=7,
            tools=tools, tool_choice="auto", response_format={"type": "json_object"})
    body = fake.calls("s1")[0].body
    assert body["temperature"] == 0.3 and body["top_p"] == 0.9
    assert body["max_tokens"] == 77 and body["stop"] == ["END"]
    assert body["seed"] == 7 and body["response_format"] == {"type": "json_object"}
    assert body["tools"][0]["function"]["name"] == "lookup"
    assert body["messages"] == [{"role": "user", "content": "hi"}]


def test_tools_raise_the_tier_to_one_whose_deployments_support_them(fake):
    config = make_config([[deployment(fake, "s1", supports=["json"])],
                          [deployment(fake, "m1", supports=["tools", "json"])],
                          [deployment(fake, "l1")]])
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    with run_gateway(config) as gw:
        headers, _ = ask(gw, "[easy] call it", tools=tools)
        plain, _ = ask(gw, "[easy] no tools")
    assert headers["x-tianji-tier"] == "medium"
    assert plain["x-tianji-tier"] == "small"
    assert fake.calls("s1")[0].body.get("tools") is None


def test_context_window_raises_the_tier_and_never_picks_a_smaller_window(fake):
    config = make_config([[deployment(fake, "s1", max_context=1000)],
                          [deployment(fake, "m1", max_context=100_000)],
                          [deployment(fake, "l1", max_context=200_000)]])
    with run_gateway(config) as gw:
        fits, _ = ask(gw, "[easy] short")
        raised, _ = ask(gw, "[easy] " + "word " * 2000)
        big, _ = ask(gw, "[easy] short", max_tokens=150_000)
        with pytest.raises(openai.BadRequestError) as info:
            ask(gw, "[easy] short", max_tokens=1_000_000)
    assert fits["x-tianji-tier"] == "small"
    assert raised["x-tianji-tier"] == "medium"
    assert big["x-tianji-tier"] == "large"
    assert info.value.body["code"] == "context_length_exceeded"


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
@pytest.mark.parametrize("stream", [False, True])
def test_answers_are_openai_json_without_litellm_extras(fake, wire, stream):
    config = make_config([[deployment(fake, "p1", wire)]])
    body = {"model": "auto", "messages": [{"role": "user", "content": "hi"}], "stream": stream}
    with run_gateway(config) as gw:
        response = gw.http.post("/v1/chat/completions", json=body)
    assert response.status_code == 200
    assert "provider_specific_fields" not in response.text
    if stream:
        events = [json.loads(line[6:]) for line in response.text.splitlines()
                  if line.startswith("data: {")]
        text = "".join(c["delta"].get("content") or "" for e in events for c in e["choices"])
    else:
        text = response.json()["choices"][0]["message"]["content"]
    assert text == "Hello from p1! This is a fake answer."
