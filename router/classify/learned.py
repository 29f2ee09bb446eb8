"""The default classifier: a task head plus a within-task difficulty term (numpy only).

    difficulty = sigmoid( sum_k p(k | x) * level_k  +  w . (x_within - mean) )

- The task head is a softmax regression over the WordLlama embedding and the
  structural signals; its classes are kinds of traffic (grade-school maths,
  competition maths, code reasoning, knowledge multiple choice, open chat), each
  with a level: the mean logit of "a Haiku-class model fails" on that kind.
  Task identity is what predicts the cheap model's failure best, so it sets the
  level of the score.
- The within-task term is a linear model on structural signals (today only
  the log of the conversation's length: the one signal that carried over to
  held-out benchmarks), fitted on differences *inside* each benchmark, so it
  learns what makes a prompt harder than its siblings rather than which
  benchmark it came from.

Weights are one .npz file (float32 arrays and a JSON header) written by
`router train`; see `router/classify/train.py`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from router.classify.base import Assessment, ChatRequest
from router.classify.features import STRUCTURE_NAMES, Encoder, conversation_text, structure_features

DEFAULT_WEIGHTS = Path(__file__).parent / "weights" / "learned.npz"
FORMAT_VERSION = 1


class LearnedClassifier:
    """Scores a request with the trained task head and within-task term."""

    name = "learned"

    def __init__(self, params: Mapping[str, np.ndarray], meta: Mapping[str, object], encoder: Encoder) -> None:
        self.meta = dict(meta)
        self.classes: list[str] = list(meta["classes"])  # type: ignore[call-overload]
        self.task_of: dict[str, str] = dict(meta["task_of"])  # type: ignore[call-overload]
        self.within_names: list[str] = list(meta["within_names"])  # type: ignore[call-overload]
        self._within_idx = np.array([STRUCTURE_NAMES.index(n) for n in self.within_names], dtype=int)
        self._mu = params["head_mu"].astype(np.float64)
        self._sd = params["head_sd"].astype(np.float64)
        self._coef = params["head_coef"].astype(np.float64)  # (n_classes, n_features)
        self._bias = params["head_bias"].astype(np.float64)
        self._levels = params["levels"].astype(np.float64)
        self._w_mu = params["within_mu"].astype(np.float64)
        self._w_coef = params["within_coef"].astype(np.float64)
        self._encoder = encoder

    @classmethod
    def load(cls, weights: str | Path | None = None, encoder: Encoder | None = None) -> LearnedClassifier:
        """Read a weights file (default: the one shipped in the package)."""
        path = Path(weights) if weights else DEFAULT_WEIGHTS
        with np.load(path, allow_pickle=False) as f:
            meta = json.loads(str(f["meta"]))
            if meta.get("format") != FORMAT_VERSION:
                raise ValueError(f"{path}: weights format {meta.get('format')!r}, expected {FORMAT_VERSION}")
            params = {k: f[k] for k in f.files if k != "meta"}
        return cls(params, meta, encoder or Encoder.load())

    def features(self, request: ChatRequest) -> tuple[np.ndarray, np.ndarray]:
        """(structure signals, embedding) of a request."""
        text, system_share, turns = conversation_text(request)
        return structure_features(request, text, system_share, turns), self._encoder.embed(text)

    def predict(self, structure: np.ndarray, embedding: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vectorised core: (difficulty, class probabilities, within term) for rows of features."""
        x = (np.hstack([structure, embedding]) - self._mu) / self._sd
        logits = x @ self._coef.T + self._bias
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        within = (structure[:, self._within_idx] - self._w_mu) @ self._w_coef
        z = p @ self._levels + within
        return 1.0 / (1.0 + np.exp(-z)), p, within

    def score_many(self, requests: list[ChatRequest]) -> list[tuple[float, str]]:
        """(difficulty, task) for many requests at once (batched embedding; for `router score`)."""
        if not requests:
            return []
        rows, texts = [], []
        for request in requests:
            text, system_share, turns = conversation_text(request)
            rows.append(structure_features(request, text, system_share, turns))
            texts.append(text)
        difficulty, p, _ = self.predict(np.vstack(rows), self._encoder.embed_many(texts))
        best = p.argmax(axis=1)
        return [
            (round(float(d), 4), self.task_of.get(self.classes[b], self.classes[b]))
            for d, b in zip(difficulty, best, strict=True)
        ]

    def score(self, request: ChatRequest) -> Assessment:
        structure, embedding = self.features(request)
        difficulty, p, within = self.predict(structure[None, :], embedding[None, :])
        probs = p[0]
        best = int(probs.argmax())
        signals: dict[str, float | str] = {
            name: round(v, 4) for name, v in zip(STRUCTURE_NAMES, structure.tolist(), strict=True)
        }
        for name, v in zip(self.classes, probs.tolist(), strict=True):
            signals[f"p_{name}"] = round(v, 4)
        signals["within_task"] = round(float(within[0]), 4)
        signals["task_class"] = self.classes[best]
        d = float(difficulty[0])
        return Assessment(
            difficulty=round(d, 4) if math.isfinite(d) else 1.0,
            task=self.task_of.get(self.classes[best], self.classes[best]),
            signals=signals,
        )
