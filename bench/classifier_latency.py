"""Latency budget of the default classifier: load < 1 s; p50 <= 2 ms, p99 <= 10 ms per request.

Run: python bench/classifier_latency.py [--n 2000] [--kind learned|rules]
Two ~1,000-token requests: a conversation (system prompt, earlier turns, a tool) and a long
multiple-choice question (the knowledge task, whose term also weighs words). Also printed: the
ask embedding's share (router/classify/embedding.py): its load in a fresh interpreter and its
per-call time, both inside the classifier's figures. Exits 1 when a budget is missed, so CI can
run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

LOAD_BUDGET_S = 1.0
P50_BUDGET_MS = 2.0
P99_BUDGET_MS = 10.0


def requests() -> dict[str, dict]:
    return {"conversation": conversation(), "multiple choice": multiple_choice()}


def multiple_choice() -> dict:
    passage = (
        "The committee reviewed the statute's history, the case law on implied easements, and the "
        "testimony of both neighbours about the path that crossed the eastern lot for decades. "
    )
    endings = ("exists by prescription", "exists by necessity", "was abandoned", "never existed")
    options = "\n".join(f"{c}. The court should rule that the easement {v}."
                        for c, v in zip("ABCD", endings, strict=True))
    question = "Which of the following is the most likely outcome of the dispute?\n" + options
    return {"messages": [{"role": "user", "content": passage * 22 + question}]}


def conversation() -> dict:
    para = (
        "Our service ingests invoices from several suppliers, normalises currencies and "
        "reconciles them against purchase orders; mismatches above 2% are flagged for review. "
    )
    return {
        "messages": [
            {"role": "system", "content": "You are a meticulous finance assistant. " + para * 4},
            {"role": "user", "content": para * 14},
            {"role": "assistant", "content": "Understood. " + para * 6},
            {
                "role": "user",
                "content": "Given the above, what is 17% of 2,340 EUR in USD at 1.08, and why?",
            },
        ],
        "tools": [
            {
                "type": "function",
                "function": {"name": "fx_rate", "description": "Look up an FX rate."},
            }
        ],
    }


def measure_load(kind: str) -> float:
    """Cold load in a fresh interpreter (imports included), in seconds."""
    code = (
        "import time; t=time.perf_counter();"
        "from router.classify import load_classifier;"
        f"load_classifier({kind!r}); print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def measure_embedding_load() -> float:
    """The ask embedding's cold load (table columns and tokenizer) in a fresh interpreter."""
    code = (
        "from router.classify import embedding; import time; t=time.perf_counter();"
        "embedding.load(); print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def percentiles(call, n: int) -> tuple[float, float]:
    """(p50, p99) in ms of `call()` over n runs, after 50 warm-up runs."""
    for _ in range(50):
        call()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        call()
        times.append((time.perf_counter() - t) * 1000.0)
    times.sort()
    return statistics.median(times), times[int(0.99 * (len(times) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--kind", default="learned")
    args = parser.parse_args()

    from router.classify import load_classifier

    load_s = min(measure_load(args.kind) for _ in range(3))
    clf = load_classifier(args.kind)
    print(f"classifier {args.kind}: load {load_s:.3f} s")
    embedding_s = min(measure_embedding_load() for _ in range(3))
    print(f"  of which the ask embedding (embedding.load): {embedding_s:.3f} s")
    ok = load_s < LOAD_BUDGET_S
    for name, request in requests().items():
        chars = sum(len(m["content"]) for m in request["messages"])
        task = clf.score(request).task
        p50, p99 = percentiles(lambda r=request: clf.score(r), args.n)
        print(f"  {name} (~{chars // 4} tokens, task {task}): p50 {p50:.3f} ms, p99 {p99:.3f} ms")
        if hasattr(clf, "embedding_term"):
            e50, e99 = percentiles(lambda r=request: clf.embedding_term(r), args.n)
            print(f"    of which the embedding term: p50 {e50:.3f} ms, p99 {e99:.3f} ms")
        ok = ok and p50 < P50_BUDGET_MS and p99 < P99_BUDGET_MS
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
