"""How much a gateway adds: Tianji vs the LiteLLM proxy, same fake upstream, same run.

    /work/main/.venv/bin/python -m bench.gateway_perf            # full run, ~3 minutes
    /work/main/.venv/bin/python -m bench.gateway_perf --quick    # ~1 minute
    /work/main/.venv/bin/python -m bench.gateway_perf --json     # machine-readable
    /work/main/.venv/bin/python -m bench.gateway_perf --redis --workers 1 --no-proxy
                                   # what shared state in Redis costs per request

Each Tianji target is measured on both front doors: OpenAI chat completions and,
on the same server, the Anthropic Messages API (`/v1/messages`, skip with
--no-messages); the last lines compare what each door adds.

Starts the fake upstream (router/fakeprovider, its own process), then in turn the
pass-through floor (bench/_floor.py: uvicorn, a raw ASGI app and one pooled aiohttp
session forwarding each body unchanged; openai wire only, skip with --no-floor),
Tianji (`router serve`, routing on: the learned classifier when its weights
exist, else `rules`) with 1 and 2 workers and the LiteLLM proxy 1.106.2 (in its
own venv, bench/.venv-litellm-proxy, installed on first use), all pointed at the
same fake deployments, with the same prices and both requiring the same client
key (Tianji's server.api_keys, the proxy's master key). Each target gets the
same load:

- non-streaming latency at concurrency 1, 32 and 128 (wrk), minus the same figure
  measured against the fake upstream directly: the latency the gateway adds (and, at
  128, the tail: p99 over p50);
- requests per second at concurrency 32, and the gateway's CPU seconds per
  request over that phase (process tree, from /proc);
- streaming time to the first SSE event at concurrency 1 and 32 (asyncio client);
- start-up time (spawn to the first 200 on the health endpoint), spawn to the first
  answered chat request (Tianji loads litellm in the background after start-up), and RSS
  after load.

Load generator: wrk when it is on PATH (`apt-get install -y wrk`), else the
asyncio client in bench/_load.py, which works anywhere but, being Python, takes
a good share of a small machine's CPU from the server it measures (so figures
are lower than wrk's; the ratio between gateways still holds within a run).

Everything runs on 127.0.0.1 and every load phase is bounded in time and count.
On a small shared machine compare ratios within one run, not absolute figures
across runs.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bench import _load, _targets
from bench._procs import Proc, cpu_seconds, rss_mb, start_redis

PROMPT = "Translate 'good morning' into French."
FLOOR = "pass-through floor"


@dataclass
class Measured:
    name: str
    workers: int | None = None
    startup_s: float | None = None
    c1: _load.Result | None = None
    c32: _load.Result | None = None
    c128: _load.Result | None = None
    first_answer_s: float | None = None
    ttft1: _load.Result | None = None
    ttft32: _load.Result | None = None
    cpu_ms_per_request: float | None = None
    redis_cpu_ms_per_request: float | None = None  # redis-server's, same phase
    rss_mb: float | None = None
    served: int = 0  # requests (and streams) answered before RSS was read


def _bodies(model: str, extra: dict[str, Any]) -> tuple[bytes, bytes]:
    base = {"model": model, "messages": [{"role": "user", "content": PROMPT}], **extra}
    stream = {**base, "stream": True}
    if "max_tokens" not in extra:  # OpenAI wire: ask for the usage chunk like a metering client
        stream["stream_options"] = {"include_usage": True}
    return json.dumps(base).encode(), json.dumps(stream).encode()


def measure(name: str, url: str, model: str, extra: dict[str, Any], proc: Proc | None,
            seconds: float, workdir: Path, workers: int | None = None,
            redis: Proc | None = None) -> Measured:
    plain, stream = _bodies(model, extra)
    headers = {"Content-Type": "application/json",
               "Authorization": f"Bearer {_targets.GATEWAY_KEY}"}
    out = Measured(name, workers, proc.startup_s if proc else None)
    if proc:  # spawn() returned at the first healthy answer: time the first real one
        started = time.perf_counter()
        first = _load.run_asyncio(url, plain, headers, 1, 1, 120)
        if first.requests and not first.errors:
            out.first_answer_s = proc.startup_s + time.perf_counter() - started
    say(f"  {name}: warm-up")
    warm = _load.run_asyncio(url, plain, headers, 4, 200, 5)
    warm_stream = _load.run_asyncio(url, stream, headers, 2, 40, 5)
    if warm.errors or not warm.requests or warm_stream.errors:
        raise RuntimeError(f"{name}: warm-up failed ({warm.errors} errors of {warm.requests})")

    def load(concurrency: int) -> _load.Result:
        if _load.WRK:
            return _load.run_wrk(url, plain, headers, concurrency, seconds, workdir)
        return _load.run_asyncio(url, plain, headers, concurrency, 100_000, seconds)

    say(f"  {name}: c=1")
    out.c1 = load(1)
    say(f"  {name}: c=32")
    cpu_before = cpu_seconds(proc.pid) if proc else 0.0
    redis_before = cpu_seconds(redis.pid) if redis else 0.0
    out.c32 = load(32)
    if proc and out.c32.requests:
        out.cpu_ms_per_request = (cpu_seconds(proc.pid) - cpu_before) * 1000 / out.c32.requests
    say(f"  {name}: c=128")
    out.c128 = load(128)
    if redis and out.c32.requests:
        out.redis_cpu_ms_per_request = ((cpu_seconds(redis.pid) - redis_before) * 1000
                                        / out.c32.requests)
    say(f"  {name}: streaming")
    out.ttft1 = _load.run_asyncio(url, stream, headers, 1, 400, seconds / 2)
    out.ttft32 = _load.run_asyncio(url, stream, headers, 32, 32 * 25, seconds / 2)
    if proc:
        out.rss_mb = rss_mb(proc.pid)
    out.served = 1 + warm.requests + warm_stream.requests + sum(
        x.requests for x in (out.c1, out.c32, out.c128, out.ttft1, out.ttft32) if x)
    return out


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> tuple[list[Measured], dict[str, Any]]:
    seconds = 3.0 if args.quick else args.seconds
    classifier = _targets.classifier_kind()
    results: list[Measured] = []
    failed: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="tianji-bench-") as tmp:
        workdir = Path(tmp)
        fake = _targets.start_fake(workdir)
        redis: Proc | None = None
        try:
            say(f"fake upstream at {fake.url} ({args.wire} wire)")
            direct_url, direct_extra = _targets.upstream_direct(fake.url, args.wire)
            results.append(measure("upstream direct", direct_url, str(direct_extra.pop("model")),
                                   direct_extra, None, seconds, workdir))
            chat_extra = {"max_tokens": 256} if args.wire == "anthropic" else {}
            targets: list[tuple[str, int, Callable[[], Proc]]] = []
            if not args.no_floor and args.wire == "openai":
                targets.append((FLOOR, 1, partial(_targets.start_floor, fake.url, args.wire,
                                                  workdir)))
            for workers in args.workers:
                targets.append((f"tianji {workers}w", workers, partial(
                    _targets.start_tianji, fake.url, args.wire, classifier, workers, workdir)))
            if args.redis:
                redis = start_redis(workdir)
                targets.append(("tianji 1w redis", 1, partial(
                    _targets.start_tianji, fake.url, args.wire, classifier, 1, workdir,
                    redis_url=redis.url)))
            if args.acompletion:
                targets.append(("tianji 1w acompletion", 1, partial(
                    _targets.start_tianji, fake.url, args.wire, classifier, 1, workdir, False)))
            if not args.no_proxy:
                targets.append((f"litellm proxy {args.proxy_workers}w", args.proxy_workers,
                                partial(_targets.start_proxy, fake.url, args.wire,
                                        args.proxy_workers, workdir)))
            for name, workers, start in targets:
                say(f"{name} (classifier {classifier})" if name.startswith("tianji") else name)
                try:
                    proc = start()
                except RuntimeError as exc:  # report it and measure the others
                    failed[name] = str(exc).splitlines()[0]
                    say(f"  {name}: did not start: {exc}")
                    continue
                try:
                    on_redis = redis if name.endswith("redis") else None
                    results.append(measure(name, f"{proc.url}/v1/chat/completions", "auto",
                                           chat_extra, proc, seconds, workdir, workers,
                                           on_redis))
                    if name.startswith("tianji") and not args.no_messages:
                        # The Anthropic front door on the same server, same load.
                        results.append(measure(f"{name} messages", f"{proc.url}/v1/messages",
                                               "auto", {"max_tokens": 256}, proc, seconds,
                                               workdir, workers, on_redis))
                except RuntimeError as exc:
                    failed[name] = str(exc).splitlines()[0]
                    say(f"  {name}: failed: {exc}")
                finally:
                    proc.stop()
        finally:
            fake.stop()
            if redis is not None:
                redis.stop()
    meta = {"classifier": classifier, "wire": args.wire, "seconds_per_phase": seconds,
            "load_generator": "wrk" if _load.WRK else "asyncio", "date": time.strftime("%F %T"),
            "failed": failed}
    return results, meta


def ratio(results: list[Measured], proxy_workers: int) -> float | None:
    proxy = next((r for r in results if r.name.startswith("litellm")), None)
    tianji = next((r for r in results if r.name == f"tianji {proxy_workers}w"), None)
    if not (proxy and tianji and proxy.c32 and tianji.c32 and proxy.c32.rps):
        return None
    return tianji.c32.rps / proxy.c32.rps


def floor_and_tail(results: list[Measured]) -> list[str]:
    """Each target's CPU per request over the floor's, and its tail at c=128 (p99 / p50)."""
    floor = next((r for r in results if r.name == FLOOR), None)
    lines = []
    for r in results[1:]:
        parts = []
        if floor and r is not floor and floor.cpu_ms_per_request and r.cpu_ms_per_request:
            parts.append(f"CPU per request {r.cpu_ms_per_request / floor.cpu_ms_per_request:.1f}x "
                         "the floor's")
        if r.c128 and r.c128.p50_ms:
            parts.append(f"c=128 p99/p50 {r.c128.p99_ms / r.c128.p50_ms:.1f}")
        if parts:
            lines.append(f"{r.name}: " + ", ".join(parts))
    return lines


def front_door_overhead(results: list[Measured]) -> list[tuple[str, float, float]]:
    """Per Tianji target: (name, ms the chat door adds, ms the messages door adds) at c=1
    p50, over the direct upstream figure."""
    direct = results[0].c1
    by_name = {r.name: r for r in results}
    rows = []
    for r in results:
        messages = by_name.get(f"{r.name} messages")
        if direct and r.c1 and messages and messages.c1:
            rows.append((r.name, r.c1.p50_ms - direct.p50_ms,
                         messages.c1.p50_ms - direct.p50_ms))
    return rows


def redis_cost(results: list[Measured]) -> list[str]:
    """What state in Redis (and a key with limits) adds per request at c=32, per front door:
    the gateway's CPU over the same gateway in process, and redis-server's own."""
    by_name = {r.name: r for r in results}
    lines = []
    for door in ("", " messages"):
        local, shared = by_name.get(f"tianji 1w{door}"), by_name.get(f"tianji 1w redis{door}")
        if local and shared and local.cpu_ms_per_request and shared.cpu_ms_per_request:
            lines.append(
                f"Redis state + key limits{door or ' chat'}: gateway CPU "
                f"{shared.cpu_ms_per_request - local.cpu_ms_per_request:+.3f} ms/request "
                f"({local.cpu_ms_per_request:.2f} -> {shared.cpu_ms_per_request:.2f}), "
                f"redis-server {_fmt(shared.redis_cpu_ms_per_request, 3)} ms/request")
    return lines


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(results: list[Measured]) -> str:
    direct = results[0]

    def added(r: Measured, attr: str, q: str) -> str:
        base, res = getattr(direct, attr), getattr(r, attr)
        if res is None:
            return "-"
        value = getattr(res, q)
        if r is direct:
            return f"{value:.2f}"
        return f"+{value - getattr(base, q):.2f}"

    rows: list[tuple[str, ...]] = [("", *(r.name for r in results))]
    rows.append(("start-up s", *(_fmt(r.startup_s, 2) for r in results)))
    rows.append(("first answer s", *(_fmt(r.first_answer_s, 2) for r in results)))
    for attr, label in (("c1", "c=1"), ("c32", "c=32"), ("c128", "c=128"), ("ttft1", "TTFT c=1"),
                        ("ttft32", "TTFT c=32")):
        rows.append((f"{label} p50 ms", *(added(r, attr, "p50_ms") for r in results)))
        rows.append((f"{label} p99 ms", *(added(r, attr, "p99_ms") for r in results)))
    rows.append(("req/s c=32", *(_fmt(r.c32.rps if r.c32 else None, 0) for r in results)))
    rows.append(("CPU ms/request", *(_fmt(r.cpu_ms_per_request, 2) for r in results)))
    if any(r.redis_cpu_ms_per_request is not None for r in results):
        rows.append(("redis-server CPU ms/request",
                     *(_fmt(r.redis_cpu_ms_per_request, 3) for r in results)))
    rows.append(("RSS MB after load", *(_fmt(r.rss_mb, 0) for r in results)))
    rows.append(("requests by then", *(str(r.served) for r in results)))
    errors = [sum(x.errors for x in (r.c1, r.c32, r.c128, r.ttft1, r.ttft32) if x)
              for r in results]
    rows.append(("errors", *(str(e) for e in errors)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            c.rjust(w) if i else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gateway_perf", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 s per load phase")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds per load phase (8)")
    parser.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")],
                        default=[1, 2], help="Tianji worker counts, comma-separated (1,2)")
    parser.add_argument("--proxy-workers", type=int, default=1,
                        help="LiteLLM proxy workers (1); the ratio compares equal counts")
    parser.add_argument("--no-proxy", action="store_true", help="skip the LiteLLM proxy")
    parser.add_argument("--no-floor", action="store_true", help="skip the pass-through floor")
    parser.add_argument("--acompletion", action="store_true",
                        help="also run Tianji 1w with TIANJI_LEAN_TRANSPORT=0 (the old path)")
    parser.add_argument("--no-messages", action="store_true",
                        help="skip Tianji's Anthropic front door (/v1/messages)")
    parser.add_argument("--redis", action="store_true",
                        help="also run Tianji 1w with state in a redis-server started for the "
                        "run and the client's key limited (rate windows, budgets)")
    parser.add_argument("--wire", choices=("openai", "anthropic"), default="openai",
                        help="wire format of the fake deployments (openai)")
    args = parser.parse_args(argv)
    results, meta = run(args)
    r = ratio(results, args.proxy_workers)
    if args.json:
        def dump(m: Measured) -> dict[str, Any]:
            d = asdict(m)
            for key in ("c1", "c32", "c128", "ttft1", "ttft32"):
                if d[key]:
                    d[key].pop("samples", None)
            return d
        print(json.dumps({"meta": meta, "results": [dump(m) for m in results],
                          "tianji_over_litellm_rps": r}, indent=2))
        return 0
    print(f"\nTianji vs LiteLLM proxy, {meta['wire']} wire, classifier {meta['classifier']}, "
          f"{meta['load_generator']}, {meta['seconds_per_phase']:g} s per phase, {meta['date']}")
    print("Latency rows of gateways are what they add to the direct upstream figure (ms).\n")
    print(table(results))
    for name, why in meta["failed"].items():
        print(f"\n{name}: not measured: {why}")
    if r is not None:
        print(f"\nreq/s at c=32, Tianji {args.proxy_workers}w / LiteLLM proxy "
              f"{args.proxy_workers}w: {r:.2f}x")
    for line in [*floor_and_tail(results), *redis_cost(results)]:
        print(line)
    for name, chat, messages in front_door_overhead(results):
        print(f"{name}: added latency c=1 p50, /v1/chat/completions {chat:.2f} ms, "
              f"/v1/messages {messages:.2f} ms ({messages / chat:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
