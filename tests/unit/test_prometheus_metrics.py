"""The series GET /metrics exposes (router/telemetry.py), read from the exposition text.

README: requests by tier and status, fallbacks, spend, what the same tokens would have cost on
the top tier's first deployment, and latency.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from router.telemetry import Metrics
from router.upstream import Attempt


def served(tier: str, deployment: str, attempts: int, compared: int = 0) -> SimpleNamespace:
    """What Metrics reads of an answered request: its candidate and its attempts (the
    failed ones first, `compared` answers of the verified cascade, the answer last)."""
    candidate = SimpleNamespace(tier=tier, deployment=SimpleNamespace(name=deployment))
    made = [Attempt(deployment, tier, "server_error", "next")] * (attempts - 1)
    made += [Attempt("partner", tier, "ok", "compared")] * compared
    return SimpleNamespace(candidate=candidate,
                           attempts=[*made, Attempt(deployment, tier, "ok", "served")])


def series(metrics: Metrics) -> dict[str, float]:
    body, content_type = metrics.render()
    assert content_type.startswith("text/plain; version=")
    out = {}
    for line in body.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


@pytest.fixture
def metrics() -> Metrics:
    m = Metrics()
    m.observe(served("small", "haiku-east", attempts=1), cost=0.001, baseline=0.06, seconds=0.2)
    m.observe(served("small", "haiku-west", attempts=2), cost=0.002, baseline=0.09, seconds=3.0)
    m.observe(served("large", "opus-east", attempts=1), cost=0.05, baseline=0.05, seconds=12.0)
    m.observe_error("small", 503)
    m.observe_error("large", 429)
    return m


def test_answered_requests_are_counted_by_tier_deployment_and_status(metrics):
    s = series(metrics)
    assert s['tianji_requests_total{deployment="haiku-east",status="200",tier="small"}'] == 1
    assert s['tianji_requests_total{deployment="haiku-west",status="200",tier="small"}'] == 1
    assert s['tianji_requests_total{deployment="opus-east",status="200",tier="large"}'] == 1


def test_failed_requests_are_counted_by_tier_and_status_without_a_deployment(metrics):
    s = series(metrics)
    assert s['tianji_requests_total{deployment="",status="503",tier="small"}'] == 1
    assert s['tianji_requests_total{deployment="",status="429",tier="large"}'] == 1


def test_only_answers_after_a_failed_attempt_count_as_fallbacks(metrics):
    s = series(metrics)
    assert s['tianji_fallback_requests_total{tier="small"}'] == 1
    assert 'tianji_fallback_requests_total{tier="large"}' not in s


def test_answers_the_verified_cascade_compared_are_no_fallback():
    m = Metrics()
    m.observe(served("medium", "sonnet", attempts=1, compared=2), cost=0.01, baseline=0.05,
              seconds=1.0)
    m.observe_verification("escalated", "medium", 0.002)
    s = series(m)
    assert 'tianji_fallback_requests_total{tier="medium"}' not in s
    assert s['tianji_verified_requests_total{outcome="escalated",tier="medium"}'] == 1
    assert s["tianji_verification_cost_usd_total"] == pytest.approx(0.002)


def test_spend_by_tier_and_the_baseline_it_is_compared_with(metrics):
    s = series(metrics)
    assert s['tianji_cost_usd_total{tier="small"}'] == pytest.approx(0.003)
    assert s['tianji_cost_usd_total{tier="large"}'] == pytest.approx(0.05)
    assert s["tianji_baseline_cost_usd_total"] == pytest.approx(0.2)


def test_latency_is_a_histogram_per_tier(metrics):
    s = series(metrics)
    assert s['tianji_request_seconds_count{tier="small"}'] == 2
    assert s['tianji_request_seconds_sum{tier="small"}'] == pytest.approx(3.2)
    assert s['tianji_request_seconds_bucket{le="0.25",tier="small"}'] == 1
    assert s['tianji_request_seconds_bucket{le="2.5",tier="small"}'] == 1
    assert s['tianji_request_seconds_bucket{le="5.0",tier="small"}'] == 2
    assert s['tianji_request_seconds_bucket{le="10.0",tier="large"}'] == 0
    assert s['tianji_request_seconds_bucket{le="30.0",tier="large"}'] == 1
    buckets = [k for k in s if k.startswith('tianji_request_seconds_bucket{le=') and 'small' in k]
    bounds = [k.split('le="')[1].split('"')[0] for k in buckets]
    assert bounds == ["0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "30.0", "60.0",
                      "+Inf"]


def test_each_gateway_has_its_own_registry():
    first, second = Metrics(), Metrics()
    first.observe_error("small", 500)
    assert 'tianji_requests_total{deployment="",status="500",tier="small"}' not in series(second)
