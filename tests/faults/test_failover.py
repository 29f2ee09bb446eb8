"""Failures that move a request elsewhere (or must not): context length, content filter,
bad keys, a flapping provider, a whole tier down, everything down."""

from __future__ import annotations

import time

import pytest

from router.fakeprovider import Fault, FaultKind, closed_port_url
from tests.conftest import deployment, run_gateway
from tests.faults.support import (
    NO_HANG_S,
    STALL_ATTEMPT,
    WIRES,
    assert_openai_error,
    assert_served,
    calls,
    chat,
    deployments_state,
    fast_config,
)
from tests.waiting import wait_for

wires = pytest.mark.parametrize("wire", WIRES)
stream_modes = pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
DOWN = {
    "500": Fault(FaultKind.HTTP_ERROR, status=500),
    "503": Fault(FaultKind.HTTP_ERROR, status=503),
    "reset": Fault(FaultKind.RESET),
    "html-502": Fault(FaultKind.NON_JSON, status=502),
}


def three_tiers(fake, wire, **resilience):
    return fast_config([[deployment(fake, "s1", wire), deployment(fake, "s2", wire)],
                        [deployment(fake, "m1", wire)],
                        [deployment(fake, "l1", wire)]], **resilience)


@pytest.fixture
def tiers(fake, gateways):
    """Shared gateway: small = s1, s2; medium = m1; large = l1."""
    return lambda wire: gateways.get(f"tiers-{wire}", lambda: three_tiers(fake, wire))


@pytest.fixture
def windows(fake, gateways):
    """Shared gateway with known context windows: small = c16k, c8k, c32k; medium = m4k;
    large = l200k."""

    def get(wire: str):
        def build():
            def dep(name: str, window: int):
                return deployment(fake, name, wire, max_context=window)

            return fast_config([[dep("c16k", 16_000), dep("c8k", 8_000), dep("c32k", 32_000)],
                                [dep("m4k", 4_000)], [dep("l200k", 200_000)]])

        return gateways.get(f"windows-{wire}", build)

    return get


# context_length_exceeded


@wires
@stream_modes
def test_context_length_error_moves_to_a_larger_window_and_never_a_smaller_one(
    fake, windows, wire, stream
):
    fake.set_fault("c16k", Fault(FaultKind.CONTEXT_LENGTH))
    result = chat(windows(wire), stream=stream)
    assert_served(result, "c32k", tier="small")
    assert calls(fake, "c16k") == 1  # not retried: the same window would fail the same way
    assert calls(fake, "c8k") == 0  # smaller window: skipped
    assert calls(fake, "c32k") == 1


@wires
def test_context_length_escalates_past_a_smaller_window_in_a_higher_tier(fake, windows, wire):
    fake.set_fault("c16k", Fault(FaultKind.CONTEXT_LENGTH))
    fake.set_fault("c32k", Fault(FaultKind.CONTEXT_LENGTH))
    result = chat(windows(wire))
    assert_served(result, "l200k", tier="large")
    assert calls(fake, "c8k") == 0
    assert calls(fake, "m4k") == 0  # medium's 4k window is smaller than 32k: never tried


@stream_modes
def test_context_length_everywhere_is_the_clients_400_not_an_upstream_failure(
    fake, windows, stream
):
    for dep in ("c16k", "c32k", "l200k"):
        fake.set_fault(dep, Fault(FaultKind.CONTEXT_LENGTH))
    result = chat(windows("openai"), stream=stream)
    assert result.status == 400, result.body
    assert_openai_error(result.body, "context_length_exceeded")
    assert calls(fake, "c8k") == calls(fake, "m4k") == 0


# content filter


@wires
@stream_modes
def test_content_filter_is_returned_to_the_client_and_not_retried_elsewhere(
    fake, tiers, wire, stream
):
    fake.set_fault("s1", Fault(FaultKind.CONTENT_FILTER))
    result = chat(tiers(wire), stream=stream)
    assert result.status == 400
    assert not result.streamed
    error = assert_openai_error(result.body, "content_filter")
    assert error["type"] == "invalid_request_error"
    assert calls(fake, "s1") == 1
    assert calls(fake, "s2") == calls(fake, "m1") == calls(fake, "l1") == 0
    assert deployments_state(tiers(wire))["s1"]["state"] == "ok"  # not the provider's fault


# bad key at one cloud


@wires
@stream_modes
@pytest.mark.parametrize("status", [401, 403])
def test_bad_key_cools_the_deployment_down_at_once_and_moves_on(
    fake, tiers, wire, stream, status
):
    fake.set_fault("s1", Fault(FaultKind.HTTP_ERROR, status=status))
    gw = tiers(wire)
    first = chat(gw, stream=stream)
    assert_served(first, "s2", tier="small")
    assert calls(fake, "s1") == 1  # an auth error is not retried
    state = deployments_state(gw)["s1"]
    assert state["state"] == "cooldown" and state["cooldown_remaining_s"] > 0
    second = chat(gw, stream=stream)
    assert_served(second, "s2")
    assert calls(fake, "s1") == 1  # skipped while cooling down
    assert calls(fake, "s2") == 2


# a flapping provider


def test_flapping_provider_is_cooled_down_then_gets_traffic_back(fake):
    config = three_tiers(fake, "openai", cooldown_s=1.0, failures_before_cooldown=2)
    fake.set_fault("s1", Fault(FaultKind.HTTP_ERROR, status=503, times=2))
    with run_gateway(config) as gw:
        assert_served(chat(gw), "s2")  # s1 fails twice (try + retry): cooldown
        assert calls(fake, "s1") == 2
        assert deployments_state(gw)["s1"]["state"] == "cooldown"
        assert_served(chat(gw), "s2")  # still cooling: s1 is not even tried
        assert calls(fake, "s1") == 2
        wait_for(lambda: deployments_state(gw)["s1"]["state"] == "ok", "the cooldown to end",
                 timeout=NO_HANG_S)
        assert_served(chat(gw), "s1")  # recovered: traffic returns
        assert calls(fake, "s1") == 3
        assert deployments_state(gw)["s1"]["consecutive_failures"] == 0


def test_a_failure_right_after_cooldown_reopens_the_circuit_at_once(fake):
    config = three_tiers(fake, "openai", cooldown_s=1.0, failures_before_cooldown=2)
    fake.set_fault("s1", Fault(FaultKind.HTTP_ERROR, status=503, times=3))
    with run_gateway(config) as gw:
        assert_served(chat(gw), "s2")
        wait_for(lambda: deployments_state(gw)["s1"]["state"] == "ok", "the cooldown to end",
                 timeout=NO_HANG_S)
        assert_served(chat(gw), "s2")  # half-open probe fails: no retry, straight back to cooldown
        assert calls(fake, "s1") == 3
        assert deployments_state(gw)["s1"]["state"] == "cooldown"
        wait_for(lambda: deployments_state(gw)["s1"]["state"] == "ok", "the cooldown to end",
                 timeout=NO_HANG_S)
        assert_served(chat(gw), "s1")


# a whole tier down


@wires
@stream_modes
@pytest.mark.parametrize("down", list(DOWN), ids=str)
def test_whole_tier_down_escalates_and_says_which_tier_served(fake, tiers, wire, stream, down):
    for dep in ("s1", "s2"):
        fake.set_fault(dep, DOWN[down])
    result = chat(tiers(wire), "[easy] hi", stream=stream)
    assert_served(result, "m1", tier="medium")
    assert result.headers["x-tianji-model"].endswith("fake-m1")
    assert calls(fake, "s1") >= 2 and calls(fake, "s2") >= 2
    assert calls(fake, "l1") == 0


def test_a_pinned_tier_does_not_escalate(fake, tiers):
    for dep in ("s1", "s2"):
        fake.set_fault(dep, DOWN["503"])
    result = chat(tiers("openai"), model="small")
    assert result.status == 503
    assert_openai_error(result.body)
    assert calls(fake, "m1") == calls(fake, "l1") == 0


# every deployment down


@stream_modes
@pytest.mark.parametrize("down", list(DOWN), ids=str)
def test_everything_down_is_a_fast_clear_503_naming_what_was_tried(fake, tiers, stream, down):
    for dep in ("s1", "s2", "m1", "l1"):
        fake.set_fault(dep, DOWN[down])
    result = chat(tiers("openai"), stream=stream)
    assert result.status == 503, result.body
    assert not result.streamed  # nothing was sent yet, so a plain JSON error
    error = assert_openai_error(result.body)
    for dep in ("s1", "s2", "m1", "l1"):
        assert dep in error["message"], error
    assert result.elapsed < NO_HANG_S


@stream_modes
def test_everything_refusing_connections_is_a_503(fake, stream):
    def refused(name):
        return deployment(fake, name, api_base=closed_port_url() + "/v1")

    config = fast_config([[refused("r1"), refused("r2")], [refused("r3")]])
    with run_gateway(config) as gw:
        result = chat(gw, stream=stream)
    assert result.status == 503, result.body
    error = assert_openai_error(result.body)
    assert all(name in error["message"] for name in ("r1", "r2", "r3"))
    assert result.elapsed < NO_HANG_S


def test_everything_cooling_down_is_a_503_without_calling_anyone(fake, tiers):
    gw = tiers("openai")
    for dep in ("s1", "s2", "m1", "l1"):
        gw.health.record_failure(dep, "test", cool_now=True)
    result = chat(gw)
    assert result.status == 503
    error = assert_openai_error(result.body, "all_deployments_cooling_down")
    assert all(dep in error["message"] for dep in ("s1", "s2", "m1", "l1"))
    assert sum(calls(fake, d) for d in ("s1", "s2", "m1", "l1")) == 0
    assert result.elapsed < NO_HANG_S
    ready = gw.http.get("/readyz")
    assert ready.status_code == 503 and ready.json()["status"] == "not_ready"


@stream_modes
def test_everything_stalled_ends_at_the_request_deadline(fake, gateways, stream):
    gw = gateways.get("stalled", lambda: three_tiers(fake, "openai", **STALL_ATTEMPT))
    for dep in ("s1", "s2", "m1", "l1"):
        fake.set_fault(dep, Fault(FaultKind.STALL, delay=30))
    started = time.monotonic()
    result = chat(gw, stream=stream)
    assert time.monotonic() - started < NO_HANG_S
    assert result.status == 504, result.body
    assert_openai_error(result.body, "deadline_exceeded")
