"""Stalls and long answers: time to first token, idle gaps, and the request deadline.

A provider that sends nothing useful (no headers, headers and then nothing, one byte
at a time) is left for the next deployment after `first_token_timeout_s`, without a
retry on the same one; a healthy answer that streams for longer than
`request_timeout_s` still arrives whole, streamed or not, because the deadline bounds
the time until the answer starts and `idle_timeout_s` each gap after that. These tests
use sub-second limits to show the mechanism; bench/load_faults.py times the shipped ones.
"""

from __future__ import annotations

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment
from tests.faults.support import (
    WIRES,
    answer_text,
    assert_interrupted_stream,
    assert_served,
    calls,
    chat,
    deployments_state,
    fast_config,
)

wires = pytest.mark.parametrize("wire", WIRES)
stream_modes = pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
# No attempt_timeout_s: only the new limits can leave a stalled deployment in time. 1.5 s: the
# healthy deployment's first token must come within it on a loaded 2-core machine too.
STALL_LIMITS = {"attempt_timeout_s": None, "request_timeout_s": 6, "first_token_timeout_s": 1.5,
                "idle_timeout_s": 1.5}
# An answer of ~11 events 0.25 s apart takes ~2.7 s: longer than this request deadline.
LONG_ANSWER_LIMITS = {"attempt_timeout_s": None, "request_timeout_s": 1.5,
                      "first_token_timeout_s": 1.0, "idle_timeout_s": 1.0}
STALLS = {
    "before-headers": Fault(FaultKind.STALL, delay=30),
    "after-headers": Fault(FaultKind.HEADERS_STALL, delay=30),
    "trickle": Fault(FaultKind.TRICKLE, delay=0.2),
}


@pytest.fixture
def pair(fake, gateways):
    """A shared gateway with one tier, deployments a then b, and the given limits."""

    def get(wire: str, name: str = "stall", **limits: object):
        limits = limits or STALL_LIMITS
        return gateways.get(f"{name}-{wire}", lambda: fast_config(
            [[deployment(fake, "a", wire), deployment(fake, "b", wire)]], **limits))

    return get


@wires
@stream_modes
@pytest.mark.parametrize("stall", list(STALLS), ids=str)
def test_a_stalled_deployment_is_left_for_the_next_without_a_retry(
    fake, pair, wire, stream, stall
):
    fake.set_fault("a", STALLS[stall])
    gw = pair(wire)
    result = chat(gw, stream=stream)
    assert_served(result, "b")
    assert calls(fake, "a") == 1  # a stall is not retried on the deployment that stalled
    assert calls(fake, "b") == 1
    assert result.headers["x-tianji-attempts"] == "2"
    assert deployments_state(gw)["a"]["consecutive_failures"] == 1  # and it counts


@wires
@stream_modes
def test_a_healthy_answer_longer_than_the_request_deadline_arrives_whole(
    fake, pair, wire, stream
):
    fake.configure("a", chunk_delay=0.25)
    gw = pair(wire, "long", **LONG_ANSWER_LIMITS)
    result = chat(gw, stream=stream)
    assert_served(result, "a")
    assert result.elapsed > gw.config.resilience.request_timeout_s  # it did outlive it
    assert calls(fake, "b") == 0


@wires
def test_a_gap_longer_than_idle_timeout_ends_a_started_stream_naming_the_limit(fake, pair, wire):
    fake.set_fault("a", Fault(FaultKind.STREAM_STALL, after_chunks=4, delay=30))
    result = chat(pair(wire), stream=True)
    error = assert_interrupted_stream(result)
    assert error["code"] == "stream_interrupted"
    assert "idle_timeout_s" in error["message"]
    assert calls(fake, "b") == 0


@wires
def test_a_gap_after_a_long_healthy_start_still_ends_the_stream(fake, pair, wire):
    # Chunks 0.3 s apart for longer than idle_timeout_s (1.5 s), then a gap: the stream's
    # one idle watchdog (router/upstream.py _Paced) outlives the healthy part and still
    # catches the gap.
    fake.configure("a", chunk_delay=0.3)
    fake.set_fault("a", Fault(FaultKind.STREAM_STALL, after_chunks=8, delay=30))
    result = chat(pair(wire), stream=True)
    error = assert_interrupted_stream(result)
    assert "idle_timeout_s" in error["message"]
    assert result.text and answer_text("a").startswith(result.text)


@wires
def test_stream_timeout_caps_a_whole_stream_when_configured(fake, pair, wire):
    fake.configure("a", chunk_delay=0.25)
    gw = pair(wire, "capped", **LONG_ANSWER_LIMITS, stream_timeout_s=1.0)
    result = chat(gw, stream=True)
    error = assert_interrupted_stream(result)
    assert "stream_timeout_s" in error["message"]
    assert answer_text("a").startswith(result.text) and result.text != answer_text("a")


@wires
@pytest.mark.parametrize("tools", [False, True], ids=["text", "tool-call"])
def test_a_non_streamed_answer_streamed_from_the_provider_is_the_json_answer(
    fake, gateways, wire, tools
):
    """`stream_upstream` (the default) changes how the answer is fetched, not what it is."""
    def build(stream_upstream: bool):
        return lambda: fast_config([[deployment(fake, "a", wire)]],
                                   stream_upstream=stream_upstream)

    params = {}
    if tools:
        params = {"tools": [{"type": "function", "function": {
            "name": "lookup", "parameters": {"type": "object", "properties": {}}}}],
            "tool_choice": "required"}
    streamed = chat(gateways.get(f"up-{wire}", build(True)), **params)
    direct = chat(gateways.get(f"direct-{wire}", build(False)), **params)
    assert [c.stream for c in fake.calls("a")] == [True, False]
    for result in (streamed, direct):
        assert result.status == 200, result.body
        for key in ("id", "created"):
            result.body.pop(key)
        for call in result.body["choices"][0]["message"].get("tool_calls") or ():
            # litellm's Anthropic JSON transform numbers tool calls; OpenAI's format does not.
            call.pop("index", None)
    assert streamed.body == direct.body
    assert streamed.body["usage"]["completion_tokens"] > 0


@pytest.mark.parametrize("params", [{"n": 2}, {"logprobs": True}], ids=["n=2", "logprobs"])
def test_what_the_chunk_builder_cannot_assemble_is_fetched_as_json(fake, pair, params):
    """litellm's chunk builder keeps one choice and no logprobs: such requests are not
    streamed from the provider, so nothing of the answer is lost."""
    result = chat(pair("openai"), **params)
    assert_served(result, "a")
    assert [c.stream for c in fake.calls("a")] == [False]
