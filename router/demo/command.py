"""The `router demo` command: start the demo, print how to use it, or send traffic."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import time
from types import FrameType
from typing import TYPE_CHECKING

from router.demo.world import CLOUDS, TIERS

if TYPE_CHECKING:
    from router.demo.stack import Demo

CURL_PROMPT = "Show that every group of order p^2, where p is prime, is abelian."
SDK_PROMPT = "Translate 'good morning' into French."


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM stop the demo cleanly, also when started in the background
    (where a shell starts the process with SIGINT ignored)."""
    def handler(signum: int, frame: FrameType | None) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):  # a second one must not cut the clean-up
            signal.signal(sig, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def run(args: argparse.Namespace) -> int:
    """Exit status: 0 after Ctrl-C or a run where every request got an answer or a correct
    error; 1 if one got neither; 2 if the demo could not start; 130 if --traffic was cut."""
    if args.traffic is not None and args.traffic < 1:
        print("error: --traffic needs a number of requests >= 1", file=sys.stderr)
        return 2
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:  # a line at a time, also into a pipe
        reconfigure(line_buffering=True)
    _stop_on_signals()
    from router.demo.stack import DemoError

    try:
        if args.traffic is not None:
            return _traffic(args.port if args.port is not None else 0, args.traffic)
        return _interactive(args.port)
    except DemoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130 if args.traffic is not None else 0


def _setting_lines(demo: Demo) -> list[str]:
    lines = ["simulated clouds (127.0.0.1):"]
    for cloud in CLOUDS:
        lines.append(f"  sim-{cloud.name:<10} {demo.clouds[cloud.name].url:<24} "
                     f"{cloud.description}")
    lines.append("tiers (model; USD per 1M input/output tokens; first token; speed):")
    for tier in TIERS:
        lines.append(f"  {tier.name:<6} {tier.alias:<6} {tier.model:<18} "
                     f"${tier.price[0]:g}/${tier.price[1]:g}   ~{tier.ttft_s:g} s   "
                     f"~{tier.tokens_per_s:g} tokens/s")
    return lines


def _router_command() -> str:
    """How to run `router` from here: `router` when that is on PATH, else the path that ran
    this one (`./tianji demo` runs .venv/bin/router)."""
    argv0 = sys.argv[0]
    if os.path.basename(argv0) != "router":
        return "router"
    on_path = shutil.which("router")
    if on_path and os.path.samefile(on_path, argv0):
        return "router"
    return argv0


def _try_lines(url: str, config_path: str) -> list[str]:
    router = _router_command()
    body = ('{"model": "auto", "messages": [{"role": "user", "content": "'
            + CURL_PROMPT + '"}]}')
    return [
        "try it:",
        "  curl (the x-tianji-* headers say which tier and deployment answered):",
        f"    curl -s -D - {url}/v1/chat/completions -H 'content-type: application/json' \\",
        f"      -d '{body}'",
        "",
        "  openai SDK (pip install openai), in Python:",
        "    from openai import OpenAI",
        f'    client = OpenAI(base_url="{url}/v1", api_key="any")',
        "    reply = client.chat.completions.with_raw_response.create(",
        f'        model="auto", messages=[{{"role": "user", "content": "{SDK_PROMPT}"}}])',
        '    print(reply.headers["x-tianji-tier"], reply.headers["x-tianji-provider"],',
        '          "attempts", reply.headers["x-tianji-attempts"])',
        "    print(reply.parse().choices[0].message.content)",
        "",
        "  the routing decision alone (offline, no call):",
        f'    {router} route --config {config_path} "{CURL_PROMPT}"',
        "",
        "  50 mixed requests and a summary, in a demo of their own:",
        f"    {router} demo --traffic 50",
        "",
        "  what the demo served, from the request log:",
        f"    {router} stats        (dashboard: {url}/dashboard, any key)",
    ]


def _interactive(port: int | None) -> int:
    from router.demo.report import money_lines, outcome_line
    from router.demo.stack import DEFAULT_PORT, running

    with running(port, on_outcome=lambda o: print(outcome_line(o), flush=True)) as demo:
        top = _top_tier_label(demo)
        if port is None and not demo.url.endswith(f":{DEFAULT_PORT}"):
            print(f"(port {DEFAULT_PORT} is taken, so the demo took a free one)")
        print("\n".join([
            f"Tianji demo: the gateway is at {demo.url}/v1 (any API key; no provider key "
            "needed)",
            "models: auto, or a tier: small|medium|large, haiku|sonnet|opus",
            f"any OpenAI SDK: OPENAI_BASE_URL={demo.url}/v1 OPENAI_API_KEY=any",
            *_setting_lines(demo),
            f"config: {demo.config_path} (removed on exit)",
            "",
            *_try_lines(demo.url, str(demo.config_path)),
            "",
            "Each request is shown below when it is answered. Ctrl-C stops the demo.",
        ]), flush=True)
        try:
            while demo.gateway_alive():
                time.sleep(0.5)
            print("error: the demo gateway stopped", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            outcomes = demo.recorder.outcomes()
            answered = [o for o in outcomes if o.deployment is not None]
            fallbacks = sum(1 for o in answered if o.failed)
            noun = "request" if len(answered) == 1 else "requests"
            print(f"\nstopping: {len(answered)} {noun} answered, {fallbacks} of them after a "
                  f"fallback, {len(outcomes) - len(answered)} failed", flush=True)
            if answered:
                print("\n".join(money_lines(answered, top)), flush=True)
    print("demo stopped: gateway and simulated clouds are down", flush=True)
    return 0


def _log_location(demo: Demo) -> str:
    from router.ops.db import open_database

    return open_database(demo.config.log.url).display()


def _top_tier_label(demo: Demo) -> str:
    from router.costs import reference_deployment

    name = reference_deployment(demo.config)
    tier = TIERS[-1]
    return (f"{tier.name} ({name}, {tier.model} at ${tier.price[0]:g}/${tier.price[1]:g} "
            "per 1M tokens)")


def _traffic(port: int, n: int) -> int:
    from router.demo.report import summary
    from router.demo.stack import running
    from router.demo.traffic import CONCURRENCY, send

    with running(port) as demo:
        print(f"Tianji demo: gateway at {demo.url}/v1; {n} requests, {CONCURRENCY} at a time",
              flush=True)
        print("\n".join(_setting_lines(demo)), flush=True)
        results, seconds = send(demo.url, n)
        outcomes = demo.recorder.wait_for({r.request_id for r in results}, timeout_s=10)
        tier_names = [t.name for t in demo.config.tiers]
        print("\n" + summary(results, outcomes, demo.injected_faults(), seconds, tier_names,
                             _top_tier_label(demo)), flush=True)
        print(f"request log: {_log_location(demo)} (`{_router_command()} stats` reads this run "
              "back)", flush=True)
    lost = sum(r.verdict == "lost" for r in results)
    return 1 if lost else 0
