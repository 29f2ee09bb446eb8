"""`router demo --traffic N`: N mixed requests through the gateway, each answer checked.

The mix repeats every ten requests: five easy prompts and three hard ones with
`model="auto"`, two pinned to `model="sonnet"`; a third of them streamed. One
request (the fifth) is a long log that only a 1M-token window can take. The easy
and hard prompts are ones the shipped classifier scores below 0.25 and above 0.8.

A request is *answered* when it gets a 200 whose text names the tier and deployment
that the x-tianji-* headers name (a stream: well-formed events, the usage event,
`[DONE]`); it got a *correct error* when the answer is an OpenAI-shaped error
(or, in a stream, one in-band error event and no `[DONE]`); anything else is *lost*.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

CONCURRENCY = 16
REQUEST_TIMEOUT_S = 60
TIANJI_HEADERS = ("x-tianji-tier", "x-tianji-model", "x-tianji-provider", "x-tianji-difficulty",
                  "x-tianji-attempts", "x-tianji-cost-usd")
ERROR_STATUSES = (400, 429, 502, 503, 504)

EASY = (
    "Translate 'good morning' into French.",
    "What is the capital of Australia?",
    "Fix the typo in this sentence: 'I recieved your mesage yesterday.'",
    "Write a haiku about autumn leaves.",
    "Convert 72 degrees Fahrenheit to Celsius.",
    "Extract the email address from: 'Contact Jane at jane.doe@example.com for details.'",
    "Write a Python function that reverses a string.",
    "Write a SQL query that returns the ten customers with the highest total order value.",
)
HARD = (
    "Let f be a continuous function on [0,1] with f(0)=f(1). Prove that for every positive "
    "integer n there exist x such that f(x)=f(x+1/n).",
    "Find all integer solutions of x^3 + y^3 = z^3 + 1 with |x|,|y|,|z| < 100, and explain "
    "the method.",
    "Determine all functions f: R -> R such that f(x + y) = f(x) + f(y) and f(xy) = f(x)f(y) "
    "for all real x, y.",
    "Show that every group of order p^2, where p is prime, is abelian.",
)
PINNED = (
    "Review this function for bugs: def mean(xs): return sum(xs) / len(xs)",
    "Draft a short, friendly reply to a customer asking for a refund after 40 days.",
)
LONG_LOG_LINES = 11_200
LONG_MAX_TOKENS = 64_000  # Haiku 4.5's largest output; with the log it exceeds 200k tokens
# (kind, streamed) for each request in a cycle of ten
CYCLE = (("easy", False), ("hard", False), ("easy", True), ("pinned", False), ("easy", False),
         ("hard", True), ("easy", False), ("pinned", True), ("hard", False), ("easy", True))
LONG_AT = 4
KIND_LABELS = {
    "easy": "easy (model=auto)",
    "hard": "hard (model=auto)",
    "pinned": "pinned (model=sonnet)",
    "long": "long log, ~139k tokens + max_tokens 64k",
}


def long_log() -> str:
    lines = []
    for i in range(LONG_LOG_LINES):
        failed = i % 97 == 0
        lines.append(f"{'ERROR' if failed else 'INFO'} checkout request r{i:05d} status "
                     f"{'500' if failed else '200'} in {(i * 37) % 400} ms")
    return "Please read this log.\n\n" + "\n".join(lines) + "\n\nHow many lines say ERROR?"


@dataclass(frozen=True)
class Planned:
    kind: str  # easy | hard | pinned | long
    stream: bool
    body: dict[str, Any]


def plan(n: int) -> list[Planned]:
    """The requests of a run of `n`, in order."""
    counts = {"easy": 0, "hard": 0, "pinned": 0}
    pools = {"easy": EASY, "hard": HARD, "pinned": PINNED}
    planned = []
    for i in range(n):
        if i == LONG_AT:
            body = {"model": "auto", "max_tokens": LONG_MAX_TOKENS,
                    "messages": [{"role": "user", "content": long_log()}]}
            planned.append(Planned("long", False, body))
            continue
        kind, stream = CYCLE[i % len(CYCLE)]
        pool = pools[kind]
        prompt = pool[counts[kind] % len(pool)]
        counts[kind] += 1
        body = {"model": "sonnet" if kind == "pinned" else "auto",
                "messages": [{"role": "user", "content": prompt}]}
        if stream:
            body |= {"stream": True, "stream_options": {"include_usage": True}}
        planned.append(Planned(kind, stream, body))
    return planned


@dataclass
class Result:
    """What the client saw for one request."""

    planned: Planned
    request_id: str
    verdict: str = "lost"  # answered | error | lost
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    detail: str = ""

    @property
    def tier(self) -> str | None:
        return self.headers.get("x-tianji-tier")

    @property
    def deployment(self) -> str | None:
        return self.headers.get("x-tianji-provider")

    @property
    def attempts(self) -> int:
        return int(self.headers.get("x-tianji-attempts", "0"))


def _names_its_source(text: str, headers: dict[str, str]) -> bool:
    tag = f"[tier {headers.get('x-tianji-tier')} | deployment {headers.get('x-tianji-provider')} "
    return text.startswith(tag)


def _is_error_body(data: Any) -> bool:
    error = data.get("error") if isinstance(data, dict) else None
    return isinstance(error, dict) and isinstance(error.get("message"), str) and "type" in error


def _judge_json(result: Result, raw: bytes) -> None:
    try:
        data = json.loads(raw)
    except ValueError:
        result.detail = "the body is not JSON"
        return
    if result.status in ERROR_STATUSES and _is_error_body(data):
        result.verdict, result.detail = "error", str(data["error"].get("code"))
        return
    if result.status != 200:
        result.detail = f"status {result.status}"
        return
    missing = [h for h in TIANJI_HEADERS if h not in result.headers]
    choices = data.get("choices") or [{}]
    text = (choices[0].get("message") or {}).get("content") or ""
    if missing or not data.get("usage") or not _names_its_source(text, result.headers):
        result.detail = f"incomplete answer (missing headers {missing})" if missing else (
            "the answer does not name the tier and deployment the headers name")
        return
    result.verdict = "answered"


def _judge_stream(result: Result, lines: list[str]) -> None:
    events = [line[6:] for line in lines if line.startswith("data: ")]
    done = bool(events) and events[-1] == "[DONE]"
    chunks = []
    for event in events[:-1] if done else events:
        try:
            chunks.append(json.loads(event))
        except ValueError:
            result.detail = "a malformed event"
            return
    errors = [c for c in chunks if "error" in c]
    if errors:
        if not done and len(errors) == 1 and chunks[-1] is errors[0]:
            result.verdict, result.detail = "error", "stream_interrupted"
        else:
            result.detail = "an error event, then more"
        return
    text = "".join((c.get("choices") or [{}])[0].get("delta", {}).get("content") or ""
                   for c in chunks if c.get("choices"))
    has_usage = any(c.get("usage") for c in chunks)
    if done and has_usage and _names_its_source(text, result.headers):
        result.verdict = "answered"
    else:
        result.detail = "the stream is incomplete or does not name its tier and deployment"


async def _send(client: httpx.AsyncClient, result: Result) -> None:
    planned = result.planned
    try:
        async with client.stream("POST", "/v1/chat/completions", json=planned.body,
                                 headers={"x-request-id": result.request_id}) as response:
            result.status = response.status_code
            result.headers = {k: v for k, v in response.headers.items()
                              if k.startswith("x-tianji-")}
            if planned.stream and response.status_code == 200:
                _judge_stream(result, [line async for line in response.aiter_lines()])
            else:
                _judge_json(result, await response.aread())
    except (httpx.HTTPError, OSError) as exc:
        result.detail = f"{type(exc).__name__}: {exc}"


async def _run(url: str, requests: list[Planned], concurrency: int) -> list[Result]:
    results = [Result(p, f"demo-{i:04d}-{uuid.uuid4().hex[:8]}") for i, p in enumerate(requests)]
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S, limits=limits,
                                 headers={"authorization": "Bearer demo"}) as client:

        async def one(result: Result) -> None:
            async with gate:
                await _send(client, result)

        await asyncio.gather(*(one(r) for r in results))
    return results


def send(url: str, n: int, concurrency: int = CONCURRENCY) -> tuple[list[Result], float]:
    """Send the run of `n` to the gateway at `url`; the results and the seconds it took.
    Each request is bounded by REQUEST_TIMEOUT_S."""
    started = time.monotonic()
    results = asyncio.run(_run(url, plan(n), concurrency))
    return results, time.monotonic() - started
