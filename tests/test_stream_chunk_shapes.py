"""Stream chunks through the gateway's lean stream reader (router/transport_stream.py) and the
OpenAI SDK: from OpenAI-compatible servers whose chunks are valid but unusual (a last chunk
that carries the finish reason without a `delta`, legacy `function_call` deltas), and the
usage chunk made for an Anthropic deployment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import litellm
import pytest

from tests.conftest import (
    PROVIDER_KEY,
    deployment,
    make_config,
    run_gateway,
    serving,
    sse_handler,
)


def _chunk(choice: dict) -> bytes:
    body = {"id": "chatcmpl-raw", "object": "chat.completion.chunk", "created": 1,
            "model": "gpt-4o", "choices": [{"index": 0, **choice}]}
    return b"data: " + json.dumps(body).encode() + b"\n\n"


QUESTION = "Wie viele Einwohner hat Zürich? 東京の人口は？"
ANSWER = ["Zürich hat etwa 420000 Einwohner; ", "東京は約1400万人です。"]
STREAMS = {
    "no-usage": [  # a server that ignores stream_options: the gateway counts the tokens
        _chunk({"delta": {"role": "assistant", "content": ANSWER[0]}, "finish_reason": None}),
        _chunk({"delta": {"content": ANSWER[1]}, "finish_reason": "stop"}),
    ],
    "no-delta-at-the-end": [
        _chunk({"delta": {"role": "assistant", "content": "Hel"}, "finish_reason": None}),
        _chunk({"delta": {"content": "lo"}, "finish_reason": None}),
        _chunk({"finish_reason": "stop"}),
    ],
    "function-call": [
        _chunk({"delta": {"role": "assistant", "function_call": {"name": "lookup",
                                                                 "arguments": ""}},
                "finish_reason": None}),
        _chunk({"delta": {"function_call": {"arguments": '{"q": 1}'}}, "finish_reason": None}),
        _chunk({"delta": {}, "finish_reason": "function_call"}),
    ],
}


@pytest.fixture(scope="module")
def raw_server() -> Iterator[str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), sse_handler(lambda path: STREAMS[path.split("/")[1]]))
    with serving(server):
        yield f"http://127.0.0.1:{server.server_address[1]}"


def _gateway(raw_server: str, name: str):
    entry = {"name": "raw", "model": "openai/gpt-4o", "api_base": f"{raw_server}/{name}/v1",
             "api_key": PROVIDER_KEY, "price": {"input": 1.0, "output": 5.0},
             "supports": ["tools", "vision", "json"]}
    return run_gateway(make_config([[entry]]))


def test_a_last_chunk_without_a_delta_ends_the_answer_normally(raw_server):
    with _gateway(raw_server, "no-delta-at-the-end") as gw:
        chunks = list(gw.client.chat.completions.create(
            model="auto", messages=[{"role": "user", "content": "hi"}], stream=True))
    choices = [c.choices[0] for c in chunks if c.choices]
    assert all(choice.delta is not None for choice in choices)  # required by OpenAI's schema
    assert "".join(choice.delta.content or "" for choice in choices) == "Hello"
    assert choices[-1].finish_reason == "stop"


def test_usage_a_server_does_not_send_is_counted_with_the_models_tokenizer(raw_server):
    messages = [{"role": "user", "content": QUESTION}]
    with _gateway(raw_server, "no-usage") as gw:
        chunks = list(gw.client.chat.completions.create(
            model="auto", messages=messages, stream=True, stream_options={"include_usage": True}))
    *answer, usage = chunks
    assert "".join(c.choices[0].delta.content or "" for c in answer) == "".join(ANSWER)
    # gpt-4o's tokenizer counts these texts differently from litellm's default one
    prompt = litellm.token_counter(model="gpt-4o", messages=messages)
    completion = litellm.token_counter(model="gpt-4o", text="".join(ANSWER))
    assert prompt != litellm.token_counter(messages=messages)
    assert usage.usage is not None and usage.choices == []
    assert (usage.usage.prompt_tokens, usage.usage.completion_tokens) == (prompt, completion)
    assert usage.usage.total_tokens == prompt + completion
    assert {c.model for c in chunks} == {"gpt-4o"}


def test_legacy_function_call_deltas_reach_the_client(raw_server):
    functions = [{"name": "lookup", "parameters": {"type": "object"}}]
    with _gateway(raw_server, "function-call") as gw:
        chunks = list(gw.client.chat.completions.create(
            model="auto", messages=[{"role": "user", "content": "call"}], stream=True,
            functions=functions))
    calls = [c.choices[0].delta.function_call for c in chunks
             if c.choices and c.choices[0].delta.function_call]
    assert calls[0].name == "lookup"
    assert "".join(call.arguments or "" for call in calls) == '{"q": 1}'
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "function_call"


def test_an_anthropic_streams_usage_chunk_is_one_more_chunk_of_the_same_answer(fake):
    with run_gateway(make_config([[deployment(fake, "u", "anthropic")]])) as gw:
        chunks = list(gw.client.chat.completions.create(
            model="auto", messages=[{"role": "user", "content": "hi"}], stream=True,
            stream_options={"include_usage": True}))
    *answer, usage = chunks
    assert usage.usage is not None and usage.usage.total_tokens > 0
    assert usage.choices == []
    assert {c.id for c in chunks} == {answer[0].id}
    assert {c.model for c in chunks} == {"claude-fake-u"}
