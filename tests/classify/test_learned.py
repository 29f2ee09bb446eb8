"""The shipped learned classifier: range, task labels, order on constructed prompts."""

from __future__ import annotations

from router.classify.base import prompt_request
from router.classify.lexicon import DOMAINS, KINDS

GREETING = "hi, how are you?"
WORD_PROBLEM = "Tom has 3 apples and buys 2 more. How many apples does he have?"
LONG_WORD_PROBLEM = (
    "A bakery sells muffins for $3 each and cookies for $1.50 each. On Monday it sold 120 muffins "
    "and twice as many cookies. On Tuesday it sold 20% fewer muffins than Monday and 45 more "
    "cookies "
    "than Monday. If each muffin costs $1.10 to make and each cookie $0.40, what was the total "
    "profit "
    "over the two days?"
)
PROOF = (
    "Let $n$ be a positive integer. Prove that $\\sum_{k=1}^{n} \\frac{1}{k^2} < 2 - \\frac{1}{n}$ "
    "for all $n \\ge 2$, and find the smallest integer $m$ such that $m^3 \\equiv 1 \\pmod{7}$."
)
CODE = (
    "What does this Python function return?\n```python\ndef f(s):\n    out = []\n"
    "    for i, ch in enumerate(s):\n        if i % 2:\n            out.append(ch.upper())\n"
    "    return ''.join(out)[::-1]\nprint(f('routing'))\n```"
)


def score(clf, text):
    return clf.score(prompt_request(text))


def test_scores_are_probabilities_with_signals(learned):
    for text in (GREETING, WORD_PROBLEM, PROOF, CODE, ""):
        a = score(learned, text)
        assert 0.0 <= a.difficulty <= 1.0
        assert a.task in KINDS and a.domain in DOMAINS and 0.0 <= a.confidence <= 1.0
        assert {"kind", "domain", "prior", "path"} <= set(a.signals)
    assert "within_task" in score(learned, PROOF).signals  # the benchmark format's term


def test_task_labels(learned):
    assert score(learned, GREETING).task == "small_talk"
    assert score(learned, WORD_PROBLEM).task == "word_problem"
    assert score(learned, PROOF).task == "proof"
    assert score(learned, CODE).task == "debugging"


def test_order_on_constructed_prompts(learned):
    greeting, word, long_word, code, proof = (
        score(learned, t).difficulty
        for t in (GREETING, WORD_PROBLEM, LONG_WORD_PROBLEM, CODE, PROOF)
    )
    assert greeting < code < proof
    assert word < long_word < proof  # more quantities and steps -> harder, within maths
    assert proof > 0.6  # competition maths goes to the top tier with the default thresholds


def tier_of_difficulty(d: float) -> str:
    """The tier of a difficulty at the shipped thresholds (config/default.yaml)."""
    return "small" if d <= 0.25 else "medium" if d <= 0.6 else "large"


def test_reads_the_whole_conversation(learned):
    alone = learned.score(prompt_request("Is that right?")).difficulty
    with_history = learned.score(
        {
            "messages": [
                {"role": "system", "content": "You are a careful olympiad maths coach."},
                {"role": "user", "content": PROOF},
                {"role": "assistant", "content": "Here is a sketch of the proof..."},
                {"role": "user", "content": "Is that right?"},
            ]
        }
    ).difficulty
    # "Is that right?" alone is unclear, not easy (medium); after a proof it is the proof's check.
    assert with_history > alone + 0.2
    assert tier_of_difficulty(with_history) == "large" and tier_of_difficulty(alone) != "large"


def test_weights_are_small():
    from router.classify.learned import DEFAULT_WEIGHTS

    assert DEFAULT_WEIGHTS.stat().st_size < 20 * 1024 * 1024


def test_the_gateway_path_scores_like_the_training_path(learned):
    """`score` computes only the signals the weights use; it must agree with the
    vectorised path that training and `router eval` use on the full feature matrix."""
    requests = [
        {"messages": [{"role": "user", "content": "hi"}]},
        {"messages": [{"role": "user", "content": "Tom has 3 apples and buys 2 more. How many?"}]},
        {
            "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Prove that there are infinitely many primes. " * 20},
            ]
        },
        {
            "messages": [
                {"role": "user", "content": "```python\nprint(1)\n```\nWhat does it print?"}
            ]
        },
        {
            "messages": [
                {
                    "role": "user",
                    "content": "Which organ makes insulin?\n"
                    "A. Liver\nB. Pancreas\nC. Heart\nD. Lung",
                }
            ]
        },
    ]
    from router.classify import train

    assert {learned.features(r)[1] for r in requests} >= set(learned.meta["task_terms"]) - {
        "math_competition"
    }
    for request in requests:
        _, task, _ = learned.features(request)
        expected = train.featurize([request]).predict(learned)
        assessment = learned.score(request)
        assert abs(assessment.difficulty - float(expected[0])) < 1e-3
        assert assessment.signals["task_class"] == task
