"""Budget overshoot under load: two gateways on one Redis, one key with a daily budget.

    .venv/bin/python -m bench.budget_overshoot                           # c=64, no max_tokens
    .venv/bin/python -m bench.budget_overshoot --concurrency 200 --max-tokens 8
    .venv/bin/python -m bench.budget_overshoot --stream --max-tokens 8
    .venv/bin/python -m bench.budget_overshoot --quick                   # c=16, small budget

Starts a redis-server (bench/_procs.py `start_redis`), the fake provider (router/fakeprovider,
its own process, `--latency` seconds before each answer) and two `router serve` processes on
one config: one tier of two OpenAI-wire deployments priced at `--output-price` USD per 1M
output tokens (input free), so each answer (8 completion tokens) costs a known amount, and one
`keys:` entry with `daily_usd: --budget`. Then `--concurrency` workers send chat completions
with that key, alternating between the gateways, each worker one request at a time, until the
budget is used up: a worker refused with 429 `budget_exceeded` while Redis's spend is still
under the budget (the estimates of the requests in flight fill it) waits `--retry-s` and
tries again; the run ends at the first refusal once Redis's spend is at the budget. Bounded by
`--max-requests` and `--max-seconds`.

Printed: the budget; the spend counted in Redis; the sum of what the answers billed
(`x-tianji-cost-usd` of each 200, or for `--stream` the usage event's tokens at the prices,
since a stream is billed when it ends) and the same from the gateways' request log lines;
the overshoot (spend - budget) in USD and in requests; the requests in flight when the budget
was crossed and their cost; and PASS when the overshoot is at most that cost. "Crossed" is
the answer, in the order the client received them, whose bill takes the running total to the
budget; "in flight" then are the requests sent before that moment and not yet answered,
that answer included. Each reservation is the prompt plus `--max-tokens` (else 1,024) output
tokens at the dearest deployment (router/api/gateway.py `reserve`), so whenever it covers the
bill no request can be let in once the billed total is at the budget, and the overshoot stays
under one estimate; `--max-tokens` below 8 makes the bill exceed the estimate.

Exit status 1 on FAIL, on a request that was neither a 200 nor a 429 `budget_exceeded`, or
when the budget was not used up within the bounds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import redis.asyncio as aioredis
import yaml

from bench._procs import Proc, free_port, spawn, start_redis
from router.keys import hash_key
from router.state.counters import NANO

REPO = Path(__file__).resolve().parent.parent
ENV = {"LITELLM_LOCAL_MODEL_COST_MAP": "True", "PYTHONUNBUFFERED": "1"}
PROVIDER_KEY = "sk-fake-overshoot-0123456789"
KEY, KEY_ID, PREFIX = "tj-overshoot-0123456789", "overshoot", "overshoot"
ANSWER_TOKENS = 8  # the fake provider's answer: 8 completion tokens
ESTIMATED_OUTPUT_TOKENS = 1024  # router/api/gateway.py, without max_tokens


@dataclass
class Result:
    """One request as the client saw it (times from the run's start, seconds)."""

    sent: float
    done: float
    status: int
    code: str | None = None  # the error code of a refusal
    cost: float = 0.0  # what a 200 billed


@dataclass
class Crossing:
    """The answer that took the billed total to the budget, and what was in flight then."""

    at: float
    in_flight: int
    answered: int  # of those in flight, the ones that got a 200 (and billed)
    in_flight_cost: float


def crossing(results: list[Result], budget: float) -> Crossing | None:
    """Where the running total of bills, in the order the answers arrived, reaches `budget`
    (None when it never does); in flight then: sent before and answered at or after it."""
    total = 0.0
    for answer in sorted((r for r in results if r.status == 200), key=lambda r: r.done):
        total += answer.cost
        if total >= budget - 1e-12:
            flying = [r for r in results if r.sent < answer.done <= r.done]
            return Crossing(answer.done, len(flying), sum(r.status == 200 for r in flying),
                            sum(r.cost for r in flying))
    return None


# ------------------------------------------------------------------ processes


def write_config(path: Path, fake_url: str, redis_url: str, budget: float,
                 output_price: float) -> None:
    deployments = [{"name": name, "model": f"openai/gpt-fake-{name}",
                    "api_base": f"{fake_url}/d/{name}/v1", "api_key": PROVIDER_KEY,
                    "price": {"input": 0.0, "output": output_price}}
                   for name in ("over-a", "over-b")]
    config = {
        "server": {"host": "127.0.0.1"},
        # A generous Redis timeout: on a loaded machine a slow answer would put a gateway on
        # its own counters, which is the Redis-down case, not this one (it is reported).
        "state": {"redis_url": redis_url, "prefix": PREFIX, "timeout_s": 1.0},
        "classifier": {"kind": "rules"},
        "resilience": {"retries": 0, "request_timeout_s": 30},
        "keys": [{"id": KEY_ID, "sha256": hash_key(KEY), "daily_usd": budget}],
        "tiers": [{"name": "small", "deployments": deployments}],
    }
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def start_fake(workdir: Path, latency: float) -> Proc:
    port = free_port()
    argv = [sys.executable, "-m", "router.fakeprovider", "--host", "127.0.0.1", "--port",
            str(port), "--latency", str(latency)]
    return spawn("fake provider", argv, f"http://127.0.0.1:{port}", "/_admin/health",
                 workdir / "fake.log", env=ENV, cwd=str(REPO))


def start_gateway(config: Path, log: Path) -> Proc:
    port = free_port()
    argv = [sys.executable, "-m", "router.cli", "serve", "--config", str(config), "--port",
            str(port)]
    return spawn("tianji", argv, f"http://127.0.0.1:{port}", "/healthz", log, env=ENV,
                 cwd=str(REPO))


# ------------------------------------------------------------------ load


def _stream_cost(raw: str, output_price: float) -> float:
    """A stream's bill: the usage event's completion tokens at the output price."""
    for line in raw.splitlines():
        if line.startswith("data:") and '"usage"' in line:
            usage = json.loads(line[5:]).get("usage")
            if usage:
                return float(usage["completion_tokens"]) * output_price / 1e6
    raise ValueError("stream without a usage event")


async def one(client: httpx.AsyncClient, url: str, body: dict[str, Any], started: float,
              output_price: float) -> Result:
    sent = time.monotonic() - started
    headers = {"authorization": f"Bearer {KEY}"}
    try:
        if body.get("stream"):
            async with client.stream("POST", url, json=body, headers=headers) as response:
                raw = (await response.aread()).decode()
        else:
            response = await client.post(url, json=body, headers=headers)
            raw = response.text
    except httpx.TransportError as exc:  # no answer at all: reported as "other"
        return Result(sent, time.monotonic() - started, 0, type(exc).__name__)
    done = time.monotonic() - started
    if response.status_code != 200:
        code = None
        with contextlib.suppress(ValueError, KeyError, TypeError):
            code = json.loads(raw)["error"]["code"]
        return Result(sent, done, response.status_code, code)
    cost = (_stream_cost(raw, output_price) if body.get("stream")
            else float(response.headers["x-tianji-cost-usd"]))
    return Result(sent, done, 200, cost=cost)


async def spend_in_redis(client: aioredis.Redis) -> float:
    day = dt.datetime.now(dt.UTC).strftime("%Y%m%d")
    value = await client.get(f"{PREFIX}:spend:{KEY_ID}:day:{day}")
    return int(value or 0) / NANO


async def load(args: argparse.Namespace, urls: list[str], redis_url: str) -> list[Result]:
    results: list[Result] = []
    stop = asyncio.Event()
    started = time.monotonic()
    deadline = started + args.max_seconds
    base: dict[str, Any] = {"model": "small"}
    if args.max_tokens is not None:
        base["max_tokens"] = args.max_tokens
    if args.stream:
        base |= {"stream": True, "stream_options": {"include_usage": True}}
    limits = httpx.Limits(max_connections=args.concurrency + 8)
    store = aioredis.Redis(connection_pool=aioredis.BlockingConnectionPool.from_url(
        redis_url, max_connections=8))
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        async def worker(n: int) -> None:
            i = 0
            while not stop.is_set() and len(results) < args.max_requests \
                    and time.monotonic() < deadline:
                i += 1
                body = {**base, "messages": [{"role": "user", "content": f"count to {n} {i}"}]}
                url = urls[(n + i) % len(urls)] + "/v1/chat/completions"
                result = await one(client, url, body, started, args.output_price)
                results.append(result)
                if result.status != 200:
                    if result.code != "budget_exceeded":
                        stop.set()  # unexpected: reported below
                    elif await spend_in_redis(store) >= args.budget:
                        stop.set()
                    else:
                        await asyncio.sleep(args.retry_s)

        await asyncio.gather(*(worker(n) for n in range(args.concurrency)))
    await store.aclose()
    return results


def logged_cost(logs: list[Path]) -> float:
    """The cost of the key's answered requests in the gateways' request log lines."""
    total = 0.0
    for path in logs:
        for line in path.read_text(errors="replace").splitlines():
            start = line.find('{"event": "request"')
            if start < 0:
                continue
            entry = json.loads(line[start:])
            if entry.get("key_id") == KEY_ID and entry.get("status") == 200:
                total += entry.get("cost_usd") or 0.0
    return total


def redis_down_events(logs: list[Path]) -> int:
    return sum(p.read_text(errors="replace").count('"state_redis_down"') for p in logs)


# ------------------------------------------------------------------ report


def report(args: argparse.Namespace, results: list[Result], spent: float, logged: float,
           down: int, seconds: float) -> bool:
    one_cost = ANSWER_TOKENS * args.output_price / 1e6
    estimate = (args.max_tokens or ESTIMATED_OUTPUT_TOKENS) * args.output_price / 1e6
    answered = [r for r in results if r.status == 200]
    refused = [r for r in results if r.status == 429 and r.code == "budget_exceeded"]
    other = [r for r in results if r not in answered and r not in refused]
    billed = sum(r.cost for r in answered)
    cross = crossing(results, args.budget)
    overshoot = spent - args.budget
    mode = "stream" if args.stream else "json"
    print(f"settings: concurrency {args.concurrency}, {mode}, max_tokens {args.max_tokens}, "
          f"2 gateways on one Redis, fake latency {args.latency}s")
    print(f"one request: bills ${one_cost:.8f} ({ANSWER_TOKENS} output tokens), reserves "
          f"${estimate:.8f} ({args.max_tokens or ESTIMATED_OUTPUT_TOKENS} output tokens)")
    print(f"requests: {len(results)} in {seconds:.1f}s: {len(answered)} answered, "
          f"{len(refused)} refused budget_exceeded, {len(other)} other"
          + (f" ({sorted({(r.status, r.code) for r in other})})" if other else ""))
    print(f"budget:                 ${args.budget:.8f}")
    print(f"spend in Redis:         ${spent:.8f}")
    print(f"billed by the answers:  ${billed:.8f}  (request log: ${logged:.8f})")
    print(f"overshoot:              ${overshoot:.8f} = {overshoot / one_cost:.2f} requests "
          f"= {overshoot / estimate:.3f} estimates")
    if down:
        print(f"NOTE: {down} state_redis_down events: a gateway counted on its own for a while")
    if cross is None:
        print("budget crossed:         never (the answers billed less than the budget)")
        ok = False
    else:
        print(f"budget crossed at:      {cross.at:.3f}s, {cross.in_flight} requests in flight "
              f"({cross.answered} answered) costing ${cross.in_flight_cost:.8f} = "
              f"{cross.in_flight_cost / one_cost:.2f} requests")
        early = sum(r.done < cross.at for r in refused)
        print(f"refused before that:    {early} budget_exceeded while the estimates in flight "
              "filled the budget")
        ok = overshoot <= cross.in_flight_cost + 1e-9
        print(f"{'PASS' if ok else 'FAIL'}: overshoot ${overshoot:.8f} "
              f"{'<=' if ok else '>'} in-flight cost ${cross.in_flight_cost:.8f}")
    return ok and not other


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--budget", type=float, default=0.02, help="daily_usd of the key")
    parser.add_argument("--stream", action="store_true", help="streamed requests")
    parser.add_argument("--max-tokens", type=int, default=None,
                        help="max_tokens of every request (the reservation's output)")
    parser.add_argument("--output-price", type=float, default=10.0, help="USD per 1M tokens")
    parser.add_argument("--latency", type=float, default=0.05,
                        help="fake provider's seconds before each answer")
    parser.add_argument("--retry-s", type=float, default=0.05,
                        help="pause of a worker refused while the budget is not used up")
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument("--quick", action="store_true",
                        help="c=16, a budget of 40 answers, at most 60 s")
    args = parser.parse_args(argv)
    if args.quick:
        args.concurrency, args.max_seconds = 16, 60.0
        args.budget = 40 * ANSWER_TOKENS * args.output_price / 1e6
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    workdir = Path(tempfile.mkdtemp(prefix="tianji-overshoot-"))
    print(f"logs: {workdir}")
    procs: list[Proc] = []
    try:
        procs.append(redis := start_redis(workdir))
        procs.append(fake := start_fake(workdir, args.latency))
        config = workdir / "tianji.yaml"
        write_config(config, fake.url, redis.url, args.budget, args.output_price)
        logs = [workdir / "tianji-a.log", workdir / "tianji-b.log"]
        gateways = [start_gateway(config, log) for log in logs]
        procs += gateways
        began = time.monotonic()
        results = asyncio.run(load(args, [g.url for g in gateways], redis.url))
        seconds = time.monotonic() - began
        time.sleep(1.0)  # settlements run after the answer is sent

        async def final() -> float:
            store = aioredis.from_url(redis.url)
            try:
                return await spend_in_redis(store)
            finally:
                await store.aclose()

        spent = asyncio.run(final())
        ok = report(args, results, spent, logged_cost(logs), redis_down_events(logs), seconds)
    finally:
        for proc in reversed(procs):
            proc.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
