"""The traffic corpus and the tier model `router train` fits to it.

The corpus (training/traffic/requests.jsonl at the repository root; see its README) is a set
of gateway requests labelled with the cheapest tier a careful engineer would ship without
checking. It is training data, not part of the served package: the fitted weights are.

The tier model is the open reading's prior (learned.py): a logit z = w . x over the reading's
inputs and the expertise signal's strength (learned.TIER_NAMES), over the ask's hashed words
(vocabulary.py) and over the ask's embedding (embedding.py: the mean WordLlama token vector of
the last user turn, its first 64 dimensions), plus the open term as a fixed offset. It is fitted
as an ordinal logistic model whose cut points are the shipped thresholds,

    P(tier <= small)  = sigmoid(logit(0.25) - z)
    P(tier <= medium) = sigmoid(logit(0.6) - z)

so that difficulty = sigmoid(z) falls in the band of the tier the label names, with an L2
penalty pulling w towards the hand-set weights (taxonomy.HAND_WEIGHTS, learned.EXPERT_LOGIT;
0 for the vocabulary and the embedding): an input the corpus says little about keeps its
hand-set weight. Each template (`family`: all variants of one ask over different pasted
material) weighs the same in total, and each tier the same. Deterministic (L-BFGS from the
hand-set weights, fixed order), so a rerun on the same data writes the same weights.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "training" / "traffic" / "requests.jsonl"
TIERS = ("small", "medium", "large")
# The shipped thresholds (config/default.yaml: small <= 0.25, medium <= 0.6) as the model's cut
# points; a test checks that they agree with the config.
TIER_CUTS = (0.25, 0.6)
# L2 penalties, against a loss summed over requests weighted to mean 1: on (w - hand-set w) for
# the reading's inputs, on the vocabulary term's weights (vocabulary.py; they start at 0) and on
# the embedding's (embedding.py; they start at 0). Chosen by family-grouped 5-fold and
# leave-one-writer-out figures on the corpus (`router eval --traffic`, `python
# bench/embedding_penalty.py` for the embedding's); at a vocabulary penalty of 0.1 the fit
# memorised single asks: see docs/routing.md, Training.
PENALTY = 30.0
VOCAB_PENALTY = 0.3
EMBED_PENALTY = 0.1
# Request fields the classifier reads (the rest of a line is its labels).
REQUEST_FIELDS = ("messages", "tools", "response_format", "max_tokens")
REQUIRED = ("id", "messages", "tier", "reason", "kind", "domain", "family")


class CorpusError(ValueError):
    """A line of the corpus cannot be used: names the file and line."""


@dataclass(frozen=True)
class Corpus:
    """The labelled requests, their tier (index into TIERS), template family and writer."""

    requests: list[dict[str, Any]]
    tiers: list[int]
    families: list[str]
    ids: list[str]
    groups: list[str | None]
    writers: list[str | None]


def load(path: str | Path = DEFAULT_CORPUS) -> Corpus:
    """Read and check the corpus: every line a request with a valid tier and a family."""
    path = Path(path)
    requests, tiers, families, ids, groups, writers = [], [], [], [], [], []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise CorpusError(f"cannot read the traffic corpus {path}: {err.strerror}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise CorpusError(f"{path}:{n}: not JSON ({err.msg})") from None
        missing = (
            [f for f in REQUIRED if not row.get(f)] if isinstance(row, dict) else list(REQUIRED)
        )
        if missing:
            raise CorpusError(f"{path}:{n}: missing {', '.join(missing)}")
        if row["tier"] not in TIERS:
            raise CorpusError(f"{path}:{n}: tier {row['tier']!r} is not one of {', '.join(TIERS)}")
        if not isinstance(row["messages"], list):
            raise CorpusError(f"{path}:{n}: messages must be a list")
        requests.append({k: row[k] for k in REQUEST_FIELDS if k in row})
        tiers.append(TIERS.index(row["tier"]))
        families.append(str(row["family"]))
        ids.append(str(row["id"]))
        groups.append(row.get("group"))
        writers.append(str(row["writer"]) if row.get("writer") else None)
    if len(set(ids)) != len(ids):
        raise CorpusError(f"{path}: duplicate ids")
    return Corpus(requests, tiers, families, ids, groups, writers)


def hand_weights() -> np.ndarray:
    """The hand-set tier weights, in learned.TIER_NAMES order."""
    import numpy as np

    from router.classify.learned import EXPERT_LOGIT, TIER_NAMES
    from router.classify.taxonomy import HAND_WEIGHTS

    weights = {**HAND_WEIGHTS, "expertise_learned": EXPERT_LOGIT}
    return np.array([weights.get(name, 0.0) for name in TIER_NAMES])


def sample_weights(tiers: Sequence[int], families: Sequence[str]) -> np.ndarray:
    """Each family the same total weight, each tier the same total weight; mean 1."""
    import numpy as np

    size: dict[str, int] = {}
    for f in families:
        size[f] = size.get(f, 0) + 1
    w = np.array([1.0 / size[f] for f in families])
    t = np.asarray(tiers)
    for k in range(len(TIERS)):
        if (t == k).any():
            w[t == k] /= w[t == k].sum()
    return w / w.mean()


def penalties(
    n_inputs: int,
    n_vocab: int,
    n_embed: int,
    penalty: float = PENALTY,
    vocab: float = VOCAB_PENALTY,
    embed: float = EMBED_PENALTY,
) -> np.ndarray:
    """The L2 penalty of every column: the reading's inputs, the vocabulary's, the embedding's."""
    import numpy as np

    return np.concatenate(
        [np.full(n_inputs, penalty), np.full(n_vocab, vocab), np.full(n_embed, embed)]
    )


def fit_tiers(
    x: Any,
    tiers: Sequence[int],
    offset: np.ndarray,
    weights: np.ndarray,
    start: np.ndarray,
    penalty: np.ndarray,
) -> np.ndarray:
    """Ordinal logistic fit of w over the columns of x (dense or sparse; see the module
    docstring); starts from and shrinks towards `start`, by `penalty` per column."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.special import expit, log_expit

    c1, c2 = (math.log(c / (1.0 - c)) for c in TIER_CUTS)
    y = np.asarray(tiers)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w + offset
        a, b = expit(c2 - z), expit(c1 - z)  # P(tier <= medium), P(tier <= small)
        middle = np.maximum(a - b, 1e-12)
        ll = np.where(
            y == 0, log_expit(c1 - z), np.where(y == 2, log_expit(z - c2), np.log(middle))
        )
        dz = np.where(
            y == 0, -expit(z - c1), np.where(y == 2, a, (b * (1 - b) - a * (1 - a)) / middle)
        )
        d = w - start
        value = -float(weights @ ll) + 0.5 * float(penalty @ (d * d))
        grad = -np.asarray(x.T @ (weights * dz)).ravel() + penalty * d
        return value, grad

    result = minimize(
        loss, start.copy(), jac=True, method="L-BFGS-B", options={"maxiter": 5000, "gtol": 1e-9}
    )
    return np.asarray(result.x, dtype=np.float64)


def family_folds(families: Sequence[str], k: int) -> np.ndarray:
    """Fold of every request: whole families dealt to k folds in an order fixed by a hash."""
    import numpy as np

    order = sorted(set(families), key=lambda f: (zlib.crc32(f.encode()), f))
    fold_of = {f: i % k for i, f in enumerate(order)}
    return np.array([fold_of[f] for f in families], dtype=int)
