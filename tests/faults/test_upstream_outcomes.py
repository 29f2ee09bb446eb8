"""What a client gets from router/upstream.py when a deployment fails or ends early, checked
where the module's mutation run (docs/mutation.md) showed no test asserting it: the status
and code of a provider's own 400, litellm's console banner kept quiet, and a JSON answer
read through `litellm.acompletion` from a stream that ended before its finish reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import Gateway, deployment, run_gateway
from tests.faults.support import (
    WIRES,
    assert_openai_error,
    assert_served,
    calls,
    chat,
    fast_config,
)
from tests.test_stream_cut_through_litellm import WHOLE_TEXT_NO_FINISH, EarlyEndProvider
from tests.test_stream_cut_through_litellm import _early_deployment as early_deployment

stream_modes = pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
wires = pytest.mark.parametrize("wire", WIRES)


@pytest.fixture
def pair(fake, gateways):
    """A shared gateway whose one tier is deployments a then b, speaking `wire`, no retries."""
    return lambda wire: gateways.get(wire, lambda: fast_config(
        [[deployment(fake, "a", wire), deployment(fake, "b", wire)]], retries=0))


@wires
@stream_modes
def test_a_providers_400_is_a_400_upstream_rejected_and_tried_nowhere_else(
    fake, pair, wire, stream
):
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=400))
    result = chat(pair(wire), stream=stream)
    assert result.status == 400 and not result.streamed
    error = assert_openai_error(result.body, "upstream_rejected")
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith(f"Deployment a ({wire}) rejected the request: ")
    assert calls(fake, "a") == 1 and calls(fake, "b") == 0


@wires
def test_a_failing_provider_prints_no_litellm_banner(fake, monkeypatch, capfd, wire):
    """litellm prints "Give Feedback / Get Help" to stdout for each error it maps unless told
    not to; a gateway's console carries its own log lines only."""
    monkeypatch.setenv("TIANJI_LEAN_TRANSPORT", "0")  # every call through litellm.acompletion
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=500))
    with run_gateway(fast_config([[deployment(fake, "a", wire), deployment(fake, "b", wire)]],
                                 retries=0)) as gw:
        capfd.readouterr()
        result = chat(gw)
    assert_served(result, "b")
    out, err = capfd.readouterr()
    assert "Give Feedback" not in out + err and "LiteLLM.Info" not in out + err


@pytest.fixture(scope="module")
def early() -> Iterator[EarlyEndProvider]:
    from tests.conftest import serving

    server = EarlyEndProvider()
    with serving(server):
        yield server


@pytest.fixture
def through_litellm(fake, early, monkeypatch) -> Iterator[dict[str, Gateway]]:
    """Per wire, a tier of the early-ending provider then the fake, all through acompletion."""
    monkeypatch.setenv("TIANJI_LEAN_TRANSPORT", "0")
    with run_gateway(fast_config([[early_deployment(early, "openai"),
                                   deployment(fake, "next-o")]])) as openai_gw, \
            run_gateway(fast_config([[early_deployment(early, "anthropic"),
                                      deployment(fake, "next-a", "anthropic")]])) as anthropic_gw:
        yield {"openai": openai_gw, "anthropic": anthropic_gw}
    early.user_agents.clear()


@wires
def test_a_json_answer_whose_stream_ended_before_the_finish_reason_falls_over(
    fake, early, through_litellm, wire
):
    """A non-streamed request is streamed from the provider; every word of the answer
    arrived but not the finish reason, so it is not the provider's answer: the next
    deployment answers instead (litellm alone would call the answer complete)."""
    early.cut_after[wire] = WHOLE_TEXT_NO_FINISH[wire]
    result = chat(through_litellm[wire])
    assert_served(result, "next-o" if wire == "openai" else "next-a")
    assert len(early.user_agents) == 2  # the early deployment was retried once, then left


@pytest.fixture
def windows(fake, gateways):
    """A tier of windows 16k, 8k and 32k (tried in that order), no retries."""
    return gateways.get("windows", lambda: fast_config([[
        deployment(fake, "c16k", max_context=16_000), deployment(fake, "c8k", max_context=8_000),
        deployment(fake, "c32k", max_context=32_000)]], retries=0))


def test_context_length_everywhere_names_each_deployment_and_the_skipped_window(fake, windows):
    for dep in ("c16k", "c32k"):
        fake.set_fault(dep, Fault(FaultKind.CONTEXT_LENGTH))
    result = chat(windows)
    assert result.status == 400
    error = assert_openai_error(result.body, "context_length_exceeded")
    assert error["param"] == "messages" and error["type"] == "invalid_request_error"
    prefix = ("The conversation and requested output do not fit the context window of any "
              "deployment that could take it. Tried: c16k (openai): ")
    assert error["message"].startswith(prefix), error["message"]
    tried = error["message"].removeprefix(prefix).split("; ")
    assert len(tried) == 3, tried
    assert tried[1] == ("c8k (openai): skipped, its context window is not larger than one "
                        "that was too small")
    assert tried[2].startswith("c32k (openai): ") and tried[2] != "c32k (openai): "


def _cooling_message(name: str) -> str:
    return rf"{name} \(openai\): skipped, cooling down \(\d+\.\ds left\)"


def test_every_deployment_cooling_down_is_a_503_naming_each_with_its_time_left(fake, pair):
    gw = pair("openai")
    for dep in ("a", "b"):
        gw.health.record_failure(dep, "test", cool_now=True)
    result = chat(gw)
    assert result.status == 503
    error = assert_openai_error(result.body, "all_deployments_cooling_down")
    assert error["type"] == "service_unavailable"
    assert re.fullmatch("Every deployment that could take this request is cooling down. "
                        f"Skipped: {_cooling_message('a')}; {_cooling_message('b')}",
                        error["message"]), error["message"]
    assert calls(fake, "a") == calls(fake, "b") == 0


def test_one_cooling_and_one_failing_is_all_failed_not_cooling_down(fake, pair):
    gw = pair("openai")
    gw.health.record_failure("a", "test", cool_now=True)
    fake.set_fault("b", Fault(FaultKind.HTTP_ERROR, status=503))
    result = chat(gw)
    assert result.status == 503
    error = assert_openai_error(result.body, "all_deployments_failed")
    assert error["type"] == "service_unavailable"
    assert re.fullmatch(f"No deployment could answer. Tried: {_cooling_message('a')}; "
                        r"b \(openai\): .+", error["message"]), error["message"]


def test_a_rate_limit_and_a_server_error_are_a_503_not_a_429(fake, pair):
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=429, retry_after=1))
    fake.set_fault("b", Fault(FaultKind.HTTP_ERROR, status=500))
    result = chat(pair("openai"))
    assert result.status == 503 and "retry-after" not in result.headers
    assert_openai_error(result.body, "all_deployments_failed")


@pytest.mark.parametrize("waits, header", [((2.4, 7), "2"), ((0.2, 0.3), "1")])
def test_every_deployment_rate_limited_sends_the_shortest_wait_in_whole_seconds(
    fake, pair, waits, header
):
    for dep, wait in zip(("a", "b"), waits, strict=True):
        fake.set_fault(dep, Fault(FaultKind.HTTP_ERROR, status=429, retry_after=wait))
    result = chat(pair("openai"))
    assert result.status == 429 and result.headers["retry-after"] == header
    error = assert_openai_error(result.body, "rate_limit_exceeded")
    assert error["type"] == "rate_limit_error"
    assert error["message"].startswith("Every deployment is rate-limited. Tried: a (openai): ")


@wires
@stream_modes
def test_every_deployment_sending_no_answer_says_so_for_each(fake, pair, wire, stream):
    for dep in ("a", "b"):
        fake.set_fault(dep, Fault(FaultKind.EMPTY_ANSWER))
    result = chat(pair(wire), stream=stream)
    assert result.status == 503
    error = assert_openai_error(result.body, "all_deployments_failed")
    why = "the stream ended before the provider sent any answer"
    assert error["message"] == f"No deployment could answer. Tried: a ({wire}): {why}; " \
                               f"b ({wire}): {why}"


def test_no_deployment_with_credentials_is_a_503_naming_the_variables_to_set(fake):
    config = fast_config([[deployment(fake, "a", api_key="${UNSET_UPSTREAM_KEY_B}"),
                           deployment(fake, "b", "anthropic", api_key="${UNSET_UPSTREAM_KEY_A}")]])
    with run_gateway(config) as gw:
        result = chat(gw)
    assert result.status == 503
    error = assert_openai_error(result.body, "missing_credentials")
    assert error["type"] == "service_unavailable"
    assert error["message"] == ("No deployment of tier 'small' or above has credentials: set "
                                "UNSET_UPSTREAM_KEY_A, UNSET_UPSTREAM_KEY_B.")
    assert calls(fake, "a") == calls(fake, "b") == 0



@wires
def test_only_deployment_ending_before_its_finish_reason_is_named_in_the_503(
    early, monkeypatch, wire
):
    monkeypatch.setenv("TIANJI_LEAN_TRANSPORT", "0")
    early.cut_after[wire] = WHOLE_TEXT_NO_FINISH[wire]
    with run_gateway(fast_config([[early_deployment(early, wire)]], retries=0)) as gw:
        result = chat(gw)
    early.user_agents.clear()
    assert result.status == 503
    error = assert_openai_error(result.body, "all_deployments_failed")
    assert error["message"] == (f"No deployment could answer. Tried: early ({wire}): the stream "
                                "ended before the provider finished its answer")


def test_every_deployment_rate_limited_without_retry_after_sends_none(fake, pair):
    for dep in ("a", "b"):
        fake.set_fault(dep, Fault(FaultKind.HTTP_ERROR, status=429))
    result = chat(pair("openai"))
    assert result.status == 429 and "retry-after" not in result.headers
    assert_openai_error(result.body, "rate_limit_exceeded")
