"""Load with faults: many requests through Tianji while ~20% of upstream calls fail at random.

    /work/main/.venv/bin/python -m bench.load_faults            # 10,000 requests, c=64, <= 600 s
    /work/main/.venv/bin/python -m bench.load_faults --quick    # 1,000 requests, <= 120 s
    /work/main/.venv/bin/python -m bench.load_faults --replicas 2 --redis --dead small-openai-a

`--replicas N` starts N gateway processes on one config and sends the requests to them in
turn; `--redis` starts a redis-server (its own process, a free 127.0.0.1 port) and points
every replica's `state.redis_url` at it; `--dead DEPLOYMENT` makes that deployment fail
every call for the whole run and reports how many calls it still got (with shared
cooldowns, N replicas should call it about as often as one process does).

Starts the fake provider (router/fakeprovider, its own process) with random failures on
every deployment (errors, resets, cut streams, and stalls: nothing after the connection,
nothing after the headers, a trickle of one byte every 2 s), and the gateway (`router
serve`, its own process) with three tiers of two or three deployments each, mixing
OpenAI-wire and Anthropic-wire endpoints. Then an
asyncio client (aiohttp, `--concurrency` connections) sends a mix of streaming and
non-streaming requests, `model="auto"` with easy and hard prompts as well as pinned tiers,
and classifies every outcome strictly (see `classify_json` and `classify_stream`):

- answered: 200 with a complete answer: the deployment's exact text, a finish reason,
  every x-tianji-* header, and for a stream well-formed SSE events ending in [DONE]
  (plus the usage event when `stream_options.include_usage` was asked for);
- answered after a retry or fallback: answered with x-tianji-attempts > 1; "on another
  deployment" counts the answers not served by the first deployment of the tier that
  answered (a fallback inside the tier, or an escalation);
- answered after a time-to-first-token (stall) fallback: answered, and the gateway's log
  has an attempt of that request with outcome "stall" (a deployment that sent nothing
  useful in time, left for the next one); its latencies show how fast that happens;
- failed with a correct error: an OpenAI-shaped error with status 429, 502, 503 or 504,
  or a stream that started and then ended with one OpenAI-shaped in-band error event and
  no [DONE];
- lost: anything else: a client timeout, a connection error, a malformed or truncated
  body, a stream with [DONE] but an incomplete answer, a 500, a missing header.

The gateway's RSS (VmRSS summed over its process tree) is read before the load, after
the warm-up (the first `--warmup` requests, 2,000 by default) and at every 1,000
completed requests. Memory passes when the RSS growth from the end of the warm-up to
the end of the run is at most `--rss-slack-mb` (default 10 MB, i.e. under about 1.3 KB
per request over the 8,000 requests after the default warm-up). Exit status 1 when any
request was lost or memory did not pass, else 0.

Every load is bounded: at most `--requests` requests, and no new request after
`--max-seconds`; each request has a client timeout (`--timeout`, default 30 s, twice the
gateway's request deadline). Everything binds 127.0.0.1. Logs stay in a temporary
directory that is printed, with the request ids of lost requests (`x-request-id: lf-N`)
so they can be found in the gateway's log.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from bench._load import percentile
from bench._procs import Proc, cpu_seconds, free_port, rss_mb, spawn, start_redis
from bench._targets import classifier_kind

REPO = Path(__file__).resolve().parent.parent
PROVIDER_KEY = "sk-fake-load-faults-0123456789"
ENV = {"LITELLM_LOCAL_MODEL_COST_MAP": "True", "PYTHONUNBUFFERED": "1"}
HEADERS = ("x-tianji-tier", "x-tianji-model", "x-tianji-provider", "x-tianji-difficulty",
           "x-tianji-attempts", "x-tianji-cost-usd")
GOOD_ERROR_STATUSES = frozenset({429, 502, 503, 504})

# tier -> deployments in order, as (deployment id, wire format)
TIERS: dict[str, list[tuple[str, str]]] = {
    "small": [("small-openai-a", "openai"), ("small-anthropic", "anthropic"),
              ("small-openai-b", "openai")],
    "medium": [("medium-anthropic", "anthropic"), ("medium-openai", "openai")],
    "large": [("large-openai", "openai"), ("large-anthropic", "anthropic")],
}
RESILIENCE = {
    "retries": 1,
    "backoff_initial_s": 0.05,
    "backoff_max_s": 0.5,
    "request_timeout_s": 15,  # first_token_timeout_s / idle_timeout_s: the shipped defaults
    "cooldown_s": 5,
    "failures_before_cooldown": 5,
    "escalate": True,
}
# What a failing upstream call does, drawn uniformly (fakeprovider --random-faults).
FAULTS: list[dict[str, Any]] = [
    {"kind": "http_error", "status": 429, "retry_after": 1},
    {"kind": "http_error", "status": 500},
    {"kind": "http_error", "status": 502},
    {"kind": "http_error", "status": 503},
    {"kind": "reset"},
    {"kind": "stream_cut", "after_chunks": 3},  # a JSON answer is cut half way instead
    {"kind": "stall", "delay": 1.0, "close": True},  # hangs a second, then drops
    {"kind": "stall", "delay": 60.0},  # accepts the connection, then sends nothing
    {"kind": "headers_stall", "delay": 60.0},  # sends a 200's headers, then nothing
    {"kind": "trickle", "delay": 2.0},  # sends a 200's headers, then a byte every 2 s
]
PROMPTS = {
    "easy": ["Translate 'good morning' into French.", "What is the capital of Italy?",
             "Say hello.", "Extract the year from: 'It was founded in 1998 in Oslo.'"],
    "hard": ["Prove that there are infinitely many primes p such that p + 2 is also prime, "
             "or explain precisely why this is open, with the strongest known results.",
             "Design a lock-free multi-producer multi-consumer queue in C++ and prove it "
             "linearizable; discuss the ABA problem and memory reclamation in detail.",
             "Derive the Black-Scholes PDE from first principles using Ito's lemma and a "
             "delta-hedged portfolio, then solve it for a European call."],
}
MODELS = ["auto"] * 6 + ["small", "haiku", "medium", "sonnet", "large", "opus"]


def answer_text(dep_id: str) -> str:
    return f"Hello from {dep_id}! This is a fake answer."


def first_deployment(tier: str) -> str:
    return TIERS[tier][0][0]


# ------------------------------------------------------------------ processes


def write_config(fake_url: str, path: Path, redis_url: str | None = None) -> None:
    tiers = []
    for i, (tier, deps) in enumerate(TIERS.items()):
        entries = []
        for dep_id, wire in deps:
            if wire == "anthropic":
                entry = {"model": f"anthropic/claude-fake-{tier}",
                         "api_base": f"{fake_url}/d/{dep_id}"}
            else:
                entry = {"model": f"openai/gpt-fake-{tier}",
                         "api_base": f"{fake_url}/d/{dep_id}/v1"}
            entries.append({"name": dep_id, **entry, "api_key": PROVIDER_KEY,
                            "price": {"input": 1.0 * 5**i, "output": 5.0 * 5**i},
                            "max_context": 200_000})
        item: dict[str, Any] = {"name": tier, "aliases": [("haiku", "sonnet", "opus")[i]],
                                "deployments": entries}
        if i < len(TIERS) - 1:
            item["max_difficulty"] = (0.33, 0.66)[i]
        tiers.append(item)
    config: dict[str, Any] = {"server": {"host": "127.0.0.1"}, "resilience": RESILIENCE,
                              "classifier": {"kind": classifier_kind()}, "tiers": tiers}
    if redis_url:
        config["state"] = {"redis_url": redis_url, "prefix": "load-faults"}
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def start_fake(workdir: Path, failure_rate: float, seed: int) -> Proc:
    port = free_port()
    argv = [sys.executable, "-m", "router.fakeprovider", "--host", "127.0.0.1", "--port",
            str(port), "--failure-rate", str(failure_rate), "--seed", str(seed),
            "--random-faults", json.dumps(FAULTS)]
    return spawn("fake provider", argv, f"http://127.0.0.1:{port}", "/_admin/health",
                 workdir / "fake.log", env=ENV, cwd=str(REPO))


def start_gateway(fake_url: str, workdir: Path, lean: bool, redis_url: str | None = None,
                  replica: int = 0) -> Proc:
    config = workdir / "tianji.yaml"
    write_config(fake_url, config, redis_url)
    port = free_port()
    argv = [sys.executable, "-m", "router.cli", "serve", "--config", str(config), "--port",
            str(port)]
    env = {**ENV, **({} if lean else {"TIANJI_LEAN_TRANSPORT": "0"})}
    log = workdir / ("tianji.log" if replica == 0 else f"tianji-{replica}.log")
    return spawn("tianji", argv, f"http://127.0.0.1:{port}", "/healthz", log, env=env,
                 cwd=str(REPO))


def kill_deployment(fake_url: str, dep_id: str) -> None:
    """Every call to `dep_id` fails with a 500 from now on."""
    import urllib.request

    request = urllib.request.Request(
        f"{fake_url}/_admin/faults/{dep_id}", method="POST",
        data=json.dumps({"kind": "http_error", "status": 500}).encode(),
        headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30):
        pass


def deployment_calls(fake_url: str, dep_id: str) -> int:
    import urllib.request

    with urllib.request.urlopen(f"{fake_url}/_admin/calls/{dep_id}", timeout=30) as resp:
        return len(json.load(resp)["calls"])


# ------------------------------------------------------------------ classification

ANSWERED, ERROR_OK, LOST = "answered", "error", "lost"


@dataclass
class Outcome:
    index: int
    stream: bool
    kind: str  # ANSWERED | ERROR_OK | LOST
    latency_s: float
    status: int | None = None
    attempts: int = 0
    tier: str = ""
    provider: str = ""
    detail: str = ""  # why (error code, or what made it lost)

    @property
    def other_deployment(self) -> bool:
        return self.kind == ANSWERED and self.tier in TIERS and \
            self.provider != first_deployment(self.tier)


def _openai_error(body: Any) -> str | None:
    """The error's code/type when `body` is exactly OpenAI's error shape, else None."""
    if not isinstance(body, dict) or set(body) != {"error"}:
        return None
    err = body["error"]
    if not isinstance(err, dict) or set(err) != {"message", "type", "param", "code"}:
        return None
    if not isinstance(err["message"], str) or not err["message"] or "Traceback" in err["message"]:
        return None
    if not isinstance(err["type"], str):
        return None
    if not (err["code"] is None or isinstance(err["code"], str)):
        return None
    return str(err["code"] or err["type"])


def _headers_ok(headers: dict[str, str]) -> str | None:
    """Why the x-tianji-* headers of an answer are wrong, or None."""
    missing = [h for h in HEADERS if h not in headers]
    if missing:
        return f"missing headers {missing}"
    if headers["x-tianji-tier"] not in TIERS:
        return f"unknown tier {headers['x-tianji-tier']!r}"
    if not headers["x-tianji-attempts"].isdigit() or int(headers["x-tianji-attempts"]) < 1:
        return f"bad x-tianji-attempts {headers['x-tianji-attempts']!r}"
    return None


def classify_error(status: int, raw: bytes) -> tuple[str, str]:
    """A non-200 answer: a correct error when OpenAI-shaped with a status that fits."""
    try:
        code = _openai_error(json.loads(raw))
    except ValueError:
        code = None
    if code is None:
        return LOST, f"{status} with a body that is not an OpenAI error: {raw[:200]!r}"
    if status not in GOOD_ERROR_STATUSES:
        return LOST, f"{status} {code}"
    return ERROR_OK, f"{status} {code}"


def classify_json(headers: dict[str, str], raw: bytes) -> tuple[str, str]:
    """A non-streaming 200."""
    bad = _headers_ok(headers)
    if bad:
        return LOST, bad
    try:
        body = json.loads(raw)
        choice = body["choices"][0]
        content = choice["message"]["content"]
        finish = choice["finish_reason"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        return LOST, f"malformed completion ({type(exc).__name__}): {raw[:200]!r}"
    if body.get("object") != "chat.completion" or not finish:
        return LOST, f"not a finished chat.completion: {raw[:200]!r}"
    expected = answer_text(headers["x-tianji-provider"])
    if content != expected:
        return LOST, f"content {content!r} != {expected!r}"
    return ANSWERED, ""


def parse_sse(raw: bytes) -> list[Any]:
    """The data of each SSE event: parsed JSON, or the string "[DONE]". Raises ValueError."""
    events: list[Any] = []
    text = raw.decode("utf-8").replace("\r\n", "\n")
    if text and not text.endswith("\n\n"):
        raise ValueError("the stream does not end at an event boundary")
    for block in text.split("\n\n"):
        if not block:
            continue
        lines = block.split("\n")
        if any(not line.startswith(("data:", ":")) for line in lines):
            raise ValueError(f"unexpected SSE line in {block[:100]!r}")
        data = "\n".join(line[5:].lstrip() for line in lines if line.startswith("data:"))
        if data:
            events.append(data if data == "[DONE]" else json.loads(data))
    return events


def classify_stream(headers: dict[str, str], raw: bytes, include_usage: bool) -> tuple[str, str]:
    """A streaming 200: complete and ending in [DONE], or cut with one in-band error."""
    bad = _headers_ok(headers)
    if bad:
        return LOST, bad
    try:
        events = parse_sse(raw)
    except ValueError as exc:
        return LOST, f"malformed SSE ({exc}): {raw[-200:]!r}"
    if not events:
        return LOST, "empty stream"
    if events[-1] != "[DONE]":
        if "[DONE]" in events:
            return LOST, "events after [DONE]"
        errors = [e for e in events if isinstance(e, dict) and "error" in e]
        code = _openai_error(events[-1])
        if code is not None and len(errors) == 1:
            return ERROR_OK, f"in-band {code}"
        return LOST, f"stream ended without [DONE] or a single error event: {raw[-200:]!r}"
    if events.count("[DONE]") != 1:
        return LOST, "more than one [DONE]"
    chunks = events[:-1]
    text, finished, usage = [], False, False
    for chunk in chunks:
        if not isinstance(chunk, dict) or chunk.get("object") != "chat.completion.chunk":
            return LOST, f"not a chat.completion.chunk: {str(chunk)[:200]}"
        if chunk.get("usage"):
            usage = True
        for choice in chunk.get("choices") or ():
            text.append((choice.get("delta") or {}).get("content") or "")
            finished = finished or bool(choice.get("finish_reason"))
    expected = answer_text(headers["x-tianji-provider"])
    if "".join(text) != expected:
        return LOST, f"[DONE] after an incomplete answer {''.join(text)!r}"
    if not finished:
        return LOST, "[DONE] without a finish_reason"
    if include_usage and not usage:
        return LOST, "include_usage asked for, no usage event"
    return ANSWERED, ""


# ------------------------------------------------------------------ client


@dataclass
class Plan:
    """What request number `index` sends (drawn from a seeded generator)."""

    index: int
    model: str
    prompt: str
    stream: bool
    include_usage: bool

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model,
                                "messages": [{"role": "user", "content": self.prompt}]}
        if self.stream:
            body["stream"] = True
            if self.include_usage:
                body["stream_options"] = {"include_usage": True}
        return body


def plans(count: int, stream_fraction: float, seed: int) -> list[Plan]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        stream = rng.random() < stream_fraction
        prompt = rng.choice(PROMPTS["easy" if rng.random() < 0.6 else "hard"])
        out.append(Plan(i, rng.choice(MODELS), prompt, stream, stream and rng.random() < 0.5))
    return out


async def send(session: aiohttp.ClientSession, url: str, plan: Plan, timeout: float) -> Outcome:
    started = time.perf_counter()
    status: int | None = None
    headers: dict[str, str] = {}
    try:
        async with asyncio.timeout(timeout):
            async with session.post(url, json=plan.body(),
                                    headers={"x-request-id": f"lf-{plan.index}"}) as response:
                status = response.status
                headers = {k.lower(): v for k, v in response.headers.items()}
                raw = await response.read()
    except TimeoutError:
        return Outcome(plan.index, plan.stream, LOST, time.perf_counter() - started, status,
                       detail=f"no complete answer within the client timeout of {timeout:g}s")
    except aiohttp.ClientError as exc:
        return Outcome(plan.index, plan.stream, LOST, time.perf_counter() - started, status,
                       detail=f"{type(exc).__name__}: {exc}")
    latency = time.perf_counter() - started
    if status != 200:
        kind, detail = classify_error(status, raw)
    elif plan.stream and headers.get("content-type", "").startswith("text/event-stream"):
        kind, detail = classify_stream(headers, raw, plan.include_usage)
    elif not plan.stream and headers.get("content-type", "").startswith("application/json"):
        kind, detail = classify_json(headers, raw)
    else:
        kind, detail = LOST, f"200 with content-type {headers.get('content-type')!r}"
    attempts = headers.get("x-tianji-attempts", "0")
    return Outcome(plan.index, plan.stream, kind, latency, status,
                   int(attempts) if attempts.isdigit() else 0,
                   headers.get("x-tianji-tier", ""), headers.get("x-tianji-provider", ""), detail)


@dataclass
class Run:
    outcomes: list[Outcome]
    seconds: float
    rss: list[tuple[int, float]] = field(default_factory=list)  # (requests completed, MB)
    stopped_by_time: bool = False


async def run_load(urls: list[str], work: list[Plan], concurrency: int, max_seconds: float,
                   timeout: float, on_progress: Callable[[int], None] | None = None) -> Run:
    """Send `work` from `concurrency` workers, request i to `urls[i % len(urls)]`; no new
    request after `max_seconds`."""
    outcomes: list[Outcome] = []
    queue = iter(work)
    started = time.perf_counter()
    stop_at = started + max_seconds
    stopped = False
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector, auto_decompress=False) as session:

        async def worker() -> None:
            nonlocal stopped
            for plan in queue:
                if time.perf_counter() >= stop_at:
                    stopped = True
                    return
                url = urls[plan.index % len(urls)]
                outcomes.append(await send(session, url, plan, timeout))
                if on_progress is not None:
                    on_progress(len(outcomes))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Run(outcomes, time.perf_counter() - started, stopped_by_time=stopped)


# ------------------------------------------------------------------ report


@dataclass
class Summary:
    sent: int
    answered: int
    retried: int
    other_deployment: int
    errors_ok: int
    lost: int
    p50_ms: float
    p99_ms: float
    answered_p50_ms: float
    answered_p99_ms: float
    rps: float
    streams: int
    error_kinds: Counter[str]
    lost_kinds: Counter[str]


def summarize(run: Run) -> Summary:
    out = run.outcomes
    answered = [o for o in out if o.kind == ANSWERED]
    all_ms = [o.latency_s * 1000 for o in out]
    ok_ms = [o.latency_s * 1000 for o in answered]

    def reason(o: Outcome) -> str:  # group lost details by their first words
        return " ".join(o.detail.split()[:4])

    return Summary(
        sent=len(out),
        answered=len(answered),
        retried=sum(o.attempts > 1 for o in answered),
        other_deployment=sum(o.other_deployment for o in answered),
        errors_ok=sum(o.kind == ERROR_OK for o in out),
        lost=sum(o.kind == LOST for o in out),
        p50_ms=percentile(all_ms, 50), p99_ms=percentile(all_ms, 99),
        answered_p50_ms=percentile(ok_ms, 50), answered_p99_ms=percentile(ok_ms, 99),
        rps=len(out) / run.seconds if run.seconds else 0.0,
        streams=sum(o.stream for o in out),
        error_kinds=Counter(o.detail for o in out if o.kind == ERROR_OK),
        lost_kinds=Counter(reason(o) for o in out if o.kind == LOST),
    )


def stalled_request_ids(log_path: Path) -> set[str]:
    """Requests with an attempt the gateway left as a stall (no first token in time, or too
    long a gap before the answer reached the client), from its JSON log lines."""
    ids = set()
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        if '"stall"' not in line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("event") == "request" and any(
            a.get("outcome") == "stall" for a in record.get("attempt_path") or ()
        ):
            ids.add(str(record.get("request_id")))
    return ids


def upstream_faults(fake_url: str) -> tuple[int, Counter[str]]:
    """Upstream calls the fake saw and the faults it injected, over every deployment."""
    import urllib.request

    total, faults = 0, Counter[str]()
    for deps in TIERS.values():
        for dep_id, _ in deps:
            with urllib.request.urlopen(f"{fake_url}/_admin/calls/{dep_id}", timeout=30) as resp:
                calls = json.load(resp)["calls"]
            total += len(calls)
            for call in calls:
                fault = call["fault"]
                if fault:
                    faults[fault if fault != "http_error" else f"{fault} {call['status']}"] += 1
    return total, faults


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load_faults", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--max-seconds", type=float, default=600.0,
                        help="send no new request after this (default 600)")
    parser.add_argument("--timeout", type=float, default=30.0, help="client timeout per request")
    parser.add_argument("--failure-rate", type=float, default=0.2,
                        help="fraction of upstream calls that fail (default 0.2)")
    parser.add_argument("--stream-fraction", type=float, default=0.5)
    parser.add_argument("--warmup", type=int, default=2_000,
                        help="requests before the warm-up RSS reading (default 2,000)")
    parser.add_argument("--rss-slack-mb", type=float, default=10.0,
                        help="most RSS growth allowed from warm-up to the end (default 10)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--acompletion", action="store_true",
                        help="send every upstream call through litellm.acompletion "
                             "(TIANJI_LEAN_TRANSPORT=0)")
    parser.add_argument("--replicas", type=int, default=1,
                        help="gateway processes, sent requests in turn (default 1)")
    parser.add_argument("--redis", action="store_true",
                        help="share state through a redis-server started for the run")
    parser.add_argument("--dead", metavar="DEPLOYMENT",
                        help="this deployment fails every call for the whole run")
    parser.add_argument("--quick", action="store_true",
                        help="1,000 requests, warm-up 200, at most 120 s")
    args = parser.parse_args(argv)
    if args.quick:
        args.requests, args.warmup = min(args.requests, 1_000), min(args.warmup, 200)
        args.max_seconds = min(args.max_seconds, 120.0)
    args.warmup = min(args.warmup, args.requests // 2)

    workdir = Path(tempfile.mkdtemp(prefix="tianji-load-faults-"))
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    fake = redis = None
    gateways: list[Proc] = []
    try:
        fake = start_fake(workdir, args.failure_rate, args.seed)
        redis = start_redis(workdir) if args.redis else None
        for replica in range(args.replicas):
            gateways.append(start_gateway(fake.url, workdir, not args.acompletion,
                                          redis.url if redis else None, replica))
        say(f"fake provider {fake.url}, gateways {' '.join(g.url for g in gateways)}"
            + (f", redis {redis.url}" if redis else "") + f", logs in {workdir}")
        if args.dead:
            kill_deployment(fake.url, args.dead)

        def total_rss() -> float:
            return sum(rss_mb(g.pid) for g in gateways)

        rss: list[tuple[int, float]] = [(0, total_rss())]

        def on_progress(done: int) -> None:
            if done == args.warmup or done % 1000 == 0:
                rss.append((done, total_rss()))
                if done % 1000 == 0:
                    say(f"  {done} requests, gateway RSS {rss[-1][1]:.0f} MB")

        work = plans(args.requests, args.stream_fraction, args.seed)
        cpu_before = sum(cpu_seconds(g.pid) for g in gateways)
        redis_before = cpu_seconds(redis.pid) if redis else 0.0
        client_before = _own_cpu()
        run = asyncio.run(run_load([f"{g.url}/v1/chat/completions" for g in gateways], work,
                                   args.concurrency, args.max_seconds, args.timeout,
                                   on_progress))
        rss.append((len(run.outcomes), total_rss()))
        gateway_cpu = sum(cpu_seconds(g.pid) for g in gateways) - cpu_before
        redis_cpu = cpu_seconds(redis.pid) - redis_before if redis else 0.0
        client_cpu = _own_cpu() - client_before
        run.rss = rss
        calls, faults = upstream_faults(fake.url)
        dead_calls = deployment_calls(fake.url, args.dead) if args.dead else 0
    finally:
        for proc in (*gateways, redis, fake):
            if proc is not None:
                proc.stop()

    s = summarize(run)
    stalled = set().union(*(stalled_request_ids(g.log) for g in gateways))
    saved = [o for o in run.outcomes if o.kind == ANSWERED and f"lf-{o.index}" in stalled]
    saved_ms = [o.latency_s * 1000 for o in saved]
    warm = next((mb for n, mb in rss if n >= args.warmup), rss[-1][1])
    before, end = rss[0][1], rss[-1][1]
    growth = end - warm
    after_warmup = max(1, len(run.outcomes) - args.warmup)
    streamed = [o.latency_s * 1000 for o in run.outcomes if o.stream and o.kind == ANSWERED]
    plain = [o.latency_s * 1000 for o in run.outcomes if not o.stream and o.kind == ANSWERED]
    memory_ok = growth <= args.rss_slack_mb * args.replicas
    injected = sum(faults.values())
    lines = [
        f"load with faults: {args.requests} requests planned, concurrency {args.concurrency}, "
        f"{pct(s.streams, s.sent)} streamed, upstream failure rate {args.failure_rate:g}"
        + (", litellm.acompletion for every call" if args.acompletion else "")
        + f"; {args.replicas} gateway process(es)"
        + (", state shared through Redis" if args.redis else ", state in each process"),
        f"upstream calls {calls}, faults injected {injected} ({pct(injected, calls)}): "
        + ", ".join(f"{k} {v}" for k, v in sorted(faults.items())),
        "",
        "| outcome | requests | share |",
        "|---|---:|---:|",
        f"| sent | {s.sent} | 100% |",
        f"| answered | {s.answered} | {pct(s.answered, s.sent)} |",
        f"| answered after a retry or fallback (x-tianji-attempts > 1) | {s.retried} "
        f"| {pct(s.retried, s.sent)} |",
        f"| ... of which on another deployment or tier | {s.other_deployment} "
        f"| {pct(s.other_deployment, s.sent)} |",
        f"| ... answered after a time-to-first-token (stall) fallback | {len(saved)} "
        f"| {pct(len(saved), s.sent)} |",
        f"| failed with a correct error | {s.errors_ok} | {pct(s.errors_ok, s.sent)} |",
        f"| lost (no answer, or a malformed one) | {s.lost} | {pct(s.lost, s.sent)} |",
        "",
        f"latency, all requests:   p50 {s.p50_ms:.0f} ms, p99 {s.p99_ms:.0f} ms",
        f"latency, answered:       p50 {s.answered_p50_ms:.0f} ms, p99 {s.answered_p99_ms:.0f} ms",
        f"latency, answered non-streaming: p50 {percentile(plain, 50):.0f} ms, "
        f"p99 {percentile(plain, 99):.0f} ms; streamed (to [DONE]): "
        f"p50 {percentile(streamed, 50):.0f} ms, p99 {percentile(streamed, 99):.0f} ms",
        f"latency, answered after a stall fallback: p50 {percentile(saved_ms, 50):.0f} ms, "
        f"max {max(saved_ms, default=0):.0f} ms ({len(stalled)} requests met a stall)",
        f"throughput: {s.sent} requests in {run.seconds:.1f} s = {s.rps:.0f} req/s"
        + (" (stopped by --max-seconds)" if run.stopped_by_time else "")
        + f"; CPU: gateway {gateway_cpu:.0f} s = {gateway_cpu / max(1, s.sent) * 1000:.1f} ms "
        f"per request, this client {client_cpu:.0f} s"
        + (f", redis-server {redis_cpu:.1f} s = {redis_cpu / max(1, s.sent) * 1000:.3f} ms "
           "per request" if args.redis else ""),
        "correct errors: " + (", ".join(f"{k} x{v}" for k, v in s.error_kinds.most_common())
                               or "none"),
        f"gateway RSS: before {before:.0f} MB, after {args.warmup} requests {warm:.0f} MB, "
        f"end {end:.0f} MB; samples "
        + " ".join(f"{n}:{mb:.0f}" for n, mb in rss),
        f"memory: growth after warm-up {growth:+.1f} MB over {after_warmup} requests "
        f"({growth * 1000 / after_warmup:+.2f} KB per request), allowed "
        f"{args.rss_slack_mb * args.replicas:g} MB -> "
        + ("ok" if memory_ok else "FAIL"),
    ]
    if args.dead:
        lines.append(f"calls to {args.dead} (failing every call for the whole run): "
                     f"{dead_calls} over {run.seconds:.0f} s (cooldown "
                     f"{RESILIENCE['cooldown_s']} s after {RESILIENCE['failures_before_cooldown']}"
                     " consecutive failures)")
    if s.lost:
        lines.append("lost: " + "; ".join(f"{k} x{v}" for k, v in s.lost_kinds.most_common()))
        for o in [o for o in run.outcomes if o.kind == LOST][:10]:
            lines.append(f"  lf-{o.index} stream={o.stream} status={o.status} "
                         f"attempts={o.attempts} {o.detail[:300]}")
    lines.append(f"result: {'PASS' if not s.lost and memory_ok else 'FAIL'} (logs: {workdir})")
    print("\n".join(lines))
    return 0 if not s.lost and memory_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
