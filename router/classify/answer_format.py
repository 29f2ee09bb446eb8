"""Benchmark answer-format instructions, removed before a request is read.

Evaluation harnesses append a fixed instruction on how to present the answer to every question
(ZeroEval: "Present your reasoning and solution in the following json format" and a fenced
```json {"reasoning": "___", "answer": "___"}``` block; others: "put your final answer within
\\boxed{}", "answer with only the letter"). It says nothing about how hard the question is, but
its code fence and JSON read as code and its length as context. `strip` removes:

- a fenced or bare JSON object whose every value is a placeholder (`"___"`, `"..."`, `"<...>"`,
  `""`): an answer template, not data;
- sentences that only say how to lay the answer out, to the end of their line (ANSWER_FORMAT
  below), and the bare `## Question:` / `## Instruction` headers such templates put around the
  question.

A JSON object with real values (data to work on) and an instruction that asks for content stay.

    >>> strip('## Question:\\n\\nWhat is 2 + 2?\\n\\n## Instruction\\n\\nPlease show your final '
    ...       'answer in the `answer` field.\\n\\n```json\\n{\\n  "answer": "___"\\n}\\n```')
    'What is 2 + 2?'
"""

from __future__ import annotations

import re

_PLACEHOLDER = r'"(?:_+|\.{3}|…|<[^">\n]{0,40}>|\[[^"\]\n]{0,40}\]|)"'
_TEMPLATE_OBJECT = re.compile(
    r"(?:```(?:json)?[ \t]*\n)?[ \t]*\{\s*"
    rf'(?:"[\w ]{{1,40}}"\s*:\s*{_PLACEHOLDER}\s*,?\s*){{1,8}}'
    r"\}[ \t]*(?:\n[ \t]*```)?"
)
ANSWER_FORMAT = re.compile(
    r"(?:^|(?<=[.?!:])[ \t]+)[ \t]*(?:"
    r"#+[ \t]*(?:question|instructions?)[ \t]*:?[ \t]*$"
    r"|(?:#+[ \t]*)?[^\n.?!]{0,80}\b(?:answer this question by first reasoning"
    r"|in the following json format"
    r"|final answer (?:in|within) (?:the )?[`'\"]?(?:answer|\\boxed)"
    r"|put your (?:final )?answer (?:in|within)|(?:answer|respond|reply) with only the"
    r" (?:letter|number|option)|the last line of your response should be"
    r"|(?:let's|let us) think step by step|think step by step"
    r"|e\.g\.,?[ \t]*`?\"answer\")"
    r")[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Text without these words holds no answer-format instruction (skips the patterns above).
_MARKERS = ("answer", "step by step", "##", '"___"')


def strip(text: str) -> str:
    """The text without benchmark answer-format instructions (see the module's docstring)."""
    low = text.lower()
    if not any(m in low for m in _MARKERS):
        return text
    out = _TEMPLATE_OBJECT.sub("", text)
    out = ANSWER_FORMAT.sub("", out)
    if out == text:
        return text
    return re.sub(r"\n{3,}", "\n\n", out).strip()
