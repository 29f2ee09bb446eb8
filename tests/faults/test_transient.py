"""Transient upstream failures: retried on the same deployment, then the next one.

Each test arms the fake, sends one request through the real gateway, and checks
what the client saw (status, headers, body or stream) and what each fake
deployment saw (how many calls). Config: retries=1, so a deployment gets at
most two calls per request before the gateway moves on.
"""

from __future__ import annotations

import pytest

from router.fakeprovider import Fault, FaultKind, closed_port_url
from tests.conftest import deployment
from tests.faults.support import (
    NO_HANG_S,
    STALL_ATTEMPT,
    WIRES,
    assert_openai_error,
    assert_served,
    calls,
    chat,
    fast_config,
)
from tests.waiting import wait_for

TRANSIENT_STATUSES = (429, 500, 502, 503, 504)
stream_modes = pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
wires = pytest.mark.parametrize("wire", WIRES)


def two_deployments(fake, wire, **resilience):
    return fast_config([[deployment(fake, "a", wire), deployment(fake, "b", wire)]], **resilience)


@pytest.fixture
def pair(fake, gateways):
    """A shared gateway whose one tier is deployments a then b, speaking `wire`."""
    return lambda wire: gateways.get(wire, lambda: two_deployments(fake, wire))


@wires
@stream_modes
@pytest.mark.parametrize("status", TRANSIENT_STATUSES)
def test_one_transient_error_is_retried_on_the_same_deployment(
    fake, pair, wire, stream, status
):
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=status, times=1))
    result = chat(pair(wire), stream=stream)
    assert_served(result, "a")
    assert result.headers["x-tianji-attempts"] == "2"
    assert [c.status for c in fake.calls("a")] == [status, 200]
    assert calls(fake, "b") == 0


@wires
@stream_modes
@pytest.mark.parametrize("status", TRANSIENT_STATUSES)
def test_persistent_transient_error_falls_over_to_the_next_deployment(
    fake, pair, wire, stream, status
):
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=status))
    result = chat(pair(wire), stream=stream)
    assert_served(result, "b")
    assert result.headers["x-tianji-attempts"] == "3"
    assert calls(fake, "a") == 2  # first try + one retry
    assert calls(fake, "b") == 1


@wires
@stream_modes
def test_429_with_retry_after_waits_at_least_that_long_before_retrying(fake, pair, wire, stream):
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=429, retry_after=0.4, times=1))
    result = chat(pair(wire), stream=stream)
    assert_served(result, "a")
    first, second = fake.calls("a")
    assert first.status == 429
    # The backoff is 10-50 ms: only honouring Retry-After makes the gap this long.
    assert second.started - first.started >= 0.38
    assert calls(fake, "b") == 0


@wires
def test_429_without_retry_after_is_retried_after_the_short_backoff(fake, pair, wire):
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=429, times=1))
    result = chat(pair(wire))
    assert_served(result, "a")
    assert [c.status for c in fake.calls("a")] == [429, 200]
    assert calls(fake, "b") == 0


@wires
def test_retry_after_beyond_the_deadline_falls_over_at_once_instead_of_sleeping(
    fake, pair, wire
):
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=429, retry_after=60))
    result = chat(pair(wire))
    assert_served(result, "b")
    assert result.elapsed < 3.5  # inside the 4 s deadline: it did not wait 60 s
    assert calls(fake, "a") == 1
    assert calls(fake, "b") == 1


@pytest.mark.parametrize("retry_after", [None, 7], ids=["no-retry-after", "retry-after"])
@stream_modes
def test_every_deployment_rate_limited_is_a_429_with_the_providers_retry_after(
    fake, pair, stream, retry_after
):
    for dep in ("a", "b"):
        fake.set_fault(dep, Fault(FaultKind.HTTP_ERROR, status=429, retry_after=retry_after))
    # Retry-After 7 s is past the 4 s deadline, so no deployment is retried: one call each.
    result = chat(pair("openai"), stream=stream)
    assert result.status == 429
    assert not result.streamed
    error = assert_openai_error(result.body, "rate_limit_exceeded")
    assert error["type"] == "rate_limit_error"
    assert "a (openai):" in error["message"] and "b (openai):" in error["message"]
    if retry_after is None:
        assert "retry-after" not in result.headers
    else:
        assert result.headers["retry-after"] == "7"
        assert calls(fake, "a") == calls(fake, "b") == 1
    assert result.elapsed < NO_HANG_S


@wires
@stream_modes
def test_connection_refused_falls_over_to_the_next_deployment(fake, gateways, wire, stream):
    base = closed_port_url() + ("/v1" if wire == "openai" else "")
    gw = gateways.get(f"refused-{wire}", lambda: fast_config(
        [[deployment(fake, "a", wire, api_base=base), deployment(fake, "b", wire)]]))
    result = chat(gw, stream=stream)
    assert_served(result, "b")
    assert result.headers["x-tianji-attempts"] == "3"  # refused twice (try + retry), then b
    assert calls(fake, "a") == 0
    assert calls(fake, "b") == 1


@wires
@stream_modes
def test_connection_reset_before_the_headers_is_retried_then_falls_over(fake, pair, wire, stream):
    fake.set_fault("a", Fault(FaultKind.RESET))
    result = chat(pair(wire), stream=stream)
    assert_served(result, "b")
    assert result.headers["x-tianji-attempts"] == "3"  # two attempts at a, then b
    # litellm's Anthropic transport (aiohttp) re-sends once on a reset pooled connection,
    # so the provider may see each gateway attempt twice.
    assert calls(fake, "a") == 2 if wire == "openai" else 2 <= calls(fake, "a") <= 4
    assert all(c.status is None for c in fake.calls("a"))  # no status line was ever sent
    assert calls(fake, "b") == 1


@wires
@stream_modes
def test_one_connection_reset_is_retried_on_the_same_deployment(fake, pair, wire, stream):
    fake.set_fault("a", Fault(FaultKind.RESET, times=1))
    result = chat(pair(wire), stream=stream)
    assert_served(result, "a")
    assert calls(fake, "a") == 2
    assert calls(fake, "b") == 0


@wires
@stream_modes
def test_stall_before_the_headers_hits_the_attempt_deadline_then_falls_over(
    fake, gateways, wire, stream
):
    fake.set_fault("a", Fault(FaultKind.STALL, delay=30))
    gw = gateways.get(f"stall-{wire}", lambda: two_deployments(fake, wire, **STALL_ATTEMPT))
    result = chat(gw, stream=stream)
    assert_served(result, "b")
    assert result.elapsed < NO_HANG_S
    assert calls(fake, "a") == 2  # each attempt cut at attempt_timeout_s, then b
    assert calls(fake, "b") == 1
    # The gateway hung up on both stalled attempts rather than leaving them open.
    stalled = fake.calls("a")
    wait_for(lambda: all(c.completed for c in stalled), "the stalled calls to end")
    assert all(c.disconnected for c in stalled), stalled


@wires
@stream_modes
def test_stall_then_close_without_an_answer_falls_over(fake, pair, wire, stream):
    fake.set_fault("a", Fault(FaultKind.STALL, delay=0.05, close=True))
    result = chat(pair(wire), stream=stream)
    assert_served(result, "b")
    assert calls(fake, "a") == 2


@wires
@stream_modes
@pytest.mark.parametrize("status", [500, 502, 503])
def test_non_json_error_body_is_treated_as_that_status(fake, pair, wire, stream, status):
    fake.set_fault("a", Fault(FaultKind.NON_JSON, status=status))
    result = chat(pair(wire), stream=stream)
    assert_served(result, "b")
    assert calls(fake, "a") == 2  # transient: retried once, then the next deployment
    assert calls(fake, "b") == 1


@stream_modes
def test_non_json_errors_everywhere_still_answer_openai_shaped_json(fake, pair, stream):
    for dep in ("a", "b"):
        fake.set_fault(dep, Fault(FaultKind.NON_JSON, status=502))
    result = chat(pair("openai"), stream=stream)
    assert result.status >= 500
    assert result.headers["content-type"].startswith("application/json")
    assert_openai_error(result.body)
