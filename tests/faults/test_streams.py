"""The stream commit point, and faults in the middle of a stream.

Until the first byte of the answer reaches the client the gateway may retry and
fall over like a non-streaming call. After it, an upstream failure must end the
stream with one error event in OpenAI's shape and no `[DONE]`, so that an SDK
raises instead of returning a truncated answer as if it were complete.
"""

from __future__ import annotations

import json

import openai
import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment
from tests.faults.support import (
    NO_HANG_S,
    STALL_ATTEMPT,
    WIRES,
    answer_text,
    assert_interrupted_stream,
    assert_served,
    calls,
    chat,
    deployments_state,
    fast_config,
    log_records,
    messages,
)
from tests.gateway.test_metrics import metric
from tests.waiting import wait_for

wires = pytest.mark.parametrize("wire", WIRES)
MID_STREAM = {
    "cut": Fault(FaultKind.STREAM_CUT, after_chunks=4),
    "malformed": Fault(FaultKind.MALFORMED_CHUNK, after_chunks=4),
    "stall": Fault(FaultKind.STREAM_STALL, after_chunks=4, delay=30),
}
BEFORE_FIRST_CHUNK = {
    "cut": Fault(FaultKind.STREAM_CUT, after_chunks=0),
    "malformed": Fault(FaultKind.MALFORMED_CHUNK, after_chunks=0),
    "stall": Fault(FaultKind.STREAM_STALL, after_chunks=0, delay=30),
}


@pytest.fixture
def pair(fake, gateways):
    """A shared gateway with one tier, deployments a then b; short attempt deadline."""

    def get(wire: str):
        return gateways.get(wire, lambda: fast_config(
            [[deployment(fake, "a", wire), deployment(fake, "b", wire)]], **STALL_ATTEMPT))

    return get


@wires
@pytest.mark.parametrize("fault", list(BEFORE_FIRST_CHUNK), ids=str)
def test_failure_before_the_first_chunk_falls_over_to_the_next_deployment(fake, pair, wire, fault):
    fake.set_fault("a", BEFORE_FIRST_CHUNK[fault])
    result = chat(pair(wire), stream=True)
    assert_served(result, "b")
    assert calls(fake, "a") >= 1
    assert calls(fake, "b") == 1


@wires
@pytest.mark.parametrize("fault", list(MID_STREAM), ids=str)
def test_failure_after_the_first_chunk_ends_the_stream_with_an_error_event(
    fake, pair, wire, fault
):
    fake.set_fault("a", MID_STREAM[fault])
    result = chat(pair(wire), stream=True)
    error = assert_interrupted_stream(result)
    assert error["code"] == "stream_interrupted"
    # The client got the start of a's answer, and nothing from anyone else.
    assert result.headers["x-tianji-provider"] == "a"
    partial = result.text
    assert answer_text("a").startswith(partial) and partial != answer_text("a")
    # Committed: no retry, no fallback once bytes had gone out.
    assert calls(fake, "a") == 1
    assert calls(fake, "b") == 0


@wires
@pytest.mark.parametrize("fault", list(MID_STREAM), ids=str)
def test_sdk_raises_on_an_interrupted_stream_instead_of_returning_a_truncated_answer(
    fake, pair, wire, fault
):
    fake.set_fault("a", MID_STREAM[fault])
    gw = pair(wire)
    received = []
    with pytest.raises(openai.APIError):
        for chunk in gw.client.chat.completions.create(
            model="auto", messages=messages("hi"), stream=True
        ):
            for choice in chunk.choices:
                received.append(choice.delta.content or "")
    assert "".join(received) != answer_text("a")


@wires
@pytest.mark.parametrize("fault", list(MID_STREAM), ids=str)
def test_the_same_faults_in_a_json_body_fall_over_before_anything_is_sent(
    fake, pair, wire, fault
):
    fake.set_fault("a", MID_STREAM[fault])
    result = chat(pair(wire))
    assert_served(result, "b")
    assert calls(fake, "a") == 2  # a broken body is transient: retried once, then b
    assert calls(fake, "b") == 1


@wires
def test_stream_stall_mid_answer_ends_by_the_deadline_not_never(fake, pair, wire):
    fake.set_fault("a", MID_STREAM["stall"])
    result = chat(pair(wire), stream=True)
    assert_interrupted_stream(result)
    assert result.elapsed < NO_HANG_S
    # And the gateway hung up on the stalled provider.
    wait_for(lambda: fake.calls("a")[0].completed, "the stalled call to end")
    assert fake.calls("a")[0].disconnected


@wires
def test_a_complete_stream_ends_with_done_and_carries_the_tianji_headers(fake, pair, wire):
    result = chat(pair(wire), stream=True)
    assert_served(result, "a")
    for header in ("x-tianji-tier", "x-tianji-model", "x-tianji-provider", "x-tianji-attempts"):
        assert header in result.headers
    finishes = [c.get("finish_reason") for e in result.events if isinstance(e, dict)
                for c in e.get("choices") or ()]
    assert "stop" in finishes


@wires
def test_client_disconnect_mid_stream_cancels_the_upstream_request(fake, gateways, wire, request):
    config = fast_config([[deployment(fake, "slow", wire), deployment(fake, "spare", wire)]])
    gw = gateways.get(f"disconnect-{wire}", lambda: config)
    log_lines = request.getfixturevalue("log_lines")  # after the gateway set up logging
    fake.configure("slow", chunk_delay=0.3)  # 8+ events: ~3 s to finish if nobody hangs up
    body = {"model": "auto", "messages": messages("hi"), "stream": True}
    with gw.http.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.status_code == 200
        for line in response.iter_lines():
            if line.startswith("data: ") and "content" in line:
                break  # the answer has started: hang up
    call = wait_for(lambda: fake.calls("slow") and fake.calls("slow")[0].completed and
                    fake.calls("slow")[0], "the provider call to end", timeout=NO_HANG_S)
    assert call.disconnected, "the gateway kept reading from the provider after the client left"
    assert calls(fake, "slow") == 1
    assert calls(fake, "spare") == 0  # a client leaving is not a provider failure
    state = deployments_state(gw)["slow"]
    assert state["state"] == "ok" and state["consecutive_failures"] == 0
    requests = wait_for(lambda: log_records(log_lines, "request"), "the log line")
    assert requests[-1]["status"] == 499 and requests[-1]["deployment"] == "slow"
    assert requests[-1]["error_code"] == "client_closed_request"
    text = gw.http.get("/metrics").text
    assert metric(text, "tianji_requests_total", deployment="slow", status="499") == 1


@wires
def test_events_sent_before_a_pause_reach_the_client_during_it(fake, gateways, wire):
    # Chunks that came in one read from the provider go out together (router/api/core.py
    # relay_stream); none of them waits for the provider's next read.
    config = fast_config([[deployment(fake, "paused", wire)]],
                         attempt_timeout_s=None, idle_timeout_s=8, request_timeout_s=20)
    gw = gateways.get(f"pause-{wire}", lambda: config)
    fake.set_fault("paused", Fault(FaultKind.STREAM_STALL, after_chunks=4, delay=4))
    body = {"model": "auto", "messages": messages("hi"), "stream": True}
    seen: list[str] = []
    with gw.http.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.status_code == 200
        lines = response.iter_lines()
        for line in lines:
            if line.startswith("data: ") and "content" in line:
                seen.append(json.loads(line[6:])["choices"][0]["delta"].get("content") or "")
                if "".join(seen):
                    break  # the answer's first words, sent before the pause
        assert not fake.calls("paused")[0].completed, "the events waited out the pause"
        rest = [line for line in lines if line.startswith("data: ")]
    assert rest[-1] == "data: [DONE]"
    text = "".join(seen) + "".join(
        json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
        for line in rest[:-1] if json.loads(line[6:]).get("choices"))
    assert text == answer_text("paused")
    assert metric(text, "tianji_requests_total", deployment="slow", status="200") == 0


@wires
def test_usage_chunk_is_relayed_only_when_the_client_asked_for_it(fake, pair, wire):
    plain = chat(pair(wire), stream=True)
    with_usage = chat(pair(wire), stream=True, stream_options={"include_usage": True})
    assert not any(isinstance(e, dict) and e.get("usage") for e in plain.events)
    usage = [e["usage"] for e in with_usage.events if isinstance(e, dict) and e.get("usage")]
    assert usage and usage[-1]["completion_tokens"] > 0
    assert json.dumps(with_usage.events[-1]) == '"[DONE]"'
