"""The request's one log line (router/api/core.py `log_request` and `refused`), field by
field, as a log pipeline reads it: a served answer, a stream, a request no deployment
answered, requests refused before routing (their metric too), and no line below INFO.
Through a real gateway and the fake provider, with the OpenAI SDK or raw HTTP."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import openai
import pytest

from router.classify.base import Assessment, ChatRequest
from router.fakeprovider import Fault, FaultKind
from router.keys import KeyEntry, hash_key
from router.ops.record import key_id
from tests.conftest import deployment, make_config, run_gateway
from tests.faults.support import log_records
from tests.gateway import test_verify
from tests.gateway.test_core_mutants import metric
from tests.gateway.test_verify import MATH, TaskClassifier, answers, issue_config, paid

# Prices with more decimals than the line's 8, so a cost rounded otherwise shows.
SMALL = {"input": 1.23456789, "output": 7.65432198}
LARGE = {"input": 12.3456789, "output": 76.5432198}
SERVED_FIELDS = {
    "event", "request_id", "status", "error_code", "front_door", "model", "key_id", "tier",
    "deployment", "attempts", "attempt_path", "difficulty", "task", "domain", "confidence",
    "stream", "latency_ms", "cost_usd", "saved_usd", "affinity", "verified",
    "verification_cost_usd", "budget",
}
REFUSED_FIELDS = {"event", "request_id", "status", "error_code", "front_door", "model",
                  "key_id", "budget", "tier", "deployment", "latency_ms"}
# Room for the first litellm call of a process, which imports for seconds on a loaded
# machine.
ROOMY = {"request_timeout_s": 60, "first_token_timeout_s": 30}
KEY = "tj-line-team-key-0123456789"


class Fixed:
    """Every request scored the same, with a confidence of more than 3 decimals."""

    name = "fixed"

    def score(self, request: ChatRequest) -> Assessment:
        return Assessment(0.125, "translation", {}, domain="law", confidence=0.98765)


def _config(fake: Any, **sections: Any) -> Any:
    return make_config([[deployment(fake, "s1", price=SMALL)],
                        [deployment(fake, "l1", price=LARGE)]],
                       resilience=ROOMY, **sections)


def _line(lines: list[str], request_id: str) -> dict[str, Any]:
    (line,) = [r for r in log_records(lines, "request") if r["request_id"] == request_id]
    return line


def _cost(price: dict[str, float], usage: Any) -> float:
    return (usage.prompt_tokens * price["input"] + usage.completion_tokens * price["output"]) / 1e6


def _assert_rounded(value: float, expected: float) -> None:
    assert value == round(value, 8)
    assert abs(value - round(expected, 8)) < 1e-11


def _assert_latency(line: dict[str, Any], waited_s: float) -> None:
    assert isinstance(line["latency_ms"], float)  # milliseconds to a tenth
    assert 0 < line["latency_ms"] <= waited_s * 1000
    assert line["latency_ms"] == round(line["latency_ms"], 1)


def test_a_served_answer_s_line_has_every_field(fake, request):
    with run_gateway(_config(fake), Fixed()) as gw:
        lines = request.getfixturevalue("log_lines")
        started = time.monotonic()
        raw = gw.client.chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": "Translate: guten Tag"}])
        waited = time.monotonic() - started
    answer = raw.parse()
    line = _line(lines, raw.headers["x-request-id"])
    assert set(line) == SERVED_FIELDS  # no prompt without server.log_prompts
    assert {k: line[k] for k in SERVED_FIELDS - {"attempt_path", "latency_ms", "cost_usd",
                                                  "saved_usd"}} == {
        "event": "request", "request_id": raw.headers["x-request-id"], "status": 200,
        "error_code": None, "front_door": "openai-chat", "model": "auto", "key_id": None,
        "tier": "small", "deployment": "s1", "attempts": 1, "difficulty": 0.125,
        "task": "translation", "domain": "law", "confidence": 0.988, "stream": False,
        "affinity": "new", "verified": None, "verification_cost_usd": None, "budget": None,
    }
    assert [(a["deployment"], a["action"]) for a in line["attempt_path"]] == [("s1", "served")]
    cost = _cost(SMALL, answer.usage)
    _assert_rounded(line["cost_usd"], cost)
    assert line["cost_usd"] == float(raw.headers["x-tianji-cost-usd"])
    _assert_rounded(line["saved_usd"], _cost(LARGE, answer.usage) - line["cost_usd"])
    _assert_latency(line, waited)


def test_a_stream_s_line_says_stream_and_costs_its_whole_answer(fake, request):
    with run_gateway(_config(fake), Fixed()) as gw:
        lines = request.getfixturevalue("log_lines")
        started = time.monotonic()
        with gw.client.chat.completions.with_streaming_response.create(
            model="auto", messages=[{"role": "user", "content": "Translate: guten Tag"}],
            stream=True, stream_options={"include_usage": True},
        ) as raw:
            chunks = list(raw.parse())
            rid = raw.headers["x-request-id"]
        waited = time.monotonic() - started
    usage = chunks[-1].usage
    line = _line(lines, rid)
    assert set(line) == SERVED_FIELDS
    assert (line["status"], line["error_code"], line["stream"], line["deployment"]) == (
        200, None, True, "s1")
    _assert_rounded(line["cost_usd"], _cost(SMALL, usage))
    _assert_rounded(line["saved_usd"], _cost(LARGE, usage) - line["cost_usd"])
    _assert_latency(line, waited)


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_a_request_no_deployment_answered_has_its_error_and_no_cost(fake, request, stream):
    for dep in ("s1", "l1"):
        fake.set_fault(dep, Fault(FaultKind.HTTP_ERROR, status=401))
    with run_gateway(_config(fake), Fixed()) as gw:
        lines = request.getfixturevalue("log_lines")
        started = time.monotonic()
        with pytest.raises(openai.APIStatusError) as failed:
            gw.client.chat.completions.create(
                model="auto", messages=[{"role": "user", "content": "hi"}], stream=stream)
        waited = time.monotonic() - started
        metrics = gw.http.get("/metrics").text
    error = failed.value
    # Counted under the tier it was routed to, no deployment.
    assert metric(metrics, "tianji_requests_total", tier="small", deployment="",
                  status=str(error.status_code)) == 1
    line = _line(lines, error.response.headers["x-request-id"])
    assert set(line) == SERVED_FIELDS
    assert {k: line[k] for k in ("status", "error_code", "tier", "deployment", "attempts",
                                 "cost_usd", "saved_usd", "stream", "affinity", "difficulty",
                                 "confidence")} == {
        "status": error.status_code, "error_code": error.body["code"], "tier": "small",
        "deployment": None, "attempts": 2, "cost_usd": None, "saved_usd": None,
        "stream": stream, "affinity": None, "difficulty": 0.125, "confidence": 0.988,
    }
    assert [(a["deployment"], a["status"]) for a in line["attempt_path"]] == [
        ("s1", 401), ("l1", 401)]
    _assert_latency(line, waited)


def _refusals(gw: Any) -> list[tuple[Any, tuple[int, str, str | None]]]:
    """Requests refused before routing, and (status, code, model) each is logged with."""
    key = {"authorization": f"Bearer {KEY}"}
    as_json = {**key, "content-type": "application/json"}
    hi = [{"role": "user", "content": "hi"}]
    asks = [
        (gw.http.post("/v1/chat/completions", headers={"authorization": "Bearer sk-wrong-12345"},
                      json={"model": "auto", "messages": hi}), (401, "invalid_api_key", None)),
        (gw.http.post("/v1/chat/completions", headers=as_json, content=b"{"),
         (400, "invalid_json", None)),
        (gw.http.post("/v1/chat/completions", headers=key, json={"model": "nope", "messages": hi}),
         (404, "model_not_found", "nope")),
    ]
    return asks


def test_a_refused_request_s_line_names_its_key_and_model(fake, request):
    config = _config(fake).model_copy(
        update={"keys": [KeyEntry(id="team-line", sha256=hash_key(KEY))]})
    with run_gateway(config, Fixed()) as gw:
        lines = request.getfixturevalue("log_lines")
        started = time.monotonic()
        asks = _refusals(gw)
        waited = time.monotonic() - started
        metrics = gw.http.get("/metrics", headers={"authorization": f"Bearer {KEY}"}).text
    for answer, (status, code, model) in asks:
        assert answer.status_code == status
        line = _line(lines, answer.headers["x-request-id"])
        assert set(line) == REFUSED_FIELDS
        assert {k: v for k, v in line.items() if k != "latency_ms"} == {
            "event": "request", "request_id": answer.headers["x-request-id"], "status": status,
            "error_code": code, "front_door": "openai-chat", "model": model,
            "key_id": key_id("sk-wrong-12345") if status == 401 else "team-line",
            "budget": None, "tier": None, "deployment": None,
        }
        _assert_latency(line, waited)
    for status in (400, 401, 404):  # counted under no tier and no deployment
        assert metric(metrics, "tianji_requests_total", tier="", deployment="",
                      status=str(status)) == 1


def test_a_key_over_its_budget_is_refused_with_its_budget_in_the_line(fake, request):
    entry = KeyEntry(id="team-spent", sha256=hash_key(KEY), daily_usd=1e-9)
    config = _config(fake).model_copy(update={"keys": [entry]})
    headers = {"authorization": f"Bearer {KEY}"}
    body = {"model": "auto", "messages": [{"role": "user", "content": "hi"}]}
    with run_gateway(config, Fixed()) as gw:
        lines = request.getfixturevalue("log_lines")
        spent = gw.http.post("/v1/chat/completions", headers=headers, json=body)
        refused = gw.http.post("/v1/chat/completions", headers=headers, json=body)
    assert spent.status_code == 200
    assert refused.status_code == 429
    line = _line(lines, refused.headers["x-request-id"])
    assert line["key_id"] == "team-spent" and line["status"] == 429
    assert line["budget"] == refused.headers["x-tianji-budget"]
    assert line["budget"]


def test_no_request_line_below_info(fake, request):
    hi = [{"role": "user", "content": "hi"}]
    logger = logging.getLogger("tianji.request")
    with run_gateway(_config(fake), Fixed()) as gw:
        lines = request.getfixturevalue("log_lines")
        level = logger.level
        logger.setLevel(logging.WARNING)
        try:
            served = gw.http.post("/v1/chat/completions", json={"model": "auto", "messages": hi})
            refused = gw.http.post("/v1/chat/completions", json={"model": "nope", "messages": hi})
        finally:
            logger.setLevel(level)
    assert (served.status_code, refused.status_code) == (200, 404)
    assert log_records(lines, "request") == []
    assert json.dumps(log_records(lines)).count(served.headers["x-request-id"]) == 0


def test_a_refused_request_s_latency_counts_from_its_arrival(fake, request):
    def slow_body():
        yield b'{"model": "auto", '
        time.sleep(0.3)
        yield b'"messages": '  # cut: not JSON

    with run_gateway(_config(fake), Fixed()) as gw:
        lines = request.getfixturevalue("log_lines")
        started = time.monotonic()
        answer = gw.http.post("/v1/chat/completions", content=slow_body(),
                              headers={"content-type": "application/json"})
        waited = time.monotonic() - started
    assert answer.status_code == 400
    line = _line(lines, answer.headers["x-request-id"])
    assert line["error_code"] == "invalid_json"
    assert 300 <= line["latency_ms"] <= waited * 1000


def test_lines_keep_non_ascii_text_as_written(fake, request):
    """A log search for the text a client sent finds it: no `\\u` escapes in the line."""
    prompt = [{"role": "user", "content": "Übersetze: Grüße aus 東京"}]
    with run_gateway(_config(fake, server={"log_prompts": True}), Fixed()) as gw:
        lines = request.getfixturevalue("log_lines")
        served = gw.http.post("/v1/chat/completions", json={"model": "auto", "messages": prompt})
        refused = gw.http.post("/v1/chat/completions",
                               json={"model": "modèle-inconnu", "messages": prompt})
    assert (served.status_code, refused.status_code) == (200, 404)
    by_id = {json.loads(t)["request_id"]: t for t in lines
             if t.startswith("{") and '"event": "request"' in t}
    served_line = by_id[served.headers["x-request-id"]]
    assert "Grüße aus 東京" in served_line
    assert json.loads(served_line)["messages"] == prompt
    assert '"model": "modèle-inconnu"' in by_id[refused.headers["x-request-id"]]


def test_a_refusal_whose_line_cannot_be_written_is_answered_and_says_so(fake, request):
    """Logging a refusal never changes its answer: a failure is one error line instead."""
    hi = [{"role": "user", "content": "hi"}]

    def broken(*args: Any) -> None:
        raise RuntimeError("the request log is broken")

    with run_gateway(_config(fake), Fixed()) as gw:
        lines = request.getfixturevalue("log_lines")
        gw.app.state.gateway.request_log.refused_entry = broken
        answer = gw.http.post("/v1/chat/completions", json={"model": "nope", "messages": hi})
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "model_not_found"
    assert log_records(lines, "request_log_line_failed") == [{
        "event": "request_log_line_failed", "error": "RuntimeError",
        "request_id": answer.headers["x-request-id"]}]


def test_a_verified_answer_s_line_has_its_outcome_and_the_other_calls_cost(
    fake, request, monkeypatch
):
    # The partner at a price with more decimals than the line keeps.
    monkeypatch.setitem(test_verify.PRICES, "mini", (0.123456789, 0.6))
    answers(fake, haiku="#### 42", mini="#### 42")
    config = issue_config(fake, resilience={"retries": 1, "backoff_initial_s": 0.01,
                                            "backoff_max_s": 0.05, **ROOMY})
    with run_gateway(config, TaskClassifier()) as gw:
        lines = request.getfixturevalue("log_lines")
        agreed = gw.http.post("/v1/chat/completions", json={
            "model": "auto", "messages": [{"role": "user", "content": MATH}]})
        skipped = gw.http.post("/v1/chat/completions", json={
            "model": "auto", "messages": [{"role": "user", "content": "[task:chat] hi"}]})
    line = _line(lines, agreed.headers["x-request-id"])
    assert line["verified"] == agreed.headers["x-tianji-verified"] == "agree"
    other = paid(fake, "mini")
    assert other != round(other, 8)
    _assert_rounded(line["verification_cost_usd"], other)
    line = _line(lines, skipped.headers["x-request-id"])
    assert (line["verified"], line["verification_cost_usd"]) == ("skipped:task", 0.0)


def test_an_answer_served_a_tier_up_is_logged_at_the_tier_that_served_it(fake, request):
    fake.set_fault("s1", Fault(FaultKind.HTTP_ERROR, status=401))  # small fails: escalate
    with run_gateway(_config(fake), Fixed()) as gw:
        lines = request.getfixturevalue("log_lines")
        answer = gw.http.post("/v1/chat/completions", json={
            "model": "auto", "messages": [{"role": "user", "content": "hi"}]})
    assert answer.status_code == 200
    line = _line(lines, answer.headers["x-request-id"])
    assert (line["tier"], line["deployment"], line["attempts"]) == ("medium", "l1", 2)
    assert answer.headers["x-tianji-tier"] == "medium"
