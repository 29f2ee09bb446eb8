"""The chat front door's stream (router/api/chat.py) from an OpenAI-compatible server that sends
usage on every chunk (as vLLM does with continuous usage stats), through the gateway and the
OpenAI SDK: every delta and the finish reason reach the client, with usage only when asked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest

from tests.conftest import PROVIDER_KEY, make_config, run_gateway, serving, sse_handler


def _chunk(choice: dict, completion_tokens: int) -> bytes:
    body = {"id": "chatcmpl-usage", "object": "chat.completion.chunk", "created": 1,
            "model": "gpt-4o", "choices": [{"index": 0, **choice}],
            "usage": {"prompt_tokens": 5, "completion_tokens": completion_tokens,
                      "total_tokens": 5 + completion_tokens}}
    return b"data: " + json.dumps(body).encode() + b"\n\n"


USAGE_ONLY = {"id": "chatcmpl-usage", "object": "chat.completion.chunk", "created": 1,
              "model": "gpt-4o", "choices": [],
              "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}}
# The finish reason comes with an empty delta, and usage like the others; then OpenAI's own
# usage chunk without choices.
CHUNKS = [
    _chunk({"delta": {"role": "assistant", "content": "Hel"}, "finish_reason": None}, 1),
    _chunk({"delta": {"content": "lo"}, "finish_reason": None}, 2),
    _chunk({"delta": {}, "finish_reason": "stop"}, 2),
    b"data: " + json.dumps(USAGE_ONLY).encode() + b"\n\n",
]


@pytest.fixture(scope="module")
def gw() -> Iterator:
    server = ThreadingHTTPServer(("127.0.0.1", 0), sse_handler(lambda path: CHUNKS))
    entry = {"name": "usage-every-chunk", "model": "openai/gpt-4o",
             "api_base": f"http://127.0.0.1:{server.server_address[1]}/v1",
             "api_key": PROVIDER_KEY, "price": {"input": 1.0, "output": 5.0},
             "supports": ["tools", "vision", "json"]}
    with serving(server), run_gateway(make_config([[entry]])) as gateway:
        yield gateway


@pytest.mark.parametrize("include_usage", [False, True])
def test_usage_on_every_chunk_loses_no_delta_and_no_finish_reason(gw, include_usage):
    stream = gw.client.chat.completions.create(
        model="auto", stream=True, messages=[{"role": "user", "content": "hi"}],
        stream_options={"include_usage": include_usage})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Hello"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    with_usage = [c.usage for c in chunks if c.usage is not None]
    if include_usage:
        assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens == 2
    else:
        assert with_usage == []
