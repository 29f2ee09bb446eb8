"""The cascade's answer comparison on the edges its extraction tests do not reach: the log
line when an answer is missing, number tolerance, literals too deep to compare, LaTeX text."""

from __future__ import annotations

from router.cascade import Answer, Kind, agree, explain, extract

TWELVE = Answer(Kind.NUMERIC, "12", 12.0, "json")


def test_the_log_line_says_which_answer_is_missing():
    assert explain(None, None) == "disagree: no answer in either"
    assert explain(None, TWELVE) == "disagree: no answer in first"
    assert explain(TWELVE, None) == "disagree: no answer in second"


def test_numbers_agree_within_float_rounding_in_text_answers_too():
    third = Answer(Kind.TEXT, "0.30000000000000004", 0.1 + 0.2, "line")
    assert agree(third, Answer(Kind.TEXT, "0.3", 0.3, "line"))
    assert agree(Answer(Kind.NUMERIC, "0", 0.0, "json"), Answer(Kind.NUMERIC, "0", 1e-13, "line"))
    assert not agree(Answer(Kind.NUMERIC, "0", 0.0, "json"),
                     Answer(Kind.NUMERIC, "0", 1e-6, "line"))


def test_literals_too_deep_to_compare_do_not_agree():
    def deep() -> list:
        value: list = []
        for _ in range(100_000):
            value = [value]
        return value

    assert not agree(Answer(Kind.LITERAL, "[[...]]", deep(), "code"),
                     Answer(Kind.LITERAL, "[[...]]", deep(), "code"))


def test_unparsed_literals_compare_without_their_quotes_only():
    assert agree(Answer(Kind.LITERAL, "'abc", "'abc", "line", parsed=False),
                 Answer(Kind.LITERAL, "abc'", "abc'", "line", parsed=False))
    assert not agree(Answer(Kind.LITERAL, "Xabc", "Xabc", "line", parsed=False),
                     Answer(Kind.LITERAL, "abc", "abc", "line", parsed=False))


def test_latex_text_commands_read_as_their_text():
    assert agree(extract("The answer is \\text{Paris}", "text"), extract("Paris", "text"))
