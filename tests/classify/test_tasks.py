"""The rule-based task detector that sets the learned score's level."""

from __future__ import annotations

from router.classify.tasks import TASK_CLASSES, detect_task


def test_detects_each_kind():
    assert detect_task("hi, how are you?") == "chat"
    assert detect_task("Write a short poem about the sea.") == "chat"
    assert (
        detect_task("Tom has 3 apples and buys 2 more. How many apples does he have?")
        == "math_word"
    )
    assert (
        detect_task(
            "A robe takes 2 bolts of blue fiber and half that much white fiber. How many bolts?"
        )
        == "math_word"
    )
    assert (
        detect_task("A $2000 watch sold at 75% of its price. What was the discount?") == "math_word"
    )
    assert detect_task("Find all real $x$ with $x^2 - 5x + 6 = 0$.") == "math_competition"
    assert detect_task("Compute \\frac{1}{2} + \\frac{1}{3}.") == "math_competition"
    # Proofs in plain text are competition maths too, not word problems.
    assert (
        detect_task("Let n be a positive integer. Prove that n^3 - n is divisible by 6.")
        == "math_competition"
    )
    assert (
        detect_task("Determine all primes p such that p + 2 is also prime, and prove it.")
        == "math_competition"
    )
    # Numbers typeset as maths ($450$) and counting questions are competition style; prices are not.
    assert (
        detect_task("An audience of $450$ people fills a hall. How many rows are there?")
        == "math_competition"
    )
    assert (
        detect_task(
            "In how many ways can 6 books be arranged so that no two red books touch, and how many "
            "different orders put the red ones first?"
        )
        == "math_competition"
    )
    assert (
        detect_task("A shirt costs $12 and a hat $8. How much do 3 shirts and 2 hats cost?")
        == "math_word"
    )
    assert detect_task("Is every prime number odd?") == "chat"
    assert (
        detect_task(
            "Which gas is most abundant?\nA. Oxygen\nB. Nitrogen\nC. Argon\nD. CO2\nAnswer:"
        )
        == "knowledge"
    )
    code = "[PYTHON]\ndef f(x):\n    return x * 2\nassert f(3) == ??\n[/PYTHON]"
    assert detect_task(code) == "code_reasoning"
    assert detect_task("What does this print?\n```python\nprint(1)\n```") == "code_reasoning"


def test_classes_are_fixed():
    assert set(TASK_CLASSES) == {
        "chat",
        "code_reasoning",
        "knowledge",
        "math_competition",
        "math_word",
    }


def test_long_text_is_bounded():
    text = "word " * 100000 + "\n```python\nprint(1)\n```"
    assert detect_task(text) == "code_reasoning"  # the tail is read


SUPPORT_POLICY = (
    "You are Sunny, the support assistant of a broadband provider. For every new contract we "
    "need proof of address. For every order over 50 euros delivery is free. Refunds take 5 "
    "working days; a router swap is free within 24 months of the contract start."
)


def test_a_system_prompt_does_not_set_the_task(learned):
    """A product's prompt says what the app is, not what this request asks: an easy question
    under a policy that reads like a proof ("for every", "proof") does not take the
    competition-maths format's path (its benchmark level), while the user's own proof does."""
    easy = [{"role": "user", "content": "What are your opening hours on Saturday?"}]
    with_policy = {"messages": [{"role": "system", "content": SUPPORT_POLICY}, *easy]}
    assert detect_task(SUPPORT_POLICY) == "math_competition"  # what the prompt alone reads as
    assessed = learned.score(with_policy)
    assert assessed.signals["task_class"] == "chat"
    assert assessed.signals["path"] == "open reading"
    # The user's own turn still sets it: a proof asked under the same prompt is maths.
    proof = {"messages": [{"role": "system", "content": SUPPORT_POLICY}, {"role": "user", "content":
             "Prove that for every positive integer n, n^3 - n is divisible by 6."}]}
    assert learned.score(proof).signals["task_class"] == "math_competition"
