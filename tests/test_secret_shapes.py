"""Secrets without a known key shape never reach a client or a log line.

The key-shape patterns in router/redact.py catch `sk-...`, `AKIA...`, bearer tokens and the
like; a secret the config holds in any other shape must still be kept out of every response
body, stream and log line, because providers and proxies do echo what they were sent. Each
case configures one deployment with one such secret and points it at a provider that answers
every call with an error quoting the key it was given and the whole request it received
(request line and headers): as the answer to the call, or as an event in the middle of a stream
it had started.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from router.fakeprovider.wire_anthropic import AnthropicWire
from router.fakeprovider.wire_openai import OpenAIWire
from tests.conftest import make_config, run_gateway, serving
from tests.faults.support import assert_interrupted_stream, assert_openai_error, chat

HEX_TOKEN = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
AZURE_KEY = "3c5e8a1f9b7d4e2a6c0f8b1d3e5a7c9f"
HEADER_VALUE = "tenant-7Qx2LmZ9pW4rT8vB"
URL_USER, URL_PASSWORD = "gateway", "Pa55w0rd-in-the-url"


class EchoEverything(ThreadingHTTPServer):
    """Answers every call with `status` and an error message quoting the request line and
    every header, as a misconfigured provider or a debugging proxy does."""

    def __init__(self, status: int) -> None:
        super().__init__(("127.0.0.1", 0), _EchoHandler)
        self.status = status
        self.mid_stream = False  # start a streamed answer, then send the error as an event
        self.received: list[str] = []  # each request as quoted back

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _EchoHandler(BaseHTTPRequestHandler):
    server: EchoEverything
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
        request = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)))
        quoted = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
        self.server.received.append(f"{self.path} {quoted}")
        message = f"Incorrect credentials provided: {', '.join(_credentials(self.headers))}. " \
                  f"Rejected {self.command} {self.path} ({quoted})"
        error = {"message": message, "type": "invalid_request_error", "code": None}
        if self.server.mid_stream and request.get("stream"):
            self._stream_then_fail(request, error)
            return
        body = json.dumps({"error": error}).encode()
        self.send_response(self.server.status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream_then_fail(self, request: dict[str, Any], error: dict[str, Any]) -> None:
        """The first words of the fake provider's answer, then the error as an SSE event."""
        anthropic = self.path.endswith("/messages")
        wire = AnthropicWire() if anthropic else OpenAIWire()
        events = wire.stream(wire.turn("echo", request, "Hello from echo"))
        if anthropic:
            head = events[:4]  # message_start, content_block_start, ping, the first delta
            failure = b"event: error\ndata: " + json.dumps(
                {"type": "error", "error": {**error, "type": "api_error"}}).encode() + b"\n\n"
        else:
            head = events[:2]  # the role chunk and the first delta
            failure = b"data: " + json.dumps({"error": error}).encode() + b"\n\n"
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("connection", "close")
        self.end_headers()
        self.wfile.write(b"".join(head) + failure)
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature
        pass


def _credentials(headers: Any) -> list[str]:
    """What a provider would name in "Incorrect API key provided: ...": each credential alone,
    without its header name (the authorization value without its scheme, api keys, and the
    values of custom x- headers)."""
    values = [headers.get("authorization", "").split(" ")[-1]]
    values += [v for k, v in headers.items()
               if k.lower() in ("api-key", "x-api-key")
               or (k.lower().startswith("x-") and not k.lower().startswith("x-stainless"))]
    return [v for v in values if v]


@pytest.fixture(scope="module", params=[401, 500], ids=["401", "500"])
def echo(request) -> Iterator[EchoEverything]:
    server = EchoEverything(request.param)
    with serving(server):
        yield server


@dataclass(frozen=True)
class Shape:
    """One way a deployment can hold a secret, and the strings that must never be exposed."""

    name: str
    secrets: tuple[str, ...]

    def deployment(self, url: str) -> dict[str, Any]:
        base: dict[str, Any] = {"name": "echo", "price": {"input": 1.0, "output": 5.0}}
        if self.name == "hex token":
            return {**base, "model": "openai/gpt-echo", "api_base": f"{url}/v1",
                    "api_key": HEX_TOKEN}
        if self.name == "azure key":
            return {**base, "model": "azure/gpt-echo", "api_base": url, "api_key": AZURE_KEY,
                    "api_version": "2024-10-21"}
        if self.name == "extra_headers value":
            return {**base, "model": "openai/gpt-echo", "api_base": f"{url}/v1",
                    "api_key": "none", "extra_headers": {"X-Tenant-Token": HEADER_VALUE}}
        user_info_url = url.replace("http://", f"http://{URL_USER}:{URL_PASSWORD}@")
        return {**base, "model": "anthropic/claude-echo", "api_base": user_info_url,
                "api_key": "none"}


BASIC = base64.b64encode(f"{URL_USER}:{URL_PASSWORD}".encode()).decode()
SHAPES = [
    Shape("hex token", (HEX_TOKEN,)),
    Shape("azure key", (AZURE_KEY,)),
    Shape("extra_headers value", (HEADER_VALUE,)),
    Shape("url user info", (URL_PASSWORD, BASIC)),
]


@pytest.mark.parametrize("where", ["json", "stream", "mid-stream"])
@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_a_secret_of_any_shape_echoed_by_the_provider_is_never_exposed(
    echo, shape, where, request
):
    config = make_config([[shape.deployment(echo.url)]],
                         resilience={"retries": 0, "request_timeout_s": 5})
    echo.received.clear()
    echo.mid_stream = where == "mid-stream"
    with run_gateway(config) as gateway:
        lines = request.getfixturevalue("log_lines")  # after the gateway configured logging
        result = chat(gateway, stream=where != "json")
        deployments = gateway.http.get("/v1/deployments").text

    sent = "\n".join(echo.received)
    assert any(secret in sent for secret in shape.secrets), f"not sent: {sent}"
    if where == "mid-stream":
        error = assert_interrupted_stream(result)
        assert error["code"] == "stream_interrupted"
    else:
        assert 400 <= result.status < 600
        assert_openai_error(result.body)
    exposed = "\n".join([result.raw.decode(), json.dumps(result.headers), deployments, *lines])
    assert "Rejected POST" in exposed  # the provider's message did get through...
    for secret in shape.secrets:  # ...but not the secret it quoted
        assert secret not in exposed, f"{shape.name} leaked: {exposed[:3000]}"
