"""Whether two commits' learned classifiers give the same assessments, bit for bit.

    .venv/bin/python -m bench.classifier_same base=2b1cdf6 [x=HEAD] [--per-source 400]

A change to the classifier's runtime code that is meant to make it cheaper must not move a
score. Each commit is exported (`git archive`) into a temporary directory; a fresh
interpreter there scores a fixed sample with that commit's code and its shipped weights:
every request of training/traffic/requests.jsonl and tests/open_traffic/requests.jsonl (of
this checkout), and the first `--per-source` prompts of each benchmark of the routing data
(zeroeval_tiers: code output prediction, competition and grade-school maths, multiple
choice; open_prompts: Arena-Hard, Arena, MMLU-Pro). Each request's `Assessment` (difficulty,
task, domain, confidence, every signal) is compared exactly (floats by `repr`). Prints the
count and the first differences; exits 1 on any.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import _targets
from bench.commits_ab import export

_SCORE = """
import json, sys
from router.classify import load_classifier
clf = load_classifier("learned")
for line in sys.stdin:
    a = clf.score(json.loads(line))
    row = [a.difficulty, a.task, a.domain, a.confidence, sorted(a.signals.items())]
    print(json.dumps([repr(v) if isinstance(v, float) else v for v in row]
                     + [[[k, repr(v)] for k, v in row[-1]]]))
"""


def sample(per_source: int) -> list[dict[str, object]]:
    """The requests scored: the traffic corpora's, then each benchmark's first prompts."""
    out: list[dict[str, object]] = []
    for corpus in ("training/traffic/requests.jsonl", "tests/open_traffic/requests.jsonl"):
        for line in (_targets.REPO / corpus).read_text().splitlines():
            out.append({"model": "auto", "messages": json.loads(line)["messages"]})
    from router.data import default_data_dir

    taken: dict[str, int] = {}
    for name, key, group in (("zeroeval_tiers", "question", "benchmark"),
                             ("open_prompts", "prompt", "source")):
        with gzip.open(default_data_dir() / name / "prompts.jsonl.gz", "rt") as f:
            for line in f:
                row = json.loads(line)
                source = f"{name}/{row.get(group)}"
                if taken.get(source, 0) < per_source and isinstance(row.get(key), str):
                    taken[source] = taken.get(source, 0) + 1
                    out.append({"model": "auto",
                                "messages": [{"role": "user", "content": row[key]}]})
    return out


def assessments(tree: Path, lines: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", _SCORE], input=lines, cwd=str(tree),
                            capture_output=True, text=True, timeout=1800,
                            env={**os.environ, **_targets._ENV, "PYTHONPATH": str(tree)})
    if result.returncode:
        raise RuntimeError(f"{tree}: {result.stderr[-2000:]}")
    return result.stdout.splitlines()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.classifier_same", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commits", nargs="+", metavar="NAME=COMMIT",
                        help="two commits (the second defaults to HEAD)")
    parser.add_argument("--per-source", type=int, default=400,
                        help="prompts per benchmark of the routing data (400)")
    args = parser.parse_args(argv)
    specs = [*args.commits, "x=HEAD"][:2]
    requests = sample(args.per_source)
    lines = "".join(json.dumps(r) + "\n" for r in requests)
    with tempfile.TemporaryDirectory(prefix="tianji-same-") as tmp:
        scored = []
        for spec in specs:
            name, _, commit = spec.partition("=")
            tree = Path(tmp) / name
            export(commit or name, tree)
            scored.append(assessments(tree, lines))
    (a_name, b_name), (a, b) = [s.partition("=")[0] for s in specs], scored
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    print(f"{len(requests)} requests scored by {a_name} and {b_name}: {len(differ)} differ")
    for i in differ[:5]:
        print(f"  request {i}:\n    {a_name}: {a[i][:300]}\n    {b_name}: {b[i][:300]}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
