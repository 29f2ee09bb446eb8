"""`router eval --cv`: prompt-level folds that never split a prompt, and held-out scores for
every row."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from router.classify.crossval import _pair_figures, prompt_folds
from router.evaluate import evaluate_pair


@dataclass
class _Rows:
    benchmark: np.ndarray
    texts: list[str]

    def __len__(self) -> int:
        return len(self.texts)

    def text(self, i: int) -> str:
        return self.texts[i]


def _rows(pairs: list[tuple[str, str]]) -> _Rows:
    return _Rows(np.array([b for b, _ in pairs]), [t for _, t in pairs])


def test_a_prompt_never_spans_two_folds_even_across_sources():
    a = _rows([("gsm8k", f"q{i}") for i in range(40)] + [("mmlu", f"m{i}") for i in range(25)])
    # The same GSM8K questions in a second source, in another order and with other spacing.
    b = _rows([("gsm8k", f" q{i}  ") for i in reversed(range(40))])
    fa, fb = prompt_folds([a, b], k=5)
    where = {a.texts[i]: fa[i] for i in range(len(a))}
    assert all(fb[j] == where[b.texts[j].strip()] for j in range(len(b)))


def test_folds_are_balanced_per_benchmark_and_ignore_row_order():
    pairs = [("gsm8k", f"q{i}") for i in range(50)] + [("mmlu", f"m{i}") for i in range(23)]
    (folds,) = prompt_folds([_rows(pairs)], k=5)
    for bench, n in (("gsm8k", 50), ("mmlu", 23)):
        counts = np.bincount(folds[np.array([b == bench for b, _ in pairs])], minlength=5)
        assert counts.max() - counts.min() <= 1 and counts.sum() == n
    (shuffled,) = prompt_folds([_rows(pairs[::-1])], k=5)
    assert shuffled.tolist() == folds.tolist()[::-1]
    (other_seed,) = prompt_folds([_rows(pairs)], k=5, seed=1)
    assert other_seed.tolist() != folds.tolist()


def test_every_prompt_is_scored_by_weights_that_never_saw_it(shared_data):
    pytest.importorskip("sklearn", reason="training needs the 'train' extra")
    from router import data
    from router.classify.crossval import cv_scores

    sets = [
        s.subset(np.arange(len(s)) % max(1, len(s) // 600) == 0) for s in data.load(shared_data)
    ]
    got_sets, scores, folds = cv_scores(sets, k=3)
    assert [len(s) for s in got_sets] == [len(s) for s in scores] == [len(f) for f in folds]
    for s, f in zip(scores, folds, strict=True):
        assert np.isfinite(s).all() and ((s >= 0) & (s <= 1)).all()
        assert set(f.tolist()) == {0, 1, 2}


def test_cross_validated_pairs_do_not_rank_one_folds_scale_against_another():
    # Two folds, each ranked perfectly by its own model, but fold 1's model scores 10 higher.
    weak = np.array([1.0, 0.0, 1.0, 0.0] * 2)
    strong = np.ones(8)
    scores = np.array([0.1, 0.9, 0.2, 0.8, 10.1, 10.9, 10.2, 10.8])
    fold = np.array([0] * 4 + [1] * 4)
    everything = np.ones(8, dtype=bool)
    perfect = evaluate_pair(scores[:4], weak[:4], strong[:4])
    got = _pair_figures(fold, everything, scores, weak, strong)
    assert got["apgr"] == pytest.approx(perfect["apgr"], abs=1e-3) == pytest.approx(0.75, abs=1e-3)
    assert got["auc"] == pytest.approx(1.0)
    # Pooled as one ranking, fold 1 would take all the first strong calls: worse than per fold.
    assert evaluate_pair(scores, weak, strong)["apgr"] < got["apgr"] - 0.05
