"""The tier model's vocabulary term: the words and word pairs of the ask, hashed.

The reading (taxonomy.py) knows a term of art only if a lexicon lists it; the expertise signal
(expertise.py) learns expert against everyday vocabulary from question sets. This term learns
which words of an ask move its tier, from the labelled traffic corpus (router/classify/
traffic.py): each distinct lower-cased content word and each pair of adjacent content words of
the ask (taxonomy.request_ask: the head and tail of the last user turn and the head of the system
prompt) sets one of BUCKETS columns (zlib's crc32), the row scaled to unit length, and the
fitted weights add to the open reading's logit.

    >>> row = features("Derive the Black-Scholes formula")
    >>> len(row), round(sum(v * v for v in row.values()), 6)
    (7, 1.0)
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Sequence
from typing import Any

BUCKETS = 1 << 14
# Content words only: words of at least this many letters (any alphabet; a CJK run counts as one
# word), not in STOPWORDS. With every word, the fit learned the corpus's function words ("how
# should", "does a") as signs of a tier, and everyday asks phrased that way moved a tier.
MIN_LETTERS = 4
STOPWORDS = frozenset(
    [
        "about",
        "above",
        "after",
        "also",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "could",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "from",
        "further",
        "have",
        "having",
        "here",
        "into",
        "just",
        "more",
        "most",
        "much",
        "must",
        "only",
        "other",
        "over",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "whom",
        "will",
        "with",
        "would",
        "your",
        "yours",
        "please",
        "thanks",
        "want",
        "need",
        "like",
        "know",
        "tell",
        "give",
        "make",
        "help",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


def features(ask: str) -> dict[int, float]:
    """Column -> value of one ask (distinct content words and adjacent pairs; unit length)."""
    words = [w for w in _WORD.findall(ask.lower()) if len(w) >= MIN_LETTERS and w not in STOPWORDS]
    grams = set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    columns = {zlib.crc32(g.encode()) % BUCKETS for g in grams}
    if not columns:
        return {}
    value = 1.0 / math.sqrt(len(columns))
    return {c: value for c in sorted(columns)}


def design(asks: Sequence[str]) -> Any:
    """The CSR matrix of many asks' features (training)."""
    import numpy as np
    from scipy import sparse

    indptr, indices, values = [0], [], []
    for ask in asks:
        row = features(ask)
        indices.extend(row)
        values.extend(row.values())
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.array(values, dtype=np.float64), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(asks), BUCKETS),
    )
