"""Held-out check of the learned expertise signal (router/classify/expertise.py).

Five folds: whole ExpertQA fields are held out together (grouped by field), the other sources
(Arena-Hard v2 hard prompts, MMLU-Pro stems, AlpacaEval instructions) by a hash of the text.
Prints the held-out AUC expert vs everyday, the AUC inside length bins (asks of the same
number of words), the correlation of the score with the log of the length, and the share of
expert and everyday asks above raw scores 0, 0.4 (STRENGTH_FROM) and 1.0 (STRENGTH_FULL), for all
asks and for asks of 3-12 words.

`--features` picks what the ridge reads: the hashed word and character n-grams (`hashed`), the
mean WordLlama token embedding (`embedding`), or both side by side (`both`, what ships).
`--compare` also fits `hashed` on the same folds and prints the paired bootstrap 95% interval
of the AUC differences. `--dealing N` deals the ExpertQA fields to the folds in a seeded
shuffle (0: in sorted order, as the figures in docs/routing.md).

`--extra-everyday` adds everyday asks to every training fold (never scored): the 250 Arena-Hard
v2.0 creative-writing prompts (`creative`), 600 GSM8K questions (`gsm8k`), both, or 600 MMLU
general-knowledge stems (`mmlu-trivia`: the miscellaneous and global-facts subjects of
routellm_evals, without their options), to check whether a broader everyday side helps on
held-out AlpacaEval (none did: docs/routing.md).

`--cost` prints what the shipped signal costs at run time instead: the classifier's load, the
first score (which reads the tokenizer), the resident memory each adds, p50/p99 of the signal
and of the whole classifier on the ~1,000-token conversation of bench/classifier_latency.py,
and the size of the `wordllama` package.

    .venv/bin/python bench/expertise_heldout.py [--data ../shared/data]
        [--features hashed|embedding|both] [--compare] [--alpha A] [--dealing N]
        [--extra-everyday creative|gsm8k|both|mmlu-trivia] [--cost]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from router.classify import expertise
from router.data import default_data_dir

FOLDS = 5
BOOTSTRAPS = 300
BINS = [(1, 10), (11, 20), (21, 40), (41, 80), (81, 10**9)]
EXTRA_EVERYDAY = ("creative", "gsm8k", "both", "mmlu-trivia")
EXTRA_CAP = 600
TRIVIA_SUBJECTS = frozenset({"miscellaneous", "global_facts"})


def auc(score: np.ndarray, label: np.ndarray) -> float:
    pos, neg = score[label == 1], score[label == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="stable")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def folds(asks: list[str], groups: list[str], dealing: int) -> np.ndarray:
    """Each ask's fold: its ExpertQA field's (fields dealt whole), else a hash of the text."""
    fields = sorted({g for g in groups if g.startswith("expertqa:")})
    if dealing:
        fields = [str(f) for f in np.random.default_rng(dealing).permutation(fields)]
    fold_of_field = {f: i % FOLDS for i, f in enumerate(fields)}
    return np.array(
        [
            fold_of_field[g] if g in fold_of_field else (zlib.crc32(a.encode()) + dealing) % FOLDS
            for a, g in zip(asks, groups, strict=True)
        ]
    )


def heldout(
    x: Any, labels: np.ndarray, fold: np.ndarray, x_extra: Any | None, alpha: float
) -> np.ndarray:
    """Each ask's score from the fit that did not see its fold (extra everyday asks in all)."""
    score = np.zeros(len(labels))
    for k in range(FOLDS):
        test = fold == k
        x_fit, y_fit = x[~test], labels[~test]
        if x_extra is not None:
            x_fit = sparse.vstack([x_fit, x_extra])
            y_fit = np.concatenate([y_fit, np.zeros(x_extra.shape[0], dtype=labels.dtype)])
        coef, bias = expertise.fit_design(x_fit, y_fit, alpha)
        score[test] = x[test] @ coef + bias
    return score


def report(score: np.ndarray, asks: list[str], labels: np.ndarray, groups: list[str]) -> None:
    n_words = np.array([len(a.split()) for a in asks])
    g = np.array(groups).astype(str)
    print(f"held-out AUC expert vs everyday, all: {auc(score, labels):.3f} (n={len(asks)})")
    for name in ("expertqa", "arena-hard-v2", "mmlu-pro"):
        m = np.char.startswith(g, name) | (labels == 0)
        n = int((m & (labels == 1)).sum())
        print(f"  {name} vs alpaca: {auc(score[m], labels[m]):.3f} (n={n})")
    total, weight = 0.0, 0
    for lo, hi in BINS:
        m = (n_words >= lo) & (n_words <= hi)
        n_pos, n_neg = int((labels[m] == 1).sum()), int((labels[m] == 0).sum())
        a = auc(score[m], labels[m])
        top = hi if hi < 10**9 else "more"
        print(f"  words {lo}-{top}: AUC {a:.3f} ({n_pos} expert, {n_neg} everyday)")
        if np.isfinite(a):
            total += a * min(n_pos, n_neg)
            weight += min(n_pos, n_neg)
    print(f"length-matched AUC (inside word-count bins, weighted): {total / weight:.3f}")
    for lab, name in ((1, "expert"), (0, "everyday")):
        m = labels == lab
        r = np.corrcoef(score[m], np.log(n_words[m] + 1))[0, 1]
        print(f"correlation of the score with log(words), {name} asks: {r:+.3f}")
    for lab, name in ((1, "expert"), (0, "everyday")):
        m = labels == lab
        s = np.array([expertise.strength(v) for v in score[m]])
        share, full = np.mean(s > 0), np.mean(s >= 1)
        print(f"{name} asks: strength > 0 for {share:.1%}, full (1.0) for {full:.1%}")
    print(f"AUC of log(words) alone: {auc(np.log(n_words + 1.0), labels):.3f}")
    ask_words = np.array([len(expertise.ask_words(a)) for a in asks])
    for name, m in (("all asks", ask_words >= 0), ("asks of 3-12 words", ask_words <= 12)):
        m = m & (ask_words >= expertise.MIN_WORDS)
        cells = [
            f"raw >= {t}: expert {np.mean(score[m & (labels == 1)] >= t):.1%}, "
            f"everyday {np.mean(score[m & (labels == 0)] >= t):.1%}"
            for t in (0.0, expertise.STRENGTH_FROM, expertise.STRENGTH_FULL)
        ]
        print(f"{name}: " + "; ".join(cells))
        everyday = np.sort(score[m & (labels == 0)])
        for rate in (0.14, 0.21):
            cut = everyday[int(round((1 - rate) * len(everyday))) - 1]
            print(
                f"  {name}, cut passing {rate:.0%} of everyday asks (raw {cut:.2f}): "
                f"expert {np.mean(score[m & (labels == 1)] > cut):.1%}"
            )


def compare(
    score: np.ndarray, base: np.ndarray, asks: list[str], labels: np.ndarray, groups: list[str]
) -> None:
    """Paired bootstrap over the asks of AUC(score) - AUC(base), overall and in subsets."""
    g = np.array(groups).astype(str)
    n_words = np.array([len(a.split()) for a in asks])
    subsets = {
        "all": np.ones(len(asks), dtype=bool),
        "expertqa (unseen fields) vs alpaca": np.char.startswith(g, "expertqa") | (labels == 0),
        "asks of 1-10 words": n_words <= 10,
    }
    rng = np.random.default_rng(1)
    draws = [rng.integers(0, len(asks), len(asks)) for _ in range(BOOTSTRAPS)]
    for name, m in subsets.items():
        diff = auc(score[m], labels[m]) - auc(base[m], labels[m])
        boot = []
        for idx in draws:
            idx = idx[m[idx]]
            boot.append(auc(score[idx], labels[idx]) - auc(base[idx], labels[idx]))
        lo, hi = np.percentile(boot, [2.5, 97.5])
        print(
            f"  {name}: hashed {auc(base[m], labels[m]):.3f}, this {auc(score[m], labels[m]):.3f}, "
            f"difference {diff:+.3f} (95% bootstrap {lo:+.3f} to {hi:+.3f})"
        )


def extra_everyday(data: Path, which: str | None) -> list[str]:
    """Everyday asks added to every training fold (see the module's docstring)."""
    if which is None:
        return []
    out: list[str] = []
    if which in ("creative", "both"):
        with gzip.open(data / "open_prompts" / "unlabelled_prompts.jsonl.gz", "rt") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        out += [
            r["prompt"]
            for r in rows
            if r["source"] != "ExpertQA-r1" and not str(r.get("category", "")).startswith("hard")
        ]
    if which in ("gsm8k", "both"):
        with gzip.open(data / "zeroeval_tiers" / "prompts.jsonl.gz", "rt") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        out += [r["question"] for r in rows if r["benchmark"] == "gsm8k"][:EXTRA_CAP]
    if which == "mmlu-trivia":
        with gzip.open(data / "routellm_evals" / "mmlu.csv.gz", "rt", newline="") as f:
            rows = [r for r in csv.DictReader(f) if r["subject"] in TRIVIA_SUBJECTS]
        rows.sort(key=lambda r: zlib.crc32(r["prompt_id"].encode()))
        out += [r["prompt"].partition("\nA.")[0].strip() for r in rows[:EXTRA_CAP]]
    return out


# Run in a fresh interpreter by cost(): prints one JSON line.
COST = """
import json, os, sys, time
sys.path.insert(0, "bench")
from classifier_latency import conversation
from router.classify import expertise, learned
from router.classify.taxonomy import request_ask

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

def pct(v, q):
    return 1000 * sorted(v)[int(q * (len(v) - 1))]

before = rss()
t = time.perf_counter()
clf = learned.LearnedClassifier.load()
load = time.perf_counter() - t
loaded = rss()
short = "When is a Kasai portoenterostomy preferred over primary liver transplantation?"
t = time.perf_counter()
clf.score({"messages": [{"role": "user", "content": short}]})
first = time.perf_counter() - t
request = conversation()
ask = request_ask(request, False)
signal, tokens, score = [], [], []
for _ in range(2000):
    t = time.perf_counter()
    clf.expert_strength(ask)
    signal.append(time.perf_counter() - t)
    t = time.perf_counter()
    expertise.token_ids(ask)
    tokens.append(time.perf_counter() - t)
    t = time.perf_counter()
    clf.score(request)
    score.append(time.perf_counter() - t)
print(json.dumps({"load": load, "first": first, "rss_load": loaded - before,
    "rss_first": rss() - loaded, "signal": [pct(signal, .5), pct(signal, .99)],
    "tokens": [pct(tokens, .5), pct(tokens, .99)], "score": [pct(score, .5), pct(score, .99)],
    "ask_words": len(expertise.ask_words(ask))}))
"""


def cost() -> None:
    """The run-time cost of the shipped signal, in a fresh interpreter (see the docstring)."""
    out = subprocess.run(
        [sys.executable, "-c", COST], capture_output=True, text=True, check=True, timeout=300
    )
    r = json.loads(out.stdout)
    print(f"classifier load (weights, no tokenizer): {r['load']:.3f} s, +{r['rss_load']:.0f} MiB")
    print(
        f"first score of an ask the signal reads (loads the tokenizer): {r['first']:.3f} s, "
        f"+{r['rss_first']:.0f} MiB"
    )
    print(
        f"~1,000-token conversation (ask of {r['ask_words']} words), p50 / p99: expertise signal "
        f"{r['signal'][0]:.3f} / {r['signal'][1]:.3f} ms, of which tokenizing "
        f"{r['tokens'][0]:.3f} / {r['tokens'][1]:.3f} ms; whole score "
        f"{r['score'][0]:.3f} / {r['score'][1]:.3f} ms"
    )
    package = expertise.package_file("")
    size = sum(p.stat().st_size for p in package.rglob("*") if p.is_file())
    read = [expertise.TOKENIZER_FILE, expertise.EMBEDDING_FILE]
    print(
        f"{expertise.EMBEDDING_PACKAGE} installed: {size / 2**20:.1f} MiB; files read: "
        + ", ".join(f"{f} {expertise.package_file(f).stat().st_size / 2**20:.1f} MiB" for f in read)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--features", choices=expertise.FEATURES, default="both")
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--alpha", type=float, default=expertise.ALPHA)
    parser.add_argument("--dealing", type=int, default=0)
    parser.add_argument("--extra-everyday", choices=EXTRA_EVERYDAY, default=None)
    parser.add_argument("--cost", action="store_true")
    args = parser.parse_args()
    if args.cost:
        cost()
        return
    data = args.data or default_data_dir()
    asks, labels, groups = expertise.training_asks(data)
    extra = extra_everyday(data, args.extra_everyday)
    fold = folds(asks, groups, args.dealing)
    table = expertise.embedding_table() if args.features != "hashed" else None
    x = expertise.design(asks, args.features, table)
    x_extra = expertise.design(extra, args.features, table) if extra else None
    score = heldout(x, labels, fold, x_extra, args.alpha)
    print(f"features {args.features}, ridge penalty {args.alpha}, dealing {args.dealing}")
    if extra:
        print(f"with {len(extra)} extra everyday asks ({args.extra_everyday}) in every fold")
    report(score, asks, labels, groups)
    if args.compare:
        x_hashed = expertise.design(asks, "hashed")
        x_hashed_extra = expertise.design(extra, "hashed") if extra else None
        base = heldout(x_hashed, labels, fold, x_hashed_extra, expertise.ALPHA)
        print(f"against hashed n-grams alone on the same folds ({BOOTSTRAPS} paired draws):")
        compare(score, base, asks, labels, groups)


if __name__ == "__main__":
    main()
