"""The shared request path (router/api/core.py) as a client sees it, for behaviours a
mutation run found untested (docs/mutation.md): affinity turned off, the body-size limit at
its edge, a refused request's id, the saving and latency recorded, a stream's start cost
(verified and buffered too), a complete stream's status and a cut one's error event, log
line and metric, on both wires and through litellm."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from router.config import Config
from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment, make_config, run_gateway
from tests.faults.support import (
    assert_interrupted_stream,
    assert_openai_error,
    chat,
    log_records,
    post_raw,
)
from tests.gateway.test_verify import MATH, TaskClassifier, answers, issue_config, paid
from tests.test_stream_cut_through_litellm import (  # noqa: F401 - fixtures
    WHOLE_TEXT_NO_FINISH,
    early,
    through_litellm,
)

LIMIT = 4096


def roomy_config(tiers: list[list[dict]], **sections: dict[str, Any]) -> Config:
    """The suite's test config with a deadline a loaded machine cannot miss (the first
    litellm call of a process imports for seconds)."""
    return make_config(tiers, resilience={"request_timeout_s": 60}, **sections)


def request_line(lines: list[str], request_id: str) -> dict[str, Any]:
    (line,) = [r for r in log_records(lines, "request") if r["request_id"] == request_id]
    return line


def test_with_affinity_off_answers_carry_no_affinity_header_and_nothing_is_kept(fake, request):
    config = roomy_config([[deployment(fake, "s1")], [deployment(fake, "m1")]],
                         affinity={"enabled": False})
    first = [{"role": "user", "content": "[medium] plan the refactor"}]
    later = [*first, {"role": "assistant", "content": "Plan."},
             {"role": "user", "content": "[easy] go"}]
    with run_gateway(config) as gw:
        lines = request.getfixturevalue("log_lines")
        answers = [gw.client.chat.completions.with_raw_response.create(
            model="auto", messages=m, extra_body={"prompt_cache_key": "conv-1"})
            for m in (first, later)]
    for answer in answers:
        assert "x-tianji-affinity" not in answer.headers
        assert request_line(lines, answer.headers["x-request-id"])["affinity"] is None
    # Nothing holds the conversation on m1: the second turn is routed on its own.
    assert [a.headers["x-tianji-tier"] for a in answers] == ["medium", "medium"]


def _body_of(size: int) -> bytes:
    """A valid chat body of exactly `size` bytes."""
    base = json.dumps({"model": "auto", "messages": [{"role": "user", "content": ""}]})
    pad = size - len(base)
    assert pad >= 0
    return json.dumps({"model": "auto", "messages": [{"role": "user", "content": "x" * pad}]},
                      separators=(", ", ": ")).encode()


@pytest.fixture(scope="module")
def small_gw(fake):
    config = roomy_config([[deployment(fake, "a")]], server={"max_body_bytes": LIMIT})
    with run_gateway(config) as gateway:
        yield gateway


def test_a_body_of_exactly_the_limit_is_served_one_byte_more_is_413(small_gw):
    exact = _body_of(LIMIT)
    assert len(exact) == LIMIT
    assert post_raw(small_gw, "/v1/chat/completions", exact).status == 200
    over = post_raw(small_gw, "/v1/chat/completions", _body_of(LIMIT + 1))
    assert over.status == 413
    error = assert_openai_error(over.body, "too_large")
    assert error["message"] == f"Request body is larger than {LIMIT} bytes."


def test_a_chunked_body_of_exactly_the_limit_is_served_one_byte_more_is_413(small_gw):
    def chunks(data: bytes):
        for i in range(0, len(data), 1000):
            yield data[i:i + 1000]

    headers = {"content-type": "application/json"}
    exact = small_gw.http.post("/v1/chat/completions", content=chunks(_body_of(LIMIT)),
                               headers=headers)
    assert exact.status_code == 200
    over = small_gw.http.post("/v1/chat/completions", content=chunks(_body_of(LIMIT + 1)),
                              headers=headers)
    assert over.status_code == 413
    error = assert_openai_error(over.json(), "too_large")
    assert error["message"] == f"Request body is larger than {LIMIT} bytes."


def metric(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        sample, _, value = line.rpartition(" ")
        if sample.split("{")[0] == name and all(f'{k}="{v}"' in sample
                                                 for k, v in labels.items()):
            total += float(value)
    return total


def test_a_complete_stream_is_logged_and_counted_as_a_200_and_costs_its_prompt_as_it_starts(
    fake, request
):
    # An output token at a dollar: a start-of-stream cost that counted one would show it.
    config = roomy_config([[deployment(fake, "s1", price={"input": 1.0, "output": 1e6})]])
    with run_gateway(config) as gw:
        lines = request.getfixturevalue("log_lines")
        result = chat(gw, "hi", stream=True)
        metrics = gw.http.get("/metrics").text
    assert result.status == 200 and result.done
    assert 0 < float(result.headers["x-tianji-cost-usd"]) < 1e-4
    line = request_line(lines, result.headers["x-request-id"])
    assert (line["status"], line["error_code"], line["stream"]) == (200, None, True)
    assert metric(metrics, "tianji_requests_total", status="200") == 1
    assert metric(metrics, "tianji_requests_total", status="201") == 0


# After the first text delta: two SSE events on OpenAI's wire, four on Anthropic's.
@pytest.mark.parametrize(("wire", "after_chunks"), [("openai", 2), ("anthropic", 4)])
def test_a_stream_cut_after_it_started_ends_with_an_error_naming_the_deployment(
    fake, request, wire, after_chunks
):
    config = roomy_config([[deployment(fake, "s1", wire)]])
    fake.set_fault("s1", Fault(FaultKind.STREAM_CUT, after_chunks=after_chunks))
    with run_gateway(config) as gw:
        lines = request.getfixturevalue("log_lines")
        result = chat(gw, "hi", stream=True)
        metrics = gw.http.get("/metrics").text
    error = assert_interrupted_stream(result)
    assert error["message"] == (
        f"The stream from deployment s1 ({wire}) failed after the answer had started, so it "
        "could not be retried elsewhere: the connection closed before the answer was complete")
    assert (error["code"], error["type"]) == ("stream_interrupted", "upstream_error")
    line = request_line(lines, result.headers["x-request-id"])
    assert (line["status"], line["error_code"], line["deployment"]) == (
        502, "stream_interrupted", "s1")
    assert metric(metrics, "tianji_requests_total", status="502") == 1


def test_a_refused_request_carries_its_request_id_as_its_log_line_does(fake, request):
    config = roomy_config([[deployment(fake, "s1")]], server={"api_keys": ["sk-gateway-key-1"]})
    with run_gateway(config) as gw:
        lines = request.getfixturevalue("log_lines")
        supplied = gw.http.post("/v1/chat/completions", json={"model": "auto", "messages": []},
                                headers={"authorization": "Bearer wrong",
                                         "x-request-id": "client-chosen-id-1"})
        minted = gw.http.post("/v1/chat/completions", json={"model": "auto", "messages": []},
                              headers={"authorization": "Bearer wrong"})
    for answer in (supplied, minted):
        assert answer.status_code == 401
        assert_openai_error(answer.json(), "invalid_api_key")
        assert request_line(lines, answer.headers["x-request-id"])["status"] == 401
    assert supplied.headers["x-request-id"] == "client-chosen-id-1"


def test_a_served_request_records_its_saving_against_the_top_tier_and_its_own_latency(
    fake, request
):
    # The same tokens at ten times the price on the top tier's first deployment.
    config = roomy_config([[deployment(fake, "s1", price={"input": 1.0, "output": 5.0})],
                           [deployment(fake, "l1", price={"input": 10.0, "output": 50.0})]])
    with run_gateway(config) as gw:
        lines = request.getfixturevalue("log_lines")
        started = time.monotonic()
        answer = gw.client.chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": "[easy] hi"}])
        waited = time.monotonic() - started
        metrics = gw.http.get("/metrics").text
    assert answer.headers["x-tianji-provider"] == "s1"
    cost = float(answer.headers["x-tianji-cost-usd"])
    line = request_line(lines, answer.headers["x-request-id"])
    assert line["cost_usd"] == pytest.approx(cost)
    assert line["saved_usd"] == pytest.approx(9 * cost)
    assert metric(metrics, "tianji_baseline_cost_usd_total") == pytest.approx(10 * cost)
    # The latency observed is this request's: no more than the client waited for it.
    assert metric(metrics, "tianji_request_seconds_count", tier="small") == 1
    assert 0 < metric(metrics, "tianji_request_seconds_sum", tier="small") <= waited


def test_a_buffered_verified_stream_costs_the_calls_before_it_as_it_starts(fake):
    messages = [{"role": "user", "content": MATH}]

    def stream_cost(gw, model: str) -> tuple[str, float]:
        with gw.client.chat.completions.with_streaming_response.create(
                model=model, stream=True, messages=messages) as response:
            list(response.parse())
        return response.headers["x-tianji-verified"], float(response.headers["x-tianji-cost-usd"])

    answers(fake, haiku="The answer is 41.", mini="#### 42", sonnet="It is 42 in total.")
    with run_gateway(issue_config(fake), TaskClassifier()) as gw:
        # Unbuffered, sonnet's stream is not verified: its start cost is its prompt's.
        assert stream_cost(gw, "medium")[0] == "skipped:stream"
        prompt = stream_cost(gw, "medium")[1]
    fake.reset()
    answers(fake, haiku="The answer is 41.", mini="#### 42", sonnet="It is 42 in total.")
    with run_gateway(issue_config(fake, {"streaming": "buffer"}), TaskClassifier()) as gw:
        verified, cost = stream_cost(gw, "auto")
    # haiku's and mini's answers were paid for before sonnet's stream started.
    before = paid(fake, "haiku", "mini")
    assert verified == "escalated" and before > 0
    assert cost == pytest.approx(prompt + before, rel=1e-6)


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_a_stream_through_litellm_that_ends_without_its_finish_reason_says_so(request, wire):
    # The early-ending provider and its gateways of tests/test_stream_cut_through_litellm.py.
    provider = request.getfixturevalue("early")
    gateways = request.getfixturevalue("through_litellm")
    provider.cut_after[wire] = WHOLE_TEXT_NO_FINISH[wire]
    error = assert_interrupted_stream(chat(gateways[wire], stream=True))
    assert error["message"] == (
        f"The stream from deployment early ({wire}) failed after the answer had started, so it "
        "could not be retried elsewhere: the provider's stream ended before the answer was "
        "complete")
