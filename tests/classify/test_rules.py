"""The rule-based scorer (the named alternative): range, order, long conversations."""

from __future__ import annotations

from router.classify import load_classifier
from router.classify.base import prompt_request


def test_rules_order_and_range():
    rules = load_classifier("rules")
    easy = rules.score(prompt_request("Translate 'thank you' to French.")).difficulty
    hard = rules.score(
        prompt_request(
            "Prove step by step that the equation x^2 - 2y^2 = 1 has infinitely many integer "
            "solutions."
        )
    ).difficulty
    assert 0.0 <= easy < hard <= 1.0


def test_rules_reads_keywords_at_both_ends_of_a_long_conversation():
    rules = load_classifier("rules")
    filler = "The meeting notes were shared with the team. " * 400
    tail = rules.score(
        {"messages": [{"role": "user", "content": filler + "Now prove the theorem rigorously."}]}
    )
    plain = rules.score({"messages": [{"role": "user", "content": filler + "Thanks."}]})
    assert tail.signals["reasoning"] > 0 and tail.difficulty > plain.difficulty
