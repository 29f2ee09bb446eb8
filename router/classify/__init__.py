"""Difficulty classifiers behind one interface (see `base.Classifier`).

`load_classifier(kind, weights)` returns a ready classifier; heavy modules are
imported only for the kind asked for.
"""

from __future__ import annotations

from router.classify.base import Assessment, ChatRequest, Classifier, prompt_request

CLASSIFIER_KINDS = ("learned", "rules")

__all__ = [
    "Assessment",
    "CLASSIFIER_KINDS",
    "ChatRequest",
    "Classifier",
    "load_classifier",
    "prompt_request",
]


def load_classifier(kind: str = "learned", weights: str | None = None) -> Classifier:
    """Build the classifier named `kind`; `weights` overrides the shipped weights file."""
    if kind == "rules":
        from router.classify.rules import RuleClassifier

        return RuleClassifier()
    if kind == "learned":
        from router.classify.learned import LearnedClassifier

        return LearnedClassifier.load(weights)
    raise ValueError(f"unknown classifier {kind!r}; expected one of {', '.join(CLASSIFIER_KINDS)}")
