"""Benchmark answer-format instructions do not change how a request is read, and everyday
arithmetic (unit conversions, percentages) is read as arithmetic and routed to the small tier.

The prompts are written for these tests; the template is ZeroEval's zero-shot JSON instruction,
as harnesses append it to every question.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from router.classify.answer_format import strip
from router.classify.base import prompt_request
from router.config import load_config
from router.costs import build_catalog
from router.policy import Route, decide, needs_of

CONFIG = Path(__file__).resolve().parents[2] / "config" / "default.yaml"

ZEROEVAL = (  # ZeroEval's lines end in a space where shown
    "## Question: \n\n{question}\n\n## Instruction \n\n"
    "Please answer this question by first reasoning and then providing your answer.\n"
    "Present your reasoning and solution in the following json format. \n"
    'Please show your final answer in the `answer` field, e.g.,`"answer": "42"`.\n\n'
    '```json\n{{\n    "reasoning": "___",\n    "answer": "___"\n}}\n```\n'
)

QUESTIONS = [
    "A baker makes 48 rolls and sells them in bags of 6 for $3 a bag. How much money does he "
    "make if he sells every bag?",
    "Let $p(x)$ be a monic polynomial of degree 4 with $p(1) = 2$, $p(2) = 5$, $p(3) = 10$ and "
    "$p(4) = 17$. Find $p(5)$.",
    "Which gas makes up most of the Earth's atmosphere?\nA. Oxygen\nB. Nitrogen\nC. Argon\n"
    "D. Carbon dioxide",
    "Write a TLA+ specification of a leader election protocol and state its safety invariant.",
    "What is the capital of Portugal?",
]


def tier_of(clf, request) -> str:
    config = load_config(CONFIG, env={})
    return decide(
        config, build_catalog(config), needs_of(request), clf.score(request), Route()
    ).tier


def test_strip_removes_the_template_and_keeps_the_question():
    question = QUESTIONS[0]
    assert strip(ZEROEVAL.format(question=question)) == question
    assert strip("Solve 3x + 5 = 20. Put your final answer within \\boxed{}.") == (
        "Solve 3x + 5 = 20."
    )
    assert strip("Is 91 prime?\nLet's think step by step.") == "Is 91 prime?"


@pytest.mark.parametrize(
    "text",
    [
        'Fill this in for Ana, 34:\n```json\n{"name": "", "age": ""}\n```\nand fix the keys',
        'Parse this record:\n```json\n{"name": "Ana", "answer": "yes"}\n```',
        "What is the answer to the riddle in the second paragraph?",
        "Step by step, how do I reset my router? Think about the cables too.",
    ],
)
def test_strip_keeps_data_and_asks_that_are_not_a_template(text):
    kept = strip(text)
    assert kept.startswith(text.splitlines()[0])
    assert ('"Ana"' in kept) == ('"Ana"' in text)


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_templated_question_reads_like_the_bare_one(learned, question):
    bare = learned.score(prompt_request(question))
    templated = learned.score(prompt_request(ZEROEVAL.format(question=question)))
    assert templated.task == bare.task
    assert templated.signals["task_class"] == bare.signals["task_class"]
    assert abs(templated.difficulty - bare.difficulty) < 0.01
    assert tier_of(learned, prompt_request(ZEROEVAL.format(question=question))) == (
        tier_of(learned, prompt_request(question))
    )


def test_a_real_json_block_is_still_read_as_code(learned):
    text = 'Why does json.loads fail on this?\n```json\n{"id": 1, "tags": [\'a\', \'b\']}\n```'
    assert learned.score(prompt_request(text)).signals["task_class"] == "code_reasoning"


@pytest.mark.parametrize(
    "text",
    [
        "Convert 72 degrees Fahrenheit to Celsius",
        "convert 5 km to miles",
        "What is 350°F in C?",
        "How many ounces are in a cup?",
        "how many teaspoons in a tablespoon",
        "What's a 15% tip on $84?",
        "Convert 250 USD to euros",
        "What is 20 percent of 150?",
    ],
)
def test_everyday_arithmetic_goes_to_the_small_tier(learned, text):
    assessment = learned.score(prompt_request(text))
    assert assessment.task == "arithmetic"
    assert assessment.confidence >= 0.5
    assert tier_of(learned, prompt_request(text)) == "small"


@pytest.mark.parametrize(
    "text",
    [
        "Implement a lock-free queue in 2 days in c++ with hazard pointers",
        "I moved to Lisbon in 2019 in spring",
    ],
)
def test_numbers_next_to_words_are_not_read_as_conversions(learned, text):
    assert learned.score(prompt_request(text)).task != "arithmetic"
