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

    sets = [s.subset(np.arange(len(s)) % max(1, len(s) // 150) == 0) for s in data.load(shared_data)]
    ts = train.build_targets(sets)
    structure, tasks = train.featurize(ts.requests)
    return train.fit(structure, tasks, ts)


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
    assert all(set(r) == {"difficulty", "task"} for r in rows)
    assert rows[1]["difficulty"] > rows[0]["difficulty"]
