"""The labelled traffic corpus (training/traffic/) and the tier model `router train` fits to it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from router.classify import traffic
from router.config import load_config

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "training" / "traffic" / "requests.jsonl"
KINDS = {
    "small_talk",
    "rewrite_translate_format",
    "extraction_classification",
    "summarisation",
    "factual_lookup",
    "creative_writing",
    "code_writing",
    "debugging_review",
    "system_design",
    "data_sql",
    "arithmetic",
    "word_problems",
    "competition_maths_proofs",
    "expert_analysis",
    "agentic_tool_use",
    "long_document_analysis",
}
DOMAINS = {
    "general",
    "cs_engineering",
    "law",
    "finance",
    "medicine",
    "maths",
    "economics",
    "physics",
    "biology",
    "history",
    "philosophy",
    "chemistry",
    "psychology",
    "linguistics",
}


def rows() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


def test_the_committed_corpus_is_what_build_py_writes():
    build = REPO / "training" / "traffic" / "build.py"
    done = subprocess.run(
        [sys.executable, str(build), "--check"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_the_corpus_loads_and_is_labelled_validly():
    corpus = traffic.load(CORPUS)
    assert len(corpus.tiers) >= 600
    items = rows()
    assert {r["kind"] for r in items} == KINDS
    assert {r["domain"] for r in items} <= DOMAINS and len({r["domain"] for r in items}) == len(
        DOMAINS
    )
    assert all(r["reason"].strip() and r["tier"] in traffic.TIERS for r in items)
    assert Counter(corpus.tiers).keys() == {0, 1, 2}
    assert len({r["lang"] for r in items}) >= 7
    groups = Counter(r.get("group") for r in items)
    assert groups["short_hard"] >= 50 and groups["long_easy"] >= 50
    lengths = [sum(len(m.get("content") or "") for m in r["messages"]) for r in items]
    assert min(lengths) < 20 and max(lengths) > 10_000
    assert any(r.get("tools") for r in items) and any(
        r["messages"][0]["role"] == "system" for r in items
    )


def test_a_multiple_choice_and_open_pair_shares_its_tier_and_family():
    pairs: dict[str, list[dict]] = {}
    for r in rows():
        if "pair" in r:
            pairs.setdefault(r["pair"][:-1], []).append(r)
    assert len(pairs) >= 10
    for members in pairs.values():
        assert sorted(m["pair"][-1] for m in members) == ["m", "o"]
        assert len({m["tier"] for m in members}) == 1 and len({m["family"] for m in members}) == 1


def test_a_bad_line_is_named(tmp_path):
    bad = tmp_path / "bad.jsonl"
    line = {
        "id": "x",
        "family": "f",
        "messages": [{"role": "user", "content": "hi"}],
        "tier": "tiny",
        "reason": "r",
        "kind": "small_talk",
        "domain": "general",
    }
    bad.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(traffic.CorpusError, match=r"bad.jsonl:1: tier 'tiny'"):
        traffic.load(bad)


def test_router_train_rejects_a_bad_corpus_before_fitting(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "router.cli",
            "train",
            "--traffic",
            str(bad),
            "--out",
            str(tmp_path / "w.npz"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 2
    assert "bad.jsonl:1: not JSON" in done.stderr and not (tmp_path / "w.npz").exists()


def test_the_cut_points_are_the_shipped_thresholds():
    config = load_config(REPO / "config" / "default.yaml", env={})
    assert tuple(t.max_difficulty for t in config.tiers[:-1]) == traffic.TIER_CUTS


def test_the_shipped_tier_model_was_fitted_on_the_corpus(learned):
    assert learned.meta["n_traffic_requests"] == len(traffic.load(CORPUS).tiers)
    assert learned.meta["tier_penalties"] == [
        traffic.PENALTY, traffic.VOCAB_PENALTY, traffic.EMBED_PENALTY
    ]
    assert learned.meta["embed_dims"] == 64 and np.abs(learned._embed_coef).max() > 0
    assert not np.allclose(learned._tier_coef, traffic.hand_weights())


def test_the_ordinal_fit_puts_each_tier_in_its_band():
    """One input that tells the tiers apart: the fitted logit must fall in each label's band
    of the cut points (small below logit(0.25), large above logit(0.6))."""
    x = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]] * 30)
    tiers = [0, 1, 2] * 30
    coef = traffic.fit_tiers(
        x, tiers, np.zeros(len(x)), np.ones(len(x)), np.zeros(2), np.full(2, 1e-3)
    )
    d = 1.0 / (1.0 + np.exp(-(x[:3] @ coef)))
    assert d[0] < traffic.TIER_CUTS[0] < d[1] < traffic.TIER_CUTS[1] < d[2]


def test_training_reads_the_corpus_and_moves_the_tier_model(shared_data):
    """A small fit with and without part of the corpus: only the tier model changes, and its
    scores order the held-in corpus's tiers better than the hand-set weights do."""
    pytest.importorskip("sklearn", reason="training needs the 'train' extra")
    from router import data
    from router.classify import train
    from router.classify.learned import FORMAT_VERSION, LearnedClassifier
    from router.evaluate import auc

    sets = [
        s.subset(np.arange(len(s)) % max(1, len(s) // 150) == 0) for s in data.load(shared_data)
    ]
    ts = train.build_targets(sets)
    feats = train.featurize(ts.requests)
    corpus = train.read_traffic(CORPUS)
    keep = np.arange(len(corpus.tiers)) % 3 == 0
    part = corpus.subset(keep)
    hand, meta_hand = train.fit(feats, ts)
    fitted, meta = train.fit(feats, ts, corpus=part)
    assert meta_hand["n_traffic_requests"] == 0 and meta["n_traffic_requests"] == int(keep.sum())
    np.testing.assert_array_equal(hand["levels"], fitted["levels"])
    assert np.abs(fitted["vocab_coef"]).max() > 0 == np.abs(hand["vocab_coef"]).max()
    assert np.abs(fitted["embed_coef"]).max() > 0 == np.abs(hand["embed_coef"]).max()
    y = np.array(part.tiers)
    extremes = y != 1

    def auc_of(params, m):
        scores = part.feats.predict(LearnedClassifier(params, {"format": FORMAT_VERSION, **m}))
        return auc(scores[extremes], y[extremes] == 2)

    assert auc_of(fitted, meta) > auc_of(hand, meta_hand)


def test_app_traffic_reaches_the_tier_model_with_its_request_fields(learned):
    """Requests as apps send them (assistant tool calls with null content, tool results,
    response_format, max_tokens) load with those fields and score without error."""
    corpus = traffic.load(CORPUS)
    shaped = [
        r
        for r in corpus.requests
        if "response_format" in r
        or "max_tokens" in r
        or any(m.get("role") == "tool" for m in r["messages"])
    ]
    assert any(r.get("response_format", {}).get("type") == "json_schema" for r in shaped)
    assert any("max_tokens" in r for r in shaped)
    assert any(
        m.get("content") is None and m.get("tool_calls") for r in shaped for m in r["messages"]
    )
    for request in shaped:
        assert 0.0 <= learned.score(request).difficulty <= 1.0
