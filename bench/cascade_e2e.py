"""The verified cascade end to end: `router serve` with the issue's config, a fake provider
replaying each model's recorded final answer, scored by the model that answered.

Run: python bench/cascade_e2e.py [--limit 250] [--max-seconds 240] [--data DIR]

The fake provider (in this process) answers every call with the recorded answer
(../shared/data/zeroeval_tiers/answers.csv.gz) of the model the deployment names, in one of
the styles models use: a JSON object `{"reasoning": ..., "answer": ...}`, "The answer is
...", `#### ...`, and for code output an `assert f(...) == ...` line; an output whose
answer was not parsed has no answer in it. Each answer is as many tokens long as the
model's recorded output (`est_output_tokens`), so the usage the fake reports, at the
`price:` set on each deployment, costs what the data says. The gateway runs as its own
process (`router serve`, learned classifier, every request starting at the small tier) and
is scored by `x-tianji-model` (the recorded `correct` of that model on that prompt) and by
every call the fake received (cost). Two runs:
- three tiers Haiku -> Sonnet -> Opus, partner gpt-4o-mini on small and medium, on GSM8K +
  CRUXEval (target: >= 98% of Opus-only accuracy at <= 30% of its cost);
- two tiers Haiku -> Opus, same partner, on GSM8K + MATH-L5 + CRUXEval (target: >= 85% of
  the Haiku-only to Opus-only accuracy gap recovered).
Opus-only and Haiku-only are the same prompts answered by that model alone, at the same
token counts. Also printed: the gateway's CPU per request and per upstream call (from
/proc), and verification's own CPU per request beyond the calls it makes (the cascade in
process against an upstream that answers at once, minus the same requests unverified;
target < 1 ms). Bounded: `--limit` prompts per benchmark, `--max-seconds` per run.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import dataclasses
import gzip
import hashlib
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench._procs import cpu_seconds, free_port, spawn  # noqa: E402
from router.fakeprovider import FakeProvider, anthropic_base, openai_base  # noqa: E402
from router.fakeprovider.service import Behaviour  # noqa: E402
from router.fakeprovider.simulate import last_user_text  # noqa: E402

HAIKU, SONNET, OPUS = ("claude-3-haiku-20240307", "claude-3-sonnet-20240229",
                       "claude-3-opus-20240229")
MINI = "gpt-4o-mini-2024-07-18"
# USD per million tokens (input, output): the 2024 list prices the data's costs use.
PRICES = {HAIKU: (0.25, 1.25), SONNET: (3.0, 15.0), OPUS: (15.0, 75.0), MINI: (0.15, 0.6)}
NAMES = {HAIKU: "haiku", SONNET: "sonnet", OPUS: "opus", MINI: "mini"}
KIND = {"gsm8k": "numeric", "math_l5": "numeric", "cruxeval_o": "literal"}
FILLER = ["Reading", "the", "question", "carefully", "we", "work", "through", "each", "quantity",
          "in", "turn", "and", "keep", "track", "of", "what", "is", "known", "so", "far",
          "before", "we", "write", "down", "the", "result."]
GATEWAY_KEY = "sk-bench-cascade-0123456789"


# ---------------------------------------------------------------- recorded data


@dataclass
class Item:
    prompt_id: str
    benchmark: str
    prompt: str  # the question as a user would send it
    answer: dict[str, tuple[str, bool]]  # model -> (recorded final answer, parsed)
    correct: dict[str, bool]
    out_tokens: dict[str, int]


def load(folder: Path, models: tuple[str, ...], benchmarks: tuple[str, ...]) -> list[Item]:
    prompts = {}
    with gzip.open(folder / "prompts.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["benchmark"] in benchmarks:
                prompts[row["prompt_id"]] = row
    answers: dict[str, dict[str, tuple[str, bool]]] = {}
    with gzip.open(folder / "answers.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["model"] in models and row["prompt_id"] in prompts:
                answers.setdefault(row["prompt_id"], {})[row["model"]] = (
                    row["extracted_answer"], row["answer_parsed"] == "1")
    correct: dict[str, dict[str, bool]] = {}
    tokens: dict[str, dict[str, int]] = {}
    with gzip.open(folder / "results.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["model"] in models and row["prompt_id"] in prompts:
                correct.setdefault(row["prompt_id"], {})[row["model"]] = row["correct"] == "1"
                tokens.setdefault(row["prompt_id"], {})[row["model"]] = int(
                    float(row["est_output_tokens"] or 1))
    items = []
    for pid, row in prompts.items():
        if all(m in answers.get(pid, {}) and m in correct.get(pid, {}) for m in models):
            items.append(Item(pid, row["benchmark"], row["question"], answers[pid],
                              correct[pid], tokens[pid]))
    return items


def sample(items: list[Item], limit: int, seed: int = 0) -> list[Item]:
    """At most `limit` prompts of each benchmark, drawn at random (fixed seed)."""
    out: list[Item] = []
    for bench in sorted({i.benchmark for i in items}):
        group = sorted((i for i in items if i.benchmark == bench), key=lambda i: i.prompt_id)
        out += random.Random(seed).sample(group, min(limit, len(group)))
    return out


# ---------------------------------------------------------------- the replaying provider


def styled(item: Item, model: str) -> str:
    """The recorded answer of `model` as a model would write it, `out_tokens` words long."""
    answer, parsed = item.answer[model]
    words = max(8, min(item.out_tokens[model], 4000))
    reasoning = " ".join((FILLER * (words // len(FILLER) + 1))[:words])
    if not parsed:
        return f"{reasoning}\nI could not settle on a result ({NAMES[model]})."
    style = int(hashlib.sha256(f"{item.prompt_id}/{model}".encode()).hexdigest(), 16) % (
        4 if KIND[item.benchmark] == "literal" else 3)
    if "\n" in answer or style == 0:
        return json.dumps({"reasoning": reasoning, "answer": answer})
    if style == 1:
        return f"{reasoning}\n\nThe answer is {answer}."
    if style == 2:
        return f"{reasoning}\n#### {answer}"
    call = item.prompt.rsplit("assert ", 1)[-1].split("==")[0].strip() or "f()"
    return f"{reasoning}\n```python\nassert {call} == {answer}\n```"


class ReplayProvider(FakeProvider):
    """Answers each prompt with the recorded answer of the model the request names."""

    def __init__(self, items: list[Item]) -> None:
        super().__init__()
        self.items = {i.prompt: i for i in items}

    def shape(self, dep_id: str, body: dict[str, Any], stream: bool, fault: Any,
              behaviour: Behaviour) -> Behaviour:
        item = self.items.get(last_user_text(body))
        model = str(body.get("model", ""))
        if item is None or model not in item.answer:
            return dataclasses.replace(behaviour, text="unknown prompt")
        text = styled(item, model)
        return dataclasses.replace(behaviour, text=text.replace("{", "{{").replace("}", "}}"))


# ---------------------------------------------------------------- the gateway


def deployment(fake_url: str, model: str) -> dict[str, Any]:
    name = NAMES[model]
    price = dict(zip(("input", "output"), PRICES[model], strict=True))
    if model == MINI:
        return {"name": name, "model": f"openai/{model}", "api_base": openai_base(fake_url, name),
                "api_key": "sk-fake", "price": price}
    return {"name": name, "model": f"anthropic/{model}",
            "api_base": anthropic_base(fake_url, name), "api_key": "sk-ant-fake", "price": price}


def issue_config(fake_url: str, tiers: tuple[str, ...]) -> dict[str, Any]:
    """The issue's config: small takes every request (max_difficulty 1.0); its first
    deployment answers, mini checks; each tier but the top one verifies with mini."""
    config: list[dict[str, Any]] = []
    names = ("small", "medium", "large") if len(tiers) == 3 else ("small", "large")
    for index, model in enumerate(tiers):
        deps = [deployment(fake_url, model)] + ([deployment(fake_url, MINI)] if index == 0
                                                 else [])
        tier: dict[str, Any] = {"name": names[index], "deployments": deps}
        if index == 0:
            tier["max_difficulty"] = 1.0
            tier["verify"] = {"partners": ["mini"],
                              "tasks": ["math", "multiple_choice", "code_output", "short_answer"]}
        elif index < len(tiers) - 1:
            tier["verify"] = {"partners": ["mini"]}
        config.append(tier)
    return {"server": {"host": "127.0.0.1", "api_keys": [GATEWAY_KEY]},
            "resilience": {"request_timeout_s": 60},
            "classifier": {"kind": "learned"}, "tiers": config}


@dataclass
class Served:
    item: Item
    model: str
    verified: str
    attempts: int
    cost: float


async def drive(url: str, items: list[Item], concurrency: int, max_seconds: float
                ) -> list[Served]:
    deadline = time.monotonic() + max_seconds
    queue = list(reversed(items))
    out: list[Served] = []
    headers = {"authorization": f"Bearer {GATEWAY_KEY}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as client:

        async def worker() -> None:
            while queue and time.monotonic() < deadline:
                item = queue.pop()
                r = await client.post("/v1/chat/completions", json={
                    "model": "auto", "max_tokens": 4096,
                    "messages": [{"role": "user", "content": item.prompt}]})
                r.raise_for_status()
                h = r.headers
                out.append(Served(item, h["x-tianji-model"].split("/", 1)[1],
                                  h.get("x-tianji-verified", ""), int(h["x-tianji-attempts"]),
                                  float(h["x-tianji-cost-usd"])))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return out


def paid_calls(fake: FakeProvider, models: tuple[str, ...]) -> tuple[float, int, dict[str, int]]:
    """What every call the fake answered cost, how many calls, and the prompt tokens each
    prompt was charged on the Anthropic wire (for the single-model baselines)."""
    total, calls = 0.0, 0
    prompt_tokens: dict[str, int] = {}
    for model in models:
        price_in, price_out = PRICES[model]
        for call in fake.calls(NAMES[model]):
            calls += 1
            usage = call.usage or {}
            tokens_in = usage.get("input_tokens", usage.get("prompt_tokens", 0))
            tokens_out = usage.get("output_tokens", usage.get("completion_tokens", 0))
            total += (tokens_in * price_in + tokens_out * price_out) / 1e6
            if model == HAIKU:
                prompt_tokens[last_user_text(call.body)] = tokens_in
    return total, calls, prompt_tokens


def alone(served: list[Served], model: str, prompt_tokens: dict[str, int]) -> tuple[float, float]:
    """Accuracy and cost of `model` answering the same prompts alone, same token counts."""
    price_in, price_out = PRICES[model]
    cost = sum((prompt_tokens[s.item.prompt] * price_in
                + len(styled(s.item, model).split(" ")) * price_out) / 1e6 for s in served)
    return sum(s.item.correct[model] for s in served) / len(served), cost


def run(name: str, tiers: tuple[str, ...], items: list[Item], args: argparse.Namespace,
        workdir: Path) -> dict[str, Any]:
    with ReplayProvider(items) as fake:
        path = workdir / f"{name}.yaml"
        path.write_text(yaml.safe_dump(issue_config(fake.url, tiers), sort_keys=False))
        port = free_port()
        env = {"LITELLM_LOCAL_MODEL_COST_MAP": "True", "TIANJI_LOG_DB": str(workdir / "log.db")}
        gateway = spawn(f"tianji {name}", [sys.executable, "-m", "router.cli", "serve",
                                           "--config", str(path), "--port", str(port)],
                        f"http://127.0.0.1:{port}", "/healthz", workdir / f"{name}.log",
                        env=env, cwd=str(REPO))
        try:
            warm = items[: min(4, len(items))]
            asyncio.run(drive(gateway.url, warm, 2, 60))
            fake.reset()
            cpu_before, started = cpu_seconds(gateway.pid), time.monotonic()
            served = asyncio.run(drive(gateway.url, items, args.concurrency, args.max_seconds))
            seconds, cpu = time.monotonic() - started, cpu_seconds(gateway.pid) - cpu_before
        finally:
            gateway.stop()
        paid, calls, prompt_tokens = paid_calls(fake, (*tiers, MINI))
    top_acc, top_cost = alone(served, tiers[-1], prompt_tokens)
    low_acc, low_cost = alone(served, tiers[0], prompt_tokens)
    acc = sum(s.item.correct[s.model] for s in served) / len(served)
    header_cost = sum(s.cost for s in served)
    final = Counter(NAMES[s.model] for s in served)
    return {
        "run": name, "prompts": len(served), "of": len(items), "seconds": round(seconds, 1),
        "benchmarks": dict(Counter(s.item.benchmark for s in served)),
        "accuracy": acc, "top_only_accuracy": top_acc, "cheap_only_accuracy": low_acc,
        "accuracy_share_of_top": acc / top_acc,
        "gap_recovered": (acc - low_acc) / (top_acc - low_acc) if top_acc != low_acc else None,
        "cost_every_call": paid, "cost_headers": header_cost, "top_only_cost": top_cost,
        "cheap_only_cost": low_cost, "cost_share_of_top": paid / top_cost,
        "answered_by": dict(final), "verified": dict(Counter(s.verified for s in served)),
        "calls": calls, "calls_per_request": calls / len(served),
        "gateway_cpu_ms_per_request": 1000 * cpu / len(served),
        "gateway_cpu_ms_per_call": 1000 * cpu / max(1, calls),
    }


# ---------------------------------------------------------------- verification's own CPU


def verification_cpu(items: list[Item], repeat: int) -> dict[str, float]:
    """CPU per request of the cascade beyond its calls: Verifier.serve against an upstream
    that answers at once with the recorded answers, minus the same requests unverified."""
    from router.classify.base import Assessment
    from router.config import parse_config
    from router.costs import build_catalog
    from router.policy import Route, decide, needs_of
    from router.upstream import Attempt
    from router.upstream import Served as UpServed
    from router.verify import Verifier

    class Instant:
        """An upstream whose deployments answer at once (the Upstream.complete interface)."""

        async def complete(self, decision: Any, params: dict[str, Any], *, stream: bool,
                           deadline: float, request_id: str, call: Any = None,
                           attempts: list[Attempt] | None = None) -> UpServed:
            cand = decision.candidates[0]
            made = [] if attempts is None else attempts
            made.append(Attempt(cand.deployment.name, cand.tier, "ok", "served"))
            item = by_prompt[params["messages"][0]["content"]]
            model = cand.deployment.model.split("/", 1)[1]
            text = styled(item, model)
            usage = {"prompt_tokens": 300, "completion_tokens": len(text.split(" "))}
            return UpServed(cand, made, response={"choices": [{"index": 0, "message": {
                "role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": usage}, usage=usage)

    by_prompt = {i.prompt: i for i in items}
    results = {}
    for label in ("verified", "unverified"):
        raw = issue_config("http://127.0.0.1:9", (HAIKU, SONNET, OPUS))  # never called
        if label == "unverified":
            for tier in raw["tiers"]:
                tier.pop("verify", None)
        config = parse_config(raw, env={})
        catalog = build_catalog(config)
        verifier = Verifier(config, catalog, Instant())  # type: ignore[arg-type]
        task = {"gsm8k": "math", "math_l5": "math", "cruxeval_o": "code_output"}
        decisions = []
        for item in items:
            body = {"messages": [{"role": "user", "content": item.prompt}]}
            assessment = Assessment(0.5, task[item.benchmark])
            decisions.append((body, decide(config, catalog, needs_of(body), assessment,
                                           Route())))

        async def go(decisions: list[Any] = decisions, verifier: Verifier = verifier) -> None:
            for _ in range(repeat):
                for body, decision in decisions:
                    await verifier.serve(decision, body, body, body, stream=False,
                                         deadline=time.monotonic() + 60, request_id="b")

        started = time.process_time()
        asyncio.run(go())
        results[label] = (time.process_time() - started) / (repeat * len(decisions))
    return {"verified_ms": 1000 * results["verified"],
            "unverified_ms": 1000 * results["unverified"],
            "verification_ms": 1000 * (results["verified"] - results["unverified"])}


# ---------------------------------------------------------------- report


def _print(r: dict[str, Any]) -> None:
    top, low = r["run"].split("->")[-1], r["run"].split("->")[0]
    print(f"\n{r['run']}: {r['prompts']} of {r['of']} prompts {r['benchmarks']} in "
          f"{r['seconds']}s")
    print(f"  accuracy {r['accuracy']:.1%}  ({top} alone {r['top_only_accuracy']:.1%}, "
          f"{low} alone {r['cheap_only_accuracy']:.1%}): {r['accuracy_share_of_top']:.1%} of "
          f"{top}'s accuracy, gap recovered {r['gap_recovered']:.1%}")
    print(f"  cost ${r['cost_every_call']:.4f} every call (headers ${r['cost_headers']:.4f}); "
          f"{top} alone ${r['top_only_cost']:.4f}: {r['cost_share_of_top']:.1%} of {top}'s cost")
    print(f"  answered by {r['answered_by']}; x-tianji-verified {r['verified']}")
    print(f"  {r['calls']} calls ({r['calls_per_request']:.2f} per request); gateway CPU "
          f"{r['gateway_cpu_ms_per_request']:.2f} ms per request, "
          f"{r['gateway_cpu_ms_per_call']:.2f} ms per call")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get(
        "TIANJI_DATA", REPO.parent / "shared" / "data")) / "zeroeval_tiers")
    parser.add_argument("--limit", type=int, default=250, help="prompts per benchmark")
    parser.add_argument("--max-seconds", type=float, default=240, help="per run")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--cpu-repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    three = sample(load(args.data, (HAIKU, SONNET, OPUS, MINI), ("gsm8k", "cruxeval_o")),
                   args.limit)
    two = sample(load(args.data, (HAIKU, OPUS, MINI), ("gsm8k", "math_l5", "cruxeval_o")),
                 args.limit)
    with tempfile.TemporaryDirectory(prefix="cascade-e2e-") as tmp:
        reports = [run("haiku->sonnet->opus", (HAIKU, SONNET, OPUS), three, args, Path(tmp)),
                   run("haiku->opus", (HAIKU, OPUS), two, args, Path(tmp))]
    cpu = verification_cpu(three, args.cpu_repeat)
    if args.json:
        print(json.dumps({"runs": reports, "verification_cpu": cpu}, indent=2))
        return 0
    for r in reports:
        _print(r)
    print(f"\nverification's own CPU: {cpu['verification_ms']:.3f} ms per request "
          f"(cascade {cpu['verified_ms']:.3f} ms vs one call {cpu['unverified_ms']:.3f} ms "
          "against an upstream that answers at once)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
