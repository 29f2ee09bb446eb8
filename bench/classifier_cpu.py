"""CPU per score of the learned classifier at several commits, on the same requests.

    .venv/bin/python -m bench.classifier_cpu base=2b1cdf6 after=HEAD [--rounds 3]

Each NAME=COMMIT is exported (`git archive`); a fresh interpreter there scores, with that
commit's code and weights: the bench's request (bench/gateway_perf.py's PROMPT), the two
~1,000-token requests of bench/classifier_latency.py, and every request of
tests/open_traffic/requests.jsonl (this checkout's). The figure per request is process CPU
time (not wall time: the machine's load moves it less), the best of 5 repetitions of 200
scores (of one pass for the corpus, per request). Rounds alternate the commits; the best
round is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import _targets
from bench.classifier_latency import requests
from bench.commits_ab import export
from bench.gateway_perf import PROMPT

_TIME = """
import json, sys, time
from router.classify import load_classifier
clf = load_classifier("learned")
named, corpus = json.loads(sys.stdin.read())
out = {}
for name, request in named.items():
    clf.score(request)
    best = float("inf")
    for _ in range(5):
        t = time.process_time()
        for _ in range(200):
            clf.score(request)
        best = min(best, (time.process_time() - t) / 200)
    out[name] = best * 1000
best = float("inf")
for _ in range(5):
    t = time.process_time()
    for request in corpus:
        clf.score(request)
    best = min(best, (time.process_time() - t) / len(corpus))
out["open traffic (mean)"] = best * 1000
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.classifier_cpu", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commits", nargs="+", metavar="NAME=COMMIT")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over the commits (3)")
    args = parser.parse_args(argv)
    named = {"bench request": {"model": "auto",
                               "messages": [{"role": "user", "content": PROMPT}]},
             **requests()}
    rows = (_targets.REPO / "tests" / "open_traffic" / "requests.jsonl").read_text()
    corpus = [{"model": "auto", "messages": json.loads(r)["messages"]}
              for r in rows.splitlines()]
    payload = json.dumps([named, corpus])
    best: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="tianji-clfcpu-") as tmp:
        trees = {}
        for spec in args.commits:
            name, _, commit = spec.partition("=")
            trees[name] = Path(tmp) / name
            export(commit or name, trees[name])
        for _ in range(args.rounds):
            for name, tree in trees.items():
                result = subprocess.run(
                    [sys.executable, "-c", _TIME], input=payload, cwd=str(tree), text=True,
                    capture_output=True, timeout=600,
                    env={**os.environ, **_targets._ENV, "PYTHONPATH": str(tree)})
                if result.returncode:
                    raise RuntimeError(f"{name}: {result.stderr[-2000:]}")
                seen = json.loads(result.stdout)
                mine = best.setdefault(name, seen)
                for key, value in seen.items():
                    mine[key] = min(mine[key], value)
    keys = list(next(iter(best.values())))
    print(f"{'CPU ms per score':18}" + "".join(f"{k:>22}" for k in keys))
    for name, figures in best.items():
        print(f"{name:18}" + "".join(f"{figures[k]:22.3f}" for k in keys))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
