"""Evaluation metrics on a tiny hand-made set whose answers are worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from router import data
from router.evaluate import (
    apgr,
    assign_tiers,
    auc,
    cpt,
    evaluate_tiers,
    oracle_outcome,
    pair_curve,
    policy_outcome,
)

# Four prompts: the weak model fails #1 and #3, the strong model gets all right.
WEAK = np.array([1.0, 0.0, 1.0, 0.0])
STRONG = np.ones(4)


def test_perfect_ranking_apgr_is_worked_out_by_hand():
    # Strong calls 0..4 -> PGR 0, .5, 1, 1, 1; trapezoid with step .25 = 0.75.
    curve = pair_curve(np.array([0.1, 0.9, 0.2, 0.8]), WEAK, STRONG)
    assert apgr(curve) == pytest.approx(0.75)
    assert cpt(curve, 0.5) == pytest.approx(0.25)
    assert cpt(curve, 0.8) == pytest.approx(0.40)  # 0.25 + (0.3 / 0.5) * 0.25


def test_reversed_ranking_and_ties():
    assert apgr(pair_curve(np.array([0.9, 0.1, 0.8, 0.2]), WEAK, STRONG)) == pytest.approx(0.25)
    # A constant score is random routing in expectation: exactly 0.5.
    assert apgr(pair_curve(np.zeros(4), WEAK, STRONG)) == pytest.approx(0.5)


def test_auc_counts_ties_as_half():
    assert auc(np.array([0.1, 0.9, 0.2, 0.8]), WEAK < 0.5) == pytest.approx(1.0)
    assert auc(np.zeros(4), WEAK < 0.5) == pytest.approx(0.5)


def test_tier_policy_and_oracle():
    quality = np.array([[1, 0, 0], [1, 1, 0], [1, 1, 1]], dtype=float)
    cost = np.array([[1, 1, 1], [10, 10, 10], [100, 100, 100]], dtype=float)
    tiers = assign_tiers(np.array([0.1, 0.5, 0.9]), [0.3, 0.6])
    assert tiers.tolist() == [0, 1, 2]
    assert policy_outcome(tiers, quality, cost) == (pytest.approx(1.0), pytest.approx(111.0))
    assert oracle_outcome(quality, cost) == (pytest.approx(1.0), pytest.approx(111.0))
    report = evaluate_tiers(np.array([0.1, 0.5, 0.9]), quality, cost)
    assert report["at_top_quality"]["cost"] == pytest.approx(111.0)
    assert report["cost_share_at_top_quality"] == pytest.approx(111.0 / 300.0, abs=1e-4)


def test_labelled_jsonl_round_trip(tmp_path):
    rows = [
        {
            "prompt": f"q{i}",
            "benchmark": "toy",
            "quality": {"weak": w, "strong": 1.0},
            "cost": {"weak": 1, "strong": 10},
        }
        for i, w in enumerate(WEAK)
    ]
    path = tmp_path / "toy.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    (ls,) = data.load(path)
    assert len(ls) == 4 and ls.quality["weak"].tolist() == WEAK.tolist()
    assert ls.cost["strong"].sum() == 40


def test_data_folder_defaults_next_to_the_repo_and_follows_the_env(monkeypatch, tmp_path):
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    repo = Path(data.__file__).resolve().parents[1]
    assert data.default_data_dir() == repo.parent / "shared" / "data"
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path))
    assert data.default_data_dir() == tmp_path


def test_everything_on_the_top_tier_reaches_its_quality_even_when_it_does_not_round():
    # Top tier quality 1/3 (0.3333 when rounded); only "everything to the top tier" keeps it:
    # the lowest score is the one prompt only the top tier gets right.
    quality = np.array([[0, 0, 0], [0, 0, 0], [1, 0, 0]], dtype=float)
    cost = np.array([[1, 1, 1], [10, 10, 10], [100, 100, 100]], dtype=float)
    report = evaluate_tiers(np.array([0.1, 0.5, 0.9]), quality, cost)
    assert report["cost_share_at_top_quality"] == pytest.approx(1.0)
    assert report["at_top_quality"]["quality"] == pytest.approx(0.3333)
