"""What an operator sees: Prometheus metrics with spend, baseline spend and fallbacks."""

from __future__ import annotations

import json
import re

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment, make_config, run_gateway


def metric(text: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = rf"^{name}(\{{[^}}]*\}})? (\S+)$"
    total = 0.0
    for match in re.finditer(pattern, text, re.MULTILINE):
        if all(part in (match.group(1) or "") for part in want.split(",") if part):
            total += float(match.group(2))
    return total


def test_metrics_count_requests_spend_savings_and_fallbacks(fake):
    small = deployment(fake, "s1", price={"input": 1.0, "output": 5.0})
    small_b = deployment(fake, "s2", "anthropic", price={"input": 1.0, "output": 5.0})
    large = deployment(fake, "l1", price={"input": 15.0, "output": 75.0})
    config = make_config([[small, small_b], [large]])
    fake.set_fault("s1", Fault(FaultKind.HTTP_ERROR, status=503, times=2))
    with run_gateway(config) as gw:
        for text in ("[easy] a", "[easy] b", "[hard] c"):
            gw.client.chat.completions.create(
                model="auto", messages=[{"role": "user", "content": text}])
        text = gw.http.get("/metrics").text
    assert metric(text, "tianji_requests_total", tier="small", status="200") == 2
    assert metric(text, "tianji_requests_total", tier="medium", status="200") == 1
    assert metric(text, "tianji_fallback_requests_total", tier="small") == 1
    spent = metric(text, "tianji_cost_usd_total")
    baseline = metric(text, "tianji_baseline_cost_usd_total")
    # Two small answers at 1/15 of the top tier's price plus one top-tier answer.
    assert 0 < spent < baseline
    assert metric(text, "tianji_cost_usd_total", tier="medium") > metric(
        text, "tianji_cost_usd_total", tier="small")


def test_refused_requests_are_counted_and_logged_without_a_request_log(fake, request):
    """401, 431 and 405 never reach a front door; each is still one count and one line."""
    config = make_config([[deployment(fake, "s1")]], server={"api_keys": ["gateway-key-0123"]})
    auth = {"authorization": "Bearer gateway-key-0123"}
    with run_gateway(config) as gw:
        lines = request.getfixturevalue("log_lines")  # after the gateway set up logging
        unauthorized = gw.http.post("/v1/chat/completions", json={})
        crowded = gw.http.get("/v1/models", headers={f"x-h{i}": "1" for i in range(120)})
        wrong_method = gw.http.get("/v1/chat/completions", headers=auth)
        text = gw.http.get("/metrics", headers=auth).text
    assert [r.status_code for r in (unauthorized, crowded, wrong_method)] == [401, 431, 405]
    assert unauthorized.json()["error"]["code"] == "invalid_api_key"
    assert crowded.json()["error"]["code"] == "headers_too_large"
    for status in ("401", "431", "405"):
        assert metric(text, "tianji_requests_total", status=status) == 1
    logged = [json.loads(line) for line in lines if line.startswith('{"event": "request"')]
    assert [(e["status"], e["error_code"], e["front_door"]) for e in logged] == [
        (401, "invalid_api_key", "openai-chat"), (431, "headers_too_large", "/v1/models"),
        (405, None, "openai-chat")]


@pytest.mark.parametrize(("path", "body"), [
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": "[easy] hi"}]}),
    ("/v1/responses", {"input": "[easy] hi"}),
], ids=["chat", "responses"])
def test_a_stream_cut_mid_answer_counts_as_502_not_200(fake, path, body):
    config = make_config([[deployment(fake, "s1")]])
    fake.set_fault("s1", Fault(FaultKind.STREAM_CUT, after_chunks=4))
    with run_gateway(config) as gw:
        with gw.http.stream("POST", path, json={"model": "auto", "stream": True, **body}) as r:
            streamed = "".join(r.iter_text())
        text = gw.http.get("/metrics").text
    assert r.status_code == 200 and "stream_interrupted" in streamed
    assert metric(text, "tianji_requests_total", deployment="s1", status="502") == 1
    assert metric(text, "tianji_requests_total", deployment="s1", status="200") == 0
