"""Final-answer extraction and agreement (router/cascade.py) on real output styles."""

from __future__ import annotations

import subprocess
import sys

import pytest

from router.cascade import (
    CHECKABLE_TASKS,
    Answer,
    Kind,
    agree,
    explain,
    extract,
    kind_for_task,
    parse,
)

# pytest resets warning filters per test; router.cascade installs its own (see
# test_odd_answers_print_no_parser_warnings).
pytestmark = pytest.mark.filterwarnings(
    "ignore::SyntaxWarning:<answer>", "ignore::DeprecationWarning:<answer>"
)

# ---------------------------------------------------------------- outputs as models write them

JSON_FENCED = """\
Let me work through this step by step.

```json
{
  "reasoning": "Janet's ducks lay 16 eggs. She eats 3 and bakes with 4, so 16 - 3 - 4 = 9
remain. At $2 each she makes 9 * 2 = $18. (Note: {braces} in here do not count.)",
  "answer": "$18"
}
```

I hope this helps!"""

JSON_BARE_INT = (
    "Sure! Here is my answer in the requested format:\n\n"
    '{"reasoning": "Each box holds 12; 7 boxes hold 7 * 12 = 84.", "answer": 84}'
)

JSON_BAD_ESCAPES = r"""{
  "reasoning": "We need \(x^2 = 16\), so \(x = \pm 4\); the positive root is 4.",
  "answer": "4"
}"""

JSON_UNQUOTED = """Reasoning: the train covers 60 miles per hour for 2.5 hours.
{ "reasoning": "60 * 2.5 = 150", "answer": 150, }"""

BOXED = r"""We compute the sum of the roots using Vieta's formulas.

The quadratic is $x^2 - 5x + 6 = 0$, and its roots multiply to $6$.
After simplifying, the requested ratio is $\boxed{\dfrac{3}{4}}$, since
$\frac{6}{8} = \frac{3}{4}$."""

BOXED_NESTED = r"Thus the area is \boxed{\frac{\sqrt{3}}{2}} square units."

HASHES = """Natalia sold 48 clips in April.
In May she sold half as many: 48 / 2 = 24.
Altogether she sold 48 + 24 = 72 clips.
#### 72"""

THE_ANSWER_IS = """First, 15% of $80 is $12.

Subtracting the discount gives $80 - $12 = $68.

The answer is $68.

Let me know if you'd like me to explain any step in more detail."""

FINAL_ANSWER = """**Step 1.** Convert 2 hours to minutes: 120 minutes.

**Step 2.** Divide by 8 minutes per page: 120 / 8 = 15 pages.

**Final Answer:** 15 pages"""

CHOICE_ANSWER = """The mitochondria is the site of cellular respiration, where ATP is produced.
Option (A) describes the nucleus and option (B) the ribosome, so neither fits.

Answer: (C)"""

CHOICE_LONE = """Looking at each option: A is too small, B ignores friction, D double-counts.
That leaves the third choice.

**C**"""

ASSERT_LINE = """Let's trace the function:
- `nums.count(1)` is 4 and `nums.count(3)` is 2.
- After sorting in reverse we get the 4-tuples first.

[PYTHON]
assert f([1, 1, 3, 1, 3, 1]) == [(4, 1), (4, 1), (4, 1), (4, 1), (2, 3), (2, 3)]
[/PYTHON]"""

CODE_BLOCK = """The loop appends each character twice, then the result is joined.

The function returns:

```python
{'a': 1, 'b': [2, 3]}
```
"""

LAST_LINE = """Tom has 3 apples and buys 4 more.
Then he gives 2 away.
So 3 + 4 - 2 = 5"""


# ---------------------------------------------------------------- extraction


@pytest.mark.parametrize(
    ("text", "kind", "expected_text", "source"),
    [
        (JSON_FENCED, Kind.NUMERIC, "$18", "json"),
        (JSON_BARE_INT, Kind.NUMERIC, "84", "json"),
        (JSON_BAD_ESCAPES, Kind.NUMERIC, "4", "json"),
        (JSON_UNQUOTED, Kind.NUMERIC, "150", "json-regex"),
        (BOXED, Kind.NUMERIC, r"\dfrac{3}{4}", "boxed"),
        (BOXED_NESTED, Kind.TEXT, r"\frac{\sqrt{3}}{2}", "boxed"),
        (HASHES, Kind.NUMERIC, "72", "hashes"),
        (THE_ANSWER_IS, Kind.NUMERIC, "$68", "phrase"),
        (FINAL_ANSWER, Kind.NUMERIC, "15 pages", "phrase"),
        (CHOICE_ANSWER, Kind.CHOICE, "(C)", "phrase"),
        (CHOICE_LONE, Kind.CHOICE, "C", "lone-letter"),
        (ASSERT_LINE, Kind.LITERAL, "[(4, 1), (4, 1), (4, 1), (4, 1), (2, 3), (2, 3)]", "assert"),
        (CODE_BLOCK, Kind.LITERAL, "{'a': 1, 'b': [2, 3]}", "code"),
        (LAST_LINE, Kind.NUMERIC, "5", "last-line"),
    ],
)
def test_each_style_finds_the_final_answer(
    text: str, kind: Kind, expected_text: str, source: str
) -> None:
    answer = extract(text, kind)
    assert answer is not None
    assert (answer.text, answer.source) == (expected_text, source)


def test_values_are_normalised_per_kind() -> None:
    assert extract(JSON_FENCED, "numeric").value == 18.0  # type: ignore[union-attr]
    assert extract(BOXED, "numeric").value == 0.75  # type: ignore[union-attr]
    assert extract(FINAL_ANSWER, "numeric").value == 15.0  # type: ignore[union-attr]
    assert extract(CHOICE_ANSWER, "choice").value == "C"  # type: ignore[union-attr]
    literal = extract(ASSERT_LINE, "literal")
    assert literal is not None and literal.parsed
    assert literal.value == [(4, 1)] * 4 + [(2, 3)] * 2


def test_first_json_object_with_an_answer_key_wins() -> None:
    text = (
        'Schema: {"type": "object"}\n'
        '{"reasoning": "first try", "answer": 41}\n'
        'Actually, correcting myself: {"reasoning": "recount", "answer": 42}'
    )
    answer = extract(text, "numeric")
    assert answer is not None and answer.value == 41.0 and answer.source == "json"


def test_unclosed_brace_in_prose_does_not_hide_the_json() -> None:
    text = 'The set {1, 2, 3 is where we start.\n{"reasoning": "...", "answer": "7"}'
    answer = extract(text, "numeric")
    assert answer is not None and answer.value == 7.0 and answer.source == "json"


def test_json_reads_latex_commands_back() -> None:
    # JSON turns "\f" into a form feed: the \frac must survive as LaTeX.
    answer = extract('{"reasoning": "r", "answer": "\\frac{1}{8}"}', "numeric")
    assert answer is not None and answer.value == 0.125


def test_json_answer_beats_a_later_boxed_answer() -> None:
    text = '{"reasoning": "we get 10", "answer": 10}\n\nHmm, maybe \\boxed{12}.'
    assert extract(text, "numeric").value == 10.0  # type: ignore[union-attr]


def test_the_last_of_several_phrases_wins() -> None:
    text = "My first guess: the answer is 10.\nChecking again, 3 * 4 = 12.\nThe answer is 12."
    assert extract(text, "numeric").value == 12.0  # type: ignore[union-attr]


def test_prose_mentioning_answer_without_a_colon_is_not_an_answer() -> None:
    text = "To answer this we add them up.\n\nTotal: 5 + 6 = 11"
    answer = extract(text, "numeric")
    assert answer is not None and answer.source == "last-line" and answer.value == 11.0


def test_assert_with_a_comment_and_placeholder_lines() -> None:
    text = (
        "The original assertion was:\nassert f('abc') == ??\n\n"
        "Completed:\nassert f('abc') == 'cba'  # reversed\n"
    )
    answer = extract(text, "literal")
    assert answer is not None and answer.value == "cba" and answer.source == "assert"


def test_assert_with_a_bare_string_still_gives_its_right_hand_side() -> None:
    text = "Tracing the loop, the result is\nassert f('abc') == cba"
    answer = extract(text, "literal")
    assert answer is not None and (answer.text, answer.source, answer.parsed) == (
        "cba",
        "assert",
        False,
    )
    assert agree(answer, parse("'cba'", "literal"))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("So the output is [1, 2], since the list is sorted first.", [1, 2]),
        ("The answer is {'a': (1, 'x)')} because of the update.", {"a": (1, "x)")}),
        ("The output is True because 3 > 2.", True),
        ("The output is 'abc' (the reversed string).", "abc"),
    ],
)
def test_a_literal_followed_by_prose(text: str, value: object) -> None:
    answer = extract(text, "literal")
    assert answer is not None and answer.parsed and answer.value == value


def test_prose_that_is_no_literal_is_kept_as_text() -> None:
    answer = extract("The output is hello world, I think.", "literal")
    assert answer is not None and not answer.parsed
    assert answer.text == "hello world, I think"


def test_assert_with_equals_inside_a_string_argument() -> None:
    answer = extract("assert f('a==b') == ['a', 'b']", "literal")
    assert answer is not None and answer.value == ["a", "b"]


def test_json_literal_answers_read_as_python_writes_them() -> None:
    answer = extract('{"reasoning": "r", "answer": [true, null, "x"]}', "literal")
    assert (
        answer is not None
        and answer.text == "[True, None, 'x']"
        and answer.value == [True, None, "x"]
    )


def test_choice_letter_styles() -> None:
    for text in (
        "The answer is B.",
        "Final answer: (B) 42 metres",
        '{"answer": "B) Paris"}',
        "option B",
        "b",
    ):
        assert extract(text, "choice").value == "B", text  # type: ignore[union-attr]


# ---------------------------------------------------------------- no answer


def test_no_extractable_answer_is_none_and_never_agrees() -> None:
    assert extract("", "numeric") is None
    assert extract("I am not sure how to solve this.", "numeric") is None
    assert extract("It could be several things.\nHard to say.", "choice") is None
    answer = extract(THE_ANSWER_IS, "numeric")
    assert not agree(None, answer) and not agree(answer, None) and not agree(None, None)
    assert explain(answer, None) == "disagree: no answer in second"


# ---------------------------------------------------------------- comparison


def numeric(raw: str) -> Answer | None:
    return parse(raw, Kind.NUMERIC)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("$1,234.50", "1234.5"),
        ("8.50", "8.5"),
        ("60%", "60"),
        ("18 dollars", "$18"),
        ("-3", "−3"),
        ("3/4", "0.75"),
        (r"\frac{3}{4}", "0.75"),
        (r"\dfrac{-1}{2}", "-0.5"),
        ("# 40,000", "40000"),
        ("150 km/h", "150"),
    ],
)
def test_numbers_that_agree(a: str, b: str) -> None:
    assert agree(numeric(a), numeric(b)), (a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("8.5", "8.05"), ("42", "24"), ("-3", "3"), ("3/4", "4/3"), ("12", "12.5")],
)
def test_numbers_that_disagree(a: str, b: str) -> None:
    assert not agree(numeric(a), numeric(b)), (a, b)


def test_two_outputs_with_different_numbers_disagree() -> None:
    a = extract(HASHES, "numeric")
    b = extract(HASHES.replace("#### 72", "#### 70"), "numeric")
    assert a is not None and b is not None
    assert not agree(a, b)
    assert explain(a, b) == "disagree: numeric '72' (hashes) != '70' (hashes)"


def test_the_same_answer_in_different_styles_agrees() -> None:
    cheap = extract(JSON_FENCED, "numeric")
    partner = extract("She keeps 9 eggs and sells them at $2.\n\nFinal answer: 18", "numeric")
    assert agree(cheap, partner)
    assert explain(cheap, partner) == "agree: numeric '$18' (json) = '18' (phrase)"


def test_choice_letters() -> None:
    assert agree(extract(CHOICE_ANSWER, "choice"), extract(CHOICE_LONE, "choice"))
    assert not agree(parse("(C)", "choice"), parse("(D)", "choice"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ('{"a": 1}', "{'a': 1}"),
        ("8.50", "8.5"),
        ("(1, 2)", "(1,2)"),
        ("'abc'", "abc"),
        ('"abc"', "'abc'"),
        ("'t\\nZA'", "t\nZA"),
        ("')", "')'"),
        ("True", "True"),
    ],
)
def test_literals_that_agree(a: str, b: str) -> None:
    assert agree(parse(a, "literal"), parse(b, "literal")), (a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("[1, 2]", "(1, 2)"),
        ("'1'", "1"),
        ("{'a': 1}", "{'a': 2}"),
        ("'abc '", "'abc'"),
        ("[1, 2", "[1, 2]"),
    ],
)
def test_literals_that_disagree(a: str, b: str) -> None:
    assert not agree(parse(a, "literal"), parse(b, "literal")), (a, b)


def test_whitespace_answers_are_kept_as_written() -> None:
    # A CRUXEval answer can be spaces; the gold "'   '" means the same string.
    assert agree(parse("   ", "literal"), parse("'   '", "literal"))
    assert not agree(parse("  ", "literal"), parse("'   '", "literal"))


def test_short_text_answers() -> None:
    assert agree(parse("Paris.", "text"), parse("**paris**", "text"))
    assert agree(parse("1,000", "text"), parse("1000", "text"))
    assert not agree(parse("Paris", "text"), parse("Lyon", "text"))
    assert parse("   ", "text") is None


def test_answers_of_different_kinds_never_agree() -> None:
    assert not agree(parse("3", "numeric"), parse("3", "literal"))


def test_tasks_choose_the_kind() -> None:
    assert kind_for_task("math") is Kind.NUMERIC
    assert kind_for_task("multiple_choice") is Kind.CHOICE
    assert kind_for_task("code_output") is Kind.LITERAL
    assert kind_for_task("short_answer") is Kind.TEXT
    assert kind_for_task("chat") is None
    assert CHECKABLE_TASKS == ("math", "multiple_choice", "code_output", "short_answer")


def test_hostile_inputs_stay_bounded_and_total() -> None:
    # Blank lines took quadratic time with a letter pattern that could span lines (minutes here).
    assert extract("\n" * 50_000 + "C", "choice").value == "C"  # type: ignore[union-attr]
    # Only the last assert lines are tried.
    assert extract("assert f() == ??\n" * 5_000, "literal").parsed is False  # type: ignore[union-attr]
    assert extract("{" * 5000 + '"answer": 3', "numeric").value == 3.0  # type: ignore[union-attr]
    assert extract("[" * 5000, "literal") is not None  # not a literal: kept as text, no crash
    assert parse("9" * 5000, "literal").parsed is False  # type: ignore[union-attr]
    assert extract("answer: " + "1/" * 2000 + "1", "numeric") is not None


def test_odd_answers_print_no_parser_warnings() -> None:
    # Python warns about "1abc" or "'\\['" when parsing them; a gateway log must not fill up.
    code = (
        "from router.cascade import parse; parse('1abc', 'literal'); parse(\"'\\\\['\", 'literal')"
    )
    run = subprocess.run(
        [sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, check=True
    )
    assert run.stderr == ""
