"""Rule-based task detector: which kind of traffic a conversation is (no model, no data).

The task sets the level of the learned difficulty score, so it has to be read the
same way on benchmarks and traffic the classifier never saw. A learned task head
did not manage that (held-out CRUXEval read as chat, MATH level 5 as grade-school
maths, and its shifting probabilities scrambled the order inside a benchmark), so
the task comes from a few lexical rules instead, checked in this order:

- code_reasoning: code fences, [PYTHON] blocks, two or more code-shaped lines
  (def / class / import / assert / #include / function ...), or `f(...) ==`;
- knowledge: three or more multiple-choice option lines (A. / B) / (C) ...);
- math_competition: LaTeX (backslash commands, $x$-style inline maths, ^{ or _{), or
  the language of proofs and olympiad problems ("prove", "show that", "determine all",
  "positive integer", "divisible", "polynomial", ...);
- math_word: quantities and a question (two or more numbers and a `?` or a
  maths cue, or one number / number word and a maths cue);
- chat: everything else.

The rules read the head and the tail of long conversations (bounded cost).
"""

from __future__ import annotations

import re

TASK_CLASSES: tuple[str, ...] = (
    "chat",
    "code_reasoning",
    "knowledge",
    "math_competition",
    "math_word",
)
TASK_OF = {
    "math_word": "math",
    "math_competition": "math",
    "code_reasoning": "code",
    "knowledge": "knowledge",
    "chat": "chat",
}

HEAD_CHARS = 2000
TAIL_CHARS = 1000

_CODE = re.compile(
    r"```|\[PYTHON\]|^\s*(?:def \w|class \w|import \w|from \S+ import |#include|assert |function \w"
    r"|public |private |fn \w|SELECT |const \w+ =)|\w\([^()\n]*\)\s*==",
    re.MULTILINE,
)
_CHOICE = re.compile(r"^\s*\(?[A-Da-d][.):]\s+\S", re.MULTILINE)
_LATEX = re.compile(
    r"\\[a-zA-Z]+|\\\(|\\\[|\$(?![\d.,\s])[^$\n]{1,120}\$|\$[\d.,]*\d\$|\^\{|_\{|\b[a-z]\^\d"
)
_COMPETITION_CUE = re.compile(
    r"\b(prove|proof|show that|determine all|find all|for all|for every|positive integers?"
    r"|real numbers|prime|divisible|divisors?|modulo|polynomial|theorem|lemma|inequality"
    r"|partitions?|combinatori\w*|congruen\w*|rigorous\w*|in how many (?:different )?ways"
    r"|how many different|(?:largest|smallest|greatest|least) possible)\b"
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MATH_CUE = re.compile(
    r"\b(how many|how much|how long|how far|how old|what is the value|what percent"
    r"|find|compute|calculate"
    r"|solve|sum|total|percent|remainder|probability|integers?|each|per|times|twice|half)\b"
)
_NUMBER_WORD = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred|thousand|dozen|half"
    r"|twice|double|triple)\b"
)


def clip(text: str) -> str:
    if len(text) <= HEAD_CHARS + TAIL_CHARS:
        return text
    return text[:HEAD_CHARS] + "\n" + text[-TAIL_CHARS:]


def detect_task(text: str) -> str:
    """One of TASK_CLASSES for a conversation's text."""
    t = clip(text)
    if "```" in t or "[PYTHON]" in t or len(_CODE.findall(t)) >= 2:
        return "code_reasoning"
    if len(_CHOICE.findall(t)) >= 3:
        return "knowledge"
    low = t.lower()
    # The LaTeX pattern is the slowest here; text without any of its marker characters skips it.
    typeset = ("\\" in t or "$" in t or "^" in t or "_{" in t) and _LATEX.search(t) is not None
    if typeset or len(_COMPETITION_CUE.findall(low)) >= 2:
        return "math_competition"
    numbers = len(_NUMBER.findall(t))
    cue = _MATH_CUE.search(low) is not None
    if (numbers >= 2 and ("?" in t or cue)) or (cue and (numbers or _NUMBER_WORD.search(low))):
        return "math_word"
    return "chat"
