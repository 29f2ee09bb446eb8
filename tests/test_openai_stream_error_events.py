"""An OpenAI-compatible server that reports a failure inside its stream: a `data:` event holding
`{"error": ...}` instead of a chunk (as OpenAI, vLLM and OpenRouter send when the model fails
after the 200 went out). Through the gateway's lean stream reader (router/transport_stream.py)
and raw HTTP: before the first delta it is a failure of that deployment (the next one answers,
or the client gets a 503 quoting the provider's message); after it the stream ends with one
`stream_interrupted` error event quoting it. The error event never reaches the client as a
chunk, also when it carries a choice too (OpenRouter's mid-stream error: `finish_reason:
"error"`), which is no end of the answer: the OpenAI SDK, which `litellm.acompletion` uses, raises
on it as well."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import litellm  # noqa: F401 - loaded before the first gateway, as the server preloads it
import pytest

from tests.conftest import PROVIDER_KEY, deployment, make_config, run_gateway, serving, sse_handler
from tests.faults.support import (
    answer_text,
    assert_interrupted_stream,
    assert_openai_error,
    assert_served,
    chat,
)

MESSAGE = "The model is overloaded right now"
ERROR = {"message": MESSAGE, "type": "server_error", "param": None, "code": None}


def _chunk(choice: dict) -> bytes:
    body = {"id": "chatcmpl-raw", "object": "chat.completion.chunk", "created": 1,
            "model": "gpt-4o", "choices": [{"index": 0, **choice}]}
    return b"data: " + json.dumps(body).encode() + b"\n\n"


def _event(body: dict) -> bytes:
    return b"data: " + json.dumps(body).encode() + b"\n\n"


# OpenRouter's shape: the error beside a choice that ends the answer with finish_reason "error"
OPENROUTER_ERROR = {"id": "gen-1", "object": "chat.completion.chunk", "created": 1,
                    "model": "gpt-4o", "error": {"code": 502, "message": "Provider disconnected"},
                    "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}]}
STREAMS = {
    "error-first": [_event({"error": ERROR})],
    "error-string": [_event({"error": "overloaded, try later"})],
    "error-no-message": [_event({"error": {"type": "server_error", "code": "overloaded"}})],
    "error-mid": [
        _chunk({"delta": {"role": "assistant", "content": "Hel"}, "finish_reason": None}),
        _event({"error": ERROR}),
    ],
    "openrouter-first": [_event(OPENROUTER_ERROR)],
    "openrouter-mid": [
        _chunk({"delta": {"role": "assistant", "content": "Hel"}, "finish_reason": None}),
        _event(OPENROUTER_ERROR),
    ],
}


@pytest.fixture(scope="module")
def raw_server() -> Iterator[str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), sse_handler(lambda path: STREAMS[path.split("/")[1]]))
    with serving(server):
        yield f"http://127.0.0.1:{server.server_address[1]}"


def _raw(raw_server: str, stream: str) -> dict:
    return {"name": "raw", "model": "openai/gpt-4o", "api_base": f"{raw_server}/{stream}/v1",
            "api_key": PROVIDER_KEY, "price": {"input": 1.0, "output": 5.0},
            "supports": ["tools", "vision", "json"]}


@pytest.mark.parametrize("first", ["error-first", "openrouter-first"], ids=["openai", "openrouter"])
@pytest.mark.parametrize("stream", [True, False], ids=["stream", "json"])
def test_an_error_event_before_any_answer_falls_over_to_the_next_deployment(
    raw_server, fake, first, stream
):
    config = make_config([[_raw(raw_server, first), deployment(fake, "b")]])
    with run_gateway(config) as gw:
        result = chat(gw, stream=stream)
    assert_served(result, "b")
    assert result.text == answer_text("b")


@pytest.mark.parametrize(
    ("stream_name", "quoted"),
    [("error-first", MESSAGE), ("error-string", '"overloaded, try later"'),
     ("error-no-message", '{"type": "server_error", "code": "overloaded"}'),
     ("openrouter-first", "Provider disconnected")],
    ids=["message", "string", "no-message", "openrouter"],
)
@pytest.mark.parametrize("stream", [True, False], ids=["stream", "json"])
def test_an_error_event_at_the_only_deployment_is_a_503_quoting_the_provider(
    raw_server, stream_name, quoted, stream
):
    with run_gateway(make_config([[_raw(raw_server, stream_name)]])) as gw:
        result = chat(gw, stream=stream)
    assert result.status == 503 and not result.streamed, (result.status, result.events)
    error = assert_openai_error(result.body, "all_deployments_failed")
    assert error["message"] == (
        f"No deployment could answer. Tried: raw (openai): {quoted}; raw (openai): {quoted}")


@pytest.mark.parametrize(("mid", "quoted"), [("error-mid", MESSAGE),
                                             ("openrouter-mid", "Provider disconnected")],
                         ids=["openai", "openrouter"])
def test_an_error_event_after_the_first_delta_ends_the_stream_with_stream_interrupted(
    raw_server, mid, quoted
):
    with run_gateway(make_config([[_raw(raw_server, mid)]])) as gw:
        result = chat(gw, stream=True)
    error = assert_interrupted_stream(result)
    assert error["code"] == "stream_interrupted" and error["type"] == "upstream_error"
    assert error["message"] == (
        "The stream from deployment raw (openai) failed after the answer had started, so it"
        f" could not be retried elsewhere: {quoted}")
    assert result.text == "Hel"
    chunks = [e for e in result.events if isinstance(e, dict) and "choices" in e]
    assert len(chunks) == 1
