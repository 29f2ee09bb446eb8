"""A transparent rule-based scorer: a handful of named signals, weighted by hand.

It is the fallback and the baseline for the learned classifier. Every signal it
uses is returned in `Assessment.signals`, so `router route` can show why a
request landed where it did.
"""

from __future__ import annotations

import math
import re

from router.classify.base import Assessment, ChatRequest, count_images, iter_text

_MATH = re.compile(
    r"(\\frac|\\sqrt|\\sum|\\int|\$[^$]+\$|\b(prove|theorem|lemma|integral|derivative|equation"
    r"|probability|polynomial|matrix|eigen\w*|modulo|prime|remainder|how many|compute|solve)\b"
    r"|\d+\s*[-+*/^=]\s*\d+)",
    # applied to lower-cased text: faster than re.IGNORECASE
)
_CODE = re.compile(
    r"(```|\bdef \w+\(|\bclass \w+|\breturn\b|\bfunction\b|=>|#include|\bimport \w+"
    r"|\b(python|javascript|typescript|rust|golang|sql|regex|stack trace|traceback|compile)\b)",
    # applied to lower-cased text: faster than re.IGNORECASE
)
_REASONING = re.compile(
    r"\b(prove|derive|step[- ]by[- ]step|rigorous|optimi[sz]e|trade-?offs?|design|architect\w*"
    r"|analy[sz]e|justify|explain why|edge cases?|complexity|counterexample|multi-step)\b",
    # applied to lower-cased text: faster than re.IGNORECASE
)
_SIMPLE = re.compile(
    r"\b(translate|summari[sz]e|rephrase|rewrite|fix (the )?typo|hello|hi|thanks|thank you"
    r"|what is the capital|spell|define|list|extract|classify|format)\b",
    # applied to lower-cased text: faster than re.IGNORECASE
)

# Weights of the logistic score; the bias puts a short plain prompt near 0.15.
_BIAS = -1.75
_WEIGHTS = {
    "log_tokens": 0.35,
    "math": 0.9,
    "code": 0.7,
    "reasoning": 0.9,
    "simple": -0.9,
    "turns": 0.08,
    "tools": 0.3,
    "images": 0.4,
}


# Keyword signals read the head and the tail of a long conversation (bounds the cost per request).
_HEAD_CHARS = 2000
_TAIL_CHARS = 1000


def _hits(pattern: re.Pattern[str], text: str, cap: int) -> float:
    return float(min(cap, len(pattern.findall(text)))) / cap


class RuleClassifier:
    """Hand-weighted logistic score over keyword, length and structure signals."""

    name = "rules"

    def score(self, request: ChatRequest) -> Assessment:
        parts = list(iter_text(request))
        text = "\n".join(t for _, t in parts)
        user_turns = sum(1 for role, _ in parts if role == "user")
        tokens = len(text) / 4.0
        if len(text) > _HEAD_CHARS + _TAIL_CHARS:
            text = text[:_HEAD_CHARS] + "\n" + text[-_TAIL_CHARS:]
        text = text.lower()
        signals: dict[str, float] = {
            "log_tokens": math.log1p(tokens) / math.log(10.0),
            "math": _hits(_MATH, text, 6),
            "code": _hits(_CODE, text, 4),
            "reasoning": _hits(_REASONING, text, 3),
            "simple": _hits(_SIMPLE, text, 2) if tokens < 400 else 0.0,
            "turns": float(min(user_turns, 10)),
            "tools": float(min(len(request.get("tools") or ()), 5)),
            "images": float(min(count_images(request), 4)),
        }
        z = _BIAS + sum(_WEIGHTS[k] * v for k, v in signals.items())
        difficulty = 1.0 / (1.0 + math.exp(-z))
        if signals["code"] > signals["math"] and signals["code"] > 0:
            task = "code"
        elif signals["math"] > 0:
            task = "math"
        elif signals["reasoning"] > 0:
            task = "reasoning"
        else:
            task = "chat"
        return Assessment(difficulty=round(difficulty, 4), task=task, signals=signals)
