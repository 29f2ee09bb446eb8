"""Every Chat Completions parameter on every wire: passed as is, translated, or routed to a
deployment that honours it (a 400 naming it when none in reach does). One test per row of
the README's parameter table, with the official openai SDK against the fake provider; the
OpenAI wire both through the lean transport and through litellm.acompletion."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from tests.conftest import deployment, make_config, run_gateway

TOOLS = [{"type": "function", "function": {
    "name": "f", "description": "d", "parameters": {"type": "object", "properties": {}}}}]
FUNCTIONS = [{"name": "f", "parameters": {"type": "object", "properties": {}}}]
SCHEMA = {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]}
HI = [{"role": "user", "content": "hi"}]


def _gateway(stack: contextlib.ExitStack, deps: list[dict], lean: str) -> Any:
    old = os.environ.get("TIANJI_LEAN_TRANSPORT")
    os.environ["TIANJI_LEAN_TRANSPORT"] = lean  # read once, when the gateway starts
    try:
        return stack.enter_context(run_gateway(make_config([deps])))
    finally:
        if old is None:
            os.environ.pop("TIANJI_LEAN_TRANSPORT")
        else:
            os.environ["TIANJI_LEAN_TRANSPORT"] = old


@pytest.fixture(scope="module", params=["lean", "acompletion"])
def gateways(request: pytest.FixtureRequest, fake: Any) -> Iterator[dict[str, Any]]:
    """mixed: Claude first, then an OpenAI-wire deployment in the same tier; openai: only
    the OpenAI wire; claude: only Claude (nothing to route to)."""
    lean = "1" if request.param == "lean" else "0"
    made = {
        "mixed": [deployment(fake, "a", "anthropic"), deployment(fake, "o", "openai")],
        "openai": [deployment(fake, "oo", "openai")],
        "claude": [deployment(fake, "ca", "anthropic")],
        # A Claude model litellm knows as a reasoning model (its table: supports_reasoning).
        "reasoning": [deployment(fake, "ar", "anthropic", model="anthropic/claude-sonnet-4-5"),
                      deployment(fake, "ro", "openai")],
    }
    with contextlib.ExitStack() as stack:
        yield {name: _gateway(stack, deps, lean) for name, deps in made.items()}


def create(gw: Any, **params: Any) -> tuple[dict[str, str], Any]:
    raw = gw.client.chat.completions.with_raw_response.create(
        model="small", messages=params.pop("messages", HI), **params)
    return dict(raw.headers), raw.parse()


def sent(fake: Any, dep: str) -> dict[str, Any]:
    (call,) = fake.calls(dep)
    return call.body


# Rows translated (or handled) on the Anthropic wire: parameters, then a check of the
# Anthropic request body litellm sent.
TRANSLATED: list[tuple[str, dict[str, Any], Any]] = [
    ("temperature", {"temperature": 0.5}, lambda b: b["temperature"] == 0.5),
    ("top_p", {"top_p": 0.9}, lambda b: b["top_p"] == 0.9),
    ("max_tokens", {"max_tokens": 50}, lambda b: b["max_tokens"] == 50),
    ("max_completion_tokens", {"max_completion_tokens": 60}, lambda b: b["max_tokens"] == 60),
    ("stop", {"stop": ["END"]}, lambda b: b["stop_sequences"] == ["END"]),
    ("tools", {"tools": TOOLS}, lambda b: [t["name"] for t in b["tools"]] == ["f"]),
    ("tool_choice", {"tools": TOOLS, "tool_choice": {"type": "function",
                                                      "function": {"name": "f"}}},
     lambda b: b["tool_choice"] == {"type": "tool", "name": "f"}),
    ("parallel_tool_calls", {"tools": TOOLS, "parallel_tool_calls": False},
     lambda b: b["tool_choice"]["disable_parallel_tool_use"] is True),
    ("response_format-json_schema",
     {"response_format": {"type": "json_schema",
                          "json_schema": {"name": "thing", "schema": SCHEMA}}},
     lambda b: b["tools"][0]["input_schema"]["properties"] == SCHEMA["properties"]
     and b["tool_choice"] == {"type": "tool", "name": "json_tool_call"}),
    ("response_format-json_object", {"response_format": {"type": "json_object"}},
     lambda b: b["tools"] == [{"name": "json_tool_call", "input_schema": {"type": "object"}}]
     and b["tool_choice"] == {"type": "tool", "name": "json_tool_call"}),
    ("response_format-text", {"response_format": {"type": "text"}},
     lambda b: "tools" not in b),
    ("user", {"user": "user-42"}, lambda b: b["metadata"] == {"user_id": "user-42"}),
    ("user-email", {"user": "ada@example.com"},
     lambda b: b["metadata"]["user_id"].startswith("user-")
     and "ada" not in b["metadata"]["user_id"]),
    ("safety_identifier", {"safety_identifier": "sid-7"},
     lambda b: b["metadata"] == {"user_id": "sid-7"}),
    ("web_search_options", {"web_search_options": {}},
     lambda b: {"type": "web_search_20250305", "name": "web_search"} in b["tools"]),
    ("prompt_cache_key", {"prompt_cache_key": "conv-1"}, lambda b: "prompt_cache_key" not in b),
    ("store", {"store": False}, lambda b: "store" not in b),
    ("metadata", {"metadata": {"app": "x"}}, lambda b: "metadata" not in b),
    ("service_tier-auto", {"service_tier": "auto"}, lambda b: "service_tier" not in b),
    ("modalities-text", {"modalities": ["text"]}, lambda b: "modalities" not in b),
    ("n-1", {"n": 1}, lambda b: True),
]

# Rows the Anthropic wire cannot honour: the request goes to the OpenAI-wire deployment.
ROUTED: list[tuple[str, dict[str, Any]]] = [
    ("n", {"n": 2}),
    ("seed", {"seed": 7}),
    ("presence_penalty", {"presence_penalty": 0.5}),
    ("frequency_penalty", {"frequency_penalty": 0.5}),
    ("logit_bias", {"logit_bias": {"50256": -100}}),
    ("logprobs", {"logprobs": True}),
    ("top_logprobs", {"logprobs": True, "top_logprobs": 2}),
    ("functions", {"functions": FUNCTIONS}),
    ("function_call", {"functions": FUNCTIONS, "function_call": {"name": "f"}}),
    ("service_tier", {"service_tier": "flex"}),
    ("verbosity", {"verbosity": "low"}),
    ("modalities", {"modalities": ["text", "audio"], "audio": {"voice": "alloy",
                                                               "format": "wav"}}),
    ("audio", {"audio": {"voice": "alloy", "format": "wav"}}),
    ("prediction", {"prediction": {"type": "content", "content": "Hello"}}),
    ("reasoning_effort", {"reasoning_effort": "low"}),
]
NOT_SENT = ("store", "metadata")  # Tianji's own: never sent on any wire


@pytest.mark.parametrize(("params", "check"), [(p, c) for _, p, c in TRANSLATED],
                         ids=[row for row, _, _ in TRANSLATED])
def test_the_anthropic_wire_translates(fake, gateways, params, check):
    headers, _ = create(gateways["mixed"], **params)
    assert headers["x-tianji-provider"] == "a"
    assert check(sent(fake, "a"))


@pytest.mark.parametrize("params", [p for _, p in ROUTED], ids=[row for row, _ in ROUTED])
def test_a_parameter_claude_cannot_honour_goes_to_an_openai_wire_deployment(
        fake, gateways, params):
    headers, _ = create(gateways["mixed"], **params)
    assert headers["x-tianji-provider"] == "o"
    assert fake.calls("a") == []
    body = sent(fake, "o")
    assert all(body[k] == v for k, v in params.items())


@pytest.mark.parametrize("params", [p for _, p in ROUTED], ids=[row for row, _ in ROUTED])
def test_a_parameter_no_deployment_in_reach_honours_is_a_400_naming_it(
        fake, gateways, params):
    name = next(k for k in params if k not in ("logprobs", "functions") or len(params) == 1)
    with pytest.raises(openai.BadRequestError) as caught:
        create(gateways["claude"], **params)
    error = caught.value.body
    assert error["code"] == "unsupported_parameter"
    assert error["param"] in params
    assert f"'{name}'" in error["message"] and "ca: does not support parameter" in (
        error["message"])
    assert fake.calls("ca") == []


@pytest.mark.parametrize(("params"), [p for _, p, _ in TRANSLATED] + [p for _, p in ROUTED],
                         ids=[r for r, _, _ in TRANSLATED] + [r for r, _ in ROUTED])
def test_the_openai_wire_passes_each_parameter_as_sent(fake, gateways, params):
    headers, _ = create(gateways["openai"], **params)
    assert headers["x-tianji-provider"] == "oo"
    body = sent(fake, "oo")
    for key, value in params.items():
        if key in NOT_SENT:
            assert key not in body
        else:
            assert body[key] == value, key


def test_reasoning_effort_is_thinking_on_a_claude_reasoning_model(fake, gateways):
    headers, _ = create(gateways["reasoning"], reasoning_effort="low", max_tokens=4096)
    assert headers["x-tianji-provider"] == "ar"
    assert sent(fake, "ar")["thinking"]["type"] in ("enabled", "adaptive")


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_json_mode_on_claude_answers_a_json_object(fake, gateways, stream):
    gw = gateways["mixed"]
    if stream:
        chunks = list(gw.client.chat.completions.create(
            model="small", messages=HI, response_format={"type": "json_object"}, stream=True))
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    else:
        _, completion = create(gw, response_format={"type": "json_object"})
        text = completion.choices[0].message.content
    assert isinstance(json.loads(text), dict)
    assert fake.calls("a")[0].body["tool_choice"] == {"type": "tool", "name": "json_tool_call"}


@pytest.mark.parametrize("dep", ["mixed", "openai"])
def test_the_usage_chunk_has_no_choices_on_either_wire(fake, gateways, dep):
    chunks = list(gateways[dep].client.chat.completions.create(
        model="small", messages=HI, stream=True, stream_options={"include_usage": True}))
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 8
    assert chunks[-1].choices == []
    assert all(c.usage is None for c in chunks[:-1])


def test_store_true_is_a_400_naming_store(fake, gateways):
    with pytest.raises(openai.BadRequestError) as caught:
        create(gateways["openai"], store=True)
    assert caught.value.body["param"] == "store"
    assert caught.value.body["code"] == "unsupported_parameter"
    assert caught.value.body["message"] == (
        "Tianji stores no completions, so it cannot honour store: true; send store: false or "
        "leave it out.")
    assert fake.calls("oo") == []


def test_an_unknown_parameter_is_a_400_that_says_where_the_accepted_ones_are(fake, gateways):
    with pytest.raises(openai.BadRequestError) as caught:
        create(gateways["openai"], extra_body={"top_k": 5})
    assert caught.value.body["param"] == "top_k"
    assert caught.value.body["message"] == (
        "Unrecognized request argument supplied: top_k. Tianji accepts the Chat Completions "
        "parameters in its README's parameter table; provider arguments (upstream URLs, "
        "credentials, litellm options) are set in its config, not by clients.")


def test_route_explains_which_deployment_was_skipped_for_a_parameter(fake, gateways):
    decision = gateways["mixed"].http.post(
        "/v1/route", json={"model": "small", "messages": HI, "n": 2}).json()
    assert [c["deployment"] for c in decision["candidates"]] == ["o"]
    assert decision["excluded"] == {"a": "does not support parameter n"}
