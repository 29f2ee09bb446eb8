"""API keys with policy on one gateway (state in process): hashed keys, a tier ceiling,
rate limits, and a budget that steps the ceiling down before it refuses."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import anthropic
import httpx
import openai
import pytest
import yaml

from router.config import load_config
from router.fakeprovider import Fault, FaultKind
from router.keys import hash_key
from tests.conftest import deployment, make_config, run_gateway
from tests.ops.conftest import rows
from tests.waiting import wait_for

KEY, PLAIN = "tj-team-key-0123456789", "plain-gateway-key-0123456789"


def _tiers(fake):
    # Input is free and answers are MAX_TOKENS long, so each tier's request has one price.
    return [[deployment(fake, "k-s", price={"input": 0.0, "output": 10.0})],
            [deployment(fake, "k-m", price={"input": 0.0, "output": 100.0})],
            [deployment(fake, "k-l", price={"input": 0.0, "output": 1000.0})]]


def _post(gw, key: str, model: str = "auto", content: str = "[easy] hi") -> httpx.Response:
    return gw.http.post("/v1/chat/completions", headers={"authorization": f"Bearer {key}"},
                        json={"model": model, "max_tokens": 8,
                              "messages": [{"role": "user", "content": content}]})


def test_a_hashed_key_authenticates_a_wrong_one_does_not_and_plain_keys_still_work(fake):
    config = make_config(_tiers(fake), server={"api_keys": [PLAIN]})
    config = config.model_copy(update={"keys": [_entry("team", KEY)]})
    with run_gateway(config) as gw:
        assert _post(gw, KEY).status_code == 200
        assert _post(gw, PLAIN).status_code == 200
        wrong = _post(gw, hash_key(KEY))  # the hash itself is not a key
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "invalid_api_key"
        assert "x-tianji-budget" not in _post(gw, KEY).headers  # no budget: no header


def _entry(key_id: str, key: str, **policy):
    from router.keys import KeyEntry

    return KeyEntry(id=key_id, sha256=hash_key(key), **policy)


def test_a_key_may_not_pin_a_tier_above_its_ceiling_and_auto_stays_under_it(fake):
    config = make_config(_tiers(fake)).model_copy(
        update={"keys": [_entry("team", KEY, max_tier="medium")]})
    with run_gateway(config) as gw:
        refused = _post(gw, KEY, model="large")
        assert refused.status_code == 403
        assert refused.json()["error"] == {
            "message": "Key 'team' may use tiers up to 'medium'; model 'large' is above it.",
            "type": "permission_error", "param": "model", "code": "tier_not_allowed"}
        hard = _post(gw, KEY, content="[hard] prove it")
        assert hard.status_code == 200 and hard.headers["x-tianji-tier"] == "medium"
        claude = anthropic.Anthropic(base_url=gw.url, api_key=KEY, max_retries=0)
        with pytest.raises(anthropic.PermissionDeniedError) as raised:
            claude.messages.create(model="opus", max_tokens=8,
                                   messages=[{"role": "user", "content": "hi"}])
        assert raised.value.body["error"]["type"] == "permission_error"


def test_over_a_rate_limit_the_key_gets_429_with_retry_after(fake):
    config = make_config(_tiers(fake)).model_copy(update={"keys": [
        _entry("rpm", KEY, requests_per_minute=2), _entry("tpm", PLAIN, tokens_per_minute=1)]})
    with run_gateway(config) as gw:
        assert [_post(gw, KEY).status_code for _ in range(2)] == [200, 200]
        client = openai.OpenAI(base_url=gw.url + "/v1", api_key=KEY, max_retries=0)
        with pytest.raises(openai.RateLimitError) as raised:
            client.chat.completions.create(model="auto", messages=[{"role": "user",
                                                                    "content": "hi"}])
        assert raised.value.code == "requests_per_minute_exceeded"
        assert 1 <= int(raised.value.response.headers["retry-after"]) <= 60
        assert _post(gw, PLAIN).status_code == 200  # under 1 token this minute: let in
        wait_for(lambda: not gw.app.state.gateway.limits.settling, "the settlements")
        over = _post(gw, PLAIN)
        assert over.status_code == 429
        assert over.json()["error"]["code"] == "tokens_per_minute_exceeded"


class _Collect(logging.Handler):
    """The gateway's request log lines (attached after the gateway configured logging)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith('{"event": "request"'):
            self.lines.append(json.loads(message))


def test_a_budget_steps_the_ceiling_down_then_refuses_until_it_resets(fake, tmp_path):
    log_url = f"sqlite:///{tmp_path / 'log.db'}"
    config = make_config(_tiers(fake), log={"url": log_url, "flush_interval_s": 0.05}).model_copy(
        update={"keys": [_entry("team", KEY, daily_usd=0.1)]})
    seen: list[tuple[str, str]] = []
    collect = _Collect()
    with run_gateway(config) as gw:
        logging.getLogger("tianji.request").addHandler(collect)
        limits = gw.app.state.gateway.limits
        for _ in range(200):
            response = _post(gw, KEY, model="large")
            if response.status_code != 200:
                break
            seen.append((response.headers["x-tianji-budget"], response.headers["x-tianji-tier"]))
            wait_for(lambda: not limits.settling, "the settlement")  # before the next one
        claude = anthropic.Anthropic(base_url=gw.url, api_key=KEY, max_retries=0)
        with pytest.raises(anthropic.RateLimitError) as raised:
            claude.messages.create(model="large", max_tokens=8,
                                   messages=[{"role": "user", "content": "hi"}])
        assert gw.app.state.gateway.request_log.writer.flush(timeout=15)
        logging.getLogger("tianji.request").removeHandler(collect)
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "budget_exceeded"
    assert error["message"].startswith("The daily budget of key 'team' is used up")
    assert response.headers["x-tianji-budget"] == "exhausted"
    assert "resets at" in raised.value.body["error"]["message"]
    phases = [label for i, (label, _) in enumerate(seen) if i == 0 or seen[i - 1][0] != label]
    assert phases == ["ok", "capped:medium", "capped:small"]
    assert all(tier == {"ok": "large", "capped:medium": "medium", "capped:small": "small"}[label]
               for label, tier in seen)
    logged = collect.lines
    assert [e["budget"] for e in logged[:len(seen)]] == [label for label, _ in seen]
    assert logged[len(seen)]["budget"] == "exhausted"
    assert {e["key_id"] for e in logged} == {"team"}
    row_budgets = [r["budget"] for r in rows(log_url)]
    assert row_budgets == [label for label, _ in seen] + ["exhausted", "exhausted"]


def test_keys_add_prints_the_key_once_and_writes_only_its_hash(fake, tmp_path):
    path = tmp_path / "tianji.yaml"
    raw = make_config(_tiers(fake)).model_dump(mode="json", exclude_defaults=True)
    path.write_text(yaml.safe_dump({"tiers": raw["tiers"]}))
    result = subprocess.run(
        [sys.executable, "-m", "router.cli", "keys", "add", "team", "--daily-usd", "5",
         "--max-tier", "medium", "--config", str(path)],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    key = result.stdout.split("store it now): ")[1].strip()
    text = path.read_text()
    assert key not in text and hash_key(key) in text
    config = load_config(path, env={})
    assert [(k.id, k.max_tier, k.daily_usd) for k in config.keys] == [("team", "medium", 5.0)]
    with run_gateway(config) as gw:
        assert _post(gw, key).status_code == 200
        assert _post(gw, key).headers["x-tianji-budget"] == "ok"
        assert _post(gw, "tj-not-the-key").status_code == 401


def test_the_responses_front_door_is_refused_once_the_budget_is_used_up(fake):
    config = make_config(_tiers(fake)).model_copy(
        update={"keys": [_entry("team", KEY, daily_usd=0.0001)]})
    with run_gateway(config) as gw:
        limits = gw.app.state.gateway.limits
        assert _post(gw, KEY, model="large").status_code == 200  # spends past the budget
        wait_for(lambda: not limits.settling, "the settlements")
        refused = gw.http.post("/v1/responses", headers={"authorization": f"Bearer {KEY}"},
                               json={"model": "auto", "input": "hi"})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "budget_exceeded"


def test_embeddings_spend_counts_against_the_keys_budget(fake):
    from tests.gateway.test_embeddings import config_with, openai_embedder

    config = config_with(fake, [{**openai_embedder(fake), "price": {"input": 1000.0}}])
    config = config.model_copy(update={"keys": [_entry("team", KEY, daily_usd=0.001)]})
    headers = {"authorization": f"Bearer {KEY}"}
    with run_gateway(config) as gw:
        limits = gw.app.state.gateway.limits
        first = gw.http.post("/v1/embeddings", headers=headers,
                             json={"model": "embeddings", "input": "a few words to embed"})
        assert first.status_code == 200
        assert float(first.headers["x-tianji-cost-usd"]) > 0.001
        wait_for(lambda: not limits.settling, "the settlements")
        refused = gw.http.post("/v1/embeddings", headers=headers,
                               json={"model": "embeddings", "input": "more"})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "budget_exceeded"


def test_embeddings_are_logged_under_the_keys_id_and_budget_as_chat_is(fake, tmp_path):
    from tests.gateway.test_embeddings import config_with, openai_embedder

    log_url = f"sqlite:///{tmp_path / 'log.db'}"
    config = config_with(fake, [openai_embedder(fake)],
                         log={"url": log_url, "flush_interval_s": 0.05})
    config = config.model_copy(update={"keys": [_entry("team", KEY, daily_usd=10.0)]})
    collect = _Collect()
    with run_gateway(config) as gw:
        logging.getLogger("tianji.request").addHandler(collect)
        chat = _post(gw, KEY)
        embedded = gw.http.post("/v1/embeddings", headers={"authorization": f"Bearer {KEY}"},
                                json={"model": "embeddings", "input": "a few words to embed"})
        assert gw.app.state.gateway.request_log.writer.flush(timeout=15)
        logging.getLogger("tianji.request").removeHandler(collect)
    assert (chat.status_code, embedded.status_code) == (200, 200)
    assert embedded.headers["x-tianji-budget"] == "ok"
    logged = [(e["front_door"], e["key_id"], e["budget"]) for e in collect.lines]
    assert logged == [("openai-chat", "team", "ok"), ("openai-embeddings", "team", "ok")]
    assert [(r["front_door"], r["key_id"], r["budget"]) for r in rows(log_url)] == logged



def test_an_embeddings_request_refused_at_its_reservation_is_logged_and_counted(
    fake, redis_server, request
):
    """Two requests admitted while the budget still had room: the one whose body comes
    second finds the other's reservation and is refused (429) at its own, and that
    refusal has its log line and metric, as on the chat front door. Redis holds the
    counters, so the test sees each step."""
    from tests.gateway.test_embeddings import config_with, openai_embedder
    from tests.gateway.test_metrics import metric
    from tests.test_security import raw_http_answer

    prefix = "t-reserve"
    config = config_with(fake, [{**openai_embedder(fake), "price": {"input": 1000.0}}],
                         state={"redis_url": redis_server.url, "prefix": prefix})
    config = config.model_copy(update={"keys": [_entry("team", KEY, daily_usd=0.001)]})
    fake.set_fault("e1", Fault(FaultKind.STALL, delay=1.0, times=1))  # holds its reservation
    body = json.dumps({"model": "embeddings", "input": "a few words to embed"}).encode()
    redis = redis_server.client()
    with run_gateway(config) as gw, ThreadPoolExecutor(1) as pool:
        lines = request.getfixturevalue("log_lines")
        host, port = gw.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as second:
            second.sendall(b"POST /v1/embeddings HTTP/1.1\r\nHost: x\r\n"
                           b"Authorization: Bearer " + KEY.encode() + b"\r\n"
                           b"Content-Type: application/json\r\n"
                           b"Content-Length: %d\r\n\r\n" % len(body))
            assert wait_for(lambda: redis.keys(f"{prefix}:rate:team:req:*"), 10)  # admitted
            first = pool.submit(gw.http.post, "/v1/embeddings", content=body,
                                headers={"authorization": f"Bearer {KEY}",
                                         "content-type": "application/json"})
            assert wait_for(lambda: fake.calls("e1"), 10)  # reserved, at the provider
            assert int(redis.get(f"{prefix}:spend:team:reserved") or 0) > 0
            second.sendall(body)
            head, answer = raw_http_answer(second)
        assert first.result(timeout=30).status_code == 200
        text = gw.http.get("/metrics", headers={"authorization": f"Bearer {KEY}"}).text
    assert head.startswith(b"HTTP/1.1 429 "), head
    assert json.loads(answer)["error"]["code"] == "budget_exceeded"
    logged = [json.loads(line) for line in lines if line.startswith('{"event": "request"')]
    assert [(e["status"], e["error_code"], e["front_door"], e["key_id"]) for e in logged] == [
        (429, "budget_exceeded", "openai-embeddings", "team"),
        (200, None, "openai-embeddings", "team")]
    assert metric(text, "tianji_requests_total", status="429") == 1
    assert len(fake.calls("e1")) == 1
