"""Training is deterministic; `router score` keeps one output line per input line, in order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]


def _small_fit(shared_data):
    from router import data
    from router.classify import train

    sets = [
        s.subset(np.arange(len(s)) % max(1, len(s) // 150) == 0) for s in data.load(shared_data)
    ]
    ts = train.build_targets(sets)
    return train.fit(train.featurize(ts.requests), ts)


def test_training_is_reproducible(shared_data, tmp_path):
    pytest.importorskip("sklearn", reason="training needs the 'train' extra")
    from router.classify import train
    from router.classify.learned import LearnedClassifier

    a, meta = _small_fit(shared_data)
    b, _ = _small_fit(shared_data)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    train.save(a, meta, tmp_path / "w1.npz")
    train.save(b, meta, tmp_path / "w2.npz")
    assert (tmp_path / "w1.npz").read_bytes() == (tmp_path / "w2.npz").read_bytes()
    clf = LearnedClassifier.load(tmp_path / "w1.npz")
    assert 0.0 <= clf.score({"messages": [{"role": "user", "content": "2+2?"}]}).difficulty <= 1.0


def test_score_command_keeps_order():
    lines = [
        {"prompt": "hi"},
        {"messages": [{"role": "user", "content": "Prove that there are infinitely many primes."}]},
        {"prompt": "Write a haiku about rain."},
    ]
    out = subprocess.run(
        [sys.executable, "-m", "router.cli", "score"],
        input="".join(json.dumps(x) + "\n" for x in lines),
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=60,
    )
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert len(rows) == 3
    assert all(set(r) == {"difficulty", "task", "domain", "confidence"} for r in rows)
    assert rows[1]["difficulty"] > rows[0]["difficulty"]
    assert [r["task"] for r in rows] == ["small_talk", "proof", "creative"]


def _word_problem(i: int, quantities: int) -> str:
    parts = [f"Item {j} costs {3 + (i + j) % 7} dollars." for j in range(quantities)]
    return " ".join(parts) + f" Sam buys {1 + i % 4} of each. How much does he pay?"


def test_a_task_term_orders_prompts_by_the_gain_it_was_fitted_to():
    """Synthetic data: the short word problems are the 'harder' ones (difficulty target), but
    the gain is on the long ones with many quantities. The task's term must follow the gain
    (the shared length term, fitted to the target, would put the short ones first), and the
    chat prompts, which have no gain labels, keep the length term."""
    pytest.importorskip("sklearn", reason="training needs the 'train' extra")
    from router.classify import train
    from router.classify.learned import FORMAT_VERSION, LearnedClassifier

    n = train.TASK_TERM_MIN_PROMPTS + 100
    texts = [_word_problem(i, 2 + 6 * (i % 2)) for i in range(n)] + [
        f"Tell me a story about a cat, take {i}." for i in range(150)
    ]
    gain = np.array([float(i % 2) for i in range(n)] + [np.nan] * 150)
    ts = train.TrainingSet(
        requests=[{"messages": [{"role": "user", "content": t}]} for t in texts],
        target=np.array([0.4 - 0.2 * (i % 2) for i in range(n)] + [0.3] * 150),
        benchmark=np.array(["synthetic"] * n + ["chat"] * 150),
        source=np.array(["test"] * len(texts)),
        gain=gain,
    )
    feats = train.featurize(ts.requests)
    assert set(feats.tasks[:n]) == {"math_word"} and set(feats.tasks[n:]) == {"chat"}
    params, meta = train.fit(feats, ts)
    assert meta["task_terms"] == ["math_word"]
    assert (
        meta["task_term_kinds"]["math_word"] == "structure"
    )  # the words are the same in every prompt
    clf = LearnedClassifier(params, {"format": FORMAT_VERSION, **meta})
    many, few = _word_problem(10_001, 8), _word_problem(10_000, 2)
    assert clf.score({"messages": [{"role": "user", "content": many}]}).difficulty > clf.score(
        {"messages": [{"role": "user", "content": few}]}
    ).difficulty
    scores = feats.predict(clf)
    assert scores[:n][gain[:n] == 1].min() > scores[:n][gain[:n] == 0].max()
    assert (
        params["within_coef"][0] < 0
    )  # the length term alone would have ranked them the other way


def _choice_question(i: int, topic: str) -> str:
    filler = " Read it twice." * (i % 3)
    return (
        f"Question {i} on the {topic} unit.{filler} Which option is right?\n"
        "A. one\nB. two\nC. three\nD. four"
    )


def test_a_task_term_weighs_words_when_the_inner_fit_finds_they_predict_the_gain():
    """Synthetic multiple choice: two topics with words of the same length, the gain only on one
    topic. No structure signal tells them apart, so the inner cross-validation must pick the
    word option, and an unseen prompt on the gaining topic must score above one on the other."""
    pytest.importorskip("sklearn", reason="training needs the 'train' extra")
    from router.classify import train
    from router.classify.learned import FORMAT_VERSION, LearnedClassifier

    n = 2 * train.TASK_TERM_MIN_PROMPTS
    topics = ["negligence" if i % 2 else "enzymology" for i in range(n)]
    texts = [_choice_question(i, t) for i, t in enumerate(topics)]
    ts = train.TrainingSet(
        requests=[{"messages": [{"role": "user", "content": t}]} for t in texts],
        target=np.array(
            [0.3 + 0.05 * (i % 3) for i in range(n)]
        ),  # longer -> harder: a length term to scale to
        benchmark=np.array(["synthetic"] * n),
        source=np.array(["test"] * n),
        gain=np.array([1.0 if t == "negligence" else 0.0 for t in topics]),
    )
    feats = train.featurize(ts.requests)
    assert set(feats.tasks) == {"knowledge"}
    params, meta = train.fit(feats, ts)
    assert meta["task_term_kinds"]["knowledge"].startswith("words")
    inner = meta["task_term_inner_cv"]["knowledge"]["gain"]  # no model pairs given: the gain itself
    assert inner[meta["task_term_kinds"]["knowledge"]] > inner["structure"] + 0.5
    clf = LearnedClassifier(params, {"format": FORMAT_VERSION, **meta})
    law, bio = (
        clf.score({"messages": [{"role": "user", "content": _choice_question(10**6, t)}]})
        for t in ("negligence", "enzymology")
    )
    assert law.difficulty > bio.difficulty
    assert "negligence" in law.signals["words"] and "negligence" not in bio.signals.get("words", "")
    scores = feats.predict(clf)
    gains = ts.gain == 1
    assert scores[gains].min() > scores[~gains].max()
    with pytest.raises(ValueError, match="words"):
        clf.predict(feats.structure, feats.tasks, None, feats.inputs, feats.open, feats.bench_ok)


def test_words_must_help_every_model_pair_the_task_serves():
    """Same prompts, two model pairs: one gains on a topic (words see it), the other on the
    longer prompts (structure sees it). Words would help the first pair and blur the second, so
    the term keeps the structure signals alone."""
    pytest.importorskip("sklearn", reason="training needs the 'train' extra")
    from router.classify import train

    n = 2 * train.TASK_TERM_MIN_PROMPTS
    topics = ["negligence" if i % 2 else "enzymology" for i in range(n)]
    on_topic = np.array([1.0 if t == "negligence" else 0.0 for t in topics])
    longer = np.array([1.0 if i % 3 == 2 else 0.0 for i in range(n)])
    ts = train.TrainingSet(
        requests=[
            {"messages": [{"role": "user", "content": _choice_question(i, t)}]}
            for i, t in enumerate(topics)
        ],
        target=np.array([0.3 + 0.05 * (i % 3) for i in range(n)]),
        benchmark=np.array(["synthetic"] * n),
        source=np.array(["test"] * n),
        gain=(on_topic + longer) / 2,
        pair_gains={"big - small": on_topic, "huge - small": longer},
    )
    params, meta = train.fit(train.featurize(ts.requests), ts)
    assert meta["task_term_kinds"]["knowledge"] == "structure"
    inner = meta["task_term_inner_cv"]["knowledge"]
    assert (
        inner["big - small"]["words, alpha=300"] > inner["big - small"]["structure"]
    )  # it would have helped one pair
    assert len(params["word_list"]) == 0


def test_calibrate_current_reports_the_configs_thresholds_and_writes_nothing(shared_data, tmp_path):
    config = tmp_path / "c.yaml"
    text = (REPO / "config" / "default.yaml").read_text(encoding="utf-8")
    config.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "router.cli", "calibrate", "--config", str(config), "--current",
         "--data", str(shared_data / "zeroeval_tiers")],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (
        "expected quality" in result.stderr and "of claude-3-opus-20240229 alone" in result.stderr
    )
    assert result.stdout == "" and config.read_text(encoding="utf-8") == text
