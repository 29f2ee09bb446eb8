"""What an upstream exception means, on exceptions real litellm raises.

The gateway-level behaviour (a 400, no deployment harmed) is in tests/test_bad_input.py;
here the line between "litellm could not build the request" and "the provider sent
something broken" is pinned down, since only the second may count against a deployment.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import litellm
import pytest

from router.errors import Kind, _short, classify
from router.upstream import quiet_litellm

CLOSED = "http://127.0.0.1:9"  # nothing listens on the discard port


@pytest.fixture(scope="module")
def wrong_shape_server() -> Iterator[str]:
    """Answers every POST with 200 and a JSON body of the wrong shape."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            body = json.dumps({"id": "x", "object": "chat.completion", "choices": "zzz",
                               "content": 5}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _raise(model: str, api_base: str, messages: list[dict], **params: object) -> BaseException:
    quiet_litellm()

    async def call() -> None:
        await litellm.acompletion(model=model, api_base=api_base, api_key="k",
                                  messages=messages, num_retries=0, max_retries=0, **params)

    with pytest.raises(Exception) as caught:
        asyncio.run(call())
    return caught.value


WIRES = [("openai/m", "/v1"), ("anthropic/m", "")]


@pytest.mark.parametrize("model, path", WIRES)
def test_a_request_litellm_cannot_build_is_untranslatable(model, path):
    exc = _raise(model, CLOSED + path, [{"role": "developer"}])
    failure = classify(exc)
    assert failure.kind is Kind.UNTRANSLATABLE
    assert not failure.retryable


def test_a_parameter_litellm_cannot_map_is_untranslatable():
    """litellm's Anthropic mapping reads response_format["type"] in a function whose name says
    "response" (map_response_format_to_anthropic_tool): still the request's fault, not the
    provider's, so it must not cool the deployment down."""
    exc = _raise(
        "anthropic/m", CLOSED, [{"role": "user", "content": "hi"}], response_format={"schema": {}}
    )
    assert classify(exc).kind is Kind.UNTRANSLATABLE


@pytest.mark.parametrize("model, path", WIRES)
def test_a_provider_answer_of_the_wrong_shape_is_the_providers_fault(
    wrong_shape_server, model, path
):
    exc = _raise(model, wrong_shape_server + path, [{"role": "user", "content": "hi"}])
    assert classify(exc).kind is Kind.TRANSIENT


@pytest.mark.parametrize("model, path", WIRES)
def test_connection_refused_is_transient(model, path):
    exc = _raise(model, CLOSED + path, [{"role": "user", "content": "hi"}])
    assert classify(exc).kind is Kind.TRANSIENT


@pytest.mark.parametrize("text, expected", [
    ("litellm.BadRequestError: ContextWindowExceededError: OpenAIException - too long",
     "too long"),
    ("litellm.APIConnectionError: AnthropicException - 'content'", "'content'"),
    ("litellm.InternalServerError: <!DOCTYPE html><html><body>502 Bad Gateway</body></html>",
     "an HTML error page"),
    ("plain message\nTraceback (most recent call last):\n  File x", "plain message"),
    ("litellm.InternalServerError: AnthropicException - b'{\"type\":\"error\",\"error\":{\"type\""
     ":\"api_error\",\"message\":\"Internal server error\"}}'. Handle with "
     "`litellm.InternalServerError`.", "Internal server error"),
    ("AnthropicException BadGatewayError - b'<html><body>bad</body></html>'",
     "an HTML error page"),
    ("litellm.InternalServerError: [Errno 104] Connection reset by peer. Handle with "
     "`litellm.InternalServerError`.", "Connection reset by peer"),
    ("litellm.MidStreamFallbackError: Response payload is not completed: <TransferEncodingError:"
     " 400, message='Not enough data to satisfy transfer length header.'>",
     "the connection closed before the answer was complete"),
    ("Malformed chunk from the provider: Expecting value: line 1 column 48 (char 47): "
     "b'{\"id\": \"x\", \"choices\": [{'", "the provider sent a chunk that is not valid JSON"),
])
def test_messages_lose_litellm_prefixes_html_and_tracebacks(text, expected):
    assert _short(Exception(text)) == expected
