"""The per-deployment circuit breaker (router/health.py), on a clock the test moves.

README: after `failures_before_cooldown` consecutive failures, or at once on an auth error, a
deployment is skipped for `cooldown_s`; when the cooldown ends it is tried again (half-open):
one success closes the circuit, one more failure opens it for another `cooldown_s`.
"""

from __future__ import annotations

import pytest

from router.health import Health


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def health(clock: Clock) -> Health:
    return Health(cooldown_s=30, failures_before_cooldown=3, clock=clock)


def test_a_deployment_never_seen_may_be_called(health):
    assert health.cooling_for("east") == 0.0


def test_the_third_consecutive_failure_starts_the_cooldown(health, clock):
    assert health.record_failure("east", "InternalServerError") is False
    assert health.record_failure("east", "InternalServerError") is False
    assert health.cooling_for("east") == 0.0
    assert health.record_failure("east", "InternalServerError") is True
    assert health.cooling_for("east") == 30.0
    clock.now += 10
    assert health.cooling_for("east") == 20.0
    clock.now += 20
    assert health.cooling_for("east") == 0.0


def test_a_success_resets_the_streak(health):
    health.record_failure("east", "Timeout")
    health.record_failure("east", "Timeout")
    health.record_success("east")
    assert health.record_failure("east", "Timeout") is False
    assert health.record_failure("east", "Timeout") is False
    assert health.cooling_for("east") == 0.0


def test_an_auth_error_cools_down_at_once(health):
    assert health.record_failure("east", "AuthenticationError", cool_now=True) is True
    assert health.cooling_for("east") == 30.0


def test_after_the_cooldown_one_failure_reopens_the_circuit(health, clock):
    health.record_failure("east", "AuthenticationError", cool_now=True)
    clock.now += 30  # the cooldown has just ended: half-open
    assert health.cooling_for("east") == 0.0
    assert health.record_failure("east", "Timeout") is True  # second failure only, still cools
    assert health.cooling_for("east") == 30.0


def test_after_the_cooldown_one_success_closes_the_circuit(health, clock):
    health.record_failure("east", "AuthenticationError", cool_now=True)
    clock.now += 31
    health.record_success("east")
    assert health.record_failure("east", "Timeout") is False
    assert health.cooling_for("east") == 0.0


def test_a_failure_during_the_cooldown_does_not_extend_it_until_the_streak_says_so(health, clock):
    health.record_failure("east", "AuthenticationError", cool_now=True)
    clock.now += 10
    assert health.record_failure("east", "Timeout") is False  # streak 2 of 3, not half-open
    assert health.cooling_for("east") == 20.0


def test_the_snapshot_counts_every_success_and_failure(health, clock):
    for _ in range(2):
        health.record_success("east")
        health.record_failure("east", "Timeout")
    snapshot = health.snapshot(["east"])["east"]
    assert (snapshot["successes"], snapshot["failures"], snapshot["consecutive_failures"]) == (
        2, 2, 1)


def test_a_deployment_is_in_cooldown_until_its_last_moment(health, clock):
    health.record_failure("east", "AuthenticationError", cool_now=True)
    clock.now += 29.5
    assert health.snapshot(["east"])["east"]["state"] == "cooldown"
    assert health.snapshot(["east"])["east"]["cooldown_remaining_s"] == 0.5


def test_deployments_are_independent(health):
    health.record_failure("east", "AuthenticationError", cool_now=True)
    assert health.cooling_for("west") == 0.0


def test_the_snapshot_is_what_v1_deployments_shows(health, clock):
    health.record_success("east")
    health.record_failure("east", "RateLimitError")
    health.record_failure("west", "AuthenticationError", cool_now=True)
    clock.now += 0.12345
    snapshot = health.snapshot(["east", "west", "idle"])
    assert snapshot["east"] == {"state": "ok", "cooldown_remaining_s": 0.0,
                                "consecutive_failures": 1, "successes": 1, "failures": 1,
                                "last_error": "RateLimitError"}
    assert snapshot["west"] == {"state": "cooldown", "cooldown_remaining_s": 29.877,
                                "consecutive_failures": 1, "successes": 0, "failures": 1,
                                "last_error": "AuthenticationError"}
    assert snapshot["idle"] == {"state": "ok", "cooldown_remaining_s": 0.0,
                                "consecutive_failures": 0, "successes": 0, "failures": 0,
                                "last_error": ""}
