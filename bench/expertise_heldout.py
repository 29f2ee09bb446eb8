"""Held-out check of the learned expertise signal (router/classify/expertise.py).

Five folds: whole ExpertQA fields are held out together (grouped by field), the other sources
(Arena-Hard v2 hard prompts, MMLU-Pro stems, AlpacaEval instructions) by a hash of the text.
Prints the held-out AUC expert vs everyday, the AUC inside length bins (asks of the same
number of words), the correlation of the score with the log of the length, and the share of
expert and everyday asks above raw scores 0, 0.4 (STRENGTH_FROM) and 1.0 (STRENGTH_FULL), for all
asks and for asks of 3-12 words.

`--features` picks what the ridge reads: the hashed word and character n-grams (`hashed`, what
ships), the mean WordLlama token embedding of the ask's first 60 words (`embedding`: the
256-dimensional l2_supercat table and its tokenizer, inside the `wordllama` wheel (a main
dependency), read with safetensors and tokenizers; nothing is downloaded), or both side by side
(`both`, the embedding scaled by EMBED_SCALE). `--compare` also fits `hashed` on the same folds
and prints the paired bootstrap 95% interval of the AUC differences. `--dealing N` deals the
ExpertQA fields to the folds in a seeded shuffle (0: in sorted order, as in docs/routing.md).
The embedding was tried for the shipped signal and not kept (docs/routing.md).

`--extra-everyday` adds everyday asks to every training fold (never scored): the 250 Arena-Hard
v2.0 creative-writing prompts (`creative`), 600 GSM8K questions (`gsm8k`), both, or 600 MMLU
general-knowledge stems (`mmlu-trivia`: the miscellaneous and global-facts subjects of
routellm_evals, without their options), to check whether a broader everyday side helps on
held-out AlpacaEval (none did: docs/routing.md).

`--cost` prints what reading the embedding would cost at run time instead, in a fresh
interpreter: loading the tokenizer (the resident memory it adds), p50/p99 of tokenizing and of
the hashed features of the ask of the ~1,000-token conversation of bench/classifier_latency.py,
and the size of the `wordllama` package.

    .venv/bin/python bench/expertise_heldout.py [--data ../shared/data]
        [--features hashed|embedding|both] [--compare] [--dealing N]
        [--extra-everyday creative|gsm8k|both|mmlu-trivia] [--cost]
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import importlib.util
import json
import subprocess
import sys
import zlib
from collections.abc import Sequence
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
FEATURES = ("hashed", "embedding", "both")
# An ask opening with one of these is a question (the short-ask lines split by it).
QUESTION_WORDS = frozenset(
    {"what", "how", "why", "who", "which", "when", "where", "is", "are", "can", "do", "does"}
)
# The static embedding: files inside the `wordllama` wheel (pyproject.toml, dependencies).
EMBEDDING_PACKAGE = "wordllama"
TOKENIZER_FILE = "tokenizers/l2_supercat_tokenizer_config.json"
EMBEDDING_FILE = "weights/l2_supercat_256.safetensors"
# Weight of the mean token embedding (norm ~2.1 on the training asks) beside the unit-length
# hashed row in `both`: 0.25 / 2.1 (docs/routing.md has the others tried).
EMBED_SCALE = 0.12


def package_file(name: str) -> Path:
    """A file inside the embedding package, found without importing it (its `__init__` calls
    logging.basicConfig); its folder for ""."""
    spec = importlib.util.find_spec(EMBEDDING_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            f"--features embedding|both needs {EMBEDDING_PACKAGE!r}, a dependency: pip install -e ."
        )
    return Path(spec.submodule_search_locations[0]) / name


@functools.cache
def tokenizer() -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(package_file(TOKENIZER_FILE)))
    tok.no_padding()
    tok.no_truncation()
    return tok


def ask_head(ask: str) -> str:
    """The ask's text up to the end of its ASK_WORDS-th word, as written (case, punctuation)."""
    end = 0
    for i, m in enumerate(expertise._WORD.finditer(ask)):
        end = m.end()
        if i + 1 >= expertise.ASK_WORDS:
            break
    return ask[:end]


def embedding_table() -> np.ndarray:
    """The static embedding (32,000 tokens x 256, float32) from the package's safetensors file."""
    from safetensors import safe_open

    with safe_open(str(package_file(EMBEDDING_FILE)), framework="np") as f:
        return f.get_tensor("embedding.weight").astype(np.float32)


def mean_embeddings(asks: Sequence[str], table: np.ndarray) -> np.ndarray:
    """EMBED_SCALE times the mean token embedding of each ask's first words (0 for none)."""
    out = np.zeros((len(asks), table.shape[1]))
    for i, ask in enumerate(asks):
        ids = tokenizer().encode(ask_head(ask), add_special_tokens=False).ids
        if ids:
            out[i] = EMBED_SCALE * table[ids].mean(axis=0, dtype=np.float64)
    return out


def design(asks: Sequence[str], features: str, table: np.ndarray | None) -> Any:
    """The ridge's rows (CSR): the shipped hashed rows, the scaled mean embedding, or both."""
    if features == "hashed":
        return expertise.design(asks)
    assert table is not None
    emb = sparse.csr_matrix(mean_embeddings(asks, table))
    return emb if features == "embedding" else sparse.hstack([expertise.design(asks), emb]).tocsr()


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


def heldout(x: Any, labels: np.ndarray, fold: np.ndarray, x_extra: Any | None) -> np.ndarray:
    """Each ask's score from the fit that did not see its fold (extra everyday asks in all)."""
    score = np.zeros(len(labels))
    for k in range(FOLDS):
        test = fold == k
        x_fit, y_fit = x[~test], labels[~test]
        if x_extra is not None:
            x_fit = sparse.vstack([x_fit, x_extra])
            y_fit = np.concatenate([y_fit, np.zeros(x_extra.shape[0], dtype=labels.dtype)])
        coef, bias = expertise.fit_design(x_fit, y_fit)
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
    first = np.array([(expertise.ask_words(a) or [""])[0] in QUESTION_WORDS for a in asks])
    short = (ask_words >= expertise.MIN_WORDS) & (ask_words <= 12)
    for name, m in (("opening with a question word", first), ("other", ~first)):
        e, d = short & m & (labels == 1), short & m & (labels == 0)
        print(
            f"  asks of 3-12 words, {name}: raw >= {expertise.STRENGTH_FROM}: expert "
            f"{np.mean(score[e] >= expertise.STRENGTH_FROM):.1%} of {e.sum()}, everyday "
            f"{np.mean(score[d] >= expertise.STRENGTH_FROM):.1%} of {d.sum()}"
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
import expertise_heldout as bench
from router.classify import expertise
from router.classify.taxonomy import request_ask

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

def pct(v, q):
    return 1000 * sorted(v)[int(q * (len(v) - 1))]

ask = request_ask(conversation(), False)
before = rss()
t = time.perf_counter()
tok = bench.tokenizer()
load = time.perf_counter() - t
loaded = rss()
tokens, hashed = [], []
for _ in range(2000):
    t = time.perf_counter()
    tok.encode(bench.ask_head(ask), add_special_tokens=False)
    tokens.append(time.perf_counter() - t)
    t = time.perf_counter()
    expertise.hashed(ask)
    hashed.append(time.perf_counter() - t)
print(json.dumps({"load": load, "rss": loaded - before, "words": len(expertise.ask_words(ask)),
    "tokens": [pct(tokens, .5), pct(tokens, .99)], "hashed": [pct(hashed, .5), pct(hashed, .99)]}))
"""


def cost() -> None:
    """What reading the embedding would cost at run time (see the module's docstring)."""
    out = subprocess.run(
        [sys.executable, "-c", COST], capture_output=True, text=True, check=True, timeout=300
    )
    r = json.loads(out.stdout)
    print(f"tokenizer load (import included): {r['load']:.3f} s, +{r['rss']:.0f} MiB resident")
    print(
        f"ask of the ~1,000-token conversation ({r['words']} words), p50 / p99: tokenizing "
        f"{r['tokens'][0]:.3f} / {r['tokens'][1]:.3f} ms; the shipped hashed features "
        f"{r['hashed'][0]:.3f} / {r['hashed'][1]:.3f} ms"
    )
    package = package_file("")
    size = sum(p.stat().st_size for p in package.rglob("*") if p.is_file())
    read = [TOKENIZER_FILE, EMBEDDING_FILE]
    print(
        f"{EMBEDDING_PACKAGE} installed: {size / 2**20:.1f} MiB; files read: "
        + ", ".join(f"{f} {package_file(f).stat().st_size / 2**20:.1f} MiB" for f in read)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--features", choices=FEATURES, default="hashed")
    parser.add_argument("--compare", action="store_true")
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
    table = embedding_table() if args.features != "hashed" else None
    x = design(asks, args.features, table)
    x_extra = design(extra, args.features, table) if extra else None
    score = heldout(x, labels, fold, x_extra)
    print(f"features {args.features}, dealing {args.dealing}")
    if extra:
        print(f"with {len(extra)} extra everyday asks ({args.extra_everyday}) in every fold")
    report(score, asks, labels, groups)
    if args.compare:
        x_hashed = expertise.design(asks)
        x_hashed_extra = expertise.design(extra) if extra else None
        base = heldout(x_hashed, labels, fold, x_hashed_extra)
        print(f"against hashed n-grams alone on the same folds ({BOOTSTRAPS} paired draws):")
        compare(score, base, asks, labels, groups)


if __name__ == "__main__":
    main()
