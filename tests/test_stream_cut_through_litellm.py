"""A stream through `litellm.acompletion` that ends before the provider's finish reason.

Deployments the lean transport does not take (Bedrock, Vertex, Azure, any extra litellm
parameter, or every deployment with TIANJI_LEAN_TRANSPORT=0) stream through litellm's
CustomStreamWrapper. When the provider's body ends cleanly but early (a proxy that closes a
close-delimited response, a provider that stops writing), litellm ends the stream quietly and
adds a finish reason of its own ("stop"). The client must still learn that the answer is
incomplete: once the answer has started, the stream ends with one `stream_interrupted` error
event and no `[DONE]`, even when every word had arrived; before it has started, the gateway
falls over to the next deployment.

The fake provider's STREAM_CUT fault drops the connection inside a chunked body, which litellm
already raises as an error; the provider here ends the body cleanly instead. It writes the
fake's own SSE events (router.fakeprovider wire formats), stopping after `CUT_AFTER` of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from router.fakeprovider.wire_anthropic import AnthropicWire
from router.fakeprovider.wire_openai import OpenAIWire
from tests.conftest import (
    ANTHROPIC_KEY,
    PROVIDER_KEY,
    Gateway,
    deployment,
    run_gateway,
    serving,
)
from tests.faults.support import (
    answer_text,
    assert_interrupted_stream,
    assert_served,
    chat,
    fast_config,
)

# SSE events before the finish reason: OpenAI sends a role chunk and 8 deltas; Anthropic
# sends message_start, content_block_start, ping, 8 deltas and content_block_stop.
WHOLE_TEXT_NO_FINISH = {"openai": 9, "anthropic": 12}
MID_ANSWER = 4
WIRES = {"openai": OpenAIWire(), "anthropic": AnthropicWire()}
ROUTES = {"/v1/chat/completions": "openai", "/v1/messages": "anthropic"}


class EarlyEndProvider(ThreadingHTTPServer):
    """Answers every stream with the first `cut_after[wire]` events, then ends the body.

    HTTP/1.0 framing: no content-length, no chunked encoding, so closing the connection is
    the body's clean end, exactly as a provider or proxy that stops early looks on the wire.
    """

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.cut_after: dict[str, int] = {}
        self.user_agents: list[str] = []

    def base(self, wire: str) -> str:
        root = f"http://127.0.0.1:{self.server_address[1]}/d/early"
        return root + "/v1" if wire == "openai" else root


class _Handler(BaseHTTPRequestHandler):
    server: EarlyEndProvider

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        wire_name = next(name for path, name in ROUTES.items() if self.path.endswith(path))
        wire = WIRES[wire_name]
        self.server.user_agents.append(self.headers.get("user-agent", ""))
        turn = wire.turn("early", body, answer_text("early"))
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        for event in wire.stream(turn)[: self.server.cut_after[wire_name]]:
            self.wfile.write(event)
            self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature
        pass


@pytest.fixture(scope="module")
def early() -> Iterator[EarlyEndProvider]:
    server = EarlyEndProvider()
    with serving(server):
        yield server


def _early_deployment(early: EarlyEndProvider, wire: str) -> dict[str, Any]:
    model, key = ("openai/gpt-early", PROVIDER_KEY) if wire == "openai" else (
        "anthropic/claude-early", ANTHROPIC_KEY)
    return {"name": "early", "model": model, "api_base": early.base(wire),
            "api_key": key, "price": {"input": 1.0, "output": 5.0}}


@pytest.fixture
def through_litellm(fake, early, monkeypatch) -> Iterator[dict[str, Gateway]]:
    """Per wire, a gateway whose tier is the early-ending provider then the fake, all calls
    through litellm.acompletion."""
    monkeypatch.setenv("TIANJI_LEAN_TRANSPORT", "0")
    with run_gateway(fast_config([[_early_deployment(early, "openai"),
                                   deployment(fake, "next-o")]])) as openai_gw, \
            run_gateway(fast_config([[_early_deployment(early, "anthropic"),
                                      deployment(fake, "next-a", "anthropic")]])) as anthropic_gw:
        yield {"openai": openai_gw, "anthropic": anthropic_gw}
    early.user_agents.clear()


# Who called the provider: litellm's OpenAI SDK client or its own Anthropic client, not the
# lean transport's aiohttp pool.
LITELLM_CLIENT = {"openai": "AsyncOpenAI/Python 2.54.0", "anthropic": "litellm/1.106.2"}


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
@pytest.mark.parametrize("where", ["whole text, no finish reason", "mid answer"])
def test_a_stream_that_ends_before_the_finish_reason_ends_with_stream_interrupted(
    fake, early, through_litellm, wire, where
):
    early.cut_after[wire] = WHOLE_TEXT_NO_FINISH[wire] if where.startswith("whole") else MID_ANSWER

    result = chat(through_litellm[wire], stream=True)

    error = assert_interrupted_stream(result)
    assert error["code"] == "stream_interrupted"
    assert result.headers["x-tianji-provider"] == "early"
    assert answer_text("early").startswith(result.text)
    if where.startswith("whole"):
        assert result.text == answer_text("early")
    assert early.user_agents == [LITELLM_CLIENT[wire]]  # one call, made by litellm's client
    assert fake.calls("next-o" if wire == "openai" else "next-a") == []  # no fallback after it


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_a_stream_that_ends_before_any_answer_falls_over_to_the_next_deployment(
    fake, early, through_litellm, wire
):
    early.cut_after[wire] = 0
    result = chat(through_litellm[wire], stream=True)
    assert_served(result, "next-o" if wire == "openai" else "next-a")
    assert early.user_agents[0] == LITELLM_CLIENT[wire]
