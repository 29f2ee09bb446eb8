"""Turn a whole chat request into named, cheap signals (numpy only).

`structure_features`: signals that transfer across sources (length, numbers,
LaTeX, code shape, multiple choice, conversation shape). They are what
`router route` shows. (A static word-embedding average was tried here and did
not transfer across benchmarks; see docs/routing.md.)

`words`: the set of lower-cased words (and LaTeX commands) in the head and tail
of the conversation, for the per-task word terms of the learned score.
"""

from __future__ import annotations

import math
import re

import numpy as np

from router.classify import answer_format
from router.classify.base import ChatRequest, count_images, iter_text

# The keyword signals read at most this many characters: the head and the tail of the
# conversation, where the instruction and the final question usually sit.
EMBED_HEAD_CHARS = 500
EMBED_TAIL_CHARS = 250

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:/\d+)?")
_LATEX = re.compile(r"\\[a-zA-Z]+|\$[^$\n]{1,200}\$|\^\{?|_\{")
_MATH_WORDS = re.compile(
    r"\b(prove|theorem|lemma|integer|integers|real numbers?|polynomial|equation|function f"
    r"|probability|expected value|sum of|product of|remainder|modulo|divisible|prime"
    r"|digits?|triangle|circle|area|perimeter|radius|angle|matrix|vectors?|roots?"
    r"|solve|compute|evaluate|simplify|how many|how much|what is the value)\b",
    # applied to lower-cased text: faster than re.IGNORECASE
)
_CODE_LINE = re.compile(
    r"^\s*(def |class |return\b|for |while |if |elif |else:|import |from \S+ import|#include"
    r"|function |const |let |var |public |private |}|{|assert )",
    re.MULTILINE,
)
_CODE_SYMBOLS = re.compile(r"[{}\[\]();=<>]|==|!=|\+=|->|=>|::")
_WORD = re.compile(r"\\?[a-z]{2,}")
_CHOICE_LINE = re.compile(r"^\s*\(?[A-Ea-e][.)]\s+\S", re.MULTILINE)
_REASONING = re.compile(
    r"\b(prove|derive|show that|step[- ]by[- ]step|rigorous|justify|explain why|optimi[sz]e"
    r"|trade-?offs?|design|architect\w*|analy[sz]e|edge cases?|complexity|counterexample"
    r"|at least|at most|exactly|minimum|maximum|smallest|largest|distinct|possible)\b",
    # applied to lower-cased text: faster than re.IGNORECASE
)
_SIMPLE = re.compile(
    r"\b(translate|summari[sz]e|rephrase|rewrite|paraphrase|fix (?:the )?typos?|hello|hi|thanks"
    r"|thank you|spell|define|list|extract|classify|format|name|tell me|give me|suggest|write a"
    r"|poem|story|email|recipe|joke|tweet)\b",
    # applied to lower-cased text: faster than re.IGNORECASE
)
_CONDITION_WORDS = re.compile(
    r"\b(if|then|each|every|per|twice|half|times|more than|less than|left|remaining|after"
    r"|before|percent|%|ratio|rate|total|together|average)\b",
    # applied to lower-cased text: faster than re.IGNORECASE
)

STRUCTURE_NAMES: tuple[str, ...] = (
    "log_chars",
    "log_words",
    "log_lines",
    "numbers",
    "distinct_numbers",
    "digit_share",
    "latex",
    "math_words",
    "code_lines",
    "code_symbols",
    "choices",
    "reasoning",
    "simple",
    "conditions",
    "question_marks",
    "long_words",
    "non_ascii",
    "system_share",
    "turns",
    "tools",
    "images",
)


def clip_text(text: str) -> str:
    """The head and tail of a long text (bounds the per-request cost)."""
    if len(text) <= EMBED_HEAD_CHARS + EMBED_TAIL_CHARS:
        return text
    return text[:EMBED_HEAD_CHARS] + " " + text[-EMBED_TAIL_CHARS:]


_PROMPT_ROLES = frozenset({"system", "developer", "tools"})


def conversation_text(request: ChatRequest) -> tuple[str, float, int, str]:
    """All text of the request, the system prompt's share of it, the user-turn count, and the
    text the task detector reads; the user turns without benchmark answer-format instructions
    (answer_format.strip). The task detector's text is the conversation without its system or
    developer prompt and tool definitions: a product's prompt (a support policy with "for
    every" and "proof of address", a tutor's rules) says what the app is, not what this request
    asks; read with it, every easy question under such a prompt took its format's path."""
    parts = [
        (role, answer_format.strip(t) if role == "user" else t) for role, t in iter_text(request)
    ]
    text = "\n".join(t for _, t in parts)
    system = sum(len(t) for role, t in parts if role in ("system", "developer"))
    turns = sum(1 for role, _ in parts if role == "user")
    task_text = "\n".join(t for role, t in parts if role not in _PROMPT_ROLES)
    return text, system / max(1, len(text)), turns, task_text


def words(text: str) -> frozenset[str]:
    """Distinct words of two or more letters, and LaTeX commands, in the clipped, lower-cased
    text."""
    return frozenset(_WORD.findall(clip_text(text).lower()))


def _log_count(n: int | float, scale: float) -> float:
    return math.log1p(n) / math.log1p(scale)


def log_chars(text: str) -> float:
    """The conversation's length signal (the learned score's shared within-task term)."""
    return _log_count(len(text), 20000)


# Signals the gateway computes one by one, without the whole structure vector.
CHEAP_FEATURES = {"log_chars": log_chars}


def structure_features(
    request: ChatRequest, text: str, system_share: float, turns: int
) -> np.ndarray:
    """Named structural signals, each roughly in [0, 1] (order = STRUCTURE_NAMES)."""
    n_chars = len(text)
    n_words = len(text.split())
    numbers = _NUMBER.findall(text)
    digits = sum(map(text.count, "0123456789"))
    lines = text.count("\n") + 1
    head = clip_text(text)
    low = head.lower()
    return np.array(
        [
            log_chars(text),
            _log_count(n_words, 4000),
            _log_count(lines, 500),
            _log_count(len(numbers), 100),
            _log_count(len(set(numbers)), 100),
            min(1.0, 5.0 * digits / max(1, n_chars)),
            _log_count(len(_LATEX.findall(head)), 50),
            _log_count(len(_MATH_WORDS.findall(low)), 20),
            _log_count(len(_CODE_LINE.findall(head)), 100),
            min(1.0, 10.0 * len(_CODE_SYMBOLS.findall(head)) / max(1, len(head))),
            min(1.0, len(_CHOICE_LINE.findall(head)) / 4.0),
            _log_count(len(_REASONING.findall(low)), 10),
            _log_count(len(_SIMPLE.findall(low)), 5) if n_chars < 2000 else 0.0,
            _log_count(len(_CONDITION_WORDS.findall(low)), 30),
            _log_count(text.count("?"), 10),
            sum(len(w) >= 9 for w in head.split()) / max(1, len(head) // 6),
            min(1.0, 5.0 * (n_chars - len(text.encode("ascii", "ignore"))) / max(1, n_chars)),
            system_share,
            _log_count(turns, 20),
            _log_count(len(request.get("tools") or ()), 20),
            _log_count(count_images(request), 10),
        ],
        dtype=np.float32,
    )
