"""Fake traffic through a real `router serve`, then the README's dashboard and stats images.

    .venv/bin/python bench/ops_demo.py --out docs      # docs/dashboard.png, docs/stats.png

Starts the fake provider (3 tiers x 2 fake deployments, priced like Claude Haiku $1/$5,
Sonnet $3/$15 and Opus $15/$75 per 1M tokens; 4% random transient faults, and one
deployment with a revoked key so the dashboard shows a cooldown), serves it with the
shipped learned classifier, its thresholds set at the 60th and 85th percentile of the
demo prompts' difficulty (what `router calibrate --tier-mix 60,25,15` does), sends
`--requests` prompts spread over `--seconds`, then
runs `router stats --plot` and takes a headless-Chromium screenshot of /dashboard.
Prints `router stats`' text report. Needs Debian's chromium and chromium-driver.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openai
import yaml

from bench._procs import free_port, spawn
from router.fakeprovider import FakeProvider, Fault, FaultKind
from tests.ops import browser

KEY = "demo-dashboard-key"
PROMPTS = [
    "Translate 'good morning, how are you?' into French.",
    "What is the capital of Australia?",
    "Fix the typo: 'Teh quick brown fox'.",
    "Summarise in one sentence: the meeting moved from Tuesday to Thursday at 3pm.",
    "Extract the email address from: contact Jane at jane.doe@example.com today.",
    "Write a haiku about autumn rain.",
    "Convert 72 degrees Fahrenheit to Celsius.",
    "Give me three synonyms for 'happy'.",
    "Write a Python function that reverses a string.",
    "Classify the sentiment of: 'The delivery was late and the box was crushed.'",
    "Explain the difference between TCP and UDP for a junior developer.",
    "Write a SQL query returning the top 5 customers by total order value.",
    "Refactor this JavaScript callback chain into async/await and explain each step.",
    "Prove that there are infinitely many primes.",
    "Let f(x) = x^3 - 3x + 1. Find all real roots and prove there are exactly three.",
    "Design a rate limiter for a distributed API gateway; compare token bucket and sliding "
    "window under clock skew, and give the failure modes.",
    "Prove that the square root of 2 is irrational, then generalise to any non-square integer.",
    "A train leaves at 3pm at 80 km/h, another at 4pm at 100 km/h on the same track. When "
    "does the second catch up? Show the algebra.",
]


def _thresholds() -> tuple[float, float]:
    from router.classify import load_classifier
    from router.classify.base import prompt_request

    classifier = load_classifier("learned", None)
    scores = sorted(classifier.score(prompt_request(p)).difficulty for p in PROMPTS)
    return scores[int(0.6 * len(scores))] - 1e-6, scores[int(0.85 * len(scores))] - 1e-6


def _config(fake: FakeProvider, log: Path) -> dict:
    def dep(name: str, wire: str, price: tuple[float, float]) -> dict:
        base = fake.openai_base(name) if wire == "openai" else fake.anthropic_base(name)
        model = f"openai/gpt-fake-{name}" if wire == "openai" else f"anthropic/claude-{name}"
        return {"name": name, "model": model, "api_base": base, "api_key": "sk-fake-demo-key",
                "price": {"input": price[0], "output": price[1]}}

    small, medium = _thresholds()
    return {
        "server": {"api_keys": [KEY]},
        "classifier": {"kind": "learned"},
        "log": {"url": str(log), "flush_interval_s": 0.2},
        "resilience": {"retries": 1, "backoff_initial_s": 0.05, "cooldown_s": 600},
        "tiers": [
            {"name": "small", "aliases": ["haiku"], "max_difficulty": round(small, 6),
             "deployments": [dep("haiku-east", "anthropic", (1, 5)),
                             dep("haiku-west", "openai", (1, 5))]},
            {"name": "medium", "aliases": ["sonnet"], "max_difficulty": round(medium, 6),
             "deployments": [dep("sonnet-east", "anthropic", (3, 15)),
                             dep("sonnet-west", "openai", (3, 15))]},
            {"name": "large", "aliases": ["opus"],
             "deployments": [dep("opus-east", "anthropic", (15, 75)),
                             dep("opus-west", "openai", (15, 75))]},
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="docs", help="directory for the two PNGs")
    parser.add_argument("--requests", type=int, default=160)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tianji-demo-"))
    log = work / "log.db"
    rng = random.Random(args.seed)
    with FakeProvider(failure_rate=0.04, seed=args.seed) as fake:
        fake.configure(None, latency=0.02)
        fake.set_fault("sonnet-east", Fault(FaultKind.HTTP_ERROR, status=401))
        config = work / "tianji.yaml"
        config.write_text(yaml.safe_dump(_config(fake, log)))
        port = free_port()
        gateway = spawn("tianji", [sys.executable, "-m", "router.cli", "serve", "--config",
                                   str(config), "--port", str(port)],
                        f"http://127.0.0.1:{port}", "/healthz", work / "tianji.log")
        try:
            client = openai.OpenAI(base_url=gateway.url + "/v1", api_key=KEY, max_retries=0)
            gap = args.seconds / args.requests
            errors = 0
            for _ in range(args.requests):
                prompt = rng.choice(PROMPTS)
                try:
                    client.chat.completions.create(
                        model="auto", messages=[{"role": "user", "content": prompt}])
                except openai.APIStatusError:
                    errors += 1  # the dashboard shows these too
                time.sleep(gap)
            print(f"sent {args.requests} requests, {errors} answered with an error")
            time.sleep(1)  # one flush interval and more
            subprocess.run([sys.executable, "-m", "router.cli", "stats", "--log", str(log),
                            "--by", "tier", "--plot", str(out / "stats.png")], check=True)
            chrome = browser.start(width=1360, height=1500)
            try:
                chrome.get(f"{gateway.url}/dashboard#key={KEY}")
                deadline = time.monotonic() + 15
                while chrome.execute_script("return document.body.dataset.loaded") != "true":
                    if time.monotonic() > deadline:
                        raise RuntimeError("the dashboard did not load")
                    time.sleep(0.1)
                rows = chrome.find_elements("css selector", "#recent tr.request")
                next(r for r in rows if " large " in f" {r.text} ").click()
                chrome.save_screenshot(str(out / "dashboard.png"))
            finally:
                chrome.quit()
        finally:
            gateway.stop()
    print(f"wrote {out / 'dashboard.png'} and {out / 'stats.png'} (log: {log})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
