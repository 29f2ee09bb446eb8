"""The top-tier rule (router/classify/large_rule.py): a fitted P(large) folded into the
confidence, so that the policy's rule keeps top-tier work off the small tier."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from router.classify import large_rule, prompt_request, traffic
from router.config import load_config
from router.costs import build_catalog
from router.policy import MIN_CHEAP_CONFIDENCE, Route, decide, needs_of

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config" / "default.yaml"
# Short, casual, high-stakes: the kind of ask the tier model alone read as easy.
CASUAL_HIGH_STAKES = "quick q - my dad takes warfarin, is it ok if he has ibuprofen for his back?"
# Long and easy: a pasted log and a lookup in it.
LOG = "\n".join(
    f"2024-05-0{1 + n % 9} 12:{n % 60:02d}:{n % 50:02d} {'ERROR' if n == 57 else 'INFO'} "
    f"worker-{n % 7} handled request {1000 + n} in {n % 13 + 2} ms"
    for n in range(120)
)
LONG_EASY = f"{LOG}\n\nWhat is the timestamp of the first ERROR line?"


def tier_of(learned, text: str) -> str:
    config = load_config(CONFIG, env={"ANTHROPIC_API_KEY": "k"})
    body = prompt_request(text)
    return decide(config, build_catalog(config), needs_of(body), learned.score(body), Route()).tier


def test_a_casual_short_high_stakes_ask_is_never_sent_to_the_small_tier(learned):
    a = learned.score(prompt_request(CASUAL_HIGH_STAKES))
    assert a.signals["p_large"] > a.signals["large_cut"] == pytest.approx(learned.large_cut)
    assert a.confidence < MIN_CHEAP_CONFIDENCE
    assert "above the cut" in str(a.signals["confidence_rule"])
    assert a.signals["confidence_capped_from"] > a.confidence
    assert tier_of(learned, CASUAL_HIGH_STAKES) != "small"


def test_a_long_easy_extraction_keeps_the_small_tier(learned):
    a = learned.score(prompt_request(LONG_EASY))
    assert a.signals["p_large"] <= learned.large_cut
    assert a.confidence >= MIN_CHEAP_CONFIDENCE
    assert "not the cheapest tier" not in str(a.signals.get("confidence_rule", ""))
    assert tier_of(learned, LONG_EASY) == "small"


def test_the_cap_is_the_policys_bar_at_the_cut_and_lower_above_it():
    cut = 0.2
    assert large_rule.cap(cut, cut) == large_rule.CAP_AT_CUT == MIN_CHEAP_CONFIDENCE
    assert large_rule.cap(cut + 1e-6, cut) < MIN_CHEAP_CONFIDENCE
    assert large_rule.cap(0.0, cut) == 1.0 and large_rule.cap(1.0, cut) == 0.0
    assert large_rule.cap(0.05, cut) > large_rule.cap(0.1, cut) > large_rule.cap(0.5, cut)
    assert large_rule.cap(0.99, 1.0) == 1.0  # cut 1: the rule is off


def test_the_cut_bars_all_but_the_target_share_of_large_requests_in_every_set():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=400)
    is_large = np.arange(400) % 4 == 0
    small = np.ones(400, dtype=bool)
    first, second = np.arange(400) < 200, np.arange(400) >= 200
    cut = large_rule.choose_cut(p, small, is_large, [first, second], target=0.04)
    for rows in (first, second):
        assert (p[rows & is_large] <= cut).sum() <= int(0.04 * (rows & is_large).sum())
    # One more large request allowed in either set would exceed the target: the cut is the highest.
    assert any(
        (p[rows & is_large] <= np.sort(p[rows & is_large])[int(0.04 * (rows & is_large).sum())])
        .sum()
        > 0.04 * (rows & is_large).sum()
        for rows in (first, second)
    )
    assert large_rule.choose_cut(p, ~small, is_large, [first]) == 1.0  # nothing goes small


def test_the_shipped_rule_was_fitted_and_its_cut_chosen_held_out(learned):
    assert learned.meta["large_cut_target"] == large_rule.LARGE_TO_SMALL_TARGET
    names = learned.meta["large_cut_splits"]
    assert [n for n in names if n.startswith("family fold")] == [
        f"family fold {k}" for k in range(5)
    ]
    writers = sorted({w for w in traffic.load(traffic.DEFAULT_CORPUS).writers if w})
    assert [n for n in names if not n.startswith("family fold")] == writers
    assert 0.0 < learned.large_cut < 1.0
    assert not np.allclose(learned._large_tier, learned._tier_coef)


def test_weights_of_the_previous_format_stop_with_a_clear_error(tmp_path):
    from router.classify.learned import DEFAULT_WEIGHTS, FORMAT_VERSION, LearnedClassifier

    with np.load(DEFAULT_WEIGHTS, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files if not k.startswith("large_")}
    meta = json.loads(str(arrays.pop("meta")))
    meta["format"] = FORMAT_VERSION - 1
    old = tmp_path / "old.npz"
    with old.open("wb") as f:
        np.savez_compressed(f, meta=np.array(json.dumps(meta)), **arrays)
    with pytest.raises(ValueError, match=r"format 8, expected 9; retrain with `router train`"):
        LearnedClassifier.load(old)


def test_router_route_shows_p_large_and_why_the_confidence_dropped():
    done = subprocess.run(
        [sys.executable, "-m", "router.cli", "route", "--config", str(CONFIG), CASUAL_HIGH_STAKES],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    decision = json.loads(done.stdout)
    assert decision["tier"] != "small" and decision["confidence"] < MIN_CHEAP_CONFIDENCE
    assert decision["signals"]["p_large"] > decision["signals"]["large_cut"]
    assert "not the cheapest tier" in decision["signals"]["confidence_rule"]


def test_the_gateway_and_the_route_endpoint_apply_the_rule(fake, learned):
    from tests.conftest import deployment, make_config, run_gateway

    ask = [{"role": "user", "content": CASUAL_HIGH_STAKES}]
    config = make_config([[deployment(fake, t)] for t in ("s", "m", "l")])
    with run_gateway(config, learned) as gw:
        decision = gw.http.post("/v1/route", json={"model": "auto", "messages": ask}).json()
        answer = gw.http.post("/v1/chat/completions", json={"model": "auto", "messages": ask})
    assert decision["signals"]["p_large"] > decision["signals"]["large_cut"]
    assert decision["confidence"] < MIN_CHEAP_CONFIDENCE and decision["tier"] != "small"
    assert answer.status_code == 200
    assert answer.headers["x-tianji-tier"] == decision["tier"]
