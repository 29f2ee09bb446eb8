"""The Responses door's stream on the wire: events reach the client while the provider is
still sending, each SSE block is one `event:` line naming the data's type and one `data:`
line, and a stream broken after its first event ends with `error` then `response.failed`,
logged and counted as the interrupted stream it is."""

from __future__ import annotations

import json

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import run_gateway, serving
from tests.faults.support import fast_config
from tests.test_stream_cut_through_litellm import (
    WHOLE_TEXT_NO_FINISH,
    EarlyEndProvider,
    _early_deployment,
)

wires = pytest.mark.parametrize("wire", ["openai", "anthropic"])
BODY = {"model": "auto", "input": "Say hello", "stream": True}


def blocks(raw: bytes) -> list[dict]:
    """Each SSE block, checked to be `event: <type>` then `data: <JSON of that type>`."""
    text = raw.decode()
    assert text.endswith("\n\n"), text[-200:]
    events = []
    for block in text[:-2].split("\n\n"):
        kind, data = block.split("\n")
        assert kind.startswith("event: ") and data.startswith("data: "), block
        event = json.loads(data.removeprefix("data: "))
        assert kind == f"event: {event['type']}", block
        events.append(event)
    return events


@wires
def test_events_reach_the_client_while_the_provider_is_still_sending(fake, gateways, wire):
    gw = gateways(wire)
    gw.client.responses.create(model="auto", input="warm up")  # litellm loaded in the gateway
    fake.reset()
    fake.configure("a", chunk_delay=0.2)
    seen = []
    for event in gw.client.responses.create(model="auto", input="Say hello", stream=True):
        seen.append(event.type)
        if event.type == "response.output_text.delta":
            (call,) = fake.calls("a")
            assert not call.completed
            break
    assert seen[0] == "response.created"


@wires
def test_a_complete_stream_is_one_well_formed_block_per_event(fake, gateways, wire):
    gw = gateways(wire)
    response = gw.http.post("/v1/responses", json=BODY)
    events = blocks(response.content)
    assert events[0]["type"] == "response.created"
    assert events[-1]["type"] == "response.completed"
    assert [e["sequence_number"] for e in events] == list(range(len(events)))


@wires
def test_a_broken_stream_ends_with_error_then_failed_and_is_logged_as_interrupted(
        fake, gateways, wire):
    gw = gateways(wire)
    fake.set_fault("a", Fault(FaultKind.STREAM_CUT, after_chunks=4))
    response = gw.http.post("/v1/responses", json=BODY)
    events = blocks(response.content)
    assert [e["type"] for e in events[-2:]] == ["error", "response.failed"]
    assert events[-2]["code"] == "stream_interrupted"
    metrics = gw.http.get("/metrics").text.replace(" ", "")
    assert 'deployment="a",status="502"' in metrics


@wires
def test_the_response_id_is_tianjis_and_the_same_on_every_event(fake, gateways, wire):
    gw = gateways(wire)
    ids = []
    for _ in range(2):
        events = blocks(gw.http.post("/v1/responses", json=BODY).content)
        streamed = {e["response"]["id"] for e in events if "response" in e}
        assert len(streamed) == 1
        ids.append(streamed.pop())
    answer = gw.client.responses.create(model="auto", input="Say hello")
    assert all(i.startswith("resp_") for i in [*ids, answer.id])
    assert len({*ids, answer.id}) == 3


@pytest.fixture(scope="module")
def early():
    server = EarlyEndProvider()
    with serving(server):
        yield server


@pytest.fixture
def through_litellm(fake, early, monkeypatch):
    monkeypatch.setenv("TIANJI_LEAN_TRANSPORT", "0")
    gateways = {}
    with run_gateway(fast_config([[_early_deployment(early, "openai")]])) as gateways["openai"], \
            run_gateway(fast_config([[_early_deployment(early, "anthropic")]])) as gateways[
                "anthropic"]:
        yield gateways


@wires
def test_a_stream_through_litellm_ending_before_its_finish_reason_is_not_completed(
        early, through_litellm, wire):
    early.cut_after[wire] = WHOLE_TEXT_NO_FINISH[wire]
    response = through_litellm[wire].http.post("/v1/responses", json=BODY)
    events = blocks(response.content)
    kinds = [e["type"] for e in events]
    assert "response.completed" not in kinds
    assert kinds[-2:] == ["error", "response.failed"]
    assert "ended before the answer was complete" in events[-2]["message"]
