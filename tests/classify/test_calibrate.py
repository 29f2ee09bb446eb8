"""Calibration hits its target on a hand-made set and keeps the operator's config."""

from __future__ import annotations

import numpy as np
import pytest

from router.calibrate import choose_labelled, labelled_outcome, rewrite_thresholds

# Six prompts; the score ranks them by how strong a tier they need.
SCORES = np.array([0.05, 0.10, 0.30, 0.40, 0.80, 0.90])
QUALITY = np.array(
    [
        [1, 1, 0, 0, 0, 0],  # small
        [1, 1, 1, 1, 0, 0],  # medium
        [1, 1, 1, 1, 1, 1],  # large
    ],
    dtype=float,
)
COST = np.array([[1.0] * 6, [10.0] * 6, [100.0] * 6])


def test_target_quality_is_met_at_the_lowest_cost():
    best = choose_labelled(SCORES, QUALITY, COST, target_quality=1.0, max_cost_share=None)
    assert best["quality"] == pytest.approx(1.0)
    assert best["cost"] == pytest.approx(2 + 20 + 200)  # the oracle routing
    a, b = best["thresholds"]
    assert 0.10 <= a < 0.30 and 0.40 <= b < 0.80


def test_lower_quality_target_is_cheaper():
    best = choose_labelled(SCORES, QUALITY, COST, target_quality=0.8, max_cost_share=None)
    assert best["quality"] >= 0.8 - 1e-9
    assert best["cost"] < 222


def test_cost_cap_is_respected():
    best = choose_labelled(SCORES, QUALITY, COST, target_quality=None, max_cost_share=0.2)
    assert best["cost"] <= 0.2 * 600 + 1e-9
    assert best["quality"] == pytest.approx(4 / 6)


def test_rewrite_keeps_comments_and_layout():
    text = (
        "tiers:   # cheapest first\n"
        "  - name: small\n"
        "    max_difficulty: 0.33    # scored <= this go here\n"
        "  - name: medium\n"
        "    max_difficulty: 0.66\n"
        "  - name: large\n"
    )
    out = rewrite_thresholds(text, [0.2, 0.5])
    assert "    max_difficulty: 0.2000    # scored <= this go here\n" in out
    assert "    max_difficulty: 0.5000\n" in out
    assert out.count("\n") == text.count("\n") and "# cheapest first" in out


def test_the_outcome_of_given_thresholds_is_reported_as_shares_of_the_top_tier():
    got = labelled_outcome(SCORES, QUALITY, COST, [0.2, 0.5])  # the oracle's routing
    assert got["quality"] == pytest.approx(1.0) and got["quality_share"] == pytest.approx(1.0)
    assert got["cost"] == pytest.approx(222) and got["cost_share"] == pytest.approx(222 / 600)
    everything_small = labelled_outcome(SCORES, QUALITY, COST, [1.0, 1.0])
    assert everything_small["quality"] == pytest.approx(2 / 6) and everything_small[
        "cost_share"
    ] == pytest.approx(6 / 600)
