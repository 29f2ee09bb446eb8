"""The retry walk at one deployment, as the client and the request log see it: how many calls
a deployment gets, how long the gateway waits between them, what the deadline cuts, and what
each attempt is logged as.

Each test starts its own gateway with the resilience numbers it is about (the shared ones in
tests/faults/support.py retry once), arms the fake provider, and sends one request.
"""

from __future__ import annotations

from typing import Any

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import Gateway, deployment, run_gateway
from tests.faults.support import (
    NO_HANG_S,
    assert_openai_error,
    assert_served,
    calls,
    chat,
    fast_config,
    log_records,
)

stream_modes = pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])


def pair(fake: Any, **resilience: Any) -> Any:
    return fast_config([[deployment(fake, "a"), deployment(fake, "b")]], **resilience)


def request_line(lines: list[str], result: Any) -> dict[str, Any]:
    """The request's one log line."""
    (line,) = [r for r in log_records(lines, "request")
               if r["request_id"] == result.headers["x-request-id"]]
    return line


def attempt_path(lines: list[str], result: Any) -> list[tuple[str, str, str]]:
    """(deployment, outcome, action) of each attempt in the request's log line."""
    return [(a["deployment"], a["outcome"], a["action"])
            for a in request_line(lines, result)["attempt_path"]]


def started(gw: Gateway, request: pytest.FixtureRequest) -> list[str]:
    return request.getfixturevalue("log_lines")  # after the gateway configured logging


@stream_modes
def test_retries_are_spaced_by_the_configured_backoff_then_the_next_deployment(
    fake, request, stream
):
    # Three retries 10-50 ms apart fit the 2.5 s deadline many times over; a wait of a second
    # between them would not leave time for b.
    config = pair(fake, retries=3, failures_before_cooldown=10, request_timeout_s=2.5)
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=500))
    with run_gateway(config) as gw:
        lines = started(gw, request)
        result = chat(gw, stream=stream)
    assert_served(result, "b")
    assert calls(fake, "a") == 4 and calls(fake, "b") == 1
    assert result.headers["x-tianji-attempts"] == "5"
    assert attempt_path(lines, result) == [
        ("a", "transient", "retry"), ("a", "transient", "retry"), ("a", "transient", "retry"),
        ("a", "transient", "next"), ("b", "ok", "served")]


def test_a_deployment_its_failures_cool_down_gets_no_more_retries(fake, request):
    config = pair(fake, retries=3, failures_before_cooldown=2)
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=503))
    with run_gateway(config) as gw:
        lines = started(gw, request)
        result = chat(gw)
        assert gw.health.cooling_for("a") > 0
    assert_served(result, "b")
    assert calls(fake, "a") == 2  # the second failure opened the circuit: no third call
    assert attempt_path(lines, result) == [
        ("a", "transient", "retry"), ("a", "transient", "cooldown"), ("b", "ok", "served")]


def test_a_client_error_is_logged_as_returned_and_a_stall_as_left(fake, request):
    config = pair(fake, retries=2, first_token_timeout_s=1.0)
    with run_gateway(config) as gw:
        lines = started(gw, request)
        fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=400))
        rejected = chat(gw)
        fake.set_fault("a", Fault(FaultKind.HEADERS_STALL, delay=30))
        stalled = chat(gw)
    assert rejected.status == 400
    assert attempt_path(lines, rejected) == [("a", "client", "return")]
    assert_served(stalled, "b")
    assert attempt_path(lines, stalled) == [("a", "stall", "next"), ("b", "ok", "served")]


def test_a_failure_near_the_deadline_is_still_retried_when_the_backoff_fits(fake, request):
    # The first call fails 3.3 s into a 4 s deadline; the retry's 10-50 ms backoff fits.
    config = pair(fake, request_timeout_s=4, attempt_timeout_s=4)
    fake.set_fault("a", Fault(FaultKind.STALL, delay=3.3, close=True, times=1))
    with run_gateway(config) as gw:
        result = chat(gw)
    assert_served(result, "a")
    assert calls(fake, "a") == 2 and calls(fake, "b") == 0


@stream_modes
def test_a_backoff_longer_than_the_deadline_ends_at_the_deadline(fake, stream):
    config = pair(fake, backoff_initial_s=30, backoff_max_s=30, request_timeout_s=2,
                  attempt_timeout_s=1.5)
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=500, times=1))
    with run_gateway(config) as gw:
        result = chat(gw, stream=stream)
    assert result.elapsed < NO_HANG_S  # not after the 30 s backoff
    assert result.status == 504, result.body
    error = assert_openai_error(result.body, "deadline_exceeded")
    assert error["message"].startswith("The request deadline of 2s passed before any "
                                       "deployment answered. Tried: a (openai): ")
    assert "b (openai)" not in error["message"]  # nothing is tried once the deadline passed
    assert calls(fake, "b") == 0


def test_the_next_deployment_is_tried_while_the_deadline_has_time_left(fake):
    # a fails 3.3 s into a 4 s deadline and is not retried: b still has time to answer.
    config = pair(fake, retries=0, request_timeout_s=4, attempt_timeout_s=4)
    fake.set_fault("a", Fault(FaultKind.STALL, delay=3.3, close=True))
    with run_gateway(config) as gw:
        result = chat(gw)
    assert_served(result, "b")
    assert calls(fake, "a") == 1


def test_a_skipped_deployment_is_in_the_log_but_not_counted_as_a_call(fake, request):
    config = pair(fake, cooldown_s=0.9)
    with run_gateway(config) as gw:
        lines = started(gw, request)
        gw.health.record_failure("a", "test", cool_now=True)
        result = chat(gw)  # well inside a's 0.9 s cooldown
    assert_served(result, "b")
    assert calls(fake, "a") == 0
    assert result.headers["x-tianji-attempts"] == "1"
    assert attempt_path(lines, result) == [("a", "skipped", "skip"), ("b", "ok", "served")]
    line = request_line(lines, result)
    assert [a["tier"] for a in line["attempt_path"]] == ["small", "small"]
    assert line["attempts"] == 1


def test_after_a_context_length_error_an_equal_window_is_skipped(fake, request):
    def dep(name: str, window: int) -> dict:
        return deployment(fake, name, max_context=window)

    config = fast_config([[dep("w16", 16_000), dep("same16", 16_000), dep("w32", 32_000)]])
    fake.set_fault("w16", Fault(FaultKind.CONTEXT_LENGTH))
    with run_gateway(config) as gw:
        lines = started(gw, request)
        result = chat(gw)
    assert_served(result, "w32")
    assert calls(fake, "same16") == 0
    assert result.headers["x-tianji-attempts"] == "2"
    assert attempt_path(lines, result) == [
        ("w16", "context_length", "next"), ("same16", "skipped", "skip"), ("w32", "ok", "served")]
    line = request_line(lines, result)
    assert [a["tier"] for a in line["attempt_path"]] == ["small", "small", "small"]


def test_each_attempt_logs_how_long_it_took(fake, request):
    config = pair(fake, first_token_timeout_s=1.0)
    fake.set_fault("a", Fault(FaultKind.HEADERS_STALL, delay=30))
    with run_gateway(config) as gw:
        lines = started(gw, request)
        result = chat(gw)
    assert_served(result, "b")
    line = request_line(lines, result)
    stalled, served = line["attempt_path"]
    # The stall was left at first_token_timeout_s, within what the client waited.
    assert 950 <= stalled["elapsed_ms"] <= result.elapsed * 1000
    assert 0 <= served["elapsed_ms"] <= result.elapsed * 1000 - stalled["elapsed_ms"]
