"""A non-streamed /v1/messages request is streamed from the provider (`stream_upstream`)
and assembled, on every Claude wire: a provider that stalls before its first event or
between two is left within first_token_timeout_s / idle_timeout_s for the next deployment,
and the assembled `message` is the one the provider's JSON answer would have been."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.anthropic.conftest import bedrock, vertex
from tests.conftest import Gateway, deployment, make_config, run_gateway

# No attempt_timeout_s: only the first-token and idle limits can leave a stalled deployment
# before the request deadline passes (a 30 s stall outlives the 6 s deadline).
STALL_LIMITS = {"attempt_timeout_s": None, "request_timeout_s": 6, "first_token_timeout_s": 1.0,
                "idle_timeout_s": 1.0, "retries": 1, "backoff_initial_s": 0.01}
STALLS = {
    "before-headers": Fault(FaultKind.STALL, delay=30),
    "after-headers": Fault(FaultKind.HEADERS_STALL, delay=30),
    "between-events": Fault(FaultKind.STREAM_STALL, after_chunks=3, delay=30),
}
TOOL = {"name": "lookup", "description": "Look a word up.",
        "input_schema": {"type": "object", "properties": {}}}
ASKS = {
    "text": {},
    "tool_use": {"tools": [TOOL], "tool_choice": {"type": "any"}},
    "thinking": {"thinking": {"type": "enabled", "budget_tokens": 1024}},
}


def user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


@pytest.fixture(scope="module")
def stalls(fake) -> Iterator[Gateway]:
    """One tier: Anthropic API deployment a, then b."""
    config = make_config([[deployment(fake, "a", "anthropic"), deployment(fake, "b", "anthropic")]],
                         resilience=STALL_LIMITS)
    with run_gateway(config) as gw:
        yield gw


@pytest.mark.parametrize("stall", list(STALLS), ids=str)
def test_a_non_streamed_request_leaves_a_stalled_deployment_for_the_next(
        fake, stalls, claude, stall):
    fake.set_fault("a", STALLS[stall])
    raw = claude(stalls).messages.with_raw_response.create(
        model="auto", max_tokens=64, messages=user("hi"))
    assert raw.http_response.status_code == 200
    assert raw.parse().content[0].text == "Hello from b! This is a fake answer."
    assert raw.headers["x-tianji-provider"] == "b"
    assert raw.headers["x-tianji-attempts"] == "2"
    (stalled,) = fake.calls("a")  # a stall is not retried on the deployment that stalled
    assert stalled.stream and stalled.disconnected  # streamed, and left before it finished


def _answers(fake, claude, deployments: list[dict], ask: dict) -> list[dict]:
    """The JSON answer to one non-streamed request, fetched streamed (the default) and as
    JSON (`stream_upstream: false`), ids left out."""
    bodies = []
    for stream_upstream in (True, False):
        config = make_config([deployments], resilience={"stream_upstream": stream_upstream})
        with run_gateway(config) as gw:
            raw = claude(gw).messages.with_raw_response.create(
                model="auto", max_tokens=2048, messages=user("hi"), **ask)
            assert raw.http_response.status_code == 200, raw.http_response.text
            body = raw.http_response.json()
            body.pop("id")
            bodies.append(body)
    return bodies


@pytest.mark.parametrize("ask", list(ASKS), ids=str)
def test_the_assembled_message_is_the_providers_json_answer(fake, claude, ask):
    streamed, direct = _answers(fake, claude, [deployment(fake, "a", "anthropic")], ASKS[ask])
    assert [c.stream for c in fake.calls("a")] == [True, False]
    assert streamed == direct
    assert streamed["usage"]["output_tokens"] > 1  # the final count, not message_start's
    assert streamed["stop_reason"] == ("tool_use" if ask == "tool_use" else "end_turn")
    kinds = [block["type"] for block in streamed["content"]]
    assert kinds == {"text": ["text"], "tool_use": ["tool_use"],
                     "thinking": ["thinking", "text"]}[ask]


@pytest.mark.parametrize("where", ["bedrock", "vertex", "chat-wire"])
@pytest.mark.parametrize("ask", ["text", "tool_use"])
def test_every_deployment_of_the_messages_door_is_assembled_from_its_stream(
        fake, claude, vertex_credentials, where, ask):
    """Claude on Bedrock and Vertex (their event streams), and a chat-wire deployment
    (litellm's translation of its chat stream)."""
    dep = {"bedrock": lambda: bedrock(fake, "c"),
           "vertex": lambda: vertex(fake, vertex_credentials, "c"),
           "chat-wire": lambda: deployment(fake, "c", "openai")}[where]()
    streamed, direct = _answers(fake, claude, [dep], ASKS[ask])
    assert [c.stream for c in fake.calls("c")] == [True, False]
    assert streamed == direct
