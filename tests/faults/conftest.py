"""Fault-suite fixtures."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pytest

from router.config import Config
from tests.conftest import Gateway, deployment, make_config, run_gateway
from tests.faults.support import chat


@pytest.fixture(scope="session", autouse=True)
def _warm_litellm(fake):
    """The first litellm call in a process pays for lazy imports and client set-up (~0.5 s);
    pay it once here, so that short attempt deadlines in the tests measure the fake."""
    config = make_config([[deployment(fake, "warm-o"), deployment(fake, "warm-a", "anthropic")]])
    with run_gateway(config) as gw:
        for model in ("auto",):
            chat(gw, model=model)
            chat(gw, model=model, stream=True)
        gw.health.record_failure("warm-o", "warm-up", cool_now=True)
        chat(gw)
        chat(gw, stream=True)
    fake.reset()


class GatewayPool:
    """Gateways shared by the tests of one module, started on first use, keyed by name.

    Sharing is safe because the fake is reset after each test and every deployment's
    cooldown / failure streak is cleared after each test (`reset_health`). Tests that
    read health counters, or need other resilience settings, start their own gateway.
    """

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._gateways: dict[str, Gateway] = {}

    def get(self, key: str, build: Callable[[], Config]) -> Gateway:
        if key not in self._gateways:
            self._gateways[key] = self._stack.enter_context(run_gateway(build()))
        return self._gateways[key]

    def reset_health(self) -> None:
        for gw in self._gateways.values():
            for tier in gw.config.tiers:
                for dep in tier.deployments:
                    gw.health.record_success(dep.name)

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="module")
def gateways() -> Iterator[GatewayPool]:
    pool = GatewayPool()
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(autouse=True)
def _reset_shared_health(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "gateways" in request.fixturenames:
        request.getfixturevalue("gateways").reset_health()
