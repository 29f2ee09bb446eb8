"""Held-out check of the learned expertise signal (router/classify/expertise.py).

Five folds: whole ExpertQA fields are held out together (grouped by field), the other sources
(Arena-Hard v2 hard prompts, MMLU-Pro stems, AlpacaEval instructions) by a hash of the text.
Prints the held-out AUC expert vs everyday, the AUC inside length bins (asks of the same
number of words), the correlation of the score with the log of the length, and the share of
expert and everyday asks above raw scores 0, 0.4 (STRENGTH_FROM) and 1.0 (STRENGTH_FULL), for all
asks and for asks of 3-12 words.

`--extra-everyday` adds everyday asks to every training fold (never scored): the 250 Arena-Hard
v2.0 creative-writing prompts (`creative`), 600 GSM8K questions (`gsm8k`) or both, to check
whether a broader everyday side helps on held-out AlpacaEval (it did not: docs/routing.md).

    .venv/bin/python bench/expertise_heldout.py [--data ../shared/data]
        [--extra-everyday creative|gsm8k|both]
"""

from __future__ import annotations

import argparse
import gzip
import json
import zlib
from pathlib import Path

import numpy as np
from scipy import sparse

from router.classify import expertise
from router.data import default_data_dir

FOLDS = 5


def auc(score: np.ndarray, label: np.ndarray) -> float:
    pos, neg = score[label == 1], score[label == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="stable")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--extra-everyday", choices=("creative", "gsm8k", "both"), default=None)
    args = parser.parse_args()
    data = args.data or default_data_dir()
    asks, labels, groups = expertise.training_asks(data)
    extra = extra_everyday(data, args.extra_everyday)
    fields = sorted({g for g in groups if g.startswith("expertqa:")})
    fold_of_field = {f: i % FOLDS for i, f in enumerate(fields)}
    fold = np.array(
        [
            fold_of_field[g] if g in fold_of_field else zlib.crc32(a.encode()) % FOLDS
            for a, g in zip(asks, groups, strict=False)
        ]
    )
    x = expertise.design(asks)
    x_extra = expertise.design(extra) if extra else None
    score = np.zeros(len(asks))
    for k in range(FOLDS):
        test = fold == k
        x_fit, y_fit = x[~test], labels[~test]
        if x_extra is not None:
            x_fit = sparse.vstack([x_fit, x_extra])
            y_fit = np.concatenate([y_fit, np.zeros(len(extra), dtype=labels.dtype)])
        coef, bias = expertise.fit_design(x_fit, y_fit)
        score[test] = x[test] @ coef + bias
    if extra:
        print(f"with {len(extra)} extra everyday asks ({args.extra_everyday}) in every fold")
    n_words = np.array([len(a.split()) for a in asks])
    g = np.array(groups)
    print(f"held-out AUC expert vs everyday, all: {auc(score, labels):.3f} (n={len(asks)})")
    for name in ("expertqa", "arena-hard-v2", "mmlu-pro"):
        m = np.char.startswith(g.astype(str), name) | (labels == 0)
        n = int((m & (labels == 1)).sum())
        print(f"  {name} vs alpaca: {auc(score[m], labels[m]):.3f} (n={n})")
    bins = [(1, 10), (11, 20), (21, 40), (41, 80), (81, 10**9)]
    total, weight = 0.0, 0
    for lo, hi in bins:
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
        out += [r["question"] for r in rows if r["benchmark"] == "gsm8k"][:600]
    return out


if __name__ == "__main__":
    main()
