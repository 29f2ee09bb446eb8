"""Failure is visible: each attempt in the request's one structured log line, health in
/readyz and /v1/deployments."""

from __future__ import annotations

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment, make_config, run_gateway
from tests.faults.support import assert_served, chat, deployments_state, fast_config, log_records


@pytest.fixture
def gw(fake, request):
    config = fast_config([[deployment(fake, "s1"), deployment(fake, "s2", "anthropic")],
                          [deployment(fake, "m1")]])
    with run_gateway(config) as gateway:
        yield gateway


@pytest.fixture
def lines(gw, request):
    return request.getfixturevalue("log_lines")  # after the gateway configured logging


def test_each_attempt_is_in_the_request_log_line(fake, gw, lines):
    fake.set_fault("s1", Fault(FaultKind.HTTP_ERROR, status=500))
    result = chat(gw)
    assert_served(result, "s2")
    request_id = result.headers["x-request-id"]
    assert [r for r in log_records(lines) if r.get("request_id") == request_id] == [
        r for r in log_records(lines, "request") if r["request_id"] == request_id]
    (summary,) = [r for r in log_records(lines, "request") if r["request_id"] == request_id]
    attempts = summary["attempt_path"]
    assert [(a["deployment"], a["action"]) for a in attempts] == [
        ("s1", "retry"), ("s1", "next"), ("s2", "served")]
    for failed in attempts[:2]:
        assert failed["error_class"] == "InternalServerError"
        assert failed["status"] == 500
        assert failed["outcome"] == "transient"
        assert failed["tier"] == "small"
    for a in attempts:
        assert isinstance(a["elapsed_ms"], (int, float)) and a["elapsed_ms"] >= 0
    assert summary["status"] == 200 and summary["deployment"] == "s2"
    assert summary["attempts"] == 3


def test_auth_failure_is_logged_as_a_cooldown(fake, gw, lines):
    fake.set_fault("s1", Fault(FaultKind.HTTP_ERROR, status=401))
    result = chat(gw)
    assert_served(result, "s2")
    first = log_records(lines, "request")[-1]["attempt_path"][0]
    assert first["deployment"] == "s1" and first["action"] == "cooldown"
    assert first["outcome"] == "auth" and first["status"] == 401


def test_failed_request_is_logged_with_its_status(fake, gw, lines):
    for dep in ("s1", "s2", "m1"):
        fake.set_fault(dep, Fault(FaultKind.HTTP_ERROR, status=429))
    result = chat(gw)
    assert result.status == 429
    summary = [r for r in log_records(lines, "request")
               if r["request_id"] == result.headers["x-request-id"]]
    assert summary and summary[0]["status"] == 429 and summary[0]["deployment"] is None
    assert [(a["deployment"], a["status"]) for a in summary[0]["attempt_path"]] == [
        ("s1", 429), ("s1", 429), ("s2", 429), ("s2", 429), ("m1", 429), ("m1", 429)]
    assert summary[0]["attempts"] == 6


def test_deployments_and_readyz_show_health_and_cooldown(fake, gw):
    assert gw.http.get("/readyz").json() == {
        "status": "ready", "available": {"small": ["s1", "s2"], "medium": ["m1"]},
        "state": {"backend": "process", "shared": False}}
    fake.set_fault("s1", Fault(FaultKind.HTTP_ERROR, status=403))
    assert_served(chat(gw), "s2")
    state = deployments_state(gw)
    assert state["s1"]["state"] == "cooldown"
    assert 0 < state["s1"]["cooldown_remaining_s"] <= 30
    assert state["s1"]["last_error"]
    assert state["s1"]["failures"] == 1 and state["s1"]["consecutive_failures"] == 1
    assert state["s2"]["state"] == "ok" and state["s2"]["successes"] == 1
    assert {"name", "tier", "model"} <= set(state["s1"])
    ready = gw.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["available"] == {"small": ["s2"], "medium": ["m1"]}


@pytest.mark.parametrize("log_prompts", [False, True])
def test_prompt_text_is_logged_only_when_the_operator_asks(fake, request, log_prompts):
    config = make_config([[deployment(fake, "p1")]], server={"log_prompts": log_prompts})
    with run_gateway(config) as gateway:
        lines = request.getfixturevalue("log_lines")
        result = chat(gateway, "the secret plan is tangerine")
    assert_served(result, "p1")
    (summary,) = [r for r in log_records(lines, "request")
                  if r["request_id"] == result.headers["x-request-id"]]
    text = "\n".join(lines)
    if log_prompts:
        assert summary["messages"][-1]["content"] == "the secret plan is tangerine"
    else:
        assert "messages" not in summary and "tangerine" not in text
