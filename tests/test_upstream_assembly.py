"""The JSON answer the gateway builds from a provider's stream (router/upstream.py
`assemble_chat`: non-streamed requests are streamed from the provider), through the gateway
and the OpenAI SDK: the provider's own usage, answers that call a tool (with text or without),
tokens counted when a server sends no usage, an answer that is only a finish reason, which
requests are fetched as JSON instead, and no litellm-only fields. Each is a behaviour the
module's mutation run (docs/mutation.md) showed no test asserting."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest

from tests.conftest import (
    PROVIDER_KEY,
    Gateway,
    deployment,
    make_config,
    run_gateway,
    serving,
    sse_handler,
)

HI = [{"role": "user", "content": "hi"}]


@pytest.fixture(scope="module")
def both(fake) -> Iterator[Gateway]:
    config = make_config([[deployment(fake, "o"), deployment(fake, "a", "anthropic")]])
    with run_gateway(config) as gw:
        yield gw


def _tokens(wire: str, recorded: dict) -> tuple[int, int]:
    if wire == "openai":
        return recorded["prompt_tokens"], recorded["completion_tokens"]
    return recorded["input_tokens"], recorded["output_tokens"]


def _ask(gw, fake, wire: str, **params):
    if wire == "anthropic":  # the first deployment cooled down: the tier's second answers
        gw.health.record_failure("o", "test", cool_now=True)
    try:
        raw = gw.client.chat.completions.with_raw_response.create(
            model="small", messages=HI, **params)
    finally:
        gw.health.record_success("o")
    dep = "o" if wire == "openai" else "a"
    assert raw.headers["x-tianji-provider"] == dep
    (call,) = fake.calls(dep)
    assert call.stream  # streamed from the provider, answered as JSON
    return raw.parse(), call, raw.http_response.json()


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_a_json_answer_reports_the_providers_own_token_counts(fake, both, wire):
    answer, call, _ = _ask(both, fake, wire)
    assert answer.choices[0].message.content == f"Hello from {call.dep_id}! This is a fake answer."
    assert answer.choices[0].finish_reason == "stop"
    assert (answer.usage.prompt_tokens, answer.usage.completion_tokens) == _tokens(wire,
                                                                                  call.usage)


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_a_json_answer_that_only_calls_a_tool(fake, both, wire):
    tools = [{"type": "function", "function": {"name": "lookup", "parameters": {
        "type": "object", "properties": {}}}}]
    answer, call, body = _ask(both, fake, wire, tools=tools, tool_choice="required")
    (choice,) = answer.choices
    assert choice.finish_reason == "tool_calls"
    (tool_call,) = choice.message.tool_calls
    assert tool_call.function.name == "lookup" and json.loads(tool_call.function.arguments) == {}
    assert "content" not in body["choices"][0]["message"]  # as a JSON answer with no text
    assert (answer.usage.prompt_tokens, answer.usage.completion_tokens) == _tokens(wire,
                                                                                  call.usage)


def _chunk(delta: dict, finish: str | None) -> bytes:
    body = {"id": "chatcmpl-raw", "object": "chat.completion.chunk", "created": 1,
            "model": "gpt-4o", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return b"data: " + json.dumps(body).encode() + b"\n\n"


@pytest.fixture(scope="module")
def no_usage_server() -> Iterator[str]:
    """An OpenAI-compatible server that ignores `stream_options`: no usage in its stream."""

    def pieces(path: str) -> list[bytes]:
        if path.startswith("/cut-short/"):  # out of tokens before a word
            return [_chunk({}, "length")]
        if path.startswith("/text-and-tool/"):
            call = {"index": 0, "id": "call_1", "type": "function",
                    "function": {"name": "lookup", "arguments": "{}"}}
            return [_chunk({"role": "assistant", "content": "Let me look."}, None),
                    _chunk({"tool_calls": [call]}, None), _chunk({}, "tool_calls")]
        return [_chunk({"role": "assistant", "content": "Forty"}, None),
                _chunk({"content": "-two."}, "stop")]

    server = ThreadingHTTPServer(("127.0.0.1", 0), sse_handler(pieces))
    with serving(server):
        yield f"http://127.0.0.1:{server.server_address[1]}"


@pytest.mark.parametrize("lean", ["1", "0"], ids=["lean", "acompletion"])
def test_a_json_answer_from_a_server_without_usage_counts_prompt_and_answer(
    no_usage_server, monkeypatch, lean
):
    monkeypatch.setenv("TIANJI_LEAN_TRANSPORT", lean)
    long_prompt = [{"role": "user", "content": "What is six times seven? " * 20}]
    with run_gateway(make_config([[_raw(no_usage_server, "whole")]])) as gw:
        short = gw.client.chat.completions.create(model="small", messages=HI)
        long = gw.client.chat.completions.create(model="small", messages=long_prompt)
    assert short.choices[0].message.content == long.choices[0].message.content == "Forty-two."
    assert short.usage.completion_tokens == long.usage.completion_tokens > 0
    # gpt-4o's tokenizer on the prompt: 20 repeats of a 6-token phrase, plus the framing
    assert long.usage.prompt_tokens - short.usage.prompt_tokens >= 100
    assert short.usage.prompt_tokens > 0


def _raw(server: str, path: str) -> dict:
    return {"name": "raw", "model": "openai/gpt-4o", "api_base": f"{server}/{path}/v1",
            "api_key": PROVIDER_KEY, "price": {"input": 1.0, "output": 5.0}}


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_an_answer_that_is_only_a_finish_reason_is_the_providers_answer(
    fake, no_usage_server, stream
):
    """A provider out of tokens before its first word sends a finish reason and nothing
    else: that is its answer (finish_reason "length"), not a malformed one to fall over."""
    config = make_config([[_raw(no_usage_server, "cut-short"), deployment(fake, "next")]])
    with run_gateway(config) as gw:
        raw = gw.client.chat.completions.with_raw_response.create(
            model="small", messages=HI, max_tokens=1, stream=stream)
        assert raw.headers["x-tianji-provider"] == "raw"
        if stream:
            finishes = [c.choices[0].finish_reason for c in raw.parse() if c.choices]
            assert finishes[-1] == "length"
        else:
            (choice,) = raw.http_response.json()["choices"]
            assert choice["finish_reason"] == "length"
            assert "content" in choice["message"] and not choice["message"]["content"]
    assert fake.calls("next") == []


def test_a_json_answer_carries_the_providers_usage_object_as_sent(fake, both):
    """The usage of a JSON answer is the provider's, field for field, without nulls added."""
    _, call, body = _ask(both, fake, "openai")
    assert body["usage"] == call.usage


@pytest.mark.parametrize("params, streamed", [
    ({}, True), ({"n": 1, "logprobs": False}, True), ({"n": 2}, False),
    ({"logprobs": True}, False), ({"n": 2, "logprobs": True}, False),
], ids=["plain", "defaults", "n", "logprobs", "both"])
def test_only_answers_litellms_builder_rebuilds_whole_are_streamed_from_the_provider(
    fake, both, params, streamed
):
    """litellm's chunk builder keeps one choice and no log probabilities, so a request for
    several choices or for logprobs is fetched from the provider as JSON."""
    raw = both.client.chat.completions.with_raw_response.create(
        model="small", messages=HI, **params)
    assert raw.headers["x-tianji-provider"] == "o"
    (call,) = fake.calls("o")
    assert call.stream is streamed and call.body.get("stream", False) is streamed


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_a_json_answer_fetched_through_litellm_carries_none_of_litellms_own_fields(
    fake, monkeypatch, wire
):
    """litellm adds `provider_specific_fields` to the choice and message of a JSON answer;
    the client gets the provider's OpenAI-shaped answer without them."""
    monkeypatch.setenv("TIANJI_LEAN_TRANSPORT", "0")
    dep = deployment(fake, "x", wire)
    with run_gateway(make_config([[dep]], resilience={"stream_upstream": False})) as gw:
        response = gw.http.post("/v1/chat/completions", json={"model": "small", "messages": HI})
    assert response.status_code == 200
    (choice,) = response.json()["choices"]
    assert choice["message"]["content"] == "Hello from x! This is a fake answer."
    assert "provider_specific_fields" not in response.text


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_a_json_answer_assembled_by_litellm_has_the_providers_usage_without_nulls(
    fake, monkeypatch, wire
):
    monkeypatch.setenv("TIANJI_LEAN_TRANSPORT", "0")  # the stream is litellm's objects
    with run_gateway(make_config([[deployment(fake, "x", wire)]])) as gw:
        response = gw.http.post("/v1/chat/completions", json={"model": "small", "messages": HI})
    assert response.status_code == 200
    usage = response.json()["usage"]
    (call,) = fake.calls("x")
    assert call.stream
    assert (usage["prompt_tokens"], usage["completion_tokens"]) == _tokens(wire, call.usage)
    assert None not in usage.values()


def test_a_json_answer_with_text_and_a_tool_call_keeps_both(no_usage_server):
    tools = [{"type": "function", "function": {"name": "lookup", "parameters": {
        "type": "object", "properties": {}}}}]
    with run_gateway(make_config([[_raw(no_usage_server, "text-and-tool")]])) as gw:
        answer = gw.client.chat.completions.create(model="small", messages=HI, tools=tools)
    (choice,) = answer.choices
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content == "Let me look."
    assert [c.function.name for c in choice.message.tool_calls] == ["lookup"]
