"""Where the cascade finds a final answer (router/cascade.py's extraction), on the cases its
mutation run showed untested: JSON with escapes, braces and nesting, the regex fallback for
broken JSON, assert lines, code blocks, the last line, prose numbers and literals, and the
size bounds. Whether two cheap answers agree, and so whether the cascade accepts one, rests
on what is extracted here."""

from __future__ import annotations

import pytest

from router.cascade import (
    MAX_ARITHMETIC_CHARS,
    MAX_LITERAL_CHARS,
    Kind,
    agree,
    extract,
    parse,
)


def found(text: str, kind: str) -> tuple[str, object, str]:
    answer = extract(text, kind)
    assert answer is not None, text
    return answer.text, answer.value, answer.source


# --- JSON: the first object with an "answer" key, strings and escapes read as JSON reads them


@pytest.mark.parametrize("text", [
    '{"reasoning": "a 27\\" screen", "answer": 3}',  # an escaped quote in a string
    '{"reasoning": "saved in C:\\\\", "answer": 3}',  # an escaped backslash ends a string
    '{"reasoning": "the set } is closed", "answer": 3}',  # a brace inside a string
    '{"answer": 3, "check": {"sum": 3}}',  # a nested object
    '```json\n{"answer": 3}```',  # the fence closes right after the object
    '{{"answer": 3}',  # an unclosed brace just before the object
])
def test_the_json_answer_is_read_from_the_object_itself(text):
    assert found(text, "numeric") == ("3", 3.0, "json")


def test_a_json_string_with_an_invalid_escape_is_read_with_its_backslash():
    assert found('{"answer": "\\alpha"}', "text")[:2] == ("\\alpha", "\\alpha")


def test_json_answers_are_taken_as_they_are_written_spaces_included():
    """A CRUXEval answer may end in a space: 'abc ' is not 'abc'."""
    answer = extract('{"answer": "abc "}', "literal")
    assert answer is not None and answer.text == "abc "
    assert agree(answer, parse("abc ", "literal"))
    assert not agree(answer, parse("abc", "literal"))


def test_broken_json_falls_back_to_the_quoted_answer_with_its_escapes_undone():
    text = '{"reasoning": "x" "answer": "say \\"hi\\""}'  # a comma missing: not JSON
    assert found(text, "text")[0::2] == ('say "hi"', "json-regex")


def test_broken_json_falls_back_to_a_bare_answer_read_to_its_end():
    assert found('{"answer": UNIX}', "text") == ("UNIX", "unix", "json-regex")


# --- code output: assert lines and code blocks


def test_an_assert_whose_expected_value_holds_the_comparison_operator():
    assert found('assert f(s) == "a == b"', "literal") == ('"a == b"', "a == b", "assert")


def test_the_last_assert_with_a_literal_wins_over_a_later_one_without():
    text = "assert f(0) == 7\nassert f(1) == []\nassert f(2) == g(2)"
    assert found(text, "literal") == ("[]", [], "assert")


def test_without_a_literal_the_last_asserts_right_hand_side_is_taken_as_text():
    assert found("assert f(a == b) == g(c)", "literal")[0::2] == ("g(c)", "assert")


@pytest.mark.parametrize("text", [
    "```python\nassert isinstance(r, list)\nassert 5\n```\n\n[1, 3]",  # no `==`: no answer
    "assert f([3, 1]) == ??  # fill in\n\n[1, 3]",  # the question's placeholder
])
def test_asserts_that_hold_no_answer_are_skipped(text):
    assert found(text, "literal") == ("[1, 3]", [1, 3], "last-line")


def test_a_code_block_counts_only_when_it_holds_a_literal():
    assert found("```python\nprint(f(3))\n```\n\n[1, 2]", "literal")[1:] == ([1, 2], "last-line")
    assert found("```\n[]\n```\nDone", "literal") == ("[]", [], "code")


# --- prose: the last line, numbers after the last `=`, literals up to where they parse


def test_a_markdown_rule_after_the_answer_is_not_the_last_line():
    assert found("So the total is:\n\n42\n\n***", "numeric") == ("42", 42.0, "last-line")


def test_a_code_fence_left_open_at_the_end_is_not_the_last_line():
    """An answer cut off after opening a code block: the line before the fence is read, not
    the fence's language name."""
    assert found("The result is 42\n```python", "numeric") == ("The result is 42", 42.0,
                                                                  "last-line")


@pytest.mark.parametrize("text", [
    "The answer is 3 + 4 = 7 apples",
    "The answer is 2 * 3 = 6, plus 1 = 7 pages",
])
def test_a_number_in_prose_is_what_follows_the_last_equals_sign(text):
    assert found(text, "numeric")[1] == 7.0


@pytest.mark.parametrize(("text", "value"), [
    ("The output is [] since nothing matches", []),
    ("The output is 5, because the loop runs five times", 5),
    ("The output is 'a', 'b' in that order", ("a", "b")),
    ("The output is [1, 2] (sorted)", [1, 2]),
])
def test_a_literal_in_prose_is_its_longest_start_that_parses(text, value):
    assert found(text, "literal")[1] == value


def test_a_word_that_starts_with_a_number_is_not_that_number():
    answer = extract("The output is 2X", "literal")
    assert answer is not None and answer.parsed is False
    assert not agree(answer, parse("2", "literal"))


def test_markdown_around_a_phrase_answer_is_not_part_of_it():
    assert found("The answer is **Paris**.", "text") == ("Paris", "paris", "phrase")


def test_an_ellipsis_is_kept_where_a_full_stop_is_dropped():
    assert parse("To be continued...", "text").value == "to be continued..."  # type: ignore[union-attr]
    assert parse("Paris.", "text").value == "paris"  # type: ignore[union-attr]


# --- numbers: the ZeroEval rule


@pytest.mark.parametrize(("raw", "value"), [
    ("1/2 + 1/4", 0.75),
    ("3/4 - 1/4", 0.5),
    ("2 * 3/4", 1.5),
    ("+3/4", 0.75),
    ("$5/4$", 1.25),
    ("#3/4", 0.75),
    (r"\text{1/2}", 0.5),
    ("1{,}000", 1000.0),  # LaTeX's thousands separator
    (r"1\text{,}000", 1000.0),  # and the same written as text
    (r"1\!000", 1000.0),  # LaTeX's negative thin space
    # Only an answer holding a fraction is evaluated; otherwise its first number counts, as in
    # the data's `correct` labels (evaluating `3 * 4` too disagrees with them on 5 rows).
    ("3 * 4", 3.0),
    ("5/(2)(3)", 5.0),  # not arithmetic (a call): the first number
    ("2**3/4", 2.0),  # a power is not + - * /
])
def test_numeric_answers(raw, value):
    assert parse(raw, "numeric").value == value  # type: ignore[union-attr]


def test_arithmetic_is_evaluated_up_to_its_length_bound():
    at_bound = "10/2" + "+0" * ((MAX_ARITHMETIC_CHARS - 4) // 2)
    over = "1/2" + "+0" * ((MAX_ARITHMETIC_CHARS - 2) // 2)
    assert (len(at_bound), len(over)) == (MAX_ARITHMETIC_CHARS, MAX_ARITHMETIC_CHARS + 1)
    assert parse(at_bound, "numeric").value == 5.0  # type: ignore[union-attr]
    assert parse(over, "numeric").value == 1.0  # type: ignore[union-attr]


# --- literals and text


def test_literals_are_parsed_up_to_their_length_bound():
    at_bound = "'" + "a" * (MAX_LITERAL_CHARS - 2) + "'"
    assert parse(at_bound, "literal").parsed is True  # type: ignore[union-attr]
    assert parse(at_bound + " ", "literal").parsed is False  # type: ignore[union-attr]


def test_a_literal_may_follow_spaces_and_a_name_is_not_a_literal():
    assert parse("  [1, 2]", "literal").value == [1, 2]  # type: ignore[union-attr]
    assert not agree(parse("X1", "literal"), parse("1", "literal"))


def test_a_text_answer_is_a_number_only_when_it_is_just_a_number():
    assert not agree(parse("Room 101", "text"), parse("101", "text"))
    assert agree(parse("$1,000", "text"), parse("1000", "text"))


@pytest.mark.parametrize(("raw", "kind"), [
    ("C", Kind.CHOICE), ("12", Kind.NUMERIC), ("[1]", Kind.LITERAL), ("Paris", Kind.TEXT),
])
def test_an_isolated_answer_keeps_its_kind_and_says_it_was_given(raw, kind):
    answer = parse(raw, kind.value)
    assert answer is not None and (answer.kind, answer.source) == (kind, "given")
