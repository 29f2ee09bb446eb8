"""Gateways for the Responses API tests: per wire, one tier of deployments a then b, and a
three-tier gateway for routing; each is started once per module."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import Gateway, deployment, make_config, run_gateway

WIRES = ("openai", "anthropic")
# A Claude model litellm knows, so that `reasoning` becomes Claude's `thinking`.
CLAUDE = "anthropic/claude-sonnet-4-5-20250929"


def answer_text(dep_id: str) -> str:
    return f"Hello from {dep_id}! This is a fake answer."


@pytest.fixture(scope="module")
def gateways(fake) -> Iterator[Callable[[str], Gateway]]:
    """`gateways(wire)`: deployments a and b on that wire in one tier. `gateways("tiers")`:
    small (openai s1, anthropic s2), medium (anthropic m1), large (openai l1).
    `gateways("claude")`: one Claude deployment `c` with a model id litellm knows.
    `gateways("mixed")`: one tier, anthropic a then openai o."""
    builds = {
        "openai": lambda: [[deployment(fake, "a"), deployment(fake, "b")]],
        "anthropic": lambda: [[deployment(fake, "a", "anthropic"),
                               deployment(fake, "b", "anthropic")]],
        "tiers": lambda: [[deployment(fake, "s1"), deployment(fake, "s2", "anthropic")],
                          [deployment(fake, "m1", "anthropic")], [deployment(fake, "l1")]],
        "claude": lambda: [[deployment(fake, "c", "anthropic", model=CLAUDE)]],
        "mixed": lambda: [[deployment(fake, "a", "anthropic"), deployment(fake, "o")]],
    }
    started: dict[str, Gateway] = {}
    with contextlib.ExitStack() as stack:

        def get(name: str) -> Gateway:
            if name not in started:
                started[name] = stack.enter_context(run_gateway(make_config(builds[name]())))
            gw = started[name]
            for tier in gw.config.tiers:  # the fake is reset after each test; so is health
                for dep in tier.deployments:
                    gw.health.record_success(dep.name)
            return gw

        yield get
