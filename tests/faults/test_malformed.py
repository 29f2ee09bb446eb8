"""Success statuses with no answer in them are the provider's failure: fall over.

An OpenAI-wire 200 with `choices: []`, or a stream whose events carry no choice
(only usage) before it ends, is not an answer to relay: the next deployment is tried,
as for any malformed answer, before anything reaches the client.
"""

from __future__ import annotations

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment
from tests.faults.support import WIRES, assert_served, calls, chat, fast_config

EMPTY = Fault(FaultKind.EMPTY_ANSWER)


@pytest.fixture
def pair(fake, gateways):
    def get(wire: str, **resilience: object):
        key = f"{wire}-{sorted(resilience.items())}"
        return gateways.get(key, lambda: fast_config(
            [[deployment(fake, "a", wire), deployment(fake, "b", wire)]], retries=0,
            **resilience))

    return get


@pytest.mark.parametrize("wire", WIRES)
@pytest.mark.parametrize("stream, include_usage", [(False, False), (True, False), (True, True)],
                         ids=["json", "stream", "stream-with-usage"])
def test_a_stream_with_no_choice_before_it_ends_falls_over(fake, pair, wire, stream,
                                                          include_usage):
    fake.set_fault("a", EMPTY)
    params = {"stream_options": {"include_usage": True}} if stream and include_usage else {}
    result = chat(pair(wire), stream=stream, **params)
    assert_served(result, "b")
    assert calls(fake, "a") == 1 and calls(fake, "b") == 1


def test_an_openai_200_with_no_choices_falls_over(fake, pair):
    """The JSON path (stream_upstream: false) checks the answer it relays."""
    fake.set_fault("a", EMPTY)
    result = chat(pair("openai", stream_upstream=False))
    assert_served(result, "b")
    assert [c.stream for c in fake.calls("a")] == [False]
