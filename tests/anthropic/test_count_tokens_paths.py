"""POST /v1/messages/count_tokens: which deployment counts (the first `anthropic/` one in
reach that is not cooling down), what the estimate is when none does (the policy's size
estimate of the conversation: text of every turn, tool calls and results, tools, images),
and what a failed count logs."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from router.fakeprovider import Fault, FaultKind
from router.fakeprovider.wire import count_tokens
from tests.conftest import ANTHROPIC_KEY, deployment, make_config, run_gateway, serving

IMAGE = {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                     "data": "iVBORw0KGgo="}}
PDF = {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                      "data": "JVBERi0xLjQK"}}
HI = [{"role": "user", "content": "hi"}]


def counted(gw, **body):
    response = gw.http.post("/v1/messages/count_tokens", headers={
        "anthropic-version": "2023-06-01"}, json={"model": "auto", **body})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response


@pytest.fixture(scope="module")
def estimating(fake):
    """No Anthropic-wire deployment: every count is Tianji's estimate."""
    with run_gateway(make_config([[deployment(fake, "oai")]])) as gateway:
        yield gateway


@pytest.mark.parametrize(("body", "chars", "turns", "images"), [
    ({"messages": [{"role": "user", "content": "x" * 40}]}, 40, 1, 0),
    # system blocks joined by a newline: "abcd\nefgh"
    ({"system": [{"type": "text", "text": "abcd"}, {"type": "text", "text": "efgh"}],
      "messages": [{"role": "user", "content": "x" * 40}]}, 9 + 40, 2, 0),
    ({"system": "a" * 12, "messages": HI}, 12 + 2, 2, 0),
    # a tool call is its name and its input as JSON: "1234\nread {\"p\": \"a\"}"
    ({"messages": [*HI, {"role": "assistant", "content": [
        {"type": "text", "text": "1234"},
        {"type": "tool_use", "id": "t1", "name": "read", "input": {"p": "a"}}]}]}, 2 + 20, 2, 0),
    ({"messages": [{"role": "assistant", "content": [
        {"type": "tool_use", "id": "t1", "name": "ls"}]}]}, len("ls {}"), 1, 0),
    # a tool result is its content's text, nested blocks too; images and documents count flat
    ({"messages": [{"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "t1",
         "content": [{"type": "text", "text": "file body"}]}, IMAGE, PDF]}]},
     len("file body\n\n"), 1, 2),
    ({"messages": [{"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "t1", "content": "done"}]}]}, 4, 1, 0),
    ({"messages": [{"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "t1"}, {"type": "text"},
        {"type": "thinking", "thinking": "not counted"}]}]}, 2, 1, 0),
    # tools by name and description
    ({"messages": HI, "tools": [{"name": "read", "description": "Read a file",
                                 "input_schema": {"type": "object"}},
                                {"name": "ls", "input_schema": {"type": "object"}}]},
     2 + len("read Read a file") + len("ls "), 1, 0),
])
def test_the_estimate_is_the_size_estimate_of_the_conversation(estimating, body, chars, turns,
                                                                images):
    response = counted(estimating, **body)
    assert response.headers["x-tianji-token-count"] == "estimate"
    assert "x-tianji-provider" not in response.headers
    assert response.json() == {"input_tokens": chars // 4 + 4 * turns + 1600 * images}


def test_a_prompt_too_long_for_every_window_is_still_estimated(fake):
    config = make_config([[deployment(fake, "tiny", "anthropic", max_context=100)]])
    with run_gateway(config) as gateway:
        response = counted(gateway, messages=[{"role": "user", "content": "x" * 4000}])
    assert response.json() == {"input_tokens": 1000 + 4}
    assert response.headers["x-tianji-token-count"] == "estimate"
    assert fake.calls("tiny") == []


def test_the_first_anthropic_deployment_that_is_not_cooling_down_counts(fake, claude):
    config = make_config([[deployment(fake, "oai"), deployment(fake, "ant1", "anthropic"),
                           deployment(fake, "ant2", "anthropic")]],
                         resilience={"failures_before_cooldown": 1})
    with run_gateway(config) as gateway:
        first = counted(gateway, messages=HI)
        assert (first.headers["x-tianji-token-count"], first.headers["x-tianji-provider"]) == (
            "exact", "ant1")
        assert first.json() == {"input_tokens": count_tokens([None, None, HI])}
        fake.set_fault("ant1", Fault(FaultKind.HTTP_ERROR, status=500))
        fake.set_fault("oai", Fault(FaultKind.HTTP_ERROR, status=500))
        claude(gateway).messages.create(model="auto", max_tokens=5, messages=HI)
        assert gateway.health.cooling_for("ant1") > 0
        fake.reset()
        second = counted(gateway, messages=HI)
    assert second.headers["x-tianji-provider"] == "ant2"
    assert [c.path for c in fake.calls("ant1")] == []
    assert fake.calls("oai") == []


class _SlowCounter(BaseHTTPRequestHandler):
    """An Anthropic API stand-in whose count takes 3 s (the fake's faults reset a count)."""

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
        self.rfile.read(int(self.headers["content-length"]))
        time.sleep(3)
        body = json.dumps({"input_tokens": 99}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_count_slower_than_the_request_timeout_is_estimated(fake):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowCounter)
    server.daemon_threads = True
    slow = {"name": "slow", "model": "anthropic/claude-slow", "api_key": ANTHROPIC_KEY,
            "api_base": f"http://127.0.0.1:{server.server_address[1]}",
            "price": {"input": 1.0, "output": 5.0}}
    config = make_config([[slow]], resilience={"request_timeout_s": 1})
    with serving(server), run_gateway(config) as gateway:
        response = counted(gateway, messages=[{"role": "user", "content": "x" * 40}])
    assert response.headers["x-tianji-token-count"] == "estimate"
    assert response.json() == {"input_tokens": 10 + 4}


@pytest.fixture
def failing_counter(fake):
    fake.set_fault("ant", Fault(FaultKind.HTTP_ERROR, status=500))
    with run_gateway(make_config([[deployment(fake, "ant", "anthropic")]])) as gateway:
        yield gateway


def test_a_failed_count_is_logged_with_the_request_and_deployment_and_no_key(
        failing_counter, log_lines):
    response = failing_counter.http.post(
        "/v1/messages/count_tokens", json={"model": "auto", "messages": HI},
        headers={"anthropic-version": "2023-06-01", "x-request-id": "count-1"})
    assert response.headers["x-tianji-token-count"] == "estimate"
    records = [json.loads(line) for line in log_lines if "count_tokens_estimated" in line]
    assert len(records) == 1, log_lines
    (record,) = records
    assert set(record) == {"event", "request_id", "deployment", "error"}
    assert (record["event"], record["request_id"], record["deployment"]) == (
        "count_tokens_estimated", "count-1", "ant")
    assert record["error"] == "APIError: litellm.APIError: Internal server error"
    assert ANTHROPIC_KEY not in "\n".join(log_lines)
