"""Which requests with numbers in them get the grade-school word-problem score.

The benchmark score for grade-school maths is fitted on GSM8K's third-person stories. A request
about the writer's own case, or numbers inside pasted material, is read by the open reading.
"""

from __future__ import annotations

import pytest

from router.classify.base import prompt_request
from router.classify.learned import WORD_PROBLEM_MAX_CHARS

GRADE_SCHOOL = "benchmark format math_word"

STORIES = [
    "Janet's ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes "
    "muffins for her friends every day with four. She sells the remainder at the farmers' market "
    "daily for $2 per fresh duck egg. How much in dollars does she make every day at the market?",
    "A bakery sells 45 loaves on Monday and twice as many on Tuesday. Each loaf costs $3. How "
    "much money did the bakery take over the two days?",
]

OWN_CASES = [
    "How much children's ibuprofen can I give my 14 kg two-year-old, and how often?",
    "We were laid off on the 3rd and our visa grace period is 60 days. When do we have to leave?",
    "my dad is 82, 70 kg, on 5 mg warfarin. can he take 400 mg ibuprofen for 3 days?",
]


def path(learned, prompt: str) -> str:
    return str(learned.score(prompt_request(prompt)).signals["path"])


@pytest.mark.parametrize("story", STORIES)
def test_a_third_person_story_keeps_the_grade_school_score(learned, story):
    assert path(learned, story).startswith(GRADE_SCHOOL)


@pytest.mark.parametrize("ask", OWN_CASES)
def test_the_writers_own_case_with_numbers_is_read_openly(learned, ask):
    assessment = learned.score(prompt_request(ask))
    assert assessment.signals["path"] == "open reading"
    assert assessment.task != "word_problem"


def test_numbers_in_long_pasted_material_are_read_openly(learned):
    rows = "\n".join(
        f"2024-03-{d:02d}  order {1000 + d}  {d * 3} units  ${d * 7}.50  warehouse B"
        for d in range(1, 31)
    )
    prompt = f"{rows}\n\nHow many units were ordered on 2024-03-05?"
    assert len(prompt) > WORD_PROBLEM_MAX_CHARS
    assert path(learned, prompt) == "open reading"
