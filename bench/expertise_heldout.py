"""Held-out check of the learned expertise signal (router/classify/expertise.py).

Five folds: whole ExpertQA fields are held out together (grouped by field), the other sources
(Arena-Hard v2 hard prompts, MMLU-Pro stems, AlpacaEval instructions) by a hash of the text.
Prints the held-out AUC expert vs everyday, the AUC inside length bins (asks of the same
number of words), and the correlation of the score with the log of the length.

    .venv/bin/python bench/expertise_heldout.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import zlib
from pathlib import Path

import numpy as np

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
    data = parser.parse_args().data or default_data_dir()
    asks, labels, groups = expertise.training_asks(data)
    fields = sorted({g for g in groups if g.startswith("expertqa:")})
    fold_of_field = {f: i % FOLDS for i, f in enumerate(fields)}
    fold = np.array(
        [
            fold_of_field[g] if g in fold_of_field else zlib.crc32(a.encode()) % FOLDS
            for a, g in zip(asks, groups, strict=False)
        ]
    )
    x = expertise.design(asks)
    score = np.zeros(len(asks))
    for k in range(FOLDS):
        test = fold == k
        coef, bias = expertise.fit_design(x[~test], labels[~test])
        score[test] = x[test] @ coef + bias
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


if __name__ == "__main__":
    main()
