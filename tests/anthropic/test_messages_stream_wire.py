"""The Messages door's stream on the wire: one `event: <type>` and one `data:` line per
event, nothing after `message_stop`; the usage of `message_start` and `message_delta`
priced in the request log; a stream cut after its first event ends with Anthropic's
`error` event naming the deployment, and is logged as interrupted."""

from __future__ import annotations

import json

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment, make_config, run_gateway

VERSION = {"anthropic-version": "2023-06-01"}
BODY = {"model": "auto", "max_tokens": 64, "stream": True,
        "messages": [{"role": "user", "content": "hi"}]}


def blocks(raw: bytes) -> list[dict]:
    """Each SSE block, checked to be `event: <type>` then `data: <JSON of that type>`."""
    text = raw.decode()
    assert text.endswith("\n\n"), text[-200:]
    events = []
    for block in text[:-2].split("\n\n"):
        kind, data = block.split("\n")
        event = json.loads(data.removeprefix("data: "))
        assert kind == f"event: {event['type']}" and data.startswith("data: "), block
        events.append(event)
    return events


@pytest.fixture
def gw(fake, request):
    with run_gateway(make_config([[deployment(fake, "a", request.param)]])) as gateway:
        yield gateway


@pytest.mark.parametrize("gw", ["anthropic", "openai"], indirect=True)
def test_a_stream_is_well_formed_and_ends_at_message_stop(gw):
    response = gw.http.post("/v1/messages", headers=VERSION, json=BODY)
    events = blocks(response.content)
    assert events[0]["type"] == "message_start" and events[-1] == {"type": "message_stop"}


@pytest.mark.parametrize("gw", ["anthropic", "openai"], indirect=True)
def test_the_streams_usage_is_priced_in_the_request_log(gw, log_lines):
    response = gw.http.post("/v1/messages", headers=VERSION, json=BODY)
    events = blocks(response.content)
    (delta,) = [e for e in events if e["type"] == "message_delta"]
    # the later count wins: a translated stream knows its input tokens only at the end
    usage = {**events[0]["message"]["usage"], **delta["usage"]}
    tokens_in, tokens_out = usage["input_tokens"], usage["output_tokens"]
    assert tokens_in > 0 and tokens_out == 8
    (line,) = [json.loads(x) for x in log_lines if '"event": "request"' in x]
    assert line["status"] == 200
    assert line["cost_usd"] == pytest.approx((tokens_in * 1.0 + tokens_out * 5.0) / 1e6)


@pytest.mark.parametrize("gw", ["anthropic", "openai"], indirect=True)
def test_a_cut_stream_ends_with_anthropics_error_event_and_is_logged_502(gw, fake, log_lines):
    fake.set_fault("a", Fault(FaultKind.STREAM_CUT, after_chunks=3))
    response = gw.http.post("/v1/messages", headers=VERSION, json=BODY)
    events = blocks(response.content)
    assert events[0]["type"] == "message_start"
    assert "message_stop" not in [e["type"] for e in events]
    error = events[-1]
    assert set(error) == {"type", "error"} and error["type"] == "error"
    assert error["error"]["type"] == "api_error"
    assert error["error"]["message"].startswith(
        f"The stream from deployment a ({gw.config.tiers[0].deployments[0].provider}) failed "
        "after the answer had started")
    (line,) = [json.loads(x) for x in log_lines if '"event": "request"' in x]
    assert (line["status"], line["error_code"]) == (502, "stream_interrupted")
