"""An Anthropic SDK client for a running gateway."""

from __future__ import annotations

from collections.abc import Iterator

import anthropic
import pytest

from tests.conftest import Gateway


@pytest.fixture
def claude() -> Iterator[object]:
    """Call `claude(gw)` for an `anthropic.Anthropic` client pointed at the gateway."""
    clients: list[anthropic.Anthropic] = []

    def make(gw: Gateway, api_key: str = "none") -> anthropic.Anthropic:
        client = anthropic.Anthropic(base_url=gw.url, api_key=api_key, max_retries=0, timeout=30)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
