"""Two `router serve` processes on one real Redis act as one gateway: a cooldown taken on
one is honoured by the other, a rate limit and a budget hold across both, and Redis
dying mid-run fails no request (sharing resumes when it is back)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anthropic
import httpx
import pytest
import yaml

from router.fakeprovider import FakeProvider, Fault, FaultKind
from router.keys import hash_key
from router.state.counters import NANO
from tests.conftest import PROVIDER_KEY
from tests.state.conftest import RedisServer, Serve
from tests.waiting import wait_for

OPEN_KEY, RPM_KEY, BUDGET_KEY = "tj-open-0123456789", "tj-rpm-0123456789", "tj-budget-0123456789"
METER_KEY = "tj-meter-0123456789"
RPM = 20
BUDGET_USD = 0.002
OUTPUT_PRICE = 10.0  # USD per 1M output tokens; input is free so the estimate covers the bill
MAX_TOKENS = 8


def _deployment(fake: FakeProvider, dep_id: str) -> dict[str, Any]:
    return {"name": dep_id, "model": f"openai/gpt-fake-{dep_id}",
            "api_base": fake.openai_base(dep_id), "api_key": PROVIDER_KEY,
            "price": {"input": 0.0, "output": OUTPUT_PRICE}}


def write_config(path: Path, fake: FakeProvider, redis_url: str, prefix: str) -> None:
    config = {
        "server": {"max_messages": 50},
        # A generous timeout: on a loaded CI machine a slow answer would mean a fallback to
        # per-process state, which the kill tests below cover on purpose.
        "state": {"redis_url": redis_url, "prefix": prefix, "timeout_s": 1.0,
                  "sync_interval_s": 0.1, "retry_s": 0.3},
        "classifier": {"kind": "rules"},
        "resilience": {"retries": 0, "request_timeout_s": 10, "cooldown_s": 30,
                       "failures_before_cooldown": 3},
        "keys": [
            {"id": "open", "sha256": hash_key(OPEN_KEY)},
            {"id": "rpm", "sha256": hash_key(RPM_KEY), "requests_per_minute": RPM},
            {"id": "budget", "sha256": hash_key(BUDGET_KEY), "daily_usd": BUDGET_USD},
            {"id": "meter", "sha256": hash_key(METER_KEY), "daily_usd": 1000.0},
        ],
        "tiers": [
            {"name": "small", "max_difficulty": 0.5,
             "deployments": [_deployment(fake, "r-s1"), _deployment(fake, "r-s2")]},
            {"name": "large", "deployments": [_deployment(fake, "r-l1")]},
        ],
    }
    path.write_text(yaml.safe_dump(config))


@pytest.fixture(scope="module")
def pair(fake: FakeProvider, redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[Serve, Serve]]:
    work = tmp_path_factory.mktemp("two-gateways")
    config = work / "tianji.yaml"
    write_config(config, fake, redis_server.url, f"t{uuid.uuid4().hex[:8]}")
    gateways = (Serve(config, work / "a.log"), Serve(config, work / "b.log"))
    try:
        for gateway in gateways:
            gateway.wait_ready()
        yield gateways
    finally:
        for gateway in gateways:
            gateway.stop()


@pytest.fixture(autouse=True)
def _empty_redis(redis_server: RedisServer) -> None:
    redis_server.client().flushall()


def chat(url: str, key: str, content: str = "hello there", **extra: Any) -> httpx.Response:
    body = {"model": "small", "max_tokens": MAX_TOKENS,
            "messages": [{"role": "user", "content": content}], **extra}
    return httpx.post(url + "/v1/chat/completions", json=body, timeout=30,
                      headers={"authorization": f"Bearer {key}"})


def deployment_state(url: str, name: str) -> dict[str, Any]:
    listed = httpx.get(url + "/v1/deployments", timeout=10,
                       headers={"authorization": f"Bearer {OPEN_KEY}"}).json()["data"]
    return next(d for d in listed if d["name"] == name)


def test_failures_on_both_add_up_and_the_cooldown_is_honoured_by_the_other(pair, fake):
    a, b = pair
    fake.set_fault("r-s1", Fault(FaultKind.HTTP_ERROR, status=500))
    for _ in range(2):  # two failures on A: below the threshold of 3
        assert chat(a.url, OPEN_KEY).headers["x-tianji-provider"] == "r-s2"
    wait_for(lambda: deployment_state(b.url, "r-s1")["consecutive_failures"] == 2,
             "B to see A's two failures")
    assert chat(b.url, OPEN_KEY).headers["x-tianji-provider"] == "r-s2"  # the third, on B
    assert deployment_state(b.url, "r-s1")["state"] == "cooldown"
    wait_for(lambda: deployment_state(a.url, "r-s1")["state"] == "cooldown",
             "A to see B's cooldown")
    calls = len(fake.calls("r-s1"))
    assert calls == 3
    for url in (a.url, b.url, a.url, b.url):
        response = chat(url, OPEN_KEY)
        assert response.status_code == 200
        assert response.headers["x-tianji-provider"] == "r-s2"
    assert len(fake.calls("r-s1")) == calls  # neither process called it while cooling


def _fresh_minute(margin_s: float = 15.0) -> None:
    """Start a burst early in a minute, so that its rate window does not roll over."""
    into = time.time() % 60
    if into > 60 - margin_s:
        time.sleep(60 - into + 0.1)


def test_a_rate_limit_holds_across_both_gateways_in_both_wire_formats(pair):
    a, b = pair
    _fresh_minute()

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=30) as client:
            return await asyncio.gather(*(client.post(
                (a.url if i % 2 else b.url) + "/v1/chat/completions",
                headers={"authorization": f"Bearer {RPM_KEY}"},
                json={"model": "small", "max_tokens": MAX_TOKENS,
                      "messages": [{"role": "user", "content": f"hi {i}"}]})
                for i in range(2 * RPM)))

    responses = asyncio.run(burst())
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * RPM + [429] * RPM
    refused = [r for r in responses if r.status_code == 429]
    for response in refused:
        assert response.json()["error"]["code"] == "requests_per_minute_exceeded"
        assert 1 <= int(response.headers["retry-after"]) <= 60
    # The Anthropic front door counts against the same window and answers in its shape.
    client = anthropic.Anthropic(base_url=a.url, api_key=RPM_KEY, max_retries=0)
    with pytest.raises(anthropic.RateLimitError) as raised:
        client.messages.create(model="small", max_tokens=MAX_TOKENS,
                               messages=[{"role": "user", "content": "hi"}])
    assert raised.value.body["error"]["type"] == "rate_limit_error"
    assert raised.value.response.headers["retry-after"]


def _spent(redis_server: RedisServer, key_id: str = "budget") -> float:
    client = redis_server.client()
    keys = list(client.keys(f"*:spend:{key_id}:day:*"))
    assert len(keys) <= 1
    return int(client.get(keys[0])) / NANO if keys else 0.0


def test_a_budget_is_exact_under_200_concurrent_requests_split_across_both(pair, redis_server):
    a, b = pair

    async def burst(count: int) -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=200)
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            return await asyncio.gather(*(client.post(
                (a.url if i % 2 else b.url) + "/v1/chat/completions",
                headers={"authorization": f"Bearer {BUDGET_KEY}"},
                json={"model": "small", "max_tokens": MAX_TOKENS,
                      "messages": [{"role": "user", "content": f"count to {i}"}]})
                for i in range(count)))

    responses = asyncio.run(burst(200))
    # Then one at a time until refused: the budget ends where it should.
    for i in range(400):
        response = chat(a.url if i % 2 else b.url, BUDGET_KEY)
        responses.append(response)
        if response.status_code == 429:
            break
    answered = [r for r in responses if r.status_code == 200]
    refused = [r for r in responses if r.status_code != 200]
    assert answered and refused
    for response in refused:
        assert response.status_code == 429
        error = response.json()["error"]
        assert error["code"] == "budget_exceeded"
        assert "resets at" in error["message"]
        assert response.headers["x-tianji-budget"] == "exhausted"
        assert response.headers["x-tianji-budget-reset"].endswith("T00:00:00Z")
    billed = sum(float(r.headers["x-tianji-cost-usd"]) for r in answered)
    # Settlements run after the answer is sent.
    wait_for(lambda: _spent(redis_server) >= billed - 1e-9 * len(answered), "every settlement")
    spent = _spent(redis_server)
    assert spent == pytest.approx(billed, abs=1e-9 * len(answered))  # nothing lost or doubled
    most = MAX_TOKENS * OUTPUT_PRICE / 1e6  # a request's estimate, >= its bill
    assert BUDGET_USD <= spent < BUDGET_USD + most
    # They pin `small`: a cap (past 80% of the budget, counting what is in flight) can only
    # say so, as for requests admitted after others of the burst had spent; which ones that
    # is depends on how the 200 interleave.
    assert {r.headers["x-tianji-budget"] for r in answered} <= {"ok", "capped:small"}
    assert {r.headers["x-tianji-tier"] for r in answered} == {"small"}


def test_redis_killed_mid_run_fails_no_request_and_sharing_resumes(pair, redis_server, fake):
    a, b = pair
    outcomes: list[int] = []

    async def load(stop_after: float) -> None:
        deadline = time.monotonic() + stop_after
        async with httpx.AsyncClient(timeout=30) as client:
            async def worker(n: int) -> None:
                i = 0
                while time.monotonic() < deadline and i < 200:
                    i += 1
                    response = await client.post(
                        (a.url if (n + i) % 2 else b.url) + "/v1/chat/completions",
                        headers={"authorization": f"Bearer {OPEN_KEY}"},
                        json={"model": "small", "max_tokens": MAX_TOKENS,
                              "messages": [{"role": "user", "content": f"turn {n} {i}"}]})
                    outcomes.append(response.status_code)
            await asyncio.gather(*(worker(n) for n in range(4)))

    async def scenario() -> None:
        running = asyncio.create_task(load(4.0))
        await asyncio.sleep(1.0)
        redis_server.kill()
        await asyncio.sleep(1.5)
        redis_server.start()
        await running

    asyncio.run(scenario())
    assert outcomes and set(outcomes) == {200}
    ready = lambda url: httpx.get(url + "/readyz", timeout=10,  # noqa: E731
                                  headers={"authorization": f"Bearer {OPEN_KEY}"}).json()
    wait_for(lambda: all(ready(g.url)["state"]["shared"] for g in (a, b)), "both sharing again")
    # Shared again: a cooldown taken on A is honoured by B.
    fake.set_fault("r-s1", Fault(FaultKind.HTTP_ERROR, status=401))  # auth: cools at once
    assert chat(a.url, OPEN_KEY).headers["x-tianji-provider"] == "r-s2"
    wait_for(lambda: deployment_state(b.url, "r-s1")["state"] == "cooldown",
             "B to see A's cooldown")
    calls = len(fake.calls("r-s1"))
    assert chat(b.url, OPEN_KEY).headers["x-tianji-provider"] == "r-s2"
    assert len(fake.calls("r-s1")) == calls


def test_readyz_says_degraded_while_redis_is_down_and_keeps_serving(pair, redis_server):
    a, _ = pair
    auth = {"authorization": f"Bearer {OPEN_KEY}"}
    redis_server.kill()
    try:
        assert chat(a.url, OPEN_KEY).status_code == 200  # the request that finds Redis gone
        body = httpx.get(a.url + "/readyz", headers=auth, timeout=10).json()
        assert body["status"] == "degraded"
        assert body["state"] == {"backend": "redis", "shared": False, "degraded": True,
                                 "error": body["state"]["error"],
                                 "detail": "Redis unavailable: serving on this process's state"}
        assert chat(a.url, OPEN_KEY).status_code == 200
    finally:
        redis_server.start()
    wait_for(lambda: httpx.get(a.url + "/readyz", headers=auth, timeout=10
                               ).json()["status"] == "ready", "/readyz to say ready")
    lines = a.log.read_text().splitlines()
    assert sum('"state_redis_down"' in line for line in lines) >= 1
    assert sum('"state_redis_up"' in line for line in lines) >= 1


def test_conversation_affinity_started_on_one_gateway_is_known_to_the_other(pair):
    a, b = pair
    # Both sharing again after the tests that killed Redis, and no cooldown left from them.
    wait_for(lambda: all(deployment_state(g.url, "r-s1")["state"] == "ok" for g in (a, b)),
             "r-s1 ok on both")
    session = {"x-tianji-session": f"s-{uuid.uuid4().hex}"}

    def turn(url: str, messages: list[dict[str, str]]) -> httpx.Response:
        return httpx.post(url + "/v1/chat/completions", timeout=30, json={
            "model": "small", "max_tokens": MAX_TOKENS, "messages": messages},
            headers={"authorization": f"Bearer {OPEN_KEY}", **session})

    first = turn(a.url, [{"role": "user", "content": "hello"}])
    assert first.headers["x-tianji-affinity"] == "new"
    served = first.headers["x-tianji-provider"]
    follow_up = turn(b.url, [{"role": "user", "content": "hello"},
                             {"role": "assistant", "content": "hi"},
                             {"role": "user", "content": "and then?"}])
    assert follow_up.headers["x-tianji-affinity"] == "kept"  # B read A's memory from Redis
    assert follow_up.headers["x-tianji-provider"] == served


def test_spend_counted_while_redis_was_down_reaches_it_when_it_returns(pair, redis_server):
    a, _ = pair
    redis_server.kill()
    try:
        answers = [chat(a.url, METER_KEY) for _ in range(5)]
    finally:
        redis_server.start()
    assert [r.status_code for r in answers] == [200] * 5
    billed = sum(float(r.headers["x-tianji-cost-usd"]) for r in answers)
    assert billed > 0
    wait_for(lambda: _spent(redis_server, "meter") == pytest.approx(billed, abs=1e-9),
             "the spend counted without Redis to reach it")
