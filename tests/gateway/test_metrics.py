"""What an operator sees: Prometheus metrics with spend, baseline spend and fallbacks."""

from __future__ import annotations

import re

from tests.conftest import deployment, make_config, run_gateway
from router.fakeprovider import Fault, FaultKind


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
