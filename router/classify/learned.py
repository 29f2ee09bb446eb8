"""The default classifier: a per-task level plus a within-task length term (numpy only).

    difficulty = sigmoid( level[task(x)]  +  w . (x_within - mean) )

- task(x) is a hard assignment from the rule-based detector in
  `router/classify/tasks.py` (code reasoning, knowledge multiple choice,
  competition maths, grade-school maths, open chat). Task identity is what
  predicts the cheap model's failure best; a hard, rule-based assignment reads
  unseen benchmarks the same way as the training ones and does not reorder
  prompts inside one benchmark.
- level[task] is learned: the mean logit of "a Haiku-class model fails" over
  the training prompts of that task. A task with too few training prompts gets
  the mean of the other tasks' levels (a neutral prior).
- The within-task term is a ridge fit on the log of the conversation's length
  (the one signal that carried over to held-out benchmarks), fitted on
  differences *inside* each benchmark. It is monotone: longer -> harder.

Weights are one small .npz file (float32 arrays and a JSON header) written by
`router train`; see `router/classify/train.py`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from router.classify.base import Assessment, ChatRequest
from router.classify.features import (
    CHEAP_FEATURES,
    STRUCTURE_NAMES,
    conversation_text,
    structure_features,
)
from router.classify.tasks import detect_task

DEFAULT_WEIGHTS = Path(__file__).parent / "weights" / "learned.npz"
FORMAT_VERSION = 2


class LearnedClassifier:
    """Scores a request with the per-task level and the within-task term."""

    name = "learned"

    def __init__(self, params: Mapping[str, np.ndarray], meta: Mapping[str, object]) -> None:
        self.meta = dict(meta)
        self.classes: list[str] = list(meta["classes"])  # type: ignore[call-overload]
        self.task_of: dict[str, str] = dict(meta["task_of"])  # type: ignore[call-overload]
        self.within_names: list[str] = list(meta["within_names"])  # type: ignore[call-overload]
        unknown = [n for n in self.within_names if n not in CHEAP_FEATURES]
        if unknown:
            raise ValueError(f"weights use signals the gateway does not compute: {unknown}")
        self._within_idx = np.array([STRUCTURE_NAMES.index(n) for n in self.within_names], dtype=int)
        self._levels = params["levels"].astype(np.float64)
        self._w_mu = params["within_mu"].astype(np.float64)
        self._w_coef = params["within_coef"].astype(np.float64)
        self._class_index = {c: i for i, c in enumerate(self.classes)}
        self._prior = float(np.mean(self._levels))

    @classmethod
    def load(cls, weights: str | Path | None = None) -> LearnedClassifier:
        """Read a weights file (default: the one shipped in the package)."""
        path = Path(weights) if weights else DEFAULT_WEIGHTS
        with np.load(path, allow_pickle=False) as f:
            meta = json.loads(str(f["meta"]))
            if meta.get("format") != FORMAT_VERSION:
                raise ValueError(f"{path}: weights format {meta.get('format')!r}, expected {FORMAT_VERSION}")
            params = {k: f[k] for k in f.files if k != "meta"}
        return cls(params, meta)

    def features(self, request: ChatRequest) -> tuple[np.ndarray, str]:
        """(structure signals, task class) of a request."""
        text, system_share, turns = conversation_text(request)
        return structure_features(request, text, system_share, turns), detect_task(text)

    def predict(self, structure: np.ndarray, tasks: np.ndarray | list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vectorised core: (difficulty, task level, within term) for rows of features and task classes."""
        level = np.array(
            [self._levels[self._class_index[t]] if t in self._class_index else self._prior for t in tasks],
            dtype=np.float64,
        )
        within = (structure[:, self._within_idx].astype(np.float64) - self._w_mu) @ self._w_coef
        z = level + within
        return 1.0 / (1.0 + np.exp(-z)), level, within

    def score_many(self, requests: list[ChatRequest]) -> list[tuple[float, str]]:
        """(difficulty, task) for many requests (for `router score`)."""
        return [(a.difficulty, a.task) for a in map(self.score, requests)]

    def score(self, request: ChatRequest) -> Assessment:
        """The gateway's path: only the signals the weights use are computed, and shown."""
        text, _, _ = conversation_text(request)
        task = detect_task(text)
        values = [CHEAP_FEATURES[name](text) for name in self.within_names]
        level = self._levels[self._class_index[task]] if task in self._class_index else self._prior
        within = float((np.asarray(values, dtype=np.float64) - self._w_mu) @ self._w_coef)
        d = 1.0 / (1.0 + math.exp(-(level + within)))
        signals: dict[str, float | str] = {
            name: round(v, 4) for name, v in zip(self.within_names, values, strict=True)
        }
        signals["chars"] = len(text)
        signals["task_class"] = task
        signals["task_level"] = round(float(level), 4)
        signals["within_task"] = round(within, 4)
        return Assessment(
            difficulty=round(d, 4) if math.isfinite(d) else 1.0,
            task=self.task_of.get(task, task),
            signals=signals,
        )
