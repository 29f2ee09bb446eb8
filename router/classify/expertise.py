"""A learned expertise signal: does the ask read like an expert's question or an everyday one?

The lexicons (lexicon.py) name the vocabulary of the fields they know; a question in a field
they do not list reads as an easy lookup. This signal reads the ask's words and their
character n-grams (Latin and Greek roots, drug and chemical morphology, other languages'
inflections), hashed into HASH_BUCKETS columns, and weighs them with a ridge classifier fitted
by `router train` (fit below):

- expert asks: ExpertQA questions (32 fields) and Arena-Hard v2.0 hard prompts
  (open_prompts/unlabelled_prompts.jsonl.gz), MMLU-Pro question stems (open_prompts, without
  their options);
- everyday asks: AlpacaEval instructions (alpacaeval2_prefs).

Only the first ASK_WORDS words of the ask count and each word's features are counted once and
the row is scaled to unit length, so the signal reads vocabulary, not length. Scoring is numpy
plus zlib (crc32) on one small weight vector shipped in learned.npz.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

HASH_BUCKETS = 1 << 18
ASK_WORDS = 60
NGRAMS = (3, 4, 5)
# Ridge penalty of the fit (on unit-length rows, targets +1 expert / -1 everyday, classes
# weighted to equal total weight).
ALPHA = 1.0
MMLU_PRO_STEMS = 2000  # every other stem would outweigh the other expert sources
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def ask_words(ask: str) -> list[str]:
    """The first ASK_WORDS words of an ask, lower-cased."""
    out = []
    for m in _WORD.finditer(ask.lower()):
        out.append(m.group())
        if len(out) >= ASK_WORDS:
            break
    return out


def hashed(ask: str) -> np.ndarray:
    """Distinct hashed columns of an ask: its words and each word's character n-grams."""
    cols: set[int] = set()
    for word in ask_words(ask):
        cols.add(zlib.crc32(b"w:" + word.encode()) % HASH_BUCKETS)
        padded = f"<{word}>"
        for n in NGRAMS:
            for i in range(len(padded) - n + 1):
                cols.add(zlib.crc32(padded[i : i + n].encode()) % HASH_BUCKETS)
    return np.fromiter(sorted(cols), dtype=np.int64, count=len(cols))


# How the raw score becomes a strength in [0, 1]: 0 at or below FROM (most everyday asks are not
# pushed up), 1 at FULL and above. Held out, 14% of everyday asks score above FROM and 73% of
# expert ones (bench/expertise_heldout.py).
STRENGTH_FROM = 0.4
STRENGTH_FULL = 1.0


# An ask of fewer words than this carries too little to read ("hi", "thanks"): strength 0.
MIN_WORDS = 3


def raw_score(coef: np.ndarray, bias: float, ask: str) -> float:
    """The signal's raw score of an ask (> 0 reads expert, < 0 everyday)."""
    if len(ask_words(ask)) < MIN_WORDS:
        return min(bias, 0.0)
    cols = hashed(ask)
    return float(coef[cols].sum() / np.sqrt(len(cols))) + bias


def strength(raw: float) -> float:
    """How expert an ask reads, bounded to [0, 1]."""
    return min(1.0, max(0.0, (raw - STRENGTH_FROM) / (STRENGTH_FULL - STRENGTH_FROM)))


def _root(data: Path) -> Path:
    return data if (data / "open_prompts").is_dir() else data.parent


def available(data: Path) -> bool:
    """Whether `data` (the shared data folder or one of its source folders) holds the asks."""
    root = _root(data)
    return (root / "open_prompts" / "unlabelled_prompts.jsonl.gz").is_file() and (
        root / "alpacaeval2_prefs" / "prompts.jsonl.gz"
    ).is_file()


def training_asks(data: Path) -> tuple[list[str], np.ndarray, list[str]]:
    """(asks, label 1 expert / 0 everyday, group) from the shared data: the group is the
    ExpertQA field, "arena-hard-v2", "mmlu-pro" or "alpaca" (for held-out checks)."""
    from router.data import mmlu_pro_stem

    root = _root(data)
    asks: list[str] = []
    labels: list[int] = []
    groups: list[str] = []
    for row in _jsonl(root / "open_prompts" / "unlabelled_prompts.jsonl.gz"):
        if row["source"] == "ExpertQA-r1":
            group = "expertqa:" + str(row.get("category", "")).split("/")[0].strip()
        elif str(row.get("category", "")).startswith("hard_prompt"):
            group = "arena-hard-v2"
        else:
            continue  # creative writing is not expert work
        asks.append(row["prompt"])
        labels.append(1)
        groups.append(group)
    stems = [
        r for r in _jsonl(root / "open_prompts" / "prompts.jsonl.gz") if r["source"] == "mmlu-pro"
    ]
    stems.sort(key=lambda r: zlib.crc32(r["prompt_id"].encode()))
    for row in stems[:MMLU_PRO_STEMS]:
        asks.append(mmlu_pro_stem(row["prompt"]))
        labels.append(1)
        groups.append("mmlu-pro")
    for row in _jsonl(root / "alpacaeval2_prefs" / "prompts.jsonl.gz"):
        asks.append(row["instruction"])
        labels.append(0)
        groups.append("alpaca")
    return asks, np.array(labels, dtype=np.int8), groups


def design(asks: Sequence[str]) -> Any:
    """Sparse unit-length rows of the hashed features (CSR)."""
    from scipy import sparse

    indptr, indices, values = [0], [], []
    for ask in asks:
        cols = hashed(ask)
        indices.extend(cols.tolist())
        values.extend([1.0 / np.sqrt(len(cols))] * len(cols) if len(cols) else [])
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.array(values), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(asks), HASH_BUCKETS),
    )


def fit_design(x: Any, labels: np.ndarray) -> tuple[np.ndarray, float]:
    """Weighted ridge of +-1 on the rows of x, the intercept unpenalised: (coef, bias)."""
    from scipy import sparse
    from scipy.sparse.linalg import lsqr

    y = np.where(labels == 1, 1.0, -1.0)
    n_pos, n_neg = int((labels == 1).sum()), int((labels == 0).sum())
    w = np.where(labels == 1, 0.5 / n_pos, 0.5 / n_neg) * len(labels)
    sw = np.sqrt(w)
    bias = float(np.sum(w * y) / np.sum(w))  # 0: the classes weigh the same
    xw = sparse.diags(sw) @ x
    coef = lsqr(xw, sw * (y - bias), damp=np.sqrt(ALPHA), atol=1e-8, btol=1e-8, iter_lim=2000)[0]
    return coef, bias


def fit(data: Path, mmlu_pro: bool = True) -> tuple[np.ndarray, float, dict[str, Any]]:
    """Fit on every training ask (without the MMLU-Pro stems if not mmlu_pro: the held-out
    figures of `router eval` score MMLU-Pro); (coef as float32, bias, meta)."""
    asks, labels, groups = training_asks(data)
    if not mmlu_pro:
        keep = np.array([g != "mmlu-pro" for g in groups])
        asks = [a for a, k in zip(asks, keep, strict=True) if k]
        labels, groups = labels[keep], [g for g, k in zip(groups, keep, strict=True) if k]
    coef, bias = fit_design(design(asks), labels)
    meta = {
        "expert_buckets": HASH_BUCKETS,
        "expert_ask_words": ASK_WORDS,
        "expert_ngrams": list(NGRAMS),
        "expert_training": _counts(groups),
    }
    return coef.astype(np.float32), bias, meta


def _coarse(group: str) -> str:
    return "expertqa" if group.startswith("expertqa:") else group


def _counts(groups: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for g in groups:
        out[_coarse(g)] = out.get(_coarse(g), 0) + 1
    return dict(sorted(out.items()))


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
